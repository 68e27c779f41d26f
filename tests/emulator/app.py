"""Request pipeline shared by top-level and $batch inner requests: fault injection, dispatch, response headers, log."""
from __future__ import annotations

import sys
import json
import time
import traceback

from . import entra, reports
from .batch import Batch
from .control_api import ControlApi
from .identity import ManagedIdentityEndpoints
from .faults import DEFAULT_MESSAGES
from .graph import VERSIONS, Graph, GraphError, read_json
from .messages import Request, Response, entra_error, graph_error
from .requestlog import build_entry
from .validation import ValidationError


class App:
    def __init__(self, store, base_url: str):
        self.store = store
        self.base_url = base_url
        self.entra = entra.Entra(store, base_url)
        self.graph = Graph(store, base_url)
        self.batch = Batch(self)
        self.control = ControlApi(store)
        self.identity = ManagedIdentityEndpoints(store)

    def handle(self, req: Request) -> Response:
        """A top-level HTTP request."""
        segments = req.segments
        if segments[:2] == ["_emulator", "exports"]:
            return reports.control(self.store, req)
        if segments[:1] == ["_emulator"]:
            return self.control.handle(req)  # never logged, never faulted
        kind = reports.kind_of(segments) or entra.kind_of(segments) or "graph"
        self.store.perf.enter(req, kind)
        try:
            return self._pipeline(req, kind)
        finally:
            self.store.perf.leave(kind)

    def handle_inner(self, req: Request) -> Response:
        """One inner request of a $batch."""
        return self._pipeline(req, "graph")

    def failed_dependency(self, req: Request) -> Response:
        req.seq = self.store.next_seq()
        response = graph_error(req, 424, "FailedDependency", "The request depends on a request of the batch that failed.")
        return self._finish(req, "graph", response, None)

    def _pipeline(self, req: Request, kind: str) -> Response:
        req.seq = self.store.next_seq()
        with self.store.lock:
            fault = self.store.faults.take(req.method, req.path, req.in_batch)
            spec = fault.as_dict() if fault else None
        if spec and spec["kind"] == "latency":
            time.sleep(spec["latency_ms"] / 1000.0)
        if spec and spec["kind"] == "drop":
            if spec["after"]:
                self._dispatch(req, kind)
            response = Response(0, drop=True)
        elif spec and spec["kind"] == "status":
            if spec["after"]:
                self._dispatch(req, kind)  # applied, then answered with the fault: the client cannot know
            response = self._fault_response(req, kind, spec)
        elif spec and spec["kind"] in ("truncate", "omit", "self_link", "repeat"):
            response = self._broken_answer(req, kind, fault, spec["kind"])
        else:
            retry_after = None if self._is_batch(req) else self.store.perf.admit(req, kind)
            if retry_after is not None:
                response = graph_error(req, 429, "TooManyRequests", DEFAULT_MESSAGES[429], {"Retry-After": str(retry_after)})
            else:
                response = self._dispatch(req, kind)
        return self._finish(req, kind, response, spec["id"] if spec else None)

    def _broken_answer(self, req: Request, kind: str, fault, how: str) -> Response:
        """The request is handled; its answer is then broken the way `how` says (faults.py)."""
        response = self._dispatch(req, kind)
        if how == "truncate":
            response.truncate = True
        elif how == "omit":
            response.omit = True
        elif isinstance(response.body, dict) and isinstance(response.body.get("value"), list):
            if how == "self_link":
                response.body["@odata.nextLink"] = self.base_url + req.raw_path
            else:  # repeat
                value = response.body["value"]
                with self.store.lock:
                    carry, fault.carry = fault.carry, (value[-1] if value else fault.carry)
                if carry is not None and value:
                    response.body["value"] = [carry] + value
        return response

    @staticmethod
    def _is_batch(req: Request) -> bool:
        """The $batch request itself (its inner requests are counted one by one)."""
        segments = req.segments
        return not req.in_batch and len(segments) == 2 and segments[1].lower() == "$batch"

    def _finish(self, req: Request, kind: str, response: Response, fault_id) -> Response:
        if not response.drop:
            response.headers.setdefault("request-id", req.request_id)
            response.headers.setdefault("client-request-id", req.client_request_id)
        self.store.record(build_entry(req, kind, response, fault_id))
        return response

    def _fault_response(self, req: Request, kind: str, spec: dict) -> Response:
        headers = {}
        if spec["retry_after"] is not None:
            headers["Retry-After"] = str(spec["retry_after"])
        if spec.get("has_body"):
            body = spec["body"]
            if req.in_batch:  # inside the $batch answer, the body is a JSON value
                return Response(spec["status"], body, headers, content_type=spec.get("content_type") or "application/json")
            raw = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
            return Response(spec["status"], raw, headers, content_type=spec.get("content_type") or "application/json")
        if kind == "graph":
            return graph_error(req, spec["status"], spec["code"], spec["message"], headers)
        error = "temporarily_unavailable" if spec["status"] in (429, 503) else "server_error"
        response = entra_error(req, spec["status"], error, 90033, spec["message"])
        response.headers.update(headers)
        return response

    def _dispatch(self, req: Request, kind: str) -> Response:
        try:
            if kind == "storage":
                return reports.storage(self.store, req)
            if kind == "identity":
                return self.identity.handle(req)
            if kind != "graph":
                return self.entra.handle(req)
            segments = req.segments
            if not req.in_batch and len(segments) == 2 and segments[0].lower() in VERSIONS and segments[1].lower() == "$batch":
                return self._batch(req, segments[0].lower())
            return self.graph.handle(req)
        except Exception:  # the emulator must answer, as Graph would, even when it has a bug
            traceback.print_exc(file=sys.stderr)
            return graph_error(req, 500, "InternalServerError", "The emulator failed to handle the request; see its stderr.")

    def _batch(self, req: Request, version: str) -> Response:
        try:
            self.graph.authenticate(req)
            if req.method != "POST":
                raise GraphError(400, "BadRequest", "No HTTP resource was found that matches the request URI '%s%s'."
                                 % (self.base_url, req.raw_path))
            return self.batch.handle(req, version, read_json(req))
        except GraphError as exc:
            return graph_error(req, exc.status, exc.code, exc.message, exc.headers)
        except ValidationError as exc:
            return graph_error(req, 400, exc.code, exc.message)
