# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""device_update_state with `states:` (bulk reconcile through $batch) against the emulator."""

from __future__ import annotations

import math

import yaml

# By package path: a bare `conftest` may be tests/unit's when both directories are collected in one run.
from integration.conftest import DEVICE1, SEED, WUFB_CONFIG, graph_calls, writes

MODULE = 'graphops.intune.device_update_state'
STATES = ('/beta/deviceManagement/deviceConfigurations/%s/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates'
          % WUFB_CONFIG)
EXAMPLE_ID = '3d92af00-af00-3d92-00af-923d00af923d'
EXAMPLE_DEVICE = 'Device Id value'
PC1_STATE = '7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f'
PAGE_SIZE = 50


def device(number):
    return 'd1e2f3a4-0000-4000-8000-%012d' % (1000 + number)


def bulk(name='bulk', **args):
    args.setdefault('device_configuration_id', WUFB_CONFIG)
    return {'name': name, MODULE: args}


def seed_with_states(graph, count):
    """The default seed plus `count` states (devices 0..count-1, upToDate) in the WUfB configuration."""
    with open(SEED) as handle:
        seed = yaml.safe_load(handle)
    config = seed['deviceManagement']['deviceConfigurations'][0]
    for number in range(count):
        config['deviceUpdateStates'].append({
            '@odata.type': '#microsoft.graph.windowsUpdateState', 'id': 'aaaaaaaa-0000-4000-8000-%012d' % number,
            'deviceId': device(number), 'deviceDisplayName': 'PC-%04d' % number, 'status': 'upToDate',
            'qualityUpdateVersion': '10.0.22631.3296', 'lastScanDateTime': '2024-03-13T06:12:44.1234567Z'})
    graph.reset(seed)
    graph.set_page_size(PAGE_SIZE)


def config_states(graph):
    for item in graph.state()['deviceManagement']['deviceConfigurations']:
        if item['id'] == WUFB_CONFIG:
            return item.get('deviceUpdateStates') or []
    raise AssertionError('no WUfB configuration')


def top_level(graph):
    """(method, path) of every top-level Graph request ($batch inner requests excluded)."""
    return [(e['method'], e['path']) for e in graph_calls(graph.requests())]


def test_hundred_items_in_a_handful_of_requests_then_no_write(ansible, graph):
    seed_with_states(graph, 60)
    items = []
    for number in range(100):
        if number < 30:    # as they are; the scan time given in another offset
            items.append({'device_id': device(number), 'status': 'UPTODATE', 'last_scan_date_time': '2024-03-13T08:12:44.1234567+02:00'})
        elif number < 60:  # one field differs
            items.append({'device_id': device(number), 'status': 'failed', 'quality_update_version': '10.0.22631.3296'})
        else:              # new
            items.append({'device_id': device(number), 'status': 'pendingReboot', 'device_display_name': 'PC-%04d' % number})
    run = ansible([bulk(states=items)])
    assert run.rc == 0, run.output
    result = run.last['result']
    assert run.last['status'] == 'changed'
    assert (result['created'], result['updated'], result['deleted'], result['unchanged']) == (40, 30, 0, 30)
    assert result['failed_items'] == []
    assert [r['action'] for r in result['item_results']] == ['unchanged'] * 30 + ['updated'] * 30 + ['created'] * 40
    assert all(r['id'] for r in result['item_results']) and [r['index'] for r in result['item_results']] == list(range(100))
    assert [s['deviceId'] for s in result['update_states']] == [device(n) for n in range(100)]

    log = graph.requests()
    list_gets = math.ceil(62 / PAGE_SIZE)
    batches = math.ceil(70 / 20)
    # ...and the collection read once more to verify that no other run created the same devices meanwhile.
    assert top_level(graph) == ([('GET', STATES)] * list_gets + [('POST', '/beta/$batch')] * batches
                                + [('GET', STATES)] * math.ceil(102 / PAGE_SIZE))
    inner = writes(log)
    assert sorted(set(e['method'] for e in inner)) == ['PATCH', 'POST'] and len(inner) == 70
    assert all(e['body'] == {'status': 'failed'} for e in inner if e['method'] == 'PATCH')  # only the differing field
    assert all(e['status'] in (200, 201) for e in inner)
    by_device = dict((s['deviceId'], s) for s in config_states(graph))
    assert len(by_device) == 102
    assert by_device[device(45)]['status'] == 'failed' and by_device[device(99)]['status'] == 'pendingReboot'

    graph.clear_requests()
    again = ansible([bulk(states=items)])
    assert again.rc == 0, again.output
    assert again.last['status'] == 'ok'
    assert again.last['result']['unchanged'] == 100
    assert top_level(graph) == [('GET', STATES)] * math.ceil(102 / PAGE_SIZE)
    assert not writes(graph.requests())


