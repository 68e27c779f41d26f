# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import EnumField, ListField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity, clean
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, list_or_get
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Resource
from ansible_collections.graphops.intune.plugins.module_utils.entities.rings import RING

RINGS = '/admin/windows/updates/policies/p1/rings'
RING_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdateRing'
INCLUDED_TYPE = '#microsoft.graph.windowsUpdates.includedGroupAssignment'
EXCLUDED_TYPE = '#microsoft.graph.windowsUpdates.excludedGroupAssignment'
GROUP_TYPE = '#microsoft.graph.windowsUpdates.assignedGroup'
G1 = '0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'
G2 = '7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a02'
G3 = 'aa11bb22-cc33-4d44-8e55-ff6677889903'


def assignment(kind, *group_ids):
    return {'@odata.type': '#microsoft.graph.windowsUpdates.%sGroupAssignment' % kind,
            'assignments': [{'@odata.type': GROUP_TYPE, 'groupId': group_id} for group_id in group_ids]}


def existing_ring(ring_id='r1', display_name='Ring 1', **changes):
    ring = {
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#admin/windows/updates/policies/p1/rings/$entity',
        '@odata.type': RING_TYPE,
        'id': ring_id,
        'displayName': display_name,
        'description': 'pilot devices',
        'createdDateTime': '2024-05-01T10:00:00Z',
        'lastModifiedDateTime': '2024-05-02T10:00:00Z',
        'isPaused': False,
        'deferralInDays': 5,
        'isHotpatchEnabled': False,
        'includedGroupAssignment': assignment('included', G1, G2),
        'excludedGroupAssignment': None,
    }
    ring.update(changes)
    return ring


def ring_params(**params):
    """A task's params as AnsibleModule hands them over: every option present, unset ones None."""
    base = dict(policy_id='p1', ring_id=None, state='present')
    base.update((option, None) for option in RING.field_specs())
    base.update(params)
    return base


@pytest.fixture
def run(fake_graph_client, fake_module):
    """run(items, check_mode=False, diff=False, post_failures=(), **params) -> (result, client)."""
    def runner(items=(), check_mode=False, diff=False, post_failures=(), **params):
        client = fake_graph_client(RINGS, items)
        client.post_failures = list(post_failures)
        module = fake_module(ring_params(**params), client, check_mode=check_mode, diff=diff)
        return Resource(module, RING).apply(), client
    return runner


# -- Entity ------------------------------------------------------------------------------
def test_desired_collects_every_error():
    with pytest.raises(ModuleInputError) as err:
        RING.desired(ring_params(display_name='Ring 1', deferral_in_days=31, description='x' * 1501))
    message = str(err.value)
    assert 'deferral_in_days must be between 0 and 30, got 31' in message
    assert 'description must be at most 1500 characters, got 1501' in message


def test_desired_holds_only_the_options_the_task_sets():
    desired = RING.desired(ring_params(display_name='Ring 1', is_paused=False, included_group_ids=[G1, G1]))
    assert desired == {'display_name': 'Ring 1', 'is_paused': False, 'included_group_ids': [G1]}


def test_create_body_starts_with_the_odata_type_and_uses_the_wire_shape():
    body = RING.create_body(RING.desired(ring_params(display_name='Ring 1', deferral_in_days=3, included_group_ids=[G1, G2],
                                                     excluded_group_ids=[G3])))
    assert list(body)[0] == '@odata.type'
    assert body == {
        '@odata.type': RING_TYPE,
        'displayName': 'Ring 1',
        'deferralInDays': 3,
        'includedGroupAssignment': {'@odata.type': INCLUDED_TYPE,
                                    'assignments': [{'@odata.type': GROUP_TYPE, 'groupId': G1},
                                                    {'@odata.type': GROUP_TYPE, 'groupId': G2}]},
        'excludedGroupAssignment': {'@odata.type': EXCLUDED_TYPE, 'assignments': [{'@odata.type': GROUP_TYPE, 'groupId': G3}]},
    }


def test_patch_is_empty_when_everything_is_as_desired():
    desired = RING.desired(ring_params(display_name='Ring 1', description='pilot devices', deferral_in_days=5, is_paused=False,
                                       included_group_ids=[G2.upper(), G1], excluded_group_ids=[]))
    assert RING.patch(desired, existing_ring()) == {}


def test_patch_holds_only_differing_fields_with_the_odata_type_first():
    desired = RING.desired(ring_params(display_name='Ring 1', deferral_in_days=10, is_paused=False))
    patch = RING.patch(desired, existing_ring())
    assert patch == {'@odata.type': RING_TYPE, 'deferralInDays': 10}
    assert list(patch)[0] == '@odata.type'


