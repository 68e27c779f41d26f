# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ids and other inputs are checked before any request (issue 12, item 4)."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.info import list_or_get
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Resource
from ansible_collections.graphops.intune.plugins.module_utils.entities.os_images import OS_IMAGE
from ansible_collections.graphops.intune.plugins.module_utils.entities.rings import RING
from ansible_collections.graphops.intune.plugins.module_utils.entities.update_states import UPDATE_STATE
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import path
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

RINGS = '/admin/windows/updates/policies/p1/rings'
G1 = '0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'
BAD_IDS = ['.', '..', '', '   ', ' .. ', 'r1\n', 'a\x00b', 'tab\there', '\x7f']


def ring_params(**params):
    base = dict(policy_id='p1', ring_id=None, state='present', on_duplicate='fail')
    base.update((option, None) for option in RING.field_specs())
    base.update(params)
    return base


@pytest.mark.parametrize('bad', BAD_IDS)
def test_path_refuses_segments_that_are_not_ids(bad):
    with pytest.raises(ModuleInputError) as error:
        path('admin', 'windows', bad)
    assert 'nothing was sent' in str(error.value)


@pytest.mark.parametrize('option', ['policy_id', 'ring_id'])
@pytest.mark.parametrize('bad', BAD_IDS)
@pytest.mark.parametrize('state', ['present', 'absent'])
def test_every_id_option_is_checked_before_any_request(fake_graph_client, fake_module, option, bad, state):
    client = fake_graph_client(RINGS, [{'id': 'r1', 'displayName': 'Ring 1'}])
    params = ring_params(display_name='Ring 1', state=state, **{option: bad})
    with pytest.raises(ModuleInputError) as error:
        Resource(fake_module(params, client), RING).apply()
    assert str(error.value).startswith(option + ' ')
    assert client.calls == []


def test_info_by_bad_id_sends_nothing(fake_graph_client, fake_module):
    client = fake_graph_client('/deviceManagement/managedDeviceWindowsOSImages', [])
    with pytest.raises(ModuleInputError):
        list_or_get(fake_module({'id': '..'}, client), OS_IMAGE)
    assert client.calls == []


def test_group_ids_must_be_guids(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [])
    with pytest.raises(ModuleInputError) as error:
        Resource(fake_module(ring_params(display_name='R', included_group_ids=[G1, 'not-a-guid']), client), RING).apply()
    assert "included_group_ids: 'not-a-guid' is not a GUID" in str(error.value)
    assert client.calls == []


@pytest.mark.parametrize('month, ok', [(0, False), (1, True), (12, True), (13, False)])
def test_release_month_is_1_to_12(month, ok):
    params = {'id': 'Windows 11 22H1', 'available_updates': [{'build_version': '1', 'release_month': month, 'release_year': 2024}]}
    if ok:
        assert OS_IMAGE.desired(params)['available_updates'][0]['release_month'] == month
    else:
        with pytest.raises(ModuleInputError) as error:
            OS_IMAGE.desired(params)
        assert 'available_updates[0].release_month must be between 1 and 12, got %d' % month in str(error.value)


@pytest.mark.parametrize('typed, sent', [
    ('2024-04-10t06:12:44.1234567z', '2024-04-10T06:12:44.1234567Z'),
    ('2024-04-10t06:12:44+02:00', '2024-04-10T06:12:44+02:00'),
    ('2024-04-10T06:12:44Z', '2024-04-10T06:12:44Z'),
])
def test_lower_case_t_and_z_are_accepted_and_sent_canonical(typed, sent):
    desired = UPDATE_STATE.desired({'device_id': 'd1', 'last_scan_date_time': typed})
    assert UPDATE_STATE.create_body(desired)['lastScanDateTime'] == sent


def test_renaming_onto_a_display_name_another_ring_has_fails_without_a_write(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [{'id': 'r1', 'displayName': 'Ring 1'}, {'id': 'r2', 'displayName': 'Ring 2'}])
    with pytest.raises(ModuleInputError) as error:
        Resource(fake_module(ring_params(ring_id='r1', display_name='Ring 2'), client), RING).apply()
    assert "display_name 'Ring 2' is already used by r2" in str(error.value)
    assert client.writes() == []


def test_renaming_onto_a_free_display_name_works(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [{'id': 'r1', 'displayName': 'Ring 1'}, {'id': 'r2', 'displayName': 'Ring 2'}])
    result = Resource(fake_module(ring_params(ring_id='r1', display_name='Ring 3'), client), RING).apply()
    assert result['changed'] is True
    assert [c[0] for c in client.writes()] == ['PATCH']
