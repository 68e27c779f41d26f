"""Intune report export jobs (deviceManagementExportJob) and the storage host that serves their zips.

Graph side (routes in graph.py): POST deviceManagement/reports/exportJobs answers 201 with a job in status
notStarted; each GET .../exportJobs('{id}') moves it on (inProgress, then completed or failed after
`polls_in_progress` reads); a completed job names `url`, a signed URL on the storage host (the emulator
under the name `localhost`, another origin than `127.0.0.1`), valid for `url_ttl_seconds`, and its
`expirationDateTime`. Listing the jobs is refused as on Graph ("No method match route template").

The report content is generated from the emulator's state: its Windows managed devices, the WUfB
configurations with their device update states, and the feature, quality (expedite) and driver update
profiles of the tenant (seeded collections when present, else the DEFAULT_PROFILES below). Values are
deterministic per (profile, device). `synthetic_rows` replaces the devices by that many generated ones
(benchmarks: 500,000 rows).

Storage side (`/reportexportstorage/...`, log kind "storage"): GET with a valid signature before its expiry
answers the zip (one CSV member named after the job, UTF-8 with a BOM, every field quoted, CRLF); an expired
or altered signature 403 AuthenticationFailed (Azure's XML error). `storage_fault` breaks the next
`storage_fault_times` downloads: expired (403), truncated (half the zip), zip_bomb (a member that claims
4 GiB), traversal (a member named ../../evil.csv), not_zip (an HTML page), two_csv.

Settings: GET/PUT /_emulator/exports (reset with the state); `configure(control, **settings)` from tests.
"""
from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import hmac
import io
import json
import os
import re
import struct
import zipfile
import zlib
from urllib.parse import parse_qsl, quote, urlsplit

from .messages import PLAIN_JSON, Request, Response, graph_error, intune_message, new_guid, utc_now
from .validation import format_datetime

STORAGE = "reportexportstorage"
SETTINGS_KEY = "exportSettings"
JOBS_KEY = "exportJobs"
BLOBS_KEY = "exportBlobs"
DEFAULT_SETTINGS = {
    "polls_in_progress": 1,    # GETs answered inProgress before the job completes
    "retry_after": None,       # Retry-After (seconds) on the answers of a job not completed yet
    "url_ttl_seconds": 3600,   # how long a download URL is valid
    "fail_reports": [],        # report names whose jobs end failed
    "storage_fault": None,     # expired | truncated | zip_bomb | traversal | not_zip | two_csv
    "storage_fault_times": 1,  # downloads the storage fault breaks (-1: all)
    "synthetic_rows": None,    # generated devices instead of the tenant's (0: an empty report)
    "extra_columns": [],       # columns Intune might add, appended to every report
}
STORAGE_FAULTS = ("expired", "truncated", "zip_bomb", "traversal", "not_zip", "two_csv")
_KEY = os.urandom(32)  # signs the download URLs of this process

CONFIGURATION = ("DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All")
DEVICES = ("DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All")
APPS = ("DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All")
ANY_REPORTS = CONFIGURATION + DEVICES + APPS  # what the exportJobs endpoint accepts (Intune's 403 names these six)

DEFAULT_PROFILES = {
    "feature": [{"id": "f0a1b2c3-0000-4000-8000-00000000fe01", "displayName": "Windows 11 24H2 - broad",
                 "featureUpdateVersion": "Windows 11, version 24H2"}],
    "quality": [{"id": "e0a1b2c3-0000-4000-8000-00000000e201", "displayName": "Expedite 2024-04 B",
                 "releaseDate": "2024-04-09"}],
    "driver": [{"id": "d0a1b2c3-0000-4000-8000-00000000d501", "displayName": "Drivers - manual approval"}],
}
PROFILE_KEYS = {"feature": "windowsFeatureUpdateProfiles", "quality": "windowsQualityUpdateProfiles", "driver": "windowsDriverUpdateProfiles"}

# Localizable values: (raw value, text). The raw values are the emulator's own.
STATES = [("1", "Success"), ("1", "Success"), ("1", "Success"), ("2", "In progress"), ("3", "Error"), ("4", "Cancelled")]
SUBSTATES = {"1": ("20", "Update installed"), "2": ("12", "Downloading"), "3": ("30", "Installation failed"), "4": ("40", "Cancelled by admin")}
ALERTS = {"3": ("0x80070002", "Download failed", "Check the network and retry the download")}
OWNER = ("1", "Corporate")