def test_patch_group_ids_compare_as_sets_and_send_the_full_assignment():
    current = existing_ring()
    assert RING.patch(RING.desired(ring_params(included_group_ids=[G2, G1.upper()])), current) == {}
    patch = RING.patch(RING.desired(ring_params(included_group_ids=[G1])), current)
    assert patch == {'@odata.type': RING_TYPE, 'includedGroupAssignment': assignment('included', G1)}
    patch = RING.patch(RING.desired(ring_params(excluded_group_ids=[G3])), current)
    assert patch == {'@odata.type': RING_TYPE, 'excludedGroupAssignment': assignment('excluded', G3)}
    # clearing the groups is a change; an empty list and a missing assignment are the same
    assert RING.patch(RING.desired(ring_params(included_group_ids=[])), current) == {
        '@odata.type': RING_TYPE, 'includedGroupAssignment': assignment('included')}
    assert RING.patch(RING.desired(ring_params(excluded_group_ids=[])), current) == {}


def test_patch_without_patch_odata_type():
    entity = Entity('thing', 'thing', lambda p: ('things',), [StrField('name', 'name')], odata_type='#x.thing')
    assert entity.patch({'name': 'b'}, {'name': 'a'}) == {'name': 'b'}
    assert entity.create_body({'name': 'b'}) == {'@odata.type': '#x.thing', 'name': 'b'}


def test_item_path_quotes_segments():
    assert RING.item_path({'policy_id': 'p 1'}, 'r/1') == '/admin/windows/updates/policies/p%201/rings/r%2F1'


def test_clean_drops_odata_annotations_only():
    assert clean(existing_ring())['includedGroupAssignment']['@odata.type'] == INCLUDED_TYPE
    assert not [key for key in clean(existing_ring()) if key.startswith('@odata.')]
    assert clean(None) is None


# -- Resource.apply --------------------------------------------------------------------
def test_create(run):
    result, client = run(display_name='Ring 1', deferral_in_days=3, included_group_ids=[G1])
    assert client.calls == [
        ('GET', RINGS, None),
        ('POST', RINGS, {'@odata.type': RING_TYPE, 'displayName': 'Ring 1', 'deferralInDays': 3,
                         'includedGroupAssignment': assignment('included', G1)}),
        ('GET', RINGS, None),  # create-then-verify: no other run created 'Ring 1' meanwhile
    ]
    assert result['changed'] is True
    assert result['ring']['id'] == 'new-1'
    assert result['ring']['displayName'] == 'Ring 1'
    assert '@odata.type' not in result['ring']
    assert 'diff' not in result


def test_no_op_is_one_get_and_no_write(run):
    result, client = run([existing_ring(), existing_ring('r2', 'Ring 2')], display_name='Ring 1', description='pilot devices',
                         deferral_in_days=5, is_paused=False, included_group_ids=[G2, G1.upper()])
    assert client.calls == [('GET', RINGS, None)]
    assert result['changed'] is False
    assert result['ring'] == clean(existing_ring())


def test_no_op_by_id_is_one_get_of_the_item(run):
    result, client = run([existing_ring()], ring_id='r1', deferral_in_days=5)
    assert client.calls == [('GET', RINGS + '/r1', None)]
    assert result['changed'] is False


def test_patch_sends_the_minimal_body(run):
    result, client = run([existing_ring()], display_name='Ring 1', deferral_in_days=10, is_paused=False, description='pilot devices')
    assert client.writes() == [('PATCH', RINGS + '/r1', {'@odata.type': RING_TYPE, 'deferralInDays': 10})]
    assert len(client.calls) == 2
    assert result['changed'] is True
    assert result['ring']['deferralInDays'] == 10
    assert result['ring']['id'] == 'r1'
    assert '@odata.type' not in result['ring']


def test_rename_by_id(run):
    result, client = run([existing_ring()], ring_id='r1', display_name='Ring One')
    assert client.writes() == [('PATCH', RINGS + '/r1', {'@odata.type': RING_TYPE, 'displayName': 'Ring One'})]
    assert result['ring']['displayName'] == 'Ring One'


def test_absent_deletes(run):
    result, client = run([existing_ring()], display_name='Ring 1', state='absent')
    assert client.writes() == [('DELETE', RINGS + '/r1', None)]
    assert result['changed'] is True
    assert client.items == []


def test_absent_when_missing_writes_nothing(run):
    result, client = run([existing_ring()], display_name='Ring 9', state='absent')
    assert client.writes() == []
    assert result['changed'] is False
    result, client = run([], ring_id='r9', state='absent')
    assert client.calls == [('GET', RINGS + '/r9', None)]
    assert result['changed'] is False


