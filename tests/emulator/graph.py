"""Fake Microsoft Graph: authentication, the URL templates of the served entities, and their list/get/create/update/delete."""
from __future__ import annotations

import copy
import dataclasses
import re
from urllib.parse import quote

from . import device_configurations, reports, schema
from .messages import Request, Response, graph_error, intune_message, new_guid, utc_now
from .odata import ListOptions, context_url, next_link, parse_select, select
from .tokens import TokenError
from .validation import ValidationError, format_datetime

VERSIONS = ("beta", "v1.0")
WUFB_CAST = schema.WUFB_CONFIGURATION_TYPE
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

    @property
    def data(self) -> dict:
        return self.store.data


# --- lookups ----------------------------------------------------------------------------------------------------
def _find(container: dict, key: str):
    if key in container:
        return key
    lowered = key.lower()
    for candidate in container:
        if candidate.lower() == lowered:
            return candidate
    return None


def _wu_missing(what: str):
    def missing(ctx, key):
        return GraphError(404, "NotFound", "The %s '%s' was not found." % (what, key))
    return missing


def _intune_missing(ctx, key):
    return GraphError(404, "ResourceNotFound", intune_message(ctx.req, "Resource not found", ctx.base_url))


def _directory_missing(ctx, key):
    return GraphError(404, "Request_ResourceNotFound",
                      "Resource '%s' does not exist or one of its queried reference-property objects are not present." % key)


def _item(container: dict, key: str, missing, ctx):
    found = _find(container, key)
    if found is None:
        raise missing(ctx, key)
    return container[found]


def _policies(ctx):
    return ctx.data["policies"]


def _rings(ctx):
    policy = _item(ctx.data["policies"], ctx.params["policyId"], _wu_missing("policy"), ctx)
    return ctx.data["rings"].setdefault(policy["id"], {})


def _approvals(ctx):
    policy = _item(ctx.data["policies"], ctx.params["policyId"], _wu_missing("policy"), ctx)
    return ctx.data["approvals"].setdefault(policy["id"], {})


def _catalog_entries(ctx):
    return ctx.data["catalogEntries"]


def _catalog_entries_of(type_name: str):
    """The container of a type cast segment: entries/microsoft.graph.windowsUpdates.featureUpdateCatalogEntry."""
    def container(ctx):
        return {key: entry for key, entry in ctx.data["catalogEntries"].items() if entry["@odata.type"].lstrip("#") == type_name}
    return container


_APPROVABLE = ("qualityUpdateCatalogEntry", "recoveryUpdateCatalogEntry")


def _check_approval(ctx, approval: dict, current: dict | None):
    """An approval names an existing quality (or recovery) catalog entry, once per policy, and keeps it."""
    if current is not None:
        if (approval.get("catalogEntryId") or "").lower() != (current.get("catalogEntryId") or "").lower():
            raise GraphError(400, "BadRequest", "The catalogEntryId of a policyApproval cannot be changed.")
        return
    entry_id = approval.get("catalogEntryId") or ""
    found = _find(ctx.data["catalogEntries"], entry_id)
    if found is None:
        raise GraphError(400, "BadRequest", "The catalog entry '%s' was not found." % entry_id)
    entry_type = ctx.data["catalogEntries"][found]["@odata.type"].rsplit(".", 1)[-1]
    if entry_type not in _APPROVABLE:
        raise GraphError(400, "BadRequest", "The catalog entry '%s' is a %s; a quality update policy approves quality updates only."
                         % (entry_id, entry_type))
    approval["catalogEntryId"] = ctx.data["catalogEntries"][found]["id"]
    for other in _approvals(ctx).values():
        if (other.get("catalogEntryId") or "").lower() == entry_id.lower():
            raise GraphError(409, "Conflict", "The policy already has an approval (id '%s') for catalog entry '%s'." % (other["id"], entry_id))