# Each report: (columns in the page's order, filter columns, required filters, localizable columns, device level).
REPORTS = {
    "FeatureUpdateDeviceState": (
        ["PolicyId", "PolicyName", "FeatureUpdateVersion", "DeviceId", "AADDeviceId", "PartnerPolicyId", "EventDateTimeUTC",
         "LastSuccessfulDeviceUpdateStatus", "LastSuccessfulDeviceUpdateSubstatus", "LastSuccessfulDeviceUpdateStatusEventDateTimeUTC",
         "CurrentDeviceUpdateStatus", "CurrentDeviceUpdateSubstatus", "CurrentDeviceUpdateStatusEventDateTimeUTC", "LatestAlertMessage",
         "LatestAlertMessageDescription", "LatestAlertRecommendedAction", "LatestAlertExtendedRecommendedAction", "UpdateCategory",
         "WindowsUpdateVersion", "LastWUScanTimeUTC", "Build", "DeviceName", "OwnerType", "UPN", "AggregateState"],
        ["PolicyId", "AggregateState", "LatestAlertMessage", "OwnerType"], ["PolicyId"],
        ["AggregateState", "CurrentDeviceUpdateStatus", "CurrentDeviceUpdateSubstatus", "LatestAlertMessage", "OwnerType"], True),
    "FeatureUpdatePolicyFailuresAggregate": (["PolicyId", "PolicyName", "FeatureUpdateVersion", "NumberOfDevicesWithErrors"], [], [], [], False),
    "FeatureUpdatePolicyStatusSummary": (
        ["PolicyId", "PolicyName", "FeatureUpdateVersion", "CountDevicesSuccessStatus", "CountDevicesInProgressStatus",
         "CountDevicesErrorStatus"], [], [], [], False),
    "DeviceFailuresByFeatureUpdatePolicy": (
        ["PolicyId", "PolicyName", "FeatureUpdateVersion", "DeviceId", "AADDeviceId", "AlertId", "EventDateTimeUTC", "AlertType",
         "AlertStatus", "AlertClassification", "WindowsUpdateVersion", "Build", "AlertMessage", "AlertMessageDescription",
         "AlertMessageData", "Win32ErrorCode", "RecommendedAction", "ExtendedRecommendedAction", "StartDateTimeUTC", "ResolvedDateTimeUTC",
         "DeviceName", "UPN"],
        ["PolicyId", "AlertMessage", "RecommendedAction", "WindowsUpdateVersion"], ["PolicyId"], ["AlertMessage"], True),
    "QualityUpdateDeviceErrorsByPolicy": (
        ["PolicyId", "DeviceName", "AlertMessage", "Win32ErrorCode", "UPN", "ExpediteQUReleaseDate", "DeviceId"],
        ["PolicyId", "AlertMessage"], ["PolicyId"], ["AlertMessage"], True),
    "QualityUpdateDeviceStatusByPolicy": (
        ["PolicyId", "DeviceName", "UPN", "DeviceId", "AADDeviceId", "EventDateTimeUTC", "CurrentDeviceUpdateStatus",
         "CurrentDeviceUpdateSubstatus", "AggregateState", "LatestAlertMessage", "LastWUScanTimeUTC", "OwnerType"],
        ["PolicyId", "AggregateState", "OwnerType"], ["PolicyId"],
        ["CurrentDeviceUpdateStatus", "CurrentDeviceUpdateSubstatus", "AggregateState", "LatestAlertMessage"], True),
    "QualityUpdatePolicyStatusSummary": (
        ["PolicyId", "PolicyName", "ExpediteQUReleaseDate", "CountDevicesSuccessStatus", "CountDevicesInProgressStatus",
         "CountDevicesErrorStatus"], [], [], [], False),
    "DriverUpdatePolicyStatusSummary": (
        ["PolicyId", "PolicyName", "CountDevicesSuccessStatus", "CountDevicesInProgressStatus", "CountDevicesErrorStatus",
         "CountDevicesCancelledStatus", "CountOfNeedsReviewDrivers", "CountOfPausedDrivers"], [], [], [], False),
    "WindowsUpdatePerPolicyPerDeviceStatus": (
        ["PolicyId", "DeviceId", "DeviceName", "UPN", "AggregateState", "CurrentDeviceUpdateStatus", "LatestAlertMessage"], [], [], [], True),
    "Devices": (["DeviceId", "DeviceName", "OSVersion", "UPN", "LastContact"], ["OwnerType", "DeviceType"], [], [], True),
}


class ReportError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# --- settings -----------------------------------------------------------------------------------------------------
def settings_of(store) -> dict:
    return store.data.setdefault(SETTINGS_KEY, dict(DEFAULT_SETTINGS))


