"""Routes of the fake Graph: the URL templates, how a request's segments pick one, and the errors of a lookup.

Generic: knows no entity. The routes of the entities are built from their declarations (declaration.py, entities/).
"""
from __future__ import annotations

import dataclasses
import re

from .messages import Request, intune_message

_KEY_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\((.*)\)$")


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@dataclasses.dataclass
class Ctx:
    req: Request
    version: str
    params: dict
    claims: dict
    store: object
    base_url: str
    route: object = None  # the Route being served: hooks reach their collection with ctx.route.container(ctx)

    @property
    def data(self) -> dict:
        return self.store.data


# --- lookups ----------------------------------------------------------------------------------------------------
def find(container: dict, key: str):
    """The stored key matching `key`, case-insensitively (Graph ids are GUIDs), or None."""
    if key in container:
        return key
    lowered = key.lower()
    for candidate in container:
        if candidate.lower() == lowered:
            return candidate
    return None


def item(container: dict, key: str, missing, ctx):
    found = find(container, key)
    if found is None:
        raise missing(ctx, key)
    return container[found]


def windows_updates_missing(what: str):
    def missing(ctx, key):
        return GraphError(404, "NotFound", "The %s '%s' was not found." % (what, key))
    return missing


def intune_missing(ctx, key):
    return GraphError(404, "ResourceNotFound", intune_message(ctx.req, "Resource not found", ctx.base_url))


def directory_missing(ctx, key):
    return GraphError(404, "Request_ResourceNotFound",
                      "Resource '%s' does not exist or one of its queried reference-property objects are not present." % key)


@dataclasses.dataclass
class Route:
    """One URL template. Without handlers, a route with a key (or entity) serves an item, else a collection."""
    template: tuple
    etype: object
    context: str
    methods: tuple
    read: tuple
    container: object
    write: tuple = ()
    key: str | None = None
    missing: object = intune_missing
    service: str = "intune"
    entity: object = None
    on_write: object = None  # (ctx, new entity, current or None): extra checks of a POST/PATCH, raise GraphError
    on_delete: object = None  # (ctx, entity): cascade
    handlers: dict = dataclasses.field(default_factory=dict)  # method -> handler(graph, ctx, route), for actions and derived types
    decl: object = None  # the entity declaration (declaration.Entity) the route was built from, if any

    def match(self, segments: list, prefix: bool = False):
        """Path parameters when the segments fit the template (or, with prefix, its beginning); else None."""
        if len(segments) > len(self.template) or (not prefix and len(segments) != len(self.template)):
            return None
        params = {}
        for part, segment in zip(self.template, segments):
            if part.startswith("{"):
                params[part[1:-1]] = segment
            elif part.lower() != segment.lower():
                return None
        return params

    @property
    def literals(self) -> int:
        return sum(1 for part in self.template if not part.startswith("{"))


def split_segments(segments: list) -> list:
    """OData key syntax: rings('id') is rings/id."""
    result = []
    for segment in segments:
        match = _KEY_SEGMENT.match(segment)
        if match:
            key = match.group(2)
            if len(key) >= 2 and key[0] == key[-1] == "'":
                key = key[1:-1].replace("''", "'")
            result.extend([match.group(1), key])
        else:
            result.append(segment)
    return result


def resolve(routes: list, segments: list):
    """The route for the segments: where two fit (entries/{entryId} and entries/<type cast>), the more literal one wins."""
    best = None
    for route in routes:
        params = route.match(segments)
        if params is not None and (best is None or route.literals > best[0].literals):
            best = (route, params)
    if best is not None:
        return best
    # Name the first segment no template accepts, as Graph does.
    for depth in range(len(segments)):
        if not any(route.match(segments[: depth + 1], prefix=True) is not None for route in routes):
            raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % segments[depth])
    raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % (segments[-1] if segments else ""))


def read_json(req: Request):
    """A write body as Graph reads it: JSON only."""
    media_type = req.content_type.split(";")[0].strip().lower()
    if not req.body.strip():
        raise GraphError(400, "BadRequest", "Empty Payload. JSON content expected.")
    if media_type != "application/json":
        raise GraphError(415, "BadRequest", "Content-Type '%s' is not supported; the request body must be 'application/json'."
                         % (req.content_type or "(none)"))
    try:
        return req.json_body()
    except (ValueError, UnicodeDecodeError):
        raise GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload "
                         "is of valid JSON format.")
