"""The entity and complex types the emulator serves, with Graph beta's property types and enum members.

Enum members come from Graph's beta metadata (as generated into msgraph-beta-sdk), which is wider than the API pages.
"""
from __future__ import annotations

from .validation import (
    Boolean, Collection, Complex, Date, DateTimeOffset, Derived, EdmType, EntityType, Enum, Int, String, ValidationError,
    int_range, is_guid, max_length, not_empty,
)

WINDOWS_UPDATE_STATUS = Enum("microsoft.graph.windowsUpdateStatus", ("upToDate", "pendingInstallation", "pendingReboot", "failed"))
MANAGED_DEVICE_ARCHITECTURE = Enum("microsoft.graph.managedDeviceArchitecture", ("unknown", "x86", "x64", "arm", "arM64"))
EDITION_TYPE = Enum(
    "microsoft.graph.managedDeviceWindowsOperatingSystemEditionType",
    ("professional", "professionalN", "enterprise", "enterpriseN", "education", "educationN", "proEducation", "proEducationN",
     "proWorkstation", "proWorkstationN", "unknownFutureValue"),
)
POLICY_PLATFORM_TYPE = Enum(
    "microsoft.graph.policyPlatformType",
    ("android", "androidForWork", "iOS", "macOS", "windowsPhone81", "windows81AndLater", "windows10AndLater", "androidWorkProfile",
     "windows10XProfile", "androidAOSP", "all"),
)
COMPLIANCE_STATUS = Enum(
    "microsoft.graph.complianceStatus",
    ("unknown", "notApplicable", "compliant", "remediated", "nonCompliant", "error", "conflict", "notAssigned"),
)
SETTING_SOURCE_TYPE = Enum("microsoft.graph.settingSourceType", ("deviceConfiguration", "deviceIntent"))

WINDOWS_UPDATE_READWRITE = ("WindowsUpdates.ReadWrite.All",)
CONFIGURATION_READ = ("DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All")
CONFIGURATION_WRITE = ("DeviceManagementConfiguration.ReadWrite.All",)
DEVICES_READ = ("DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All")
USERS_READ = ("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")


def _group_id_required(assigned: dict):
    if not is_guid(assigned.get("groupId")):
        raise ValidationError("The groupId of an assignedGroup must be a valid group id (GUID), got '%s'." % assigned.get("groupId"))


ASSIGNED_GROUP = Complex("microsoft.graph.windowsUpdates.assignedGroup", {"groupId": String()}, checks=(_group_id_required,))
INCLUDED_GROUP_ASSIGNMENT = Complex(
    "microsoft.graph.windowsUpdates.includedGroupAssignment", {"assignments": Collection(ASSIGNED_GROUP)}, omit_empty=("assignments",)
)
EXCLUDED_GROUP_ASSIGNMENT = Complex(
    "microsoft.graph.windowsUpdates.excludedGroupAssignment", {"assignments": Collection(ASSIGNED_GROUP)}, omit_empty=("assignments",)
)

# --- windowsUpdates deployment service: quality update policies, approvals, the catalog (beta metadata) ----------
WU = "microsoft.graph.windowsUpdates."
WINDOWS_UPDATE_READ = ("WindowsUpdates.Read.All", "WindowsUpdates.ReadWrite.All")
QUALITY_UPDATE_CLASSIFICATION = Enum(WU + "qualityUpdateClassification", ("all", "security", "nonSecurity", "unknownFutureValue"))
QUALITY_UPDATE_CADENCE = Enum(WU + "qualityUpdateCadence", ("monthly", "outOfBand", "unknownFutureValue"))
APPROVAL_STATUS = Enum(WU + "approvalStatus", ("approved", "suspended", "unknownFutureValue"))
CVE_SEVERITY_LEVEL = Enum(WU + "cveSeverityLevel", ("critical", "important", "moderate", "unknownFutureValue"))


def _deferral_range(rule: dict):
    value = rule.get("deferralInDays")
    if isinstance(value, int) and not 0 <= value <= 30:
        raise ValidationError("The value of deferralInDays must be between 0 and 30.")


QUALITY_UPDATE_APPROVAL_RULE = Complex(
    WU + "qualityUpdateApprovalRule",
    {"deferralInDays": Int(), "cadence": QUALITY_UPDATE_CADENCE, "classification": QUALITY_UPDATE_CLASSIFICATION},
    defaults={"deferralInDays": 0, "cadence": "monthly", "classification": "all"},
    checks=(_deferral_range,),
)
RECOVERY_APPROVAL_RULE = Complex(WU + "recoveryApprovalRule", {"deferralInDays": Int()}, defaults={"deferralInDays": 0},
                                 checks=(_deferral_range,))