def _check_settings(body: dict) -> dict:
    unknown = set(body) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError("unknown export settings: %s" % ", ".join(sorted(unknown)))
    if body.get("storage_fault") not in (None,) + STORAGE_FAULTS:
        raise ValueError("storage_fault must be null or one of %s" % ", ".join(STORAGE_FAULTS))
    for key in ("polls_in_progress", "url_ttl_seconds", "storage_fault_times"):
        if key in body and (isinstance(body[key], bool) or not isinstance(body[key], int)):
            raise ValueError("%s must be an integer" % key)
    rows = body.get("synthetic_rows")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 0):
        raise ValueError("synthetic_rows must be null or an integer >= 0")
    return body


def configure(control, **settings) -> dict:
    """PUT /_emulator/exports from a test (control: emulator.control.EmulatorControl)."""
    response = control.session.put("%s/_emulator/exports" % control.url, json=settings, verify=control.ca_bundle, timeout=control.timeout)
    if not response.ok:
        raise RuntimeError("PUT /_emulator/exports -> %s %s" % (response.status_code, response.text))
    return response.json()


def kind_of(segments: list):
    return "storage" if segments[:1] == [STORAGE] else None


# --- Graph handlers (Route handlers of graph.py: (graph, ctx, route) -> Response) ------------------------------------
def _error(ctx, status: int, code: str, message: str) -> Response:
    return graph_error(ctx.req, status, code, message)


def _shown(job: dict, base_url: str, version: str) -> dict:
    body = {"@odata.context": "%s/%s/$metadata#deviceManagement/reports/exportJobs/$entity" % (base_url, version)}
    body.update((key, value) for key, value in job.items() if not key.startswith("_"))
    return body


def list_jobs(graph, ctx, route) -> Response:
    return _error(ctx, 400, "BadRequest", intune_message(ctx.req, "No method match route template", graph.base_url))


def create_job(graph, ctx, route) -> Response:
    try:
        body = ctx.req.json_body()
    except (ValueError, UnicodeDecodeError):
        return _error(ctx, 400, "BadRequest", "Unable to read JSON request payload.")
    try:
        job = _new_job(ctx, body, graph.base_url)
    except ReportError as exc:
        return _error(ctx, exc.status, exc.code, exc.message if exc.status != 403 else intune_message(ctx.req, exc.message, graph.base_url))
    ctx.store.data.setdefault(JOBS_KEY, {})[job["id"].lower()] = job
    return Response(201, _shown(job, graph.base_url, ctx.version))


def get_job(graph, ctx, route) -> Response:
    job = ctx.store.data.get(JOBS_KEY, {}).get(ctx.params["jobId"].lower())
    if job is None or job["_tenant"] != ctx.claims.get("tid"):
        return _error(ctx, 404, "ResourceNotFound", intune_message(ctx.req, "Resource not found", graph.base_url))
    if ctx.req.method == "DELETE":
        del ctx.store.data[JOBS_KEY][job["id"].lower()]
        return Response(204)
    settings = settings_of(ctx.store)
    _advance(ctx.store, job, settings, graph.base_url)
    headers = {}
    if job["status"] in ("notStarted", "inProgress") and settings.get("retry_after") is not None:
        headers["Retry-After"] = str(settings["retry_after"])
    return Response(200, _shown(job, graph.base_url, ctx.version), headers)


