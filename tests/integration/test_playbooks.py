# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbooks of playbooks/ (pause_all_rings, resume_all_rings, export, report) through real
ansible-playbook runs against the emulator, asserting on the results and on the emulator's log."""

from __future__ import annotations

import csv
import io
import json
import os

import yaml

from conftest import DEVICE1, EMPTY_POLICY, POLICY, REPO, RING0, SEED, WUFB_CONFIG, writes

PLAYBOOKS = os.path.join(REPO, 'playbooks')
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
DEVICE2 = 'd1e2f3a4-0000-4000-8000-000000000002'


def playbook(name):
    return os.path.join(PLAYBOOKS, name)


def extra(**variables):
    """ansible-playbook arguments setting these extra variables (as JSON, so types are kept)."""
    return ['-e', json.dumps(variables)]


def changed(run):
    return [r['task'] for r in run.results if r['status'] == 'changed']


def ring_pause_states(graph):
    return {ring['displayName']: ring['isPaused']
            for policy in graph.state()['windowsUpdates']['policies'] for ring in policy.get('rings') or []}


def test_pause_all_rings_then_resume_all_rings(ansible, graph):
    setup = ansible([{'name': 'a second ring, in the other policy', 'graphops.intune.windows_update_ring': {
        'policy_id': EMPTY_POLICY, 'display_name': 'Fabrikam Ring', 'deferral_in_days': 3}}])
    assert setup.rc == 0, setup.output
    graph.clear_requests()

    # A comma-separated string, as a survey or `-e policy_ids=a,b` gives it.
    paused = ansible(playbook('pause_all_rings.yml'), extra_args=['-e', 'policy_ids=%s,%s' % (POLICY, EMPTY_POLICY)])
    assert paused.rc == 0, paused.output
    assert ring_pause_states(graph) == {'Ring0 - IT devices': True, 'Fabrikam Ring': True}
    sent = writes(graph.requests())
    assert len(sent) == 2 and all(e['method'] == 'PATCH' and set(e['body']) == {'@odata.type', 'isPaused'} for e in sent)
    assert any(e['path'].endswith('/rings/' + RING0) for e in sent)
    # Each playbook ends with a summary line, as the other playbooks do.
    assert paused.last['task'] == 'Show what was paused'
    assert shown(paused, 'Show what was paused') == '2 of 2 rings paused in 2 policies; 0 already were.'

    graph.clear_requests()
    again = ansible(playbook('pause_all_rings.yml'), extra_args=extra(policy_ids=[POLICY, EMPTY_POLICY]))
    assert again.rc == 0 and changed(again) == [], again.output
    assert not writes(graph.requests())
    assert shown(again, 'Show what was paused') == '0 of 2 rings paused in 2 policies; 2 already were.'

    # Resume one policy only: the other stays paused.
    check = ansible(playbook('resume_all_rings.yml'), extra_args=extra(policy_ids=[POLICY]), check=True)
    assert shown(check, 'Show what was resumed') == '1 of 1 ring would be resumed in 1 policy; 0 already were.'
    resumed = ansible(playbook('resume_all_rings.yml'), extra_args=extra(policy_ids=[POLICY]))
    assert resumed.rc == 0, resumed.output
    assert ring_pause_states(graph) == {'Ring0 - IT devices': False, 'Fabrikam Ring': True}
    assert resumed.last['task'] == 'Show what was resumed'
    assert shown(resumed, 'Show what was resumed') == '1 of 1 ring resumed in 1 policy; 0 already were.'


def test_pause_all_rings_without_policy_ids_fails_before_any_request(ansible, graph):
    run = ansible(playbook('pause_all_rings.yml'))
    assert run.rc != 0 and 'policy_ids' in run.output
    run = ansible(playbook('resume_all_rings.yml'), extra_args=['-e', 'policy_ids='])
    assert run.rc != 0 and 'policy_ids' in run.output
    assert graph.requests() == []


