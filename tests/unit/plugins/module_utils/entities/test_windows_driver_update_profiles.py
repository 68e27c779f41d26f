# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows driver update profile declaration and the driver selection (entities/windows_driver_update_profiles.py)."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_driver_update_profiles import (
    ACTION_OF, ACTIONS, APPROVAL_ARGUMENT_SPEC, DRIVER_PROFILE, INVENTORY_ARGUMENT_SPEC, DriverSelection)
from ansible_collections.graphops.intune.plugins.module_utils.entities import windows_driver_update_profiles as drivers_module
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError

PROFILE = DRIVER_PROFILE
G1 = '0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'


def params(**given):
    base = dict((option, None) for option in PROFILE.argument_spec())
    base.update(state='present', on_duplicate='fail', recreate=False)
    base.update(given)
    return base


def current(**changes):
    profile = {'@odata.type': '#microsoft.graph.windowsDriverUpdateProfile', 'id': 'p1', 'displayName': 'Drivers', 'description': 'd',
               'approvalType': 'manual', 'deploymentDeferralInDays': 0, 'roleScopeTagIds': ['0'], 'newUpdates': 2, 'deviceReporting': 5,
               'inventorySyncStatus': {'driverInventorySyncState': 'success', 'lastSuccessfulSyncDateTime': '2026-11-30T06:00:00Z'}}
    profile.update(changes)
    return profile


def test_the_module_options_come_from_the_declaration():
    spec = PROFILE.argument_spec()
    assert set(spec) == {'profile_id', 'display_name', 'description', 'approval_type', 'deployment_deferral_in_days', 'role_scope_tag_ids',
                         'included_group_ids', 'excluded_group_ids', 'all_devices', 'all_users', 'state', 'on_duplicate', 'recreate'}
    assert spec['approval_type']['choices'] == ['manual', 'automatic'] and spec['recreate'] == {'type': 'bool', 'default': False}
    assert set(PROFILE.info_argument_spec()) == {'profile_id', 'display_name', 'approval_type', 'include_assignments'}


def test_create_body_and_a_minimal_patch_without_approval_type():
    desired = PROFILE.desired(params(display_name='Drivers', approval_type='manual', deployment_deferral_in_days=3))
    assert PROFILE.create_body(desired) == {'@odata.type': '#microsoft.graph.windowsDriverUpdateProfile', 'displayName': 'Drivers',
                                            'approvalType': 'manual', 'deploymentDeferralInDays': 3}
    assert PROFILE.patch(desired, current()) == {'deploymentDeferralInDays': 3}
    assert PROFILE.replaced(desired, current()) == []


def test_another_approval_type_needs_a_new_profile():
    desired = PROFILE.desired(params(approval_type='Automatic'))
    assert PROFILE.replaced(desired, current()) == ['approval_type']
    assert PROFILE.patch(desired, current()) == {}  # never sent in a PATCH
    assert PROFILE.replaced(PROFILE.desired(params(approval_type='manual')), current(approvalType='MANUAL')) == []


@pytest.mark.parametrize('given, words', [
    ({'deployment_deferral_in_days': 31}, 'deployment_deferral_in_days must be between 0 and 30, got 31'),
    ({'deployment_deferral_in_days': -1}, 'between 0 and 30'),
    ({'display_name': 'x' * 201}, 'display_name must be at most 200 characters'),
])
def test_bad_values(given, words):
    with pytest.raises(ModuleInputError, match=words):
        PROFILE.desired(params(**given))


@pytest.mark.parametrize('given', [{'all_devices': True}, {'all_users': True}])
def test_groups_only(given):
    with pytest.raises(ModuleInputError, match=r'to groups only \(included_group_ids, excluded_group_ids\)'):
        PROFILE.assignments.wanted(params(**given))


def test_groups_and_false_flags_are_fine():
    assert PROFILE.assignments.wanted(params(included_group_ids=[G1], excluded_group_ids=[], all_devices=False)) == {
        'included_group_ids': [G1], 'excluded_group_ids': [], 'all_devices': False}