def _new_job(ctx, body, base_url) -> dict:
    if not isinstance(body, dict):
        raise ReportError(400, "BadRequest", "The request body must be a deviceManagementExportJob object.")
    allowed = {"@odata.type", "reportName", "filter", "select", "format", "snapshotId", "localizationType", "search"}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ReportError(400, "BadRequest", "The property '%s' does not exist on type 'microsoft.graph.deviceManagementExportJob'." % unknown[0])
    name = body.get("reportName")
    if not isinstance(name, str) or not name or len(name) > 2000:
        raise ReportError(400, "BadRequest", "reportName is required (at most 2000 characters).")
    report = REPORTS.get(name)
    if report is None:
        raise ReportError(400, "BadRequest", "Invalid report name '%s'." % name)
    columns, filters, required, localizable, device_level = report
    roles = ctx.claims.get("roles") or []
    needed = [CONFIGURATION] + ([DEVICES] if device_level and name != "Devices" else [])
    if name == "Devices":
        needed = [DEVICES]
    for group in needed:
        if not any(role in roles for role in group):
            raise ReportError(403, "Forbidden", "Application is not authorized to export the report %s. Application must have one of the "
                              "following scopes: %s" % (name, ", ".join(group)))
    fmt = body.get("format", "csv")
    if fmt not in ("csv", "json"):
        raise ReportError(400, "BadRequest", "Requested value '%s' was not found." % fmt)
    localization = body.get("localizationType", "localizedValuesAsAdditionalColumn")
    choices = {"localizedvaluesasadditionalcolumn": "localizedValuesAsAdditionalColumn", "replacelocalizablevalues": "replaceLocalizableValues"}
    if not isinstance(localization, str) or localization.lower() not in choices:
        raise ReportError(400, "BadRequest", "Requested value '%s' was not found." % localization)
    select = body.get("select")
    if select is not None:
        if not isinstance(select, list) or not all(isinstance(item, str) for item in select) or len(select) > 256:
            raise ReportError(400, "BadRequest", "select must be a list of at most 256 column names.")
        known = dict((column.lower(), column) for column in _columns_of(name, ctx.store))
        known.update(("%s_loc" % column.lower(), column + "_loc") for column in localizable)
        for item in select:
            if item.lower() not in known:
                raise ReportError(400, "BadRequest", "Invalid select column '%s' for report '%s'." % (item, name))
    text = body.get("filter")
    if text is not None and (not isinstance(text, str) or len(text) > 2000):
        raise ReportError(400, "BadRequest", "filter must be a string of at most 2000 characters.")
    condition = parse_filter(text or "", filters)
    for column in required:
        if column.lower() not in condition.columns:
            raise ReportError(400, "BadRequest", "Filter on %s is required for the report '%s'." % (column, name))
    return {
        "id": "%s_%s" % (name, new_guid()), "reportName": name, "filter": text, "select": select or [], "format": fmt,
        "snapshotId": body.get("snapshotId"), "localizationType": choices[localization.lower()], "status": "notStarted", "url": None,
        "requestDateTime": format_datetime(utc_now()), "expirationDateTime": "0001-01-01T00:00:00Z",
        "_polls": 0, "_tenant": ctx.claims.get("tid"),
    }


def _advance(store, job: dict, settings: dict, base_url: str):
    if job["status"] == "notStarted":
        job["status"] = "inProgress"
    elif job["status"] == "inProgress":
        job["_polls"] += 1
    if job["status"] != "inProgress" or job["_polls"] < settings["polls_in_progress"]:
        return
    if job["reportName"] in settings["fail_reports"]:
        job["status"] = "failed"
        return
    blob = "%s/%s.zip" % (hashlib.sha256(job["_tenant"].encode()).hexdigest()[:32], job["id"])
    store.data.setdefault(BLOBS_KEY, {})[blob] = build_zip(store, job, settings)
    expiry = utc_now() + datetime.timedelta(seconds=settings["url_ttl_seconds"])
    job["status"] = "completed"
    job["url"] = signed_url(base_url, blob, expiry)
    job["expirationDateTime"] = format_datetime(expiry)


# --- filters ------------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(\()|(\))|('(?:[^']|'')*')|(,)|([A-Za-z_][A-Za-z0-9_]*))")


class Condition:
    def __init__(self, test, columns):
        self.test, self.columns = test, columns


def parse_filter(text: str, filters: list) -> Condition:
    """`Col eq 'v'`, `ne`, `in ('a', 'b')`, joined with and/or, in parentheses; columns must be filter columns."""
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ReportError(400, "BadRequest", "Invalid filter: syntax error at position %d." % position)
        position = match.end()
        kind = match.lastindex
        value = match.group(kind)
        tokens.append(("str", value[1:-1].replace("''", "'")) if kind == 3 else ("sym", value) if kind in (1, 2, 4) else ("word", value))
    allowed = dict((column.lower(), column) for column in filters)
    columns = set()
    state = {"i": 0}

    def peek():
        return tokens[state["i"]] if state["i"] < len(tokens) else (None, None)

    def take(expected=None):
        token = peek()
        if token[0] is None or (expected and token[1].lower() != expected):
            raise ReportError(400, "BadRequest", "Invalid filter: expected %s." % (expected or "more"))
        state["i"] += 1
        return token

    def primary():
        if peek() == ("sym", "("):
            take()
            test = expression()
            take(")")
            return test
        kind, column = take()
        if kind != "word" or column.lower() not in allowed:
            raise ReportError(400, "BadRequest", "Invalid filter column '%s'." % column)
        columns.add(column.lower())
        operator = take()[1].lower()
        if operator in ("eq", "ne"):
            kind, value = take()
            if kind != "str":
                raise ReportError(400, "BadRequest", "Invalid filter: a quoted value is expected after %s %s." % (column, operator))
            wanted = {value.lower()}
        elif operator == "in":
            take("(")
            wanted = set()
            while True:
                kind, value = take()
                if kind != "str":
                    raise ReportError(400, "BadRequest", "Invalid filter: quoted values are expected in %s in (...)." % column)
                wanted.add(value.lower())
                if take()[1] == ")":
                    break
        else:
            raise ReportError(400, "BadRequest", "Invalid filter operator '%s'." % operator)
        name = allowed[column.lower()]
        negate = operator == "ne"
        return lambda row: (_matches(row.get(name), wanted)) != negate

    def conjunction():
        test = primary()
        while peek()[0] == "word" and peek()[1].lower() == "and":
            take()
            test = _both(test, primary())
        return test

    def expression():
        test = conjunction()
        while peek()[0] == "word" and peek()[1].lower() == "or":
            take()
            test = _either(test, conjunction())
        return test

    if not tokens:
        return Condition(lambda row: True, set())
    test = expression()
    if state["i"] != len(tokens):
        raise ReportError(400, "BadRequest", "Invalid filter: unexpected '%s'." % tokens[state["i"]][1])
    return Condition(test, columns)


