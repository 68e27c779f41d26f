# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs at once against one tenant: natural-key creates never leave duplicates (issue 12, item 1).

Three real ansible-playbook processes race. The emulator delays every create (a latency
fault on the POST, applied before the write happens), so all three read the collection before
any create lands: without the engine's defences each would create every missing key. With separate token caches (three controllers:
separate lock files) create-then-verify resolves the race; with one shared cache (one
controller) the create lock serialises the runs, so nothing is created twice at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import yaml

from integration.conftest import BIN, EMPTY_POLICY, SEED, WUFB_CONFIG, writes

STATES = 'microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates'
RINGS_OF_EMPTY_POLICY = '/admin/windows/updates/policies/%s/rings' % EMPTY_POLICY
DEVICES = ['d1e2f3a4-0000-4000-8000-0000009%05d' % number for number in range(12)]
CREATE_LATENCY_MS = 4000


def race(ansible, tmp_path, tasks, runs=3, shared_cache=False, diff=False):
    """Start `runs` ansible-playbook processes at once; return [(rc, output, records)]."""
    inventory = tmp_path / 'race-inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
    playbook = tmp_path / 'race.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'race', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]))
    processes = []
    for number in range(runs):
        cache = tmp_path / ('shared' if shared_cache else 'controller-%d' % number) / 'token_cache.json'
        record = tmp_path / ('race-record-%d.jsonl' % number)
        env = ansible.env({'GRAPH_TOKEN_CACHE': str(cache), 'GRAPHOPS_RECORD': str(record),
                           'ANSIBLE_HOME': str(tmp_path / ('ansible-home-%d' % number))})
        args = [os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), str(playbook)] + (['--diff'] if diff else [])
        processes.append((subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), record))
    out = []
    for process, record in processes:
        output, dummy = process.communicate(timeout=300)
        records = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
        out.append((process.returncode, output, records))
    return out


def states_of(graph):
    for item in graph.state()['deviceManagement']['deviceConfigurations']:
        if item['id'] == WUFB_CONFIG:
            return item.get('deviceUpdateStates') or []
    raise AssertionError('no WUfB configuration')


def bulk_task():
    return [{'name': 'states', 'graphops.intune.device_update_state': {
        'device_configuration_id': WUFB_CONFIG,
        'states': [{'device_id': device, 'status': 'pendingReboot', 'device_display_name': 'PC-%d' % n}
                   for n, device in enumerate(DEVICES)]}}]


def slow_creates(graph, path):
    graph.add_fault(method='POST', path=path + '$', kind='latency', latency_ms=CREATE_LATENCY_MS, times=-1)


def test_three_controllers_racing_a_bulk_create_leave_no_duplicates(ansible, graph, tmp_path):
    slow_creates(graph, r'/\$batch')
    results = race(ansible, tmp_path, bulk_task())
    for rc, output, dummy in results:
        assert rc == 0, output
    counts = Counter(state['deviceId'] for state in states_of(graph))
    assert [device for device in DEVICES if counts[device] != 1] == []
    assert all(state['status'] == 'pendingReboot' for state in states_of(graph) if state['deviceId'] in DEVICES)
    log = writes(graph.requests())
    posts = [e for e in log if e['method'] == 'POST']
    deletes = [e for e in log if e['method'] == 'DELETE']
    # The race was real: more than one run created each key, and the losers removed only their own copies.
    assert len(posts) > len(DEVICES), 'the runs did not overlap; the test proves nothing: %s' % [
        (e['seq'], e['time'], e['method'], e['path'][-20:], e.get('fault')) for e in graph.requests() if not e.get('in_batch')]
    assert len(deletes) == len(posts) - len(DEVICES)
    # Every run reports the same surviving id per device.
    reported = [dict((r['device_id'], r['id']) for r in records[-1]['result']['item_results']) for dummy, dummy2, records in results]
    assert reported[0] == reported[1] == reported[2]
    graph.clear_faults()
    graph.clear_requests()
    again = ansible(bulk_task())
    assert again.rc == 0 and again.last['status'] == 'ok', again.output
    assert not writes(graph.requests())


def test_three_runs_on_one_controller_take_turns_and_create_once(ansible, graph, tmp_path):
    slow_creates(graph, r'/\$batch')
    results = race(ansible, tmp_path, bulk_task(), shared_cache=True)
    for rc, output, dummy in results:
        assert rc == 0, output
    log = writes(graph.requests())
    assert sorted(Counter(e['method'] for e in log).items()) == [('POST', len(DEVICES))]
    statuses = sorted(records[-1]['status'] for dummy, dummy2, records in results)
    assert statuses == ['changed', 'ok', 'ok']


