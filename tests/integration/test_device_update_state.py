# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""device_update_state (one state) and device_update_state_info through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import copy

import yaml

# By package path: a bare `conftest` may be tests/unit's when both directories are collected in one run.
from integration.conftest import (DEVICE1, OTHER_CONFIG, READER_APP, READER_SECRET, SEED, USER1, WUFB_CONFIG,
                                  graph_calls, writes)

MODULE = 'graphops.intune.device_update_state'
INFO = 'graphops.intune.device_update_state_info'
STATES = ('/beta/deviceManagement/deviceConfigurations/%s/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates'
          % WUFB_CONFIG)
EXAMPLE_ID = '3d92af00-af00-3d92-00af-923d00af923d'  # the API page's example, seeded
EXAMPLE_DEVICE = 'Device Id value'
PC1_STATE = '7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f'  # seeded state of DEVICE1


def task(name='state', module=MODULE, **args):
    args.setdefault('device_configuration_id', WUFB_CONFIG)
    return {'name': name, module: args}


def failing(tasks):
    """The tasks, each allowed to fail so that the play goes on."""
    return [dict(t, ignore_errors=True) for t in tasks]


def graph_log(graph):
    """Every Graph request (top level and inside $batch), without token/discovery requests."""
    return [e for e in graph.requests() if e['kind'] == 'graph']


def config_states(graph, config=WUFB_CONFIG):
    """The configuration's update states as the emulator holds them."""
    for item in graph.state()['deviceManagement']['deviceConfigurations']:
        if item['id'] == config:
            return item.get('deviceUpdateStates') or []
    raise AssertionError('no configuration %s' % config)


def test_create_then_ok_with_one_get_and_no_write(ansible, graph):
    create = task(device_id='d1e2f3a4-0000-4000-8000-0000000000aa', user_id=USER1, device_display_name='PC-00AA',
                  user_principal_name='AdeleV@contoso.onmicrosoft.com', status='PENDINGREBOOT',
                  quality_update_version='10.0.22631.3447', feature_update_version='10.0.22631.2428',
                  last_scan_date_time='2024-04-10T06:12:44.1234567Z', last_sync_date_time='2024-04-10T08:15:02+02:00')
    first = ansible([create])
    assert first.rc == 0, first.output
    assert first.last['status'] == 'changed'
    state = first.last['result']['update_state']
    assert state['id'] and state['status'] == 'pendingReboot' and '@odata.type' not in state
    log = graph_log(graph)
    assert [(e['method'], e['path'], e['status']) for e in log] == [('GET', STATES, 200), ('POST', STATES, 201), ('GET', STATES, 200)]
    assert log[1]['body'] == {
        '@odata.type': '#microsoft.graph.windowsUpdateState', 'deviceId': 'd1e2f3a4-0000-4000-8000-0000000000aa', 'userId': USER1,
        'deviceDisplayName': 'PC-00AA', 'userPrincipalName': 'AdeleV@contoso.onmicrosoft.com', 'status': 'pendingReboot',
        'qualityUpdateVersion': '10.0.22631.3447', 'featureUpdateVersion': '10.0.22631.2428',
        'lastScanDateTime': '2024-04-10T06:12:44.1234567Z', 'lastSyncDateTime': '2024-04-10T08:15:02+02:00'}

    graph.clear_requests()
    create[MODULE]['status'] = 'pendingReboot'
    create[MODULE]['last_sync_date_time'] = '2024-04-10T06:15:02.0000000Z'  # the same instant
    second = ansible([create])
    assert second.rc == 0, second.output
    assert second.last['status'] == 'ok'
    assert second.last['result']['update_state']['id'] == state['id']
    assert [(e['method'], e['path']) for e in graph_log(graph)] == [('GET', STATES)]
    assert not writes(graph.requests())


