# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The $batch scheduler: bounded concurrency, answers in order, throttled items retried on their own, AIMD pacing."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine import scheduler as sched
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import GraphError, OutcomeUnknown, Response


class FakeGraph(object):
    """Shared by the workers: answers $batch items, records batches and the requests in flight."""

    def __init__(self, delay=0.01, throttle=None, fail_batches=None):
        self.lock = threading.Lock()
        self.delay = delay
        self.throttle = throttle or {}          # op index -> number of 429s before it passes
        self.fail_batches = fail_batches or {}  # batch number -> exception
        self.batches = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls = 0


class FakeWorker(object):
    max_retries = 3

    def __init__(self, graph):
        self.graph = graph
        self.calls = 0
        self.on_throttle = None

    def worker(self):
        return FakeWorker(self.graph)

    @staticmethod
    def backoff(attempt, retry_after=None):
        return 0.01

    def send_batch(self, items):
        graph = self.graph
        self.calls += 1
        with graph.lock:
            number = len(graph.batches)
            graph.batches.append([int(item['id']) for item in items])
            graph.in_flight += 1
            graph.max_in_flight = max(graph.max_in_flight, graph.in_flight)
        time.sleep(graph.delay)
        with graph.lock:
            graph.in_flight -= 1
            if number in graph.fail_batches:
                raise graph.fail_batches[number]
            answers = {}
            for item in items:
                index = int(item['id'])
                if graph.throttle.get(index):
                    graph.throttle[index] -= 1
                    answers[item['id']] = Response(429, {'error': {'code': 'TooManyRequests', 'message': 'slow'}},
                                                   {'Retry-After': '0.05'})
                else:
                    answers[item['id']] = Response(201, {'id': 'new-%d' % index}, {})
            return answers


def ops(count):
    return [{'method': 'POST', 'url': '/things', 'body': {'n': n}} for n in range(count)]


def test_answers_in_input_order_and_concurrency_never_above_the_bound():
    graph = FakeGraph(delay=0.02)
    client = FakeWorker(graph)
    run = sched.Scheduler(client, max_concurrency=3, start_rate=10000)
    results = run.run(ops(250))
    assert [r.body['id'] for r in results] == ['new-%d' % n for n in range(250)]
    assert len(graph.batches) == 13 and all(len(b) <= 20 for b in graph.batches)
    assert sorted(i for b in graph.batches for i in b) == list(range(250))  # each item sent once
    assert graph.max_in_flight == 3 == run.stats['max_in_flight']
    assert client.calls == 13 and run.stats['workers'] == 3


def test_one_worker_when_there_is_one_batch():
    graph = FakeGraph()
    run = sched.Scheduler(FakeWorker(graph), max_concurrency=8)
    assert len(run.run(ops(5))) == 5 and run.stats['workers'] == 1
    assert sched.Scheduler(FakeWorker(graph)).run([]) == []


def test_throttled_items_go_again_on_their_own_after_their_retry_after(monkeypatch):
    monkeypatch.setattr(sched, 'DECREASE', 1.0)  # pacing is tested below; here, the queue
    graph = FakeGraph(delay=0.02, throttle={3: 1, 30: 2, 59: 9})
    run = sched.Scheduler(FakeWorker(graph), max_concurrency=1, start_rate=10000)
    results = run.run(ops(200))
    assert [r.status for n, r in enumerate(results) if n != 59] == [201] * 199
    assert isinstance(results[59], GraphError) and results[59].status == 429 and results[59].code == 'TooManyRequests'
    sent = [i for b in graph.batches for i in b]
    assert sent.count(3) == 2 and sent.count(30) == 3 and sent.count(59) == 4  # max_retries 3: 4 attempts
    # Item 3 is retried in a batch that also carries items not sent before (interleaved), not after all of them.
    again = [b for b in graph.batches[1:] if 3 in b][0]
    assert any(i >= 40 for i in again) and graph.batches.index(again) < len(graph.batches) - 1
    assert run.stats['throttled_items'] == 1 + 2 + 4


def test_a_failed_request_fails_only_its_items_and_keeps_every_answer():
    lost = OutcomeUnknown('POST', '$batch', 'Connection aborted.')
    graph = FakeGraph(fail_batches={1: lost, 2: GraphError(429, 'TooManyRequests', 'slow', 'req-1')})
    run = sched.Scheduler(FakeWorker(graph), max_concurrency=1, start_rate=10000)
    results = run.run(ops(70))
    assert [r.status for r in results[:20] + results[60:]] == [201] * 30
    assert all(isinstance(r, sched.RequestFailed) and r.unknown for r in results[20:40])
    assert all(isinstance(r, sched.RequestFailed) and not r.unknown and r.cause.status == 429 for r in results[40:60])


