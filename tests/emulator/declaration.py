"""Entity declarations: one `Entity` per Graph entity set (or derived type) drives everything the emulator does for it.

From a declaration come its routes (collection, item, type casts, the cast to a derived type, nested collections,
the `assignments` navigation and the `assign` action), its store container, the permissions and error wording of its
service, its validation (the declared EntityType) and its place in the seed and in `GET /_emulator/state`.
The declarations live in entities/ (one module per entity); this file knows no particular entity.
"""
from __future__ import annotations

import copy

from .messages import Response, new_guid, utc_now
from .routing import GraphError, Route, directory_missing, intune_missing, item, read_json, windows_updates_missing
from .validation import ValidationError, format_datetime, odata_type_matches

_ITEM_METHODS = ("GET", "PATCH", "DELETE")


class SeedError(ValueError):
    """The seed document is not valid."""


class Service:
    """Who may read and write an entity set (application roles), and how its service words a missing item."""

    def __init__(self, name: str, read: tuple, write: tuple = ()):
        if name not in ("intune", "windowsUpdates", "directory"):
            raise ValueError("unknown service %r" % name)
        self.name, self.read, self.write = name, tuple(read), tuple(write)

    def missing(self, noun: str):
        if self.name == "windowsUpdates":
            return windows_updates_missing(noun)
        return directory_missing if self.name == "directory" else intune_missing


class View:
    """A top-level entity set served again under another entity's item, filtered: users/{userId}/managedDevices."""

    def __init__(self, parent: "Entity", path: tuple, where):
        self.parent, self.path, self.where = parent, tuple(path), where  # where(parent entity, entity) -> bool


class Assignments:
    """The `assignments` navigation (GET) and the `assign` action (POST, replaces the whole set) of an Intune entity.

    complex_type: the assignment type (a validation.Complex with at least `target`); store: the data key holding
    {owner id: [assignments]}; parameters: the body parameters `assign` accepts (the first holds the assignments);
    stamp(owner) -> the server-set properties of each stored assignment (deviceConfigurationAssignment's source).
    """

    def __init__(self, complex_type, *, store: str, parameters=("assignments",), stamp=None):
        self.type, self.store, self.parameters, self.stamp = complex_type, store, tuple(parameters), stamp

    def convert(self, owner: dict, raw) -> dict:
        assignment = self.type.convert(raw, "assignments")
        target = assignment.get("target")
        if not target:
            raise ValidationError("Every assignment needs a 'target'.")
        kind = target["@odata.type"].lstrip("#").rsplit(".", 1)[-1]
        assignment["id"] = "%s_%s" % (owner["id"], target.get("groupId") or target.get("collectionId") or kind)
        if self.stamp is not None:
            assignment.update(self.stamp(owner))
        assignment["@odata.type"] = self.type.odata_type
        return assignment

    def of(self, data: dict, owner_id: str) -> list:
        return data.setdefault(self.store, {}).setdefault(owner_id, [])

    def list(self, graph, ctx, route) -> Response:
        owner = graph._entity(ctx, route)
        items = [copy.deepcopy(entry) for entry in self.of(ctx.data, owner["id"])]
        context = "%s/%s/$metadata#%s('%s')/assignments" % (graph.base_url, ctx.version, route.context, owner["id"])
        return Response(200, {"@odata.context": context, "value": items})

    def assign(self, graph, ctx, route) -> Response:
        """POST .../assign {"assignments": [...]}: replaces the whole set; any malformed item fails the whole call."""
        owner = graph._entity(ctx, route)
        body = read_json(ctx.req)
        if not isinstance(body, dict):
            raise ValidationError("The request body must be a JSON object with an '%s' collection." % self.parameters[0])
        for key in body:
            if key not in self.parameters and not key.startswith("@"):
                raise ValidationError("The parameter '%s' in the request payload is not a valid parameter for the operation 'assign'." % key)
        if not isinstance(body.get(self.parameters[0]), list):
            raise ValidationError("The parameter '%s' of the operation 'assign' must be a collection." % self.parameters[0])
        stored, seen = [], set()
        for raw in body[self.parameters[0]]:
            assignment = self.convert(owner, raw)
            if assignment["id"].lower() in seen:
                raise ValidationError("The assignment target '%s' is given twice." % assignment["id"])
            seen.add(assignment["id"].lower())
            stored.append(assignment)
        ctx.data.setdefault(self.store, {})[owner["id"]] = stored
        context = "%s/%s/$metadata#Collection(%s)" % (graph.base_url, ctx.version, self.type.edm)
        return Response(200, {"@odata.context": context, "value": copy.deepcopy(stored)})