def test_three_controllers_racing_one_ring_create_keep_one(ansible, graph, tmp_path):
    slow_creates(graph, RINGS_OF_EMPTY_POLICY)
    task = [{'name': 'ring', 'graphops.intune.windows_update_ring': {
        'policy_id': EMPTY_POLICY, 'display_name': 'Ring race', 'deferral_in_days': 7}}]
    results = race(ansible, tmp_path, task)
    for rc, output, dummy in results:
        assert rc == 0, output
    rings = [policy for policy in graph.state()['windowsUpdates']['policies'] if policy['id'] == EMPTY_POLICY][0]['rings']
    assert [(r['displayName'], r['deferralInDays']) for r in rings] == [('Ring race', 7)]
    posts = [e for e in writes(graph.requests()) if e['method'] == 'POST']
    assert len(posts) > 1, 'the runs did not overlap; the test proves nothing'
    assert len({records[-1]['result']['ring']['id'] for dummy, dummy2, records in results}) == 1


def seed_duplicate_rings(graph):
    with open(SEED) as handle:
        seed = yaml.safe_load(handle)
    policy = [p for p in seed['windowsUpdates']['policies'] if p['id'] == EMPTY_POLICY][0]
    for ring_id, created in (('00000000-0000-4000-8000-0000000000b2', '2024-02-01T00:00:00Z'),
                             ('00000000-0000-4000-8000-0000000000b1', '2024-01-01T00:00:00Z'),
                             ('00000000-0000-4000-8000-0000000000b3', '2024-03-01T00:00:00Z')):
        policy['rings'].append({'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateRing', 'id': ring_id,
                                'displayName': 'Ring dup', 'deferralInDays': 3, 'createdDateTime': created,
                                'lastModifiedDateTime': created})
    graph.reset(seed)


def test_existing_duplicates_fail_then_keep_oldest_converges_with_check_and_diff(ansible, graph):
    seed_duplicate_rings(graph)
    task = {'name': 'ring', 'graphops.intune.windows_update_ring': {
        'policy_id': EMPTY_POLICY, 'display_name': 'Ring dup', 'deferral_in_days': 3}}
    run = ansible([task])
    assert run.rc != 0
    message = run.last['result']['msg']
    assert '3 entities have display_name' in message and '0000000000b1' in message and '0000000000b3' in message
    assert 'on_duplicate=keep_oldest' in message
    assert not writes(graph.requests())

    task['graphops.intune.windows_update_ring']['on_duplicate'] = 'keep_oldest'
    check = ansible([task], check=True, diff=True)
    assert check.rc == 0, check.output
    assert check.last['status'] == 'changed'
    assert check.last['result']['deleted_duplicates'] == ['00000000-0000-4000-8000-0000000000b2',
                                                          '00000000-0000-4000-8000-0000000000b3']
    assert 'quality update ring 00000000-0000-4000-8000-0000000000b3 (duplicate, deleted)' in check.stdout
    assert not writes(graph.requests())

    run = ansible([task])
    assert run.rc == 0, run.output
    rings = [p for p in graph.state()['windowsUpdates']['policies'] if p['id'] == EMPTY_POLICY][0]['rings']
    assert [r['id'] for r in rings] == ['00000000-0000-4000-8000-0000000000b1']
    assert sorted(e['method'] for e in writes(graph.requests())) == ['DELETE', 'DELETE']


# -- forks racing for the first token (issue 22, item 3) -----------------------------------------------------
FORKS = 10
TOKEN_LATENCY_MS = 300  # a remote Entra answers in about this time


def forked_play(ansible, tmp_path, cache):
    """ansible-playbook with forks 10 over 10 hosts (all local), one Graph task each, sharing one token cache."""
    inventory = tmp_path / 'forks-inventory.yml'
    hosts = dict(('host%02d' % number, {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable})
                 for number in range(FORKS))
    inventory.write_text(yaml.safe_dump({'all': {'hosts': hosts}}))
    playbook = tmp_path / 'forks.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'forks', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'ring', 'graphops.intune.windows_update_ring_info': {'policy_id': EMPTY_POLICY}}]}]))
    record = tmp_path / 'forks-record.jsonl'
    env = ansible.env({'GRAPH_TOKEN_CACHE': str(cache), 'GRAPHOPS_RECORD': str(record), 'ANSIBLE_FORKS': str(FORKS)})
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), str(playbook)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    records = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    return proc, records


def test_ten_forks_with_an_empty_cache_ask_entra_once(ansible, graph, tmp_path):
    # The cache directory does not exist yet: ten forks create it at once.
    cache = tmp_path / 'new-controller' / 'cache' / 'token_cache.json'
    graph.add_fault(path=r'/oauth2/v2\.0/token$', kind='latency', latency_ms=TOKEN_LATENCY_MS, times=-1)
    proc, records = forked_play(ansible, tmp_path, cache)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert sorted(r['host'] for r in records if r['status'] == 'ok') == ['host%02d' % n for n in range(FORKS)], output
    tokens = [e for e in graph.requests() if e['kind'] == 'token']
    assert len(tokens) == 1, [(e['seq'], e['time']) for e in tokens]
    assert oct(os.stat(str(cache)).st_mode & 0o777) == oct(0o600)
    assert oct(os.stat(str(cache.parent)).st_mode & 0o777) == oct(0o700)
