# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Bulk reconcile of one collection: validate every item, read the collection once,
plan per item (with the Entity's own desired/create_body/patch), send only the needed
writes through $batch, and report per item.

Generic over an Entity whose natural_key identifies items (device_id for update states).
"""

from __future__ import annotations

import itertools
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import BulkError, GraphError, ModuleInputError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import RetryPolicy
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import clean, create_lock, merged
from ansible_collections.graphops.intune.plugins.module_utils.engine.concurrency import as_found, fold_key, winner_first
from ansible_collections.graphops.intune.plugins.module_utils.engine.scheduler import DEFAULT_CONCURRENCY, RequestFailed, Scheduler

CREATED, UPDATED, DELETED, UNCHANGED, FAILED = 'created', 'updated', 'deleted', 'unchanged', 'failed'
WRITES = (CREATED, UPDATED, DELETED)
MAX_LISTED_ERRORS = 10
UNKNOWN_POLL = 1.0  # seconds between read-backs of creates whose outcome is unknown


class Item(object):
    """One validated item of the list: its position, its natural key value (key), desired values and state."""

    __slots__ = ('index', 'key', 'desired', 'state')

    def __init__(self, index, key, desired, state):
        self.index = index
        self.key = key
        self.desired = desired
        self.state = state


class Planned(object):
    """What happens to one entity: an item of the list (index set) or a purged entity (index None).

    key is the entity's natural key value, as for Item.
    action is the outcome if the write works (created/updated/deleted/unchanged), or failed;
    body the POST/PATCH body; after the entity as it is (or would be) afterwards.
    """

    __slots__ = ('index', 'key', 'action', 'intended', 'current', 'body', 'after', 'error', 'duplicate')

    def __init__(self, index, key, action, current=None, body=None, after=None, error=None):
        self.index = index
        self.key = key
        self.action = action
        self.intended = action
        self.current = current
        self.body = body
        self.after = after
        self.error = error
        self.duplicate = False  # a copy of a listed key that on_duplicate=keep_oldest deletes

    @property
    def ident(self):
        """Stable across a re-plan: the item's position, or the purged entity's id."""
        return ('item', self.index) if self.index is not None else ('purge', self.current.get('id'))

    @property
    def entity_id(self):
        for source in (self.after, self.current):
            if source and source.get('id'):
                return source['id']
        return None

    def operation(self, entity, params):
        """The $batch operation for this write."""
        if self.action == CREATED:
            return {'method': 'POST', 'url': entity.collection_path(params), 'body': self.body}
        if self.action == UPDATED:
            return {'method': 'PATCH', 'url': entity.item_path(params, self.current['id']), 'body': self.body}
        return {'method': 'DELETE', 'url': entity.item_path(params, self.current['id'])}

    def fail(self, status, code, message, request_id=None):
        self.action = FAILED
        self.error = {'status': status, 'code': code, 'message': message, 'request_id': request_id}


def validate_items(entity, items, default_state='present', option='states', labelled=None):
    """Every item checked before any request: natural key present and unique, values valid.

    items: the dicts of the list option; or labelled: (label, dict) pairs read once (a file
    after the list). Returns [Item]; raises ModuleInputError naming each bad item.
    """
    if labelled is None:
        labelled = (('%s[%d]' % (option, index), item) for index, item in enumerate(items or []))
    errors, validated, first, repeated = [], [], {}, {}
    for index, (where, item) in enumerate(labelled):
        key = item.get(entity.natural_key)
        label = where
        if key is not None and key != '':
            label += ' (%s %r)' % (entity.natural_key, key)
            folded = fold_key(entity, key)  # ids compare without case: ABC and abc are one device
            if folded in first:
                repeated.setdefault(folded, [first[folded]]).append((where, key))
            else:
                first[folded] = (where, key)
        else:
            errors.append('%s: %s is required' % (label, entity.natural_key))
        try:
            desired = entity.desired(item)
        except ModuleInputError as exc:
            errors.append('%s: %s' % (label, exc))
            continue
        validated.append(Item(index, key, desired, item.get('state') or default_state or 'present'))
    for pairs in repeated.values():
        keys = [key for dummy, key in pairs]
        if all(key == keys[0] for key in keys):
            where = ', '.join(label for label, dummy in pairs)
        else:  # the same id in another case: name each spelling
            where = ', '.join('%s %r' % (label, key) for label, key in pairs)
        errors.append('%s %r is given more than once in %s (%s)' % (entity.natural_key, keys[0], option, where))
    if errors:
        more = len(errors) - MAX_LISTED_ERRORS
        text = '; '.join(errors[:MAX_LISTED_ERRORS]) + ('; and %d more' % more if more > 0 else '')
        raise ModuleInputError('%d invalid item(s) in %s, nothing was changed: %s' % (len(errors), option, text))
    return validated


def plan(entity, items, current, purge=False, on_duplicate='fail', lean=False):
    """The Planned outcome of every item (in order), then of every duplicate that
    on_duplicate=keep_oldest deletes, then of every purged entity.

    current: the collection as Graph returns it, iterated once (a stream of pages, not
    kept): each entity is compared with the item of its key as it passes. lean: keep only
    the ids of the current entities (no diff, no returned entities). Pure: no request, no module.
    """
    graph_key = entity.natural_field().graph
    by_key = dict((fold_key(entity, item.key), item) for item in items)
    steps, seen, purged, ids = {}, {}, [], set()
    for found in current:
        ident = found.get('id')
        if isinstance(ident, str):
            # An entity is one entity by id, however many pages of a listing return it.
            if ident.lower() in ids:
                continue
            ids.add(ident.lower())
        key = fold_key(entity, found.get(graph_key))
        item = by_key.get(key)
        if item is None:
            if purge:
                purged.append(_slim(_plan_delete(entity, None, found.get(graph_key), found), lean))
            continue
        if key not in steps:
            steps[key] = _slim(_plan_item(entity, item, found), lean)
            seen[key] = _slim_entity(found, graph_key) if lean else found
        else:
            # A key held by several entities (rare): keep them all to rank them at the end.
            if not isinstance(seen[key], list):
                seen[key] = [seen[key]]
            seen[key].append(found)
    planned, duplicates = [], []
    for item in items:
        key = fold_key(entity, item.key)
        step = steps.get(key)
        if step is None:
            planned.append(_slim(_plan_item(entity, item, None), lean))
            continue
        matches = seen[key]
        if isinstance(matches, list):
            step = _plan_duplicates(entity, item, matches, steps[key], on_duplicate, duplicates, lean)
        planned.append(step)
    return planned + duplicates + purged


def _slim_entity(found, graph_key):
    """What ranking duplicates needs of an entity already planned: id, key, createdDateTime."""
    slim = {'id': found.get('id'), graph_key: found.get(graph_key)}
    if 'createdDateTime' in found:
        slim['createdDateTime'] = found['createdDateTime']
    return slim


def _plan_duplicates(entity, item, matches, first_step, on_duplicate, duplicates, lean):
    """The step of an item whose key several entities carry (matches: in listing order, the
    first as kept when it was planned), adding the deletes of keep_oldest to duplicates."""
    ranked = winner_first(matches)
    if on_duplicate == 'keep_oldest' and entity.can_delete:
        step = first_step if ranked[0] is matches[0] else _slim(_plan_item(entity, item, ranked[0]), lean)
        for extra in ranked[1:]:
            duplicate = _slim(_plan_delete(entity, None, item.key, extra), lean)
            duplicate.duplicate = True
            duplicates.append(duplicate)
        return step
    step = Planned(item.index, item.key, FAILED)
    step.fail(None, 'AmbiguousKey', '%d entities have %s %r (ids: %s); none was changed; set on_duplicate=keep_oldest '
              'to keep %s (the oldest) and delete the others' % (
                  len(matches), entity.natural_key, item.key, ', '.join(str(m.get('id')) for m in matches),
                  ranked[0].get('id')))
    return step


def _slim(step, lean):
    """In lean mode, forget what only the diff and the returned entities need."""
    if lean:
        if step.current is not None:
            step.current = {'id': step.current.get('id')}
        step.after = {'id': step.after.get('id')} if step.after and step.after.get('id') else None
    return step


def _plan_item(entity, item, found):
    if item.state == 'absent':
        if found is None:
            return Planned(item.index, item.key, UNCHANGED)
        return _plan_delete(entity, item.index, item.key, found)
    if found is None:
        step = Planned(item.index, item.key, CREATED)
        missing = [option for option in entity.required_on_create if option not in item.desired]
        if not entity.can_create:
            step.fail(None, 'CannotCreate', '%s %r does not exist and Graph offers no way to create it' % (entity.name, item.key))
        elif missing:
            step.fail(None, 'MissingOptions', '%s %r does not exist yet; creating it needs %s' % (entity.name, item.key, ', '.join(missing)))
        else:
            step.body = entity.create_body(item.desired)
            step.after = clean(step.body)
        return step
    patch = entity.patch(as_found(entity, item.desired, found), found)
    if not patch:
        return Planned(item.index, item.key, UNCHANGED, current=found, after=clean(found))
    return Planned(item.index, item.key, UPDATED, current=found, body=patch, after=merged(found, patch))


def _plan_delete(entity, index, key, found):
    step = Planned(index, key, DELETED, current=found)
    if not entity.can_delete:
        step.fail(None, 'CannotDelete', '%s cannot be deleted through Graph' % entity.name)
    return step


def settle(step, answer, lean=False):
    """Record the $batch answer (Response or GraphError) of one write."""
    if isinstance(answer, GraphError):
        if step.action == DELETED and answer.status == 404:
            step.after = None  # already gone (a late or repeated delete): what was wanted
            return
        step.fail(answer.status, answer.code, answer.message, answer.request_id)
        return
    body = answer.body
    if step.action == DELETED:
        step.after = None
    elif isinstance(body, dict) and body.get('id'):
        step.after = {'id': body['id']} if lean else clean(body)  # Graph answers 201/200 with the entity...
    # ...or 204 without a body: the planned `after` stands.


def _diff_label(step, taken):
    """The diff key of a changed entity: its natural key, made unique with its id when needed."""
    label = step.key if step.key not in (None, '') else 'id %s' % step.entity_id
    if label in taken or step.duplicate:
        label = '%s (id %s)' % (label, step.entity_id)
    taken.add(label)
    return label


class Operations(object):
    """The $batch operations of the steps, made when sent (not all held at once)."""

    def __init__(self, steps, entity, params):
        self.steps = steps
        self.entity = entity
        self.params = params

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, index):
        return self.steps[index].operation(self.entity, self.params)


class Bulk(object):
    """Apply a list of items (module option `option`) to an Entity's collection through $batch."""

    PAGE_SIZE = 1000  # $top of the collection read; Graph may answer smaller pages
    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self, module, entity, option='states', result_key=None, items_file=None, file_option='states_file'):
        """items_file: a callable returning (line number, item) pairs, when items come from a
        file (option file_option) too, after those of the list option. Then the run is lean: unless
        diff mode is on, only the ids of current entities are kept, `item_results` lists only the items
        that changed or failed, and the entities (result_key) are not returned."""
        self.module = module
        self.entity = entity
        self.option = option
        self.result_key = result_key  # the result key listing the entities after the run
        self.items_file = items_file
        self.file_option = file_option
        self.lean = items_file is not None and not module._diff
        self.file_start = 0
        self.params = module.params
        self.client = None
        self.items = None
        self.batch_stats = None
        self.unknown = []  # (step, OutcomeUnknown): creates that may have been applied, read back by resolve_unknown
        self.read_back = set()  # idents of the steps whose create resolve_unknown found

    def apply(self):
        """The run's result; raises BulkError (carrying that result) when some writes failed."""
        params = self.params
        self.entity.check_ids(params)
        if self.items_file is not None:
            listed = params.get(self.option) or []
            self.file_start = len(listed)
            labelled = itertools.chain(
                (('%s[%d]' % (self.option, index), item) for index, item in enumerate(listed)),
                (('%s line %d' % (self.file_option, line), item) for line, item in self.items_file()))
            option = '%s and %s' % (self.option, self.file_option) if listed else self.file_option
            self.items = validate_items(self.entity, None, params.get('state'), option, labelled=labelled)
        else:
            self.items = validate_items(self.entity, params.get(self.option), params.get('state'), self.option)
        self.client = self.module.client
        if self.module.check_mode or not self.entity.can_create or not any(item.state == 'present' for item in self.items):
            steps = self._run()
        else:
            # Runs on this controller read, create and verify one at a time (engine/concurrency.py).
            with create_lock(self.module, self.client, self.entity):
                steps = self._run()
        result = self.result(steps)
        if result['failed_items']:
            writes = len([step for step in steps if step.intended in WRITES or step.action == FAILED])
            raise BulkError(self.failure_message(result['failed_items'], writes), result)
        return result

    def _run(self):
        steps = self._plan(self._current())
        if not self.module.check_mode:
            listing = self.execute(steps)  # the created keys as read back after the writes, when a create needed it
            self.verify_creates(steps, listing)
        return steps

    def _plan(self, current):
        return plan(self.entity, self.items, current, self.params.get('purge'), self.params.get('on_duplicate') or 'fail', self.lean)

    def _current(self):
        """The collection, page by page, with only the fields compared ($select)."""
        fields = ['id'] + [field.graph for field in self.entity.fields if field.graph != 'id']
        return self.client.iter_items(self.entity.collection_path(self.params),
                                      params={'$select': ','.join(fields), '$top': str(self.PAGE_SIZE)})

    def verify_creates(self, steps, listing=None):
        """Create-then-verify: another controller may have created some of the same keys meanwhile.

        Every run keeps the same winner per key (winner_first) and deletes the copies it made
        that lost: its own copy (the id that came back); for a create whose answer was lost
        (read back by resolve_unknown), every copy but the winner, since any of them may be
        this run's. A kept winner is then patched to the item's values when it differs.
        """
        created = [step for step in steps if step.action == CREATED and step.entity_id]
        if not created:
            return
        by_key = self._created_keys(created) if listing is None else listing
        desired = dict((item.index, item.desired) for item in self.items)
        lost, operations = [], []
        for step in created:
            matches = by_key.get(fold_key(self.entity, step.key), [])
            if len(matches) < 2:
                continue
            ranked = winner_first(matches)
            winner = ranked[0]
            if step.ident in self.read_back:
                extras = ranked[1:]  # which copy is this run's is unknown: every one that lost goes
            else:
                extras = [match for match in ranked[1:] if match.get('id') == step.entity_id]
            if not extras:
                continue
            patch = self.entity.patch(as_found(self.entity, desired[step.index], winner), winner) if winner.get('id') != step.entity_id else None
            lost.append((step, winner, extras, patch))
            operations.extend({'method': 'DELETE', 'url': self.entity.item_path(self.params, extra['id'])} for extra in extras)
            if patch:
                operations.append({'method': 'PATCH', 'url': self.entity.item_path(self.params, winner['id']), 'body': patch})
        if not operations:
            return
        answers = iter(self.client.batch(operations))
        for step, winner, extras, patch in lost:
            for answer in [next(answers) for dummy in extras] + ([next(answers)] if patch else []):
                if isinstance(answer, GraphError) and not (answer.status == 404 and answer.method == 'DELETE'):
                    step.fail(answer.status, answer.code, 'removing the duplicate copies of %s (kept %s, the oldest): %s' % (
                        step.key, winner.get('id'), answer.message), answer.request_id)
            if step.action != FAILED:
                step.after = {'id': winner.get('id')} if self.lean else (merged(winner, patch) if patch else clean(winner))

    def _created_keys(self, created):
        """{folded natural key: [entities]} of the keys of these steps, read once (streamed: nothing else is kept)."""
        graph_key = self.entity.natural_field().graph
        keys = set(fold_key(self.entity, step.key) for step in created)
        by_key = {}
        for found in self._current():
            key = fold_key(self.entity, found.get(graph_key)) if isinstance(found, dict) else None
            if key in keys:
                by_key.setdefault(key, []).append(found)
        return by_key

    def resolve_unknown(self, steps):
        """The creates whose outcome is unknown (an answer lost, cut short, 503/504, a timeout, an item
        left out of the $batch answer) are never sent again blind: their natural keys are read back,
        until every one is found or the policy's wait for late writes is over (RetryPolicy.unknown_wait).
        Found: created (with the id Graph holds). Not found: failed, saying it may have been applied."""
        if not self.unknown:
            return None
        policy = RetryPolicy(getattr(self.client, 'max_retries', 0))
        timed_out = any(getattr(cause, 'timed_out', False) for dummy, cause in self.unknown)
        waited = policy.unknown_wait(getattr(self.client, 'timeout', None) if timed_out else None)
        started = self.clock()
        waiting = set(fold_key(self.entity, step.key) for step, dummy in self.unknown)
        created = [step for step in steps if step.action == CREATED]
        while True:
            by_key = self._created_keys(created)  # also what verify_creates reads: the writes are all done
            now = self.clock()
            if waiting.issubset(by_key) or now - started >= waited:
                break
            self.sleep(min(UNKNOWN_POLL, waited - (now - started)))
        for step, cause in self.unknown:
            matches = by_key.get(fold_key(self.entity, step.key))
            if matches:
                entity = winner_first(matches)[0]
                step.after = {'id': entity.get('id')} if self.lean else clean(entity)
                self.read_back.add(step.ident)
            else:
                step.fail(getattr(cause, 'status', None), 'OutcomeUnknown', 'the create may have been applied: %s; %s %r was not '
                          'found when read back %d s later, so it was not sent again (a duplicate would be worse); run the task '
                          'again to converge' % (cause, self.entity.natural_key, step.key, round(waited)))
        return by_key

    def send(self, operations, on_answer=None):
        """The answers (Response, GraphError or RequestFailed) of the operations: several $batch
        in flight, paced to the tenant's throttle budget (engine/scheduler.py); see Scheduler.run."""
        runner = Scheduler(self.client, max_concurrency=self.params.get('max_concurrency') or DEFAULT_CONCURRENCY,
                           max_rate=self.params.get('max_rate'))
        answers = runner.run(operations, on_answer)
        self.batch_stats = runner.stats
        return answers

    def execute(self, steps):
        """Send the writes. A create whose outcome is unknown is never resent: resolve_unknown reads
        it back. The other items of a $batch request that broke as a whole are re-read and re-planned
        to learn what was applied, then resent once (when the answer was lost), or reported failed.
        Every answer that arrived is kept."""
        pending = [step for step in steps if step.action in WRITES]
        for attempt in (1, 2):
            if not pending:
                break
            broken, causes = [], {}

            def settle_now(index, answer, pending=pending):
                step = pending[index]
                if isinstance(answer, RequestFailed) and answer.unknown and step.action == CREATED:
                    self.unknown.append((step, answer.cause))
                elif isinstance(answer, RequestFailed):
                    broken.append((index, step))
                    causes[step.ident] = answer.cause
                else:
                    settle(step, answer, self.lean)
            self.send(Operations(pending, self.entity, self.params), settle_now)
            if not broken:
                break
            broken = [step for dummy, step in sorted(broken, key=lambda pair: pair[0])]
            resend = attempt == 1 and all(isinstance(cause, OutcomeUnknown) for cause in causes.values())
            pending = self._recover(broken, resend=resend, cause=causes)
        return self.resolve_unknown(steps)

    def _recover(self, pending, resend, cause):
        """cause: the exception that broke the request of every pending step (or a dict of them by step ident)."""
        fresh = dict((step.ident, step) for step in self._plan(self._current()))
        remaining = []
        for step in pending:
            again = fresh.get(step.ident)
            if again is None or again.action == UNCHANGED:
                step.after = again.after if again is not None else None  # it was applied
            elif again.action == FAILED or not resend:
                why = cause.get(step.ident) if isinstance(cause, dict) else cause
                if again.action == FAILED:
                    step.fail(**again.error)
                elif isinstance(why, GraphError):
                    step.fail(why.status, why.code, why.message, why.request_id)
                else:
                    step.fail(None, 'OutcomeUnknown', str(why))
            else:
                step.action, step.current, step.body, step.after = again.action, again.current, again.body, again.after
                remaining.append(step)
        return remaining

    # -- result ---------------------------------------------------------------------------
    def result(self, steps):
        key_option = self.entity.natural_key
        counts = dict((action, 0) for action in (CREATED, UPDATED, DELETED, UNCHANGED))
        results, failed_items, entities, before, after, labels = [], [], [], {}, {}, set()
        for step in steps:
            entry = {key_option: step.key, 'id': step.entity_id, 'action': step.action, 'index': step.index}
            if not (self.lean and step.action == UNCHANGED):
                results.append(entry)
            if step.action == FAILED:
                failure = dict(entry, action=step.intended)
                failure.update(step.error)
                failed_items.append(failure)
                entry['message'] = step.error['message']
            else:
                counts[step.action] += 1
            if step.action in WRITES:
                label = _diff_label(step, labels)
                if step.action != CREATED:
                    before[label] = clean(step.current)
                if step.action != DELETED:
                    after[label] = step.after
            if step.index is not None and not self.lean:
                # The listed entities that exist after the run (a failed write leaves the current one).
                now = step.current if step.action == FAILED else None if step.action == DELETED else step.after
                if now is not None:
                    entities.append(clean(now))
        result = dict(counts, changed=any(counts[action] for action in WRITES), item_results=results, failed_items=failed_items)
        if self.result_key and not self.lean:
            result[self.result_key] = entities
        if self.module._diff:
            result['diff'] = {'before': before, 'after': after}
        return result

    def _where(self, index):
        """An item named by its position: states[3], or the 3rd state read from the file."""
        if index is None:
            return 'purge or duplicate'
        if self.items_file is not None and index >= self.file_start:
            return '%s state %d' % (self.file_option, index - self.file_start + 1)
        return '%s[%d]' % (self.option, index)

    def failure_message(self, failed_items, total):
        key_option = self.entity.natural_key
        listed = []
        for failure in failed_items[:MAX_LISTED_ERRORS]:
            where = self._where(failure['index'])
            status = ' HTTP %s' % failure['status'] if failure['status'] else ''
            listed.append('%s (%s %r, %s):%s %s: %s' % (where, key_option, failure[key_option], failure['action'], status,
                                                        failure['code'], failure['message']))
        more = len(failed_items) - MAX_LISTED_ERRORS
        return '%d of %d %s write(s) failed; the others were applied: %s%s' % (
            len(failed_items), total, self.entity.name, '; '.join(listed), '; and %d more' % more if more > 0 else '')