class _Mount:
    """Where an entity set is served: its collection template, its @odata.context and its container."""

    def __init__(self, decl, template: tuple, context: str, container, view: bool = False):
        self.decl, self.template, self.context, self.container = decl, tuple(template), context, container
        self.view = view  # a filtered copy: nothing is created through it

    def lookup(self, ctx) -> dict:
        return item(self.container(ctx), ctx.params[self.decl.key], self.decl.missing, ctx)


def seed_entity(etype, data: dict, where: str) -> dict:
    """A seed entity through the same conversion as a write (missing id: a new GUID; missing timestamps: now)."""
    if not isinstance(data, dict):
        raise SeedError("%s: expected a mapping, got %r" % (where, data))
    data = dict(data)
    data.setdefault("id", new_guid())
    if etype.timestamps:
        stamp = format_datetime(utc_now())
        data.setdefault("createdDateTime", stamp)
        data.setdefault("lastModifiedDateTime", data["createdDateTime"])
    try:
        return etype.from_seed(data)
    except ValidationError as exc:
        raise SeedError("%s (id %s): %s" % (where, data.get("id"), exc.message))


class Entity:
    """One entity set the emulator serves (or one derived type of a polymorphic set, with `base`).

    name      the noun of its errors and seed messages ("ring"; Intune's: the type's name, "deviceConfiguration")
    etype     its validation.EntityType (properties, enums, ranges, server fields: Graph's beta metadata)
    service   a Service: read/write roles and error wording (intune, windowsUpdates, directory)
    key       the path parameter of an item ("ringId"); store: its key in the store's data
    path      the collection's segments: from the root, or (with parent) from the parent's item
    parent    the entity whose items hold this set (rings of a policy); the set is stored per parent id and
              deleted with it. A parent that is a derived type (with cast) serves it under its type cast segment.
    seed      where its items are in the seed: a tuple of keys from the root (default: path), or (with parent) the key in a
              parent item (default: the last segment of path)
    methods   GET (list and item), POST (create), PATCH, DELETE; listable=False: no collection GET (users)
    base      makes this a derived type of a polymorphic set: POST picks it by @odata.type, PATCH by the stored type,
              seeds by @odata.type; cast=True serves the item under the type cast segment (.../{id}/<qualified name>)
    type_casts  derived type names whose collection cast segment lists only their items (catalog entries)
    views     View: the set served again, filtered, under another entity's item
    assignments  an Assignments: serves .../{id}/assignments and .../{id}/assign
    hooks     on_create(ctx, entity) after the defaults (server fields); on_update(ctx, before, after) after the merge;
              on_write(ctx, entity, current or None) for checks against other entities (raise GraphError/ValidationError)
    untyped_patch  the EntityType a PATCH without @odata.type is read as (Intune reads it as the base type)
    seed_defaults  server properties a seed item may leave out; seed_needs_id: the SeedError when a seed item has no id
    snapshot_empty  whether the state shows this nested set when it is empty
    refused_query  query options Graph refuses on the collection ("$filter" on windowsFeatureUpdateProfiles): a list
              carrying one fails as Graph's OData layer words it
    """

    def __init__(self, name: str, etype, *, service: Service | None = None, key: str | None = None, path=(), parent=None,
                 store: str | None = None, seed=None, methods=("GET", "POST", "PATCH", "DELETE"), listable: bool = True,
                 plural: str | None = None, base=None, cast: bool = False, type_casts=(), views=(), assignments=None,
                 on_create=None, on_update=None, on_write=None, untyped_patch=None, seed_defaults=None, seed_needs_id=None,
                 snapshot_empty: bool = True, refused_query=()):
        self.name, self.etype, self.plural = name, etype, plural or name + "s"
        self.base, self.cast, self.parent = base, cast, parent
        if base is not None:
            service, key, store = base.service, base.key, base.store
            base.derived.append(self)
        if service is None or key is None or store is None:
            raise ValueError("entity %s: service, key and store are required" % name)
        self.service, self.key, self.store, self.path = service, key, store, tuple(path)
        if seed is None and base is None:
            seed = self.path[-1] if parent is not None else self.path  # default: the path's last segment / the path
        self.seed = seed
        self.methods, self.listable = tuple(methods), listable
        self.type_casts, self.views, self.assignments = tuple(type_casts), tuple(views), assignments
        self.on_create, self.on_update, self.on_write = on_create, on_update, on_write
        self.untyped_patch, self.seed_defaults, self.seed_needs_id = untyped_patch, dict(seed_defaults or {}), seed_needs_id
        self.snapshot_empty = snapshot_empty
        self.refused_query = tuple(refused_query)
        self.missing = service.missing(name)
        self.derived, self.children = [], []
        if parent is not None:
            parent.children.append(self)

    @property
    def top_level(self) -> bool:
        return self.parent is None and self.base is None

    @property
    def qualified_names(self) -> set:
        """The @odata.type names this set serves: its type and its declared derived types."""
        return {self.etype.qualified_name} | {derived.etype.qualified_name for derived in self.derived}

    def all_children(self) -> list:
        return self.children + [child for derived in self.derived for child in derived.children]

    # --- where it is served ---------------------------------------------------------------------------------------
    def item_prefixes(self) -> list:
        """(template, context, lookup) of each place an item of this set is served: children hang below them."""
        if self.base is not None:
            if not self.cast:
                return []
            return [(template + (self.etype.qualified_name,), context + "/" + self.etype.qualified_name, self._typed(lookup))
                    for template, context, lookup in self.base.item_prefixes()]
        return [(mount.template + ("{%s}" % self.key,), mount.context + "('{%s}')" % self.key, mount.lookup) for mount in self.mounts()]

    def mounts(self) -> list:
        if self.base is not None:
            return []
        if self.parent is None:
            mounts = [_Mount(self, self.path, "/".join(self.path), lambda ctx: ctx.data[self.store])]
        else:
            mounts = [_Mount(self, template + self.path, context + "/" + "/".join(self.path), self._nested(lookup))
                      for template, context, lookup in self.parent.item_prefixes()]
        for view in self.views:
            mounts.extend(_Mount(self, template + view.path, context + "/" + "/".join(view.path), self._viewed(view, lookup), view=True)
                          for template, context, lookup in view.parent.item_prefixes())
        return mounts

    def _nested(self, parent_lookup):
        def container(ctx):
            return ctx.data[self.store].setdefault(parent_lookup(ctx)["id"], {})
        return container

    def _viewed(self, view, parent_lookup):
        def container(ctx):
            parent = parent_lookup(ctx)
            return {key: entity for key, entity in ctx.data[self.store].items() if view.where(parent, entity)}
        return container

    def _typed(self, lookup):
        """The item, which must be of this derived type (a type cast segment)."""
        def entity(ctx):
            found = lookup(ctx)
            given = (found.get("@odata.type") or "").lstrip("#")
            if given != self.etype.qualified_name:
                raise GraphError(400, "BadRequest", "The type cast to '%s' failed: %s '%s' is of type '%s'."
                                 % (self.etype.qualified_name, self.base.name, found["id"], given))
            return found
        return entity

    def routes(self) -> list:
        common = dict(read=self.service.read, write=self.service.write, missing=self.missing, service=self.service.name)
        routes = []
        for mount in self.mounts():
            collection = (("GET",) if self.listable and "GET" in self.methods else ()) + (
                ("POST",) if "POST" in self.methods and not mount.view else ())
            if collection:
                routes.append(Route(mount.template, self.etype, mount.context, collection, container=mount.container, decl=self, **common))
            for type_name in self.type_casts:
                routes.append(Route(mount.template + (type_name,), self.etype, mount.context + "/" + type_name, ("GET",),
                                    container=_of_type(mount.container, type_name), decl=self, **common))
            item_template = mount.template + ("{%s}" % self.key,)
            routes.append(Route(item_template, self.etype, mount.context, tuple(m for m in _ITEM_METHODS if m in self.methods),
                                container=mount.container, key=self.key, decl=self, **common))
            if self.assignments is not None:
                routes.append(Route(item_template + ("assignments",), self.etype, mount.context, ("GET",), container=mount.container,
                                    key=self.key, handlers={"GET": self.assignments.list}, decl=self, **common))
                routes.append(Route(item_template + ("assign",), self.etype, mount.context, ("POST",), container=mount.container,
                                    key=self.key, handlers={"POST": self.assignments.assign}, decl=self, **common))
            for derived in self.derived:
                if derived.cast:
                    cast = derived.etype.qualified_name
                    routes.append(Route(item_template + (cast,), self.etype, mount.context + "/" + cast, ("GET",), container=None,
                                        entity=derived._typed(mount.lookup), decl=derived, **common))
        return routes

    # --- writes ---------------------------------------------------------------------------------------------------
    def for_create(self, body) -> "Entity":
        """The declaration a POST creates: a polymorphic set picks its derived type by the body's @odata.type."""
        if not self.derived:
            return self
        if not isinstance(body, dict) or not body.get("@odata.type"):
            raise ValidationError("Cannot create an instance of the abstract type '%s': the request body must carry an '@odata.type' "
                                  "naming a derived type, e.g. '#%s'." % (self.etype.qualified_name, self.derived[0].etype.qualified_name))
        for derived in self.derived:
            if odata_type_matches(body["@odata.type"], derived.etype.qualified_name):
                return derived
        raise ValidationError("The emulator creates only %s %s, not '%s'."
                              % (", ".join(d.etype.qualified_name for d in self.derived), self.plural, body.get("@odata.type")))

    def for_update(self, entity: dict, body):
        """(declaration, EntityType) of a PATCH of `entity`."""
        decl = self
        if self.derived:
            decl = self._derived_of(entity)
            if decl is None:
                raise ValidationError("The emulator does not update %s of type '%s'." % (self.plural, entity.get("@odata.type")))
        if decl.untyped_patch is not None and isinstance(body, dict) and "@odata.type" not in body:
            return decl, decl.untyped_patch
        return decl, decl.etype

    def _derived_of(self, entity: dict):
        for derived in self.derived:
            if odata_type_matches(entity.get("@odata.type"), derived.etype.qualified_name):
                return derived
        return None

    def created(self, ctx, entity: dict):
        for child in self.all_children():
            ctx.data[child.store].setdefault(entity["id"], {})

    def deleted(self, ctx, entity: dict):
        """Its nested sets and assignments go with it."""
        for child in self.all_children():
            ctx.data[child.store].pop(entity["id"], None)
        if self.assignments is not None:
            ctx.data.setdefault(self.assignments.store, {}).pop(entity["id"], None)

    # --- seed and state -------------------------------------------------------------------------------------------
    def empty_store(self, data: dict):
        data.setdefault(self.store, {})
        if self.assignments is not None:
            data.setdefault(self.assignments.store, {})
        for child in self.all_children():
            child.empty_store(data)

    def load_seed(self, data: dict, items, container: dict):
        """Validate the seed's items of this set (with their nested sets and assignments) into `container`."""
        nested = {child.seed for child in self.all_children()} | ({"assignments"} if self.assignments is not None else set())
        for raw in items or []:
            if self.seed_needs_id and isinstance(raw, dict) and not raw.get("id"):
                raise SeedError(self.seed_needs_id)
            body = {k: v for k, v in raw.items() if k not in nested} if isinstance(raw, dict) else raw
            decl = self._derived_of(body) if self.derived and isinstance(body, dict) else None
            entity = seed_entity((decl or self).etype, body, self.name)
            for key, value in (decl.seed_defaults if decl is not None else self.seed_defaults).items():
                entity.setdefault(key, value)
            if self.assignments is not None:
                stored = self.assignments.of(data, entity["id"])
                for assignment in raw.get("assignments") or []:
                    try:
                        stored.append(self.assignments.convert(entity, assignment))
                    except ValidationError as exc:
                        raise SeedError("%s %s assignment: %s" % (self.name, entity["id"], exc.message))
            container[entity["id"]] = entity
            for child in self.all_children():
                child_items = raw.get(child.seed) or []
                if child_items and child.parent not in (self, decl):
                    raise SeedError("%s %s: only a %s has %s" % (self.name, entity["id"], child.parent.etype.qualified_name.rsplit(".", 1)[-1],
                                                                 child.seed))
                child.load_seed(data, child_items, data[child.store].setdefault(entity["id"], {}))

    def snapshot(self, data: dict, container: dict) -> list:
        """The items in the seed's format: nested sets and assignments inside each item."""
        result = []
        for entity_id, entity in container.items():
            shown = dict(entity)
            for child in self.all_children():
                items = child.snapshot(data, data[child.store].get(entity_id, {}))
                if items or child.snapshot_empty:
                    shown[child.seed] = items
            if self.assignments is not None and data.get(self.assignments.store, {}).get(entity_id):
                shown["assignments"] = data[self.assignments.store][entity_id]
            result.append(shown)
        return result


