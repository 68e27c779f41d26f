"""What governs the speed of a bulk run against real Intune: throttle budgets and service time.

Off by default (every test keeps its speed); `PUT /_emulator/config` turns it on:

- `throttle`: token buckets per app (tenant id + app id) and per tenant, one per request class
  (writes = POST/PUT/PATCH/DELETE, any = every method). A Graph request, or each inner request of a
  `$batch` (the `$batch` itself is not counted), takes one token from every bucket of its class; when
  one is empty it is answered 429 TooManyRequests with `Retry-After` = whole seconds until that bucket
  holds a token again (at least 1). A throttled request takes no token. Defaults: Microsoft's
  published limits of the Intune device configuration service, which serves deviceUpdateStates
  (windowsUpdateState) and deviceConfigurations: writes 100 per 20 s per app per tenant and 200 per
  20 s per tenant; any request 1,000 per 20 s per app and 2,000 per 20 s per tenant.
- `batch_item_ms`: service time of one inner request of a `$batch`; the items of one batch are served
  `batch_parallelism` at a time, so a batch of n items answers after ceil(n / parallelism) * item_ms.
- `request_latency_ms`: added to every top-level Graph request (network distance).
- `request_log`: false stops recording requests (for runs of 100,000 items); the counters of
  `GET /_emulator/stats` still count.
"""
from __future__ import annotations

import base64
import json
import math
import threading
import time

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# (scope, class, limit, window seconds): Intune device configuration service limits.
DEFAULT_BUCKETS = (
    {"scope": "app", "methods": "write", "limit": 100, "window": 20},
    {"scope": "tenant", "methods": "write", "limit": 200, "window": 20},
    {"scope": "app", "methods": "any", "limit": 1000, "window": 20},
    {"scope": "tenant", "methods": "any", "limit": 2000, "window": 20},
)
PERF_KEYS = ("throttle", "batch_item_ms", "batch_parallelism", "request_latency_ms", "request_log")


class Bucket:
    """A token bucket: `limit` tokens, refilled continuously at limit/window per second, full at start."""

    def __init__(self, limit: float, window: float, now: float):
        self.capacity = float(limit)
        self.rate = float(limit) / float(window)
        self.tokens = float(limit)
        self.stamp = now

    def refill(self, now: float):
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one token is there (after refill)."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


def _validate_bucket(spec) -> dict:
    if not isinstance(spec, dict):
        raise ValueError("a bucket is an object {scope, methods, limit, window}")
    unknown = set(spec) - {"scope", "methods", "limit", "window"}
    if unknown:
        raise ValueError("unknown bucket fields: %s" % ", ".join(sorted(unknown)))
    if spec.get("scope") not in ("app", "tenant"):
        raise ValueError("bucket scope must be app or tenant")
    if spec.get("methods", "any") not in ("write", "any"):
        raise ValueError("bucket methods must be write or any")
    for name in ("limit", "window"):
        value = spec.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError("bucket %s must be a positive number" % name)
    return {"scope": spec["scope"], "methods": spec.get("methods", "any"), "limit": spec["limit"], "window": spec["window"]}