SEEDED_APPROVAL_ENTRY = 'c1dec151-0000-4000-8000-000000202402'
SECURITY_2024_04 = 'c1dec151-0000-4000-8000-000000202404'


def exported_message(run):
    return [r['result']['msg'] for r in run.results if r['task'] == 'Show what was exported'][0]


def test_export_then_apply_changes_nothing(ansible, graph, tmp_path):
    # A tenant with more than the seed: group assignments, a paused ring, a ring without description.
    setup = ansible([
        {'name': 'pilot', 'graphops.intune.windows_update_ring': {
            'policy_id': POLICY, 'display_name': 'Ring1 - Pilot', 'description': 'Pilot: "quoted", #not a comment',
            'deferral_in_days': 7, 'is_paused': True, 'is_hotpatch_enabled': False,
            'included_group_ids': [GROUP_A, GROUP_B], 'excluded_group_ids': [GROUP_A]}},
        {'name': 'fabrikam', 'graphops.intune.windows_update_ring': {
            'policy_id': EMPTY_POLICY, 'display_name': 'Broad', 'deferral_in_days': 0}},
        {'name': 'state', 'graphops.intune.device_update_state': {
            'device_configuration_id': WUFB_CONFIG, 'device_id': DEVICE2, 'status': 'failed',
            'last_sync_date_time': '2024-04-10T08:00:00.1234567-07:00'}},
        {'name': 'profile', 'graphops.intune.windows_update_for_business_configuration': {
            'device_configuration_id': WUFB_CONFIG, 'included_group_ids': [GROUP_A], 'all_devices': True,
            'installation_schedule': {'active_hours_start': '08:00', 'active_hours_end': '17:30'}}},
    ])
    assert setup.rc == 0, setup.output
    graph.clear_requests()

    exported = tmp_path / 'tenant.yml'
    states_csv = tmp_path / 'states.csv'
    run = ansible(playbook('export.yml'), extra_args=extra(export_file=str(exported), export_states_csv=str(states_csv)))
    assert run.rc == 0, run.output
    assert {e['method'] for e in graph.requests() if e['kind'] == 'graph'} == {'GET'}
    data = yaml.safe_load(exported.read_text())
    assert set(data) == {'update_rings_policies', 'device_update_states_items', 'wufb_profiles_profiles', 'update_profiles_driver'}
    # The header names the role of every variable the file holds.
    header = ' '.join(line for line in exported.read_text().splitlines() if line.startswith('#'))
    for name in data:
        assert 'graphops.intune.' + name.rsplit('_', 1)[0] in header, (name, header)
    [profile] = data['wufb_profiles_profiles']
    assert profile['display_name'] == 'WUfB - Pilot ring' and profile['quality_updates_deferral_period_in_days'] == 5
    assert (profile['included_group_ids'], profile['excluded_group_ids'], profile['all_devices'], profile['all_users']) == (
        [GROUP_A], [], True, False)
    assert profile['installation_schedule'] == {'active_hours_start': '08:00:00.0000000', 'active_hours_end': '17:30:00.0000000'}
    assert exported_message(run) == ('%s: 2 policies, 1 approval, 3 rings, 3 device update states, 1 WUfB profile, '
                                     '1 driver update profile. Apply it with: '
                                     'ansible-playbook graphops.intune.apply -e @%s' % (exported, exported))
    contoso = [p for p in data['update_rings_policies'] if p['policy_id'] == POLICY][0]
    assert {k: v for k, v in contoso.items() if k != 'rings'} == {
        'policy_id': POLICY, 'display_name': 'Quality updates - Contoso',
        'description': 'Hotpatch-enabled quality update rings for Contoso devices.',
        'approval_rules': [{'classification': 'security', 'cadence': 'monthly', 'deferral_in_days': 0}],
        'approvals': [{'catalog_entry_id': SEEDED_APPROVAL_ENTRY, 'status': 'approved'}]}
    policies = {p['policy_id']: p['rings'] for p in data['update_rings_policies']}
    assert set(policies) == {POLICY, EMPTY_POLICY}  # discovered: every policy of the tenant
    pilot = [r for r in policies[POLICY] if r['display_name'] == 'Ring1 - Pilot'][0]
    assert pilot == {'display_name': 'Ring1 - Pilot', 'description': 'Pilot: "quoted", #not a comment', 'deferral_in_days': 7,
                     'is_paused': True, 'is_hotpatch_enabled': False, 'included_group_ids': [GROUP_A, GROUP_B],
                     'excluded_group_ids': [GROUP_A]}
    assert policies[EMPTY_POLICY] == [{'display_name': 'Broad', 'deferral_in_days': 0, 'is_paused': False,
                                       'is_hotpatch_enabled': False, 'included_group_ids': [], 'excluded_group_ids': []}]
    items = data['device_update_states_items']
    assert {i['device_configuration_id'] for i in items} == {WUFB_CONFIG}  # only the WUfB configuration is discovered
    assert len(items) == 3 and all(isinstance(i.get('last_sync_date_time', ''), str) for i in items)
    rows = list(csv.DictReader(io.StringIO(states_csv.read_text())))
    assert [r['device_id'] for r in rows] == [i['device_id'] for i in items]

    play = playbook('apply.yml')
    graph.clear_requests()
    applied = ansible(str(play), extra_args=['-e', '@' + str(exported), '-e',
                                             '{"update_rings_purge": true, "device_update_states_purge": true, "wufb_profiles_purge": true}'])
    assert applied.rc == 0, applied.output
    assert changed(applied) == []
    assert not writes(graph.requests())
    # Only reads: the policies by ID, each approval's list, each ring, the purge lists, the states.
    assert {e['method'] for e in graph.requests() if e['kind'] == 'graph'} == {'GET'}

    # The same file through apply_file, in check mode with an approval suspended in the meantime.
    direct = ansible([{'name': 'suspend', 'graphops.intune.windows_update_policy_approval': {
        'policy_id': POLICY, 'catalog_entry_id': SEEDED_APPROVAL_ENTRY, 'status': 'suspended'}}])
    assert direct.rc == 0, direct.output
    graph.clear_requests()
    checked = ansible(str(play), extra_args=extra(apply_file=str(exported)), check=True, diff=True)
    assert checked.rc == 0, checked.output
    assert [name.split(' : ')[-1] for name in changed(checked)] == ['Declare the approvals'], checked.output
    assert not writes(graph.requests())
    assert '-    "status": "suspended"' in checked.stdout and '+    "status": "approved"' in checked.stdout

    # The CSV of the states applies unchanged too.
    graph.clear_requests()
    applied = ansible(str(play), extra_args=extra(update_rings_policies=[], device_update_states_file=str(states_csv),
                                                  device_update_states_purge=True))
    assert applied.rc == 0 and changed(applied) == [], applied.output
    assert not writes(graph.requests())

    # And an apply does change what differs from the export.
    setup = ansible([{'name': 'drift', 'graphops.intune.windows_update_ring': {
        'policy_id': POLICY, 'display_name': 'Ring1 - Pilot', 'deferral_in_days': 9, 'is_paused': False}}])
    assert setup.rc == 0, setup.output
    graph.clear_requests()
    applied = ansible(str(play), extra_args=['-e', '@' + str(exported)])
    assert applied.rc == 0, applied.output
    patches = writes(graph.requests())
    assert [(e['method'], e['body'].get('deferralInDays'), e['body'].get('isPaused')) for e in patches][0] == ('PATCH', 7, True)
    # ... and the approval suspended since the export is approved again.
    assert [(e['method'], e['body']) for e in patches[1:]] == [('PATCH', {'status': 'approved'})]


