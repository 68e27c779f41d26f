"""Intune's Windows driver update profiles and their driver inventories: /deviceManagement/windowsDriverUpdateProfiles.

Types from the beta metadata (msgraph-beta-sdk windows_driver_update_profile.py, windows_driver_update_inventory.py,
windows_driver_update_profile_inventory_sync_status.py, windows_driver_update_profile_assignment.py, bulk_driver_action_result.py
and the enums driverUpdateProfileApprovalType, driverApprovalStatus, driverCategory, driverApprovalAction,
windowsDriverUpdateProfileInventorySyncState). approvalType is set on create and cannot change (a PATCH changing it is a 400).
inventorySyncStatus, newUpdates and deviceReporting are server properties.

Actions on a profile: POST .../syncInventory (204) fills the inventory from DRIVER_CATALOG (drivers the profile does not hold
yet; an automatic profile approves the recommended ones) and stamps inventorySyncStatus; POST .../executeAction
{actionName, driverIds, deploymentDate} (200, a bulkDriverActionResult) approves, declines or suspends drivers of a manual
profile. Assignments: GET .../{id}/assignments, POST .../{id}/assign (groups, included or excluded).
"""
from __future__ import annotations

import datetime
import uuid

from ..declaration import Assignments, Entity
from ..messages import Response, utc_now
from ..routing import GraphError, Route, read_json
from ..schema import ASSIGNMENT_TARGET, INTUNE_CONFIGURATION, graph_enum
from ..validation import (
    Collection, Complex, DateTimeOffset, EntityType, Int, NullableInt, String, ValidationError, format_datetime, int_range, max_length,
    not_empty, parse_datetime_offset,
)

APPROVAL_TYPE = graph_enum("driverUpdateProfileApprovalType", ("manual", "automatic"))
APPROVAL_STATUS = graph_enum("driverApprovalStatus", ("needsReview", "declined", "approved", "suspended"))
CATEGORY = graph_enum("driverCategory", ("recommended", "previouslyApproved", "other"))
ACTION = graph_enum("driverApprovalAction", ("approve", "decline", "suspend", "unknownFutureValue"))
SYNC_STATE = graph_enum("windowsDriverUpdateProfileInventorySyncState", ("pending", "success", "failure"))
NEVER = "0001-01-01T00:00:00Z"


def _deferral(profile: dict):
    if profile.get("deploymentDeferralInDays") is not None:
        int_range("deploymentDeferralInDays", 0, 30)(profile)


PROFILE = EntityType(
    "microsoft.graph.windowsDriverUpdateProfile",
    {"displayName": String(), "description": String(), "approvalType": APPROVAL_TYPE, "deploymentDeferralInDays": NullableInt(),
     "roleScopeTagIds": Collection(String())},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime", "inventorySyncStatus", "newUpdates", "deviceReporting"),
    required=("displayName", "approvalType"),
    defaults={"roleScopeTagIds": ["0"], "deploymentDeferralInDays": 0},
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500), _deferral),
    timestamps=True,
)
INVENTORY = EntityType(
    "microsoft.graph.windowsDriverUpdateInventory",
    {"name": String(), "version": String(), "manufacturer": String(), "driverClass": String(), "releaseDateTime": DateTimeOffset(),
     "applicableDeviceCount": Int(), "approvalStatus": APPROVAL_STATUS, "category": CATEGORY, "deployDateTime": DateTimeOffset()},
    defaults={"approvalStatus": "needsReview", "category": "recommended", "applicableDeviceCount": 0},
)
ASSIGNMENT = Complex("microsoft.graph.windowsDriverUpdateProfileAssignment", {"id": String(), "target": ASSIGNMENT_TARGET})
_GROUP_TARGETS = ("microsoft.graph.groupAssignmentTarget", "microsoft.graph.exclusionGroupAssignmentTarget")

