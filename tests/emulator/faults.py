"""Fault injection rules: answer with an error status, drop the connection, or add latency; and the answers
that break after the work was done: a body cut short, a $batch item left out, a paging loop, an entity on two pages.

kind:
- status: answer `status` (with `after`: once the request was applied; the client learns nothing of it).
- drop: close the connection without an answer (with `after`: once the request was applied).
- latency: wait `latency_ms`, then handle the request (longer than the client's timeout: applied late).
- truncate: handle the request, answer its status and full Content-Length, send half the body, close the socket.
- omit: (in_batch) handle the item, leave its answer out of the $batch response.
- self_link: (a list page) answer the page with an @odata.nextLink pointing to the page itself.
- repeat: (list pages) every matched page after the first starts with the last entity of the page before it,
  as Graph's paging does when the collection changes during the read.
"""
from __future__ import annotations

import re

KINDS = ("status", "drop", "latency", "truncate", "omit", "self_link", "repeat")
DEFAULT_CODES = {
    400: "BadRequest",
    401: "InvalidAuthenticationToken",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}
DEFAULT_MESSAGES = {
    429: "Too many requests. Retry after the interval given in the Retry-After header.",
    503: "The service is temporarily unavailable. Please retry later.",
    504: "The gateway did not receive a timely response.",
}


class FaultError(ValueError):
    """An invalid fault definition."""


class Fault:
    """One rule; `times` counts the requests it still hits (-1 forever)."""

    def __init__(self, fault_id: int, spec: dict):
        unknown = set(spec) - {"method", "path", "kind", "status", "retry_after", "code", "message", "times", "latency_ms", "in_batch",
                               "after", "body", "content_type"}
        if unknown:
            raise FaultError("unknown fault fields: %s" % ", ".join(sorted(unknown)))
        self.id = fault_id
        self.method = (spec.get("method") or "").upper() or None
        self.path = spec.get("path")
        try:
            self.pattern = re.compile(self.path) if self.path else None
        except re.error as exc:
            raise FaultError("invalid path regex %r: %s" % (self.path, exc))
        self.kind = spec.get("kind", "status")
        if self.kind not in KINDS:
            raise FaultError("kind must be one of %s" % ", ".join(KINDS))
        self.status = int(spec.get("status", 429))
        if "retry_after" in spec:
            self.retry_after = spec["retry_after"]
        else:
            self.retry_after = 1 if self.status in (429, 503) else None
        self.code = spec.get("code") or DEFAULT_CODES.get(self.status, "UnknownError")
        self.message = spec.get("message") or DEFAULT_MESSAGES.get(self.status, "Injected fault (status %d)." % self.status)
        self.times = int(spec.get("times", 1))
        self.latency_ms = int(spec.get("latency_ms", 0))
        self.in_batch = bool(spec.get("in_batch", False))
        # after: a drop that happens once the request was handled, so its effect is real but the client never hears of it.
        self.after = bool(spec.get("after", False))
        # body: answer this body instead of the error shape (a str is sent as is, bytes-for-bytes; anything else as JSON),
        # e.g. a 200 with an HTML page, a JSON list or malformed JSON. content_type: its Content-Type.
        self.has_body = "body" in spec
        self.body = spec.get("body")
        self.content_type = spec.get("content_type")
        self.hits = 0
        self.carry = None  # repeat: the last entity of the page served before

    def matches(self, method: str, path: str, in_batch: bool) -> bool:
        if self.times == 0 or self.in_batch != in_batch:
            return False
        if self.method and self.method != method.upper():
            return False
        return not self.pattern or bool(self.pattern.search(path))

    def as_dict(self) -> dict:
        return {
            "id": self.id, "method": self.method, "path": self.path, "kind": self.kind, "status": self.status,
            "retry_after": self.retry_after, "code": self.code, "message": self.message, "times": self.times,
            "latency_ms": self.latency_ms, "in_batch": self.in_batch, "after": self.after, "hits": self.hits,
            "has_body": self.has_body, "body": self.body, "content_type": self.content_type,
        }


class FaultRegistry:
    """Not thread-safe by itself: the store calls it under its lock."""

    def __init__(self):
        self.faults = []
        self.next_id = 1

    def add(self, spec: dict) -> Fault:
        fault = Fault(self.next_id, spec)
        self.next_id += 1
        self.faults.append(fault)
        return fault

    def clear(self):
        self.faults = []

    def take(self, method: str, path: str, in_batch: bool) -> Fault | None:
        """The first matching fault, with one use consumed."""
        for fault in self.faults:
            if fault.matches(method, path, in_batch):
                fault.hits += 1
                if fault.times > 0:
                    fault.times -= 1
                return fault
        return None
