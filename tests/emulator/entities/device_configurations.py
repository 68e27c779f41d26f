"""Intune device configurations: /deviceManagement/deviceConfigurations, polymorphic.

deviceConfiguration is abstract. Its derived types the emulator knows strictly are declared with base=DEVICE_CONFIGURATIONS
(wufb_configurations.py): those are created (by @odata.type) and updated. Configurations of other types are open:
seeded as given, read-only apart from delete. Every configuration has assignments (GET .../assignments, POST .../assign).
"""
from __future__ import annotations

from ..declaration import Assignments, Entity
from ..schema import ASSIGNMENT_SOURCE, ASSIGNMENT_TARGET, INTUNE_CONFIGURATION, graph_enum
from ..validation import Collection, Complex, EntityType, Int, String

DEVICE_CONFIG_ASSIGNMENT_INTENT = graph_enum("deviceConfigAssignmentIntent", ("apply", "remove"))
DEVICE_CONFIGURATION_ASSIGNMENT = Complex("microsoft.graph.deviceConfigurationAssignment", {
    "target": ASSIGNMENT_TARGET, "intent": DEVICE_CONFIG_ASSIGNMENT_INTENT, "source": ASSIGNMENT_SOURCE, "sourceId": String(), "id": String(),
}, defaults={"intent": "apply"})

RULE_TYPE = graph_enum("deviceManagementApplicabilityRuleType", ("include", "exclude"))
WINDOWS10_EDITION_TYPE = graph_enum("windows10EditionType", (
    "windows10Enterprise", "windows10EnterpriseN", "windows10Education", "windows10EducationN", "windows10MobileEnterprise",
    "windows10HolographicEnterprise", "windows10Professional", "windows10ProfessionalN", "windows10ProfessionalEducation",
    "windows10ProfessionalEducationN", "windows10ProfessionalWorkstation", "windows10ProfessionalWorkstationN", "notConfigured",
    "windows10Home", "windows10HomeChina", "windows10HomeN", "windows10HomeSingleLanguage", "windows10Mobile", "windows10IoTCore",
    "windows10IoTCoreCommercial"))
WINDOWS10_DEVICE_MODE = graph_enum("windows10DeviceModeType", ("standardConfiguration", "sModeConfiguration"))
RULE_OS_EDITION = Complex("microsoft.graph.deviceManagementApplicabilityRuleOsEdition",
                          {"osEditionTypes": Collection(WINDOWS10_EDITION_TYPE), "name": String(), "ruleType": RULE_TYPE},
                          odata_type="microsoft.graph.deviceManagementApplicabilityRuleOsEdition")
RULE_OS_VERSION = Complex("microsoft.graph.deviceManagementApplicabilityRuleOsVersion",
                          {"minOSVersion": String(), "maxOSVersion": String(), "name": String(), "ruleType": RULE_TYPE},
                          odata_type="microsoft.graph.deviceManagementApplicabilityRuleOsVersion")
RULE_DEVICE_MODE = Complex("microsoft.graph.deviceManagementApplicabilityRuleDeviceMode",
                           {"deviceMode": WINDOWS10_DEVICE_MODE, "name": String(), "ruleType": RULE_TYPE},
                           odata_type="microsoft.graph.deviceManagementApplicabilityRuleDeviceMode")

# Writable deviceConfiguration (base type) properties: a PATCH without @odata.type is read against these only.
BASE_PROPERTIES = {
    "displayName": String(), "description": String(), "roleScopeTagIds": Collection(String()),
    "deviceManagementApplicabilityRuleOsEdition": RULE_OS_EDITION, "deviceManagementApplicabilityRuleOsVersion": RULE_OS_VERSION,
    "deviceManagementApplicabilityRuleDeviceMode": RULE_DEVICE_MODE,
}
SERVER_FIELDS = ("id", "createdDateTime", "lastModifiedDateTime", "version", "supportsScopeTags")
BASE_TYPE = EntityType("microsoft.graph.deviceConfiguration", BASE_PROPERTIES, server_fields=SERVER_FIELDS)

# Read-only here, and open: seeded as given (derived types carry many more properties).
DEVICE_CONFIGURATION = EntityType(
    "microsoft.graph.deviceConfiguration",
    {"displayName": String(), "description": String(), "version": Int()},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    strict=False,
)


def _source(config: dict) -> dict:
    return {"source": "direct", "sourceId": config["id"]}


DEVICE_CONFIGURATIONS = Entity(
    "deviceConfiguration", DEVICE_CONFIGURATION, plural="device configurations",
    path=("deviceManagement", "deviceConfigurations"), key="configId", store="deviceConfigurations",
    seed=("deviceManagement", "deviceConfigurations"), service=INTUNE_CONFIGURATION,
    assignments=Assignments(DEVICE_CONFIGURATION_ASSIGNMENT, store="configurationAssignments",
                            parameters=("assignments", "deviceConfigurationGroupAssignments"), stamp=_source),
)