def _both(left, right):
    return lambda row: left(row) and right(row)


def _either(left, right):
    return lambda row: left(row) or right(row)


def _matches(value, wanted: set) -> bool:
    if isinstance(value, tuple):
        return value[0].lower() in wanted or value[1].lower() in wanted
    return str(value if value is not None else "").lower() in wanted


# --- content ------------------------------------------------------------------------------------------------------
def _columns_of(name: str, store) -> list:
    return REPORTS[name][0] + [column for column in settings_of(store).get("extra_columns") or [] if column not in REPORTS[name][0]]


def _profiles(store, kind: str) -> list:
    seeded = store.data.get(PROFILE_KEYS[kind])
    if isinstance(seeded, dict) and seeded:
        return sorted(seeded.values(), key=lambda profile: str(profile.get("displayName")))
    return DEFAULT_PROFILES[kind]


def _devices(store, settings):
    count = settings.get("synthetic_rows")
    if count is not None:
        for number in range(1, count + 1):
            yield {"id": "d0000000-0000-4000-8000-%012d" % number, "deviceName": "GEN-%06d" % number,
                   "azureADDeviceId": "a0000000-0000-4000-8000-%012d" % number, "userPrincipalName": "user%06d@contoso.onmicrosoft.com" % number,
                   "osVersion": "10.0.22631.%d" % (3000 + number % 500)}
        return
    devices = [device for device in store.data.get("managedDevices", {}).values()
               if str(device.get("operatingSystem") or "Windows").lower().startswith("windows")]
    yield from sorted(devices, key=lambda device: (str(device.get("deviceName")), device["id"]))


def _state(policy_id: str, device_id: str):
    return STATES[zlib.crc32(("%s|%s" % (policy_id, device_id)).lower().encode()) % len(STATES)]


def _device_rows(store, settings, kind: str):
    """(profile, device, state) for every profile of the kind and device."""
    for profile in _profiles(store, kind):
        for device in _devices(store, settings):
            yield profile, device, _state(profile["id"], device["id"])


def _feature_version(profile) -> str:
    return str(profile.get("featureUpdateVersion") or "")