@pytest.mark.parametrize('items, params', [
    ([], dict(display_name='Ring 1')),
    ([existing_ring()], dict(display_name='Ring 1', deferral_in_days=20)),
    ([existing_ring()], dict(display_name='Ring 1', state='absent')),
], ids=['create', 'patch', 'delete'])
def test_check_mode_writes_nothing_but_reports_the_change(run, items, params):
    result, client = run(items, check_mode=True, diff=True, **params)
    assert client.writes() == []
    assert result['changed'] is True
    assert result['diff']['before'] != result['diff']['after']


def test_check_mode_create_reports_the_entity_it_would_create(run):
    result, dummy = run([], check_mode=True, display_name='Ring 1', included_group_ids=[G1])
    assert result['ring']['displayName'] == 'Ring 1'
    assert '@odata.type' not in result['ring']


def test_diff_on_update(run):
    result, dummy = run([existing_ring()], diff=True, display_name='Ring 1', deferral_in_days=10, included_group_ids=[G3])
    before, after = result['diff']['before'], result['diff']['after']
    assert before == clean(existing_ring())
    assert before['deferralInDays'] == 5 and after['deferralInDays'] == 10
    assert after['includedGroupAssignment']['assignments'] == [{'groupId': G3}]
    assert after['description'] == 'pilot devices'  # untouched fields stay
    assert not [key for key in after if key.startswith('@')]


def test_diff_on_create_and_delete(run):
    result, dummy = run([], diff=True, display_name='Ring 1')
    assert result['diff']['before'] == {}
    assert result['diff']['after']['displayName'] == 'Ring 1'
    result, dummy = run([existing_ring()], diff=True, ring_id='r1', state='absent')
    assert result['diff'] == {'before': clean(existing_ring()), 'after': {}}


def test_diff_on_no_op(run):
    result, dummy = run([existing_ring()], diff=True, display_name='Ring 1')
    assert result['diff']['before'] == result['diff']['after'] == clean(existing_ring())


def test_duplicate_display_names_are_an_error_listing_the_ids(run):
    with pytest.raises(ModuleInputError) as err:
        run([existing_ring('r1'), existing_ring('r2', 'Ring 2'), existing_ring('r3')], display_name='Ring 1', deferral_in_days=9)
    message = str(err.value)
    assert 'r1' in message and 'r3' in message and 'r2' not in message
    assert 'ring_id' in message
    assert 'p1' in message


def test_duplicates_write_nothing(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [existing_ring('r1'), existing_ring('r3')])
    module = fake_module(ring_params(display_name='Ring 1', state='absent'), client)
    with pytest.raises(ModuleInputError):
        Resource(module, RING).apply()
    assert client.writes() == []


def test_unknown_ring_id_is_an_error(run):
    with pytest.raises(ModuleInputError) as err:
        run([existing_ring()], ring_id='r9', display_name='Ring 9')
    assert 'r9' in str(err.value) and 'not found' in str(err.value)


def test_identity_is_required_before_any_request(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [])
    module = fake_module(ring_params(deferral_in_days=3), client)
    with pytest.raises(ModuleInputError) as err:
        Resource(module, RING).apply()
    assert 'ring_id' in str(err.value) and 'display_name' in str(err.value)
    assert client.calls == []


def test_invalid_input_fails_before_any_request(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [existing_ring()])
    module = fake_module(ring_params(display_name='Ring 1', deferral_in_days=45), client)
    with pytest.raises(ModuleInputError):
        Resource(module, RING).apply()
    assert client.calls == []


def test_create_needs_the_required_options(fake_graph_client, fake_module):
    fields = [StrField('device_id', 'deviceId'), StrField('display_name', 'displayName')]
    states = Entity('update state', 'update_state', lambda p: ('states',), fields, natural_key='device_id',
                    required_on_create=('display_name',))
    client = fake_graph_client('/states', [])
    module = fake_module({'id': None, 'device_id': 'd1', 'display_name': None, 'state': 'present'}, client)
    with pytest.raises(ModuleInputError) as err:
        Resource(module, states).apply()
    assert 'display_name' in str(err.value)
    assert client.writes() == []


def test_entity_that_cannot_be_created(fake_graph_client, fake_module):
    images = Entity('os image', 'os_image', lambda p: ('images',), [StrField('name', 'name')], can_create=False)
    client = fake_graph_client('/images', [])
    module = fake_module({'id': 'Windows 11 22H1', 'name': 'x', 'state': 'present'}, client)
    with pytest.raises(ModuleInputError) as err:
        Resource(module, images).apply()
    assert 'no way to create' in str(err.value)
    assert client.calls == [('GET', '/images/Windows%2011%2022H1', None)]


