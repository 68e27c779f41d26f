"""The emulator's own control API under /_emulator (no auth, never logged)."""
from __future__ import annotations

import json

from .faults import FaultError
from .messages import PLAIN_JSON, Request, Response
from .store import SeedError
from .throttle import PERF_KEYS


def _ok(body, status: int = 200) -> Response:
    return Response(status, body, content_type=PLAIN_JSON)


def _error(status: int, message: str) -> Response:
    return Response(status, {"error": message}, content_type=PLAIN_JSON)


class ControlApi:
    def __init__(self, store):
        self.store = store

    def handle(self, req: Request) -> Response:
        name = "/".join(req.segments[1:])
        handler = getattr(self, "_%s_%s" % (req.method.lower(), name.replace("-", "_")), None)
        if handler is None:
            return _error(404, "no control endpoint %s /_emulator/%s" % (req.method, name))
        body = None
        if req.body.strip():
            try:
                body = req.json_body()
            except (ValueError, UnicodeDecodeError):
                return _error(400, "the body must be JSON")
        try:
            return handler(req, body)
        except (FaultError, SeedError, ValueError, TypeError, KeyError) as exc:
            return _error(400, "%s: %s" % (type(exc).__name__, exc))

    def _get_health(self, req, body):
        return _ok({"status": "ok"})

    def _get_requests(self, req, body):
        entries = self.store.entries()
        since = req.query.get("since")
        if since:
            entries = [entry for entry in entries if entry["seq"] > int(since)]
        if req.query.get("kind"):
            entries = [entry for entry in entries if entry["kind"] == req.query["kind"]]
        return _ok({"value": json.loads(json.dumps(entries))})

    def _delete_requests(self, req, body):
        self.store.clear_log()
        return _ok({"status": "cleared"})

    def _get_faults(self, req, body):
        with self.store.lock:
            return _ok({"value": [fault.as_dict() for fault in self.store.faults.faults]})

    def _post_faults(self, req, body):
        if not isinstance(body, dict):
            raise ValueError("a fault is a JSON object")
        with self.store.lock:
            fault = self.store.faults.add(body)
            return _ok(fault.as_dict(), 201)

    def _delete_faults(self, req, body):
        with self.store.lock:
            self.store.faults.clear()
        return _ok({"status": "cleared"})

    def _post_reset(self, req, body):
        seed = (body or {}).get("seed")
        if seed is not None and not isinstance(seed, dict):
            raise ValueError("seed must be an object")
        self.store.reset(seed)
        return _ok({"status": "reset"})

    def _get_state(self, req, body):
        return _ok(self.store.snapshot())

    def _post_apps(self, req, body):
        if not isinstance(body, dict):
            raise ValueError("an app is a JSON object")
        app = self.store.add_app(body)
        shown = dict(app, client_secret="***" if app.get("client_secret") else None)
        return _ok(shown, 201)

    def _post_expire_tokens(self, req, body):
        self.store.expire_tokens()
        with self.store.lock:
            return _ok({"token_generation": self.store.token_generation})

    def _get_config(self, req, body):
        config = {"page_size": self.store.page_size, "default_page_size": self.store.default_page_size}
        config.update(self.store.perf.config())
        return _ok(config)

    def _get_stats(self, req, body):
        return _ok(self.store.perf.snapshot())

    def _put_config(self, req, body):
        if not isinstance(body, dict):
            raise ValueError("config is a JSON object")
        if "page_size" in body:
            size = body["page_size"]
            if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
                raise ValueError("page_size must be a positive integer or null")
        unknown = set(body) - {"page_size"} - set(PERF_KEYS)
        if unknown:
            raise ValueError("unknown config keys: %s" % ", ".join(sorted(unknown)))
        self.store.perf.configure(body)
        if "page_size" in body:
            with self.store.lock:
                self.store.page_size_override = body["page_size"]
        return self._get_config(req, body)

    def _post_managed_devices(self, req, body):
        """Add `count` generated managed devices at once (a large tenant for paging tests); see the README."""
        if not isinstance(body, dict):
            raise ValueError("the body is a JSON object")
        added = self.store.generate_devices(**body)
        return _ok({"added": added}, 201)
