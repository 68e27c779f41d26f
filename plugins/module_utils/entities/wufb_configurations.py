# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Intune update ring profile entity (windowsUpdateForBusinessConfiguration, a derived
deviceConfiguration), shared by windows_update_for_business_configuration(_info).

Fields and enum members are Graph beta's metadata (msgraph-beta-sdk models
windows_update_for_business_configuration.py, device_configuration.py and their enums);
ranges are those the metadata and the resource page state. Read-only properties (version,
supportsScopeTags, qualityUpdatesPauseStartDate, featureUpdatesPauseStartDate, timestamps)
are not options.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    BoolField, DateTimeField, EnumField, FlagsEnumField, IntField, ListField, ObjectField, StrField, TimeField)
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Listing

ODATA_TYPE = '#microsoft.graph.windowsUpdateForBusinessConfiguration'
CAST = 'microsoft.graph.windowsUpdateForBusinessConfiguration'
ASSIGNMENTS = Assignments('#microsoft.graph.deviceConfigurationAssignment')

# Enums (microsoft.graph.*), in Graph's casing.
AUTO_RESTART_NOTIFICATION_DISMISSAL = ('notConfigured', 'automatic', 'user', 'unknownFutureValue')  # autoRestartNotificationDismissalMethod
AUTOMATIC_UPDATE_MODE = ('userDefined', 'notifyDownload', 'autoInstallAtMaintenanceTime', 'autoInstallAndRebootAtMaintenanceTime',
                         'autoInstallAndRebootAtScheduledTime', 'autoInstallAndRebootWithoutEndUserControl', 'windowsDefault')
WINDOWS_UPDATE_TYPE = ('userDefined', 'all', 'businessReadyOnly', 'windowsInsiderBuildFast', 'windowsInsiderBuildSlow',
                       'windowsInsiderBuildRelease')
DELIVERY_OPTIMIZATION_MODE = ('userDefined', 'httpOnly', 'httpWithPeeringNat', 'httpWithPeeringPrivateGroup', 'httpWithInternetPeering',
                              'simpleDownload', 'bypassMode')  # windowsDeliveryOptimizationMode
PRERELEASE_FEATURES = ('userDefined', 'settingsOnly', 'settingsAndExperimentations', 'notAllowed')
NOTIFICATION_LEVEL = ('notConfigured', 'defaultNotifications', 'restartWarningsOnly', 'disableAllNotifications',
                      'unknownFutureValue')  # windowsUpdateNotificationDisplayOption
UPDATE_WEEKS = ('userDefined', 'firstWeek', 'secondWeek', 'thirdWeek', 'fourthWeek', 'everyWeek',
                'unknownFutureValue')  # windowsUpdateForBusinessUpdateWeeks
ENABLEMENT = ('notConfigured', 'enabled', 'disabled')
WEEKLY_SCHEDULE = ('userDefined', 'everyday', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
                   'noScheduledScan')
WINDOWS10_EDITION_TYPE = (
    'windows10Enterprise', 'windows10EnterpriseN', 'windows10Education', 'windows10EducationN', 'windows10MobileEnterprise',
    'windows10HolographicEnterprise', 'windows10Professional', 'windows10ProfessionalN', 'windows10ProfessionalEducation',
    'windows10ProfessionalEducationN', 'windows10ProfessionalWorkstation', 'windows10ProfessionalWorkstationN', 'notConfigured',
    'windows10Home', 'windows10HomeChina', 'windows10HomeN', 'windows10HomeSingleLanguage', 'windows10Mobile', 'windows10IoTCore',
    'windows10IoTCoreCommercial')
WINDOWS10_DEVICE_MODE = ('standardConfiguration', 'sModeConfiguration')
RULE_TYPE = ('include', 'exclude')  # deviceManagementApplicabilityRuleType

ACTIVE_HOURS_INSTALL = '#microsoft.graph.windowsUpdateActiveHoursInstall'
SCHEDULED_INSTALL = '#microsoft.graph.windowsUpdateScheduledInstall'


def _days(option, graph, low, high):
    return IntField(option, graph, minimum=low, maximum=high)


