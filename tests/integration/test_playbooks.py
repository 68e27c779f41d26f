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

from conftest import EMPTY_POLICY, POLICY, REPO, RING0, WUFB_CONFIG, writes

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

    graph.clear_requests()
    again = ansible(playbook('pause_all_rings.yml'), extra_args=extra(policy_ids=[POLICY, EMPTY_POLICY]))
    assert again.rc == 0 and changed(again) == [], again.output
    assert not writes(graph.requests())

    # Resume one policy only: the other stays paused.
    resumed = ansible(playbook('resume_all_rings.yml'), extra_args=extra(policy_ids=[POLICY]))
    assert resumed.rc == 0, resumed.output
    assert ring_pause_states(graph) == {'Ring0 - IT devices': False, 'Fabrikam Ring': True}


def test_pause_all_rings_without_policy_ids_fails_before_any_request(ansible, graph):
    run = ansible(playbook('pause_all_rings.yml'))
    assert run.rc != 0 and 'policy_ids' in run.output
    run = ansible(playbook('resume_all_rings.yml'), extra_args=['-e', 'policy_ids='])
    assert run.rc != 0 and 'policy_ids' in run.output
    assert graph.requests() == []


APPLY = [{'name': 'apply an export', 'hosts': 'localhost', 'gather_facts': False,
          'roles': ['graphops.intune.update_rings', 'graphops.intune.device_update_states']}]


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
    ])
    assert setup.rc == 0, setup.output
    graph.clear_requests()

    exported = tmp_path / 'tenant.yml'
    states_csv = tmp_path / 'states.csv'
    run = ansible(playbook('export.yml'), extra_args=extra(export_file=str(exported), export_states_csv=str(states_csv)))
    assert run.rc == 0, run.output
    assert {e['method'] for e in graph.requests() if e['kind'] == 'graph'} == {'GET'}
    data = yaml.safe_load(exported.read_text())
    assert set(data) == {'update_rings_policies', 'device_update_states_items'}
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

    play = tmp_path / 'apply.yml'
    play.write_text(yaml.safe_dump(APPLY))
    graph.clear_requests()
    applied = ansible(str(play), extra_args=['-e', '@' + str(exported), '-e', '{"update_rings_purge": true, "device_update_states_purge": true}'])
    assert applied.rc == 0, applied.output
    assert changed(applied) == []
    assert not writes(graph.requests())

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
    assert [(e['method'], e['body'].get('deferralInDays'), e['body'].get('isPaused')) for e in patches] == [('PATCH', 7, True)]


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