def test_same_instant_in_another_offset_is_no_write(ansible, graph):
    # Seeded as 2016-12-31T23:59:18.0955018-08:00 and 2017-01-01T00:02:49.3205976-08:00.
    run = ansible([task(id=EXAMPLE_ID, last_scan_date_time='2017-01-01T07:59:18.0955018Z',
                        last_sync_date_time='2017-01-01T09:32:49.3205976+01:30', status='pendinginstallation')])
    assert run.rc == 0, run.output
    assert run.last['status'] == 'ok'
    assert [(e['method'], e['path']) for e in graph_log(graph)] == [('GET', STATES + '/' + EXAMPLE_ID)]


def test_patch_holds_only_the_differing_fields_and_diff_shows_them(ansible, graph):
    run = ansible([task(device_id=EXAMPLE_DEVICE, user_id='User Id value', status='failed',
                        last_scan_date_time='2017-01-01T07:59:18.0955018Z',      # same instant
                        last_sync_date_time='2017-01-01T08:02:49.3205977Z')],    # 100 ns later
                  diff=True)
    assert run.rc == 0, run.output
    assert run.last['status'] == 'changed'
    patches = graph_calls(graph.requests(), 'PATCH')
    assert [(e['path'], e['body']) for e in patches] == [
        (STATES + '/' + EXAMPLE_ID, {'status': 'failed', 'lastSyncDateTime': '2017-01-01T08:02:49.3205977Z'})]
    result = run.last['result']
    assert result['update_state']['status'] == 'failed'
    assert result['diff']['before']['status'] == 'pendingInstallation' and result['diff']['after']['status'] == 'failed'
    assert '-    "status": "pendingInstallation",' in run.stdout and '+    "status": "failed",' in run.stdout


def test_absent_deletes_then_ok_without_write(ansible, graph):
    delete = task(device_id=DEVICE1, state='absent')
    run = ansible([delete, dict(delete, name='again')])
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'ok']
    assert run.task('state')['result']['update_state']['id'] == PC1_STATE
    assert run.task('again')['result']['update_state'] == {}
    deletes = writes(graph.requests())
    assert [(e['method'], e['path']) for e in deletes] == [('DELETE', STATES + '/' + PC1_STATE)]
    assert [s['id'] for s in config_states(graph)] == [EXAMPLE_ID]


def test_check_mode_writes_nothing_and_reports_changes(ansible, graph):
    run = ansible([
        task('create', device_id='new-device', status='upToDate'),
        task('update', id=PC1_STATE, status='failed'),
        task('delete', id=EXAMPLE_ID, state='absent'),
        task('unchanged', device_id=DEVICE1, status='UpToDate'),
    ], check=True, diff=True)
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'changed', 'changed', 'ok']
    assert not writes(graph.requests())
    create = run.task('create')['result']
    assert create['update_state'] == {'deviceId': 'new-device', 'status': 'upToDate'}
    assert create['diff'] == {'before': {}, 'after': {'deviceId': 'new-device', 'status': 'upToDate'}}
    assert run.task('update')['result']['diff']['after']['status'] == 'failed'
    assert run.task('delete')['result']['diff']['after'] == {}
    assert len(config_states(graph)) == 2 and config_states(graph)[1]['status'] == 'upToDate'


def test_bad_input_fails_before_any_request(ansible, graph):
    tasks = [
        task('bad status', device_id=DEVICE1, status='rebooting'),
        task('bad date', device_id=DEVICE1, last_scan_date_time='2024-13-01 10:00'),
        task('date without offset', device_id=DEVICE1, last_sync_date_time='2024-04-01T10:00:00'),
        task('too many digits', device_id=DEVICE1, last_sync_date_time='2024-04-01T10:00:00.12345678Z'),
        {'name': 'no configuration', MODULE: {'device_id': DEVICE1}},
        task('states and device_id', device_id=DEVICE1, states=[{'device_id': DEVICE1}]),
        task('states and a field', status='failed', states=[{'device_id': DEVICE1}]),
        task('no identity', status='failed'),
        task('purge without states', device_id=DEVICE1, purge=True),
        task('info bad status', module=INFO, status='nope'),
    ]
    run = ansible(failing(tasks))
    assert graph.requests() == [], graph.requests()  # not even a token request
    messages = dict((r['task'], r['result']['msg']) for r in run.results)
    assert "status: 'rebooting' is not one of upToDate, pendingInstallation, pendingReboot, failed" in messages['bad status']
    assert 'last_scan_date_time' in messages['bad date'] and 'ISO 8601' in messages['bad date']
    assert 'last_sync_date_time' in messages['date without offset']
    assert 'last_sync_date_time' in messages['too many digits']
    assert 'missing required arguments: device_configuration_id' in messages['no configuration']
    assert 'mutually exclusive: states|device_id' in messages['states and device_id']
    assert 'mutually exclusive: states|status' in messages['states and a field']
    assert 'one of the following is required: id, device_id, states' in messages['no identity']
    assert 'purge is True but any of the following are missing: states, states_file' in messages['purge without states']
    assert "'nope' is not one of upToDate" in messages['info bad status']
    assert run.statuses() == ['failed'] * 10