def _delete_policy_children(ctx, policy: dict):
    ctx.data["rings"].pop(policy["id"], None)
    ctx.data["approvals"].pop(policy["id"], None)


def _configurations(ctx):
    return ctx.data["deviceConfigurations"]


def _wufb_configuration(ctx):
    config = _item(ctx.data["deviceConfigurations"], ctx.params["configId"], _intune_missing, ctx)
    if config.get("@odata.type", "").lstrip("#") != WUFB_CAST:
        raise GraphError(400, "BadRequest", "The type cast to '%s' failed: deviceConfiguration '%s' is of type '%s'."
                         % (WUFB_CAST, config["id"], config.get("@odata.type", "").lstrip("#")))
    return config


def _update_states(ctx):
    config = _wufb_configuration(ctx)
    return ctx.data["deviceUpdateStates"].setdefault(config["id"], {})


def _os_images(ctx):
    return ctx.data["osImages"]


def _users(ctx):
    return ctx.data["users"]


def _devices(ctx):
    devices = ctx.data["managedDevices"]
    if "userId" not in ctx.params:
        return devices
    user = _item(ctx.data["users"], ctx.params["userId"], _intune_missing, ctx)
    return {key: device for key, device in devices.items() if (device.get("userId") or "").lower() == user["id"].lower()}


def _configuration_states(ctx):
    device = _item(_devices(ctx), ctx.params["deviceId"], _intune_missing, ctx)
    return ctx.data["configurationStates"].setdefault(device["id"], {})


@dataclasses.dataclass
class Route:
    template: tuple
    etype: object
    context: str
    methods: tuple
    read: tuple
    container: object
    write: tuple = ()
    key: str | None = None
    missing: object = _intune_missing
    service: str = "intune"
    entity: object = None
    on_write: object = None  # (ctx, new entity, current or None): extra checks of a POST/PATCH, raise GraphError
    on_delete: object = None  # (ctx, entity): cascade
    handlers: dict = dataclasses.field(default_factory=dict)  # method -> handler(graph, ctx, route), for actions and derived types

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


_P = ("admin", "windows", "updates", "policies")
_C = ("deviceManagement", "deviceConfigurations")
_O = ("deviceManagement", "managedDeviceWindowsOSImages")
_D = ("deviceManagement", "managedDevices")
_R = ("deviceManagement", "reports", "exportJobs")
_U = ("users", "{userId}")
_WU = dict(read=schema.WINDOWS_UPDATE_READWRITE, write=schema.WINDOWS_UPDATE_READWRITE, service="windowsUpdates")
_WU_READ = dict(read=schema.WINDOWS_UPDATE_READ, write=schema.WINDOWS_UPDATE_READWRITE, service="windowsUpdates")
_CAT = ("admin", "windows", "updates", "catalog", "entries")
_CONFIG = dict(read=schema.CONFIGURATION_READ, write=schema.CONFIGURATION_WRITE)
_STATES = dict(read=schema.CONFIGURATION_READ + schema.DEVICES_READ, write=schema.CONFIGURATION_WRITE)
_READ_ITEM = ("GET",)
_RW_ITEM = ("GET", "PATCH", "DELETE")


def _device_routes(prefix: tuple, context: str) -> list:
    return [
        Route(prefix, schema.MANAGED_DEVICE, context, ("GET",), schema.DEVICES_READ, _devices),
        Route(prefix + ("{deviceId}",), schema.MANAGED_DEVICE, context, _READ_ITEM, schema.DEVICES_READ, _devices, key="deviceId"),
        Route(prefix + ("{deviceId}", "deviceConfigurationStates"), schema.CONFIGURATION_STATE,
              context + "('{deviceId}')/deviceConfigurationStates", ("GET", "POST"), container=_configuration_states, **_STATES),
        Route(prefix + ("{deviceId}", "deviceConfigurationStates", "{stateId}"), schema.CONFIGURATION_STATE,
              context + "('{deviceId}')/deviceConfigurationStates", _RW_ITEM, container=_configuration_states, key="stateId", **_STATES),
    ]


