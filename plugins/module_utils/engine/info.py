# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The _info side of an entity: one entity by id, else the collection, narrowed by the filters
the Entity's Listing declares.

Every filter is declared over a field (by option name, or a Field for properties that are
not options of the resource module), validated like it before any request (an enum typo
fails) and compared the field's way (enums case-insensitively, instants as instants; for a
list field, an item matches when its list holds the value).
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import parse_datetimeoffset
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import clean


class Filter(object):
    """A filter option of an _info module, declared over a field of the entity.

    field: a Field, or the option name of one of the entity's fields (bound by the Listing).
    option: the filter's option name (default: the field's). ignore_case compares text
    case-insensitively (user principal names). after: the item matches when its instant is
    strictly after the value (released_after).
    """

    def __init__(self, field, option=None, ignore_case=False, after=False):
        self.field = field
        self.option = option or (field if isinstance(field, str) else field.option)
        self.ignore_case = ignore_case
        self.after = after
        self.value_field = None if isinstance(field, str) else field.item_field().renamed(self.option)

    def bind(self, entity):
        """This filter with its field looked up in the entity's field table."""
        if not isinstance(self.field, str):
            return self
        return Filter(entity.by_option[self.field], self.option, self.ignore_case, self.after)

    def spec(self):
        return self.value_field.filter_spec()

    def wanted(self, params):
        """The validated option value, None when not given; ModuleInputError when invalid."""
        try:
            return self.value_field.validate(params.get(self.option))
        except ValueError as exc:
            raise ModuleInputError(str(exc))

    def matches(self, wanted, item):
        value = self.field.wire_value(item)
        if self.after:
            instant = _instant(value)
            return instant is not None and instant > parse_datetimeoffset(wanted)
        return any(self._same(wanted, one) for one in self.field.values(value))

    def _same(self, wanted, value):
        if self.ignore_case and isinstance(wanted, str):
            return isinstance(value, str) and wanted.lower() == value.lower()
        return self.value_field.equal(wanted, value)


def filter_specs(filters):
    """The argument spec of a list of Filter."""
    return dict((one.option, one.spec()) for one in filters)


def _instant(value):
    try:
        return parse_datetimeoffset(value)
    except ValueError:
        return None


class DerivedTypes(object):
    """An option picking one derived type of the collection's base type (kind=quality): lists carry
    an isof() $filter, an entity read by id must be of that type.

    types: {choice: 'namespace.typeName'}. implied_by: {choice: (options)}: giving one of those
    options implies that choice (and refuses any other). noun: what the items are, for messages.
    """

    def __init__(self, option, types, implied_by=None, noun='items'):
        self.option = option
        self.types = dict(types)
        self.implied_by = dict(implied_by or {})
        self.noun = noun

    def spec(self):
        return {'type': 'str', 'choices': list(self.types)}

    def query(self, choice):
        return {'$filter': "isof('%s')" % self.types[choice]}

    def kind_of(self, item):
        """The choice naming the item's @odata.type; the type's own name for a type this table does not know."""
        odata_type = str(item.get('@odata.type') or '').lstrip('#')
        for choice, type_name in self.types.items():
            if odata_type.lower() == type_name.lower():
                return choice
        return odata_type.rsplit('.', 1)[-1] or 'unknown'

    def wanted(self, params):
        choice = params.get(self.option)
        for implied, options in self.implied_by.items():
            given = [option for option in options if params.get(option)]
            if given and choice not in (None, implied):
                raise ModuleInputError('%s select %s %s; they cannot be used with %s=%s' % (
                    ' and '.join(options), implied, self.noun, self.option, choice))
            if given:
                choice = implied
        return choice


