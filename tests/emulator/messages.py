"""Plain request/response values passed between the HTTP plumbing and the handlers, plus the error bodies."""
from __future__ import annotations

import dataclasses
import datetime
import json
import uuid
from urllib.parse import parse_qsl, unquote, urlsplit

GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
PLAIN_JSON = "application/json; charset=utf-8"


def new_guid() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def iso_seconds(moment: datetime.datetime | None = None) -> str:
    """UTC time as Graph's innerError date: 2024-05-01T10:00:00."""
    return (moment or utc_now()).strftime("%Y-%m-%dT%H:%M:%S")


@dataclasses.dataclass
class Request:
    """One HTTP request (top level, or one inner request of a $batch)."""

    method: str
    raw_path: str
    headers: dict
    body: bytes = b""
    in_batch: bool = False
    batch_seq: int | None = None
    request_id: str = dataclasses.field(default_factory=new_guid)
    seq: int = 0

    @property
    def raw_path_only(self) -> str:
        return urlsplit(self.raw_path).path

    @property
    def raw_query(self) -> str:
        return urlsplit(self.raw_path).query

    @property
    def path(self) -> str:
        """URL-decoded path without the query."""
        return unquote(self.raw_path_only)

    @property
    def segments(self) -> list:
        """Path segments, split before percent-decoding so an encoded '/' stays inside its segment."""
        return [unquote(part) for part in self.raw_path_only.split("/") if part != ""]

    @property
    def query(self) -> dict:
        return dict(parse_qsl(self.raw_query, keep_blank_values=True))

    @property
    def client_request_id(self) -> str:
        return self.headers.get("client-request-id") or self.request_id

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json_body(self):
        """Parsed JSON body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form_body(self) -> dict:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))


@dataclasses.dataclass
class Response:
    status: int
    body: object = None
    headers: dict = dataclasses.field(default_factory=dict)
    content_type: str = GRAPH_JSON
    drop: bool = False
    truncate: bool = False  # fault: the full Content-Length, half the body, then the socket closes
    omit: bool = False  # fault: a $batch item applied but left out of the $batch answer

    def encoded_body(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode("utf-8")


def graph_error(req: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
    """Graph's OData error shape; the body's request-id equals the response header's."""
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": iso_seconds(),
                "request-id": req.request_id,
                "client-request-id": req.client_request_id,
            },
        }
    }
    return Response(status, body, dict(headers or {}))


def intune_message(req: Request, text: str, base_url: str) -> str:
    """Intune wraps its own messages in a JSON document inside the OData message string."""
    inner = {
        "_version": 3,
        "Message": "%s - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: %s - Url: %s%s"
                   % (text, req.request_id, base_url, req.raw_path),
        "CustomApiErrorPhrase": "",
        "RetryAfter": None,
        "ErrorSourceService": "",
        "HttpHeaders": "{}",
    }
    return json.dumps(inner, indent=2).replace("\n", "\r\n")


def entra_error(req: Request, status: int, error: str, aadsts: int, text: str) -> Response:
    """Entra ID's token endpoint error shape."""
    now = utc_now()
    trace_id = new_guid()
    correlation_id = req.headers.get("client-request-id") or new_guid()
    stamp = now.strftime("%Y-%m-%d %H:%M:%SZ")
    body = {
        "error": error,
        "error_description": "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (aadsts, text, trace_id, correlation_id, stamp),
        "error_codes": [aadsts],
        "timestamp": stamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % aadsts,
    }
    return Response(status, body, {"x-ms-request-id": trace_id}, content_type=PLAIN_JSON)
