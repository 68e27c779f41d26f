# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The idempotent engine: find -> diff -> create/patch/delete, with check and diff mode.

Resource applies a task's desired state to one entity of an Entity's collection
(engine/entity.py) with the fewest requests: one GET when the entity is already as
desired, and one write otherwise; then, for a type with Intune assignments, one `assign`
only when the assignments differ.
"""

from __future__ import annotations

import os
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import RetryPolicy
from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import strip_annotations
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import clean
from ansible_collections.graphops.intune.plugins.module_utils.engine.concurrency import (
    CreateLock, as_found, lock_name, winner_first)


UNKNOWN_POLL = 1.0  # seconds between read-backs of a create whose outcome is unknown


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
    """Apply state present/absent for one entity of an Entity's collection (and its assignments)."""

    clock = staticmethod(time.monotonic)  # injectable in tests
    sleep = staticmethod(time.sleep)

    def __init__(self, module, entity):
        self.module = module
        self.entity = entity
        self.params = module.params
        self.client = None
        self.duplicates = []  # entities of the same natural key that on_duplicate=keep_oldest deletes
        self.assignments_desired = None  # the assignment options the task sets (entity.assignments)
        self.resolved = None  # what entity.resolve looked up ({option: what the value named})

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
        matches = self._matches(value)
        if len(matches) > 1:
            if self.params.get('on_duplicate') != 'keep_oldest' or not entity.can_delete:
                raise ModuleInputError(duplicates_message(entity, self.params, value, matches))
            ranked = winner_first(matches)
            self.duplicates = ranked[1:]
            return ranked[0]
        return matches[0] if matches else None

    def _matches(self, value):
        return [item for item in self.entity.list_all(self.client, self.params) if self.entity.matches(item, value)]

    # -- apply -----------------------------------------------------------------------------
    def apply(self):
        entity, params = self.entity, self.params
        # Validate everything before the first request.
        if entity.assignments is not None:
            self.assignments_desired = entity.assignments.wanted(params)
        entity.check_ids(params)
        if not params.get(entity.id_option) and not (entity.natural_key and params.get(entity.natural_key)):
            names = ' or '.join(name for name in (entity.id_option, entity.natural_key) if name)
            raise ModuleInputError('%s: one of %s is required to identify it' % (entity.name, names))
        desired = entity.desired(params)
        self.client = self.module.client
        if entity.resolve is not None:
            desired, self.resolved = entity.resolve(self.client, desired)
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
        if self.resolved:
            result['resolved'] = self.resolved
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
            try:
                created, verified = self._post(body, desired)
            except GraphError as exc:
                # Graph keeps this natural key unique: another run created it between our read and our POST.
                found = self.find_by_natural_key(desired.get(entity.natural_key)) if (
                    exc.status == 409 and entity.unique_natural_key) else None
                if found is None:
                    raise
                return self._update(desired, found)
            if entity.natural_key and not verified and isinstance(created, dict) and created.get('id'):
                created = self._verify_created(created, desired)
        return self._assign_created(self._result(True, created, None, clean(created)))

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
        """POST -> (entity, verified). A create whose outcome is unknown (answer lost or cut short, 503/504,
        a timeout) is never sent again blind: its natural key is read back until it shows up or the
        policy's wait for late writes is over (RetryPolicy.unknown_wait); only a create verified absent
        after that wait is sent once more. Without a natural key nothing can be verified: it fails."""
        collection = self.entity.collection_path(self.params)
        try:
            return self.client.post(collection, body), False
        except OutcomeUnknown as exc:
            if not self.entity.natural_key:
                raise
            policy = RetryPolicy(getattr(self.client, 'max_retries', 0))
            waited = policy.unknown_wait(getattr(self.client, 'timeout', None) if getattr(exc, 'timed_out', False) else None)
            started = self.clock()
            while True:
                found = self.find_by_natural_key(desired.get(self.entity.natural_key))
                if found is not None:
                    return found, True  # the read-back after the create was the verification
                elapsed = self.clock() - started
                if elapsed >= waited:
                    break
                self.sleep(min(UNKNOWN_POLL, waited - elapsed))
            return self.client.post(collection, body), False

    def _update(self, desired, current):
        replaced = self.entity.replaced(desired, current)
        if replaced:
            return self._recreate(desired, current, replaced)
        patch = self.entity.patch(as_found(self.entity, desired, current), current)
        if not patch:
            return self._assign_existing(self._result(False, current, clean(current), clean(current)), current)
        self._check_rename(patch, current)
        after = merged(current, patch)
        updated = after
        if not self.module.check_mode:
            answer = self.client.patch(self.entity.item_path(self.params, current['id']), patch)
            # Graph answers 200 with the entity or 204 without a body.
            updated = answer if isinstance(answer, dict) and answer.get('id') else after
        return self._assign_existing(self._result(True, updated, clean(current), after), current)

    def _recreate(self, desired, current, replaced):
        """A value Graph sets only on create differs (entity.replace_on): fail, or with recreate=true delete the
        entity and create it again with the desired values, its other current values and its assignments."""
        entity, params = self.entity, self.params
        changes = ', '.join('%s is %s, the task wants %s' % (
            option, entity.by_option[option].option_value(current.get(entity.by_option[option].graph)), desired[option])
            for option in replaced)
        if not params.get('recreate'):
            raise ModuleInputError('%s %s: %s, and Graph cannot change it after creation; set recreate=true to delete it and '
                                   'create it again (its assignments are re-applied), or create another one; nothing was changed' % (
                                       entity.describe(params), current.get('id'), changes))
        values = dict((option, value) for option, value in entity.options_of(clean(current)).items() if option in entity.by_option)
        values.update(desired)
        body = entity.create_body(values)
        assignments = entity.assignments
        old_path = entity.item_path(params, current['id'])
        current_targets = assignments.current_targets(assignments.read(self.client, old_path)) if assignments is not None else []
        wanted = current_targets
        if assignments is not None and self.assignments_desired is not None:
            wanted = assignments.targets(self.assignments_desired, current_targets)
        created = strip_annotations(body)
        if not self.module.check_mode:
            self.client.delete(old_path)
            created = self.client.post(entity.collection_path(params), body)
            if wanted and isinstance(created, dict) and created.get('id'):
                assignments.assign(self.client, entity.item_path(params, created['id']), wanted)
        result = self._result(True, created, clean(current), clean(created))
        result['recreated'] = True
        if assignments is not None and (self.assignments_desired is not None or current_targets):
            result = self._with_assignments(result, current_targets, wanted, True)
        return result

    # -- assignments (entity.assignments) ----------------------------------------------------
    # Read only when the task sets an assignment option; one `assign` only when the set differs.
    def _with_assignments(self, result, before_targets, wanted, changed):
        summary = self.entity.assignments.summary
        result['changed'] = result['changed'] or changed
        result['assignments'] = summary(wanted)
        if 'diff' in result:
            if before_targets is not None:
                result['diff']['before']['assignments'] = summary(before_targets)
            result['diff']['after']['assignments'] = summary(wanted)
        return result

    def _assign_created(self, result):
        assignments = self.entity.assignments
        if assignments is None or self.assignments_desired is None:
            return result
        if self.module.check_mode:
            wanted = assignments.targets(self.assignments_desired, [])
            return self._with_assignments(result, None, wanted, bool(wanted))
        created_id = result[self.entity.result_key].get('id')
        if not created_id:
            raise GraphError(200, 'UnexpectedResponse', 'Graph returned no id for the created %s; cannot assign it' % self.entity.name)
        # Read, not assume empty: when runs race, the engine may hand back another run's entity.
        item_path = self.entity.item_path(self.params, created_id)
        current_targets = assignments.current_targets(assignments.read(self.client, item_path))
        wanted = assignments.targets(self.assignments_desired, current_targets)
        if assignments.differ(wanted, current_targets):
            assignments.assign(self.client, item_path, wanted)
        return self._with_assignments(result, None, wanted, bool(wanted))

    def _assign_existing(self, result, current):
        assignments = self.entity.assignments
        if assignments is None or self.assignments_desired is None:
            return result
        item_path = self.entity.item_path(self.params, current['id'])
        current_targets = assignments.current_targets(assignments.read(self.client, item_path))
        wanted = assignments.targets(self.assignments_desired, current_targets)
        differ = assignments.differ(wanted, current_targets)
        if differ and not self.module.check_mode:
            assignments.assign(self.client, item_path, wanted)
        return self._with_assignments(result, current_targets, wanted, differ)