class Clock(object):
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_pacer_doubles_until_the_first_429_then_cuts_what_was_accepted():
    clock = Clock()
    pacer = sched.Pacer(start_rate=20, clock=clock)
    for dummy in range(5):
        clock.now += 0.2
        pacer.record(clock.now - 0.5, 20, 0, None)
    assert pacer.rate == 120 and pacer.slow_start
    clock.now += 0.1
    pacer.record(clock.now - 0.5, 10, 10, 2.0)
    accepted = (5 * 20 + 10) / sched.WINDOW
    assert pacer.rate == pytest.approx(min(120, accepted) * 0.5) and not pacer.slow_start
    assert pacer.pause_until == clock.now + 2.0
    # A batch sent before the cut does not cut again.
    rate = pacer.rate
    pacer.record(clock.now - 0.1, 0, 20, 1.0)
    assert pacer.rate == rate and pacer.decreases == 1
    # Then growth is additive: a few percent a second.
    clock.now += 1
    pacer.record(clock.now - 0.5, 20, 0, None)
    assert rate < pacer.rate < rate * 1.2
    # A later 429 cuts less: the rate is then close to the budget.
    clock.now += 1
    pacer.accepted.clear()
    pacer.accepted.append((clock.now, 40))
    pacer.record(clock.now - 0.5, 0, 5, 1.0)
    assert pacer.rate == pytest.approx(40 / sched.WINDOW * 0.85)


def test_pacer_respects_max_rate_and_spaces_batches():
    clock = Clock()
    pacer = sched.Pacer(max_rate=5, clock=clock)
    assert pacer.rate == 5
    pacer.record(clock.now, 20, 0, None)
    assert pacer.rate == 5
    waits = []

    def wait(cond, seconds):
        waits.append(seconds)
        clock.now += seconds
    pacer.acquire(20, wait)   # the first batch leaves at once
    pacer.acquire(20, wait)   # the next one 4 s later at 5 items/s
    assert sum(waits) == pytest.approx(4.0)


# -- issue 24 ------------------------------------------------------------------------------------
def _run_with_deadline(target, seconds=20):
    """Run target in a thread; fail (instead of hanging the suite) when it does not return in time."""
    outcome = {}

    def body():
        try:
            outcome['value'] = target()
        except Exception as exc:  # pylint: disable=broad-except
            outcome['error'] = exc
    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), 'the scheduler hung'
    return outcome


def test_a_worker_that_fails_stops_the_others_cleanly():
    """A worker that raises (a bug, or an exception class the client did not know) used to set the
    outstanding count to 0 while other workers still decremented it: it went negative and the
    remaining workers waited in _take forever, after sending every remaining write."""
    graph = FakeGraph(delay=0.05, fail_batches={0: RuntimeError('boom')})
    run = sched.Scheduler(FakeWorker(graph), max_concurrency=4, start_rate=10000)
    outcome = _run_with_deadline(lambda: run.run(ops(400)))
    assert isinstance(outcome.get('error'), RuntimeError)
    assert run.outstanding >= 0
    assert len(graph.batches) <= 4 + 4  # no batch leaves after the failure but those already taken


class UnavailableGraph(FakeGraph):
    """Answers every POST item 503 (Graph applied it), every PATCH item 503 once."""

    def __init__(self, status=503):
        super(UnavailableGraph, self).__init__(delay=0.001)
        self.status = status
        self.patched = set()


class UnavailableWorker(FakeWorker):
    def send_batch(self, items):
        graph = self.graph
        with graph.lock:
            graph.batches.append([(item['method'], int(item['id'])) for item in items])
        answers = {}
        for item in items:
            index = int(item['id'])
            if item['method'] == 'POST' or index not in graph.patched:
                graph.patched.add(index)
                answers[item['id']] = Response(graph.status, {'error': {'code': 'ServiceUnavailable', 'message': 'later'}}, {})
            else:
                answers[item['id']] = Response(200, {'id': 'p%d' % index}, {})
        return answers

    def worker(self):
        return UnavailableWorker(self.graph)


@pytest.mark.parametrize('status', [503, 504])
def test_a_create_item_answered_503_504_is_unknown_never_resent_a_patch_is_resent(status):
    graph = UnavailableGraph(status)
    operations = [{'method': 'POST', 'url': '/things', 'body': {'n': 0}}, {'method': 'PATCH', 'url': '/things/1', 'body': {'n': 1}}]
    results = sched.Scheduler(UnavailableWorker(graph), max_concurrency=1, start_rate=10000).run(operations)
    sent = [op for batch in graph.batches for op in batch]
    assert sent.count(('POST', 0)) == 1 and sent.count(('PATCH', 1)) == 2
    assert isinstance(results[0], sched.RequestFailed) and results[0].unknown
    assert results[1].status == 200