# The drivers Windows Update offers the devices of any profile: what a sync brings (name, version, manufacturer, class,
# release date, category, applicable devices). Ids are derived from the profile's, so a resync adds no duplicate.
DRIVER_CATALOG = (
    ("Intel(R) UHD Graphics", "31.0.101.5333", "Intel Corporation", "Display", "2026-10-14T00:00:00Z", "recommended", 12),
    ("NVIDIA RTX A1000 Laptop GPU", "32.0.15.6094", "NVIDIA", "Display", "2026-11-20T00:00:00Z", "recommended", 4),
    ("Intel(R) Wi-Fi 6E AX211 160MHz", "23.60.1.2", "Intel", "Net", "2026-09-02T00:00:00Z", "recommended", 15),
    ("Realtek USB GbE Family Controller", "1153.12.20.1002", "Realtek Semiconductor Corp.", "Net", "2026-07-21T00:00:00Z", "other", 6),
    ("Realtek High Definition Audio", "6.0.9600.1", "Realtek Semiconductor Corp.", "MEDIA", "2026-08-11T00:00:00Z", "recommended", 15),
    ("Dell Latitude 5440 System Firmware", "1.14.1", "Dell Inc.", "Firmware", "2026-10-30T00:00:00Z", "recommended", 9),
    ("Lenovo ThinkPad T14 Gen 4 UEFI BIOS", "1.32", "Lenovo", "Firmware", "2026-11-28T00:00:00Z", "other", 3),
    ("Intel(R) Wireless Bluetooth(R)", "23.60.0.1", "Intel Corporation", "Bluetooth", "2026-09-02T00:00:00Z", "recommended", 15),
)


def _created(ctx, profile: dict):
    profile["inventorySyncStatus"] = {"driverInventorySyncState": "pending", "lastSuccessfulSyncDateTime": NEVER}
    profile["newUpdates"] = 0
    profile["deviceReporting"] = 0


def _updated(ctx, before: dict, after: dict):
    if before.get("approvalType") != after.get("approvalType"):
        raise ValidationError("The approvalType of a driver update profile cannot be changed after it is created.")


def _drivers(ctx, profile: dict) -> dict:
    return ctx.data[DRIVER_INVENTORIES.store].setdefault(profile["id"], {})


def _count_new(ctx, profile: dict):
    profile["newUpdates"] = sum(1 for driver in _drivers(ctx, profile).values() if driver.get("approvalStatus") == "needsReview")


def sync_inventory(graph, ctx, route) -> Response:
    """POST .../syncInventory: the catalog's drivers the profile does not hold yet join its inventory; the sync succeeds."""
    profile = graph._entity(ctx, route)
    drivers = _drivers(ctx, profile)
    automatic = profile.get("approvalType") == "automatic"
    now = utc_now()
    for name, version, manufacturer, driver_class, released, category, devices in DRIVER_CATALOG:
        driver_id = str(uuid.uuid5(uuid.UUID(profile["id"]) if _is_uuid(profile["id"]) else uuid.NAMESPACE_OID, name + " " + version))
        if driver_id in drivers:
            continue
        driver = INVENTORY.new_entity({"name": name, "version": version, "manufacturer": manufacturer, "driverClass": driver_class,
                                       "releaseDateTime": released, "category": category, "applicableDeviceCount": devices})
        driver["id"] = driver_id
        if automatic and category == "recommended":
            deferral = datetime.timedelta(days=profile.get("deploymentDeferralInDays") or 0)
            driver["approvalStatus"] = "approved"
            driver["deployDateTime"] = format_datetime(now + deferral)
        drivers[driver_id] = driver
    profile["inventorySyncStatus"] = {"driverInventorySyncState": "success", "lastSuccessfulSyncDateTime": format_datetime(now)}
    profile["deviceReporting"] = max([driver.get("applicableDeviceCount") or 0 for driver in drivers.values()] + [0])
    _count_new(ctx, profile)
    return Response(204)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_STATUS_OF = {"approve": "approved", "decline": "declined", "suspend": "suspended"}
_PARAMETERS = ("actionName", "driverIds", "deploymentDate")