APPROVAL_RULE = Derived(WU + "approvalRule", (QUALITY_UPDATE_APPROVAL_RULE, RECOVERY_APPROVAL_RULE))

# policy is abstract; qualityUpdatePolicy is its one derived type (Graph beta metadata).
POLICY = EntityType(
    WU + "qualityUpdatePolicy",
    {"displayName": String(), "description": String(), "approvalRules": Collection(APPROVAL_RULE)},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("displayName", "approvalRules"),
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500)),
    create_types=(WU + "qualityUpdatePolicy",),
    base_types=(WU + "policy",),
    timestamps=True,
)

POLICY_APPROVAL = EntityType(
    WU + "policyApproval",
    {"catalogEntryId": String(), "status": APPROVAL_STATUS},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("catalogEntryId",),
    defaults={"status": "approved"},
    timestamps=True,
)

KNOWLEDGE_BASE_ARTICLE = Complex(WU + "knowledgeBaseArticle", {"id": String(), "url": String()})
BUILD_VERSION_DETAILS = Complex(WU + "buildVersionDetails", {"majorVersion": Int(), "minorVersion": Int(), "buildNumber": Int(),
                                                             "updateBuildRevision": Int()})
PRODUCT_REVISION = Complex(WU + "productRevision", {
    "id": String(), "displayName": String(), "releaseDateTime": DateTimeOffset(), "version": String(), "product": String(),
    "isHotpatchUpdate": Boolean(), "osBuild": BUILD_VERSION_DETAILS, "knowledgeBaseArticle": KNOWLEDGE_BASE_ARTICLE,
}, defaults={"isHotpatchUpdate": False})


class Double(EdmType):
    edm = "Edm.Double"

    def convert(self, value, name):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Cannot convert the literal '%s' to the expected type 'Edm.Double'." % (value,))
        return value


CVE_INFORMATION = Complex(WU + "cveInformation", {"number": String(), "url": String()})
CVE_SEVERITY_INFORMATION = Complex(WU + "qualityUpdateCveSeverityInformation", {
    "exploitedCves": Collection(CVE_INFORMATION), "maxBaseScore": Double(), "maxSeverity": CVE_SEVERITY_LEVEL,
})

# catalogEntry <- softwareUpdateCatalogEntry <- quality / feature / driver / recovery (derived types, by @odata.type).
_CATALOG_COMMON = {"displayName": String(), "releaseDateTime": DateTimeOffset(), "deployableUntilDateTime": DateTimeOffset()}
CATALOG_ENTRY_TYPES = {
    WU + "qualityUpdateCatalogEntry": dict(_CATALOG_COMMON, **{
        "catalogName": String(), "shortName": String(), "isExpeditable": Boolean(),
        "qualityUpdateClassification": QUALITY_UPDATE_CLASSIFICATION, "qualityUpdateCadence": QUALITY_UPDATE_CADENCE,
        "cveSeverityInformation": CVE_SEVERITY_INFORMATION, "productRevisions": Collection(PRODUCT_REVISION)}),
    WU + "featureUpdateCatalogEntry": dict(_CATALOG_COMMON, **{"buildNumber": String(), "version": String()}),
    WU + "driverUpdateCatalogEntry": dict(_CATALOG_COMMON, **{
        "description": String(), "driverClass": String(), "manufacturer": String(), "provider": String(),
        "setupInformationFile": String(), "version": String(), "versionDateTime": DateTimeOffset()}),
    WU + "recoveryUpdateCatalogEntry": dict(_CATALOG_COMMON, **{"catalogName": String(), "productRevisions": Collection(PRODUCT_REVISION)}),
}
CATALOG_ENTRY_BASES = (WU + "softwareUpdateCatalogEntry", WU + "catalogEntry")


