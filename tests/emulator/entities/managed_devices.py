"""Intune managed devices: /deviceManagement/managedDevices and /users/{id}/managedDevices (read-only, seeded or generated)."""
from __future__ import annotations

from ..declaration import Entity, View
from ..schema import INTUNE_DEVICES, graph_enum
from ..validation import Boolean, DateTimeOffset, EntityType, Int, Nullable, String, Untyped
from .users import USERS

# managedDevice: the primitive and enum properties of Graph beta's metadata (msgraph-beta-sdk's ManagedDevice), so
# that $select/$filter on a real property work and on a misspelled one fail as Graph does. Complex and collection
# properties are kept as given. Navigation properties (deviceConfigurationStates, ...) are not properties here.
COMPLIANCE_STATE = graph_enum("complianceState", (
    "unknown", "compliant", "noncompliant", "conflict", "error", "inGracePeriod", "configManager"))
OWNER_TYPE = graph_enum("managedDeviceOwnerType", ("unknown", "company", "personal", "unknownFutureValue"))
MANAGEMENT_AGENT = graph_enum("managementAgentType", (
    "eas", "mdm", "easMdm", "intuneClient", "easIntuneClient", "configurationManagerClient", "configurationManagerClientMdm",
    "configurationManagerClientMdmEas", "unknown", "jamf", "googleCloudDevicePolicyController", "microsoft365ManagedMdm", "msSense",
    "intuneAosp", "google", "unknownFutureValue"))
ENROLLMENT_TYPE = graph_enum("deviceEnrollmentType", (
    "unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
    "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
    "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount",
    "azureAdJoinUsingAzureVmExtension", "androidEnterpriseDedicatedDevice", "androidEnterpriseFullyManaged",
    "androidEnterpriseCorporateWorkProfile", "androidAOSPUserOwnedDeviceEnrollment", "androidAOSPUserlessDeviceEnrollment",
    "appleAccountDrivenUserEnrollment", "unknownFutureValue"))
REGISTRATION_STATE = graph_enum("deviceRegistrationState", (
    "notRegistered", "registered", "revoked", "keyConflict", "approvalPending", "certificateReset",
    "notRegisteredPendingEnrollment", "unknown"))
MANAGEMENT_STATE = graph_enum("managementState", (
    "managed", "retirePending", "retireFailed", "wipePending", "wipeFailed", "unhealthy", "deletePending", "retireIssued",
    "wipeIssued", "wipeCanceled", "retireCanceled", "discovered", "unknownFutureValue"))
_DEVICE_STRINGS = (
    "deviceName", "managedDeviceName", "userId", "userPrincipalName", "userDisplayName", "emailAddress", "operatingSystem",
    "osVersion", "azureADDeviceId", "azureActiveDirectoryDeviceId", "serialNumber", "manufacturer", "model", "imei", "meid", "udid",
    "iccid", "phoneNumber", "subscriberCarrier", "wiFiMacAddress", "ethernetMacAddress", "easDeviceId", "enrollmentProfileName",
    "enrolledByUserPrincipalName", "deviceCategoryDisplayName", "notes", "jailBroken", "androidSecurityPatchLevel",
    "securityPatchLevel", "skuFamily", "specificationVersion", "activationLockBypassCode", "remoteAssistanceSessionUrl",
    "remoteAssistanceSessionErrorDetails",
)
_DEVICE_DATES = (
    "enrolledDateTime", "lastSyncDateTime", "easActivationDateTime", "exchangeLastSuccessfulSyncDateTime",
    "complianceGracePeriodExpirationDateTime", "managementCertificateExpirationDate", "preferMdmOverGroupPolicyAppliedDateTime",
    "retireAfterDateTime",
)
_DEVICE_BOOLEANS = (
    "aadRegistered", "azureADRegistered", "autopilotEnrolled", "bootstrapTokenEscrowed", "easActivated", "isEncrypted", "isSupervised",
    "deviceFirmwareConfigurationInterfaceManaged", "requireUserEnrollmentApproval",
)
_DEVICE_INT64 = ("freeStorageSpaceInBytes", "totalStorageSpaceInBytes", "physicalMemoryInBytes")
_DEVICE_INT32 = ("skuNumber", "windowsActiveMalwareCount", "windowsRemediatedMalwareCount")
_DEVICE_UNTYPED = (
    "hardwareInformation", "deviceHealthAttestationState", "configurationManagerClientEnabledFeatures",
    "configurationManagerClientHealthState", "configurationManagerClientInformation", "deviceActionResults", "usersLoggedOn",
    "chromeOSDeviceInfo", "cloudPcRemoteActionResults", "roleScopeTagIds", "deviceType", "chassisType", "joinType",
    "lostModeState", "managementFeatures", "ownerType", "partnerReportedThreatState", "exchangeAccessState",
    "exchangeAccessStateReason", "processorArchitecture",
)
_device_properties = {}
_device_properties.update((name, String()) for name in _DEVICE_STRINGS)
_device_properties.update((name, DateTimeOffset()) for name in _DEVICE_DATES)
_device_properties.update((name, Nullable(Boolean())) for name in _DEVICE_BOOLEANS)
_device_properties.update((name, Nullable(Int(64))) for name in _DEVICE_INT64)
_device_properties.update((name, Nullable(Int())) for name in _DEVICE_INT32)
_device_properties.update((name, Untyped()) for name in _DEVICE_UNTYPED)
_device_properties.update({
    "complianceState": Nullable(COMPLIANCE_STATE), "managedDeviceOwnerType": Nullable(OWNER_TYPE),
    "managementAgent": Nullable(MANAGEMENT_AGENT), "deviceEnrollmentType": Nullable(ENROLLMENT_TYPE),
    "deviceRegistrationState": Nullable(REGISTRATION_STATE), "managementState": Nullable(MANAGEMENT_STATE),
})
MANAGED_DEVICE = EntityType("microsoft.graph.managedDevice", _device_properties)


def _of_user(user: dict, device: dict) -> bool:
    return (device.get("userId") or "").lower() == user["id"].lower()


MANAGED_DEVICES = Entity(
    "managedDevice", MANAGED_DEVICE, path=("deviceManagement", "managedDevices"), key="deviceId", store="managedDevices",
    seed=("deviceManagement", "managedDevices"), methods=("GET",), service=INTUNE_DEVICES,
    views=[View(USERS, ("managedDevices",), _of_user)],
)