FIELDS = [
    # deviceConfiguration
    StrField('display_name', 'displayName'),
    StrField('description', 'description'),
    ListField('role_scope_tag_ids', 'roleScopeTagIds'),
    ObjectField('applicability_rule_os_edition', 'deviceManagementApplicabilityRuleOsEdition',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleOsEdition', fields=[
                    StrField('name', 'name'),
                    ListField('os_edition_types', 'osEditionTypes', item=EnumField(choices=WINDOWS10_EDITION_TYPE)),
                    EnumField('rule_type', 'ruleType', RULE_TYPE)]),
    ObjectField('applicability_rule_os_version', 'deviceManagementApplicabilityRuleOsVersion',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleOsVersion', fields=[
                    StrField('name', 'name'),
                    StrField('min_os_version', 'minOSVersion'),
                    StrField('max_os_version', 'maxOSVersion'),
                    EnumField('rule_type', 'ruleType', RULE_TYPE)]),
    ObjectField('applicability_rule_device_mode', 'deviceManagementApplicabilityRuleDeviceMode',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleDeviceMode', fields=[
                    StrField('name', 'name'),
                    EnumField('device_mode', 'deviceMode', WINDOWS10_DEVICE_MODE),
                    EnumField('rule_type', 'ruleType', RULE_TYPE)]),
    # windowsUpdateForBusinessConfiguration
    BoolField('allow_windows11_upgrade', 'allowWindows11Upgrade'),
    EnumField('auto_restart_notification_dismissal', 'autoRestartNotificationDismissal', AUTO_RESTART_NOTIFICATION_DISMISSAL),
    EnumField('automatic_update_mode', 'automaticUpdateMode', AUTOMATIC_UPDATE_MODE),
    EnumField('business_ready_updates_only', 'businessReadyUpdatesOnly', WINDOWS_UPDATE_TYPE),
    _days('deadline_for_feature_updates_in_days', 'deadlineForFeatureUpdatesInDays', 0, 30),
    _days('deadline_for_quality_updates_in_days', 'deadlineForQualityUpdatesInDays', 0, 30),
    _days('deadline_grace_period_in_days', 'deadlineGracePeriodInDays', 0, 7),
    EnumField('delivery_optimization_mode', 'deliveryOptimizationMode', DELIVERY_OPTIMIZATION_MODE),
    BoolField('drivers_excluded', 'driversExcluded'),
    _days('engaged_restart_deadline_in_days', 'engagedRestartDeadlineInDays', 2, 30),
    _days('engaged_restart_snooze_schedule_in_days', 'engagedRestartSnoozeScheduleInDays', 1, 3),
    _days('engaged_restart_transition_schedule_in_days', 'engagedRestartTransitionScheduleInDays', 0, 30),
    # The metadata's description says 0 to 30, the resource page and the admin center allow up to 365.
    _days('feature_updates_deferral_period_in_days', 'featureUpdatesDeferralPeriodInDays', 0, 365),
    DateTimeField('feature_updates_pause_expiry_date_time', 'featureUpdatesPauseExpiryDateTime'),
    BoolField('feature_updates_paused', 'featureUpdatesPaused'),
    DateTimeField('feature_updates_rollback_start_date_time', 'featureUpdatesRollbackStartDateTime'),
    _days('feature_updates_rollback_window_in_days', 'featureUpdatesRollbackWindowInDays', 2, 60),
    BoolField('feature_updates_will_be_rolled_back', 'featureUpdatesWillBeRolledBack'),
    # abstract windowsUpdateInstallScheduleType: the sub-options given pick the derived type
    ObjectField('installation_schedule', 'installationSchedule', variants=(
        (ACTIVE_HOURS_INSTALL, ('active_hours_start', 'active_hours_end')),
        (SCHEDULED_INSTALL, ('scheduled_install_day', 'scheduled_install_time'))), fields=[
            TimeField('active_hours_start', 'activeHoursStart'),
            TimeField('active_hours_end', 'activeHoursEnd'),
            EnumField('scheduled_install_day', 'scheduledInstallDay', WEEKLY_SCHEDULE),
            TimeField('scheduled_install_time', 'scheduledInstallTime')]),
    BoolField('microsoft_update_service_allowed', 'microsoftUpdateServiceAllowed'),
    BoolField('postpone_reboot_until_after_deadline', 'postponeRebootUntilAfterDeadline'),
    EnumField('prerelease_features', 'prereleaseFeatures', PRERELEASE_FEATURES),
    _days('quality_updates_deferral_period_in_days', 'qualityUpdatesDeferralPeriodInDays', 0, 30),
    DateTimeField('quality_updates_pause_expiry_date_time', 'qualityUpdatesPauseExpiryDateTime'),
    BoolField('quality_updates_paused', 'qualityUpdatesPaused'),
    DateTimeField('quality_updates_rollback_start_date_time', 'qualityUpdatesRollbackStartDateTime'),
    BoolField('quality_updates_will_be_rolled_back', 'qualityUpdatesWillBeRolledBack'),
    IntField('schedule_imminent_restart_warning_in_minutes', 'scheduleImminentRestartWarningInMinutes', choices=(15, 30, 60)),
    IntField('schedule_restart_warning_in_hours', 'scheduleRestartWarningInHours', choices=(2, 4, 8, 12, 24)),
    BoolField('skip_checks_before_restart', 'skipChecksBeforeRestart'),
    EnumField('update_notification_level', 'updateNotificationLevel', NOTIFICATION_LEVEL),
    FlagsEnumField('update_weeks', 'updateWeeks', UPDATE_WEEKS),
    EnumField('user_pause_access', 'userPauseAccess', ENABLEMENT),
    EnumField('user_windows_update_scan_access', 'userWindowsUpdateScanAccess', ENABLEMENT),
]

WUFB_CONFIGURATION = Entity(
    name='Windows Update for Business configuration',
    result_key='configuration',
    collection=lambda p: ('deviceManagement', 'deviceConfigurations'),
    id_option='device_configuration_id',
    natural_key='display_name',
    odata_type=ODATA_TYPE,
    patch_odata_type=True,  # Intune reads a PATCH of a derived deviceConfiguration by its @odata.type
    required_on_create=('display_name',),
    list_query={'$filter': "isof('%s')" % CAST},
    derived_type=True,
    fields=FIELDS,
    assignments=ASSIGNMENTS,
    listing=Listing('configurations'),
)
