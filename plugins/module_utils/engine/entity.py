# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Entity: the one declaration of a Graph type (entities/<plural>.py holds one per type).

From it the engine derives everything a module needs: the argument spec of the resource
module and of its _info twin, the validation of the desired values, the minimal PATCH,
the natural-key lookup, the assignments and the _info listing. Quirks of a type are
declared here as data or hooks (create_only fields, unique_natural_key, an ObjectsField's
`manages`), never by subclassing the engine.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import check_id, path
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine.concurrency import ON_DUPLICATE_CHOICES, fold_key

STATE_SPEC = dict(type='str', default='present', choices=['present', 'absent'])


def clean(entity):
    """An entity as modules return it: as Graph returns it, without @odata annotations."""
    if entity is None:
        return None
    return dict((k, v) for k, v in entity.items() if not k.startswith('@odata.'))


class Entity(object):
    """One Graph entity set and the modules that manage it.

    name: for messages ('quality update ring'). result_key: the resource module's result key.
    collection: the raw path segments of the entity set, '{option}' standing for an option's
      value (quoted once by the client); or a callable params -> segments when the path depends
      on which options are given.
    fields: one engine/fields.py Field per writable property.
    id_option: the option holding the entity's id (its last path segment).
    natural_key: an option unique in the collection that identifies an entity without its id.
    odata_type: the entity's type; patch_odata_type: sent on a PATCH too (abstract base types).
    can_create, can_delete, required_on_create: what Graph allows.
    scope_options: the options that locate the collection (required, unless in optional_scope).
    id_options: other options holding ids, checked like path segments and named in messages.
    module_identity: the options a resource module identifies the entity by (default: id_option
      and natural_key); one is then required, of several one is.
    unique_natural_key: Graph itself keeps the natural key unique (a second create is a 409
      Conflict): no on_duplicate option, and a 409 on create reads the entity and updates it.
    list_query, derived_type: a derived type served from its base type's collection (lists
      carry list_query, an isof() filter; an item of another @odata.type is not this entity).
    assignments: an engine/assignments.py Assignments when the type has Intune assignments.
    listing: an engine/info.py Listing: the _info module's result key and filters.
    many: an engine/dispatch.py Many: the resource module's list option (bulk through $batch).
    replace_on: options of fields Graph sets only on create (declare them create_only): a task whose value differs
      fails, unless it sets the option `recreate` (added to the module), which deletes the entity and creates it
      again with its other values and its assignments (engine/resource.py).
    resolve: resolve(client, desired) -> (desired, resolved): option values that name something to look up
      (quality_update_release: latest_security) replaced by what they name, after validation and before the
      lookup of the entity; resolved ({option: what it resolved to}) is returned under `resolved`.
    """

    def __init__(self, name, result_key, collection, fields, id_option='id', natural_key=None, odata_type=None,
                 patch_odata_type=False, can_create=True, can_delete=True, required_on_create=(), scope_options=(),
                 list_query=None, derived_type=False, optional_scope=(), id_options=(), module_identity=None,
                 unique_natural_key=False, assignments=None, listing=None, many=None, replace_on=(), resolve=None):
        self.name = name
        self.result_key = result_key
        self.collection = collection
        self.fields = list(fields)
        self.id_option = id_option
        self.natural_key = natural_key
        self.odata_type = odata_type
        self.patch_odata_type = patch_odata_type
        self.can_create = can_create
        self.can_delete = can_delete
        self.required_on_create = tuple(required_on_create)
        self.scope_options = tuple(scope_options)
        self.optional_scope = tuple(optional_scope)
        self.id_options = tuple(id_options)
        self.by_option = dict((field.option, field) for field in self.fields)
        self.list_query = dict(list_query or {})
        self.derived_type = derived_type
        self.module_identity = tuple(module_identity if module_identity is not None
                                     else [option for option in (id_option, natural_key) if option])
        self.unique_natural_key = unique_natural_key
        self.assignments = assignments
        self.listing = listing
        self.many = many
        self.replace_on = tuple(replace_on)
        self.resolve = resolve

    # -- paths -----------------------------------------------------------------------------
    def segments(self, params):
        if callable(self.collection):
            return list(self.collection(params))
        return [params[segment[1:-1]] if segment.startswith('{') and segment.endswith('}') else segment
                for segment in self.collection]

    def collection_path(self, params):
        return path(*self.segments(params))

    def item_path(self, params, entity_id):
        return path(*(self.segments(params) + [entity_id]))

    def describe(self, params):
        """'quality update ring (policy_id X)', for messages."""
        where = ', '.join('%s %s' % (option, params[option]) for option in self.scope_options + self.id_options
                          if params.get(option))
        return '%s%s' % (self.name, ' (%s)' % where if where else '')

    def check_ids(self, params):
        """Every option that becomes a path segment or holds an id, checked before any request."""
        for option in self.scope_options + self.id_options + (self.id_option,):
            if params.get(option) is not None:
                check_id(option, params[option])

    # -- reading ---------------------------------------------------------------------------
    def is_own(self, item):
        if not self.derived_type or not isinstance(item, dict):
            return True
        return str(item.get('@odata.type') or '').lstrip('#').lower() == str(self.odata_type or '').lstrip('#').lower()

    def list_all(self, client, params, query=None):
        query = dict(self.list_query, **(query or {}))
        return [item for item in client.get_all(self.collection_path(params), query or None) if self.is_own(item)]

    def natural_field(self):
        return self.by_option[self.natural_key] if self.natural_key else None

    def matches(self, item, value):
        """Whether Graph's item carries the natural key value: compared the natural key field's way, and
        without case when the key is an id (concurrency.fold_key: ABC and abc are one device)."""
        field = self.natural_field()
        return isinstance(item, dict) and (fold_key(self, field.comparable(field.wire_value(item))) ==
                                           fold_key(self, field.comparable(value)))

    def options_of(self, item):
        """Graph's entity -> the options that declare it (unset and read-only properties left out)."""
        options = {}
        for field in self.fields:
            value = field.option_value(field.wire_value(item))
            if value is not None:
                options[field.option] = value
        if self.assignments is not None and isinstance(item.get('assignments'), list):
            options.update(self.assignments.options_of(item['assignments']))
            for option in self.assignments.unsupported:  # a kind of target the type never takes is no option
                if not options.get(option):
                    options.pop(option, None)
        return options

    # -- argument specs -----------------------------------------------------------------------
    def field_specs(self):
        return dict((field.option, field.spec()) for field in self.fields)

    def natural_key_specs(self):
        """The engine's options of an entity with a natural key (doc fragment graphops.intune.natural_key)."""
        if not (self.natural_key and self.can_delete) or self.unique_natural_key:
            return {}
        return {'on_duplicate': dict(type='str', default='fail', choices=list(ON_DUPLICATE_CHOICES))}

    def scope_specs(self):
        return dict((option, dict(type='str') if option in self.optional_scope else dict(type='str', required=True))
                    for option in self.scope_options)

    def argument_spec(self):
        """The resource module's options: scope, identity, fields, state, on_duplicate, assignments, list option."""
        spec = self.scope_specs()
        if self.id_option in self.module_identity:
            spec[self.id_option] = dict(type='str')
        spec.update(self.field_specs())
        if len(self.module_identity) == 1:
            spec[self.module_identity[0]]['required'] = True
        if self.can_create or self.can_delete:
            spec['state'] = dict(STATE_SPEC)
        spec.update(self.natural_key_specs())
        if self.assignments is not None:
            spec.update(self.assignments.argument_spec())
        if self.replace_on:
            spec['recreate'] = dict(type='bool', default=False)
        if self.many is not None:
            spec.update(self.many.argument_spec(self))
        return spec

    def argument_constraints(self):
        """AnsibleModule's keyword arguments beside the spec (required_one_of...)."""
        if self.many is not None:
            return self.many.constraints(self)
        if len(self.module_identity) > 1:
            return {'required_one_of': [self.module_identity]}
        return {}

    def info_argument_spec(self):
        """The _info module's options: scope, id, natural key, the listing's filters and options."""
        spec = self.scope_specs()
        spec[self.id_option] = dict(type='str')
        listing_spec = self.listing.argument_spec(self) if self.listing is not None else {}
        if self.natural_key and self.natural_key not in listing_spec:
            spec[self.natural_key] = dict(type='str')
        spec.update(listing_spec)
        if self.assignments is not None:
            spec['include_assignments'] = dict(type='bool', default=False)
        return spec

    # -- desired state ------------------------------------------------------------------
    def desired(self, params):
        """Validated option values the task sets (unset options are not managed)."""
        desired = {}
        errors = []
        for field in self.fields:
            value = params.get(field.option)
            if value is None:
                continue
            try:
                desired[field.option] = field.validate(value)
            except ValueError as exc:
                errors.append(str(exc))
        if errors:
            raise ModuleInputError('; '.join(errors))
        return desired

    def create_body(self, desired):
        body = {'@odata.type': self.odata_type} if self.odata_type else {}
        for option, value in desired.items():
            field = self.by_option[option]
            if field.within:
                holder = body.setdefault(field.within[0], {'@odata.type': field.within[1]} if field.within[1] else {})
                holder[field.graph] = field.to_wire(value)
            else:
                body[field.graph] = field.to_wire(value)
        return body

    def replaced(self, desired, current):
        """The replace_on options whose desired value differs from Graph's (only a new entity can have it)."""
        return [option for option in self.replace_on if option in desired and not self.by_option[option].equal(
            desired[option], self.by_option[option].from_wire(current.get(self.by_option[option].graph)))]

    def patch(self, desired, current):
        """The minimal PATCH body: only the fields whose value differs semantically."""
        body = {}
        within = {}
        for option, value in desired.items():
            field = self.by_option[option]
            if field.create_only:
                continue
            wire = field.wire_value(current)
            if field.within:
                within.setdefault(field.within, []).append((field, value, wire))
            elif not field.equal(value, field.from_wire(wire)):
                body[field.graph] = field.patch_wire(value, wire)
        for (graph, odata_type), fields in within.items():
            # A complex value is replaced whole: send it with Graph's other properties carried over.
            if not all(field.equal(value, field.from_wire(wire)) for field, value, wire in fields):
                holder = dict(current[graph]) if isinstance(current.get(graph), dict) else {}
                if odata_type:
                    holder['@odata.type'] = odata_type
                holder.update((field.graph, field.patch_wire(value, wire)) for field, value, wire in fields)
                body[graph] = holder
        if body and self.patch_odata_type and self.odata_type:
            body = dict([('@odata.type', self.odata_type)] + list(body.items()))
        return body
