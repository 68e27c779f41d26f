# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_quality_update_policy(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

from integration.conftest import graph_calls, writes

MODULE = 'graphops.intune.windows_quality_update_policy'
INFO = 'graphops.intune.windows_quality_update_policy_info'
POLICY_TYPE = '#microsoft.graph.windowsQualityUpdatePolicy'
SETTING_TYPE = '#microsoft.graph.windowsQualityUpdateApprovalSetting'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'


def task(name='policy', **args):
    return {'name': name, MODULE: args}


def graph_log(graph):
    return [(e['method'], e['path'].split('/deviceManagement/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def settings(*items):
    return [dict(zip(('cadence', 'category', 'approval_method', 'deferred_deployment_in_days'), item)) for item in items]


def pilot(**extra):
    args = dict(display_name='Hotpatch - Pilot', description='Pilot devices', hotpatch_enabled=True, role_scope_tag_ids=['0'],
                approval_settings=settings(('monthly', 'security', 'automatic', 2), ('outOfBand', 'security', 'manual')),
                included_group_ids=[GROUP_A])
    args.update(extra)
    return args


def test_create_assign_then_ok_with_reads_only(ansible, graph):
    first = ansible([task(**pilot())])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    result = first.last['result']
    created = result['policy']
    assert created['id'] and created['displayName'] == 'Hotpatch - Pilot' and created['hotpatchEnabled'] is True
    assert result['assignments'] == {'included_group_ids': [GROUP_A], 'excluded_group_ids': [], 'all_devices': False, 'all_users': False}
    # list (no match) -> create -> list again (the race check) -> read the assignments -> one assign
    log = graph_log(graph)
    assert [m for m, _p in log] == ['GET', 'POST', 'GET', 'GET', 'POST'], log
    assert log[3] == ('GET', 'windowsQualityUpdatePolicies/%s/assignments' % created['id'])
    post, assign = graph_calls(graph.requests(), 'POST')
    assert post['body']['@odata.type'] == POLICY_TYPE and post['status'] == 201
    assert post['body']['approvalSettings'] == [
        {'@odata.type': SETTING_TYPE, 'windowsQualityUpdateCadence': 'monthly', 'windowsQualityUpdateCategory': 'security',
         'approvalMethodType': 'automatic', 'deferredDeploymentInDay': 2},
        {'@odata.type': SETTING_TYPE, 'windowsQualityUpdateCadence': 'outOfBand', 'windowsQualityUpdateCategory': 'security',
         'approvalMethodType': 'manual'}]
    assert assign['path'].endswith('/windowsQualityUpdatePolicies/%s/assign' % created['id'])
    assert assign['body'] == {'assignments': [{'@odata.type': '#microsoft.graph.windowsQualityUpdatePolicyAssignment',
                                               'target': {'@odata.type': '#microsoft.graph.groupAssignmentTarget', 'groupId': GROUP_A}}]}

    graph.clear_requests()
    # The same policy: settings reordered and in other casing, the group upper-cased.
    again = pilot(approval_settings=settings(('OUTOFBAND', 'Security', 'MANUAL'), ('monthly', 'security', 'automatic', 2)),
                  included_group_ids=[GROUP_A.upper()])
    second = ansible([task(**again)])
    assert second.rc == 0 and second.last['status'] == 'ok', second.output
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET']
    assert not writes(graph.requests())


def test_patch_holds_only_differing_fields_and_assign_only_when_the_set_differs(ansible, graph):
    created = ansible([task(**pilot())]).last['result']['policy']
    graph.clear_requests()
    run = ansible([task('patch', policy_id=created['id'], hotpatch_enabled=False, description='Pilot devices', included_group_ids=[GROUP_A])])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert [m for m, _p in graph_log(graph)] == ['GET', 'PATCH', 'GET']
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'@odata.type': POLICY_TYPE, 'hotpatchEnabled': False}
    graph.clear_requests()
    run = ansible([task('assign', policy_id=created['id'], included_group_ids=[GROUP_A, GROUP_B], all_devices=False)])
    assert run.last['status'] == 'changed'
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET', 'POST']
    [assign] = graph_calls(graph.requests(), 'POST')
    assert sorted(a['target']['groupId'] for a in assign['body']['assignments']) == [GROUP_A, GROUP_B]


def test_info_filters_and_assignments_then_delete(ansible, graph):
    assert ansible([task(**pilot()), task('cold', display_name='Cold patch', hotpatch_enabled=False)]).rc == 0
    run = ansible([
        {'name': 'hot', INFO: {'hotpatch_enabled': True, 'include_assignments': True}},
        {'name': 'by name', INFO: {'display_name': 'Cold patch'}},
        {'name': 'all', INFO: {}},
    ])
    assert run.rc == 0, run.output
    [hot] = run.task('hot')['result']['policies']
    assert hot['displayName'] == 'Hotpatch - Pilot' and [a['target']['groupId'] for a in hot['assignments']] == [GROUP_A]
    assert [p['displayName'] for p in run.task('by name')['result']['policies']] == ['Cold patch']
    assert sorted(p['displayName'] for p in run.task('all')['result']['policies']) == ['Cold patch', 'Hotpatch - Pilot']
    assert not [key for p in run.task('all')['result']['policies'] for key in p if key.startswith('@odata.')]
    graph.clear_requests()
    gone = ansible([task('delete', display_name='Cold patch', state='absent'), task('again', display_name='Cold patch', state='absent')])
    assert gone.statuses() == ['changed', 'ok'], gone.output
    [delete] = graph_calls(graph.requests(), 'DELETE')
    assert '/windowsQualityUpdatePolicies/' in delete['path']


def test_bad_input_fails_before_any_request(ansible, graph):
    bad = dict(task('seven settings', display_name='P', approval_settings=settings(*[('monthly', 'all', 'manual')] * 7)),
               ignore_errors=True)
    run = ansible([bad])
    assert 'approval_settings takes at most 6 items, got 7' in run.last['result']['msg']
    assert graph.requests() == []
