# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""device_update_state with `states_file:` (CSV or JSON lines, read as a stream) against the emulator."""

from __future__ import annotations

import json

from integration.conftest import DEVICE1, OTHER_CONFIG, WUFB_CONFIG, graph_calls, writes
from integration.test_device_update_state_bulk import STATES, bulk, config_states, device, seed_with_states


def test_csv_file_reconciles_like_states_and_reads_pages_with_select(ansible, graph, tmp_path):
    seed_with_states(graph, 60)
    lines = ['\ufeffdevice_id,status,device_configuration_id,quality_update_version']
    for number in range(100):
        if number < 30:
            lines.append('%s,UPTODATE,,' % device(number))          # as it is
        elif number < 60:
            lines.append('%s,failed,%s,' % (device(number), WUFB_CONFIG))  # one field differs
        else:
            lines.append('%s,pendingReboot,,10.0.1' % device(number))   # new
    lines.append('%s,failed,%s,' % (device(200), OTHER_CONFIG))         # another configuration's row: skipped
    path = tmp_path / 'states.csv'
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    run = ansible([bulk(states_file=str(path))])
    assert run.rc == 0, run.output
    result = run.last['result']
    assert (result['created'], result['updated'], result['deleted'], result['unchanged']) == (40, 30, 0, 30)
    # lean: only what was written is listed, the entities are not returned
    assert [(r['action'], r['index']) for r in result['item_results']] == [('updated', n) for n in range(30, 60)] + [
        ('created', n) for n in range(60, 100)]
    assert all(r['id'] for r in result['item_results']) and 'update_states' not in result
    gets = graph_calls(graph.requests(), 'GET')
    assert gets and all(e['path'] == STATES for e in gets)
    assert gets[0]['query']['$top'] == '1000' and gets[0]['query']['$select'].split(',')[:3] == ['id', 'deviceId', 'userId']
    assert len(writes(graph.requests())) == 70
    by_device = dict((s['deviceId'], s) for s in config_states(graph))
    assert by_device[device(45)]['status'] == 'failed' and by_device[device(99)]['qualityUpdateVersion'] == '10.0.1'
    assert device(200) not in by_device

    graph.clear_requests()
    again = ansible([bulk(states_file=str(path))])
    assert again.rc == 0 and again.last['status'] == 'ok', again.output
    assert again.last['result']['unchanged'] == 100 and again.last['result']['item_results'] == []
    assert not writes(graph.requests())


def test_json_lines_with_purge_check_mode_and_diff(ansible, graph, tmp_path):
    path = tmp_path / 'states.jsonl'
    path.write_text(json.dumps({'device_id': DEVICE1, 'status': 'upToDate'}) + '\n\n'
                    + json.dumps({'device_id': 'new-1', 'status': 'Failed', 'user_id': None}) + '\n', encoding='utf-8')
    run = ansible([dict(bulk('preview', states_file=str(path), purge=True), check_mode=True)], diff=True)
    assert run.rc == 0, run.output
    result = run.last['result']
    assert (result['created'], result['deleted'], result['unchanged']) == (1, 1, 1)
    assert [s['deviceId'] for s in result['update_states']] == [DEVICE1, 'new-1']  # diff mode: the full result
    assert sorted(result['diff']['after']) == ['new-1']
    assert not writes(graph.requests())


def test_bad_files_fail_before_any_request(ansible, graph, tmp_path):
    files = {
        'unknown column': ('a.csv', 'device_id,colour\nx,red\n'),
        'bad status': ('b.csv', 'device_id,status\nx,upToDate\ny,rebooting\n'),
        'duplicate device': ('c.jsonl', '{"device_id": "x"}\n{"device_id": "x"}\n'),
        'not json': ('d.jsonl', '{"device_id": "x"}\n{device_id\n'),
        'no device_id': ('e.csv', 'status\nfailed\n'),
        'bad state': ('f.csv', 'device_id,state\nx,gone\n'),
        'list value': ('g.jsonl', '{"device_id": ["x"]}\n'),
        'unknown format': ('h.txt', 'device_id\nx\n'),
        'missing file': ('missing.csv', None),
    }
    tasks = []
    for name, (filename, text) in files.items():
        if text is not None:
            (tmp_path / filename).write_text(text, encoding='utf-8')
        tasks.append(dict(bulk(name, states_file=str(tmp_path / filename)), ignore_errors=True))
    (tmp_path / 'ok.csv').write_text('device_id\nlisted\n', encoding='utf-8')
    tasks.append(dict(bulk('listed twice', states_file=str(tmp_path / 'ok.csv'), states=[{'device_id': 'listed'}]),
                      ignore_errors=True))
    tasks.append(dict(bulk('file and device_id', states_file=str(tmp_path / 'ok.csv'), device_id='x'), ignore_errors=True))
    run = ansible(tasks)
    assert run.statuses() == ['failed'] * len(tasks)
    assert graph.requests() == [], graph.requests()
    msg = dict((r['task'], r['result']['msg']) for r in run.results)
    assert msg['unknown column'] == '%s line 2: unsupported parameters: colour' % (tmp_path / 'a.csv')
    assert "states_file line 3 (device_id 'y'): status:" in msg['bad status']
    assert "device_id 'x' is given more than once in states_file (states_file line 1, states_file line 2)" in msg['duplicate device']
    assert 'line 2: not JSON' in msg['not json']
    assert 'line 2: missing required device_id' in msg['no device_id']
    assert "state must be one of present, absent, got 'gone'" in msg['bad state']
    assert 'device_id must be a string, got list' in msg['list value']
    assert 'cannot tell its format' in msg['unknown format']
    assert msg['missing file'].startswith('cannot read states_file') and 'No such file' in msg['missing file']
    assert ("device_id 'listed' is given more than once in states and states_file (states[0], states_file line 2)"
            in msg['listed twice'])
    assert 'mutually exclusive: states_file|device_id' in msg['file and device_id']


def test_states_then_file_rows_of_this_configuration(ansible, graph, tmp_path):
    path = tmp_path / 'mixed.csv'
    path.write_text('device_configuration_id,device_id,status\n'
                    ',unassigned,failed\n'
                    '%s,mine,failed\n'
                    '%s,theirs,failed\n' % (WUFB_CONFIG, OTHER_CONFIG), encoding='utf-8')
    run = ansible([
        bulk('default elsewhere', states=[{'device_id': 'listed', 'status': 'upToDate'}], states_file=str(path),
             states_file_default_configuration_id=OTHER_CONFIG),
        bulk('default here', states_file=str(path)),
    ])
    assert run.rc == 0, run.output
    first, second = run.task('default elsewhere')['result'], run.task('default here')['result']
    assert [(r['device_id'], r['action'], r['index']) for r in first['item_results']] == [('listed', 'created', 0), ('mine', 'created', 1)]
    assert [(r['device_id'], r['action']) for r in second['item_results']] == [('unassigned', 'created')]
    assert second['unchanged'] == 1
    assert sorted(s['deviceId'] for s in config_states(graph)) == sorted([DEVICE1, 'Device Id value', 'listed', 'mine', 'unassigned'])