class CatalogEntryType(EntityType):
    """catalogEntry (abstract): each entry is one of the derived types; $select/$filter/$orderby know catalogEntry's properties."""

    def __init__(self):
        super().__init__(WU + "catalogEntry", dict(_CATALOG_COMMON), server_fields=("id",))
        self.type_bases = dict((name, CATALOG_ENTRY_BASES) for name in CATALOG_ENTRY_TYPES)

    def from_seed(self, data: dict) -> dict:
        type_name = (data.get("@odata.type") or "").lstrip("#")
        if type_name not in CATALOG_ENTRY_TYPES:
            raise ValidationError("A catalog entry needs an '@odata.type' naming one of %s, got '%s'."
                                  % (", ".join(sorted(CATALOG_ENTRY_TYPES)), data.get("@odata.type")))
        properties = CATALOG_ENTRY_TYPES[type_name]
        entity = {"@odata.type": "#" + type_name, "id": data["id"]}
        for key, prop in properties.items():
            value = data.get(key)
            if value is None:
                entity[key] = [] if isinstance(prop, Collection) else None
                continue
            entity[key] = prop.check(value, key)
        unknown = set(data) - set(properties) - {"@odata.type", "id"}
        if unknown:
            raise ValidationError("The property '%s' does not exist on type '%s'." % (sorted(unknown)[0], type_name))
        return entity


CATALOG_ENTRY = CatalogEntryType()

RING = EntityType(
    "microsoft.graph.windowsUpdates.qualityUpdateRing",
    {
        "displayName": String(),
        "description": String(),
        "includedGroupAssignment": INCLUDED_GROUP_ASSIGNMENT,
        "excludedGroupAssignment": EXCLUDED_GROUP_ASSIGNMENT,
        "deferralInDays": Int(),
        "isPaused": Boolean(),
        "isHotpatchEnabled": Boolean(),
    },
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("displayName",),
    defaults={
        "deferralInDays": 0,
        "isPaused": False,
        "isHotpatchEnabled": False,
        "includedGroupAssignment": INCLUDED_GROUP_ASSIGNMENT.empty(),
        "excludedGroupAssignment": EXCLUDED_GROUP_ASSIGNMENT.empty(),
    },
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500), int_range("deferralInDays", 0, 30)),
    create_types=("microsoft.graph.windowsUpdates.qualityUpdateRing",),
    base_types=("microsoft.graph.windowsUpdates.ring",),
    timestamps=True,
)

WINDOWS_UPDATE_STATE = EntityType(
    "microsoft.graph.windowsUpdateState",
    {
        "deviceId": String(),
        "userId": String(),
        "deviceDisplayName": String(),
        "userPrincipalName": String(),
        "status": WINDOWS_UPDATE_STATUS,
        "qualityUpdateVersion": String(),
        "featureUpdateVersion": String(),
        "lastScanDateTime": DateTimeOffset(),
        "lastSyncDateTime": DateTimeOffset(),
    },
    defaults={"status": "upToDate"},
)

OS_EDITION = Complex(
    "microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
    {"editionType": EDITION_TYPE, "supportEndDate": Date()},
    odata_type="microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
)
OS_UPDATE = Complex(
    "microsoft.graph.managedDeviceWindowsOperatingSystemUpdate",
    {"buildVersion": String(), "releaseMonth": Int(), "releaseYear": Int()},
    odata_type="microsoft.graph.managedDeviceWindowsOperatingSystemUpdate",
)
OS_IMAGE = EntityType(
    "microsoft.graph.managedDeviceWindowsOperatingSystemImage",
    {
        "supportedEditions": Collection(OS_EDITION),
        "supportedArchitectures": Collection(MANAGED_DEVICE_ARCHITECTURE),
        "availableUpdates": Collection(OS_UPDATE),
    },
)

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

# Read-only here, and open: seeded as given (derived types carry many more properties).
DEVICE_CONFIGURATION = EntityType(
    "microsoft.graph.deviceConfiguration",
    {"displayName": String(), "description": String(), "version": Int()},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    strict=False,
)
WUFB_CONFIGURATION_TYPE = "microsoft.graph.windowsUpdateForBusinessConfiguration"


class _Nullable(EdmType):
    """Seeds may leave a non-nullable property out; it is then returned as null, as a partial seed would be."""

    def __init__(self, inner):
        self.inner, self.edm = inner, inner.edm

    def convert(self, value, name):
        return self.inner.check(value, name)


class _Untyped(EdmType):
    """A complex or collection property the emulator keeps as given (never written by the modules)."""

    def convert(self, value, name):
        return value


# managedDevice: the primitive and enum properties of Graph beta's metadata (msgraph-beta-sdk's ManagedDevice), so
# that $select/$filter on a real property work and on a misspelled one fail as Graph does. Complex and collection
# properties are kept as given. Navigation properties (deviceConfigurationStates, ...) are not properties here.
COMPLIANCE_STATE = Enum("microsoft.graph.complianceState",
                        ("unknown", "compliant", "noncompliant", "conflict", "error", "inGracePeriod", "configManager"))
