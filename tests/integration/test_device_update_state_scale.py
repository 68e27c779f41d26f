# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bulk at the throttle limit (not timed): several $batch in flight, never more than max_concurrency, throttled
items retried on their own, every answer kept, results in input order."""

from __future__ import annotations

from integration.conftest import graph_calls, writes
from integration.test_device_update_state_bulk import STATES, bulk, config_states, device, seed_with_states


def test_concurrent_batches_stay_within_the_bound_and_keep_every_answer(ansible, graph, tmp_path):
    seed_with_states(graph, 150)
    graph.set_page_size(1000)
    lines = ['device_id,status']
    for number in range(300):
        lines.append('%s,%s' % (device(number), 'failed' if number < 100 else 'upToDate' if number < 150 else 'pendingReboot'))
    path = tmp_path / 'states.csv'
    path.write_text('\n'.join(lines) + '\n')
    # Each batch takes a while, and the budget (40 writes, then 40 a second) is smaller than the 250 writes.
    graph.configure(batch_item_ms=150, batch_parallelism=4, request_latency_ms=20, throttle={'buckets': [
        {'scope': 'app', 'methods': 'write', 'limit': 40, 'window': 1}]})
    graph.clear_requests()
    run = ansible([bulk(states_file=str(path), max_concurrency=3, max_retries=8)])
    assert run.rc == 0, run.output
    result = run.last['result']
    assert (result['created'], result['updated'], result['unchanged']) == (150, 100, 50)
    assert [r['index'] for r in result['item_results']] == list(range(100)) + list(range(150, 300))  # input order
    assert result['failed_items'] == []

    stats = graph.stats()
    log = graph.requests()
    inner = writes(log)
    throttled = [e for e in inner if e['status'] == 429]
    assert stats['throttled_batch_items'] == len(throttled) > 0  # the budget was reached...
    assert len(inner) == 250 + len(throttled) == stats['batch_items']  # ...and only throttled items went again
    batches = graph_calls(log, 'POST', '$batch')
    assert stats['batch_requests'] == len(batches) >= 13 and all(len(b['body']['requests']) <= 20 for b in batches)
    assert [e['path'] for e in graph_calls(log) if e['method'] == 'GET'] == [STATES, STATES]  # read, then verify the creates
    assert stats['http_requests'] == len(batches) + 2 and stats['token_requests'] == 1
    assert 2 <= stats['max_in_flight'] <= 3  # several in flight, never more than max_concurrency
    # A throttled item is retried in a later batch that also carries items sent for the first time.
    first_sent = {}
    mixed = 0
    for batch in batches:
        ids = [(item['method'], item['url'], str(item.get('body'))) for item in batch['body']['requests']]
        new = [key for key in ids if key not in first_sent]
        for key in new:
            first_sent[key] = batch['seq']
        mixed += bool(new) and len(new) < len(ids)
    assert mixed >= 1
    # Every item applied exactly once: no duplicate creates.
    states = config_states(graph)
    names = [s['deviceId'] for s in states]
    assert len(names) == len(set(names)) == 302
    by_device = dict((s['deviceId'], s) for s in states)
    assert by_device[device(50)]['status'] == 'failed' and by_device[device(299)]['status'] == 'pendingReboot'


def test_bad_concurrency_fails_before_any_request(ansible, graph):
    run = ansible([dict(bulk('zero', states=[{'device_id': 'x'}], max_concurrency=0), ignore_errors=True),
                   dict(bulk('negative rate', states=[{'device_id': 'x'}], max_rate=-1), ignore_errors=True)])
    assert run.statuses() == ['failed', 'failed']
    assert 'max_concurrency must be 1 or more' in run.results[0]['result']['msg']
    assert graph.requests() == []


def test_a_batch_throttled_past_its_retries_fails_only_its_items(ansible, graph):
    # The first $batch request is answered 429 twice (more than max_retries=1): its 20 items fail, the
    # answers of the other requests are kept (before, every item not yet applied was marked failed).
    graph.add_fault(method='POST', path=r'/\$batch$', status=429, retry_after=1, times=2)
    items = [{'device_id': device(n), 'status': 'upToDate'} for n in range(45)]
    run = ansible([bulk(states=items, max_retries=1, max_concurrency=1)])
    assert run.rc != 0
    result = run.last['result']
    assert result['created'] == 25 and len(result['failed_items']) == 20
    assert {(f['status'], f['code']) for f in result['failed_items']} == {(429, 'TooManyRequests')}
    assert [r['action'] for r in result['item_results']] == ['failed'] * 20 + ['created'] * 25
    assert result['msg'].startswith('20 of 45 device update state write(s) failed; the others were applied')
    batches = graph_calls(graph.requests(), 'POST', '$batch')
    assert [b['status'] for b in batches] == [429, 429, 200, 200]
    listed = set(device(n) for n in range(45))
    assert sorted(s['deviceId'] for s in config_states(graph) if s['deviceId'] in listed) == [device(n) for n in range(20, 45)]