def test_export_then_apply_driver_profiles_changes_nothing(ansible, graph, tmp_path):
    setup = ansible([{'name': 'broad', 'graphops.intune.windows_driver_update_profile': {
        'display_name': 'Drivers - Broad', 'approval_type': 'automatic', 'deployment_deferral_in_days': 7,
        'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B]}}])
    assert setup.rc == 0, setup.output
    exported = tmp_path / 'tenant.yml'
    run = ansible(playbook('export.yml'), extra_args=extra(export_file=str(exported), policy_ids='', device_configuration_ids=''))
    assert run.rc == 0, run.output
    drivers = yaml.safe_load(exported.read_text())['update_profiles_driver']
    assert drivers == [
        {'display_name': 'Drivers - Broad', 'approval_type': 'automatic', 'deployment_deferral_in_days': 7, 'role_scope_tag_ids': ['0'],
         'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B]},
        {'display_name': 'Drivers - manual approval', 'description': 'Drivers and firmware approved by hand for the pilot ring',
         'approval_type': 'manual', 'deployment_deferral_in_days': 0, 'role_scope_tag_ids': ['0'],
         'included_group_ids': ['0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'], 'excluded_group_ids': []}]
    # The driver part of the export alone (the other parts of this tenant are empty, which their roles refuse).
    exported = tmp_path / 'drivers.yml'
    exported.write_text(yaml.safe_dump({'update_profiles_driver': drivers}))
    graph.clear_requests()
    applied = ansible(playbook('apply.yml'), extra_args=['-e', '@' + str(exported)])
    assert applied.rc == 0 and changed(applied) == [], applied.output
    assert not writes(graph.requests())
    # drift is put back
    assert ansible([{'name': 'drift', 'graphops.intune.windows_driver_update_profile': {
        'display_name': 'Drivers - Broad', 'deployment_deferral_in_days': 1, 'excluded_group_ids': []}}]).rc == 0
    graph.clear_requests()
    applied = ansible(playbook('apply.yml'), extra_args=['-e', '@' + str(exported)])
    assert applied.rc == 0, applied.output
    assert [(e['method'], e['path'].rsplit('/', 1)[-1] == 'assign') for e in writes(graph.requests())] == [('PATCH', False), ('POST', True)]


def test_export_counts_in_words_and_apply_needs_an_export(ansible, graph, tmp_path):
    exported = tmp_path / 'one.yml'
    run = ansible(playbook('export.yml'), extra_args=extra(export_file=str(exported), policy_ids=POLICY,
                                                           device_configuration_ids=''))
    assert run.rc == 0, run.output
    assert exported_message(run).startswith('%s: 1 policy, 1 approval, 1 ring, 0 device update states, 0 WUfB profiles, ' % exported)
    graph.clear_requests()
    nothing = ansible(playbook('apply.yml'))
    assert nothing.rc != 0 and 'Nothing to apply' in nothing.output
    assert graph.requests() == []


def test_approve_drivers_approves_those_that_waited_in_review(ansible, graph):
    net = 'd7e1a0c5-0000-4000-8000-00000000d002'  # tests/emulator/seed.yml: released 2026-07-21, needs review
    args = dict(profile_name='Drivers - manual approval', driver_class='net', waited_days=30)
    check = ansible(playbook('approve_drivers.yml'), extra_args=extra(**args), check=True)
    assert check.rc == 0 and changed(check) == ['Approve the drivers that waited in review'], check.output
    shown = [r['result']['msg'] for r in check.results if r['task'] == 'Show what was approved'][0]
    assert shown.startswith('1 driver released before ') and 'would be approved: Realtek USB GbE Family Controller' in shown
    assert not writes(graph.requests())
    run = ansible(playbook('approve_drivers.yml'), extra_args=extra(**args))
    assert run.rc == 0 and changed(run) == ['Approve the drivers that waited in review'], run.output
    [action] = writes(graph.requests())
    assert action['path'].endswith('/executeAction') and action['body'] == {'actionName': 'approve', 'driverIds': [net]}
    graph.clear_requests()
    again = ansible(playbook('approve_drivers.yml'), extra_args=extra(**args))
    assert again.rc == 0 and changed(again) == [] and not writes(graph.requests()), again.output
    # The display driver was released after the cut-off of 1000 days: it waits.
    young = ansible(playbook('approve_drivers.yml'),
                    extra_args=extra(profile_name='Drivers - manual approval', manufacturer='Intel Corporation', waited_days=1000))
    assert young.rc == 0 and changed(young) == [] and not writes(graph.requests()), young.output
    missing = ansible(playbook('approve_drivers.yml'), extra_args=extra(profile_name='Drivers - manual approval'))
    assert missing.rc != 0 and '-e driver_class=<class>' in missing.output


def test_report_playbook_counts_the_drivers_of_each_driver_profile(ansible, graph, tmp_path):
    out = tmp_path / 'report'
    run = ansible(playbook('report.yml'), extra_args=extra(update_report_dir=str(out), policy_ids='', device_configuration_ids=''))
    assert run.rc == 0, run.output
    assert {e['method'] for e in graph.requests() if e['kind'] == 'graph'} == {'GET'}
    data = json.loads((out / 'update-report.json').read_text())
    [profile] = data['driver_profiles']
    assert (profile['displayName'], profile['approvalType'], profile['newUpdates'], profile['drivers']) == ('Drivers - manual approval', 'manual', 2, 3)
    assert profile['counts'] == {'needsReview': 2, 'approved': 1, 'declined': 0, 'suspended': 0}
    assert data['summary']['driver_profiles'] == 1 and data['summary']['drivers_needing_review'] == 2
    rows = list(csv.DictReader(io.StringIO((out / 'driver-profiles.csv').read_text())))
    assert [(r['displayName'], r['needsReview'], r['approved'], r['inventorySyncState']) for r in rows] == [
        ('Drivers - manual approval', '2', '1', 'success')]
    html = (out / 'driver-profiles.html').read_text()
    assert html.startswith('<!DOCTYPE html>') and 'Needs review 2' in html and '<script' not in html


def test_report_playbook_discovers_policies_and_configurations(ansible, graph, tmp_path):
    out = tmp_path / 'report'
    run = ansible(playbook('report.yml'), extra_args=extra(update_report_dir=str(out), managed_device_ids=DEVICE2,
                                                           update_report_title='Contoso updates'))
    assert run.rc == 0, run.output
    log = [e for e in graph.requests() if e['kind'] == 'graph']
    assert {e['method'] for e in log} == {'GET'}
    data = json.loads((out / 'update-report.json').read_text())
    assert data['title'] == 'Contoso updates'
    assert [p['id'] for p in data['policies']] == [POLICY, EMPTY_POLICY]
    assert [c['id'] for c in data['device_configurations']] == [WUFB_CONFIG]
    assert [d['id'] for d in data['managed_devices']] == [DEVICE2]
    html = (out / 'update-report.html').read_text()
    assert '<title>Contoso updates</title>' in html and 'PC-0002' in html


def approvals_of(graph, policy):
    for item in graph.state()['windowsUpdates']['policies']:
        if item['id'] == policy:
            return {a['catalogEntryId']: a['status'] for a in item.get('approvals') or []}
    raise AssertionError(policy)


def shown(run, name):
    return [r['result']['msg'] for r in run.results if r['task'] == name][0]


def test_approve_latest_check_mode_then_approve_then_suspend(ansible, graph):
    ids = '%s,%s' % (POLICY, EMPTY_POLICY)
    checked = ansible(playbook('approve_latest.yml'), extra_args=['-e', 'policy_ids=' + ids], check=True)
    assert checked.rc == 0, checked.output
    assert not writes(graph.requests())
    assert shown(checked, 'Show what was approved') == (
        '2024-04 Cumulative Update for Windows 11 (%s, released 2024-04-09T00:00:00.0000000Z): would be approved on '
        '2 policies, already approved on 0.' % SECURITY_2024_04)

    approved = ansible(playbook('approve_latest.yml'), extra_args=['-e', 'policy_ids=' + ids])
    assert approved.rc == 0, approved.output
    assert [(e['method'], e['body']) for e in writes(graph.requests())] == [
        ('POST', {'@odata.type': '#microsoft.graph.windowsUpdates.policyApproval', 'catalogEntryId': SECURITY_2024_04,
                  'status': 'approved'})] * 2
    assert approvals_of(graph, EMPTY_POLICY) == {SECURITY_2024_04: 'approved'}

    graph.clear_requests()
    again = ansible(playbook('approve_latest.yml'), extra_args=extra(policy_ids=[POLICY]))
    assert again.rc == 0 and changed(again) == [], again.output
    assert not writes(graph.requests())
    assert shown(again, 'Show what was approved').endswith('approved on 0 policies, already approved on 1.')

    graph.clear_requests()
    suspended = ansible(playbook('approve_latest.yml'), extra_args=extra(policy_ids=[POLICY], suspend=SEEDED_APPROVAL_ENTRY))
    assert suspended.rc == 0, suspended.output
    assert [(e['method'], e['body']) for e in writes(graph.requests())] == [('PATCH', {'status': 'suspended'})]
    assert approvals_of(graph, POLICY) == {SECURITY_2024_04: 'approved', SEEDED_APPROVAL_ENTRY: 'suspended'}
    assert shown(suspended, 'Show what was suspended') == '%s: suspended on 1 policy, already suspended on 0.' % SEEDED_APPROVAL_ENTRY
    assert not [e for e in graph.requests() if 'catalog' in e.get('path', '')]  # a suspension reads no catalog


def test_approve_latest_of_a_cadence_and_missing_policy_ids(ansible, graph):
    run = ansible(playbook('approve_latest.yml'), extra_args=extra(policy_ids=[EMPTY_POLICY], cadence='outOfBand'))
    assert run.rc == 0, run.output
    assert approvals_of(graph, EMPTY_POLICY) == {'c1dec151-0000-4000-8000-0000002403d0': 'approved'}
    graph.clear_requests()
    missing = ansible(playbook('approve_latest.yml'), extra_args=['-e', 'policy_ids='])
    assert missing.rc != 0 and 'policy_ids' in missing.output
    assert graph.requests() == []


def test_export_then_apply_the_update_profiles_changes_nothing(ansible, graph, tmp_path):
    setup = ansible([
        {'name': 'feature', 'graphops.intune.windows_feature_update_profile': {
            'display_name': '24H2 - Pilot', 'feature_update_version': 'Windows 11, version 24H2', 'rollout': {'offer_start': '2031-01-06'},
            'install_feature_updates_optional': True, 'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B]}},
        {'name': 'feature asap', 'graphops.intune.windows_feature_update_profile': {
            'display_name': '23H2 - Broad', 'feature_update_version': 'Windows 11, version 23H2', 'rollout': {}}},
        {'name': 'expedite', 'graphops.intune.windows_quality_update_profile': {
            'display_name': 'Expedite - Pilot', 'quality_update_release': 'latest_security', 'days_until_forced_reboot': 2,
            'included_group_ids': [GROUP_A]}},
        {'name': 'hotpatch', 'graphops.intune.windows_quality_update_policy': {
            'display_name': 'Hotpatch - Pilot', 'hotpatch_enabled': True, 'all_devices': True,
            'approval_settings': [{'cadence': 'monthly', 'category': 'security', 'approval_method': 'automatic',
                                   'deferred_deployment_in_days': 2}]}},
    ])
    assert setup.rc == 0, setup.output
    exported = tmp_path / 'tenant.yml'
    run = ansible(playbook('export.yml'), extra_args=extra(export_file=str(exported)))
    assert run.rc == 0, run.output
    assert '1 WUfB profile, 1 driver update profile, 2 feature update profiles, 1 expedite profile, 1 hotpatch policy. Apply' in \
        exported_message(run)
    data = yaml.safe_load(exported.read_text())
    pilot, broad = sorted(data['update_profiles_feature'], key=lambda p: p['display_name'] != '24H2 - Pilot')
    assert pilot == {'display_name': '24H2 - Pilot', 'feature_update_version': 'Windows 11, version 24H2',
                     'rollout': {'offer_start': pilot['rollout']['offer_start']}, 'install_feature_updates_optional': True,
                     'install_latest_windows10_on_windows11_ineligible_device': False, 'role_scope_tag_ids': ['0'],
                     'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B]}
    assert 'rollout' not in broad  # as soon as possible: Graph holds no date
    [expedite] = data['update_profiles_expedite']
    assert expedite['quality_update_release'].startswith('2024-04-09') and expedite['days_until_forced_reboot'] == 2
    [hotpatch] = data['update_profiles_hotpatch']
    assert hotpatch['hotpatch_enabled'] is True and hotpatch['all_devices'] is True

    graph.clear_requests()
    applied = ansible(playbook('apply.yml'), extra_args=['-e', '@' + str(exported), '-e', '{"update_profiles_purge": true}'])
    assert applied.rc == 0, applied.output
    assert changed(applied) == []
    assert not writes(graph.requests())


def expedite_message(run):
    return [r['result']['msg'] for r in run.results if r['task'] == 'Show what was expedited and to whom'][0]


def test_expedite_playbook_check_then_expedite_then_ok(ansible, graph):
    checked = ansible(playbook('expedite.yml'), extra_args=extra(group_ids='%s, %s' % (GROUP_A, GROUP_B), reboot_days=0), check=True)
    assert checked.rc == 0, checked.output
    assert not writes(graph.requests())
    message = expedite_message(checked)
    assert message.startswith('Expedite - latest security release: the release of 2024-04-09T00:00:00Z '
                              '(2024-04 Cumulative Update for Windows 11, the newest security release) would be expedited to 2 groups')
    assert GROUP_A in message and GROUP_B in message and 'restart forced 0 days after' in message

    run = ansible(playbook('expedite.yml'), extra_args=extra(group_ids=[GROUP_A], reboot_days=0))
    assert run.rc == 0 and 'expedited to 1 group (%s)' % GROUP_A in expedite_message(run), run.output
    [profile] = graph.state()['deviceManagement']['windowsQualityUpdateProfiles']
    assert profile['displayName'] == 'Expedite - latest security release'
    assert profile['expeditedUpdateSettings']['daysUntilForcedReboot'] == 0
    graph.clear_requests()
    again = ansible(playbook('expedite.yml'), extra_args=extra(group_ids=[GROUP_A], reboot_days=0))
    assert again.rc == 0 and 'is already expedited' in expedite_message(again), again.output
    assert not writes(graph.requests())

    given = ansible(playbook('expedite.yml'), extra_args=extra(group_ids=GROUP_B, release='2024-03-12'))
    assert given.rc == 0, given.output
    assert expedite_message(given).startswith('Expedite - 2024-03-12: the release of 2024-03-12T00:00:00')
    assert 'restart forced 1 day after' in expedite_message(given)


def test_expedite_playbook_needs_groups(ansible, graph):
    run = ansible(playbook('expedite.yml'))
    assert run.rc != 0 and 'Give the groups to expedite to' in run.output


def test_report_playbook_without_device_ids_shows_the_devices_with_configuration_states(ansible, graph, tmp_path):
    """No managed_device_ids: the devices with configuration states among the first managed_device_limit devices,
    and the page says how many were looked at and how to ask for others."""
    with open(SEED) as handle:
        seed = yaml.safe_load(handle)
    devices = seed['deviceManagement']['managedDevices']
    assert [d['id'] for d in devices][:2] == [DEVICE1, DEVICE2]
    devices[1]['deviceConfigurationStates'] = []
    graph.reset(seed)
    out = tmp_path / 'report'
    run = ansible(playbook('report.yml'), extra_args=extra(update_report_dir=str(out), device_configuration_ids=[], policy_ids=[],
                                                           update_report_os_images=False, update_report_wufb_profiles=False))
    assert run.rc == 0, run.output
    data = json.loads((out / 'update-report.json').read_text())
    assert [d['id'] for d in data['managed_devices']] == [DEVICE1]
    assert data['summary']['configuration_states'] == 1
    assert 'configuration states (1) among all 2 managed devices of the tenant' in data['managed_devices_note']
    assert '\n' not in data['managed_devices_note']
    html = (out / 'update-report.html').read_text()
    assert 'among all 2 managed devices' in html and 'managed_device_ids=&lt;id&gt;,&lt;id&gt;' in html
    log = [e for e in graph.requests() if e['kind'] == 'graph']
    assert {e['method'] for e in log} == {'GET'}
    assert sum('/managedDevices?' in e['path'] or e['path'].endswith('/managedDevices') for e in log) == 1

    # Bounded: only the first managed_device_limit devices are looked at, and the note says the tenant has more.
    graph.clear_requests()
    run = ansible(playbook('report.yml'), extra_args=extra(update_report_dir=str(out), device_configuration_ids=[], policy_ids=[],
                                                           update_report_os_images=False, update_report_wufb_profiles=False,
                                                           managed_device_limit=1))
    assert run.rc == 0, run.output
    data = json.loads((out / 'update-report.json').read_text())
    assert [d['id'] for d in data['managed_devices']] == [DEVICE1]
    assert 'among the first 1 managed devices of the tenant, which has more' in data['managed_devices_note']
    assert 'managed_device_limit=<n>' in data['managed_devices_note']
    states_reads = [e for e in graph.requests() if e['kind'] == 'graph' and e['path'].split('?')[0].endswith('/deviceConfigurationStates')]
    assert {e['path'].split('/managedDevices/')[1].split('/')[0] for e in states_reads} == {DEVICE1}

    # Given (even empty), the list is used as it is and no device is listed.
    graph.clear_requests()
    run = ansible(playbook('report.yml'), extra_args=extra(update_report_dir=str(out), device_configuration_ids=[], policy_ids=[],
                                                           update_report_os_images=False, update_report_wufb_profiles=False,
                                                           driver_profiles=False, managed_device_ids=''))
    assert run.rc == 0, run.output
    data = json.loads((out / 'update-report.json').read_text())
    assert data['managed_devices'] == [] and data['managed_devices_note'] == ''
    assert [e for e in graph.requests() if e['kind'] == 'graph'] == []


class _NotTheEmulator(object):
    """A plain HTTP server on loopback that answers every request with 200 and a JSON body (not the emulator's
    control API), and records the requests it gets."""

    def __enter__(self):
        import http.server
        import threading
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802  pylint: disable=invalid-name
                seen.append((self.command, self.path))
                body = b'{"status": "up", "value": []}'
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_POST = do_PATCH = do_DELETE = do_GET  # noqa: N815  pylint: disable=invalid-name

            def log_message(self, *args):  # pylint: disable=arguments-differ
                pass

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_demo_refuses_to_run_unless_graph_is_the_emulator(ansible, graph):
    """The demo writes "Demo" objects: against Microsoft Graph (no GRAPH_ENDPOINT), a remote endpoint or a loopback
    server that is not the emulator, it stops before any Graph request or token request."""
    for endpoint in (None, 'https://graph.microsoft.com', 'https://127.0.0.1.example.com'):
        run = ansible(playbook('demo.yml'), env={'GRAPH_ENDPOINT': endpoint})
        assert run.rc != 0, run.output
        assert 'runs against the project\'s emulator only' in run.output, run.output
        assert [r['status'] for r in run.results] == ['failed'], run.output
    with _NotTheEmulator() as stub:
        run = ansible(playbook('demo.yml'), env={'GRAPH_ENDPOINT': stub.url})
        assert run.rc != 0, run.output
        assert 'is not the project\'s emulator' in run.output, run.output
        assert stub.seen == [('GET', '/_emulator/health')]
    assert graph.requests() == []
