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

import re

from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity

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

_TIME = re.compile(r'^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$')


def parse_time_of_day(value):
    """Edm.TimeOfDay 'hh:mm[:ss[.fffffff]]' -> 100 ns ticks since midnight; ValueError if malformed."""
    match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError('%r is not a time of day hh:mm[:ss] (e.g. 08:00:00)' % (value,))
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError('%r is not a valid time of day' % (value,))
    return ((hour * 60 + minute) * 60 + second) * 10 ** 7 + int((match.group(4) or '').ljust(7, '0'))


class TimeField(Field):
    """An Edm.TimeOfDay: compared as a time ('08:00' equals '08:00:00.0000000'), sent as hh:mm:ss."""

    def validate(self, value, label=None):
        if value is None:
            return None
        try:
            ticks = parse_time_of_day(value)
        except ValueError as exc:
            raise ValueError('%s: %s' % (label or self.option, exc))
        seconds = ticks // 10 ** 7
        return '%02d:%02d:%02d' % (seconds // 3600, seconds // 60 % 60, seconds % 60)

    @staticmethod
    def _ticks(value):
        try:
            return parse_time_of_day(value) if value is not None else None
        except ValueError:
            return value  # a value Graph returns never fails here

    def equal(self, desired, current):
        return self._ticks(desired) == self._ticks(current)


class ChoiceIntField(Field):
    """An Int32 that takes only some values (15, 30 or 60 minutes)."""

    def __init__(self, option, graph, values):
        super(ChoiceIntField, self).__init__(option, graph, kind='int')
        self.values = tuple(values)

    def spec(self):
        return {'type': 'int', 'choices': list(self.values)}

    def validate(self, value, label=None):
        if value is not None and value not in self.values:
            raise ValueError('%s must be one of %s, got %s' % (label or self.option, ', '.join(str(v) for v in self.values), value))
        return value


class ObjectField(Field):
    """One complex value (a dict of sub-fields). Only the sub-options the task gives are compared;
    a derived complex type is named by `odata_type` on the wire."""

    def __init__(self, option, graph, fields, odata_type=None):
        super(ObjectField, self).__init__(option, graph, kind='object', fields=fields, odata_type=odata_type)

    def spec(self):
        return {'type': 'dict', 'options': dict((f.option, f.spec()) for f in self.fields)}

    def validate(self, value, label=None):
        if value is None:
            return None
        label = label or self.option
        normal = {}
        errors = []
        for field in self.fields:
            try:
                sub = field.validate(value.get(field.option), '%s.%s' % (label, field.option))
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if sub is not None:
                normal[field.option] = sub
        if errors:
            raise ValueError('; '.join(errors))
        return normal

    def to_wire(self, value):
        wire = {'@odata.type': self.odata_type} if self.odata_type else {}
        for field in self.fields:
            if field.option in value:
                wire[field.graph] = field.to_wire(value[field.option])
        return wire

    def from_wire(self, wire):
        if not isinstance(wire, dict):
            return None
        return dict((f.option, f.from_wire(wire.get(f.graph))) for f in self.fields if wire.get(f.graph) is not None)

    def equal(self, desired, current):
        current = current or {}
        by_option = dict((f.option, f) for f in self.fields)
        return all(by_option[name].equal(value, current.get(name)) for name, value in desired.items())


class InstallScheduleField(ObjectField):
    """installationSchedule: abstract windowsUpdateInstallScheduleType; the sub-options given pick
    windowsUpdateActiveHoursInstall (active hours) or windowsUpdateScheduledInstall (day + time)."""

    ACTIVE = ('active_hours_start', 'active_hours_end')
    SCHEDULED = ('scheduled_install_day', 'scheduled_install_time')

    def __init__(self):
        super(InstallScheduleField, self).__init__('installation_schedule', 'installationSchedule', fields=[
            TimeField('active_hours_start', 'activeHoursStart'),
            TimeField('active_hours_end', 'activeHoursEnd'),
            Field('scheduled_install_day', 'scheduledInstallDay', kind='enum', choices=WEEKLY_SCHEDULE),
            TimeField('scheduled_install_time', 'scheduledInstallTime'),
        ])

    def validate(self, value, label=None):
        normal = super(InstallScheduleField, self).validate(value, label)
        if normal is None:
            return None
        if any(k in normal for k in self.ACTIVE) and any(k in normal for k in self.SCHEDULED):
            raise ValueError('installation_schedule takes either active_hours_start/active_hours_end or '
                             'scheduled_install_day/scheduled_install_time, not both')
        if not normal:
            raise ValueError('installation_schedule needs active_hours_start/active_hours_end or '
                             'scheduled_install_day/scheduled_install_time')
        return normal

    @classmethod
    def variant(cls, value):
        return SCHEDULED_INSTALL if any(k in (value or {}) for k in cls.SCHEDULED) else ACTIVE_HOURS_INSTALL

    def to_wire(self, value):
        wire = {'@odata.type': self.variant(value)}
        wire.update(super(InstallScheduleField, self).to_wire(value))
        return wire

    def from_wire(self, wire):
        value = super(InstallScheduleField, self).from_wire(wire)
        if value is not None:
            value['_type'] = '#' + str(wire.get('@odata.type') or '').lstrip('#')
        return value

    def equal(self, desired, current):
        if not current or str(current.get('_type', '')).lower() != self.variant(desired).lower():
            return False
        return super(InstallScheduleField, self).equal(desired, dict((k, v) for k, v in current.items() if k != '_type'))


def _days(option, graph, low, high):
    return Field(option, graph, kind='int', minimum=low, maximum=high)


FIELDS = [
    # deviceConfiguration
    Field('display_name', 'displayName'),
    Field('description', 'description'),
    Field('role_scope_tag_ids', 'roleScopeTagIds', kind='list'),
    ObjectField('applicability_rule_os_edition', 'deviceManagementApplicabilityRuleOsEdition',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleOsEdition', fields=[
                    Field('name', 'name'),
                    Field('os_edition_types', 'osEditionTypes', kind='list', element='enum', choices=WINDOWS10_EDITION_TYPE),
                    Field('rule_type', 'ruleType', kind='enum', choices=RULE_TYPE)]),
    ObjectField('applicability_rule_os_version', 'deviceManagementApplicabilityRuleOsVersion',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleOsVersion', fields=[
                    Field('name', 'name'),
                    Field('min_os_version', 'minOSVersion'),
                    Field('max_os_version', 'maxOSVersion'),
                    Field('rule_type', 'ruleType', kind='enum', choices=RULE_TYPE)]),
    ObjectField('applicability_rule_device_mode', 'deviceManagementApplicabilityRuleDeviceMode',
                odata_type='microsoft.graph.deviceManagementApplicabilityRuleDeviceMode', fields=[
                    Field('name', 'name'),
                    Field('device_mode', 'deviceMode', kind='enum', choices=WINDOWS10_DEVICE_MODE),
                    Field('rule_type', 'ruleType', kind='enum', choices=RULE_TYPE)]),
    # windowsUpdateForBusinessConfiguration
    Field('allow_windows11_upgrade', 'allowWindows11Upgrade', kind='bool'),
    Field('auto_restart_notification_dismissal', 'autoRestartNotificationDismissal', kind='enum', choices=AUTO_RESTART_NOTIFICATION_DISMISSAL),
    Field('automatic_update_mode', 'automaticUpdateMode', kind='enum', choices=AUTOMATIC_UPDATE_MODE),
    Field('business_ready_updates_only', 'businessReadyUpdatesOnly', kind='enum', choices=WINDOWS_UPDATE_TYPE),
    _days('deadline_for_feature_updates_in_days', 'deadlineForFeatureUpdatesInDays', 0, 30),
    _days('deadline_for_quality_updates_in_days', 'deadlineForQualityUpdatesInDays', 0, 30),
    _days('deadline_grace_period_in_days', 'deadlineGracePeriodInDays', 0, 7),
    Field('delivery_optimization_mode', 'deliveryOptimizationMode', kind='enum', choices=DELIVERY_OPTIMIZATION_MODE),
    Field('drivers_excluded', 'driversExcluded', kind='bool'),
    _days('engaged_restart_deadline_in_days', 'engagedRestartDeadlineInDays', 2, 30),
    _days('engaged_restart_snooze_schedule_in_days', 'engagedRestartSnoozeScheduleInDays', 1, 3),
    _days('engaged_restart_transition_schedule_in_days', 'engagedRestartTransitionScheduleInDays', 0, 30),
    # The metadata's description says 0 to 30, the resource page and the admin center allow up to 365.
    _days('feature_updates_deferral_period_in_days', 'featureUpdatesDeferralPeriodInDays', 0, 365),
    Field('feature_updates_pause_expiry_date_time', 'featureUpdatesPauseExpiryDateTime', kind='datetime'),
    Field('feature_updates_paused', 'featureUpdatesPaused', kind='bool'),
    Field('feature_updates_rollback_start_date_time', 'featureUpdatesRollbackStartDateTime', kind='datetime'),
    _days('feature_updates_rollback_window_in_days', 'featureUpdatesRollbackWindowInDays', 2, 60),
    Field('feature_updates_will_be_rolled_back', 'featureUpdatesWillBeRolledBack', kind='bool'),
    InstallScheduleField(),
    Field('microsoft_update_service_allowed', 'microsoftUpdateServiceAllowed', kind='bool'),
    Field('postpone_reboot_until_after_deadline', 'postponeRebootUntilAfterDeadline', kind='bool'),
    Field('prerelease_features', 'prereleaseFeatures', kind='enum', choices=PRERELEASE_FEATURES),
    _days('quality_updates_deferral_period_in_days', 'qualityUpdatesDeferralPeriodInDays', 0, 30),
    Field('quality_updates_pause_expiry_date_time', 'qualityUpdatesPauseExpiryDateTime', kind='datetime'),
    Field('quality_updates_paused', 'qualityUpdatesPaused', kind='bool'),
    Field('quality_updates_rollback_start_date_time', 'qualityUpdatesRollbackStartDateTime', kind='datetime'),
    Field('quality_updates_will_be_rolled_back', 'qualityUpdatesWillBeRolledBack', kind='bool'),
    ChoiceIntField('schedule_imminent_restart_warning_in_minutes', 'scheduleImminentRestartWarningInMinutes', (15, 30, 60)),
    ChoiceIntField('schedule_restart_warning_in_hours', 'scheduleRestartWarningInHours', (2, 4, 8, 12, 24)),
    Field('skip_checks_before_restart', 'skipChecksBeforeRestart', kind='bool'),
    Field('update_notification_level', 'updateNotificationLevel', kind='enum', choices=NOTIFICATION_LEVEL),
    Field('update_weeks', 'updateWeeks', kind='enum', choices=UPDATE_WEEKS),
    Field('user_pause_access', 'userPauseAccess', kind='enum', choices=ENABLEMENT),
    Field('user_windows_update_scan_access', 'userWindowsUpdateScanAccess', kind='enum', choices=ENABLEMENT),
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
)
