"""Intune update ring profiles: windowsUpdateForBusinessConfiguration, a derived deviceConfiguration (beta metadata).

Created by POST /deviceManagement/deviceConfigurations with its @odata.type, updated by PATCH (read as the base type
without @odata.type), served under its type cast segment .../{id}/microsoft.graph.windowsUpdateForBusinessConfiguration.
"""
from __future__ import annotations

import datetime

from ..declaration import Entity
from ..messages import utc_now
from ..schema import graph_enum
from ..validation import (
    Boolean, Complex, DateTimeOffset, Derived, EntityType, Flags, Int, NullableInt, TimeOfDay, format_datetime, int_choices, int_range,
    not_empty,
)
from .device_configurations import BASE_PROPERTIES, BASE_TYPE, DEVICE_CONFIGURATIONS, SERVER_FIELDS

WUFB_CONFIGURATION_TYPE = "microsoft.graph.windowsUpdateForBusinessConfiguration"

AUTO_RESTART_NOTIFICATION_DISMISSAL = graph_enum("autoRestartNotificationDismissalMethod",
                                                 ("notConfigured", "automatic", "user", "unknownFutureValue"))
AUTOMATIC_UPDATE_MODE = graph_enum("automaticUpdateMode", (
    "userDefined", "notifyDownload", "autoInstallAtMaintenanceTime", "autoInstallAndRebootAtMaintenanceTime",
    "autoInstallAndRebootAtScheduledTime", "autoInstallAndRebootWithoutEndUserControl", "windowsDefault"))
WINDOWS_UPDATE_TYPE = graph_enum("windowsUpdateType", (
    "userDefined", "all", "businessReadyOnly", "windowsInsiderBuildFast", "windowsInsiderBuildSlow", "windowsInsiderBuildRelease"))
DELIVERY_OPTIMIZATION_MODE = graph_enum("windowsDeliveryOptimizationMode", (
    "userDefined", "httpOnly", "httpWithPeeringNat", "httpWithPeeringPrivateGroup", "httpWithInternetPeering", "simpleDownload", "bypassMode"))
PRERELEASE_FEATURES = graph_enum("prereleaseFeatures", ("userDefined", "settingsOnly", "settingsAndExperimentations", "notAllowed"))
NOTIFICATION_DISPLAY = graph_enum("windowsUpdateNotificationDisplayOption", (
    "notConfigured", "defaultNotifications", "restartWarningsOnly", "disableAllNotifications", "unknownFutureValue"))
# A flags enum in the metadata: Graph writes several weeks comma-joined ("firstWeek,thirdWeek").
UPDATE_WEEKS = Flags("microsoft.graph.windowsUpdateForBusinessUpdateWeeks", (
    "userDefined", "firstWeek", "secondWeek", "thirdWeek", "fourthWeek", "everyWeek", "unknownFutureValue"))
ENABLEMENT = graph_enum("enablement", ("notConfigured", "enabled", "disabled"))
WEEKLY_SCHEDULE = graph_enum("weeklySchedule", (
    "userDefined", "everyday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "noScheduledScan"))

INSTALL_SCHEDULE = Derived("microsoft.graph.windowsUpdateInstallScheduleType", (
    Complex("microsoft.graph.windowsUpdateActiveHoursInstall", {"activeHoursStart": TimeOfDay(), "activeHoursEnd": TimeOfDay()},
            odata_type="microsoft.graph.windowsUpdateActiveHoursInstall"),
    Complex("microsoft.graph.windowsUpdateScheduledInstall", {"scheduledInstallDay": WEEKLY_SCHEDULE, "scheduledInstallTime": TimeOfDay()},
            odata_type="microsoft.graph.windowsUpdateScheduledInstall"),
))

WUFB_CONFIGURATION = EntityType(
    WUFB_CONFIGURATION_TYPE,
    dict(BASE_PROPERTIES, **{
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
    server_fields=SERVER_FIELDS + ("qualityUpdatesPauseStartDate", "featureUpdatesPauseStartDate"),
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


def _pause_dates(before: dict, after: dict):
    """The service stamps the pause start date (and a 35-day expiry unless given) when a pause begins."""
    today = utc_now()
    for kind in ("quality", "feature"):
        paused = "%sUpdatesPaused" % kind
        if after.get(paused) and not before.get(paused):
            after["%sUpdatesPauseStartDate" % kind] = today.date().isoformat()
            expiry = "%sUpdatesPauseExpiryDateTime" % kind
            if not after.get(expiry) or after.get(expiry) == before.get(expiry):
                after[expiry] = format_datetime(today + datetime.timedelta(days=35))


def _created(ctx, entity: dict):
    entity["version"] = 1
    entity["supportsScopeTags"] = True
    entity["qualityUpdatesPauseStartDate"] = entity["featureUpdatesPauseStartDate"] = None
    _pause_dates({}, entity)


def _updated(ctx, before: dict, after: dict):
    _pause_dates(before, after)
    after["version"] = int(before.get("version") or 0) + 1


WUFB_CONFIGURATIONS = Entity(
    "windowsUpdateForBusinessConfiguration", WUFB_CONFIGURATION, base=DEVICE_CONFIGURATIONS, cast=True,
    on_create=_created, on_update=_updated, untyped_patch=BASE_TYPE,
    # server-owned properties a seed may leave out
    seed_defaults={"version": 1, "supportsScopeTags": True, "qualityUpdatesPauseStartDate": None, "featureUpdatesPauseStartDate": None},
)
