# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_update_for_business_configuration(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import json

import pytest

from integration.conftest import OTHER_CONFIG, READER_APP, READER_SECRET, WUFB_CONFIG, graph_calls, writes

MODULE = 'graphops.intune.windows_update_for_business_configuration'
INFO = 'graphops.intune.windows_update_for_business_configuration_info'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
GROUP_X = '0b1c2d3e-0000-4000-8000-00000000c001'
WUFB_TYPE = '#microsoft.graph.windowsUpdateForBusinessConfiguration'


def task(name='profile', **args):
    return {'name': name, MODULE: args}


def graph_log(graph):
    return [(e['method'], e['path'].split('/deviceManagement/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def full_profile(**extra):
    args = dict(
        display_name='WUfB - Broad', description='Broad ring', quality_updates_deferral_period_in_days=7,
        feature_updates_deferral_period_in_days=60, deadline_for_quality_updates_in_days=3, deadline_for_feature_updates_in_days=7,
        deadline_grace_period_in_days=2, automatic_update_mode='AUTOINSTALLATMAINTENANCETIME', business_ready_updates_only='all',
        drivers_excluded=True, allow_windows11_upgrade=False, user_pause_access='disabled', user_windows_update_scan_access='enabled',
        update_notification_level='defaultNotifications', engaged_restart_deadline_in_days=5, schedule_restart_warning_in_hours=4,
        schedule_imminent_restart_warning_in_minutes=15, feature_updates_rollback_window_in_days=10, role_scope_tag_ids=['0'],
        installation_schedule={'active_hours_start': '08:00', 'active_hours_end': '17:00'},
        included_group_ids=[GROUP_A, GROUP_B], excluded_group_ids=[GROUP_X], all_devices=False, all_users=False)
    args.update(extra)
    return args


def test_create_assign_then_ok_with_entity_and_assignment_gets_only(ansible, graph):
    first = ansible([task(**full_profile())])
    assert first.rc == 0, first.output
    assert first.last['status'] == 'changed'
    result = first.last['result']
    created = result['configuration']
    assert created['id'] and created['displayName'] == 'WUfB - Broad'
    assert created['automaticUpdateMode'] == 'autoInstallAtMaintenanceTime'
    assert result['assignments'] == {'included_group_ids': sorted([GROUP_A, GROUP_B]), 'excluded_group_ids': [GROUP_X],
                                     'all_devices': False, 'all_users': False}
    # list by isof() (no match) -> create -> list again (the engine's race check) -> read the assignments -> one assign
    log = graph_log(graph)
    assert [m for m, _p in log] == ['GET', 'POST', 'GET', 'GET', 'POST'], log
    for listing in graph_calls(graph.requests(), 'GET')[:2]:
        assert listing['query'] == {'$filter': "isof('microsoft.graph.windowsUpdateForBusinessConfiguration')"}
    assert log[3] == ('GET', 'deviceConfigurations/%s/assignments' % created['id'])
    post, assign = graph_calls(graph.requests(), 'POST')
    assert post['body']['@odata.type'] == WUFB_TYPE and post['status'] == 201
    assert post['body']['installationSchedule'] == {'@odata.type': '#microsoft.graph.windowsUpdateActiveHoursInstall',
                                                    'activeHoursStart': '08:00:00', 'activeHoursEnd': '17:00:00'}
    assert 'included_group_ids' not in json.dumps(post['body'])
    assert assign['path'].endswith('/deviceConfigurations/%s/assign' % created['id']) and assign['status'] == 200
    targets = sorted((a['target']['@odata.type'], a['target'].get('groupId')) for a in assign['body']['assignments'])
    assert targets == [('#microsoft.graph.exclusionGroupAssignmentTarget', GROUP_X),
                       ('#microsoft.graph.groupAssignmentTarget', GROUP_A), ('#microsoft.graph.groupAssignmentTarget', GROUP_B)]

    graph.clear_requests()
    # Same profile: other casing, groups reordered/upper-cased, times written differently.
    again = full_profile(device_configuration_id=created['id'], automatic_update_mode='autoInstallAtMaintenanceTime',
                         included_group_ids=[GROUP_B.upper(), GROUP_A],
                         installation_schedule={'active_hours_start': '08:00:00', 'active_hours_end': '17:00'})
    second = ansible([task(**again)])
    assert second.rc == 0, second.output
    assert second.last['status'] == 'ok', second.last['result']
    assert graph_log(graph) == [('GET', 'deviceConfigurations/' + created['id']),
                                ('GET', 'deviceConfigurations/%s/assignments' % created['id'])]
    assert not writes(graph.requests())


def test_by_name_second_run_lists_then_reads_assignments_only(ansible, graph):
    args = full_profile()
    assert ansible([task(**args)]).last['status'] == 'changed'
    graph.clear_requests()
    run = ansible([task(**args)])
    assert run.rc == 0 and run.last['status'] == 'ok', run.output
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET']
    assert not writes(graph.requests())


def test_patch_holds_only_differing_fields_with_type_and_assign_only_when_set_differs(ansible, graph):
    run = ansible([task('patch', device_configuration_id=WUFB_CONFIG, display_name='WUfB - Pilot ring',
                        quality_updates_deferral_period_in_days=9, drivers_excluded=False, included_group_ids=[GROUP_A])])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'@odata.type': WUFB_TYPE, 'qualityUpdatesDeferralPeriodInDays': 9}
    [assign] = graph_calls(graph.requests(), 'POST')
    assert [a['target']['groupId'] for a in assign['body']['assignments']] == [GROUP_A]
    graph.clear_requests()
    # Only the assignment differs: no PATCH, one assign.
    run = ansible([task('assign', device_configuration_id=WUFB_CONFIG, quality_updates_deferral_period_in_days=9,
                        included_group_ids=[GROUP_A, GROUP_B])])
    assert run.last['status'] == 'changed'
    assert [m for m, _p in graph_log(graph)] == ['GET', 'GET', 'POST']
    graph.clear_requests()
    # Only a setting differs: one PATCH, no assign.
    run = ansible([task('setting', device_configuration_id=WUFB_CONFIG, quality_updates_paused=True,
                        included_group_ids=[GROUP_B, GROUP_A])])
    assert run.last['status'] == 'changed'
    assert [m for m, _p in graph_log(graph)] == ['GET', 'PATCH', 'GET']
    assert run.last['result']['configuration']['qualityUpdatesPaused'] is True


def test_unset_assignment_kinds_are_kept(ansible, graph):
    assert ansible([task(device_configuration_id=WUFB_CONFIG, all_devices=True, excluded_group_ids=[GROUP_X])]).rc == 0
    graph.clear_requests()
    run = ansible([task(device_configuration_id=WUFB_CONFIG, included_group_ids=[GROUP_A])])
    assert run.last['status'] == 'changed'
    [assign] = graph_calls(graph.requests(), 'POST')
    kinds = sorted(a['target']['@odata.type'] for a in assign['body']['assignments'])
    assert kinds == ['#microsoft.graph.allDevicesAssignmentTarget', '#microsoft.graph.exclusionGroupAssignmentTarget',
                     '#microsoft.graph.groupAssignmentTarget']
    assert run.last['result']['assignments']['all_devices'] is True
    graph.clear_requests()
    # all_devices false and no groups: everything goes.
    run = ansible([task(device_configuration_id=WUFB_CONFIG, all_devices=False, included_group_ids=[], excluded_group_ids=[])])
    assert run.last['status'] == 'changed'
    assert graph_calls(graph.requests(), 'POST')[0]['body'] == {'assignments': []}
    listed = ansible([{'name': 'info', INFO: {'device_configuration_id': WUFB_CONFIG, 'include_assignments': True}}])
    assert listed.last['result']['configurations'][0]['assignments'] == []


def test_check_mode_writes_nothing_and_diff_shows_assignments(ansible, graph):
    run = ansible([task(device_configuration_id=WUFB_CONFIG, feature_updates_paused=True, included_group_ids=[GROUP_A], all_users=True)],
                  check=True, diff=True)
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert not writes(graph.requests())
    diff = run.last['result']['diff']
    assert diff['before']['featureUpdatesPaused'] is False and diff['after']['featureUpdatesPaused'] is True
    assert diff['before']['assignments']['included_group_ids'] == [] and diff['after']['assignments']['included_group_ids'] == [GROUP_A]
    assert diff['before']['assignments']['all_users'] is False and diff['after']['assignments']['all_users'] is True
    assert '+    "featureUpdatesPaused": true' in run.stdout and GROUP_A in run.stdout
    # create in check mode: nothing written either
    graph.clear_requests()
    run = ansible([task(display_name='WUfB - New', all_devices=True)], check=True, diff=True)
    assert run.last['status'] == 'changed' and not writes(graph.requests())
    assert run.last['result']['diff']['before'] == {}
    assert run.last['result']['diff']['after']['assignments']['all_devices'] is True


def test_delete_then_absent_is_ok_and_other_types_are_untouched(ansible, graph):
    tasks = [task('delete', display_name='WUfB - Pilot ring', state='absent')]
    first = ansible(tasks)
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    [delete] = graph_calls(graph.requests(), 'DELETE')
    assert delete['path'].endswith('/deviceConfigurations/' + WUFB_CONFIG)
    graph.clear_requests()
    assert ansible(tasks).last['status'] == 'ok' and not writes(graph.requests())
    # A windows10GeneralConfiguration id is refused without any write.
    run = ansible([task('other', device_configuration_id=OTHER_CONFIG, quality_updates_paused=True)])
    assert run.rc != 0 and 'windows10GeneralConfiguration' in run.last['result']['msg']
    assert not writes(graph.requests())


def test_device_update_states_hang_on_a_created_profile(ansible, graph):
    run = ansible([dict(task('profile', display_name='WUfB - States', all_devices=True), register='created'),
                   {'name': 'state', 'graphops.intune.device_update_state': {
                       'device_configuration_id': '{{ created.configuration.id }}', 'device_id': 'PC-0001', 'status': 'upToDate'}}])
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'changed']
    assert run.task('state')['result']['update_state']['deviceId'] == 'PC-0001'


@pytest.mark.parametrize('args, message', [
    ({'display_name': 'P', 'quality_updates_deferral_period_in_days': 31},
     'quality_updates_deferral_period_in_days must be between 0 and 30, got 31'),
    ({'display_name': 'P', 'deadline_grace_period_in_days': 8}, 'deadline_grace_period_in_days must be between 0 and 7, got 8'),
    ({'display_name': 'P', 'automatic_update_mode': 'sometimes'}, "automatic_update_mode: 'sometimes' is not one of userDefined"),
    ({'display_name': 'P', 'schedule_restart_warning_in_hours': 3}, 'value of schedule_restart_warning_in_hours must be one of: 2, 4, 8, 12, 24'),
    ({'display_name': 'P', 'included_group_ids': ['pilot-group']}, "included_group_ids: 'pilot-group' is not a GUID"),
    ({'display_name': 'P', 'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_A.upper()]}, 'cannot be both included and excluded'),
    ({'device_configuration_id': '..', 'quality_updates_paused': True},
     "device_configuration_id is '..', which URL normalisation would remove from the path; nothing was sent"),
    ({'display_name': 'P', 'installation_schedule': {'active_hours_start': '25:00'}}, "installation_schedule.active_hours_start: '25:00' is not a valid"),
    ({'display_name': 'P', 'installation_schedule': {'active_hours_start': '08:00', 'scheduled_install_day': 'monday'}}, 'not both'),
    ({'display_name': 'P', 'quality_updates_pause_expiry_date_time': 'tomorrow'}, "quality_updates_pause_expiry_date_time: 'tomorrow' is not an ISO 8601"),
    ({'quality_updates_paused': True}, 'one of the following is required: device_configuration_id, display_name'),
])
def test_bad_input_fails_before_any_request(ansible, graph, args, message):
    run = ansible([task(**args)])
    assert run.rc != 0
    assert message in run.last['result']['msg'], run.last['result']['msg']
    assert graph.requests() == [], 'nothing may reach the emulator (not even a token request)'


def test_reader_app_cannot_write_and_gets_a_short_error(ansible, graph):
    run = ansible([task(device_configuration_id=WUFB_CONFIG, quality_updates_paused=True)],
                  env={'AZURE_CLIENT_ID': READER_APP, 'AZURE_CLIENT_SECRET': READER_SECRET})
    assert run.rc != 0
    result = run.last['result']
    assert result['status'] == 403 and result['error_code'] == 'Forbidden'
    assert 'PATCH' in result['msg'] and 'Traceback' not in run.output
    info = ansible([{'name': 'info', INFO: {'include_assignments': True}}],
                   env={'AZURE_CLIENT_ID': READER_APP, 'AZURE_CLIENT_SECRET': READER_SECRET})
    assert info.rc == 0, info.output


def test_info_lists_only_wufb_profiles_with_assignments(ansible, graph):
    graph.set_page_size(1)
    run = ansible([
        task('create', display_name='WUfB - Second', included_group_ids=[GROUP_A]),
        {'name': 'all', INFO: {'include_assignments': True}},
        {'name': 'one', INFO: {'device_configuration_id': WUFB_CONFIG}},
        {'name': 'other type', INFO: {'device_configuration_id': OTHER_CONFIG}},
        {'name': 'by name', INFO: {'display_name': 'WUfB - Second'}},
    ])
    assert run.rc == 0, run.output
    listed = run.task('all')['result']['configurations']
    assert sorted(c['displayName'] for c in listed) == ['WUfB - Pilot ring', 'WUfB - Second']
    second = [c for c in listed if c['displayName'] == 'WUfB - Second'][0]
    assert [a['target']['groupId'] for a in second['assignments']] == [GROUP_A]
    assert [c['id'] for c in run.task('one')['result']['configurations']] == [WUFB_CONFIG]
    assert run.task('other type')['result']['configurations'] == []
    assert len(run.task('by name')['result']['configurations']) == 1
    assert all(s == 'ok' for s in run.statuses()[1:])


def test_three_controllers_racing_one_profile_create_keep_one_with_its_assignments(ansible, graph, tmp_path):
    from integration.test_concurrency import race, slow_creates
    slow_creates(graph, r'/deviceConfigurations')
    tasks = [task('profile', display_name='WUfB - Race', quality_updates_deferral_period_in_days=4,
                  included_group_ids=[GROUP_A], all_devices=True)]
    results = race(ansible, tmp_path, tasks)
    for rc, output, dummy in results:
        assert rc == 0, output
    configs = [c for c in graph.state()['deviceManagement']['deviceConfigurations'] if c['displayName'] == 'WUfB - Race']
    assert len(configs) == 1
    assert sorted((a['target']['@odata.type'], a['target'].get('groupId')) for a in configs[0]['assignments']) == [
        ('#microsoft.graph.allDevicesAssignmentTarget', None), ('#microsoft.graph.groupAssignmentTarget', GROUP_A)]
    posts = [e for e in writes(graph.requests()) if e['method'] == 'POST' and e['path'].endswith('/deviceConfigurations')]
    assert len(posts) > 1, 'the runs did not overlap; the test proves nothing'
    assert len({records[-1]['result']['configuration']['id'] for dummy, dummy2, records in results}) == 1
    graph.clear_faults()
    graph.clear_requests()
    again = ansible(tasks)
    assert again.rc == 0 and again.last['status'] == 'ok', again.output
    assert not writes(graph.requests())


def test_update_weeks_is_a_flags_enum(ansible, graph):
    run = ansible([task('weeks', device_configuration_id=WUFB_CONFIG, update_weeks=['firstWeek', 'thirdWeek'])])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'@odata.type': WUFB_TYPE, 'updateWeeks': 'firstWeek,thirdWeek'} and patch['status'] in (200, 204)
    graph.clear_requests()
    # the same set in another order and casing, or Graph's comma-joined form: no write
    again = ansible([task('same', device_configuration_id=WUFB_CONFIG, update_weeks=['THIRDWEEK', 'firstWeek']),
                     task('joined', device_configuration_id=WUFB_CONFIG, update_weeks='thirdWeek,firstWeek')])
    assert again.statuses() == ['ok', 'ok'], again.output
    assert not writes(graph.requests())
    listed = ansible([{'name': 'info', INFO: {'device_configuration_id': WUFB_CONFIG}}])
    assert listed.last['result']['configurations'][0]['updateWeeks'] == 'firstWeek,thirdWeek'