def execute_action(graph, ctx, route) -> Response:
    """POST .../executeAction {actionName, driverIds, deploymentDate}: a bulkDriverActionResult."""
    profile = graph._entity(ctx, route)
    body = read_json(ctx.req)
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object with the parameters of the operation 'executeAction'.")
    for key in body:
        if key not in _PARAMETERS and not key.startswith("@"):
            raise ValidationError("The parameter '%s' in the request payload is not a valid parameter for the operation 'executeAction'." % key)
    action = ACTION.check(body.get("actionName"), "actionName") if body.get("actionName") is not None else None
    if action is None:
        raise ValidationError("The parameter 'actionName' of the operation 'executeAction' is required.")
    driver_ids = Collection(String()).check(body.get("driverIds"), "driverIds") if body.get("driverIds") is not None else []
    if not driver_ids:
        raise ValidationError("The parameter 'driverIds' of the operation 'executeAction' must name at least one driver.")
    deployment = parse_datetime_offset(body["deploymentDate"]) if body.get("deploymentDate") is not None else None
    if action not in _STATUS_OF:
        raise ValidationError("The driver approval action '%s' is not supported." % action)
    if profile.get("approvalType") != "manual":
        raise GraphError(400, "BadRequest", "Driver approval actions are only supported on a driver update profile of manual approval.")
    if deployment is not None and action != "approve":
        raise ValidationError("deploymentDate is only supported with the approve action.")
    drivers = _drivers(ctx, profile)
    by_id = {key.lower(): driver for key, driver in drivers.items()}
    done, missing = [], []
    for driver_id in driver_ids:
        driver = by_id.get(str(driver_id).lower())
        if driver is None:
            missing.append(driver_id)
            continue
        driver["approvalStatus"] = _STATUS_OF[action]
        driver["deployDateTime"] = (deployment or format_datetime(utc_now())) if action == "approve" else None
        if driver.get("category") == "recommended":
            driver["category"] = "previouslyApproved"
        done.append(driver["id"])
    _count_new(ctx, profile)
    profile["lastModifiedDateTime"] = format_datetime(utc_now())
    context = "%s/%s/$metadata#microsoft.graph.bulkDriverActionResult" % (graph.base_url, ctx.version)
    return Response(200, {"@odata.context": context, "value": {
        "@odata.type": "#microsoft.graph.bulkDriverActionResult", "successfulDriverIds": done, "failedDriverIds": [],
        "notFoundDriverIds": missing}})


class _GroupAssignments(Assignments):
    """Driver update profiles are assigned to groups (included or excluded) only."""

    def convert(self, owner: dict, raw) -> dict:
        assignment = super().convert(owner, raw)
        kind = assignment["target"]["@odata.type"].lstrip("#")
        if kind not in _GROUP_TARGETS:
            raise ValidationError("A driver update profile can be assigned to groups only, not to a '%s'." % kind)
        return assignment


WINDOWS_DRIVER_UPDATE_PROFILES = Entity(
    "windowsDriverUpdateProfile", PROFILE, plural="windows driver update profiles",
    path=("deviceManagement", "windowsDriverUpdateProfiles"), key="windowsDriverUpdateProfileId", store="windowsDriverUpdateProfiles",
    seed=("deviceManagement", "windowsDriverUpdateProfiles"), service=INTUNE_CONFIGURATION,
    assignments=_GroupAssignments(ASSIGNMENT, store="windowsDriverUpdateProfileAssignments"),
    on_create=_created, on_update=_updated,
)
DRIVER_INVENTORIES = Entity(
    "windowsDriverUpdateInventory", INVENTORY, plural="windows driver update inventories", parent=WINDOWS_DRIVER_UPDATE_PROFILES,
    path=("driverInventories",), key="windowsDriverUpdateInventoryId", store="windowsDriverUpdateInventories",
    service=INTUNE_CONFIGURATION, methods=("GET",),
)


def _action_routes() -> list:
    routes = []
    service = INTUNE_CONFIGURATION
    for template, context, lookup in WINDOWS_DRIVER_UPDATE_PROFILES.item_prefixes():
        for name, handler in (("syncInventory", sync_inventory), ("executeAction", execute_action)):
            routes.append(Route(template + (name,), PROFILE, context, ("POST",), read=service.read, write=service.write, container=None,
                                missing=WINDOWS_DRIVER_UPDATE_PROFILES.missing, service=service.name, entity=lookup,
                                handlers={"POST": handler}))
    return routes


ROUTES = _action_routes()