def test_actions_and_statuses_follow_the_metadata():
    assert set(ACTION_OF.values()) <= set(ACTIONS) and 'unknownFutureValue' in ACTIONS
    assert APPROVAL_ARGUMENT_SPEC['approval_status']['choices'] == ['approved', 'declined', 'suspended']
    assert INVENTORY_ARGUMENT_SPEC['profile_id']['required'] is True


DRIVERS = [
    {'id': 'a', 'name': 'Intel(R) UHD Graphics', 'manufacturer': 'Intel Corporation', 'driverClass': 'Display', 'category': 'recommended',
     'approvalStatus': 'needsReview', 'releaseDateTime': '2026-09-16T00:00:00Z'},
    {'id': 'b', 'name': 'Realtek USB GbE', 'manufacturer': 'Realtek Semiconductor Corp.', 'driverClass': 'Net', 'category': 'other',
     'approvalStatus': 'approved', 'releaseDateTime': '2026-11-21T00:00:00Z'},
    {'id': 'c', 'name': 'Future', 'manufacturer': 'X', 'driverClass': 'Quantum', 'category': 'brandNew', 'approvalStatus': 'pondering',
     'releaseDateTime': None},
]


def selection(**given):
    return DriverSelection(dict(dict.fromkeys(('approval_status', 'category', 'driver_class', 'manufacturer', 'name', 'released_before')),
                                **given))


@pytest.mark.parametrize('given, ids', [
    ({}, ['a', 'b', 'c']),
    ({'approval_status': 'NEEDSREVIEW'}, ['a']),
    ({'category': 'Other'}, ['b']),
    ({'driver_class': 'display'}, ['a']),
    ({'manufacturer': 'intel corporation'}, ['a']),
    ({'name': 'realtek*'}, ['b']),
    ({'name': '*graphics'}, ['a']),
    ({'released_before': '2026-10-01'}, ['a']),
    ({'released_before': '2026-11-21T00:00:00Z'}, ['a']),
    ({'released_before': '2026-11-21T00:00:01Z', 'driver_class': 'net'}, ['b']),
])
def test_driver_selection(given, ids):
    assert [driver['id'] for driver in selection(**given).pick(DRIVERS)] == ids


@pytest.mark.parametrize('given, words', [
    ({'approval_status': 'pending'}, "approval_status: 'pending' is not one of needsReview"),
    ({'category': 'optional'}, "category: 'optional' is not one of recommended"),
    ({'released_before': 'last week'}, 'released_before'),
])
def test_driver_selection_bad_values(given, words):
    with pytest.raises(ModuleInputError, match=words):
        selection(**given)


class SyncClient(object):
    """GET answers the profile with the next sync status of `statuses` (the last one repeats); POST records the path."""

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.posts = []

    def get_optional(self, path):
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return current(inventorySyncStatus=status)

    def post(self, path, body):
        self.posts.append((path, body))


def sync_status(state, when):
    return {'driverInventorySyncState': state, 'lastSuccessfulSyncDateTime': when}


def run_sync(client, timeout=30):
    clock = {'now': 0.0}
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock['now'] += seconds
    profile = drivers_module.sync_inventory(client, {'profile_id': 'p1', 'sync_timeout': timeout}, sleep=sleep, clock=lambda: clock['now'])
    return profile, sleeps


def test_sync_waits_for_a_newer_successful_sync():
    old = sync_status('success', '2026-11-30T06:00:00Z')
    client = SyncClient(old, old, sync_status('pending', '2026-11-30T06:00:00Z'), sync_status('success', '2026-12-03T10:00:00Z'))
    profile, sleeps = run_sync(client)
    assert client.posts == [('/deviceManagement/windowsDriverUpdateProfiles/p1/syncInventory', None)]
    assert profile['inventorySyncStatus']['lastSuccessfulSyncDateTime'] == '2026-12-03T10:00:00Z' and sleeps == [5, 5]


def test_sync_is_bounded_and_a_failure_fails():
    old = sync_status('success', '2026-11-30T06:00:00Z')
    with pytest.raises(GraphError, match='did not finish within 12 seconds'):
        run_sync(SyncClient(old), timeout=12)
    with pytest.raises(GraphError, match='sync of Windows driver update profile p1 failed'):
        run_sync(SyncClient(old, sync_status('failure', None)))
