# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role wufb_profiles through real ansible-playbook runs against the emulator."""

from __future__ import annotations

from integration.conftest import OTHER_CONFIG, WUFB_CONFIG, writes

GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'

DECLARED = [
    {'display_name': 'WUfB - Pilot ring', 'quality_updates_deferral_period_in_days': 2, 'included_group_ids': [GROUP_A],
     'installation_schedule': {'active_hours_start': '08:00', 'active_hours_end': '18:00'}},
    {'display_name': 'WUfB - Broad', 'quality_updates_deferral_period_in_days': 7, 'feature_updates_deferral_period_in_days': 90,
     'automatic_update_mode': 'autoInstallAtMaintenanceTime', 'all_devices': True, 'excluded_group_ids': [GROUP_A]},
]


def role(**variables):
    return [{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.wufb_profiles'}, 'vars': variables}]


def graph_log(graph):
    return [(e['method'], e['path'].split('/beta/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def profiles(graph):
    configs = graph.state()['deviceManagement']['deviceConfigurations']
    return dict((c['displayName'], c) for c in configs if c['@odata.type'].endswith('windowsUpdateForBusinessConfiguration'))


def test_declare_then_second_run_reads_only(ansible, graph):
    first = ansible(role(wufb_profiles_profiles=DECLARED))
    assert first.rc == 0, first.output
    state = profiles(graph)
    assert state['WUfB - Pilot ring']['qualityUpdatesDeferralPeriodInDays'] == 2
    assert [a['target']['groupId'] for a in state['WUfB - Pilot ring']['assignments']] == [GROUP_A]
    broad = state['WUfB - Broad']
    assert broad['featureUpdatesDeferralPeriodInDays'] == 90 and broad['automaticUpdateMode'] == 'autoInstallAtMaintenanceTime'
    assert sorted(a['target']['@odata.type'] for a in broad['assignments']) == [
        '#microsoft.graph.allDevicesAssignmentTarget', '#microsoft.graph.exclusionGroupAssignmentTarget']
    declared = [r for r in first.results if r['task'].endswith('Declare the profiles and their assignments')][-1]
    assert declared['status'] == 'changed'

    graph.clear_requests()
    second = ansible(role(wufb_profiles_profiles=DECLARED))
    assert second.rc == 0, second.output
    assert not [r for r in second.results if r['status'] == 'changed']
    assert not writes(graph.requests())
    assert {m for m, _p in graph_log(graph)} == {'GET'}
    # per profile: one isof() list to find it by name, one assignments read
    assert len(graph_log(graph)) == 4


def test_check_mode_writes_nothing(ansible, graph):
    run = ansible(role(wufb_profiles_profiles=DECLARED, wufb_profiles_purge=True), check=True)
    assert run.rc == 0, run.output
    assert [r for r in run.results if r['status'] == 'changed']
    assert not writes(graph.requests())


def test_purge_deletes_only_undeclared_wufb_profiles(ansible, graph):
    run = ansible(role(wufb_profiles_profiles=DECLARED[1:], wufb_profiles_purge=True))
    assert run.rc == 0, run.output
    deletes = [p for m, p in graph_log(graph) if m == 'DELETE']
    assert deletes == ['deviceManagement/deviceConfigurations/' + WUFB_CONFIG]
    configs = dict((c['id'], c) for c in graph.state()['deviceManagement']['deviceConfigurations'])
    assert OTHER_CONFIG in configs and WUFB_CONFIG not in configs  # the other configuration type is never touched
    graph.clear_requests()
    again = ansible(role(wufb_profiles_profiles=DECLARED[1:], wufb_profiles_purge=True))
    assert again.rc == 0 and not writes(graph.requests())


def test_bad_input_fails_before_any_request(ansible, graph):
    unknown = ansible(role(wufb_profiles_profiles=[{'display_name': 'P', 'quality_update_deferral': 3}]))
    assert unknown.rc != 0 and 'quality_update_deferral' in unknown.output
    twice = ansible(role(wufb_profiles_profiles=[{'display_name': 'P'}, {'display_name': 'P', 'drivers_excluded': True}]))
    assert twice.rc != 0 and 'repeated: P' in twice.output
    choice = ansible(role(wufb_profiles_profiles=[{'display_name': 'P', 'schedule_restart_warning_in_hours': 5}]))
    assert choice.rc != 0 and 'schedule_restart_warning_in_hours' in choice.output
    missing = ansible(role())
    assert missing.rc != 0 and 'wufb_profiles_profiles' in missing.output
    out_of_range = ansible(role(wufb_profiles_profiles=[{'display_name': 'P', 'quality_updates_deferral_period_in_days': 99}]))
    assert out_of_range.rc != 0 and 'between 0 and 30' in out_of_range.output
    assert graph.requests() == []


def test_update_report_shows_wufb_profiles_with_assignment_counts(ansible, graph, tmp_path):
    import csv
    import io
    import json
    setup = ansible(role(wufb_profiles_profiles=DECLARED))
    assert setup.rc == 0, setup.output
    graph.clear_requests()
    out = tmp_path / 'report'
    run = ansible([{'name': 'report', 'ansible.builtin.include_role': {'name': 'graphops.intune.update_report'},
                    'vars': {'update_report_dir': str(out), 'update_report_os_images': False}}])
    assert run.rc == 0, run.output
    assert not writes(graph.requests())
    data = json.loads((out / 'update-report.json').read_text())
    assert data['summary']['wufb_profiles'] == 2 and data['summary']['paused_wufb_profiles'] == 0
    by_name = dict((p['displayName'], p) for p in data['wufb_profiles'])
    assert (by_name['WUfB - Broad']['assignments'], by_name['WUfB - Broad']['excluded_groups'],
            by_name['WUfB - Broad']['all_devices']) == (2, 1, True)
    assert (by_name['WUfB - Pilot ring']['included_groups'], by_name['WUfB - Pilot ring']['all_users']) == (1, False)
    rows = list(csv.DictReader(io.StringIO((out / 'wufb-profiles.csv').read_text())))
    assert [(r['displayName'], r['included_groups'], r['excluded_groups']) for r in rows] == [
        ('WUfB - Broad', '0', '1'), ('WUfB - Pilot ring', '1', '0')]
    html = (out / 'update-report.html').read_text()
    assert 'id="wufb-profiles"' in html and 'WUfB - Broad' in html and 'All devices' in html
    assert '2 WUfB profiles' in run.output


def test_profiles_read_back_through_the_filter_declare_again_without_a_write(ansible, graph):
    setup = ansible(role(wufb_profiles_profiles=DECLARED + [{
        'display_name': 'WUfB - Scheduled', 'installation_schedule': {'scheduled_install_day': 'tuesday', 'scheduled_install_time': '03:00'},
        'applicability_rule_os_edition': {'os_edition_types': ['windows10Enterprise'], 'rule_type': 'include'},
        'quality_updates_paused': True, 'schedule_restart_warning_in_hours': 4, 'all_users': True}]))
    assert setup.rc == 0, setup.output
    graph.clear_requests()
    run = ansible([
        {'name': 'read', 'graphops.intune.windows_update_for_business_configuration_info': {'include_assignments': True},
         'register': 'read'},
        {'name': 'declare what was read', 'ansible.builtin.include_role': {'name': 'graphops.intune.wufb_profiles'},
         'vars': {'wufb_profiles_profiles': "{{ read.configurations | map('graphops.intune.wufb_profile_options') | list }}",
                  'wufb_profiles_purge': True}},
    ])
    assert run.rc == 0, run.output
    assert not [r for r in run.results if r['status'] == 'changed'], [r['task'] for r in run.results if r['status'] == 'changed']
    assert not writes(graph.requests())
    declared = [r for r in run.results if r['task'].endswith('Declare the profiles and their assignments')][-1]
    assert len(declared['result']['results']) == 3  # the seeded profile (declared above too) and the two new ones
