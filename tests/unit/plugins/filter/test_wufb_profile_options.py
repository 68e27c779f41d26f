# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.graphops.intune.plugins.filter.wufb_profile_options import wufb_profile_options
from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import WUFB_CONFIGURATION

G1 = '0b1c2d3e-0000-4000-8000-00000000a001'


def test_profile_to_options_round_trips_to_no_patch():
    profile = {
        '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', 'id': 'x', 'version': 4,
        'displayName': 'WUfB - Pilot', 'description': None, 'roleScopeTagIds': ['0'],
        'qualityUpdatesDeferralPeriodInDays': 2, 'qualityUpdatesPaused': False, 'qualityUpdatesPauseStartDate': '2024-01-01',
        'automaticUpdateMode': 'autoInstallAtMaintenanceTime', 'scheduleRestartWarningInHours': None,
        'installationSchedule': {'@odata.type': 'microsoft.graph.windowsUpdateActiveHoursInstall',
                                 'activeHoursStart': '08:00:00.0000000', 'activeHoursEnd': '18:00:00.0000000'},
        'deviceManagementApplicabilityRuleOsEdition': None,
        'assignments': [{'id': 'a', 'target': {'@odata.type': '#microsoft.graph.groupAssignmentTarget', 'groupId': G1}},
                        {'id': 'b', 'target': {'@odata.type': '#microsoft.graph.allDevicesAssignmentTarget'}}],
    }
    options = wufb_profile_options(profile)
    assert options == {
        'display_name': 'WUfB - Pilot', 'role_scope_tag_ids': ['0'], 'quality_updates_deferral_period_in_days': 2,
        'quality_updates_paused': False, 'automatic_update_mode': 'autoInstallAtMaintenanceTime',
        'installation_schedule': {'active_hours_start': '08:00:00.0000000', 'active_hours_end': '18:00:00.0000000'},
        'included_group_ids': [G1], 'excluded_group_ids': [], 'all_devices': True, 'all_users': False}
    params = dict((option, None) for option in WUFB_CONFIGURATION.field_specs())
    params.update((k, v) for k, v in options.items() if k in params)
    schedule = dict.fromkeys(('active_hours_start', 'active_hours_end', 'scheduled_install_day', 'scheduled_install_time'))
    schedule.update(options['installation_schedule'])
    params['installation_schedule'] = schedule
    desired = WUFB_CONFIGURATION.desired(params)
    assert WUFB_CONFIGURATION.patch(desired, profile) == {}


def test_without_assignments_no_assignment_option():
    assert wufb_profile_options({'displayName': 'P'}) == {'display_name': 'P'}


def test_not_a_dict():
    with pytest.raises(AnsibleFilterError, match='expected a profile'):
        wufb_profile_options(['x'])