def test_throttled_items_are_retried_and_failed_items_reported(ansible, graph):
    # Inside $batch: the first 3 creates are throttled once, the PATCH of PC1 is always rejected,
    # the DELETE is throttled every time.
    graph.add_fault(method='POST', path='deviceUpdateStates$', status=429, retry_after=1, times=3, in_batch=True)
    graph.add_fault(method='PATCH', path=PC1_STATE, status=400, code='BadRequest', message='Emulated rejection', times=-1,
                    in_batch=True)
    graph.add_fault(method='DELETE', path='deviceUpdateStates/', status=429, retry_after=1, times=-1, in_batch=True)
    items = [{'device_id': device(n), 'status': 'upToDate'} for n in range(25)]
    items += [{'device_id': DEVICE1, 'status': 'failed'}, {'device_id': EXAMPLE_DEVICE, 'state': 'absent'}]
    run = ansible([bulk(states=items, max_retries=2)])
    assert run.rc != 0
    assert run.last['status'] == 'failed'
    result = run.last['result']
    assert result['msg'].startswith('2 of 27 device update state write(s) failed; the others were applied')
    assert result['changed'] is True
    assert (result['created'], result['updated'], result['deleted'], result['unchanged']) == (25, 0, 0, 0)

    log = graph.requests()
    patch_log = [e for e in log if e['in_batch'] and e['method'] == 'PATCH']
    delete_log = [e for e in log if e['in_batch'] and e['method'] == 'DELETE']
    failed = dict((f['device_id'], f) for f in result['failed_items'])
    assert failed[DEVICE1] == {'device_id': DEVICE1, 'id': PC1_STATE, 'index': 25, 'action': 'updated', 'status': 400,
                               'code': 'BadRequest', 'message': 'Emulated rejection', 'request_id': patch_log[-1]['request_id']}
    assert failed[EXAMPLE_DEVICE]['status'] == 429 and failed[EXAMPLE_DEVICE]['code'] == 'TooManyRequests'
    assert failed[EXAMPLE_DEVICE]['action'] == 'deleted' and failed[EXAMPLE_DEVICE]['index'] == 26
    assert failed[EXAMPLE_DEVICE]['request_id'] == delete_log[-1]['request_id']
    assert [r['action'] for r in result['item_results'][24:]] == ['created', 'failed', 'failed']

    # 27 writes in 2 batches; each throttled item goes again on its own after its Retry-After: the 3 creates
    # (due together) and the delete (due at about the same time: with them or alone), then the delete again.
    # 400 is not retried. The last GET verifies the creates.
    calls = top_level(graph)
    assert calls[0] == calls[-1] == ('GET', STATES) and set(calls[1:-1]) == {('POST', '/beta/$batch')}
    assert len(calls) - 2 in (4, 5)
    assert len(patch_log) == 1 and len(delete_log) == 3
    posts = [e for e in log if e['in_batch'] and e['method'] == 'POST']
    assert [e['status'] for e in posts].count(429) == 3 and [e['status'] for e in posts].count(201) == 25

    # The succeeded items stay applied, each exactly once; the failed ones are as they were.
    states = config_states(graph)
    assert sorted(s['deviceId'] for s in states if s['id'] not in (PC1_STATE, EXAMPLE_ID)) == [device(n) for n in range(25)]
    by_id = dict((s['id'], s) for s in states)
    assert by_id[PC1_STATE]['status'] == 'upToDate' and EXAMPLE_ID in by_id


def test_lost_batch_answer_creates_nothing_twice(ansible, graph):
    # Graph applies the batch but the connection drops before the answer (here: one inner item
    # drops, the others are applied). The module reads the collection back: the applied creates
    # are counted; the dropped one is not sent again blind (issue 24: a late write would make a
    # duplicate) but reported as "may have been applied". The next run converges.
    graph.add_fault(method='POST', path='deviceUpdateStates$', kind='drop', times=1, in_batch=True)
    items = [{'device_id': device(n), 'status': 'pendingInstallation'} for n in range(5)]
    run = ansible([bulk(states=items, max_retries=0)])
    assert run.rc != 0
    result = run.last['result']
    assert result['created'] == 4 and [r['action'] for r in result['item_results']] == ['failed'] + ['created'] * 4
    assert result['failed_items'][0]['device_id'] == device(0) and result['failed_items'][0]['code'] == 'OutcomeUnknown'
    assert 'may have been applied' in result['msg']
    # One $batch only; then the collection read back (polled while the dropped create may still land).
    calls = top_level(graph)
    assert calls[:2] == [('GET', STATES), ('POST', '/beta/$batch')] and set(calls[2:]) == {('GET', STATES)}
    assert sorted(s['deviceId'] for s in config_states(graph) if s['deviceId'].startswith('d1e2')) == sorted(
        [device(n) for n in range(1, 5)] + [DEVICE1])
    again = ansible([bulk(states=items, max_retries=0)])
    assert again.rc == 0 and again.last['result']['created'] == 1 and again.last['result']['unchanged'] == 4
    assert sorted(s['deviceId'] for s in config_states(graph) if s['deviceId'].startswith('d1e2')) == sorted(
        [device(n) for n in range(5)] + [DEVICE1])


