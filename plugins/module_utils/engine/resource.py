# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The idempotent engine: find -> diff -> create/patch/delete, with check and diff mode.

An Entity describes one Graph entity set (its collection path, identity options, field
table); Resource applies a task's desired state to it with the fewest requests: one
GET when the entity is already as desired, and one write otherwise.
"""

from __future__ import annotations

import os

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import check_id, path
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import strip_annotations
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.concurrency import (
    ON_DUPLICATE_CHOICES, CreateLock, as_found, fold_key, lock_name, winner_first)


class Entity(object):
    """What a module manages.

    collection(params) -> list of raw path segments of the entity set; the item path is
    that plus the id. natural_key names the option that identifies an entity when its id
    is not given (display_name, device_id); it must be unique in the collection.
    """

    def __init__(self, name, result_key, collection, fields, id_option='id', natural_key=None, odata_type=None,
                 patch_odata_type=False, can_create=True, can_delete=True, required_on_create=(), scope_options=(),
                 list_query=None, derived_type=False):
        self.name = name
        self.result_key = result_key  # the module's result key holding the entity ('ring')
        self.collection = collection
        self.fields = list(fields)
        self.id_option = id_option
        self.natural_key = natural_key
        self.odata_type = odata_type
        self.patch_odata_type = patch_odata_type
        self.can_create = can_create
        self.can_delete = can_delete
        self.required_on_create = tuple(required_on_create)
        self.scope_options = tuple(scope_options)  # options that locate the collection (policy_id...)
        self.by_option = dict((field.option, field) for field in self.fields)
        # A derived type served from its base type's collection (a WUfB profile among
        # deviceConfigurations): lists carry list_query (an isof() filter), and any item
        # whose @odata.type is not odata_type is not this entity.
        self.list_query = dict(list_query or {})
        self.derived_type = derived_type

    def is_own(self, item):
        if not self.derived_type or not isinstance(item, dict):
            return True
        return str(item.get('@odata.type') or '').lstrip('#').lower() == str(self.odata_type or '').lstrip('#').lower()

    def list_all(self, client, params):
        return [item for item in client.get_all(self.collection_path(params), self.list_query or None) if self.is_own(item)]

    def field_specs(self):
        return dict((field.option, field.spec()) for field in self.fields)

    def natural_key_specs(self):
        """The engine's options of an entity with a natural key (doc fragment graphops.intune.natural_key)."""
        if not (self.natural_key and self.can_delete):
            return {}
        return {'on_duplicate': dict(type='str', default='fail', choices=list(ON_DUPLICATE_CHOICES))}

    def collection_path(self, params):
        return path(*self.collection(params))

    def item_path(self, params, entity_id):
        return path(*(list(self.collection(params)) + [entity_id]))

    def describe(self, params):
        """'ring 'Ring1' in policy X', for messages."""
        where = ', '.join('%s %s' % (option, params[option]) for option in self.scope_options if params.get(option))
        return '%s%s' % (self.name, ' (%s)' % where if where else '')

    def check_ids(self, params):
        """Every option that becomes a path segment (the scope options and the id), checked before any request."""
        for option in self.scope_options + (self.id_option,):
            if params.get(option) is not None:
                check_id(option, params[option])

    def natural_field(self):
        return self.by_option[self.natural_key] if self.natural_key else None

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
            body[self.by_option[option].graph] = self.by_option[option].to_wire(value)
        return body

    def patch(self, desired, current):
        """The minimal PATCH body: only the fields whose value differs semantically."""
        body = {}
        for option, value in desired.items():
            field = self.by_option[option]
            if not field.equal(value, field.from_wire(current.get(field.graph))):
                body[field.graph] = field.to_wire(value)
        if body and self.patch_odata_type and self.odata_type:
            body = dict([('@odata.type', self.odata_type)] + list(body.items()))
        return body


def clean(entity):
    """An entity as modules return it: as Graph returns it, without @odata annotations."""
    if entity is None:
        return None
    return dict((k, v) for k, v in entity.items() if not k.startswith('@odata.'))


def merged(current, patch):
    after = dict(clean(current))
    after.update(strip_annotations(patch))
    return after


def create_lock(module, client, entity):
    """The lock that serialises the find-and-create phase of runs on this controller for one
    tenant and collection: a file in the glue's module.lock_directory (see engine/concurrency.py)."""
    params = module.params
    collection = entity.collection_path(params)
    return CreateLock(os.path.join(module.lock_directory, lock_name(params.get('tenant_id'), getattr(client, 'base_url', ''), collection)),
                      timeout=module.lock_timeout, what='%s %s' % (entity.describe(params), collection))


def duplicates_message(entity, params, value, matches, can_converge=True):
    """Several entities carry one natural key: name them, and say how to converge."""
    ranked = winner_first(matches)
    text = '%s: %d entities have %s %r (ids: %s); give %s to pick one' % (
        entity.describe(params), len(matches), entity.natural_key, value,
        ', '.join(str(item.get('id')) for item in matches), entity.id_option)
    if can_converge and entity.can_delete:
        text += ', or set on_duplicate=keep_oldest to keep %s (the oldest) and delete the others' % ranked[0].get('id')
    return text


