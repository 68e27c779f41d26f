# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Long bulk runs: the estimate before (check mode), the progress file during.

The estimate is at the published write budget of the service: Microsoft's throttling page puts
windowsUpdateState in the Intune device configuration service, 100 writes per 20 s per app per
tenant (200 per tenant for all apps); or at max_rate when it is set.

The progress file gets one JSON line per $batch answer. Each line is written by a single
os.write() on a descriptor opened with O_APPEND: the kernel places the whole line at the end of
the file in one step, so `tail -f` (or a reader of the last line) sees whole lines, never a line
half-written nor two lines interleaved. A write-then-rename of the whole file would also be
atomic, but it rewrites the file on every answer (5,000 answers at 100,000 states: quadratic) and
`tail -f`, which follows the open descriptor, would not see the new file.
"""

from __future__ import annotations

import collections
import json
import os
import threading
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

PUBLISHED_WRITES = 100    # writes per app per tenant...
PUBLISHED_WINDOW = 20     # ...per 20 s (Intune device configuration service)
PACE_WINDOW = 60.0        # seconds of answers that measure the current pace


def published_rate():
    return PUBLISHED_WRITES / float(PUBLISHED_WINDOW)


def estimate_seconds(writes, max_rate=None):
    """Seconds the writes take at the published budget, or at max_rate when that is lower (or set)."""
    rate = float(max_rate) if max_rate else published_rate()
    return int(round(writes / rate)) if writes else 0


def duration(seconds):
    """'45 s', '30 min', '5 h 30 min'."""
    seconds = int(round(seconds))
    if seconds < 90:
        return '%d s' % seconds
    minutes = int(round(seconds / 60.0))
    if minutes < 90:
        return '%d min' % minutes
    return '%d h %02d min' % (minutes // 60, minutes % 60)


def estimate_message(planned, max_rate=None):
    """'9,000 writes (2,000 creates, 6,000 updates, 1,000 deletes), about 30 min at 100 writes / 20 s'."""
    writes = sum(planned.values())
    if not writes:
        return 'no write needed'
    parts = ', '.join('{0:,} {1}'.format(planned[action], noun) for action, noun in (
        ('created', 'creates'), ('updated', 'updates'), ('deleted', 'deletes')) if planned.get(action))
    pace = ('max_rate %s writes / s' % ('%g' % max_rate)) if max_rate else '%d writes / %d s' % (PUBLISHED_WRITES, PUBLISHED_WINDOW)
    return '{0:,} write{1} ({2}), about {3} at {4} (the published Intune budget is {5} writes / {6} s per app)'.format(
        writes, '' if writes == 1 else 's', parts, duration(estimate_seconds(writes, max_rate)), pace, PUBLISHED_WRITES, PUBLISHED_WINDOW)


class ProgressFile(object):
    """One JSON line per $batch answer: time, done, failed, throttled, remaining, pace, eta_seconds.

    Opened (truncated) when the writes start; every line is one os.write on an O_APPEND descriptor."""

    def __init__(self, path, clock=time.monotonic, now=time.time):
        self.path = path
        self.clock = clock
        self.now = now
        self.fd = None
        self.started = None
        self.total = 0
        self.done = 0
        self.failed = 0
        self.throttled = 0
        self.samples = collections.deque()  # (clock, done)
        self.lock = threading.Lock()  # the workers of the Scheduler answer from their own threads

    def open_file(self):
        """Opened (and emptied) before the first request, so that a path that cannot be written fails first."""
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        except OSError as exc:
            raise ModuleInputError('progress_file: cannot write %s: %s' % (self.path, exc.strerror or exc))

    def open(self, total, planned=None, max_rate=None):
        """The writes start: the first line."""
        if self.fd is None:
            self.open_file()
        self.total = total
        self.started = self.clock()
        self.samples.append((self.started, 0))
        self.line('start', planned=planned, estimated_seconds=estimate_seconds(total, max_rate))

    def answered(self, failed=False):
        """One write answered (applied or failed for good)."""
        with self.lock:
            self.done += 1
            self.failed += int(bool(failed))

    def pace(self, now):
        if not self.samples:
            return 0.0
        while len(self.samples) > 1 and self.samples[0][0] < now - PACE_WINDOW:
            self.samples.popleft()
        first_time, first_done = self.samples[0]
        span = now - first_time
        return (self.done - first_done) / span if span > 0 else 0.0

    def batch(self, throttled):
        """After each $batch answer: throttled is the count of throttled items so far."""
        with self.lock:
            if self.fd is None:
                return
            self.throttled = max(self.throttled, throttled)
            now = self.clock()
            self.samples.append((now, self.done))
            self.line('writing', now=now)

    def line(self, event, now=None, **extra):
        now = self.clock() if now is None else now
        remaining = max(0, self.total - self.done)
        pace = self.pace(now)
        record = collections.OrderedDict([
            ('time', time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(self.now()))), ('event', event),
            ('elapsed_seconds', round(now - self.started, 1) if self.started is not None else 0.0),
            ('total', self.total), ('done', self.done), ('failed', self.failed),
            ('throttled', self.throttled), ('remaining', remaining), ('pace', round(pace, 2)),
            ('eta_seconds', int(round(remaining / pace)) if pace > 0 and remaining else (0 if not remaining else None))])
        record.update((key, value) for key, value in extra.items() if value is not None)
        os.write(self.fd, (json.dumps(record, separators=(', ', ': ')) + '\n').encode('utf-8'))

    def close(self, event='done', **extra):
        with self.lock:
            if self.fd is None:
                return
            try:
                self.line(event, **extra)
            finally:
                os.close(self.fd)
                self.fd = None