def test_ambiguous_device_id_fails_listing_the_ids(ansible, graph):
    seed = yaml.safe_load(open(SEED))
    config = seed['deviceManagement']['deviceConfigurations'][0]
    twin = copy.deepcopy(config['deviceUpdateStates'][1])
    twin['id'] = '0a0a0a0a-0000-4000-8000-0000000000aa'
    config['deviceUpdateStates'].append(twin)
    graph.reset(seed)
    run = ansible([task(device_id=DEVICE1, status='failed')])
    assert run.last['status'] == 'failed'
    msg = run.last['result']['msg']
    assert "2 entities have device_id %r" % DEVICE1 in msg and PC1_STATE in msg and twin['id'] in msg
    assert not writes(graph.requests())


def test_errors_from_graph_carry_status_and_request_id(ansible, graph):
    run = ansible(failing([
        task('not a WUfB configuration', device_configuration_id=OTHER_CONFIG, device_id=DEVICE1, status='failed'),
        task('reader cannot write', id=PC1_STATE, status='failed'),
    ]), env={'AZURE_CLIENT_ID': READER_APP, 'AZURE_CLIENT_SECRET': READER_SECRET})
    cast = run.task('not a WUfB configuration')['result']
    assert cast['status'] == 400 and cast['error_code'] == 'BadRequest' and cast['request_id']
    denied = run.task('reader cannot write')['result']
    assert denied['status'] == 403 and denied['error_code'] == 'Forbidden'
    assert 'DeviceManagementConfiguration.ReadWrite.All' in denied['msg']
    assert [e['method'] for e in graph_log(graph)] == ['GET', 'GET', 'PATCH']


def test_info_lists_all_pages_gets_one_and_filters(ansible, graph):
    graph.set_page_size(1)
    run = ansible([
        task('all', module=INFO),
        task('failed', module=INFO, status='FAILED'),
        task('pending', module=INFO, status='PendingInstallation', user_principal_name='user principal name VALUE'),
        task('by id', module=INFO, id=PC1_STATE),
        task('by device', module=INFO, device_id=EXAMPLE_DEVICE),
        task('missing id', module=INFO, id='00000000-0000-4000-8000-000000000000'),
    ], check=True, env={'AZURE_CLIENT_ID': READER_APP, 'AZURE_CLIENT_SECRET': READER_SECRET})
    assert run.rc == 0, run.output
    assert set(run.statuses()) == {'ok'}

    def ids(name):
        return [s['id'] for s in run.task(name)['result']['update_states']]
    assert ids('all') == [EXAMPLE_ID, PC1_STATE]
    assert ids('failed') == []
    assert ids('pending') == [EXAMPLE_ID]
    assert ids('by id') == [PC1_STATE] and ids('by device') == [EXAMPLE_ID] and ids('missing id') == []
    first = run.task('all')['result']['update_states'][1]
    assert first['deviceId'] == DEVICE1 and '@odata.type' not in first and '@odata.context' not in first
    gets = [e for e in graph_log(graph) if e['path'] == STATES]
    assert len(gets) == 2 * 4  # two pages for each listing task (page size 1)
    assert any('$skiptoken' in e['query'] for e in gets)
