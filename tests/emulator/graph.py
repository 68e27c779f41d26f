"""Fake Microsoft Graph: authentication, routing, and the generic list/get/create/update/delete of the served entities.

What is served comes from the entity declarations (entities/, one module per entity; declaration.py builds their routes).
"""
from __future__ import annotations

import copy
from urllib.parse import quote

from . import entities
from .declaration import refuse_query, routes_of
from .messages import Request, Response, graph_error, intune_message, new_guid, utc_now
from .odata import ListOptions, context_url, next_link, parse_select, select
from .routing import Ctx, GraphError, Route, item, read_json, resolve as resolve_in, split_segments  # noqa: F401  (re-exported)
from .tokens import TokenError
from .validation import ValidationError, format_datetime

VERSIONS = ("beta", "v1.0")

# Every route: those of the entity declarations, then the module-level ROUTES lists of entities/ (routes that are no entity set).
ROUTES = routes_of(entities.DECLARATIONS) + list(entities.ROUTES)


def resolve(segments: list):
    return resolve_in(ROUTES, segments)


class Graph:
    def __init__(self, store, base_url: str):
        self.store = store
        self.base_url = base_url

    def handle(self, req: Request) -> Response:
        try:
            return self._handle(req)
        except GraphError as exc:
            return graph_error(req, exc.status, exc.code, exc.message, exc.headers)
        except ValidationError as exc:
            return graph_error(req, 400, exc.code, exc.message)

    def _handle(self, req: Request) -> Response:
        segments = req.segments
        if not segments or segments[0].lower() not in VERSIONS:
            raise GraphError(400, "BadRequest", "Invalid version: %s" % (segments[0] if segments else ""))
        version = segments[0].lower()
        claims = self.authenticate(req)
        route, params = resolve(split_segments(segments[1:]))
        url = self.base_url + req.raw_path
        if req.method not in route.methods:
            raise GraphError(400, "BadRequest", "No HTTP resource was found that matches the request URI '%s'." % url)
        self.authorize(req, route, claims)
        ctx = Ctx(req, version, params, claims, self.store, self.base_url, route)
        with self.store.lock:
            if req.method in route.handlers:
                return route.handlers[req.method](self, ctx, route)
            if route.key is None and route.entity is None:
                return self._list(ctx, route) if req.method == "GET" else self._create(ctx, route)
            if req.method == "GET":
                return self._get(ctx, route)
            if req.method == "PATCH":
                return self._update(ctx, route)
            return self._delete(ctx, route)

    # --- security ---------------------------------------------------------------------------------------------
    def authenticate(self, req: Request) -> dict:
        challenge = {"WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
                                         'client_id="00000003-0000-0000-c000-000000000000"'}
        header = req.headers.get("authorization", "")
        scheme, token = (header.split(" ", 1) + [""])[:2]
        if not header or not token.strip():
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", challenge)
        if scheme.lower() != "bearer":
            raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure: the Authorization scheme must be Bearer.",
                             challenge)
        with self.store.lock:
            generation = self.store.token_generation
        try:
            claims = self.store.issuer.verify(token.strip(), generation)
        except TokenError as exc:
            message = exc.reason if exc.expired else "IDX14100: JWT is not well formed or its signature is invalid. %s" % exc.reason
            raise GraphError(401, "InvalidAuthenticationToken", message, challenge)
        if self.store.find_tenant(claims.get("tid", "")) is None:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid tenant.", challenge)
        return claims

    def authorize(self, req: Request, route: Route, claims: dict):
        needed = route.read if req.method == "GET" else route.write
        roles = claims.get("roles") or []
        if any(role in roles for role in needed):
            return
        if route.service == "intune":
            message = intune_message(
                req, "Application is not authorized to perform this operation. Application must have one of the following scopes: %s"
                % ", ".join(needed), self.base_url)
        else:
            message = "Missing role permissions on the request. API requires one of '%s'. Roles on the request '%s'." % (
                ", ".join(needed), ", ".join(roles))
        raise GraphError(403, "Forbidden", message)

    # --- rendering --------------------------------------------------------------------------------------------
    def _context(self, ctx: Ctx, route: Route, single: bool) -> str:
        context = route.context.format(**{k: v.replace("'", "''") for k, v in ctx.params.items()})
        return context_url(self.base_url, ctx.version, context, single)

    @staticmethod
    def _ordered(entity: dict) -> dict:
        ordered = {"@odata.type": entity.get("@odata.type"), "id": entity.get("id")}
        ordered.update(entity)
        return copy.deepcopy(ordered)

    def _single(self, ctx: Ctx, route: Route, entity: dict, status: int = 200, headers=None) -> Response:
        names = parse_select(ctx.req.query.get("$select"), route.etype) if ctx.req.method == "GET" else None
        body = {"@odata.context": self._context(ctx, route, single=True)}
        body.update(select(self._ordered(entity), names))
        return Response(status, body, headers or {})

    # --- operations -------------------------------------------------------------------------------------------
    def _list(self, ctx: Ctx, route: Route) -> Response:
        container = route.container(ctx)
        refuse_query(route.decl, ctx.req.query)
        options = ListOptions(ctx.req.query, route.etype)
        page, next_offset, total = options.page(list(container.values()), self.store.page_size)
        body = {"@odata.context": self._context(ctx, route, single=False)}
        if options.count:
            body["@odata.count"] = total
        if next_offset is not None:
            body["@odata.nextLink"] = next_link(self.base_url, ctx.req.raw_path_only, ctx.req.raw_query, next_offset)
        body["value"] = [select(self._ordered(entity), options.select) for entity in page]
        return Response(200, body)

    def _entity(self, ctx: Ctx, route: Route) -> dict:
        if route.entity is not None:
            return route.entity(ctx)
        return item(route.container(ctx), ctx.params[route.key], route.missing, ctx)

    def _get(self, ctx: Ctx, route: Route) -> Response:
        return self._single(ctx, route, self._entity(ctx, route))

    def _create(self, ctx: Ctx, route: Route) -> Response:
        container = route.container(ctx)
        body = read_json(ctx.req)
        decl = route.decl.for_create(body) if route.decl is not None else None
        etype = decl.etype if decl is not None else route.etype
        entity = etype.new_entity(etype.parse(body, creating=True))
        entity["id"] = new_guid()
        if etype.timestamps:
            entity["createdDateTime"] = entity["lastModifiedDateTime"] = format_datetime(utc_now())
        if decl is not None and decl.on_create is not None:
            decl.on_create(ctx, entity)
        etype.validate_entity(entity)
        on_write = route.decl.on_write if route.decl is not None else route.on_write
        if on_write is not None:
            on_write(ctx, entity, None)
        container[entity["id"]] = entity
        if route.decl is not None:
            route.decl.created(ctx, entity)
        location = "%s/%s/%s('%s')" % (self.base_url, ctx.version, route.context.format(**ctx.params), quote(entity["id"]))
        return self._single(ctx, route, entity, 201, {"Location": location})

    def _update(self, ctx: Ctx, route: Route) -> Response:
        entity = self._entity(ctx, route)
        body = read_json(ctx.req)
        decl, etype = route.decl.for_update(entity, body) if route.decl is not None else (None, route.etype)
        changes = etype.parse(body, creating=False)
        updated = copy.deepcopy(entity)
        updated.update(changes)
        if decl is not None and decl.on_update is not None:
            decl.on_update(ctx, entity, updated)
        own = decl.etype if decl is not None else route.etype
        own.validate_entity(updated)
        on_write = route.decl.on_write if route.decl is not None else route.on_write
        if on_write is not None:
            on_write(ctx, updated, entity)
        if own.timestamps:
            updated["lastModifiedDateTime"] = format_datetime(utc_now())
        entity.clear()
        entity.update(updated)
        return self._single(ctx, route, entity)

    def _delete(self, ctx: Ctx, route: Route) -> Response:
        container = route.container(ctx)
        entity = item(container, ctx.params[route.key], route.missing, ctx)
        del container[entity["id"]]
        if route.decl is not None:
            route.decl.deleted(ctx, entity)
        elif route.on_delete is not None:
            route.on_delete(ctx, entity)
        return Response(204)