OWNER_TYPE = Enum("microsoft.graph.managedDeviceOwnerType", ("unknown", "company", "personal", "unknownFutureValue"))
MANAGEMENT_AGENT = Enum(
    "microsoft.graph.managementAgentType",
    ("eas", "mdm", "easMdm", "intuneClient", "easIntuneClient", "configurationManagerClient", "configurationManagerClientMdm",
     "configurationManagerClientMdmEas", "unknown", "jamf", "googleCloudDevicePolicyController", "microsoft365ManagedMdm", "msSense",
     "intuneAosp", "google", "unknownFutureValue"),
)
ENROLLMENT_TYPE = Enum(
    "microsoft.graph.deviceEnrollmentType",
    ("unknown", "userEnrollment", "deviceEnrollmentManager", "appleBulkWithUser", "appleBulkWithoutUser", "windowsAzureADJoin",
     "windowsBulkUserless", "windowsAutoEnrollment", "windowsBulkAzureDomainJoin", "windowsCoManagement",
     "windowsAzureADJoinUsingDeviceAuth", "appleUserEnrollment", "appleUserEnrollmentWithServiceAccount",
     "azureAdJoinUsingAzureVmExtension", "androidEnterpriseDedicatedDevice", "androidEnterpriseFullyManaged",
     "androidEnterpriseCorporateWorkProfile", "androidAOSPUserOwnedDeviceEnrollment", "androidAOSPUserlessDeviceEnrollment",
     "appleAccountDrivenUserEnrollment", "unknownFutureValue"),
)
REGISTRATION_STATE = Enum(
    "microsoft.graph.deviceRegistrationState",
    ("notRegistered", "registered", "revoked", "keyConflict", "approvalPending", "certificateReset", "notRegisteredPendingEnrollment",
     "unknown"),
)
MANAGEMENT_STATE = Enum(
    "microsoft.graph.managementState",
    ("managed", "retirePending", "retireFailed", "wipePending", "wipeFailed", "unhealthy", "deletePending", "retireIssued", "wipeIssued",
     "wipeCanceled", "retireCanceled", "discovered", "unknownFutureValue"),
)
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
_device_properties.update((name, _Nullable(Boolean())) for name in _DEVICE_BOOLEANS)
_device_properties.update((name, _Nullable(Int(64))) for name in _DEVICE_INT64)
_device_properties.update((name, _Nullable(Int())) for name in _DEVICE_INT32)
_device_properties.update((name, _Untyped()) for name in _DEVICE_UNTYPED)
_device_properties.update({
    "complianceState": _Nullable(COMPLIANCE_STATE), "managedDeviceOwnerType": _Nullable(OWNER_TYPE),
    "managementAgent": _Nullable(MANAGEMENT_AGENT), "deviceEnrollmentType": _Nullable(ENROLLMENT_TYPE),
    "deviceRegistrationState": _Nullable(REGISTRATION_STATE), "managementState": _Nullable(MANAGEMENT_STATE),
})
MANAGED_DEVICE = EntityType("microsoft.graph.managedDevice", _device_properties)
USER = EntityType("microsoft.graph.user", {"displayName": String(), "userPrincipalName": String()}, strict=False)


# --- Intune update ring profiles: windowsUpdateForBusinessConfiguration (beta metadata) -------------------------
from .validation import NullableInt, TimeOfDay, int_choices  # noqa: E402


def _enum(name, members):
    return Enum("microsoft.graph." + name, members)


AUTO_RESTART_NOTIFICATION_DISMISSAL = _enum("autoRestartNotificationDismissalMethod", ("notConfigured", "automatic", "user", "unknownFutureValue"))
AUTOMATIC_UPDATE_MODE = _enum("automaticUpdateMode", (
    "userDefined", "notifyDownload", "autoInstallAtMaintenanceTime", "autoInstallAndRebootAtMaintenanceTime",
    "autoInstallAndRebootAtScheduledTime", "autoInstallAndRebootWithoutEndUserControl", "windowsDefault"))
WINDOWS_UPDATE_TYPE = _enum("windowsUpdateType", (
    "userDefined", "all", "businessReadyOnly", "windowsInsiderBuildFast", "windowsInsiderBuildSlow", "windowsInsiderBuildRelease"))