def _rows(name: str, store, settings):
    """The report's rows: dicts of column -> value, a (raw, text) pair for a localizable value."""
    stamp = "2024-04-10T08:00:00Z"
    if name == "FeatureUpdateDeviceState":
        for profile, device, state in _device_rows(store, settings, "feature"):
            alert = ALERTS.get(state[0], ("", "", ""))
            yield {"PolicyId": profile["id"], "PolicyName": profile.get("displayName"), "FeatureUpdateVersion": _feature_version(profile),
                   "DeviceId": device["id"], "AADDeviceId": device.get("azureADDeviceId"), "PartnerPolicyId": profile["id"],
                   "EventDateTimeUTC": stamp, "LastSuccessfulDeviceUpdateStatus": state if state[0] == "1" else ("", ""),
                   "LastSuccessfulDeviceUpdateSubstatus": SUBSTATES["1"] if state[0] == "1" else ("", ""),
                   "LastSuccessfulDeviceUpdateStatusEventDateTimeUTC": stamp if state[0] == "1" else "",
                   "CurrentDeviceUpdateStatus": state, "CurrentDeviceUpdateSubstatus": SUBSTATES[state[0]],
                   "CurrentDeviceUpdateStatusEventDateTimeUTC": stamp, "LatestAlertMessage": (alert[0], alert[1]),
                   "LatestAlertMessageDescription": alert[1], "LatestAlertRecommendedAction": alert[2],
                   "LatestAlertExtendedRecommendedAction": "", "UpdateCategory": "Feature", "WindowsUpdateVersion": device.get("osVersion"),
                   "LastWUScanTimeUTC": stamp, "Build": device.get("osVersion"), "DeviceName": device.get("deviceName"),
                   "OwnerType": OWNER, "UPN": device.get("userPrincipalName"), "AggregateState": state}
    elif name == "DeviceFailuresByFeatureUpdatePolicy":
        for profile, device, state in _device_rows(store, settings, "feature"):
            if state[0] != "3":
                continue
            alert = ALERTS["3"]
            yield {"PolicyId": profile["id"], "PolicyName": profile.get("displayName"), "FeatureUpdateVersion": _feature_version(profile),
                   "DeviceId": device["id"], "AADDeviceId": device.get("azureADDeviceId"), "AlertId": new_guid(), "EventDateTimeUTC": stamp,
                   "AlertType": "DownloadFailure", "AlertStatus": "Active", "AlertClassification": "Error",
                   "WindowsUpdateVersion": device.get("osVersion"), "Build": device.get("osVersion"), "AlertMessage": (alert[0], alert[1]),
                   "AlertMessageDescription": alert[1], "AlertMessageData": "", "Win32ErrorCode": alert[0], "RecommendedAction": alert[2],
                   "ExtendedRecommendedAction": "", "StartDateTimeUTC": stamp, "ResolvedDateTimeUTC": "",
                   "DeviceName": device.get("deviceName"), "UPN": device.get("userPrincipalName")}
    elif name in ("FeatureUpdatePolicyFailuresAggregate", "FeatureUpdatePolicyStatusSummary"):
        for profile, counts in _counts(store, settings, "feature"):
            row = {"PolicyId": profile["id"], "PolicyName": profile.get("displayName"), "FeatureUpdateVersion": _feature_version(profile)}
            if name == "FeatureUpdatePolicyFailuresAggregate":
                row["NumberOfDevicesWithErrors"] = counts["3"]
            else:
                row.update(CountDevicesSuccessStatus=counts["1"], CountDevicesInProgressStatus=counts["2"], CountDevicesErrorStatus=counts["3"])
            yield row
    elif name in ("QualityUpdateDeviceStatusByPolicy", "QualityUpdateDeviceErrorsByPolicy"):
        for profile, device, state in _device_rows(store, settings, "quality"):
            alert = ALERTS.get(state[0], ("", "", ""))
            if name == "QualityUpdateDeviceErrorsByPolicy":
                if state[0] == "3":
                    yield {"PolicyId": profile["id"], "DeviceName": device.get("deviceName"), "AlertMessage": (alert[0], alert[1]),
                           "Win32ErrorCode": alert[0], "UPN": device.get("userPrincipalName"),
                           "ExpediteQUReleaseDate": profile.get("releaseDate") or "", "DeviceId": device["id"]}
                continue
            yield {"PolicyId": profile["id"], "DeviceName": device.get("deviceName"), "UPN": device.get("userPrincipalName"),
                   "DeviceId": device["id"], "AADDeviceId": device.get("azureADDeviceId"), "EventDateTimeUTC": stamp,
                   "CurrentDeviceUpdateStatus": state, "CurrentDeviceUpdateSubstatus": SUBSTATES[state[0]], "AggregateState": state,
                   "LatestAlertMessage": (alert[0], alert[1]), "LastWUScanTimeUTC": stamp, "OwnerType": "Corporate"}
    elif name == "QualityUpdatePolicyStatusSummary":
        for profile, counts in _counts(store, settings, "quality"):
            yield {"PolicyId": profile["id"], "PolicyName": profile.get("displayName"), "ExpediteQUReleaseDate": profile.get("releaseDate") or "",
                   "CountDevicesSuccessStatus": counts["1"], "CountDevicesInProgressStatus": counts["2"], "CountDevicesErrorStatus": counts["3"]}
    elif name == "DriverUpdatePolicyStatusSummary":
        for profile, counts in _counts(store, settings, "driver"):
            yield {"PolicyId": profile["id"], "PolicyName": profile.get("displayName"), "CountDevicesSuccessStatus": counts["1"],
                   "CountDevicesInProgressStatus": counts["2"], "CountDevicesErrorStatus": counts["3"],
                   "CountDevicesCancelledStatus": counts["4"], "CountOfNeedsReviewDrivers": 2, "CountOfPausedDrivers": 0}
    elif name == "WindowsUpdatePerPolicyPerDeviceStatus":
        yield from _per_policy_rows(store, settings)
    elif name == "Devices":
        for device in _devices(store, settings):
            yield {"DeviceId": device["id"], "DeviceName": device.get("deviceName"), "OSVersion": device.get("osVersion"),
                   "UPN": device.get("userPrincipalName"), "LastContact": device.get("lastSyncDateTime") or ""}


