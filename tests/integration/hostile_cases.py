# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hostile-input and fault tables of tests/integration/test_hostile.py, and the README table they keep true.

BAD_INPUTS: (class, case id, module, args, expected message fragment). Each must fail with that
message and send no request at all (no Graph, no Entra) — every case of one run together leaves the
emulator's log empty.

FAULT_GROUPS: one ansible-playbook run each. Faults are injected in order with times=1 and each task
of a group makes exactly one request the faults match (max_retries 0 unless the case recovers), so
each fault is consumed by its own task; the test checks that every fault was hit once.

`python tests/integration/hostile_cases.py` prints the README table.
"""

from __future__ import annotations

import collections
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'README.md')
TABLE_START = '<!-- hostile-table: generated from tests/integration/hostile_cases.py; test_hostile.py keeps it true -->'
TABLE_END = '<!-- /hostile-table -->'

# Ids of tests/emulator/seed.yml (as in conftest.py; repeated so that this file imports nothing).
POLICY = '9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11'
EMPTY_POLICY = '0e5b7d21-6c3f-4a9e-b2d8-7f1c4e9a3b22'
RING0 = 'a2c7637a-cda5-e59e-2385-972c4ee528d2'
WUFB_CONFIG = 'b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01'
DEVICE1 = 'd1e2f3a4-0000-4000-8000-000000000001'
DRIVER_PROFILE = 'd7e1a0c5-0000-4000-8000-0000000000d1'
DRIVER = 'd7e1a0c5-0000-4000-8000-00000000d001'
P = 'graphops.intune.'

# -- bad inputs ------------------------------------------------------------------------------------
# Every id option of every module: the valid arguments around it, and the options that become path segments.
ID_OPTIONS = [
    ('windows_update_ring', {'policy_id': POLICY, 'ring_id': RING0}, ['policy_id', 'ring_id']),
    ('windows_update_ring_info', {'policy_id': POLICY}, ['policy_id', 'ring_id']),
    ('device_update_state', {'device_configuration_id': WUFB_CONFIG, 'device_id': DEVICE1}, ['device_configuration_id', 'id']),
    ('device_update_state_info', {'device_configuration_id': WUFB_CONFIG}, ['device_configuration_id', 'id']),
    ('windows_os_image', {'id': 'Windows 11 22H1', 'supported_architectures': ['x64']}, ['id']),
    ('windows_os_image_info', {}, ['id']),
    ('device_configuration_state', {'managed_device_id': DEVICE1, 'display_name': 'x'}, ['managed_device_id', 'user_id', 'id']),
    ('device_configuration_state_info', {'managed_device_id': DEVICE1}, ['managed_device_id', 'user_id', 'id']),
    ('windows_update_for_business_configuration', {'device_configuration_id': WUFB_CONFIG, 'quality_updates_paused': True},
     ['device_configuration_id']),
    ('windows_update_for_business_configuration_info', {}, ['device_configuration_id']),
    ('windows_update_policy', {'display_name': 'P'}, ['policy_id']),
    ('windows_update_policy_info', {}, ['policy_id']),
    ('windows_update_policy_approval', {'policy_id': POLICY, 'catalog_entry_id': 'c1'}, ['policy_id', 'catalog_entry_id']),
    ('windows_update_policy_approval_info', {'policy_id': POLICY}, ['policy_id', 'approval_id']),
    ('windows_update_catalog_info', {}, ['catalog_entry_id']),
    ('windows_quality_update_policy', {'display_name': 'P', 'hotpatch_enabled': True}, ['policy_id']),
    ('windows_quality_update_policy_info', {}, ['policy_id']),
    ('windows_driver_update_profile', {'display_name': 'P', 'approval_type': 'manual'}, ['profile_id']),
    ('windows_driver_update_profile_info', {}, ['profile_id']),
    ('windows_driver_update_inventory_info', {'profile_id': DRIVER_PROFILE}, ['profile_id', 'driver_id']),
    ('windows_driver_approval', {'profile_id': DRIVER_PROFILE, 'approval_status': 'approved', 'driver_ids': [DRIVER]}, ['profile_id']),
    ('intune_report_export', {'report_name': 'DriverUpdatePolicyStatusSummary'}, ['job_id']),
    ('windows_feature_update_profile', {'display_name': 'P', 'feature_update_version': 'Windows 11, version 24H2'}, ['profile_id']),
    ('windows_feature_update_profile_info', {}, ['profile_id']),
    ('windows_quality_update_profile', {'display_name': 'P', 'quality_update_release': '2024-04-09'}, ['profile_id']),
    ('windows_quality_update_profile_info', {}, ['profile_id']),
]
BAD_IDS = [
    ('id is . or ..', 'dot', '.', "is '.', which URL normalisation would remove"),
    ('id is . or ..', 'dotdot', '..', "is '..', which URL normalisation would remove"),
    ('id is . or ..', 'padded-dotdot', ' .. ', "is '..', which URL normalisation would remove"),
    ('id is empty or blank', 'empty', '', 'is empty'),
    ('id is empty or blank', 'blank', '   ', 'is empty'),
    ('id holds control characters', 'newline', 'r1\nr2', 'holds control characters'),
]

STATE_ITEM = {'device_id': DEVICE1, 'status': 'upToDate'}


def _id_cases():
    for module, base, options in ID_OPTIONS:
        for option in options:
            for klass, name, value, fragment in BAD_IDS:
                yield (klass, '%s %s=%s' % (module, option, name), module, dict(base, **{option: value}),
                       '%s %s' % (option, fragment))


OTHER_BAD_INPUTS = [
    # (class, case, module, args, fragment)
    ('number out of range', 'ring deferral 31', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'deferral_in_days': 31},
     'deferral_in_days must be between 0 and 30, got 31'),
    ('number out of range', 'ring deferral -1', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'deferral_in_days': -1},
     'deferral_in_days must be between 0 and 30, got -1'),
    ('text too long', 'ring description 1501', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'description': 'x' * 1501},
     'description must be at most 1500 characters, got 1501'),
    ('text too long', 'ring display_name 201', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'y' * 201},
     'display_name must be at most 200 characters, got 201'),
    ('not a GUID', 'ring included group', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'included_group_ids': ['not-a-guid']},
     "included_group_ids: 'not-a-guid' is not a GUID"),
    ('not a GUID', 'ring excluded group', 'windows_update_ring',
     {'policy_id': POLICY, 'display_name': 'R', 'excluded_group_ids': ['0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d0']},
     'is not a GUID'),
    ('wrong type', 'ring is_paused maybe', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'is_paused': 'maybe'},
     'is_paused'),
    ('unknown choice', 'ring state gone', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'state': 'gone'},
     'value of state must be one of'),
    ('unknown choice', 'ring on_duplicate merge', 'windows_update_ring', {'policy_id': POLICY, 'display_name': 'R', 'on_duplicate': 'merge'},
     'value of on_duplicate must be one of'),
    ('missing or conflicting options', 'ring without identity', 'windows_update_ring', {'policy_id': POLICY},
     'one of the following is required: ring_id, display_name'),
    ('unknown choice', 'state status rebooting', 'device_update_state', {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'status': 'rebooting'},
     "status: 'rebooting' is not one of upToDate"),
    ('malformed date or date-time', 'state scan yesterday', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'last_scan_date_time': 'yesterday'}, 'last_scan_date_time'),
    ('malformed date or date-time', 'state sync month 13', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'last_sync_date_time': '2024-13-01T00:00:00Z'}, 'is not a valid date-time'),
    ('malformed date or date-time', 'state sync offset +15', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'last_sync_date_time': '2024-01-01T00:00:00+15:00'}, 'invalid UTC offset'),
    ('malformed date or date-time', 'state scan without offset', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'last_scan_date_time': '2024-01-01T00:00:00'}, 'with an offset'),
    ('duplicate items in a list', 'states duplicate device', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'states': [STATE_ITEM, STATE_ITEM]}, 'is given more than once in states'),
    ('duplicate items in a list', 'states device ids that differ only in case', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'states': [STATE_ITEM, dict(STATE_ITEM, device_id=DEVICE1.upper())]},
     "is given more than once in states (states[0] '%s', states[1] '%s')" % (DEVICE1, DEVICE1.upper())),
    ('missing or conflicting options', 'states item without device_id', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'states': [{'status': 'upToDate'}]}, 'device_id'),
    ('unknown choice', 'states item bad status', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'states': [dict(STATE_ITEM, status='bad')]}, "states[0] (device_id '%s'): status" % DEVICE1),
    ('missing or conflicting options', 'purge without states', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'device_id': 'd', 'purge': True}, 'purge is True but'),
    ('missing or conflicting options', 'states with id', 'device_update_state',
     {'device_configuration_id': WUFB_CONFIG, 'id': 'x', 'states': [STATE_ITEM]}, 'mutually exclusive'),
    ('unknown choice', 'state info status nope', 'device_update_state_info', {'device_configuration_id': WUFB_CONFIG, 'status': 'nope'},
     "'nope' is not one of"),
    ('number out of range', 'image release_month 13', 'windows_os_image',
     {'id': 'Windows 11 22H1', 'available_updates': [{'build_version': '1', 'release_month': 13, 'release_year': 2024}]},
     'available_updates[0].release_month must be between 1 and 12, got 13'),
    ('number out of range', 'image release_month 0', 'windows_os_image',
     {'id': 'Windows 11 22H1', 'available_updates': [{'build_version': '1', 'release_month': 0, 'release_year': 2024}]},
     'release_month must be between 1 and 12, got 0'),
    ('unknown choice', 'image edition home', 'windows_os_image',
     {'id': 'Windows 11 22H1', 'supported_editions': [{'edition_type': 'home', 'support_end_date': '2030-01-01'}]}, "'home' is not one of"),
    ('unknown choice', 'image architecture sparc', 'windows_os_image', {'id': 'Windows 11 22H1', 'supported_architectures': ['sparc']},
     "'sparc' is not one of"),
    ('malformed date or date-time', 'image end date Feb 30', 'windows_os_image',
     {'id': 'Windows 11 22H1', 'supported_editions': [{'edition_type': 'enterprise', 'support_end_date': '2030-02-30'}]},
     'is not a valid date'),
    ('unknown choice', 'image info architecture sparc', 'windows_os_image_info', {'supported_architecture': 'sparc'}, "'sparc' is not one of"),
    ('unknown choice', 'config state compliance great', 'device_configuration_state',
     {'managed_device_id': DEVICE1, 'display_name': 'x', 'compliance_state': 'great'}, "'great' is not one of"),
    ('unknown choice', 'config state platform amiga', 'device_configuration_state',
     {'managed_device_id': DEVICE1, 'display_name': 'x', 'platform_type': 'amiga'}, "'amiga' is not one of"),
    ('number out of range', 'config state version 2^31', 'device_configuration_state',
     {'managed_device_id': DEVICE1, 'display_name': 'x', 'version': 2 ** 31}, 'version must be between'),
    ('number out of range', 'config state setting_count -2^31-1', 'device_configuration_state',
     {'managed_device_id': DEVICE1, 'display_name': 'x', 'setting_count': -2 ** 31 - 1}, 'setting_count must be between'),
    ('unknown choice', 'config state setting state x', 'device_configuration_state',
     {'managed_device_id': DEVICE1, 'display_name': 'x', 'setting_states': [{'setting': 's', 'state': 'x'}]}, 'setting_states[0].state'),
    ('unknown choice', 'config state info compliance great', 'device_configuration_state_info',
     {'managed_device_id': DEVICE1, 'compliance_state': 'great'}, "'great' is not one of"),
    ('path not relative, or with dot segments', 'request empty path', 'graph_request', {'path': ''}, 'path must not be empty'),
    ('path not relative, or with dot segments', 'request absolute URL', 'graph_request', {'path': 'https://evil.example/x'},
     'not an absolute URL'),
    ('path not relative, or with dot segments', 'request version in path', 'graph_request', {'path': 'beta/admin/windows'},
     'path is relative to the API version'),
    ('path not relative, or with dot segments', 'request dot segments', 'graph_request', {'path': 'admin/windows/../../users'},
     "path must not hold '.' or '..' segments"),
    ('missing or conflicting options', 'request body with GET', 'graph_request', {'path': 'admin', 'body': {'a': 1}},
     'body is given but method is GET'),
    ('missing or conflicting options', 'request Authorization header', 'graph_request',
     {'path': 'admin', 'headers': {'Authorization': 'Bearer x'}}, 'Authorization is set by the module'),
    ('number out of range', 'wufb quality deferral 31', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'quality_updates_deferral_period_in_days': 31},
     'quality_updates_deferral_period_in_days must be between 0 and 30, got 31'),
    ('number out of range', 'wufb feature deferral 366', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'feature_updates_deferral_period_in_days': 366},
     'feature_updates_deferral_period_in_days must be between 0 and 365, got 366'),
    ('number out of range', 'wufb grace period 8', 'windows_update_for_business_configuration', {'display_name': 'P', 'deadline_grace_period_in_days': 8},
     'deadline_grace_period_in_days must be between 0 and 7, got 8'),
    ('unknown choice', 'wufb update mode sometimes', 'windows_update_for_business_configuration', {'display_name': 'P', 'automatic_update_mode': 'sometimes'},
     "automatic_update_mode: 'sometimes' is not one of userDefined"),
    ('unknown choice', 'wufb restart warning 5 hours', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'schedule_restart_warning_in_hours': 5},
     'value of schedule_restart_warning_in_hours must be one of: 2, 4, 8, 12, 24'),
    ('not a GUID', 'wufb included group', 'windows_update_for_business_configuration', {'display_name': 'P', 'included_group_ids': ['pilot-group']},
     "included_group_ids: 'pilot-group' is not a GUID"),
    ('missing or conflicting options', 'wufb group included and excluded', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'included_group_ids': [WUFB_CONFIG], 'excluded_group_ids': [WUFB_CONFIG.upper()]}, 'both included and excluded'),
    ('missing or conflicting options', 'wufb two install schedules', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'installation_schedule': {'active_hours_start': '08:00', 'scheduled_install_day': 'monday'}}, 'not both'),
    ('malformed date or date-time', 'wufb active hours 25:00', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'installation_schedule': {'active_hours_start': '25:00'}},
     "'25:00' is not a valid time of day"),
    ('unknown choice', 'wufb update weeks fifth', 'windows_update_for_business_configuration',
     {'display_name': 'P', 'update_weeks': ['firstWeek', 'fifthWeek']}, "update_weeks: 'fifthWeek' is not one of userDefined"),
    ('unknown choice', 'quality policy approval method sometimes', 'windows_quality_update_policy',
     {'display_name': 'P', 'approval_settings': [{'cadence': 'monthly', 'category': 'all', 'approval_method': 'sometimes'}]},
     "approval_settings[0].approval_method: 'sometimes' is not one of manual"),
    ('unknown choice', 'quality policy category drivers', 'windows_quality_update_policy',
     {'display_name': 'P', 'approval_settings': [{'cadence': 'monthly', 'category': 'drivers', 'approval_method': 'manual'}]},
     "approval_settings[0].category: 'drivers' is not one of all"),
    ('number out of range', 'quality policy 7 settings', 'windows_quality_update_policy',
     {'display_name': 'P', 'approval_settings': [{'cadence': 'monthly', 'category': 'all', 'approval_method': 'manual'}] * 7},
     'approval_settings takes at most 6 items, got 7'),
    ('number out of range', 'quality policy deferral -1', 'windows_quality_update_policy',
     {'display_name': 'P', 'approval_settings': [{'cadence': 'monthly', 'category': 'all', 'approval_method': 'automatic',
                                                  'deferred_deployment_in_days': -1}]},
     'approval_settings[0].deferred_deployment_in_days must be between 0 and'),
    ('missing or conflicting options', 'quality policy setting without category', 'windows_quality_update_policy',
     {'display_name': 'P', 'approval_settings': [{'cadence': 'monthly', 'approval_method': 'manual'}]}, 'category'),
    ('text too long', 'quality policy display_name 201', 'windows_quality_update_policy', {'display_name': 'q' * 201},
     'display_name must be at most 200 characters, got 201'),
    ('not a GUID', 'quality policy included group', 'windows_quality_update_policy', {'display_name': 'P', 'included_group_ids': ['pilot']},
     "included_group_ids: 'pilot' is not a GUID"),
    ('missing or conflicting options', 'quality policy without identity', 'windows_quality_update_policy', {'hotpatch_enabled': True},
     'one of the following is required: policy_id, display_name'),
    ('wrong type', 'quality policy info hotpatch maybe', 'windows_quality_update_policy_info', {'hotpatch_enabled': 'maybe'},
     'hotpatch_enabled'),
    ('number out of range', 'driver profile deferral 31', 'windows_driver_update_profile',
     {'display_name': 'P', 'approval_type': 'automatic', 'deployment_deferral_in_days': 31},
     'deployment_deferral_in_days must be between 0 and 30, got 31'),
    ('unknown choice', 'driver profile approval type sometimes', 'windows_driver_update_profile',
     {'display_name': 'P', 'approval_type': 'sometimes'}, 'value of approval_type must be one of'),
    ('missing or conflicting options', 'driver profile all devices', 'windows_driver_update_profile',
     {'display_name': 'P', 'approval_type': 'manual', 'all_devices': True},
     'all_devices: Intune assigns a driver update profile to groups only (included_group_ids, excluded_group_ids)'),
    ('text too long', 'driver profile display_name 201', 'windows_driver_update_profile', {'display_name': 'd' * 201, 'approval_type': 'manual'},
     'display_name must be at most 200 characters, got 201'),
    ('not a GUID', 'driver profile excluded group', 'windows_driver_update_profile',
     {'display_name': 'P', 'approval_type': 'manual', 'excluded_group_ids': ['pilot']}, "excluded_group_ids: 'pilot' is not a GUID"),
    ('unknown choice', 'driver profile info approval type', 'windows_driver_update_profile_info', {'approval_type': 'sometimes'},
     'approval_type'),
    ('unknown choice', 'driver inventory status pending', 'windows_driver_update_inventory_info',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'pending'}, "approval_status: 'pending' is not one of needsReview"),
    ('unknown choice', 'driver inventory category optional', 'windows_driver_update_inventory_info',
     {'profile_id': DRIVER_PROFILE, 'category': 'optional'}, "category: 'optional' is not one of recommended"),
    ('malformed date or date-time', 'driver inventory released_before', 'windows_driver_update_inventory_info',
     {'profile_id': DRIVER_PROFILE, 'released_before': 'last week'}, 'released_before'),
    ('number out of range', 'driver inventory sync_timeout -1', 'windows_driver_update_inventory_info',
     {'profile_id': DRIVER_PROFILE, 'sync': True, 'sync_timeout': -1}, 'sync_timeout must be 0 or more seconds, got -1'),
    ('missing or conflicting options', 'driver approval without drivers', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'approved'}, 'name the drivers with driver_ids or with at least one of'),
    ('unknown choice', 'driver approval status needsReview', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'needsReview', 'driver_ids': [DRIVER]}, 'value of approval_status must be one of'),
    ('missing or conflicting options', 'driver approval decline with a date', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'declined', 'driver_ids': [DRIVER], 'deployment_date': '2026-12-01'},
     'deployment_date is the date approved drivers deploy; it cannot be used with approval_status=declined'),
    ('malformed date or date-time', 'driver approval deployment date', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'approved', 'driver_ids': [DRIVER], 'deployment_date': '12/01/2026'},
     'deployment_date'),
    ('id is . or ..', 'driver approval driver_ids=dotdot', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'suspended', 'driver_ids': ['..']}, "driver_ids is '..', which URL normalisation"),
    ('missing or conflicting options', 'feature profile rollout end without interval', 'windows_feature_update_profile',
     {'display_name': 'P', 'rollout': {'offer_start': '2030-01-01', 'offer_end': '2030-02-01'}},
     'rollout: a gradual rollout needs offer_start, offer_end and offer_interval_in_days together'),
    ('malformed date or date-time', 'feature profile rollout ends before it starts', 'windows_feature_update_profile',
     {'display_name': 'P', 'rollout': {'offer_start': '2030-02-01', 'offer_end': '2030-01-01', 'offer_interval_in_days': 7}},
     'rollout: offer_end (2030-01-01T00:00:00Z) must be after offer_start'),
    ('malformed date or date-time', 'feature profile rollout start not a date', 'windows_feature_update_profile',
     {'display_name': 'P', 'rollout': {'offer_start': 'soon'}}, 'rollout.offer_start'),
    ('number out of range', 'feature profile rollout interval 0', 'windows_feature_update_profile',
     {'display_name': 'P', 'rollout': {'offer_start': '2030-01-01', 'offer_end': '2030-02-01', 'offer_interval_in_days': 0}},
     'rollout.offer_interval_in_days must be between 1 and'),
    ('unknown choice', 'feature profile windows 10 fallback true', 'windows_feature_update_profile',
     {'display_name': 'P', 'install_latest_windows10_on_windows11_ineligible_device': True}, 'Graph no longer accepts true'),
    ('missing or conflicting options', 'feature profile all devices', 'windows_feature_update_profile',
     {'display_name': 'P', 'all_devices': True}, 'all_devices: Intune assigns this profile to Microsoft Entra groups only'),
    ('not a GUID', 'feature profile excluded group', 'windows_feature_update_profile', {'display_name': 'P', 'excluded_group_ids': ['x']},
     "excluded_group_ids: 'x' is not a GUID"),
    ('missing or conflicting options', 'feature profile without identity', 'windows_feature_update_profile',
     {'feature_update_version': 'Windows 11, version 24H2'}, 'one of the following is required: profile_id, display_name'),
    ('wrong type', 'feature profile info include maybe', 'windows_feature_update_profile_info', {'include_assignments': 'maybe'},
     'include_assignments'),
    ('number out of range', 'expedite reboot in 3 days', 'windows_quality_update_profile',
     {'display_name': 'P', 'days_until_forced_reboot': 3}, 'days_until_forced_reboot must be between 0 and 2, got 3'),
    ('malformed date or date-time', 'expedite release not a date', 'windows_quality_update_profile',
     {'display_name': 'P', 'quality_update_release': 'newest'}, "quality_update_release: 'newest' is neither a release date"),
    ('missing or conflicting options', 'expedite all users', 'windows_quality_update_profile',
     {'display_name': 'P', 'all_users': True}, 'all_users: Intune assigns this profile to Microsoft Entra groups only'),
    ('wrong type', 'expedite info include maybe', 'windows_quality_update_profile_info', {'include_assignments': 'maybe'},
     'include_assignments'),
    ('unknown choice', 'request method TRACE', 'graph_request', {'path': 'admin', 'method': 'TRACE'}, 'value of method must be one of'),
    ('wrong type', 'request query nested dict', 'graph_request', {'path': 'admin', 'query': {'a': {'b': 1}}},
     'query: the value of a must be'),
    ('common option out of range', 'timeout 0', 'windows_update_ring_info', {'policy_id': POLICY, 'timeout': 0},
     'timeout must be a positive number of seconds'),
    ('common option out of range', 'max_retries -1', 'windows_update_ring_info', {'policy_id': POLICY, 'max_retries': -1},
     'max_retries must be 0 or more'),
    ('common option out of range', 'plain http endpoint', 'windows_update_ring_info',
     {'policy_id': POLICY, 'graph_endpoint': 'http://graph.example.com'}, 'https'),
    ('unknown choice', 'cloud mars', 'windows_update_ring_info', {'policy_id': POLICY, 'cloud': 'mars'}, 'value of cloud must be one of'),
    ('unsafe token cache', 'cache in a world-writable directory', 'windows_update_ring_info',
     {'policy_id': POLICY, 'token_cache_path': '/tmp/graphops-hostile-cache.json'}, 'writable by other users'),
    ('credentials', 'two credential kinds', 'windows_update_ring_info',
     {'policy_id': POLICY, 'client_secret': 'hostile-secret-value', 'access_token': 'hostile-token-value'}, 'ambiguous credentials'),
    ('credentials', 'certificate file missing', 'windows_update_ring_info',
     {'policy_id': POLICY, 'client_certificate_path': '/nonexistent/cert.pem'}, 'cannot be read'),
    ('missing or conflicting options', 'export without PolicyId', 'intune_report_export', {'report_name': 'FeatureUpdateDeviceState'},
     'FeatureUpdateDeviceState needs a filter on PolicyId'),
    ('missing or conflicting options', 'export without report', 'intune_report_export', {'max_rows': 5},
     'one of the following is required: report_name, job_id'),
    ('unknown choice', 'export localization french', 'intune_report_export',
     {'report_name': 'DriverUpdatePolicyStatusSummary', 'localization_type': 'french'}, "localization_type: 'french' is not one of"),
    ('number out of range', 'export max_rows -1', 'intune_report_export', {'report_name': 'DriverUpdatePolicyStatusSummary', 'max_rows': -1},
     'max_rows must be 0 or more'),
    ('number out of range', 'export wait_timeout 0', 'intune_report_export',
     {'report_name': 'DriverUpdatePolicyStatusSummary', 'wait_timeout': 0}, 'wait_timeout must be a positive number'),
    ('wrong type', 'export filter nested dict', 'intune_report_export',
     {'report_name': 'FeatureUpdateDeviceState', 'filter': {'PolicyId': {'a': 1}}}, 'filter: the value of PolicyId must be'),
    ('duplicate items in a list', 'export select twice', 'intune_report_export',
     {'report_name': 'DriverUpdatePolicyStatusSummary', 'select': ['PolicyName', 'policyname']}, 'select names PolicyName more than once'),
    ('missing or conflicting options', 'export dest in a missing directory', 'intune_report_export',
     {'report_name': 'DriverUpdatePolicyStatusSummary', 'dest': '/nonexistent/graphops/report.csv'}, 'dest: the directory /nonexistent/graphops'),
    ('text with control characters', 'export report_name newline', 'intune_report_export', {'report_name': 'Feature\nUpdate'},
     'report_name must be 1 to 2000 characters'),
]

BAD_INPUTS = list(_id_cases()) + OTHER_BAD_INPUTS


# -- faults ----------------------------------------------------------------------------------------
HTML = '<html><head><title>Proxy login</title></head><body>Sign in to continue</body></html>'
INTUNE = ('{\r\n  "_version": 3,\r\n  "Message": "An error has occurred - Operation ID (for customer support): '
          '00000000-0000-0000-0000-000000000000 - Activity ID: 11111111-1111-1111-1111-111111111111",\r\n'
          '  "CustomApiErrorPhrase": "",\r\n  "RetryAfter": null,\r\n  "ErrorSourceService": "",\r\n  "HttpHeaders": "{}"\r\n}')
RING_ITEM = r'/rings/%s$' % RING0
RINGS = r'/policies/%s/rings$' % POLICY


def _status(status, retry_after=None, **extra):
    return dict(kind='status', status=status, retry_after=retry_after, **extra)


def _body(body, status=200, content_type='application/json'):
    return dict(kind='status', status=status, body=body, content_type=content_type, retry_after=None)


# What is injected, and what the task must say. (class, case, fault, expected fragments, outcome 'fail' or 'ok')
GET_FAULTS = [
    ('HTTP error status', 'GET 400', _status(400, message='Invalid request'), ['HTTP 400 BadRequest on GET', 'Invalid request']),
    ('HTTP error status', 'GET 403', _status(403, message='Missing role'), ['HTTP 403 Forbidden', 'Missing role']),
    ('HTTP error status', 'GET 409', _status(409), ['HTTP 409 Conflict']),
    ('HTTP error status', 'GET 500', _status(500), ['HTTP 500 InternalServerError']),
    ('HTTP error status', 'GET 502', _status(502), ['HTTP 502 BadGateway']),
    ('throttling that outlasts the retries', 'GET 429', _status(429, retry_after=1), ['throttled by Graph (429) after 1 attempt; last Retry-After 1 s']),
    ('throttling that outlasts the retries', 'GET 503', _status(503, retry_after=2), ['Graph unavailable (503) after 1 attempt; last Retry-After 2 s']),
    ('throttling that outlasts the retries', 'GET 504', _status(504), ['Graph unavailable (504) after 1 attempt']),
    ('200 with a body that is not JSON', 'GET 200 HTML', _body(HTML, content_type='text/html'),
     ['HTTP 200 UnexpectedResponse on GET', 'a body that is not JSON (text/html', 'Proxy login']),
    ('200 with a body that is not JSON', 'GET 200 malformed JSON', _body('{"id": "x", '), ['a body that is not JSON (application/json']),
    ('200 with JSON of the wrong shape', 'GET 200 list', _body([1, 2]), ['expected a JSON object (the entity)', 'a JSON list']),
    ('200 with JSON of the wrong shape', 'GET 200 empty', _body(''), ['expected a JSON object (the entity)', 'an empty body']),
    ('200 with JSON of the wrong shape', 'GET 200 string', _body('"ok"'), ['a JSON string']),
    ('non-Graph JSON error body', 'GET 502 gateway JSON', _body({'message': 'upstream connect error', 'code': 7}, status=502),
     ['HTTP 502 HTTP502', 'error body: {"message": "upstream connect error"']),
    ('non-Graph JSON error body', 'GET 500 HTML error page', _body(HTML, status=500, content_type='text/html'), ['HTTP 500 HTTP500', 'Proxy login']),
    ('Intune message with embedded JSON and CR/LF', 'GET 400 Intune', _status(400, message=INTUNE),
     ['"_version": 3, "Message": "An error has occurred']),
    ('dropped connection', 'GET dropped', dict(kind='drop'),
     ['Graph request on GET', 'cannot connect to 127.0.0.1', 'after 1 attempt', 'closed without an answer']),
    ('answer slower than the timeout', 'GET slower than timeout', dict(kind='latency', latency_ms=2500),
     ['cannot connect to 127.0.0.1', 'no answer within the timeout']),
]

LIST_FAULTS = [
    ('200 with JSON of the wrong shape', 'list value not a list', _body({'value': {'id': 'x'}}), ['a "value" list (a collection page)']),
    ('200 with JSON of the wrong shape', 'list without value', _body({'items': []}), ['a "value" list (a collection page)', 'keys items']),
    ('200 with JSON of the wrong shape', 'list of strings', _body({'value': ['a', 'b']}), ['JSON objects in "value"']),
    ('200 with JSON of the wrong shape', 'list nextLink not a string', _body({'value': [], '@odata.nextLink': 3}),
     ['a string "@odata.nextLink"']),
    ('200 with JSON of the wrong shape', 'list is a JSON list', _body([{'id': 'x'}]), ['a collection page', 'a JSON list']),
    ('200 with JSON of the wrong shape', 'list empty body', _body(''), ['a collection page', 'an empty body']),
    ('200 with a body that is not JSON', 'list HTML', _body(HTML, content_type='text/html'), ['not JSON (text/html']),
    ('HTTP error status', 'list 404', _status(404, message='Policy not found'), ['HTTP 404 NotFound', 'Policy not found']),
    ('throttling that outlasts the retries', 'list 429', _status(429, retry_after=3), ['throttled by Graph (429) after 1 attempt; last Retry-After 3 s']),
]

PATCH_FAULTS = [
    ('HTTP error status', 'PATCH 400', _status(400, message='deferralInDays is invalid'), ['HTTP 400 BadRequest on PATCH', 'deferralInDays']),
    ('HTTP error status', 'PATCH 403', _status(403), ['HTTP 403 Forbidden on PATCH']),
    ('HTTP error status', 'PATCH 409', _status(409, message='Concurrent update'), ['HTTP 409 Conflict', 'Concurrent update']),
    ('throttling that outlasts the retries', 'PATCH 429', _status(429, retry_after=1), ['throttled by Graph (429) after 1 attempt']),
    ('throttling that outlasts the retries', 'PATCH 503', _status(503), ['Graph unavailable (503)']),
    ('Intune message with embedded JSON and CR/LF', 'PATCH 400 Intune', _status(400, message=INTUNE), ['"CustomApiErrorPhrase": ""']),
    ('200 with a body that is not JSON', 'PATCH 200 HTML', _body(HTML, content_type='text/html'), ['UnexpectedResponse on PATCH', 'not JSON']),
    ('200 with JSON of the wrong shape', 'PATCH 200 list', _body([1]), ['the updated entity', 'a JSON list']),
    ('dropped connection', 'PATCH dropped after the write', dict(kind='drop', after=True), ['on PATCH', 'cannot connect to 127.0.0.1']),
]

POST_FAULTS = [
    ('HTTP error status', 'POST 400', _status(400, message='displayName is required'), ['HTTP 400 BadRequest on POST', 'displayName']),
    ('HTTP error status', 'POST 403', _status(403), ['HTTP 403 Forbidden on POST']),
    ('HTTP error status', 'POST 409', _status(409), ['HTTP 409 Conflict on POST']),
    ('throttling that outlasts the retries', 'POST 429', _status(429, retry_after=1), ['throttled by Graph (429) after 1 attempt']),
    ('200 with JSON of the wrong shape', 'POST 201 empty', _body('', status=201), ['the created entity', 'an empty body']),
    ('200 with JSON of the wrong shape', 'POST 201 list', _body([{'id': 'x'}], status=201), ['the created entity', 'a JSON list']),
    ('200 with a body that is not JSON', 'POST 201 HTML', _body(HTML, status=201, content_type='text/html'), ['not JSON (text/html']),
]

BATCH_FAULTS = [
    ('throttling that outlasts the retries', '$batch 429', dict(_status(429, retry_after=1), path=r'/\$batch$'),
     ['throttled by Graph (429) after 1 attempt', 'states[0]']),
    ('HTTP error status', '$batch 500', dict(_status(500), path=r'/\$batch$'), ['HTTP 500 InternalServerError']),
    ('200 with a body that is not JSON', '$batch 200 HTML', dict(_body(HTML, content_type='text/html'), path=r'/\$batch$'),
     ['not JSON (text/html']),
    ('200 with JSON of the wrong shape', '$batch without responses', dict(_body({'answers': []}), path=r'/\$batch$'),
     ['a "responses" list ($batch)']),
    ('200 with JSON of the wrong shape', '$batch status not a number', dict(_body({'responses': [{'id': '0', 'status': 'ok'}]}),
                                                                            path=r'/\$batch$'), ['integer "status"']),
    ('$batch item faults', '$batch item 400', dict(_status(400, message='bad item'), path='deviceUpdateStates$', in_batch=True),
     ['1 of 1 device update state write(s) failed', 'HTTP 400 BadRequest: bad item']),
    ('$batch item faults', '$batch item 403', dict(_status(403), path='deviceUpdateStates$', in_batch=True), ['HTTP 403 Forbidden']),
    ('$batch item faults', '$batch item 429', dict(_status(429, retry_after=1), path='deviceUpdateStates$', in_batch=True),
     ['throttled by Graph (429) after 1 attempt']),
]

# Answers that break after Graph did the work (issue 24), run by tests/integration/test_bulk_hostile.py: each in
# its own run, bulk cases in the adversarial scenario there (200 states held; 100 creates, 100 updates, 50 deletes,
# 50 unchanged; max_concurrency 4). (class, case, target 'bulk' or 'ring', fault (times included), task options,
# 'ok' when the run must converge, else the fragments of its one-line failure.) Every run must leave Graph exactly
# as the items say: no entity twice, none lost, and counts equal to what Graph holds.
UNKNOWN = 'create whose outcome is unknown (read back, never resent)'
BROKEN = '$batch answer broken after it was applied'
PAGING = 'listing that pages badly'
BATCH_PATH = r'/\$batch$'
ITEMS_PATH = 'deviceUpdateStates$'
HOSTILE_BULK_FAULTS = [
    (BROKEN, '$batch 200 cut short, then the socket closed', 'bulk', dict(kind='truncate', method='POST', path=BATCH_PATH, times=1),
     {}, 'ok'),
    (BROKEN, '$batch answered 503 after it was applied', 'bulk', dict(_status(503), after=True, method='POST', path=BATCH_PATH, times=2),
     {}, 'ok'),
    (BROKEN, '$batch applied after the timeout', 'bulk', dict(kind='latency', latency_ms=3500, method='POST', path=BATCH_PATH, times=1),
     {'timeout': 2}, 'ok'),
    (BROKEN, '$batch item answers missing', 'bulk', dict(kind='omit', method='POST', path=ITEMS_PATH, in_batch=True, times=2), {}, 'ok'),
    (UNKNOWN, '$batch item 503 after the create', 'bulk',
     dict(_status(503), after=True, method='POST', path=ITEMS_PATH, in_batch=True, times=-1), {'max_retries': 2}, 'ok'),
    (UNKNOWN, '$batch item 504 after the create', 'bulk',
     dict(_status(504), after=True, method='POST', path=ITEMS_PATH, in_batch=True, times=-1), {'max_retries': 2}, 'ok'),
    (UNKNOWN, '$batch item 503, not applied', 'bulk', dict(_status(503), method='POST', path=ITEMS_PATH, in_batch=True, times=1), {},
     ['1 of 250 device update state write(s) failed', 'OutcomeUnknown: the create may have been applied', 'was not found when read back']),
    (UNKNOWN, 'POST 503 after the create', 'ring', dict(_status(503), after=True, method='POST', path=r'/rings$', times=1),
     {'max_retries': 2}, 'ok'),
    (UNKNOWN, 'POST 504 after the create', 'ring', dict(_status(504), after=True, method='POST', path=r'/rings$', times=1),
     {'max_retries': 2}, 'ok'),
    (PAGING, 'nextLink pointing to its own page', 'bulk', dict(kind='self_link', method='GET', path=ITEMS_PATH, times=1), {},
     ['PagingLoop', 'already followed']),
    (PAGING, 'the same entity on two pages', 'bulk', dict(kind='repeat', method='GET', path=ITEMS_PATH, times=-1), {}, 'ok'),
    (PAGING, 'the same entity on two pages, keep_oldest', 'bulk', dict(kind='repeat', method='GET', path=ITEMS_PATH, times=-1),
     {'on_duplicate': 'keep_oldest'}, 'ok'),
]

DISCOVERY = 'openid-configuration'
TOKEN = r'oauth2/v2.0/token$'
ENTRA_FAULTS = [
    ('Entra token and discovery faults', 'discovery 503', dict(_status(503, retry_after=1), method='GET', path=DISCOVERY),
     ['Entra OpenID discovery at https://127.0.0.1', 'answered HTTP 503 (unavailable) after 1 attempt']),
    ('Entra token and discovery faults', 'discovery 429', dict(_status(429, retry_after=2), method='GET', path=DISCOVERY),
     ['Entra OpenID discovery', 'HTTP 429 (throttled)', 'last Retry-After 2 s']),
    ('Entra token and discovery faults', 'discovery dropped', dict(kind='drop', method='GET', path=DISCOVERY),
     ['Entra OpenID discovery at https://127.0.0.1', 'cannot connect to 127.0.0.1', 'closed without an answer']),
    ('Entra token and discovery faults', 'discovery 200 HTML', dict(_body(HTML, content_type='text/html'), method='GET', path=DISCOVERY),
     ['Entra OpenID discovery at https://127.0.0.1', 'answered HTTP 200 with a document msal cannot read']),
    ('Entra token and discovery faults', 'token 503', dict(_status(503), method='POST', path=TOKEN),
     ['Entra token endpoint at https://127.0.0.1', 'HTTP 503 (unavailable)', 'temporarily_unavailable']),
    ('Entra token and discovery faults', 'token 429', dict(_status(429, retry_after=1), method='POST', path=TOKEN),
     ['Entra token endpoint', 'HTTP 429 (throttled)']),
    ('Entra token and discovery faults', 'token 500', dict(_status(500), method='POST', path=TOKEN),
     ['Entra token endpoint', 'HTTP 500 (unavailable)']),
    ('Entra token and discovery faults', 'token dropped', dict(kind='drop', method='POST', path=TOKEN),
     ['Entra token endpoint', 'cannot connect to 127.0.0.1', 'closed without an answer']),
]

# Transient faults that the retries absorb: each on its own path, so that the retry is not faulted again.
IMAGE_ITEM = '/managedDeviceWindowsOSImages/%s$'
RECOVERED_FAULTS = [
    ('transient faults recovered by retries', 'GET 429 then ok', dict(_status(429, retry_after=0), method='GET', path=IMAGE_ITEM % 'Windows 11 22H1'),
     'Windows 11 22H1'),
    ('transient faults recovered by retries', 'GET 503 then ok', dict(_status(503, retry_after=0), method='GET', path=IMAGE_ITEM % 'Windows 11 23H2'),
     'Windows 11 23H2'),
    ('transient faults recovered by retries', 'GET 504 then ok', dict(_status(504), method='GET', path=IMAGE_ITEM % 'Windows 10 22H2'),
     'Windows 10 22H2'),
    ('transient faults recovered by retries', 'GET dropped then ok', dict(kind='drop', method='GET', path=RINGS), 'rings'),
    ('transient faults recovered by retries', 'discovery 503 then ok', dict(_status(503, retry_after=0), method='GET', path=DISCOVERY), 'discovery'),
    ('transient faults recovered by retries', 'token 429 then ok', dict(_status(429, retry_after=0), method='POST', path=TOKEN), 'token'),
]

FAULT_GROUPS = {
    # group: (faults, the method they match, the path they match; a fault's own method/path win)
    'get': (GET_FAULTS, 'GET', RING_ITEM),
    'list': (LIST_FAULTS, 'GET', RINGS),
    'patch': (PATCH_FAULTS, 'PATCH', RING_ITEM),
    'post': (POST_FAULTS, 'POST', r'/policies/%s/rings$' % EMPTY_POLICY),
    'batch': (BATCH_FAULTS, 'POST', None),
    'entra': (ENTRA_FAULTS, None, None),
}


def fault_count():
    return sum(len(group[0]) for group in FAULT_GROUPS.values()) + len(RECOVERED_FAULTS) + len(HOSTILE_BULK_FAULTS)


def all_fault_cases():
    for faults, dummy, dummy2 in FAULT_GROUPS.values():
        yield from faults
    yield from RECOVERED_FAULTS
    yield from HOSTILE_BULK_FAULTS


# -- the README table ------------------------------------------------------------------------------
def render_table():
    bad = collections.Counter(case[0] for case in BAD_INPUTS)
    faults = collections.Counter(case[0] for case in all_fault_cases())
    modules = sorted(set(case[2] for case in BAD_INPUTS))
    lines = [TABLE_START, '',
             '| bad-input class (fails with a clear message, zero requests) | cases |', '|---|---|']
    lines += ['| %s | %d |' % (klass, count) for klass, count in sorted(bad.items())]
    lines += ['| **all bad inputs** (%d modules) | **%d** |' % (len(modules), len(BAD_INPUTS)), '',
              '| fault class (injected by the emulator; a clear one-line error, or recovered) | cases |', '|---|---|']
    lines += ['| %s | %d |' % (klass, count) for klass, count in sorted(faults.items())]
    lines += ['| **all faults** | **%d** |' % fault_count(), '', TABLE_END]
    return '\n'.join(lines)


def readme_table():
    with open(README) as handle:
        text = handle.read()
    if TABLE_START not in text or TABLE_END not in text:
        return None
    return text[text.index(TABLE_START):text.index(TABLE_END) + len(TABLE_END)]


if __name__ == '__main__':
    sys.stdout.write(render_table() + '\n')
