# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Race safety of natural-key creates: the create lock, the winner rule, create-then-verify, on_duplicate."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine import bulk, concurrency
from ansible_collections.graphops.intune.plugins.module_utils.engine.concurrency import CreateLock, LockTimeout, winner_first
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Resource
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import BulkError, ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.entities.rings import RING
from ansible_collections.graphops.intune.plugins.module_utils.entities.update_states import UPDATE_STATE
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import Response

RINGS = '/admin/windows/updates/policies/p1/rings'
STATES = '/deviceManagement/deviceConfigurations/cfg-1/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates'


def ring(ring_id, name, created, **values):
    entity = {'id': ring_id, 'displayName': name, 'createdDateTime': created, 'deferralInDays': 0}
    entity.update(values)
    return entity


def ring_params(**params):
    base = dict(policy_id='p1', ring_id=None, state='present', on_duplicate='fail')
    base.update((option, None) for option in RING.field_specs())
    base.update(params)
    return base


# -- the winner rule -------------------------------------------------------------------
def test_winner_is_the_oldest_then_the_smallest_id():
    a = ring('b', 'R', '2024-05-01T10:00:00.0000002Z')
    b = ring('c', 'R', '2024-05-01T03:00:00.0000001-07:00')  # the same instant as a minus 1 tick
    c = ring('a', 'R', '2024-05-01T10:00:00.0000001Z')
    assert [x['id'] for x in winner_first([a, b, c])] == ['a', 'c', 'b']


def test_winner_without_created_date_time_is_the_first_listed():
    listed = [{'id': 'z', 'deviceId': 'd'}, {'id': 'a', 'deviceId': 'd'}]
    assert [x['id'] for x in winner_first(listed)] == ['z', 'a']