class Resource(object):
    """Apply state present/absent for one entity of an Entity's collection."""

    def __init__(self, module, entity):
        self.module = module
        self.entity = entity
        self.params = module.params
        self.client = None
        self.duplicates = []  # entities of the same natural key that on_duplicate=keep_oldest deletes

    # -- lookup ---------------------------------------------------------------------------
    def find(self):
        """The current entity or None. By id: one GET. By natural key: one paged list."""
        entity, params = self.entity, self.params
        entity_id = params.get(entity.id_option)
        if entity_id:
            found = self.client.get_optional(entity.item_path(params, entity_id))
            if found is not None and not entity.is_own(found):
                raise ModuleInputError('%s is a %s, not a %s' % (entity_id, found.get('@odata.type'), entity.odata_type))
            return found
        return self.find_by_natural_key(params.get(entity.natural_key))

    def find_by_natural_key(self, value):
        entity = self.entity
        field = entity.natural_field()
        matches = self._matches(value)
        if len(matches) > 1:
            if self.params.get('on_duplicate') != 'keep_oldest' or not entity.can_delete:
                raise ModuleInputError(duplicates_message(entity, self.params, value, matches))
            ranked = winner_first(matches)
            self.duplicates = ranked[1:]
            return ranked[0]
        return matches[0] if matches else None

    def _matches(self, value):
        field = self.entity.natural_field()
        return [item for item in self.entity.list_all(self.client, self.params)
                if isinstance(item, dict) and fold_key(self.entity, item.get(field.graph)) == fold_key(self.entity, value)]

    # -- apply -----------------------------------------------------------------------------
    def apply(self):
        entity, params = self.entity, self.params
        # Validate everything before the first request.
        entity.check_ids(params)
        if not params.get(entity.id_option) and not (entity.natural_key and params.get(entity.natural_key)):
            names = ' or '.join(name for name in (entity.id_option, entity.natural_key) if name)
            raise ModuleInputError('%s: one of %s is required to identify it' % (entity.name, names))
        desired = entity.desired(params)
        self.client = self.module.client
        if self._may_create():
            # Runs on this controller find and create one at a time, so they cannot both create.
            with create_lock(self.module, self.client, entity):
                return self._apply(desired)
        return self._apply(desired)

    def _may_create(self):
        entity, params = self.entity, self.params
        return (entity.natural_key and entity.can_create and not self.module.check_mode and not params.get(entity.id_option)
                and params.get('state', 'present') == 'present')

    def _apply(self, desired):
        current = self.find()
        self._delete_duplicates()
        if self.params.get('state', 'present') == 'absent':
            return self._absent(current)
        if current is None:
            return self._create(desired)
        return self._update(desired, current)

    def _delete_duplicates(self):
        if self.duplicates and not self.module.check_mode:
            for duplicate in self.duplicates:
                self.client.delete(self.entity.item_path(self.params, duplicate['id']))

    def _result(self, changed, entity, before, after):
        result = {'changed': changed or bool(self.duplicates), self.entity.result_key: clean(entity) or {}}
        if self.duplicates:
            result['deleted_duplicates'] = [duplicate.get('id') for duplicate in self.duplicates]
        if self.module._diff:
            result['diff'] = {'before': before or {}, 'after': after or {}}
            if self.duplicates:
                # A list of diffs: Ansible prints each; the deleted duplicates show as removed.
                result['diff'] = [result['diff']] + [
                    {'before': clean(duplicate), 'after': {},
                     'before_header': '%s %s (duplicate, deleted)' % (self.entity.name, duplicate.get('id')),
                     'after_header': '%s %s (duplicate, deleted)' % (self.entity.name, duplicate.get('id'))}
                    for duplicate in self.duplicates]
        return result

    def _absent(self, current):
        if current is None:
            return self._result(False, None, None, None)
        if not self.entity.can_delete:
            raise ModuleInputError('%s cannot be deleted through Graph' % self.entity.name)
        if not self.module.check_mode:
            self.client.delete(self.entity.item_path(self.params, current['id']))
        return self._result(True, current, clean(current), None)

    def _create(self, desired):
        entity, params = self.entity, self.params
        if params.get(entity.id_option) or not entity.can_create:
            raise ModuleInputError('%s %s was not found%s' % (
                entity.describe(params), params.get(entity.id_option) or params.get(entity.natural_key),
                '' if entity.can_create else '; Graph offers no way to create it'))
        missing = [option for option in entity.required_on_create if option not in desired]
        if missing:
            raise ModuleInputError('%s does not exist yet; creating it needs %s' % (entity.describe(params), ', '.join(missing)))
        body = entity.create_body(desired)
        created = body
        if not self.module.check_mode:
            created, verified = self._post(body, desired)
            if entity.natural_key and not verified and isinstance(created, dict) and created.get('id'):
                created = self._verify_created(created, desired)
        return self._result(True, created, None, clean(created))

    def _check_rename(self, patch, current):
        """Changing the natural key (a ring's display_name, given its ring_id) onto one that another
        entity already has would make the key ambiguous: refuse it before the PATCH."""
        field = self.entity.natural_field()
        if field is None or field.graph not in patch:
            return
        taken = [item for item in self._matches(patch[field.graph]) if item.get('id') != current.get('id')]
        if taken:
            raise ModuleInputError('%s %s cannot be renamed: %s %r is already used by %s (its natural key must stay unique); '
                                   'nothing was changed' % (
                                       self.entity.describe(self.params), current.get('id'), self.entity.natural_key,
                                       patch[field.graph], ', '.join(str(item.get('id')) for item in taken)))

    def _verify_created(self, created, desired):
        """Create-then-verify: another controller may have created the same key meanwhile.

        Every run keeps the same winner (winner_first) and deletes only its own copy; the
        winner is then brought to the desired values like any existing entity.
        """
        matches = self._matches(desired.get(self.entity.natural_key))
        if len(matches) < 2:
            return created
        winner = winner_first(matches)[0]
        if winner.get('id') == created['id']:
            return created
        self.client.delete(self.entity.item_path(self.params, created['id']))
        patch = self.entity.patch(desired, winner)
        if not patch:
            return winner
        answer = self.client.patch(self.entity.item_path(self.params, winner['id']), patch)
        return answer if isinstance(answer, dict) and answer.get('id') else merged(winner, patch)

    def _post(self, body, desired):
        """POST -> (entity, verified); if the connection broke after sending, look the entity up before retrying."""
        collection = self.entity.collection_path(self.params)
        try:
            return self.client.post(collection, body), False
        except OutcomeUnknown:
            found = self.find_by_natural_key(desired.get(self.entity.natural_key)) if self.entity.natural_key else None
            if found is not None:
                return found, True  # the look-up after the create was the verification
            return self.client.post(collection, body), False

    def _update(self, desired, current):
        patch = self.entity.patch(as_found(self.entity, desired, current), current)
        if not patch:
            return self._result(False, current, clean(current), clean(current))
        self._check_rename(patch, current)
        after = merged(current, patch)
        updated = after
        if not self.module.check_mode:
            answer = self.client.patch(self.entity.item_path(self.params, current['id']), patch)
            # Graph answers 200 with the entity or 204 without a body.
            updated = answer if isinstance(answer, dict) and answer.get('id') else after
        return self._result(True, updated, clean(current), after)