ROUTES = [
    Route(_P, schema.POLICY, "admin/windows/updates/policies", ("GET", "POST"), container=_policies, missing=_wu_missing("policy"),
          **_WU_READ),
    Route(_P + ("{policyId}",), schema.POLICY, "admin/windows/updates/policies", _RW_ITEM, container=_policies, key="policyId",
          missing=_wu_missing("policy"), on_delete=_delete_policy_children, **_WU_READ),
    Route(_P + ("{policyId}", "approvals"), schema.POLICY_APPROVAL, "admin/windows/updates/policies('{policyId}')/approvals",
          ("GET", "POST"), container=_approvals, missing=_wu_missing("policy approval"), on_write=_check_approval, **_WU_READ),
    Route(_P + ("{policyId}", "approvals", "{approvalId}"), schema.POLICY_APPROVAL,
          "admin/windows/updates/policies('{policyId}')/approvals", _RW_ITEM, container=_approvals, key="approvalId",
          missing=_wu_missing("policy approval"), on_write=_check_approval, **_WU_READ),
    Route(_CAT, schema.CATALOG_ENTRY, "admin/windows/updates/catalog/entries", ("GET",), container=_catalog_entries,
          missing=_wu_missing("catalog entry"), **_WU),
] + [
    Route(_CAT + (type_name,), schema.CATALOG_ENTRY, "admin/windows/updates/catalog/entries/" + type_name, ("GET",),
          container=_catalog_entries_of(type_name), missing=_wu_missing("catalog entry"), **_WU)
    for type_name in sorted(schema.CATALOG_ENTRY_TYPES)
] + [
    Route(_CAT + ("{entryId}",), schema.CATALOG_ENTRY, "admin/windows/updates/catalog/entries", _READ_ITEM, container=_catalog_entries,
          key="entryId", missing=_wu_missing("catalog entry"), **_WU),
    Route(_P + ("{policyId}", "rings"), schema.RING, "admin/windows/updates/policies('{policyId}')/rings", ("GET", "POST"),
          container=_rings, missing=_wu_missing("ring"), **_WU),
    Route(_P + ("{policyId}", "rings", "{ringId}"), schema.RING, "admin/windows/updates/policies('{policyId}')/rings", _RW_ITEM,
          container=_rings, key="ringId", missing=_wu_missing("ring"), **_WU),
    Route(_C, schema.DEVICE_CONFIGURATION, "deviceManagement/deviceConfigurations", ("GET", "POST"), container=_configurations,
          handlers={"POST": device_configurations.create}, **_CONFIG),
    Route(_C + ("{configId}",), schema.DEVICE_CONFIGURATION, "deviceManagement/deviceConfigurations", _RW_ITEM,
          container=_configurations, key="configId",
          handlers={"PATCH": device_configurations.update, "DELETE": device_configurations.delete}, **_CONFIG),
    Route(_C + ("{configId}", "assignments"), schema.DEVICE_CONFIGURATION, "deviceManagement/deviceConfigurations", ("GET",),
          container=_configurations, key="configId", handlers={"GET": device_configurations.list_assignments}, **_CONFIG),
    Route(_C + ("{configId}", "assign"), schema.DEVICE_CONFIGURATION, "deviceManagement/deviceConfigurations", ("POST",),
          container=_configurations, key="configId", handlers={"POST": device_configurations.assign}, **_CONFIG),
    Route(_C + ("{configId}", WUFB_CAST), schema.DEVICE_CONFIGURATION, "deviceManagement/deviceConfigurations/" + WUFB_CAST,
          _READ_ITEM, container=None, entity=_wufb_configuration, **_CONFIG),
    Route(_C + ("{configId}", WUFB_CAST, "deviceUpdateStates"), schema.WINDOWS_UPDATE_STATE,
          "deviceManagement/deviceConfigurations('{configId}')/%s/deviceUpdateStates" % WUFB_CAST, ("GET", "POST"),
          container=_update_states, **_CONFIG),
    Route(_C + ("{configId}", WUFB_CAST, "deviceUpdateStates", "{stateId}"), schema.WINDOWS_UPDATE_STATE,
          "deviceManagement/deviceConfigurations('{configId}')/%s/deviceUpdateStates" % WUFB_CAST, _RW_ITEM,
          container=_update_states, key="stateId", **_CONFIG),
    Route(_O, schema.OS_IMAGE, "deviceManagement/managedDeviceWindowsOSImages", ("GET",), container=_os_images, **_CONFIG),
    Route(_O + ("{imageId}",), schema.OS_IMAGE, "deviceManagement/managedDeviceWindowsOSImages", ("GET", "PATCH"),
          container=_os_images, key="imageId", **_CONFIG),
    Route(_U, schema.USER, "users", _READ_ITEM, schema.USERS_READ, _users, key="userId", missing=_directory_missing, service="directory"),
    Route(_R, None, "deviceManagement/reports/exportJobs", ("GET", "POST"), reports.ANY_REPORTS, None, write=reports.ANY_REPORTS,
          handlers={"GET": reports.list_jobs, "POST": reports.create_job}),
    Route(_R + ("{jobId}",), None, "deviceManagement/reports/exportJobs", ("GET", "DELETE"), reports.ANY_REPORTS, None,
          write=reports.ANY_REPORTS, key="jobId", handlers={"GET": reports.get_job, "DELETE": reports.get_job}),
] + _device_routes(_D, "deviceManagement/managedDevices") + _device_routes(_U + ("managedDevices",), "users('{userId}')/managedDevices")


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