def refuse_query(decl, query: dict):
    """Graph's answer to a query option its OData layer does not allow on a collection (ASP.NET's EnableQuery wording)."""
    for option in getattr(decl, "refused_query", ()):
        if option in query:
            name = option.lstrip("$")
            raise ValidationError("The query specified in the URI is not valid. Query option '%s' is not allowed. To allow it, set the "
                                  "'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings." % name.capitalize())


def _of_type(container, type_name: str):
    """The container of a type cast segment: entries/microsoft.graph.windowsUpdates.featureUpdateCatalogEntry."""
    def typed(ctx):
        return {key: entity for key, entity in container(ctx).items() if (entity.get("@odata.type") or "").lstrip("#") == type_name}
    return typed


def routes_of(declarations) -> list:
    return [route for decl in declarations for route in decl.routes()]


def load_seed(declarations, seed: dict) -> dict:
    """The entities of a seed, validated, as the store's data."""
    data = {}
    for decl in declarations:
        if decl.top_level:
            decl.empty_store(data)
    for decl in declarations:
        if decl.top_level:
            items = seed
            for key in decl.seed:
                items = (items or {}).get(key) if isinstance(items or {}, dict) else None
            decl.load_seed(data, items, data[decl.store])
    return data


def snapshot(declarations, data: dict) -> dict:
    """The entities in the seed's format (the inverse of load_seed)."""
    result = {}
    for decl in declarations:
        if decl.top_level:
            place = result
            for key in decl.seed[:-1]:
                place = place.setdefault(key, {})
            place[decl.seed[-1]] = decl.snapshot(data, data[decl.store])
    return result