def test_lost_post_answer_looks_up_before_posting_again(run, outcome_unknown):
    result, client = run([], post_failures=[(outcome_unknown, True)], display_name='Ring 1', deferral_in_days=3)
    assert [call[0] for call in client.calls] == ['GET', 'POST', 'GET']
    assert len(client.items) == 1  # no duplicate
    assert result['changed'] is True
    assert result['ring']['id'] == 'new-1'
    assert result['ring']['displayName'] == 'Ring 1'
    assert '@odata.type' not in result['ring']


def test_lost_post_that_did_not_happen_is_sent_again_once(run, outcome_unknown):
    result, client = run([], post_failures=[(outcome_unknown, False)], display_name='Ring 1')
    assert [call[0] for call in client.calls] == ['GET', 'POST', 'GET', 'POST', 'GET']
    assert len(client.items) == 1
    assert result['ring']['id'] == 'new-2'


# -- list_or_get (the _info modules) ------------------------------------------------------
def test_list_or_get(fake_graph_client, fake_module):
    client = fake_graph_client(RINGS, [existing_ring('r1'), existing_ring('r2', 'Ring 2', isPaused=True)])
    everything = list_or_get(fake_module(ring_params(), client), RING)
    assert [ring['id'] for ring in everything] == ['r1', 'r2']
    assert not [key for ring in everything for key in ring if key.startswith('@odata.')]
    assert [r['id'] for r in list_or_get(fake_module(ring_params(display_name='Ring 2'), client), RING)] == ['r2']
    assert [r['id'] for r in list_or_get(fake_module(ring_params(ring_id='r1'), client), RING)] == ['r1']
    assert list_or_get(fake_module(ring_params(ring_id='r9'), client), RING) == []
    paused = list_or_get(fake_module(ring_params(is_paused=True), client), RING, filters=[Filter(RING.by_option['is_paused'])])
    assert [r['id'] for r in paused] == ['r2']


def test_filters_are_validated_before_any_request_and_match_the_fields_way(fake_graph_client, fake_module):
    field = ListField('architectures', 'supportedArchitectures', item=EnumField(choices=('x64', 'arM64')))
    images = Entity('os image', 'os_images', lambda p: ('images',), [field, StrField('owner', 'owner')], can_create=False)
    client = fake_graph_client('/images', [{'id': 'a', 'supportedArchitectures': ['x64', 'ARM64'], 'owner': 'Adele@Contoso.com'},
                                           {'id': 'b', 'supportedArchitectures': ['x64'], 'owner': 'megan@contoso.com'},
                                           {'id': 'c', 'owner': None}])
    architecture = Filter(field, option='architecture')
    owner = Filter(images.by_option['owner'], ignore_case=True)
    assert architecture.spec() == {'type': 'str'}
    with pytest.raises(ModuleInputError) as err:
        list_or_get(fake_module({'architecture': 'sparc'}, client), images, [architecture, owner])
    assert "architecture: 'sparc' is not one of x64, arM64" in str(err.value)
    assert client.calls == []

    def ids(**params):
        return [item['id'] for item in list_or_get(fake_module(params, client), images, [architecture, owner])]
    assert ids(architecture='arm64') == ['a']
    assert ids(architecture='X64') == ['a', 'b']
    assert ids(owner='adele@contoso.COM') == ['a']
    assert ids(architecture='x64', owner='MEGAN@contoso.com') == ['b']
    assert ids() == ['a', 'b', 'c']


def test_a_state_is_found_by_a_device_id_in_another_case(fake_graph_client, fake_module):
    """Issue 22 item 2: device ids are GUIDs, compared without case; the id as Graph holds it is not a change."""
    from ansible_collections.graphops.intune.plugins.module_utils.entities.update_states import UPDATE_STATE
    states = '/deviceManagement/deviceConfigurations/c1/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates'
    client = fake_graph_client(states, [{'@odata.type': '#microsoft.graph.windowsUpdateState', 'id': 's1',
                                         'deviceId': 'abc-1', 'status': 'upToDate'}])
    params = dict((option, None) for option in UPDATE_STATE.field_specs())
    params.update(device_configuration_id='c1', id=None, state='present', device_id='ABC-1', status='upToDate')
    result = Resource(fake_module(params, client), UPDATE_STATE).apply()
    assert result['changed'] is False and client.writes() == []
    params.update(status='failed')
    result = Resource(fake_module(params, client), UPDATE_STATE).apply()
    assert result['changed'] is True and client.writes() == [('PATCH', states + '/s1', {'status': 'failed'})]