class Filter(object):
    """A filter option of an _info module, declared over a field of the entity.

    The option's value is validated as the field's (an enum typo fails before any request)
    and compared the field's way (enums case-insensitively, instants as instants); for a
    list field, an item matches when its list holds the value. ignore_case compares text
    case-insensitively (user principal names).
    """

    def __init__(self, field, option=None, ignore_case=False):
        self.field = field
        self.option = option or field.option
        self.ignore_case = ignore_case
        if field.kind == 'list':
            self.value_field = Field(self.option, field.graph, kind='enum' if field.element == 'enum' else 'str', choices=field.choices)
        else:
            self.value_field = Field(self.option, field.graph, kind=field.kind, choices=field.choices)

    def spec(self):
        return self.value_field.spec()

    def wanted(self, params):
        """The validated option value, None when not given; ModuleInputError when invalid."""
        try:
            return self.value_field.validate(params.get(self.option))
        except ValueError as exc:
            raise ModuleInputError(str(exc))

    def matches(self, wanted, item):
        value = item.get(self.field.graph)
        values = value or () if self.field.kind == 'list' else (value,)
        return any(self._same(wanted, one) for one in values)

    def _same(self, wanted, value):
        if self.ignore_case and isinstance(wanted, str):
            return isinstance(value, str) and wanted.lower() == value.lower()
        return self.value_field.equal(wanted, value)


def filter_specs(filters):
    """The argument spec of a list of Filter."""
    return dict((one.option, one.spec()) for one in filters)


def list_or_get(module, entity, filters=()):
    """For _info modules: one entity by id (or natural key), else the whole collection, then
    the items every given Filter matches. The filters are validated before any request."""
    params = module.params
    entity.check_ids(params)
    wanted = [(one, one.wanted(params)) for one in filters]
    wanted = [(one, value) for one, value in wanted if value is not None]
    client = module.client
    entity_id = params.get(entity.id_option)
    if entity_id:
        items = [item for item in [client.get_optional(entity.item_path(params, entity_id))] if entity.is_own(item)]
    else:
        items = entity.list_all(client, params)
        if entity.natural_key and params.get(entity.natural_key) is not None:
            field = entity.natural_field()
            items = [item for item in items if fold_key(entity, item.get(field.graph)) == fold_key(entity, params[entity.natural_key])]
    items = [item for item in items if item is not None]
    for one, value in wanted:
        items = [item for item in items if one.matches(value, item)]
    return [clean(item) for item in items]