def _non_negative_number(name, value, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (integer and int(value) != value):
        raise ValueError("%s must be a non-negative %s" % (name, "integer" if integer else "number"))
    return value


def client_of(req) -> tuple:
    """(tenant id, app id) read from the bearer token without checking it (Graph authenticates later); None if absent."""
    header = req.headers.get("authorization", "")
    token = header.split(" ", 1)[1].strip() if " " in header else ""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(claims, dict) or not claims.get("tid"):
        return None
    return (str(claims.get("tid")).lower(), str(claims.get("appid") or claims.get("azp") or "").lower())


class Performance:
    """Throttle budgets, service times and counters; thread-safe (own lock, never held while sleeping)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.buckets_spec = None  # None: throttling off
            self.batch_item_ms = 0
            self.batch_parallelism = 4
            self.request_latency_ms = 0
            self.request_log = True
            self.buckets = {}
            self.in_flight = 0
            self.clear_stats()

    def clear(self):
        """Zero the counters (the request log was cleared)."""
        with self.lock:
            self.clear_stats()

    def clear_stats(self):
        self.stats = {"http_requests": 0, "batch_requests": 0, "batch_items": 0, "throttled_requests": 0,
                      "throttled_batch_items": 0, "token_requests": 0, "max_in_flight": 0}

    # --- config -----------------------------------------------------------------------------------------------
    def config(self) -> dict:
        with self.lock:
            return {"throttle": None if self.buckets_spec is None else {"buckets": [dict(b) for b in self.buckets_spec]},
                    "batch_item_ms": self.batch_item_ms, "batch_parallelism": self.batch_parallelism,
                    "request_latency_ms": self.request_latency_ms, "request_log": self.request_log}

    def configure(self, body: dict):
        """Apply the PERF_KEYS present in body (validated first: a bad value changes nothing)."""
        updates = {}
        if "throttle" in body:
            throttle = body["throttle"]
            if throttle is None or throttle is False:
                updates["buckets_spec"] = None
            else:
                if throttle is True:
                    throttle = {}
                if not isinstance(throttle, dict) or set(throttle) - {"buckets"}:
                    raise ValueError("throttle is null, true, or {\"buckets\": [...]}")
                buckets = throttle.get("buckets")
                if buckets is None:
                    buckets = [dict(b) for b in DEFAULT_BUCKETS]
                if not isinstance(buckets, list):
                    raise ValueError("throttle buckets must be a list")
                updates["buckets_spec"] = [_validate_bucket(b) for b in buckets]
        if "batch_item_ms" in body:
            updates["batch_item_ms"] = _non_negative_number("batch_item_ms", body["batch_item_ms"])
        if "request_latency_ms" in body:
            updates["request_latency_ms"] = _non_negative_number("request_latency_ms", body["request_latency_ms"])
        if "request_log" in body:
            if not isinstance(body["request_log"], bool):
                raise ValueError("request_log must be true or false")
            updates["request_log"] = body["request_log"]
        if "batch_parallelism" in body:
            value = _non_negative_number("batch_parallelism", body["batch_parallelism"], integer=True)
            if value < 1:
                raise ValueError("batch_parallelism must be 1 or more")
            updates["batch_parallelism"] = int(value)
        with self.lock:
            for name, value in updates.items():
                setattr(self, name, value)
            if "buckets_spec" in updates:
                self.buckets = {}  # new budgets start full

    # --- throttling -------------------------------------------------------------------------------------------
    def admit(self, req, kind: str):
        """None if the request may go on (its tokens taken), else the Retry-After in whole seconds."""
        if kind != "graph":
            return None
        with self.lock:
            if self.buckets_spec is None:
                return None
            who = client_of(req)
            if who is None:
                return None
            tenant, app = who
            write = req.method.upper() in WRITE_METHODS
            now = self.clock()
            chosen = []
            for index, spec in enumerate(self.buckets_spec):
                if spec["methods"] == "write" and not write:
                    continue
                key = (index, tenant, app if spec["scope"] == "app" else None)
                bucket = self.buckets.get(key)
                if bucket is None:
                    bucket = self.buckets[key] = Bucket(spec["limit"], spec["window"], now)
                bucket.refill(now)
                chosen.append(bucket)
            wait = max([bucket.wait() for bucket in chosen] or [0.0])
            if wait > 0:
                if req.in_batch:
                    self.stats["throttled_batch_items"] += 1
                else:
                    self.stats["throttled_requests"] += 1
                return max(1, int(math.ceil(wait)))
            for bucket in chosen:
                bucket.tokens -= 1
            return None

    # --- service time and counters ----------------------------------------------------------------------------
    def enter(self, req, kind: str):
        """A top-level request starts: count it, track the requests in flight, add the network latency."""
        with self.lock:
            if kind == "token":
                self.stats["token_requests"] += 1
            if kind == "graph":
                self.stats["http_requests"] += 1
                self.in_flight += 1
                self.stats["max_in_flight"] = max(self.stats["max_in_flight"], self.in_flight)
            latency = self.request_latency_ms if kind == "graph" else 0
        if latency:
            time.sleep(latency / 1000.0)

    def leave(self, kind: str):
        if kind == "graph":
            with self.lock:
                self.in_flight -= 1

    def batch_served(self, items: int):
        """Count a $batch of `items` inner requests and wait its service time."""
        with self.lock:
            self.stats["batch_requests"] += 1
            self.stats["batch_items"] += items
            delay = math.ceil(items / float(self.batch_parallelism)) * self.batch_item_ms / 1000.0
        if delay:
            time.sleep(delay)

    def snapshot(self) -> dict:
        with self.lock:
            return dict(self.stats, in_flight=self.in_flight)
