# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk device_update_state, and single creates, under answers that break after Graph did the work (issue 24).

Each case of hostile_cases.HOSTILE_BULK_FAULTS (in the README's fault table) runs once with real ansible-playbook.
Bulk cases run the adversarial scenario: 200 states held; 100 creates, 100 updates, 50 deletes, 50 unchanged;
max_concurrency 4. Whatever the fault, the run ends (no hang, no endless paging), converges or fails with one clear
line, and leaves Graph exactly as the items say: no state twice, none deleted that is listed present, and counts
equal to what Graph holds. `pytest -s` prints one METRICS line per case (writes sent, duplicates left, counts).
"""

from __future__ import annotations

import collections
import json
import subprocess
import time

import pytest

from integration import hostile_cases as cases
from integration.conftest import EMPTY_POLICY, writes
from integration.test_device_update_state_bulk import bulk, config_states, device, seed_with_states

HELD = 200
CREATES, UPDATES, DELETES, UNCHANGED = range(200, 300), range(0, 100), range(100, 150), range(150, 200)


def scenario_items():
    """Creates first: the first $batch requests, which the faults hit, hold creates."""
    return ([{'device_id': device(n), 'status': 'pendingReboot'} for n in CREATES]
            + [{'device_id': device(n), 'status': 'failed'} for n in UPDATES]
            + [{'device_id': device(n), 'state': 'absent'} for n in DELETES]
            + [{'device_id': device(n), 'status': 'upToDate'} for n in UNCHANGED])


def held_by_device(graph):
    return collections.Counter(s['deviceId'].lower() for s in config_states(graph) if s['deviceId'].startswith('d1e2f3a4-0000-4000-8000-00000000'))


def metrics(graph, run):
    """What the run did and left (run None: it did not end within the timeout)."""
    log = graph.requests()
    sent = collections.Counter(e['method'] for e in writes(log))
    held = held_by_device(graph)
    result = run.last['result'] if run is not None and run.results else {}
    return {
        'rc': run.rc if run is not None else 'hung', 'status': run.last['status'] if run is not None and run.results else None,
        'writes': dict(sent), 'list_gets': len([e for e in log if e['method'] == 'GET' and e['path'].endswith('deviceUpdateStates')]),
        'duplicates_left': sum(count - 1 for count in held.values() if count > 1),
        'result': dict((key, result.get(key)) for key in ('created', 'updated', 'deleted', 'unchanged')),
        'failed_items': len(result.get('failed_items') or []),
        'msg': (result.get('msg') or '')[:300],
    }


@pytest.mark.parametrize('case', [c for c in cases.HOSTILE_BULK_FAULTS if c[2] == 'bulk'], ids=lambda c: c[1])
def test_bulk_under_a_hostile_batch_answer(ansible, graph, case):
    dummy, name, dummy2, fault, options, expected = case
    seed_with_states(graph, HELD)
    graph.add_fault(**fault)
    started = time.monotonic()
    try:
        run = ansible([bulk(states=scenario_items(), max_concurrency=4, **options)])
    except subprocess.TimeoutExpired:
        run = None  # hung (issue 24: a $batch answer cut short) or paging forever
    elapsed = time.monotonic() - started
    time.sleep(2)  # a write Graph applies late lands before Graph is counted
    found = metrics(graph, run)
    print('METRICS %s %s' % (name, json.dumps(dict(found, seconds=round(elapsed, 1)), sort_keys=True)))
    assert run is not None, 'the run did not end: %s' % found
    assert 'Traceback' not in run.output and 'MODULE FAILURE' not in run.output
    assert elapsed < 120
    held = held_by_device(graph)
    assert found['duplicates_left'] == 0, held.most_common(3)
    result = run.last['result']
    message = result.get('msg', '')
    if expected == 'ok':
        assert run.rc == 0 and run.last['status'] == 'changed', message
        assert found['result'] == {'created': 100, 'updated': 100, 'deleted': 50, 'unchanged': 50}
        assert found['writes']['POST'] <= 100 + 20  # no create resent (the extra 20 are the fault's own, e.g. a late batch)
    else:
        assert run.rc != 0 and run.last['status'] == 'failed'
        assert [fragment for fragment in expected if fragment not in message] == [], message
        assert '\n' not in message
    if expected != 'ok' and 'PagingLoop' in expected:
        assert found['writes'] == {} and found['list_gets'] <= 3  # failed fast, before any write
        return
    # Graph holds exactly what the items say, and the counts say the same.
    failed = set(f['device_id'].lower() for f in result.get('failed_items') or [])
    for n in CREATES:
        assert held[device(n)] == (0 if device(n) in failed else 1), device(n)
    for n in list(UPDATES) + list(UNCHANGED):
        assert held[device(n)] == 1, device(n)
    for n in DELETES:
        assert held[device(n)] == 0, device(n)
    assert result['created'] == len([n for n in CREATES if held[device(n)]])


@pytest.mark.parametrize('case', [c for c in cases.HOSTILE_BULK_FAULTS if c[2] == 'ring'], ids=lambda c: c[1])
def test_a_single_create_answered_503_or_504_after_it_was_applied_is_made_once(ansible, graph, case):
    dummy, name, dummy2, fault, options, expected = case
    graph.add_fault(**fault)
    run = ansible([{'name': 'create', 'graphops.intune.windows_update_ring': dict(
        options, policy_id=EMPTY_POLICY, display_name='Made once', deferral_in_days=3)}])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    rings = [r for policy in graph.state()['windowsUpdates']['policies'] if policy['id'] == EMPTY_POLICY
             for r in policy.get('rings') or []]
    assert [r['displayName'] for r in rings] == ['Made once']
    assert len([e for e in writes(graph.requests()) if e['method'] == 'POST']) == 1
    assert run.last['result']['ring']['id'] == rings[0]['id']


def test_ids_that_differ_only_in_case_match_the_state_graph_holds(ansible, graph):
    seed_with_states(graph, 3)
    items = [{'device_id': device(0).upper(), 'status': 'upToDate'}, {'device_id': device(1).upper(), 'status': 'failed'}]
    run = ansible([bulk(states=items)])
    assert run.rc == 0, run.output
    result = run.last['result']
    assert (result['created'], result['updated'], result['unchanged']) == (0, 1, 1)
    assert held_by_device(graph)[device(0)] == 1 and held_by_device(graph)[device(1)] == 1
    assert [e['body'] for e in writes(graph.requests())] == [{'status': 'failed'}]
