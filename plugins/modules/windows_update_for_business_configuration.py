#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_for_business_configuration
short_description: Manage Intune update ring profiles (Windows Update for Business configurations) and their assignments
version_added: 0.2.0
description:
  - Create, update and delete Intune "Update ring for Windows 10 and later" profiles, device configurations of type
    C(#microsoft.graph.windowsUpdateForBusinessConfiguration) at C(/deviceManagement/deviceConfigurations), through
    the Microsoft Graph beta API, together with their assignments.
  - The profile is found by O(device_configuration_id), or by O(display_name), which must then be unique among the
    Windows Update for Business profiles (listed with an C(isof()) filter; other device configuration types are never
    touched).
  - Only the options that are set are managed. Values are compared semantically (enums in any casing, instants as
    instants, times of day as times, lists as sets), and the PATCH holds only the fields that differ.
  - Assignments are desired state too. When any of O(included_group_ids), O(excluded_group_ids), O(all_devices),
    O(all_users) is set, the current assignments are read (C(GET .../assignments)) and compared as a set of targets; one
    C(POST .../assign) with the whole new set is sent only when it differs. Target kinds whose option is not set are
    kept as they are.
  - A second run with the same options reads the profile (and its assignments when managed) and sends no write.
  - Pausing is O(quality_updates_paused) and O(feature_updates_paused).
  - The profile's device update states are managed with M(graphops.intune.device_update_state), whose
    O(graphops.intune.device_update_state#module:device_configuration_id) is this module's O(device_configuration_id).
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.natural_key
  - graphops.intune.assignments
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change, assignments included.
  diff_mode:
    support: full
    description: Shows the profile before and after as Graph returns it, with an C(assignments) summary when assignments are managed.
options:
  device_configuration_id:
    description:
      - ID of the profile. When given with O(display_name), the profile is renamed.
      - A profile cannot be created with a chosen ID; a missing O(device_configuration_id) with O(state=present) fails.
      - An ID of a device configuration of another type fails without any write.
    type: str
  display_name:
    description:
      - Name of the profile (C(displayName)). Identifies it when O(device_configuration_id) is not given. Required to create one.
    type: str
  description:
    description:
      - Admin description of the profile (C(description)).
    type: str
  role_scope_tag_ids:
    description:
      - Scope tag IDs of the profile (C(roleScopeTagIds)). Compared as a set.
    type: list
    elements: str
  applicability_rule_os_edition:
    description:
      - Applicability rule by Windows edition (C(deviceManagementApplicabilityRuleOsEdition)). Only the sub-options given are compared.
    type: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
      os_edition_types:
        description:
          - Editions (C(osEditionTypes)), compared as a set in any casing. Graph beta's C(windows10EditionType) members, for
            example V(windows10Enterprise), V(windows10Professional), V(windows10Education), V(windows10Home).
        type: list
        elements: str
      rule_type:
        description: V(include) or V(exclude) (C(ruleType)).
        type: str
  applicability_rule_os_version:
    description:
      - Applicability rule by Windows version (C(deviceManagementApplicabilityRuleOsVersion)). Only the sub-options given are compared.
    type: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
      min_os_version:
        description: Lowest OS version (C(minOSVersion)), e.g. C(10.0.19045).
        type: str
      max_os_version:
        description: Highest OS version (C(maxOSVersion)).
        type: str
      rule_type:
        description: V(include) or V(exclude) (C(ruleType)).
        type: str
  applicability_rule_device_mode:
    description:
      - Applicability rule by device mode (C(deviceManagementApplicabilityRuleDeviceMode)). Only the sub-options given are compared.
    type: dict
    suboptions:
      name:
        description: Name of the rule.
        type: str
      device_mode:
        description: V(standardConfiguration) or V(sModeConfiguration) (C(deviceMode)).
        type: str
      rule_type:
        description: V(include) or V(exclude) (C(ruleType)).
        type: str
  allow_windows11_upgrade:
    description:
      - Whether eligible Windows 10 devices may upgrade to Windows 11 (C(allowWindows11Upgrade)).
    type: bool
  auto_restart_notification_dismissal:
    description:
      - How the auto-restart required notification is dismissed (C(autoRestartNotificationDismissal)).
      - One of V(notConfigured), V(automatic), V(user), V(unknownFutureValue), in any casing.
    type: str
  automatic_update_mode:
    description:
      - Automatic update behaviour (C(automaticUpdateMode)).
      - One of V(userDefined), V(notifyDownload), V(autoInstallAtMaintenanceTime), V(autoInstallAndRebootAtMaintenanceTime),
        V(autoInstallAndRebootAtScheduledTime), V(autoInstallAndRebootWithoutEndUserControl), V(windowsDefault), in any casing.
    type: str
  business_ready_updates_only:
    description:
      - Servicing channel the devices get updates from (C(businessReadyUpdatesOnly)).
      - One of V(userDefined), V(all), V(businessReadyOnly), V(windowsInsiderBuildFast), V(windowsInsiderBuildSlow),
        V(windowsInsiderBuildRelease), in any casing.
    type: str
  deadline_for_feature_updates_in_days:
    description:
      - Days before feature updates install automatically (C(deadlineForFeatureUpdatesInDays)), 0 to 30.
    type: int
  deadline_for_quality_updates_in_days:
    description:
      - Days before quality updates install automatically (C(deadlineForQualityUpdatesInDays)), 0 to 30.
    type: int
  deadline_grace_period_in_days:
    description:
      - Days after the deadline until restarts occur automatically (C(deadlineGracePeriodInDays)), 0 to 7.
    type: int
  delivery_optimization_mode:
    description:
      - Delivery Optimization mode for peer distribution (C(deliveryOptimizationMode)).
      - One of V(userDefined), V(httpOnly), V(httpWithPeeringNat), V(httpWithPeeringPrivateGroup), V(httpWithInternetPeering),
        V(simpleDownload), V(bypassMode), in any casing.
    type: str
  drivers_excluded:
    description:
      - Whether Windows Update drivers are excluded (C(driversExcluded)).
    type: bool
  engaged_restart_deadline_in_days:
    description:
      - Days before a pending restart is scheduled and run outside active hours (C(engagedRestartDeadlineInDays)), 2 to 30.
    type: int
  engaged_restart_snooze_schedule_in_days:
    description:
      - Days a user can snooze engaged restart reminders (C(engagedRestartSnoozeScheduleInDays)), 1 to 3.
    type: int
  engaged_restart_transition_schedule_in_days:
    description:
      - Days before auto restarts transition to engaged restart (C(engagedRestartTransitionScheduleInDays)), 0 to 30.
    type: int
  feature_updates_deferral_period_in_days:
    description:
      - Days feature updates are deferred (C(featureUpdatesDeferralPeriodInDays)), 0 to 365 (the limit of the admin center
        and of the Windows policy behind it).
    type: int
  feature_updates_pause_expiry_date_time:
    description:
      - When the feature update pause ends (C(featureUpdatesPauseExpiryDateTime)), an ISO 8601 date-time with an offset.
        Intune sets it to 35 days after the pause when it is left out.
    type: str
  feature_updates_paused:
    description:
      - Whether feature updates are paused (C(featureUpdatesPaused)), for up to 35 days.
    type: bool
  feature_updates_rollback_start_date_time:
    description:
      - When feature updates were rolled back (C(featureUpdatesRollbackStartDateTime)), an ISO 8601 date-time with an offset.
    type: str
  feature_updates_rollback_window_in_days:
    description:
      - Days after a feature update during which a rollback is valid (C(featureUpdatesRollbackWindowInDays)), 2 to 60.
    type: int
  feature_updates_will_be_rolled_back:
    description:
      - Whether feature updates are rolled back at the next device check-in (C(featureUpdatesWillBeRolledBack)).
    type: bool
  installation_schedule:
    description:
      - When updates install (C(installationSchedule)). Either active hours (O(installation_schedule.active_hours_start),
        O(installation_schedule.active_hours_end); sent as C(windowsUpdateActiveHoursInstall)) or a scheduled install
        (O(installation_schedule.scheduled_install_day), O(installation_schedule.scheduled_install_time); sent as
        C(windowsUpdateScheduledInstall)).
      - Times of day are C(hh:mm) or C(hh:mm:ss) and compare as times.
    type: dict
    suboptions:
      active_hours_start:
        description: Start of active hours (C(activeHoursStart)).
        type: str
      active_hours_end:
        description: End of active hours (C(activeHoursEnd)).
        type: str
      scheduled_install_day:
        description:
          - Day of the scheduled install (C(scheduledInstallDay)). One of V(userDefined), V(everyday), V(sunday), V(monday),
            V(tuesday), V(wednesday), V(thursday), V(friday), V(saturday), V(noScheduledScan), in any casing.
        type: str
      scheduled_install_time:
        description: Time of the scheduled install (C(scheduledInstallTime)).
        type: str
  microsoft_update_service_allowed:
    description:
      - Whether the Microsoft Update service is allowed (C(microsoftUpdateServiceAllowed)).
    type: bool
  postpone_reboot_until_after_deadline:
    description:
      - Whether devices wait for the deadline before restarting outside active hours (C(postponeRebootUntilAfterDeadline)).
    type: bool
  prerelease_features:
    description:
      - Pre-release features (C(prereleaseFeatures)). One of V(userDefined), V(settingsOnly), V(settingsAndExperimentations),
        V(notAllowed), in any casing.
    type: str
  quality_updates_deferral_period_in_days:
    description:
      - Days quality updates are deferred (C(qualityUpdatesDeferralPeriodInDays)), 0 to 30.
    type: int
  quality_updates_pause_expiry_date_time:
    description:
      - When the quality update pause ends (C(qualityUpdatesPauseExpiryDateTime)), an ISO 8601 date-time with an offset.
        Intune sets it to 35 days after the pause when it is left out.
    type: str
  quality_updates_paused:
    description:
      - Whether quality updates are paused (C(qualityUpdatesPaused)), for up to 35 days. The emergency stop of a ring.
    type: bool
  quality_updates_rollback_start_date_time:
    description:
      - When quality updates were rolled back (C(qualityUpdatesRollbackStartDateTime)), an ISO 8601 date-time with an offset.
    type: str
  quality_updates_will_be_rolled_back:
    description:
      - Whether quality updates are rolled back at the next device check-in (C(qualityUpdatesWillBeRolledBack)).
    type: bool
  schedule_imminent_restart_warning_in_minutes:
    description:
      - Period of auto-restart imminent warnings in minutes (C(scheduleImminentRestartWarningInMinutes)).
    type: int
    choices: [15, 30, 60]
  schedule_restart_warning_in_hours:
    description:
      - Period of auto-restart warning reminders in hours (C(scheduleRestartWarningInHours)).
    type: int
    choices: [2, 4, 8, 12, 24]
  skip_checks_before_restart:
    description:
      - Whether all checks before a restart (battery, user presence, presentation mode, ...) are skipped (C(skipChecksBeforeRestart)).
    type: bool
  update_notification_level:
    description:
      - Update notifications shown to users (C(updateNotificationLevel)). One of V(notConfigured), V(defaultNotifications),
        V(restartWarningsOnly), V(disableAllNotifications), V(unknownFutureValue), in any casing.
    type: str
  update_weeks:
    description:
      - Weeks of the month of the scheduled install (C(updateWeeks), a flags enum). A list of V(userDefined), V(firstWeek),
        V(secondWeek), V(thirdWeek), V(fourthWeek), V(everyWeek), V(unknownFutureValue), in any casing, for example
        V([firstWeek, thirdWeek]); a single week as a string is accepted too.
      - Sent in Graph's comma-joined form (C(firstWeek,thirdWeek)) and compared as a set, so the order does not matter.
    type: list
    elements: str
  user_pause_access:
    description:
      - Whether users may pause updates (C(userPauseAccess)). One of V(notConfigured), V(enabled), V(disabled), in any casing.
    type: str
  user_windows_update_scan_access:
    description:
      - Whether users may scan for updates (C(userWindowsUpdateScanAccess)). One of V(notConfigured), V(enabled), V(disabled),
        in any casing.
    type: str
  state:
    description:
      - V(present) creates the profile or brings it to the given values; V(absent) deletes it (with its assignments).
    type: str
    default: present
    choices: [present, absent]
notes:
  - Read-only properties (C(version), C(supportsScopeTags), C(qualityUpdatesPauseStartDate), C(featureUpdatesPauseStartDate),
    timestamps) are returned but are not options.
seealso:
  - module: graphops.intune.windows_update_for_business_configuration_info
  - module: graphops.intune.device_update_state
  - name: windowsUpdateForBusinessConfiguration (Microsoft Graph beta)
    description: The resource this module manages.
    link: https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windowsupdateforbusinessconfiguration?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Pilot update ring profile, assigned to the pilot group
  graphops.intune.windows_update_for_business_configuration:
    display_name: WUfB - Pilot
    description: Pilot devices, quality updates after 2 days
    quality_updates_deferral_period_in_days: 2
    feature_updates_deferral_period_in_days: 30
    deadline_for_quality_updates_in_days: 3
    deadline_grace_period_in_days: 2
    automatic_update_mode: autoInstallAtMaintenanceTime
    business_ready_updates_only: all
    drivers_excluded: false
    allow_windows11_upgrade: true
    user_pause_access: disabled
    update_notification_level: defaultNotifications
    installation_schedule:
      active_hours_start: "08:00"
      active_hours_end: "17:00"
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
    excluded_group_ids:
      - 0b1c2d3e-0000-4000-8000-00000000b001

- name: Emergency stop - pause quality updates of a profile by id
  graphops.intune.windows_update_for_business_configuration:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    quality_updates_paused: true

- name: Broad ring for every device
  graphops.intune.windows_update_for_business_configuration:
    display_name: WUfB - Broad
    quality_updates_deferral_period_in_days: 7
    all_devices: true

- name: Remove a retired profile
  graphops.intune.windows_update_for_business_configuration:
    display_name: WUfB - Old
    state: absent
'''

RETURN = r'''
deleted_duplicates:
  description:
    - IDs of the copies of the display name that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
    - With C(--diff), each is also shown as a removed entity.
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
configuration:
  description:
    - The profile as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the profile as it would be; a profile that would be created has no C(id) yet.
    - An empty dict when the profile is absent.
  returned: always
  type: dict
  sample:
    id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    displayName: WUfB - Pilot ring
    qualityUpdatesDeferralPeriodInDays: 5
    featureUpdatesDeferralPeriodInDays: 30
    qualityUpdatesPaused: false
    automaticUpdateMode: autoInstallAtMaintenanceTime
    roleScopeTagIds: ["0"]
    version: 3
assignments:
  description:
    - The assignment targets the profile has after the change (in check mode, would have), by kind.
    - C(other) lists targets of kinds without an option (for example a Configuration Manager collection), kept as they are.
  returned: when an assignment option is set
  type: dict
  sample:
    included_group_ids: [4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f]
    excluded_group_ids: []
    all_devices: false
    all_users: false
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors
  type: int
  sample: 400
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
  sample: BadRequest
request_id:
  description: C(request-id) of the failed Graph request, for Microsoft support.
  returned: on Graph errors
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import WUFB_CONFIGURATION
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(WUFB_CONFIGURATION)


if __name__ == '__main__':
    main()
