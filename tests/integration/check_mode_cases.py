# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check-mode table of tests/integration/test_check_mode.py: every resource module, with changes pending.

CHECK_MODE_CASES: (case id, module, args, (Graph property, value the diff's `after` must show)).
Each case is run under --check --diff: the task reports changed, its diff shows the change, and the
whole table sends no write (no POST, PATCH, PUT or DELETE, no $batch). tests/unit/plugins/test_module_tables.py
fails when a resource module has no case here. This file imports nothing.
"""

from __future__ import annotations

# Ids of tests/emulator/seed.yml (as in conftest.py; repeated so that this file imports nothing).
POLICY = '9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11'
EMPTY_POLICY = '0e5b7d21-6c3f-4a9e-b2d8-7f1c4e9a3b22'
RING0 = 'a2c7637a-cda5-e59e-2385-972c4ee528d2'
WUFB_CONFIG = 'b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01'
DEVICE1 = 'd1e2f3a4-0000-4000-8000-000000000001'
CONFIG_STATE1 = '11692784-2784-1169-8427-691184276911'
CATALOG_ENTRY = 'c1dec151-0000-4000-8000-000000202402'
OTHER_ENTRY = 'c1dec151-0000-4000-8000-000000202403'
GROUP = '0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'
DRIVER_PROFILE = 'd7e1a0c5-0000-4000-8000-0000000000d1'

CHECK_MODE_CASES = [
    ('ring update', 'windows_update_ring', {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 9}, ('deferralInDays', 9)),
    ('ring create', 'windows_update_ring', {'policy_id': EMPTY_POLICY, 'display_name': 'Check ring', 'included_group_ids': [GROUP]},
     ('displayName', 'Check ring')),
    ('policy update', 'windows_update_policy', {'policy_id': POLICY, 'description': 'check mode'}, ('description', 'check mode')),
    ('approval suspend', 'windows_update_policy_approval', {'policy_id': POLICY, 'catalog_entry_id': CATALOG_ENTRY, 'status': 'suspended'},
     ('status', 'suspended')),
    ('approval create', 'windows_update_policy_approval', {'policy_id': POLICY, 'catalog_entry_id': OTHER_ENTRY},
     ('catalogEntryId', OTHER_ENTRY)),
    ('wufb profile update', 'windows_update_for_business_configuration',
     {'device_configuration_id': WUFB_CONFIG, 'quality_updates_deferral_period_in_days': 9, 'all_devices': True},
     ('qualityUpdatesDeferralPeriodInDays', 9)),
    ('update state update', 'device_update_state', {'device_configuration_id': WUFB_CONFIG, 'device_id': DEVICE1, 'status': 'failed'},
     ('status', 'failed')),
    ('os image update', 'windows_os_image', {'id': 'Windows 11 22H1', 'supported_architectures': ['x86']}, ('supportedArchitectures', ['x86'])),
    ('config state update', 'device_configuration_state', {'managed_device_id': DEVICE1, 'id': CONFIG_STATE1, 'setting_count': 99},
     ('settingCount', 99)),
    ('quality update policy create', 'windows_quality_update_policy',
     {'display_name': 'Check hotpatch', 'hotpatch_enabled': True, 'all_devices': True}, ('hotpatchEnabled', True)),
    ('driver profile create', 'windows_driver_update_profile',
     {'display_name': 'Check drivers', 'approval_type': 'automatic', 'deployment_deferral_in_days': 3, 'included_group_ids': [GROUP]},
     ('deploymentDeferralInDays', 3)),
    ('driver profile update', 'windows_driver_update_profile', {'profile_id': DRIVER_PROFILE, 'description': 'check mode'},
     ('description', 'check mode')),
    ('driver profile recreate', 'windows_driver_update_profile', {'profile_id': DRIVER_PROFILE, 'approval_type': 'automatic', 'recreate': True},
     ('approvalType', 'automatic')),
    # windows_driver_approval's diff is keyed by driver id: before/after of each driver that changes
    ('driver approval', 'windows_driver_approval',
     {'profile_id': DRIVER_PROFILE, 'approval_status': 'approved', 'current_approval_status': 'needsReview', 'driver_class': 'display',
      'deployment_date': '2026-12-01'},
     ('d7e1a0c5-0000-4000-8000-00000000d001',
      {'name': 'Intel(R) UHD Graphics', 'version': '31.0.101.5186', 'manufacturer': 'Intel Corporation', 'driverClass': 'Display',
       'approvalStatus': 'approved', 'deployDateTime': '2026-12-01T00:00:00Z'})),
    ('feature update profile create', 'windows_feature_update_profile',
     {'display_name': 'Check 24H2', 'feature_update_version': 'Windows 11, version 24H2', 'included_group_ids': [GROUP]},
     ('featureUpdateVersion', 'Windows 11, version 24H2')),
    ('expedite profile create', 'windows_quality_update_profile',
     {'display_name': 'Check expedite', 'quality_update_release': 'latest_security', 'days_until_forced_reboot': 1,
      'included_group_ids': [GROUP]}, ('displayName', 'Check expedite')),
]