def _counts(store, settings, kind: str):
    for profile in _profiles(store, kind):
        counts = {"1": 0, "2": 0, "3": 0, "4": 0}
        for device in _devices(store, settings):
            counts[_state(profile["id"], device["id"])[0]] += 1
        yield profile, counts


def _per_policy_rows(store, settings):
    """WUfB profiles: their device update states when seeded (status upToDate... as Graph has it), else every device."""
    status_state = {"uptodate": STATES[0], "pendinginstallation": STATES[3], "pendingreboot": STATES[3], "failed": STATES[4]}
    for config in sorted(store.data.get("deviceConfigurations", {}).values(), key=lambda c: str(c.get("displayName"))):
        if "windowsUpdateForBusinessConfiguration" not in str(config.get("@odata.type")):
            continue
        states = store.data.get("deviceUpdateStates", {}).get(config["id"]) or {}
        if states and settings.get("synthetic_rows") is None:
            for state in states.values():
                mapped = status_state.get(str(state.get("status")).lower(), ("0", "Unknown"))
                yield {"PolicyId": config["id"], "DeviceId": state.get("deviceId"), "DeviceName": state.get("deviceDisplayName"),
                       "UPN": state.get("userPrincipalName"), "AggregateState": mapped[1], "CurrentDeviceUpdateStatus": state.get("status"),
                       "LatestAlertMessage": ALERTS["3"][1] if mapped[0] == "3" else ""}
            continue
        for device in _devices(store, settings):
            state = _state(config["id"], device["id"])
            yield {"PolicyId": config["id"], "DeviceId": device["id"], "DeviceName": device.get("deviceName"),
                   "UPN": device.get("userPrincipalName"), "AggregateState": state[1], "CurrentDeviceUpdateStatus": state[1],
                   "LatestAlertMessage": ALERTS["3"][1] if state[0] == "3" else ""}


def _header(name: str, store, job: dict) -> list:
    columns, dummy, dummy2, localizable, dummy3 = REPORTS[name]
    additional = job["localizationType"] == "localizedValuesAsAdditionalColumn"
    chosen = job["select"] or _columns_of(name, store)
    known = dict((column.lower(), column) for column in _columns_of(name, store))
    header = []
    for item in chosen:
        column = known.get(item.lower()) or item
        header.append(column)
        if additional and column in localizable and not item.lower().endswith("_loc"):
            header.append(column + "_loc")
    # A column Intune adds comes whatever the select (the tests of tolerant readers need it there).
    return header + [column for column in settings_of(store).get("extra_columns") or [] if column not in header]


def _cell(row: dict, column: str, localizable: list, additional: bool):
    if column.endswith("_loc") and column[:-4] in localizable:
        value = row.get(column[:-4])
        return value[1] if isinstance(value, tuple) else ("" if value is None else value)
    value = row.get(column)
    if isinstance(value, tuple):
        return value[0] if additional else value[1]
    return "" if value is None else value