# -- the lock --------------------------------------------------------------------------
def test_lock_file_is_private_and_excludes_another_process(tmp_path):
    path = str(tmp_path / 'cache' / 'locks' / 'x.lock')
    with CreateLock(path, timeout=5):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    # The file stays after release (every process locks the same inode); now another process holds it.
    holder = subprocess.Popen([sys.executable, '-c', (
        'import fcntl, os, sys, time\n'
        'fd = os.open(sys.argv[1], os.O_RDWR)\n'
        'fcntl.flock(fd, fcntl.LOCK_EX)\n'
        'os.write(fd, b"4242\\n"); print("locked", flush=True); time.sleep(30)\n'), path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'locked'
        started = time.monotonic()
        with pytest.raises(LockTimeout) as error:
            CreateLock(path, timeout=0.5, what='rings of policy p1').acquire()
        assert time.monotonic() - started < 5
        assert 'rings of policy p1' in str(error.value) and path in str(error.value)
        assert 'pid 4242' in str(error.value) and 'GRAPH_LOCK_TIMEOUT' in str(error.value)
    finally:
        holder.kill()
        holder.wait()
    with CreateLock(path, timeout=5):  # released by the holder's death
        pass


@pytest.mark.parametrize('hazard', ['symlink', 'world-writable'])
def test_lock_directory_must_be_safe(tmp_path, hazard):
    locks = tmp_path / 'locks'
    if hazard == 'symlink':
        (tmp_path / 'elsewhere').mkdir(mode=0o700)
        locks.symlink_to(tmp_path / 'elsewhere')
    else:
        locks.mkdir()
        os.chmod(str(locks), 0o777)
    with pytest.raises(OSError) as error:
        CreateLock(str(locks / 'x.lock'), timeout=1).acquire()
    assert str(locks) in str(error.value)
    assert not os.path.exists(str(locks / 'x.lock'))


def test_lock_is_keyed_by_tenant_and_collection():
    names = set(concurrency.lock_name(tenant, 'https://graph/beta', collection)
                for tenant in ('t1', 'T1', 't2') for collection in ('/a/rings', '/b/rings'))
    assert len(names) == 4


# -- single entity: create-then-verify and on_duplicate --------------------------------
class RacingClient(object):
    """Wraps a FakeGraphClient: another run creates `racers` right after our POST."""

    def __init__(self, client, racers):
        self.client = client
        self.racers = list(racers)

    def __getattr__(self, name):
        return getattr(self.client, name)

    def post(self, collection_path, body):
        created = self.client.post(collection_path, body)
        self.client.items.extend(dict(racer) for racer in self.racers)
        return created


def run_ring(fake_graph_client, fake_module, items, racers=(), check_mode=False, diff=False, **params):
    inner = fake_graph_client(RINGS, items)
    client = RacingClient(inner, racers)
    return Resource(fake_module(ring_params(**params), client, check_mode=check_mode, diff=diff), RING).apply(), inner


def test_create_that_lost_a_race_deletes_its_own_copy_and_keeps_the_winner(fake_graph_client, fake_module):
    older = ring('other-run', 'Ring 1', '2024-01-01T00:00:00Z', deferralInDays=3)
    result, client = run_ring(fake_graph_client, fake_module, [], racers=[older], display_name='Ring 1', deferral_in_days=5)
    assert [c[0] for c in client.calls] == ['GET', 'POST', 'GET', 'DELETE', 'PATCH']
    assert client.calls[3][1] == RINGS + '/new-1' and client.calls[4][1] == RINGS + '/other-run'
    assert [(r['id'], r['deferralInDays']) for r in client.items] == [('other-run', 5)]
    assert result['ring']['id'] == 'other-run' and result['changed'] is True


def test_create_that_won_a_race_keeps_its_copy(fake_graph_client, fake_module):
    younger = ring('other-run', 'Ring 1', '2030-01-01T00:00:00Z')
    result, client = run_ring(fake_graph_client, fake_module, [], racers=[younger], display_name='Ring 1')
    assert [c[0] for c in client.calls] == ['GET', 'POST', 'GET']  # the other run deletes its own copy
    assert result['ring']['id'] == 'new-1'


def test_existing_duplicates_fail_by_default_naming_the_ids(fake_graph_client, fake_module):
    items = [ring('r2', 'Ring 1', '2024-02-01T00:00:00Z'), ring('r1', 'Ring 1', '2024-01-01T00:00:00Z')]
    with pytest.raises(ModuleInputError) as error:
        run_ring(fake_graph_client, fake_module, items, display_name='Ring 1')
    text = str(error.value)
    assert '2 entities have display_name' in text and 'r2, r1' in text
    assert 'on_duplicate=keep_oldest to keep r1' in text


@pytest.mark.parametrize('check_mode', [False, True])
def test_keep_oldest_deletes_the_younger_copies(fake_graph_client, fake_module, check_mode):
    items = [ring('r3', 'Ring 1', '2024-03-01T00:00:00Z'), ring('r1', 'Ring 1', '2024-01-01T00:00:00Z'),
             ring('r2', 'Ring 1', '2024-02-01T00:00:00Z'), ring('x', 'Other', '2023-01-01T00:00:00Z')]
    result, client = run_ring(fake_graph_client, fake_module, items, check_mode=check_mode, diff=True,
                              display_name='Ring 1', on_duplicate='keep_oldest')
    assert result['changed'] is True
    assert result['deleted_duplicates'] == ['r2', 'r3']
    assert result['ring']['id'] == 'r1'
    diffs = result['diff']
    assert [d.get('before_header') for d in diffs[1:]] == [
        'quality update ring r2 (duplicate, deleted)', 'quality update ring r3 (duplicate, deleted)']
    assert [d['after'] for d in diffs[1:]] == [{}, {}]
    deletes = [c[1] for c in client.calls if c[0] == 'DELETE']
    assert deletes == ([] if check_mode else [RINGS + '/r2', RINGS + '/r3'])


# -- bulk: create-then-verify and on_duplicate -----------------------------------------
class Failed(Exception):
    def __init__(self, kwargs):
        super(Failed, self).__init__(kwargs['msg'])
        self.result = kwargs


def item(device_id, **values):
    out = dict((field.option, None) for field in UPDATE_STATE.fields)
    out.update(values, device_id=device_id, state=None)
    return out


def run_states(fake_graph_client, fake_module, existing, items, racers=(), check_mode=False, diff=False, on_duplicate='fail'):
    class Client(fake_graph_client):
        def batch(self, operations):
            answers = []
            for op in operations:
                if op['method'] == 'POST':
                    answers.append(Response(201, self.post(op['url'], op['body']), {}))
                elif op['method'] == 'PATCH':
                    answers.append(Response(200, self.patch(op['url'], op['body']), {}))
                else:
                    self.delete(op['url'])
                    answers.append(Response(204, None, {}))
            if any(op['method'] == 'POST' for op in operations):
                # Another controller's run created the same devices before ours (listed first).
                self.items[:0] = [dict(racer) for racer in racers]
            return answers

    class Module(fake_module):
        def fail_json(self, **kwargs):
            raise Failed(kwargs)

    client = Client(STATES, existing)
    params = {'device_configuration_id': 'cfg-1', 'states': items, 'purge': False, 'state': 'present', 'on_duplicate': on_duplicate}
    return bulk.Bulk(Module(params, client, check_mode, diff), UPDATE_STATE, 'states', 'update_states').apply(), client


def test_bulk_creates_that_lost_a_race_are_removed_and_the_winners_converged(fake_graph_client, fake_module):
    racers = [{'id': 'theirs-1', 'deviceId': 'd1', 'status': 'failed'}, {'id': 'theirs-2', 'deviceId': 'd2', 'status': 'upToDate'}]
    items = [item('d1', status='upToDate'), item('d2', status='upToDate'), item('d3', status='upToDate')]
    result, client = run_states(fake_graph_client, fake_module, [], items, racers=racers)
    assert sorted((s['deviceId'], s['id']) for s in client.items) == [('d1', 'theirs-1'), ('d2', 'theirs-2'), ('d3', 'new-3')]
    assert [s['status'] for s in client.items] == ['upToDate'] * 3
    assert [(r['device_id'], r['id'], r['action']) for r in result['item_results']] == [
        ('d1', 'theirs-1', 'created'), ('d2', 'theirs-2', 'created'), ('d3', 'new-3', 'created')]
    assert result['failed_items'] == []


def test_bulk_existing_duplicates_fail_by_default(fake_graph_client, fake_module):
    existing = [{'id': 's1', 'deviceId': 'd1'}, {'id': 's2', 'deviceId': 'd1'}]
    with pytest.raises(BulkError) as error:
        run_states(fake_graph_client, fake_module, existing, [item('d1', status='upToDate')])
    assert 'ids: s1, s2' in str(error.value) and 'on_duplicate=keep_oldest to keep s1' in str(error.value)


@pytest.mark.parametrize('check_mode', [False, True])
def test_bulk_keep_oldest_deletes_the_copies(fake_graph_client, fake_module, check_mode):
    existing = [{'id': 's1', 'deviceId': 'd1', 'status': 'upToDate'}, {'id': 's2', 'deviceId': 'd1', 'status': 'upToDate'},
                {'id': 's3', 'deviceId': 'd1', 'status': 'upToDate'}]
    result, client = run_states(fake_graph_client, fake_module, existing, [item('d1', status='upToDate')],
                                check_mode=check_mode, diff=True, on_duplicate='keep_oldest')
    assert result['deleted'] == 2 and result['changed'] is True
    assert sorted(result['diff']['before']) == ['d1 (id s2)', 'd1 (id s3)']
    assert [s['id'] for s in client.items] == (['s1', 's2', 's3'] if check_mode else ['s1'])
