"""JSON $batch: up to 20 inner requests, each routed like a top-level one with the outer request's credentials."""
from __future__ import annotations

import json

from .messages import Request, Response
from .validation import ValidationError

MAX_REQUESTS = 20
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


class BatchError(ValidationError):
    """A batch payload that fails as a whole (400)."""


def _validate(payload) -> list:
    if not isinstance(payload, dict) or not isinstance(payload.get("requests"), list):
        raise BatchError("Invalid batch payload format: the body must be an object with a 'requests' array.")
    requests = payload["requests"]
    if not requests:
        raise BatchError("Invalid batch payload format: 'requests' must contain at least one request.")
    if len(requests) > MAX_REQUESTS:
        raise BatchError("Invalid batch payload format: the number of requests in a batch (%d) exceeds the limit of %d."
                         % (len(requests), MAX_REQUESTS))
    seen = []
    for item in requests:
        if not isinstance(item, dict):
            raise BatchError("Invalid batch payload format: every request must be an object.")
        for field in ("id", "method", "url"):
            if item.get(field) in (None, ""):
                raise BatchError("Invalid batch payload format: a request is missing its '%s'." % field)
        request_id = str(item["id"])
        if request_id in seen:
            raise BatchError("Invalid batch payload format: request id '%s' is not unique." % request_id)
        if not isinstance(item["url"], str) or item["url"].lower().startswith(("http://", "https://")):
            raise BatchError("Invalid batch payload format: request id '%s' must use a relative url, e.g. '/me'." % request_id)
        if str(item["method"]).upper() not in METHODS:
            raise BatchError("Invalid batch payload format: request id '%s' has an unsupported method '%s'." % (request_id, item["method"]))
        headers = {str(k).lower(): v for k, v in (item.get("headers") or {}).items()}
        if str(item["method"]).upper() in ("POST", "PATCH", "PUT") and (item.get("body") is None or "content-type" not in headers):
            raise BatchError("Write request id : %s does not contain Content-Type header or body." % request_id)
        depends = item.get("dependsOn") or []
        if not isinstance(depends, list) or any(str(dep) not in seen for dep in depends):
            raise BatchError("Invalid batch payload format: request id '%s' depends on an id that is not an earlier request." % request_id)
        seen.append(request_id)
    return requests


class Batch:
    def __init__(self, app):
        self.app = app

    def handle(self, req: Request, version: str, payload) -> Response:
        requests = _validate(payload)
        statuses, responses, dropped = {}, [], False
        for item in requests:
            request_id = str(item["id"])
            inner = self._inner_request(req, version, item)
            failed = [str(dep) for dep in item.get("dependsOn") or [] if statuses.get(str(dep), 200) >= 400]
            if failed:
                result = self.app.failed_dependency(inner)
            else:
                result = self.app.handle_inner(inner)
            dropped = dropped or result.drop
            statuses[request_id] = result.status
            if not result.omit:  # fault "omit": applied, but its answer is left out
                responses.append(self._inner_response(request_id, result))
        self.app.store.perf.batch_served(len(requests))
        if dropped:
            return Response(0, drop=True)
        return Response(200, {"responses": responses})

    @staticmethod
    def _inner_request(outer: Request, version: str, item: dict) -> Request:
        headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
        if "authorization" in outer.headers:
            headers["authorization"] = outer.headers["authorization"]
        body = item.get("body")
        raw_body = b"" if body is None else (body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8"))
        return Request(
            method=str(item["method"]).upper(),
            raw_path="/%s/%s" % (version, item["url"].lstrip("/")),
            headers=headers,
            body=raw_body,
            in_batch=True,
            batch_seq=outer.seq,
        )

    @staticmethod
    def _inner_response(request_id: str, result: Response) -> dict:
        headers = dict(result.headers)
        entry = {"id": request_id, "status": result.status, "headers": headers}
        if result.body is not None and result.status != 204:
            headers["Content-Type"] = result.content_type
            entry["body"] = result.body
        return entry