DELIVERY_OPTIMIZATION_MODE = _enum("windowsDeliveryOptimizationMode", (
    "userDefined", "httpOnly", "httpWithPeeringNat", "httpWithPeeringPrivateGroup", "httpWithInternetPeering", "simpleDownload", "bypassMode"))
PRERELEASE_FEATURES = _enum("prereleaseFeatures", ("userDefined", "settingsOnly", "settingsAndExperimentations", "notAllowed"))
NOTIFICATION_DISPLAY = _enum("windowsUpdateNotificationDisplayOption", (
    "notConfigured", "defaultNotifications", "restartWarningsOnly", "disableAllNotifications", "unknownFutureValue"))
UPDATE_WEEKS = _enum("windowsUpdateForBusinessUpdateWeeks", (
    "userDefined", "firstWeek", "secondWeek", "thirdWeek", "fourthWeek", "everyWeek", "unknownFutureValue"))
ENABLEMENT = _enum("enablement", ("notConfigured", "enabled", "disabled"))
WEEKLY_SCHEDULE = _enum("weeklySchedule", (
    "userDefined", "everyday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "noScheduledScan"))
WINDOWS10_EDITION_TYPE = _enum("windows10EditionType", (
    "windows10Enterprise", "windows10EnterpriseN", "windows10Education", "windows10EducationN", "windows10MobileEnterprise",
    "windows10HolographicEnterprise", "windows10Professional", "windows10ProfessionalN", "windows10ProfessionalEducation",
    "windows10ProfessionalEducationN", "windows10ProfessionalWorkstation", "windows10ProfessionalWorkstationN", "notConfigured",
    "windows10Home", "windows10HomeChina", "windows10HomeN", "windows10HomeSingleLanguage", "windows10Mobile", "windows10IoTCore",
    "windows10IoTCoreCommercial"))
WINDOWS10_DEVICE_MODE = _enum("windows10DeviceModeType", ("standardConfiguration", "sModeConfiguration"))
RULE_TYPE = _enum("deviceManagementApplicabilityRuleType", ("include", "exclude"))

INSTALL_SCHEDULE = Derived("microsoft.graph.windowsUpdateInstallScheduleType", (
    Complex("microsoft.graph.windowsUpdateActiveHoursInstall", {"activeHoursStart": TimeOfDay(), "activeHoursEnd": TimeOfDay()},
            odata_type="microsoft.graph.windowsUpdateActiveHoursInstall"),
    Complex("microsoft.graph.windowsUpdateScheduledInstall", {"scheduledInstallDay": WEEKLY_SCHEDULE, "scheduledInstallTime": TimeOfDay()},
            odata_type="microsoft.graph.windowsUpdateScheduledInstall"),
))
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
DEVICE_CONFIGURATION_BASE = {
    "displayName": String(), "description": String(), "roleScopeTagIds": Collection(String()),
    "deviceManagementApplicabilityRuleOsEdition": RULE_OS_EDITION, "deviceManagementApplicabilityRuleOsVersion": RULE_OS_VERSION,
    "deviceManagementApplicabilityRuleDeviceMode": RULE_DEVICE_MODE,
}
DEVICE_CONFIGURATION_SERVER = ("id", "createdDateTime", "lastModifiedDateTime", "version", "supportsScopeTags")

WUFB_CONFIGURATION = EntityType(
    WUFB_CONFIGURATION_TYPE,
    dict(DEVICE_CONFIGURATION_BASE, **{
        "allowWindows11Upgrade": Boolean(),
        "autoRestartNotificationDismissal": AUTO_RESTART_NOTIFICATION_DISMISSAL,
        "automaticUpdateMode": AUTOMATIC_UPDATE_MODE,
        "businessReadyUpdatesOnly": WINDOWS_UPDATE_TYPE,
        "deadlineForFeatureUpdatesInDays": NullableInt(),
        "deadlineForQualityUpdatesInDays": NullableInt(),
        "deadlineGracePeriodInDays": NullableInt(),
        "deliveryOptimizationMode": DELIVERY_OPTIMIZATION_MODE,
        "driversExcluded": Boolean(),
        "engagedRestartDeadlineInDays": NullableInt(),
        "engagedRestartSnoozeScheduleInDays": NullableInt(),
        "engagedRestartTransitionScheduleInDays": NullableInt(),
        "featureUpdatesDeferralPeriodInDays": Int(),
        "featureUpdatesPauseExpiryDateTime": DateTimeOffset(),
        "featureUpdatesPaused": Boolean(),
        "featureUpdatesRollbackStartDateTime": DateTimeOffset(),
        "featureUpdatesRollbackWindowInDays": NullableInt(),
        "featureUpdatesWillBeRolledBack": Boolean(),
        "installationSchedule": INSTALL_SCHEDULE,
        "microsoftUpdateServiceAllowed": Boolean(),
        "postponeRebootUntilAfterDeadline": Boolean(),
        "prereleaseFeatures": PRERELEASE_FEATURES,
        "qualityUpdatesDeferralPeriodInDays": Int(),
        "qualityUpdatesPauseExpiryDateTime": DateTimeOffset(),
        "qualityUpdatesPaused": Boolean(),
        "qualityUpdatesRollbackStartDateTime": DateTimeOffset(),
        "qualityUpdatesWillBeRolledBack": Boolean(),
        "scheduleImminentRestartWarningInMinutes": NullableInt(),
        "scheduleRestartWarningInHours": NullableInt(),
        "skipChecksBeforeRestart": Boolean(),
        "updateNotificationLevel": NOTIFICATION_DISPLAY,
        "updateWeeks": UPDATE_WEEKS,
        "userPauseAccess": ENABLEMENT,
        "userWindowsUpdateScanAccess": ENABLEMENT,
    }),
    # read-only: the pause start dates are set by the service when a pause starts
    server_fields=DEVICE_CONFIGURATION_SERVER + ("qualityUpdatesPauseStartDate", "featureUpdatesPauseStartDate"),
    required=("displayName",),
    defaults={
        "roleScopeTagIds": ["0"], "allowWindows11Upgrade": False, "autoRestartNotificationDismissal": "notConfigured",
        "automaticUpdateMode": "userDefined", "businessReadyUpdatesOnly": "userDefined", "deliveryOptimizationMode": "userDefined",
        "driversExcluded": False, "featureUpdatesDeferralPeriodInDays": 0, "featureUpdatesPaused": False,
        "featureUpdatesRollbackWindowInDays": 10, "featureUpdatesWillBeRolledBack": False, "microsoftUpdateServiceAllowed": True,
        "postponeRebootUntilAfterDeadline": False, "prereleaseFeatures": "userDefined", "qualityUpdatesDeferralPeriodInDays": 0,
        "qualityUpdatesPaused": False, "qualityUpdatesWillBeRolledBack": False, "skipChecksBeforeRestart": False,
        "updateNotificationLevel": "defaultNotifications", "updateWeeks": "userDefined", "userPauseAccess": "notConfigured",
        "userWindowsUpdateScanAccess": "notConfigured",
    },
    checks=(
        not_empty("displayName"),
        int_range("qualityUpdatesDeferralPeriodInDays", 0, 30), int_range("featureUpdatesDeferralPeriodInDays", 0, 365),
        int_range("deadlineForFeatureUpdatesInDays", 0, 30), int_range("deadlineForQualityUpdatesInDays", 0, 30),
        int_range("deadlineGracePeriodInDays", 0, 7), int_range("engagedRestartDeadlineInDays", 2, 30),
        int_range("engagedRestartSnoozeScheduleInDays", 1, 3), int_range("engagedRestartTransitionScheduleInDays", 0, 30),
        int_range("featureUpdatesRollbackWindowInDays", 2, 60),
        int_choices("scheduleImminentRestartWarningInMinutes", (15, 30, 60)), int_choices("scheduleRestartWarningInHours", (2, 4, 8, 12, 24)),
    ),
    create_types=(WUFB_CONFIGURATION_TYPE,),
    base_types=("microsoft.graph.deviceConfiguration",),
    timestamps=True,
)

# Assignment targets the assign action accepts (deviceAndAppManagementAssignmentTarget and derived types).
ASSIGNMENT_FILTER_TYPE = _enum("deviceAndAppManagementAssignmentFilterType", ("none", "include", "exclude"))
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
DEVICE_CONFIG_ASSIGNMENT_INTENT = _enum("deviceConfigAssignmentIntent", ("apply", "remove"))
DEVICE_CONFIGURATION_ASSIGNMENT = Complex("microsoft.graph.deviceConfigurationAssignment", {
    "target": ASSIGNMENT_TARGET, "intent": DEVICE_CONFIG_ASSIGNMENT_INTENT, "source": String(), "sourceId": String(), "id": String(),
}, defaults={"intent": "apply"})
