"""Intune report export jobs: life cycle, filters and columns, the storage host, its signed URLs and fault modes."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest

from emulator_testlib import WUFB_ID, assert_graph_error
from emulator.reports import DEFAULT_PROFILES, configure

JOBS = "/beta/deviceManagement/reports/exportJobs"
FEATURE = DEFAULT_PROFILES["feature"][0]["id"]
QUALITY = DEFAULT_PROFILES["quality"][0]["id"]


def create(graph, **body):
    body.setdefault("reportName", "FeatureUpdateDeviceState")
    if body["reportName"] == "FeatureUpdateDeviceState":
        body.setdefault("filter", "(PolicyId eq '%s')" % FEATURE)
    return graph.post(JOBS, json=body)


def run_job(graph, **body):
    response = create(graph, **body)
    assert response.status_code == 201, response.text
    job = response.json()
    statuses = [job["status"]]
    while job["status"] not in ("completed", "failed"):
        job = graph.get("%s('%s')" % (JOBS, job["id"])).json()
        statuses.append(job["status"])
    return job, statuses


def rows_of(graph, job):
    response = graph.session.get(job["url"], verify=graph.ca_bundle, timeout=10)
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["%s.csv" % job["id"]]
    data = archive.read(archive.namelist()[0])
    assert data.startswith(b"\xef\xbb\xbf\"") and b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_life_cycle_and_content(graph, ctl):
    job, statuses = run_job(graph, select=["DeviceName", "AggregateState"])
    assert statuses == ["notStarted", "inProgress", "completed"]
    assert job["id"].startswith("FeatureUpdateDeviceState_") and job["localizationType"] == "localizedValuesAsAdditionalColumn"
    assert job["url"].startswith("https://localhost:") and "sig=" in job["url"] and job["expirationDateTime"] > job["requestDateTime"]
    rows = rows_of(graph, job)
    assert rows[0] == ["DeviceName", "AggregateState", "AggregateState_loc"]
    assert [row[0] for row in rows[1:]] == ["PC-0001", "PC-0002"]
    storage = [entry for entry in ctl.requests() if entry["kind"] == "storage"]
    assert len(storage) == 1 and storage[0]["status"] == 200


def test_replace_localizable_values_and_filters(graph):
    job, dummy = run_job(graph, reportName="QualityUpdateDeviceStatusByPolicy", localizationType="ReplaceLocalizableValues",
                         filter="(PolicyId eq '%s') and (AggregateState in ('Success', 'In progress', 'Error', 'Cancelled'))" % QUALITY,
                         select=["DeviceName", "AggregateState"])
    rows = rows_of(graph, job)
    assert rows[0] == ["DeviceName", "AggregateState"] and {row[1] for row in rows[1:]} <= {"Success", "In progress", "Error", "Cancelled"}
    job, dummy = run_job(graph, reportName="QualityUpdateDeviceStatusByPolicy", filter="(PolicyId eq 'nothing')")
    assert len(rows_of(graph, job)) == 1  # an empty report: the header only


def test_summaries_and_wufb_states(graph):
    job, dummy = run_job(graph, reportName="DriverUpdatePolicyStatusSummary")
    rows = rows_of(graph, job)
    assert rows[0][:2] == ["PolicyId", "PolicyName"] and rows[1][1] == "Drivers - manual approval"
    job, dummy = run_job(graph, reportName="WindowsUpdatePerPolicyPerDeviceStatus", select=["PolicyId", "DeviceName"])
    assert {row[0] for row in rows_of(graph, job)[1:]} == {WUFB_ID}


@pytest.mark.parametrize("body, status, words", [
    ({"reportName": "NoSuchReport"}, 400, "Invalid report name"),
    ({"reportName": "FeatureUpdateDeviceState", "filter": None}, 400, "Filter on PolicyId is required"),
    ({"select": ["Nope"]}, 400, "Invalid select column 'Nope'"),
    ({"filter": "(Build eq '1')"}, 400, "Invalid filter column 'Build'"),
    ({"filter": "(PolicyId eq )"}, 400, "Invalid filter"),
    ({"localizationType": "french"}, 400, "Requested value 'french'"),
    ({"unknownProperty": 1}, 400, "does not exist on type"),
])
def test_bad_jobs(graph, body, status, words):
    assert_graph_error(create(graph, **body), status, "BadRequest", words)


def test_listing_is_refused_and_unknown_job_is_404(graph):
    assert_graph_error(graph.get(JOBS), 400, "BadRequest", "No method match route template")
    assert_graph_error(graph.get(JOBS + "/Devices_nope"), 404, "ResourceNotFound")


def test_permissions(reader, graph):
    assert_graph_error(create(reader), 403, "Forbidden", "DeviceManagementManagedDevices.Read.All")
    assert create(reader, reportName="FeatureUpdatePolicyStatusSummary").status_code == 201


def test_failed_jobs_and_retry_after(graph, ctl):
    configure(ctl, fail_reports=["FeatureUpdateDeviceState"], retry_after=2)
    response = create(graph)
    job = graph.get("%s('%s')" % (JOBS, response.json()["id"]))
    assert job.json()["status"] == "inProgress" and job.headers["Retry-After"] == "2"
    assert graph.get("%s('%s')" % (JOBS, response.json()["id"])).json()["status"] == "failed"


def test_signature_and_expiry_are_checked(graph, ctl):
    job, dummy = run_job(graph)
    forged = job["url"].replace("sig=", "sig=A")
    response = graph.session.get(forged, verify=graph.ca_bundle, timeout=10)
    assert response.status_code == 403 and b"<Code>AuthenticationFailed</Code>" in response.content
    configure(ctl, url_ttl_seconds=-10)
    job, dummy = run_job(graph)
    response = graph.session.get(job["url"], verify=graph.ca_bundle, timeout=10)
    assert response.status_code == 403 and b"Signature not valid in the specified time frame" in response.content


@pytest.mark.parametrize("fault, check", [
    ("truncated", lambda data: not zipfile.is_zipfile(io.BytesIO(data))),
    ("traversal", lambda data: zipfile.ZipFile(io.BytesIO(data)).namelist() == ["../../evil.csv"]),
    ("zip_bomb", lambda data: zipfile.ZipFile(io.BytesIO(data)).infolist()[0].file_size > 2 ** 31),
    ("not_zip", lambda data: data.startswith(b"<html>")),
    ("two_csv", lambda data: len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 2),
])
def test_storage_faults_break_the_next_download_only(graph, ctl, fault, check):
    job, dummy = run_job(graph)
    configure(ctl, storage_fault=fault)
    first = graph.session.get(job["url"], verify=graph.ca_bundle, timeout=10)
    second = graph.session.get(job["url"], verify=graph.ca_bundle, timeout=10)
    assert first.status_code == 200 and check(first.content)
    assert zipfile.is_zipfile(io.BytesIO(second.content))


def test_synthetic_rows_and_unknown_columns(graph, ctl):
    configure(ctl, synthetic_rows=1000, extra_columns=["ColumnIntuneAdded"])
    job, dummy = run_job(graph, localizationType="replaceLocalizableValues")
    rows = rows_of(graph, job)
    assert len(rows) == 1001 and rows[0][-1] == "ColumnIntuneAdded" and rows[1][-1] == "Intune value"
    configure(ctl, synthetic_rows=0)
    job, dummy = run_job(graph)
    assert len(rows_of(graph, job)) == 1


def test_settings_are_checked_and_reset(ctl, graph):
    with pytest.raises(RuntimeError):
        configure(ctl, storage_fault="melted")
    with pytest.raises(RuntimeError):
        configure(ctl, nope=1)
    configure(ctl, polls_in_progress=3)
    ctl.reset()
    assert configure(ctl)["polls_in_progress"] == 1
