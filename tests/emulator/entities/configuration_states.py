"""Configuration states of a managed device: .../managedDevices/{id}/deviceConfigurationStates (under both device paths)."""
from __future__ import annotations

from ..declaration import Entity, Service
from ..schema import CONFIGURATION_READ, CONFIGURATION_WRITE, DEVICES_READ, graph_enum
from ..validation import Collection, Complex, EntityType, Int, String
from .managed_devices import MANAGED_DEVICES

POLICY_PLATFORM_TYPE = graph_enum("policyPlatformType", (
    "android", "androidForWork", "iOS", "macOS", "windowsPhone81", "windows81AndLater", "windows10AndLater", "androidWorkProfile",
    "windows10XProfile", "androidAOSP", "all"))
COMPLIANCE_STATUS = graph_enum("complianceStatus", (
    "unknown", "notApplicable", "compliant", "remediated", "nonCompliant", "error", "conflict", "notAssigned"))
SETTING_SOURCE_TYPE = graph_enum("settingSourceType", ("deviceConfiguration", "deviceIntent"))

SETTING_SOURCE = Complex(
    "microsoft.graph.settingSource",
    {"id": String(), "displayName": String(), "sourceType": SETTING_SOURCE_TYPE},
    odata_type="microsoft.graph.settingSource",
    defaults={"sourceType": "deviceConfiguration"},
)
SETTING_STATE = Complex(
    "microsoft.graph.deviceConfigurationSettingState",
    {
        "setting": String(),
        "settingName": String(),
        "instanceDisplayName": String(),
        "state": COMPLIANCE_STATUS,
        "errorCode": Int(64),
        "errorDescription": String(),
        "userId": String(),
        "userName": String(),
        "userEmail": String(),
        "userPrincipalName": String(),
        "sources": Collection(SETTING_SOURCE),
        "currentValue": String(),
        "settingInstanceId": String(),
    },
    odata_type="microsoft.graph.deviceConfigurationSettingState",
    defaults={"state": "unknown", "errorCode": 0},
)
CONFIGURATION_STATE = EntityType(
    "microsoft.graph.deviceConfigurationState",
    {
        "settingStates": Collection(SETTING_STATE),
        "displayName": String(),
        "version": Int(),
        "platformType": POLICY_PLATFORM_TYPE,
        "state": COMPLIANCE_STATUS,
        "settingCount": Int(),
        "userId": String(),
        "userPrincipalName": String(),
    },
    defaults={"version": 0, "platformType": "android", "state": "unknown", "settingCount": 0},
)

CONFIGURATION_STATES = Entity(
    "deviceConfigurationState", CONFIGURATION_STATE, parent=MANAGED_DEVICES, path=("deviceConfigurationStates",), key="stateId",
    store="configurationStates", service=Service("intune", CONFIGURATION_READ + DEVICES_READ, CONFIGURATION_WRITE),
)
