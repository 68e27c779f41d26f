# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""device_configuration_state(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

from conftest import DEVICE1, USER1, graph_calls, writes

MODULE = 'graphops.intune.device_configuration_state'
INFO = 'graphops.intune.device_configuration_state_info'
STATE1 = '11692784-2784-1169-8427-691184276911'
DEVICE2 = 'd1e2f3a4-0000-4000-8000-000000000002'
USER2 = 'e5f6a7b8-0000-4000-8000-000000000002'
DEVICE_PATH = '/beta/deviceManagement/managedDevices/%s/deviceConfigurationStates' % DEVICE1
USER_PATH = '/beta/users/%s/managedDevices/%s/deviceConfigurationStates' % (USER1, DEVICE1)
BASELINE = 'c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c'


def task(name, module=MODULE, **args):
    args.setdefault('managed_device_id', DEVICE1)
    return {'name': name, module: args}


def setting(name, value, state='compliant'):
    # Only some keys, sources without sourceType: keys left out are not compared.
    return {'setting': name, 'state': state, 'current_value': value,
            'sources': [{'id': BASELINE, 'display_name': 'Windows 10 baseline'}]}


def test_compliance_state_is_graphs_state_by_display_name(ansible, graph):
    run = ansible([
        task('not assigned', display_name='Windows 10 baseline', compliance_state='NotAssigned', version=7),
        task('again', display_name='Windows 10 baseline', compliance_state='notassigned'),
    ])
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'ok']
    log = graph_calls(graph.requests())
    # By display name: list, PATCH the match; then list again and nothing to do.
    assert [(e['method'], e['path']) for e in log] == [
        ('GET', DEVICE_PATH), ('PATCH', DEVICE_PATH + '/' + STATE1), ('GET', DEVICE_PATH)], log
    assert log[1]['body'] == {'state': 'notAssigned'}  # metadata value, Graph's casing, version already 7
    state = run.task('not assigned')['result']['configuration_state']
    assert state['state'] == 'notAssigned' and state['id'] == STATE1 and '@odata.type' not in state


def test_setting_states_compare_by_content_in_any_order(ansible, graph):
    same = [setting('passwordMinimumLength', '12'), setting('passwordRequired', 'true')]
    changed = [setting('passwordMinimumLength', '14', 'REMEDIATED'), setting('passwordRequired', 'true')]
    run = ansible([
        task('same, reversed', id=STATE1, setting_states=same),
        task('one value changes', id=STATE1, setting_states=changed, setting_count=2),
        task('again, reversed', id=STATE1, setting_states=list(reversed(changed))),
    ])
    assert run.rc == 0, run.output
    assert run.statuses() == ['ok', 'changed', 'ok']
    log = graph_calls(graph.requests())
    assert [e['method'] for e in log] == ['GET', 'GET', 'PATCH', 'GET'], log
    body = log[2]['body']
    assert list(body) == ['settingStates']  # settingCount is already 2
    assert {(s['setting'], s['state'], s['currentValue']) for s in body['settingStates']} == {
        ('passwordMinimumLength', 'remediated', '14'), ('passwordRequired', 'compliant', 'true')}
    assert body['settingStates'][0]['sources'] == [{'id': BASELINE, 'displayName': 'Windows 10 baseline'}]
    after = run.task('one value changes')['result']['configuration_state']['settingStates']
    assert {s['currentValue'] for s in after} == {'14', 'true'}


def test_users_path_and_a_device_of_another_user(ansible, graph):
    run = ansible([
        task('through the user', user_id=USER1, id=STATE1, platform_type='ANDROIDWORKPROFILE'),
        dict(task('not her device', user_id=USER2, id=STATE1, platform_type='all'), ignore_errors=True),
    ])
    assert run.statuses() == ['changed', 'failed'], run.output
    log = graph_calls(graph.requests())
    assert [(e['method'], e['path'], e['status']) for e in log] == [
        ('GET', USER_PATH + '/' + STATE1, 200), ('PATCH', USER_PATH + '/' + STATE1, 200),
        ('GET', '/beta/users/%s/managedDevices/%s/deviceConfigurationStates/%s' % (USER2, DEVICE1, STATE1), 404)], log
    assert log[1]['body'] == {'platformType': 'androidWorkProfile'}
    failed = run.task('not her device')['result']
    assert failed['msg'] == ('device configuration state (managed_device_id %s, user_id %s) %s was not found; '
                             'Graph offers no way to create it' % (DEVICE1, USER2, STATE1))


def test_bad_values_fail_before_any_request(ansible, graph):
    run = ansible([dict(task('bad', id=STATE1, platform_type='windows11', compliance_state='green', version=2 ** 31,
                             setting_states=[{'setting': 'x', 'state': 'fine'}]), ignore_errors=True),
                   dict(task('no identity', compliance_state='error'), ignore_errors=True)])
    assert run.statuses() == ['failed', 'failed'], run.output
    msg = run.task('bad')['result']['msg']
    for text in ("platform_type: 'windows11' is not one of android, androidForWork", "compliance_state: 'green' is not one of",
                 'version must be between -2147483648 and 2147483647', "setting_states[0].state: 'fine' is not one of"):
        assert text in msg, msg
    assert 'one of the following is required: id, display_name' in run.task('no identity')['result']['msg']
    assert graph_calls(graph.requests()) == []


def test_check_mode_and_diff_then_missing_by_name(ansible, graph):
    run = ansible([
        task('preview', display_name='Windows 10 baseline', compliance_state='error', setting_count=3),
        dict(task('missing', display_name='No such policy', compliance_state='error'), ignore_errors=True),
    ], check=True, diff=True)
    assert run.statuses() == ['changed', 'failed'], run.output
    assert not writes(graph.requests())
    diff = run.task('preview')['result']['diff']
    assert (diff['before']['state'], diff['after']['state']) == ('compliant', 'error')
    assert (diff['before']['settingCount'], diff['after']['settingCount']) == (2, 3)
    assert '-    "state": "compliant"' in run.stdout and '+    "state": "error"' in run.stdout
    assert run.task('missing')['result']['msg'] == (
        'device configuration state (managed_device_id %s) No such policy was not found; Graph offers no way to create it' % DEVICE1)


def test_info_list_get_and_filter(ansible, graph):
    run = ansible([
        task('all', INFO),
        task('by name', INFO, display_name='Windows 10 baseline'),
        task('errors of a user device', INFO, user_id=USER2, managed_device_id=DEVICE2, compliance_state='ERROR'),
        task('compliant on device 2', INFO, managed_device_id=DEVICE2, compliance_state='compliant'),
        task('missing id', INFO, id='00000000-0000-0000-0000-000000000000'),
        dict(task('bad filter', INFO, compliance_state='green'), ignore_errors=True),
    ])
    assert run.statuses() == ['ok'] * 5 + ['failed'], run.output
    states = run.task('all')['result']['configuration_states']
    assert [s['id'] for s in states] == [STATE1] and states[0]['settingCount'] == 2
    assert [s['id'] for s in run.task('by name')['result']['configuration_states']] == [STATE1]
    errors = run.task('errors of a user device')['result']['configuration_states']
    assert [s['displayName'] for s in errors] == ['WUfB - Pilot ring']
    assert run.task('compliant on device 2')['result']['configuration_states'] == []
    assert run.task('missing id')['result']['configuration_states'] == []
    log = graph_calls(graph.requests())
    assert len(log) == 5 and not writes(graph.requests())
    assert log[2]['path'] == '/beta/users/%s/managedDevices/%s/deviceConfigurationStates' % (USER2, DEVICE2)
