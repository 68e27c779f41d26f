"""What several entities share: application roles and services, and Intune's assignment types (Graph beta metadata).

Each entity's own types (properties, enums, ranges) are in its declaration, entities/<name>.py.
Enum members come from Graph's beta metadata (as generated into msgraph-beta-sdk), which is wider than the API pages.
"""
from __future__ import annotations

from .declaration import Service
from .validation import Complex, Derived, Enum, String, ValidationError, is_guid

# --- application roles, and the services that check them ---------------------------------------------------------
WINDOWS_UPDATE_READWRITE = ("WindowsUpdates.ReadWrite.All",)
WINDOWS_UPDATE_READ = ("WindowsUpdates.Read.All", "WindowsUpdates.ReadWrite.All")
CONFIGURATION_READ = ("DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All")
CONFIGURATION_WRITE = ("DeviceManagementConfiguration.ReadWrite.All",)
DEVICES_READ = ("DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All")
USERS_READ = ("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")

WINDOWS_UPDATES = Service("windowsUpdates", WINDOWS_UPDATE_READWRITE, WINDOWS_UPDATE_READWRITE)  # rings, catalog: ReadWrite even to read
WINDOWS_UPDATES_READ = Service("windowsUpdates", WINDOWS_UPDATE_READ, WINDOWS_UPDATE_READWRITE)
INTUNE_CONFIGURATION = Service("intune", CONFIGURATION_READ, CONFIGURATION_WRITE)
INTUNE_DEVICES = Service("intune", DEVICES_READ)
DIRECTORY_USERS = Service("directory", USERS_READ)


def graph_enum(name, members):
    return Enum("microsoft.graph." + name, members)


# --- Intune assignments: targets the assign actions accept (deviceAndAppManagementAssignmentTarget and derived types) -
ASSIGNMENT_FILTER_TYPE = graph_enum("deviceAndAppManagementAssignmentFilterType", ("none", "include", "exclude"))
ASSIGNMENT_SOURCE = graph_enum("deviceAndAppManagementAssignmentSource", ("direct", "policySets"))
_TARGET_BASE = {"deviceAndAppManagementAssignmentFilterId": String(), "deviceAndAppManagementAssignmentFilterType": ASSIGNMENT_FILTER_TYPE}


def _target(name, extra=None, checks=()):
    return Complex("microsoft.graph." + name, dict(_TARGET_BASE, **(extra or {})), checks=checks,
                   defaults={"deviceAndAppManagementAssignmentFilterType": "none"})


def _target_group_id(target: dict):
    if not is_guid(target.get("groupId")):
        raise ValidationError("The groupId of an assignment target must be a valid group id (GUID), got '%s'." % target.get("groupId"))


ASSIGNMENT_TARGET = Derived("microsoft.graph.deviceAndAppManagementAssignmentTarget", (
    _target("groupAssignmentTarget", {"groupId": String()}, checks=(_target_group_id,)),
    _target("exclusionGroupAssignmentTarget", {"groupId": String()}, checks=(_target_group_id,)),
    _target("allDevicesAssignmentTarget"),
    _target("allLicensedUsersAssignmentTarget"),
    _target("configurationManagerCollectionAssignmentTarget", {"collectionId": String()}),
))


# --- the windowsUpdates deployment service: enums of several of its types -------------------------------------------
WU = "microsoft.graph.windowsUpdates."
QUALITY_UPDATE_CLASSIFICATION = Enum(WU + "qualityUpdateClassification", ("all", "security", "nonSecurity", "unknownFutureValue"))
QUALITY_UPDATE_CADENCE = Enum(WU + "qualityUpdateCadence", ("monthly", "outOfBand", "unknownFutureValue"))
