# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Many writes through $batch at the tenant's throttle limit.

A bounded pool of workers (each with its own HTTP session) keeps several $batch requests in
flight. A shared Pacer spaces the items to a rate it learns (AIMD): it starts at a safe rate,
grows it while Graph answers (doubling until the first 429, then by 2 % a second), and on a
429 cuts it to half (the first time), then 85 %, of the rate Graph was accepting, pausing
every worker for the Retry-After. Close to the budget, only the items over it are throttled.
A throttled item goes back in the queue on its own, due after its own Retry-After, and is
sent again with the next batch that leaves after that (interleaved with items not yet sent),
up to max_retries times. What is retried is the one retry policy's rule (transport/retry.py):
a POST item answered 503/504, or left without an answer, is not resent but answered
RequestFailed(OutcomeUnknown), like every item of a $batch request that fails as a whole (the
caller reads back what happened). Answers are kept per item, in input order; an answer that
arrived is never dropped. A worker that fails stops the others: no new batch leaves, the run
ends when the batches in flight are answered, and the error is raised.
"""

from __future__ import annotations

import collections
import heapq
import threading
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import BATCH_LIMIT, batch_item, item_outcome, item_verdict
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import RETRY, RETRY_AFTER_CAP, RetryPolicy

START_RATE = 20.0       # items per second: one batch a second until Graph has shown more is fine
MIN_RATE = 1.0
FIRST_DECREASE = 0.5    # on the first 429: half the rate Graph was accepting (it was draining a full bucket)...
DECREASE = 0.85         # ...on a later one, 85 % of it (it is then close to the budget)
GROWTH = 0.02           # after the first 429: the rate grows by this share per second...
MIN_GROWTH = 1.0        # ...and at least this many items per second per second
WINDOW = 2.0            # seconds of accepted items that measure the rate Graph accepts
DEFAULT_CONCURRENCY = 4


class RequestFailed(object):
    """The answer of an item whose whole $batch request failed (cause: GraphError or OutcomeUnknown).

    Not applied for sure only when the request was refused outright; the caller re-reads."""

    def __init__(self, cause):
        self.cause = cause

    @property
    def unknown(self):
        return isinstance(self.cause, OutcomeUnknown)


class Pacer(object):
    """The AIMD rate (items per second) shared by the workers, and a bucket that spaces them."""

    def __init__(self, max_rate=None, start_rate=START_RATE, clock=time.monotonic):
        self.clock = clock
        self.max_rate = float(max_rate) if max_rate else None
        self.rate = min(start_rate, self.max_rate) if self.max_rate else float(start_rate)
        self.slow_start = True
        self.cond = threading.Condition()
        self.allowance = float(BATCH_LIMIT)
        self.stamp = clock()
        self.pause_until = 0.0
        self.last_decrease = -1e9
        self.accepted = collections.deque()  # (time, items)
        self.started = None
        self.decreases = 0
        self.throttled_items = 0

    def _burst(self):
        return max(float(BATCH_LIMIT), self.rate * 0.25)

    def acquire(self, items, wait):
        """Block until `items` may leave; returns when they are charged to the bucket."""
        with self.cond:
            while True:
                now = self.clock()
                if now < self.pause_until:
                    wait(self.cond, self.pause_until - now)
                    continue
                self.allowance = min(self._burst(), self.allowance + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.allowance >= items or self.allowance >= self._burst():
                    self.allowance -= items
                    if self.started is None:
                        self.started = now
                    return now
                wait(self.cond, (items - self.allowance) / self.rate)

    def observed(self, now):
        while self.accepted and self.accepted[0][0] < now - WINDOW:
            self.accepted.popleft()
        span = WINDOW if self.started is None else min(WINDOW, max(0.25, now - self.started))
        return sum(count for dummy, count in self.accepted) / span

    def record(self, sent_at, accepted, throttled, retry_after):
        """The answer of a batch sent at sent_at: `accepted` items answered, `throttled` answered 429/503/504."""
        with self.cond:
            now = self.clock()
            if accepted:
                self.accepted.append((now, accepted))
            if throttled:
                self.throttled_items += throttled
                if sent_at > self.last_decrease:  # one cut per congestion: not again for batches already under way
                    observed = self.observed(now)
                    base = min(self.rate, observed) if observed > 0 else self.rate
                    self.rate = max(MIN_RATE, base * (FIRST_DECREASE if self.slow_start else DECREASE))
                    self.slow_start = False
                    self.last_decrease = now
                    self.decreases += 1
                    self.allowance = min(self.allowance, 0.0)
                pause = retry_after if retry_after is not None else 1.0
                self.pause_until = max(self.pause_until, now + min(pause, RETRY_AFTER_CAP))
            elif accepted:
                if self.slow_start:
                    self.rate += accepted
                else:
                    self.rate += max(MIN_GROWTH, GROWTH * self.rate) * accepted / self.rate
            if self.max_rate:
                self.rate = min(self.rate, self.max_rate)
            self.cond.notify_all()


class Scheduler(object):
    """Run operations [{'method', 'url', 'body'?}] through $batch; answers in input order."""

    def __init__(self, client, max_concurrency=DEFAULT_CONCURRENCY, max_rate=None, max_retries=None, clock=time.monotonic,
                 start_rate=START_RATE, progress=None):
        self.client = client
        self.max_concurrency = max(1, int(max_concurrency or DEFAULT_CONCURRENCY))
        self.max_retries = client.max_retries if max_retries is None else max_retries
        self.policy = RetryPolicy(self.max_retries)
        self.clock = clock
        self.pacer = Pacer(max_rate, start_rate, clock)
        self.progress = progress
        self.cond = threading.Condition()
        self.stats = {'batches': 0, 'items_sent': 0, 'throttled_items': 0, 'max_in_flight': 0, 'workers': 0}
        self._in_flight = 0

    @staticmethod
    def _wait(cond, seconds):
        cond.wait(max(0.001, min(seconds, 1.0)))

    # -- queue -------------------------------------------------------------------------
    def _take(self):
        """The next batch: the due retries first, then items not yet sent. None when all are answered."""
        with self.cond:
            while True:
                if self.outstanding <= 0 or self.stopped:
                    return None
                now = self.clock()
                chunk = []
                while self.retries and self.retries[0][0] <= now and len(chunk) < BATCH_LIMIT:
                    chunk.append(heapq.heappop(self.retries)[2])
                while self.fresh and len(chunk) < BATCH_LIMIT:
                    chunk.append(self.fresh.popleft())
                if chunk:
                    return chunk
                timeout = self.retries[0][0] - now if self.retries else 1.0
                self._wait(self.cond, timeout)

    def _answer(self, index, answer):
        if self.answered[index]:  # never twice: the count of outstanding items stays exact
            return
        self.answered[index] = True
        if self.on_answer is not None:
            self.on_answer(index, answer)  # under the lock: one at a time; nothing kept here
        else:
            self.results[index] = answer
        self.outstanding -= 1

    def _again(self, index, ready_at):
        self._seq += 1
        heapq.heappush(self.retries, (ready_at, self._seq, index))

    # -- workers -----------------------------------------------------------------------
    def run(self, operations, on_answer=None):
        """The answers (Response, GraphError or RequestFailed) in the order of operations, or,
        with on_answer(index, answer), each handed over as it arrives (and not kept: a run of
        100,000 writes does not hold 100,000 entities). operations: a sequence (len and
        indexing), whose items may be made on demand."""
        self.operations = operations
        self.on_answer = on_answer
        self.results = None if on_answer is not None else [None] * len(operations)
        self.attempts = [0] * len(operations)
        self.answered = [False] * len(operations)
        self.stopped = False
        self.fresh = collections.deque(range(len(operations)))
        self.retries = []
        self._seq = 0
        self.outstanding = len(operations)
        if not len(operations):  # pylint: disable=use-implicit-booleaness-not-len
            return self.results
        count = min(self.max_concurrency, (len(operations) + BATCH_LIMIT - 1) // BATCH_LIMIT)
        workers = [self.client.worker() for dummy in range(count)]
        for worker in workers:
            worker.on_throttle = self._request_throttled
        threads = [threading.Thread(target=self._work, args=(worker,), name='graphops-batch-%d' % n) for n, worker in enumerate(workers)]
        self.stats['workers'] = count
        self.errors = []
        for thread in threads:
            thread.daemon = True
            thread.start()
        for thread in threads:
            thread.join()
        others = [worker for worker in workers if worker is not self.client]
        if others:
            self.client.calls += sum(worker.calls for worker in others)
        self.stats['throttled_items'] = self.pacer.throttled_items
        self.stats['decreases'] = self.pacer.decreases
        if self.errors:
            raise self.errors[0]  # a bug, not a Graph answer: do not hide it
        return self.results

    def _request_throttled(self, status, retry_after):
        """A whole $batch request was answered 429/503/504 (the client waits and resends it)."""
        self.pacer.record(self.clock(), 0, 1, retry_after)

    def _work(self, worker):
        try:
            while True:
                chunk = self._take()
                if chunk is None:
                    return
                sent_at = self.pacer.acquire(len(chunk), self._wait)
                self._send(worker, chunk, sent_at)
        except Exception as exc:  # pylint: disable=broad-except
            with self.cond:
                # Stop every worker: none takes another batch, those in flight finish theirs.
                self.errors.append(exc)
                self.stopped = True
                self.cond.notify_all()

    def _send(self, worker, chunk, sent_at):
        with self.cond:
            self._in_flight += 1
            self.stats['max_in_flight'] = max(self.stats['max_in_flight'], self._in_flight)
            self.stats['batches'] += 1
            self.stats['items_sent'] += len(chunk)
        answers, failure = None, None
        try:
            answers = worker.send_batch([batch_item(str(index), self.operations[index]) for index in chunk])
        except (GraphError, OutcomeUnknown) as exc:
            failure = exc
        accepted, throttled, wait = 0, 0, None
        with self.cond:
            self._in_flight -= 1
            now = self.clock()
            for index in chunk:
                self.attempts[index] += 1
                if failure is not None:
                    # The client already retried the request itself (429, and 503/504 when it held no create).
                    self._answer(index, RequestFailed(failure))
                    continue
                op = self.operations[index]
                response = answers[str(index)]
                verdict = item_verdict(self.policy, op, response)
                if self.policy.is_throttle(response.status):
                    throttled += 1
                    after = self.policy.retry_after(response.headers.get('retry-after'))
                    delay = after if after is not None else worker.backoff(self.attempts[index] - 1)
                    wait = max(wait or 0.0, delay)
                    if verdict == RETRY and self.attempts[index] <= self.max_retries and not self.stopped:
                        self._again(index, now + min(delay, RETRY_AFTER_CAP))
                        continue
                elif verdict == RETRY and self.attempts[index] <= self.max_retries and not self.stopped:
                    self._again(index, now)  # an item of a PATCH/DELETE left without an answer: sent again
                    continue
                else:
                    accepted += 1
                self._answer(index, self._final(index, op, response, verdict))
            self.cond.notify_all()
            done = len(self.operations) - self.outstanding
        self.pacer.record(sent_at, accepted, throttled, wait)
        if self.progress is not None:
            self.progress(done, len(self.operations))

    def _final(self, index, op, response, verdict):
        outcome = item_outcome(self.policy, op, response, self.attempts[index], verdict)
        return RequestFailed(outcome) if isinstance(outcome, OutcomeUnknown) else outcome