def resolve(segments: list):
    for route in ROUTES:
        params = route.match(segments)
        if params is not None:
            return route, params
    # Name the first segment no template accepts, as Graph does.
    for depth in range(len(segments)):
        if not any(route.match(segments[: depth + 1], prefix=True) is not None for route in ROUTES):
            raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % segments[depth])
    raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % (segments[-1] if segments else ""))


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
        ctx = Ctx(req, version, params, claims, self.store, self.base_url)
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
        return _item(route.container(ctx), ctx.params[route.key], route.missing, ctx)

    def _get(self, ctx: Ctx, route: Route) -> Response:
        return self._single(ctx, route, self._entity(ctx, route))

    def _create(self, ctx: Ctx, route: Route) -> Response:
        container = route.container(ctx)
        changes = route.etype.parse(read_json(ctx.req), creating=True)
        entity = route.etype.new_entity(changes)
        entity["id"] = new_guid()
        if route.etype.timestamps:
            entity["createdDateTime"] = entity["lastModifiedDateTime"] = format_datetime(utc_now())
        route.etype.validate_entity(entity)
        if route.on_write is not None:
            route.on_write(ctx, entity, None)
        container[entity["id"]] = entity
        location = "%s/%s/%s('%s')" % (self.base_url, ctx.version, route.context.format(**ctx.params), quote(entity["id"]))
        return self._single(ctx, route, entity, 201, {"Location": location})

    def _update(self, ctx: Ctx, route: Route) -> Response:
        entity = self._entity(ctx, route)
        changes = route.etype.parse(read_json(ctx.req), creating=False)
        updated = copy.deepcopy(entity)
        updated.update(changes)
        route.etype.validate_entity(updated)
        if route.on_write is not None:
            route.on_write(ctx, updated, entity)
        if route.etype.timestamps:
            updated["lastModifiedDateTime"] = format_datetime(utc_now())
        entity.clear()
        entity.update(updated)
        return self._single(ctx, route, entity)

    def _delete(self, ctx: Ctx, route: Route) -> Response:
        container = route.container(ctx)
        entity = _item(container, ctx.params[route.key], route.missing, ctx)
        del container[entity["id"]]
        if route.on_delete is not None:
            route.on_delete(ctx, entity)
        return Response(204)


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