def test_purge_check_mode_then_apply_with_diff(ansible, graph):
    items = [{'device_id': DEVICE1, 'status': 'upToDate'}, {'device_id': 'new-1', 'status': 'Failed'}]
    run = ansible([
        dict(bulk('preview', states=items, purge=True), check_mode=True),
        bulk('purge', states=items, purge=True),
        bulk('purge again', states=items, purge=True),
        bulk('remove listed', states=[{'device_id': 'new-1'}], state='absent'),
    ], diff=True)
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'changed', 'ok', 'changed']
    preview, applied = run.task('preview')['result'], run.task('purge')['result']
    for result in (preview, applied):
        assert (result['created'], result['updated'], result['deleted'], result['unchanged']) == (1, 0, 1, 1)
        assert [(r['device_id'], r['action'], r['index']) for r in result['item_results']] == [
            (DEVICE1, 'unchanged', 0), ('new-1', 'created', 1), (EXAMPLE_DEVICE, 'deleted', None)]
        assert sorted(result['diff']['before']) == [EXAMPLE_DEVICE] and sorted(result['diff']['after']) == ['new-1']
        assert result['diff']['before'][EXAMPLE_DEVICE]['id'] == EXAMPLE_ID
    assert preview['item_results'][1]['id'] is None and preview['diff']['after']['new-1'] == {'deviceId': 'new-1', 'status': 'failed'}
    assert applied['item_results'][1]['id'] == applied['diff']['after']['new-1']['id']
    assert run.task('remove listed')['result']['deleted'] == 1
    # The diffs render as text, with the device id as the key.
    assert '-    "%s": {' % EXAMPLE_DEVICE in run.stdout and '+    "new-1": {' in run.stdout
    assert 'Callback dispatch' not in run.output

    log = graph.requests()
    inner = writes(log)
    assert [(e['method'], e['path']) for e in inner] == [
        ('POST', STATES), ('DELETE', STATES + '/' + EXAMPLE_ID), ('DELETE', STATES + '/' + applied['item_results'][1]['id'])]
    # the preview and the rerun only read; the create is verified by one more read
    assert top_level(graph) == [('GET', STATES), ('GET', STATES), ('POST', '/beta/$batch'), ('GET', STATES), ('GET', STATES),
                                ('GET', STATES), ('POST', '/beta/$batch')]
    assert [s['id'] for s in config_states(graph)] == [PC1_STATE]


def test_bad_items_fail_before_any_request(ansible, graph):
    good = [{'device_id': device(n), 'status': 'upToDate'} for n in range(50)]
    bad_status = [dict(item) for item in good]
    bad_status[37]['status'] = 'rebooting'
    bad_date = [dict(item) for item in good] + [{'device_id': device(3)}]
    bad_date[12]['last_sync_date_time'] = 'last Tuesday'
    tasks = [
        bulk('bad status', states=bad_status),
        bulk('bad date and duplicate', states=bad_date),
        bulk('states and device_id', states=good, device_id=DEVICE1),
        bulk('item without device_id', states=[{'status': 'failed'}]),
        bulk('unknown item option', states=[{'device_id': DEVICE1, 'colour': 'red'}]),
    ]
    run = ansible([dict(t, ignore_errors=True) for t in tasks])
    assert run.statuses() == ['failed'] * 5
    assert graph.requests() == [], graph.requests()
    msg = dict((r['task'], r['result']['msg']) for r in run.results)
    assert msg['bad status'].startswith('1 invalid item(s) in states, nothing was changed: states[37] (device_id %r): status:'
                                        % device(37))
    assert "states[12] (device_id %r): last_sync_date_time" % device(12) in msg['bad date and duplicate']
    assert "device_id %r is given more than once in states (states[3], states[50])" % device(3) in msg['bad date and duplicate']
    assert 'mutually exclusive: states|device_id' in msg['states and device_id']
    assert 'missing required arguments: device_id found in states' in msg['item without device_id']
    assert 'colour' in msg['unknown item option']
