# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_driver_update_profile(_info), windows_driver_update_inventory_info and windows_driver_approval through real
ansible-playbook runs against the emulator."""

from __future__ import annotations

from integration.conftest import graph_calls, writes

MODULE = 'graphops.intune.windows_driver_update_profile'
INFO = 'graphops.intune.windows_driver_update_profile_info'
INVENTORY = 'graphops.intune.windows_driver_update_inventory_info'
APPROVAL = 'graphops.intune.windows_driver_approval'
PROFILE_TYPE = '#microsoft.graph.windowsDriverUpdateProfile'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
# tests/emulator/seed.yml: a manual profile with two drivers waiting for review and one approved
SEEDED = 'd7e1a0c5-0000-4000-8000-0000000000d1'
DISPLAY = 'd7e1a0c5-0000-4000-8000-00000000d001'
NET = 'd7e1a0c5-0000-4000-8000-00000000d002'
FIRMWARE = 'd7e1a0c5-0000-4000-8000-00000000d003'


def task(title='profile', module=MODULE, **args):
    return {'name': title, module: args}


def graph_log(graph):
    return [(e['method'], e['path'].split('/deviceManagement/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def pilot(**extra):
    args = dict(display_name='Drivers - Ring 1', description='Ring 1 devices', approval_type='manual', role_scope_tag_ids=['0'],
                included_group_ids=[GROUP_A], excluded_group_ids=[GROUP_B])
    args.update(extra)
    return args


def test_create_assign_then_ok_with_reads_only(ansible, graph):
    first = ansible([task(**pilot())])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    result = first.last['result']
    created = result['profile']
    assert created['id'] and created['approvalType'] == 'manual' and created['inventorySyncStatus']['driverInventorySyncState'] == 'pending'
    assert 'newUpdates' in created and 'deviceReporting' in created
    assert result['assignments'] == {'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B], 'all_devices': False,
                                     'all_users': False}
    assert [m for m, _p in graph_log(graph)] == ['GET', 'POST', 'GET', 'GET', 'POST']
    post, assign = graph_calls(graph.requests(), 'POST')
    assert post['body'] == {'@odata.type': PROFILE_TYPE, 'displayName': 'Drivers - Ring 1', 'description': 'Ring 1 devices',
                            'approvalType': 'manual', 'roleScopeTagIds': ['0']}
    assert sorted(a['target']['@odata.type'] for a in assign['body']['assignments']) == [
        '#microsoft.graph.exclusionGroupAssignmentTarget', '#microsoft.graph.groupAssignmentTarget']
    assert {a['@odata.type'] for a in assign['body']['assignments']} == {'#microsoft.graph.windowsDriverUpdateProfileAssignment'}
    graph.clear_requests()
    second = ansible([task(**pilot(included_group_ids=[GROUP_A.upper()]))])
    assert second.rc == 0 and second.last['status'] == 'ok', second.output
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET']


def test_patch_only_what_differs(ansible, graph):
    run = ansible([task(profile_id=SEEDED, deployment_deferral_in_days=0, description='Pilot drivers', approval_type='manual')])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'description': 'Pilot drivers'}


def test_approval_type_change_fails_or_recreates(ansible, graph):
    run = ansible([dict(task(profile_id=SEEDED, approval_type='automatic'), ignore_errors=True)])
    assert run.last['status'] == 'failed'
    assert 'approval_type is manual, the task wants automatic' in run.last['result']['msg'] and 'recreate=true' in run.last['result']['msg']
    assert not writes(graph.requests())
    check = ansible([task(profile_id=SEEDED, approval_type='automatic', deployment_deferral_in_days=5, recreate=True)], check=True, diff=True)
    assert check.rc == 0 and check.last['status'] == 'changed' and check.last['result']['recreated'] is True, check.output
    assert check.last['result']['profile']['approvalType'] == 'automatic'
    assert not writes(graph.requests())
    graph.clear_requests()
    run = ansible([task(profile_id=SEEDED, approval_type='automatic', deployment_deferral_in_days=5, recreate=True)])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    new = run.last['result']['profile']
    assert new['id'] != SEEDED and new['approvalType'] == 'automatic' and new['displayName'] == 'Drivers - manual approval'
    assert new['description'] == 'Drivers and firmware approved by hand for the pilot ring' and new['deploymentDeferralInDays'] == 5
    assert [(m, p.split('/')[-1]) for m, p in graph_log(graph)] == [
        ('GET', SEEDED), ('GET', 'assignments'), ('DELETE', SEEDED), ('POST', 'windowsDriverUpdateProfiles'), ('POST', 'assign')]
    again = ansible([task(display_name='Drivers - manual approval', approval_type='automatic', deployment_deferral_in_days=5, recreate=True,
                          included_group_ids=['0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'])])
    assert again.last['status'] == 'ok', again.output


def test_all_devices_is_refused_before_any_request(ansible, graph):
    run = ansible([dict(task(**pilot(all_devices=True)), ignore_errors=True)])
    assert 'all_devices: Intune assigns a driver update profile to groups only (included_group_ids, excluded_group_ids)' in (
        run.last['result']['msg'])
    assert graph.requests() == []


def test_info_and_delete(ansible, graph):
    assert ansible([task(**pilot(approval_type='automatic', display_name='Drivers - Broad'))]).rc == 0
    run = ansible([
        task('manual', INFO, approval_type='manual', include_assignments=True),
        task('all', INFO),
    ])
    assert run.rc == 0, run.output
    [manual] = run.task('manual')['result']['profiles']
    assert manual['id'] == SEEDED and manual['newUpdates'] == 2 and [a['target']['groupId'] for a in manual['assignments']]
    assert sorted(p['displayName'] for p in run.task('all')['result']['profiles']) == ['Drivers - Broad', 'Drivers - manual approval']
    gone = ansible([task('delete', display_name='Drivers - Broad', state='absent'), task('again', display_name='Drivers - Broad', state='absent')])
    assert gone.statuses() == ['changed', 'ok'], gone.output


def test_inventory_filters(ansible, graph):
    run = ansible([
        task('review', INVENTORY, profile_id=SEEDED, approval_status='needsreview'),
        task('net', INVENTORY, profile_id=SEEDED, driver_class='NET', manufacturer='realtek semiconductor corp.'),
        task('glob', INVENTORY, profile_id=SEEDED, name='*graphics*'),
        task('old', INVENTORY, profile_id=SEEDED, released_before='2026-08-06'),
        task('one', INVENTORY, profile_id=SEEDED, driver_id=FIRMWARE),
    ])
    assert run.rc == 0, run.output
    ids = dict((name, [d['id'] for d in run.task(name)['result']['drivers']]) for name in ('review', 'net', 'glob', 'old', 'one'))
    assert ids == {'review': [DISPLAY, NET], 'net': [NET], 'glob': [DISPLAY], 'old': [NET, FIRMWARE], 'one': [FIRMWARE]}
    assert run.task('review')['result']['inventory_sync_status']['driverInventorySyncState'] == 'success'
    assert not writes(graph.requests())


def test_sync_fills_a_new_profile_and_waits_for_it(ansible, graph):
    created = ansible([task(**pilot())]).last['result']['profile']
    graph.clear_requests()
    check = ansible([task('sync', INVENTORY, profile_id=created['id'], sync=True)], check=True)
    assert check.rc == 0 and check.last['result']['drivers'] == [] and not writes(graph.requests())
    graph.clear_requests()
    run = ansible([task('sync', INVENTORY, profile_id=created['id'], sync=True, driver_class='firmware')])
    assert run.rc == 0 and run.last['result']['synced'] is True, run.output
    assert run.last['result']['drivers'] and {d['driverClass'] for d in run.last['result']['drivers']} == {'Firmware'}
    assert run.last['result']['inventory_sync_status']['driverInventorySyncState'] == 'success'
    [sync] = graph_calls(graph.requests(), 'POST')
    assert sync['path'].endswith('/windowsDriverUpdateProfiles/%s/syncInventory' % created['id'])


def test_approval_sends_one_action_with_the_differing_drivers_then_nothing(ansible, graph):
    args = dict(profile_id=SEEDED, approval_status='approved', driver_ids=[DISPLAY, FIRMWARE], deployment_date='2026-12-01T00:00:00Z')
    check = ansible([task('approve', APPROVAL, **args)], check=True, diff=True)
    assert check.rc == 0 and check.last['status'] == 'changed', check.output
    assert check.last['result']['driver_ids'] == [DISPLAY, FIRMWARE] and not writes(graph.requests())
    assert check.last['result']['diff']['before'][DISPLAY]['approvalStatus'] == 'needsReview'
    assert check.last['result']['diff']['after'][DISPLAY]['approvalStatus'] == 'approved'
    graph.clear_requests()
    run = ansible([task('approve', APPROVAL, **args)])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [action] = graph_calls(graph.requests(), 'POST')
    assert action['path'].endswith('/windowsDriverUpdateProfiles/%s/executeAction' % SEEDED)
    assert action['body'] == {'actionName': 'approve', 'driverIds': [DISPLAY, FIRMWARE], 'deploymentDate': '2026-12-01T00:00:00Z'}
    assert {d['id']: d['approvalStatus'] for d in run.last['result']['drivers']} == {DISPLAY: 'approved', FIRMWARE: 'approved'}
    graph.clear_requests()
    again = ansible([task('approve', APPROVAL, **args)])
    assert again.last['status'] == 'ok' and again.last['result']['driver_ids'] == [] and not writes(graph.requests()), again.output


def test_approval_by_filters(ansible, graph):
    run = ansible([task('decline', APPROVAL, profile_id=SEEDED, approval_status='declined', current_approval_status='needsReview',
                        driver_class='Net')])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [action] = graph_calls(graph.requests(), 'POST')
    assert action['body'] == {'actionName': 'decline', 'driverIds': [NET]}


def test_approval_refuses_an_automatic_profile_and_unknown_drivers(ansible, graph):
    created = ansible([task(**pilot(approval_type='automatic'))]).last['result']['profile']
    graph.clear_requests()
    run = ansible([dict(task('auto', APPROVAL, profile_id=created['id'], approval_status='approved', category='other'), ignore_errors=True),
                   dict(task('unknown', APPROVAL, profile_id=SEEDED, approval_status='suspended',
                             driver_ids=['d7e1a0c5-0000-4000-8000-00000000dfff']), ignore_errors=True)])
    assert 'only a manual profile takes driver approvals' in run.task('auto')['result']['msg']
    assert 'has no driver d7e1a0c5-0000-4000-8000-00000000dfff' in run.task('unknown')['result']['msg']
    assert not writes(graph.requests())