class Newest(object):
    """A boolean option keeping the newest item per group (per: callables of the item or Graph names),
    ranked by an instant (ties: the larger id, so the answer is stable). The listing is then
    ordered newest first, with or without the option."""

    def __init__(self, option, instant, per=()):
        self.option = option
        self.instant = instant
        self.per = tuple(per)

    def spec(self):
        return {'type': 'bool', 'default': False}

    def rank(self, item):
        return (_instant(item.get(self.instant)) or -1, str(item.get('id') or ''))

    def group(self, item):
        return tuple(one(item) if callable(one) else str(item.get(one) or '').lower() for one in self.per)

    def pick(self, items, latest):
        if latest:
            newest = {}
            for item in items:
                group, rank = self.group(item), self.rank(item)
                if group not in newest or rank > newest[group][0]:
                    newest[group] = (rank, item)
            keep = set(id(item) for dummy, item in newest.values())
            items = [item for item in items if id(item) in keep]
        return sorted(items, key=self.rank, reverse=True)


class Listing(object):
    """The _info module of an entity: its result key and its filters.

    kinds: a DerivedTypes option; newest: a Newest option; keep_odata_type: results keep their
    @odata.type (it names the derived type); a natural key covered by a filter is a filter.
    """

    def __init__(self, result_key, filters=(), kinds=None, newest=None, keep_odata_type=False):
        self.result_key = result_key
        self.filters = list(filters)
        self.kinds = kinds
        self.newest = newest
        self.keep_odata_type = keep_odata_type

    def bound(self, entity):
        return [one.bind(entity) for one in self.filters]

    def argument_spec(self, entity):
        spec = {}
        if self.kinds is not None:
            spec[self.kinds.option] = self.kinds.spec()
        spec.update(filter_specs(self.bound(entity)))
        if self.newest is not None:
            spec[self.newest.option] = self.newest.spec()
        return spec

    def wanted(self, entity, params):
        """[(filter, validated value)] of the filters the task gives; ModuleInputError before any request."""
        wanted = [(one, one.wanted(params)) for one in self.bound(entity)]
        return [(one, value) for one, value in wanted if value is not None]

    def pick(self, entity, items, params, wanted=None):
        """The items every given filter matches (then the newest, when declared), without their annotations."""
        wanted = self.wanted(entity, params) if wanted is None else wanted
        for one, value in wanted:
            items = [item for item in items if one.matches(value, item)]
        if self.newest is not None:
            items = self.newest.pick(items, params.get(self.newest.option))
        return [self.returned(item) for item in items]

    def returned(self, item):
        if self.keep_odata_type:
            return dict((key, value) for key, value in item.items() if key == '@odata.type' or not key.startswith('@odata.'))
        return clean(item)


def list_or_get(module, entity, filters=None):
    """For _info modules: one entity by id (or natural key), else the whole collection, then
    the items every filter matches. Everything is validated before any request.

    filters: a list of Filter (default: those of the entity's Listing).
    """
    params = module.params
    entity.check_ids(params)
    listing = entity.listing if filters is None and entity.listing is not None else Listing(None, filters or ())
    wanted = listing.wanted(entity, params)
    kind = listing.kinds.wanted(params) if listing.kinds is not None else None
    client = module.client
    entity_id = params.get(entity.id_option)
    if entity_id:
        items = [item for item in [client.get_optional(entity.item_path(params, entity_id))] if item is not None and entity.is_own(item)]
        if kind is not None:
            items = [item for item in items if listing.kinds.kind_of(item) == kind]
    else:
        items = entity.list_all(client, params, listing.kinds.query(kind) if kind is not None else None)
        covered = set(one.option for one, dummy in wanted)
        if entity.natural_key and params.get(entity.natural_key) is not None and entity.natural_key not in covered:
            items = [item for item in items if entity.matches(item, params[entity.natural_key])]
    return listing.pick(entity, items, params, wanted)


def read(module, entity):
    """The result of an entity's _info module: {'changed': False, <listing result key>: [...]},
    each item with its assignments when the task asks include_assignments."""
    items = list_or_get(module, entity)
    if entity.assignments is not None and module.params.get('include_assignments'):
        for item in items:
            item['assignments'] = entity.assignments.read(module.client, entity.item_path(module.params, item['id']))
    return {'changed': False, entity.listing.result_key: items}
