"""Request log entries, with credentials redacted."""
from __future__ import annotations

from .messages import Request, Response, iso_seconds

SECRET_FIELDS = ("client_secret", "client_assertion", "x-identity-header", "secret")  # the last two: managed identity headers
MAX_TEXT = 10000


def redact_authorization(value: str) -> str:
    scheme = value.split(" ", 1)[0] if value else ""
    return "%s ***" % scheme if scheme.lower() == "bearer" else "***"


def redact(value):
    """Recursively hide Authorization values and client secrets/assertions (e.g. inside a $batch body)."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if str(key).lower() == "authorization" and isinstance(item, str):
                result[key] = redact_authorization(item)
            elif str(key).lower() in SECRET_FIELDS:
                result[key] = "***"
            else:
                result[key] = redact(item)
        return result
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _body(req: Request, kind: str):
    if not req.body:
        return None
    if kind == "token" or req.content_type.startswith("application/x-www-form-urlencoded"):
        return redact(req.form_body())
    try:
        return redact(req.json_body())
    except (ValueError, UnicodeDecodeError):
        return req.body[:MAX_TEXT].decode("utf-8", "replace")


def build_entry(req: Request, kind: str, response: Response, fault_id) -> dict:
    return {
        "seq": req.seq,
        "time": iso_seconds(),
        "method": req.method,
        "path": req.path,
        "raw_path": req.raw_path,
        "query": req.query,
        "status": 0 if response.drop else response.status,
        "body": _body(req, kind),
        "kind": kind,
        "in_batch": req.in_batch,
        "batch_seq": req.batch_seq,
        "request_id": req.request_id,
        "headers": redact(dict(req.headers)),
        "fault": fault_id,
    }
