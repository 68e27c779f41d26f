# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_feature_update_profile(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import datetime

from integration.conftest import graph_calls, writes

MODULE = 'graphops.intune.windows_feature_update_profile'
INFO = 'graphops.intune.windows_feature_update_profile_info'
PROFILE_TYPE = '#microsoft.graph.windowsFeatureUpdateProfile'
ROLLOUT_TYPE = '#microsoft.graph.windowsUpdateRolloutSettings'
ASSIGNMENT_TYPE = '#microsoft.graph.windowsFeatureUpdateProfileAssignment'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
V24H2 = 'Windows 11, version 24H2'


def task(name='profile', **args):
    return {'name': name, MODULE: args}


def graph_log(graph):
    return [(e['method'], e['path'].split('/deviceManagement/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def day(offset):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=offset)).strftime('%Y-%m-%d')


def pilot(**extra):
    args = dict(display_name='24H2 - Pilot', description='Pilot devices', feature_update_version=V24H2, rollout={},
                install_feature_updates_optional=False, install_latest_windows10_on_windows11_ineligible_device=False,
                role_scope_tag_ids=['0'], included_group_ids=[GROUP_A], excluded_group_ids=[GROUP_B])
    args.update(extra)
    return args


def test_create_assign_then_ok_with_reads_only_and_no_filter(ansible, graph):
    first = ansible([task(**pilot())])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    result = first.last['result']
    created = result['profile']
    assert created['featureUpdateVersion'] == V24H2 and created['endOfSupportDate'].startswith('2027-10-12')
    assert created['deployableContentDisplayName'] == V24H2
    assert result['assignments'] == {'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B], 'all_devices': False,
                                     'all_users': False}
    log = graph_log(graph)
    assert [m for m, _p in log] == ['GET', 'POST', 'GET', 'GET', 'POST'], log
    # the natural key is matched on the listed names: Graph refuses $filter on this collection
    assert not [e for e in graph.requests() if e['kind'] == 'graph' and '$filter' in (e['query'] or {})]
    post, assign = graph_calls(graph.requests(), 'POST')
    assert post['body'] == {'@odata.type': PROFILE_TYPE, 'displayName': '24H2 - Pilot', 'description': 'Pilot devices',
                            'featureUpdateVersion': V24H2,
                            'rolloutSettings': {'@odata.type': ROLLOUT_TYPE, 'offerStartDateTimeInUTC': None,
                                                'offerEndDateTimeInUTC': None, 'offerIntervalInDays': None},
                            'installFeatureUpdatesOptional': False, 'installLatestWindows10OnWindows11IneligibleDevice': False,
                            'roleScopeTagIds': ['0']}
    assert sorted(a['target']['@odata.type'] for a in assign['body']['assignments']) == [
        '#microsoft.graph.exclusionGroupAssignmentTarget', '#microsoft.graph.groupAssignmentTarget']
    assert {a['@odata.type'] for a in assign['body']['assignments']} == {ASSIGNMENT_TYPE}

    graph.clear_requests()
    second = ansible([task(**pilot(feature_update_version=V24H2.upper(), included_group_ids=[GROUP_A.upper()]))])
    assert second.rc == 0 and second.last['status'] == 'ok', second.output
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET']
    assert not writes(graph.requests())


def test_gradual_rollout_then_a_date_then_as_soon_as_possible(ansible, graph):
    created = ansible([task(**pilot())]).last['result']['profile']
    graph.clear_requests()
    gradual = {'offer_start': day(3), 'offer_end': day(30), 'offer_interval_in_days': 7}
    run = ansible([task('gradual', profile_id=created['id'], rollout=gradual), task('again', profile_id=created['id'], rollout=gradual)])
    assert run.statuses() == ['changed', 'ok'], run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'rolloutSettings': {'@odata.type': ROLLOUT_TYPE, 'offerStartDateTimeInUTC': day(3) + 'T00:00:00Z',
                                                 'offerEndDateTimeInUTC': day(30) + 'T00:00:00Z', 'offerIntervalInDays': 7}}
    graph.clear_requests()
    run = ansible([task('on a date', profile_id=created['id'], rollout={'offer_start': day(5)}), task('asap', profile_id=created['id'], rollout={})])
    assert run.statuses() == ['changed', 'changed'], run.output
    first, second = graph_calls(graph.requests(), 'PATCH')
    assert first['body']['rolloutSettings']['offerEndDateTimeInUTC'] is None
    assert second['body']['rolloutSettings'] == {'@odata.type': ROLLOUT_TYPE, 'offerStartDateTimeInUTC': None,
                                                 'offerEndDateTimeInUTC': None, 'offerIntervalInDays': None}


def test_a_gradual_rollout_starting_too_soon_fails_before_the_write(ansible, graph):
    created = ansible([task(**pilot())]).last['result']['profile']
    graph.clear_requests()
    soon = dict(task('soon', profile_id=created['id'], rollout={'offer_start': day(1), 'offer_end': day(20), 'offer_interval_in_days': 3}),
                ignore_errors=True)
    run = ansible([soon])
    assert 'a gradual rollout must start at least two days from now' in run.last['result']['msg']
    assert not writes(graph.requests())


def test_info_filters_and_assignments_then_delete(ansible, graph):
    assert ansible([task(**pilot()), task('23h2', display_name='23H2 - Broad', feature_update_version='Windows 11, version 23H2')]).rc == 0
    run = ansible([
        {'name': 'by version', INFO: {'feature_update_version': 'windows 11, version 24h2', 'include_assignments': True}},
        {'name': 'by name', INFO: {'display_name': '23H2 - Broad'}},
        {'name': 'all', INFO: {}},
    ])
    assert run.rc == 0, run.output
    [one] = run.task('by version')['result']['profiles']
    assert one['displayName'] == '24H2 - Pilot' and len(one['assignments']) == 2
    assert [p['endOfSupportDate'][:10] for p in run.task('by name')['result']['profiles']] == ['2026-11-10']
    assert sorted(p['displayName'] for p in run.task('all')['result']['profiles']) == ['23H2 - Broad', '24H2 - Pilot']
    graph.clear_requests()
    gone = ansible([task('delete', display_name='23H2 - Broad', state='absent'), task('again', display_name='23H2 - Broad', state='absent')])
    assert gone.statuses() == ['changed', 'ok'], gone.output


def test_bad_input_fails_before_any_request(ansible, graph):
    run = ansible([dict(task('windows 10', display_name='P', install_latest_windows10_on_windows11_ineligible_device=True), ignore_errors=True),
                   dict(task('all devices', display_name='P', all_devices=True), ignore_errors=True)])
    first, second = (record['result'] for record in run.results)
    assert 'Graph no longer accepts true' in first['msg']
    assert 'groups only' in second['msg']
    assert graph.requests() == []
