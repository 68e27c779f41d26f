# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The one retry policy: what is retried, how long to wait, when to give up.

Every sender uses it: GraphClient.request (single requests and whole $batch requests), the
per-item retries of GraphClient.batch and of the scheduler, and the Entra sender.

The rule of what is safe to send again (verdicts RETRY, UNKNOWN, FINAL):

- 429 is always retried: Graph refused the request before acting on it.
- 503 and 504 (and connection errors, broken answers, read timeouts) are retried for a
  request that is safe to repeat (GET, PUT, PATCH, DELETE, HEAD, OPTIONS, or a request
  the caller declares idempotent, e.g. a $batch without POST items, a token request).
- For a POST (a create) they are UNKNOWN: Graph may have created it. It is never sent
  again blind; the caller reads the natural key back (OutcomeUnknown).
- A request that certainly never reached the server (connection refused, the name does not
  resolve, connecting timed out) is retried whatever its method.
- A TLS verification failure is FINAL: waiting does not make a certificate valid.

The wait: the answer's Retry-After (seconds or an HTTP date), capped at RETRY_AFTER_CAP;
else exponential backoff from BACKOFF_BASE with equal jitter, capped at BACKOFF_CAP. The
budget: max_retries more attempts in all, answers and connection errors alike.

Stdlib only (requests is optional), so that any sender can use it.
"""

from __future__ import annotations

import email.utils
import random
import time

RETRY_STATUSES = (429, 503, 504)
BACKOFF_BASE = 1.0
BACKOFF_CAP = 60.0
RETRY_AFTER_CAP = 300.0
# Methods that may be sent twice with the same effect (RFC 9110 idempotent methods).
IDEMPOTENT_METHODS = ('GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE')
# A create whose outcome is unknown is read back after at least this long (late writes)...
UNKNOWN_WAIT_MIN = 5.0
# ...and at most this long, however long the timeout.
UNKNOWN_WAIT_CAP = 120.0

RETRY = 'retry'      # send it again (after delay())
UNKNOWN = 'unknown'  # it may have been applied: never resend blind, read it back
FINAL = 'final'      # the answer stands (success, or an error to report)

# Exception class names (anywhere in the class hierarchy) that say the request never left.
_NEVER_SENT_NAMES = ('ConnectTimeout', 'NewConnectionError', 'NameResolutionError', 'ConnectionRefusedError')
_NEVER_SENT_TEXT = ('NewConnectionError', 'Connection refused', 'NameResolutionError', 'Name or service not known',
                    'getaddrinfo failed', 'ConnectTimeout')


def retry_after_seconds(value, now=None):
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return max(0.0, float(value))
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def backoff_delay(attempt, retry_after=None):
    """Seconds to wait before retry number attempt+1: Retry-After seconds (capped), else exponential backoff with jitter."""
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return delay / 2 + random.uniform(0, delay / 2)  # nosec - jitter, not crypto


def outlasted(error, attempts, retry_after):
    """Say that a 429/503/504 outlasted the retries: 'throttled by Graph (429) after 6 attempts; last Retry-After 1 s'.

    error: a GraphError (status and message are read, message is rewritten); returned."""
    what = 'throttled by Graph' if error.status == 429 else 'Graph unavailable'
    last = retry_after_seconds(retry_after)
    error.message = '%s (%d) after %d attempt%s%s (max_retries %d): %s' % (
        what, error.status, attempts, '' if attempts == 1 else 's',
        '; last Retry-After %g s' % last if last is not None else '', attempts - 1, error.message)
    return error


def _class_names(exc):
    return [klass.__name__ for klass in type(exc).__mro__]


def never_sent(exc):
    """True when the request certainly never reached the server: refused, not resolved, connect timeout."""
    names = _class_names(exc)
    if any(name in names for name in _NEVER_SENT_NAMES):
        return True
    text = repr(exc)
    return any(marker in text for marker in _NEVER_SENT_TEXT)


def is_tls_failure(exc):
    """A TLS verification/handshake failure (requests' SSLError): not transient."""
    return 'SSLError' in _class_names(exc)


def timed_out(exc):
    """The request was sent and no answer came within the timeout (a read timeout)."""
    names = _class_names(exc)
    return ('Timeout' in names or 'ReadTimeout' in names or 'ReadTimeoutError' in repr(exc)) and not never_sent(exc)


class RetryPolicy(object):
    """What is retried, how long to wait, when to give up; one object per sender (it holds no per-request state).

    max_retries: attempts after the first, in all (answers and connection errors share it).
    statuses: the answers worth another try (Entra adds 500).
    attempt numbers count the retries made so far: 0 before the first retry.
    """

    def __init__(self, max_retries=5, statuses=RETRY_STATUSES, idempotent_methods=IDEMPOTENT_METHODS,
                 retry_after_cap=RETRY_AFTER_CAP, clock=time.time):
        self.max_retries = max(0, int(max_retries or 0))
        self.statuses = tuple(statuses)
        self.idempotent_methods = tuple(method.upper() for method in idempotent_methods)
        self.retry_after_cap = retry_after_cap
        self.clock = clock

    # -- the rule -----------------------------------------------------------------------
    def safe_to_repeat(self, method, idempotent=None):
        """May this request be sent twice? idempotent (when not None) is the caller's word for it."""
        if idempotent is not None:
            return bool(idempotent)
        return str(method or '').upper() in self.idempotent_methods

    def status_verdict(self, method, status, idempotent=None):
        """RETRY, UNKNOWN or FINAL for an answer with this status."""
        if status not in self.statuses:
            return FINAL
        if status == 429 or self.safe_to_repeat(method, idempotent):
            return RETRY
        return UNKNOWN

    def error_verdict(self, method, exc, idempotent=None):
        """RETRY, UNKNOWN or FINAL for a request that raised exc instead of answering
        (a connection error, a timeout, a broken or truncated answer)."""
        if is_tls_failure(exc):
            return FINAL
        if never_sent(exc) or self.safe_to_repeat(method, idempotent):
            return RETRY
        return UNKNOWN

    def is_throttle(self, status):
        """An answer that says Graph is overloaded (pacing reacts to it), whatever the verdict."""
        return status in self.statuses

    # -- the budget and the wait ----------------------------------------------------------
    def can_retry(self, attempt):
        """True while retries are left: attempt is the number of retries already made."""
        return attempt < self.max_retries

    def retry_after(self, value):
        """A Retry-After header value (seconds or HTTP date) as seconds, capped; None when absent or unreadable."""
        seconds = retry_after_seconds(value, now=self.clock())
        return None if seconds is None else min(seconds, self.retry_after_cap)

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before retry number attempt+1: the Retry-After header value if readable, else backoff."""
        return backoff_delay(attempt, self.retry_after(retry_after))

    def outlasted(self, error, attempts, retry_after):
        return outlasted(error, attempts, retry_after)

    # -- outcome unknown --------------------------------------------------------------------
    def unknown_wait(self, timeout=None):
        """How long to wait for late writes before a create whose outcome is unknown is taken as
        not applied: the request's timeout (a slow Graph may apply it that much later), at least
        UNKNOWN_WAIT_MIN, at most UNKNOWN_WAIT_CAP seconds."""
        try:
            seconds = float(timeout) if timeout is not None else 0.0
        except (TypeError, ValueError):
            seconds = 0.0
        return min(UNKNOWN_WAIT_CAP, max(UNKNOWN_WAIT_MIN, seconds))