def build_zip(store, job: dict, settings: dict) -> bytes:
    """The zip of a completed job: one CSV member, <job id>.csv (UTF-8 with a BOM, every field quoted, CRLF)."""
    name = job["reportName"]
    localizable = REPORTS[name][3]
    additional = job["localizationType"] == "localizedValuesAsAdditionalColumn"
    condition = parse_filter(job["filter"] or "", REPORTS[name][1])
    header = _header(name, store, job)
    extra = set(settings.get("extra_columns") or [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("%s.csv" % job["id"], "w", force_zip64=True) as member:
            text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
            writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            writer.writerow(header)
            for row in _rows(name, store, settings):
                if not condition.test(row):
                    continue
                writer.writerow(["Intune value" if column in extra else _cell(row, column, localizable, additional) for column in header])
            text.flush()
            text.detach()
    return buffer.getvalue()


# --- storage ------------------------------------------------------------------------------------------------------
def _signature(blob: str, expiry: str) -> str:
    return base64.b64encode(hmac.new(_KEY, ("%s\n%s" % (blob, expiry)).encode(), hashlib.sha256).digest()).decode()


def signed_url(base_url: str, blob: str, expiry: datetime.datetime) -> str:
    parts = urlsplit(base_url)
    host = "localhost" if parts.hostname in ("127.0.0.1", "::1") else parts.hostname
    expires = expiry.strftime("%Y-%m-%dT%H:%M:%SZ")
    query = "sv=2019-02-02&sr=b&sp=r&se=%s&sig=%s" % (quote(expires, safe=""), quote(_signature(blob, expires), safe=""))
    return "https://%s:%d/%s/%s?%s" % (host, parts.port, STORAGE, blob, query)


def _storage_error(status: int, code: str, message: str) -> Response:
    body = ('<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s\nRequestId:%s\nTime:%s</Message></Error>'
            % (code, message, new_guid(), utc_now().strftime("%Y-%m-%dT%H:%M:%S.0000000Z")))
    return Response(status, body.encode(), {"x-ms-request-id": new_guid(), "x-ms-error-code": code}, content_type="application/xml")


def storage(store, req: Request) -> Response:
    """GET /reportexportstorage/<container>/<job id>.zip?...&se=...&sig=..."""
    if req.method not in ("GET", "HEAD"):
        return _storage_error(405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.")
    blob = "/".join(req.segments[1:])
    query = dict(parse_qsl(req.raw_query, keep_blank_values=True))
    with store.lock:
        content = store.data.get(BLOBS_KEY, {}).get(blob)
        settings = settings_of(store)
        fault = settings.get("storage_fault")
        if fault and settings.get("storage_fault_times", 1) != 0:
            if settings["storage_fault_times"] > 0:
                settings["storage_fault_times"] -= 1
        else:
            fault = None
    signature_ok = hmac.compare_digest(query.get("sig", ""), _signature(blob, query.get("se", "")))
    if content is None:
        return _storage_error(404, "BlobNotFound", "The specified blob does not exist.")
    if not signature_ok:
        return _storage_error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization "
                              "header is formed correctly including the signature.")
    expired = query.get("se", "") < utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
    if expired or fault == "expired":
        return _storage_error(403, "AuthenticationFailed", "Server failed to authenticate the request. Signature not valid in the specified "
                              "time frame: Start [] - Expiry [%s] - Current [%s]" % (query.get("se"), utc_now().strftime("%a, %d %b %Y %H:%M:%S GMT")))
    body = _broken(fault, content)
    return Response(200, body, {"x-ms-request-id": new_guid(), "x-ms-blob-type": "BlockBlob"}, content_type="application/x-zip-compressed")


def _broken(fault, content: bytes) -> bytes:
    """The zip as a storage fault breaks it (or as it is)."""
    if fault == "truncated":
        return content[:len(content) // 2]
    if fault == "zip_bomb":
        return _zip_bomb()
    if fault == "traversal":
        return _one_member("../../evil.csv")
    if fault == "not_zip":
        return b"<html><body>Sign in to continue</body></html>"
    if fault == "two_csv":
        return _two_csv()
    return content


def _one_member(name: str, data: bytes = b'"DeviceName"\r\n"PC"\r\n') -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _two_csv() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", b'"A"\r\n')
        archive.writestr("b.csv", b'"B"\r\n')
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A small zip whose one member says it decompresses to 4 GiB (headers patched; the data is 1 MiB of zeros)."""
    data = bytearray(_one_member("bomb.csv", b"\0" * (1024 * 1024)))
    claimed = struct.pack("<I", 0xFFFFFFF0)
    data[22:26] = claimed  # local file header: uncompressed size
    central = data.find(b"PK\x01\x02")
    data[central + 24:central + 28] = claimed  # central directory: uncompressed size
    return bytes(data)


def control(store, req: Request) -> Response:
    """GET/PUT /_emulator/exports: the settings above."""
    with store.lock:
        settings = settings_of(store)
        if req.method == "PUT":
            try:
                body = json.loads(req.body.decode("utf-8") or "{}")
                if not isinstance(body, dict):
                    raise ValueError("the settings are a JSON object")
                settings.update(_check_settings(body))
            except (ValueError, UnicodeDecodeError) as exc:
                return Response(400, {"error": str(exc)}, content_type=PLAIN_JSON)
        elif req.method != "GET":
            return Response(404, {"error": "GET or PUT /_emulator/exports"}, content_type=PLAIN_JSON)
        return Response(200, dict(settings, jobs=len(store.data.get(JOBS_KEY, {}))), content_type=PLAIN_JSON)
