# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles update_rings, device_update_states and update_report through real ansible-playbook runs
against the emulator, asserting on the task results and on the emulator's request log."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re

import jinja2
import yaml
from jinja2 import nodes

from conftest import DEMO_SECRET, DEVICE1, EMPTY_POLICY, POLICY, REPO, RING0, SEED, WUFB_CONFIG, writes

GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
DEVICE2 = 'd1e2f3a4-0000-4000-8000-000000000002'
NEW_DEVICE = 'd1e2f3a4-0000-4000-8000-0000000000aa'
EXAMPLE_DEVICE = 'Device Id value'  # the seeded example state's deviceId
RINGS = '/beta/admin/windows/updates/policies/%s/rings' % POLICY
REPORT_FILES = {'update-report.html', 'update-report.json', 'rings.csv', 'device-update-states.csv',
                'configuration-states.csv', 'os-images.csv', 'approvals.csv', 'wufb-profiles.csv'}


def role(name, **variables):
    """A task list that runs graphops.intune.NAME with these role variables (argument specs included)."""
    return [{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.' + name},
             'vars': variables}]


def graph_log(graph):
    """Every Graph request, top level and inside $batch (no token or discovery request)."""
    return [e for e in graph.requests() if e['kind'] == 'graph']


def task(run, name):
    """The result of a role's task, by its name without the role prefix."""
    found = [r for r in run.results if r['task'] == name or r['task'].endswith(' : ' + name)]
    assert found, 'no result for task %r in %s\n%s' % (name, [r['task'] for r in run.results], run.output)
    return found[-1]


def changed_tasks(run):
    return [r['task'] for r in run.results if r['status'] == 'changed']


def rings_of(graph, policy=POLICY):
    for item in graph.state()['windowsUpdates']['policies']:
        if item['id'] == policy:
            return {ring['displayName']: ring for ring in item.get('rings') or []}
    raise AssertionError('no policy %s' % policy)


def states_of(graph, config=WUFB_CONFIG):
    for item in graph.state()['deviceManagement']['deviceConfigurations']:
        if item['id'] == config:
            return {state['deviceId']: state for state in item.get('deviceUpdateStates') or []}
    raise AssertionError('no configuration %s' % config)


def group_ids(ring, key):
    return sorted(a['groupId'] for a in (ring.get(key) or {}).get('assignments') or [])


# -- update_rings ------------------------------------------------------------------------

DECLARED = [{'policy_id': POLICY, 'rings': [
    {'display_name': 'Ring0 - IT devices', 'deferral_in_days': 2, 'included_group_ids': [GROUP_A]},
    {'display_name': 'Ring1 - Pilot', 'description': 'Pilot devices', 'deferral_in_days': 7, 'is_paused': False,
     'is_hotpatch_enabled': False, 'included_group_ids': [GROUP_B], 'excluded_group_ids': [GROUP_A]}]}]


def test_update_rings_creates_and_updates_then_second_run_sends_no_write(ansible, graph):
    first = ansible(role('update_rings', update_rings_policies=DECLARED))
    assert first.rc == 0, first.output
    assert task(first, 'Declare the rings')['status'] == 'changed'
    log = graph_log(graph)
    assert [(e['method'], e['path']) for e in writes(log)] == [('PATCH', '%s/%s' % (RINGS, RING0)), ('POST', RINGS)]
    patch = writes(log)[0]['body']
    # Only what differs from the seeded Ring0 (deferral 5, no groups) is sent.
    assert set(patch) == {'@odata.type', 'deferralInDays', 'includedGroupAssignment'} and patch['deferralInDays'] == 2
    rings = rings_of(graph)
    assert set(rings) == {'Ring0 - IT devices', 'Ring1 - Pilot'}
    assert rings['Ring1 - Pilot']['deferralInDays'] == 7 and rings['Ring1 - Pilot']['isHotpatchEnabled'] is False
    assert group_ids(rings['Ring1 - Pilot'], 'includedGroupAssignment') == [GROUP_B]
    assert group_ids(rings['Ring1 - Pilot'], 'excludedGroupAssignment') == [GROUP_A]
    # Options left out are not managed: Ring0 keeps its description and hotpatch setting.
    assert rings['Ring0 - IT devices']['isHotpatchEnabled'] is True
    assert rings['Ring0 - IT devices']['description'].startswith('First deployment ring')

    graph.clear_requests()
    second = ansible(role('update_rings', update_rings_policies=DECLARED))
    assert second.rc == 0, second.output
    assert changed_tasks(second) == []
    assert not writes(graph.requests())
    # Without purge or the switch, the policy's rings are not listed: each ring task reads its own.
    assert task(second, 'Read the current rings of each policy')['status'] == 'skipped'


def test_update_rings_check_mode_reports_changes_and_writes_nothing(ansible, graph):
    run = ansible(role('update_rings', update_rings_policies=DECLARED, update_rings_purge=True), check=True, diff=True)
    assert run.rc == 0, run.output
    assert task(run, 'Declare the rings')['status'] == 'changed'
    assert not writes(graph.requests())
    assert set(rings_of(graph)) == {'Ring0 - IT devices'}


def test_update_rings_purge_deletes_only_undeclared_rings_of_listed_policies(ansible, graph):
    setup = ansible([{'name': 'ring in the other policy', 'graphops.intune.windows_update_ring': {
        'policy_id': EMPTY_POLICY, 'display_name': 'Fabrikam Ring', 'deferral_in_days': 1}}])
    assert setup.rc == 0, setup.output
    policies = [{'policy_id': POLICY, 'rings': [{'display_name': 'Ring1 - Pilot', 'deferral_in_days': 3}]}]

    # `-e update_rings_purge=false` gives the string 'false': it must not purge.
    kept = ansible(role('update_rings', update_rings_policies=policies), extra_args=['-e', 'update_rings_purge=false'])
    assert kept.rc == 0, kept.output
    assert set(rings_of(graph)) == {'Ring0 - IT devices', 'Ring1 - Pilot'}

    graph.clear_requests()
    purged = ansible(role('update_rings', update_rings_policies=policies, update_rings_purge=True))
    assert purged.rc == 0, purged.output
    assert [(e['method'], e['path']) for e in writes(graph.requests())] == [('DELETE', '%s/%s' % (RINGS, RING0))]
    assert set(rings_of(graph)) == {'Ring1 - Pilot'}
    assert set(rings_of(graph, EMPTY_POLICY)) == {'Fabrikam Ring'}  # a policy that is not listed is never touched
    assert not [e for e in graph.requests() if EMPTY_POLICY in e.get('path', '')]

    graph.clear_requests()
    again = ansible(role('update_rings', update_rings_policies=policies, update_rings_purge=True))
    assert again.rc == 0 and changed_tasks(again) == [], again.output
    assert not writes(graph.requests())

    # rings: [] with purge empties the policy.
    emptied = ansible(role('update_rings', update_rings_policies=[{'policy_id': POLICY, 'rings': []}], update_rings_purge=True))
    assert emptied.rc == 0, emptied.output
    assert rings_of(graph) == {}


def test_update_rings_pause_all_then_resume_then_switch_off(ansible, graph):
    # Ring1 is declared running; the seeded Ring0 is not declared at all.
    policies = [{'policy_id': POLICY, 'rings': [{'display_name': 'Ring1 - Pilot', 'deferral_in_days': 3, 'is_paused': False}]}]
    created = ansible(role('update_rings', update_rings_policies=policies))
    assert created.rc == 0, created.output
    assert {name: ring['isPaused'] for name, ring in rings_of(graph).items()} == {'Ring0 - IT devices': False, 'Ring1 - Pilot': False}

    graph.clear_requests()
    paused = ansible(role('update_rings', update_rings_policies=policies, update_rings_pause_all=True))
    assert paused.rc == 0, paused.output
    patches = writes(graph.requests())
    assert sorted(e['path'].rsplit('/', 1)[-1] for e in patches) == sorted([RING0, rings_of(graph)['Ring1 - Pilot']['id']])
    assert all(e['method'] == 'PATCH' and e['body']['isPaused'] is True and set(e['body']) == {'@odata.type', 'isPaused'}
               for e in patches)
    assert all(ring['isPaused'] for ring in rings_of(graph).values())

    graph.clear_requests()
    paused_again = ansible(role('update_rings', update_rings_policies=policies, update_rings_pause_all=True))
    assert paused_again.rc == 0 and changed_tasks(paused_again) == [], paused_again.output
    assert not writes(graph.requests())

    resumed = ansible(role('update_rings', update_rings_policies=policies), extra_args=['-e', 'update_rings_pause_all=false'])
    assert resumed.rc == 0, resumed.output
    assert not any(ring['isPaused'] for ring in rings_of(graph).values())

    # Switch off (null): the declared is_paused (false) holds, nothing to change.
    graph.clear_requests()
    off = ansible(role('update_rings', update_rings_policies=policies, update_rings_pause_all=None))
    assert off.rc == 0 and changed_tasks(off) == [], off.output
    assert not writes(graph.requests())


def test_update_rings_credentials_from_the_auth_variable(ansible, graph):
    # No secret in the environment: the role's update_rings_auth reaches every module through module_defaults.
    env = {'AZURE_CLIENT_SECRET': None}
    without = ansible(role('update_rings', update_rings_policies=DECLARED), env=env)
    assert without.rc != 0
    assert not graph_log(graph)
    run = ansible(role('update_rings', update_rings_policies=DECLARED, update_rings_auth={'client_secret': DEMO_SECRET}),
                  env=env, verbosity=3)
    assert run.rc == 0, run.output
    assert set(rings_of(graph)) == {'Ring0 - IT devices', 'Ring1 - Pilot'}
    assert DEMO_SECRET not in run.output


def test_update_rings_bad_input_fails_before_any_request(ansible, graph):
    bad_type = ansible(role('update_rings', update_rings_policies=[
        {'policy_id': POLICY, 'rings': [{'display_name': 'Ring1', 'deferral_in_days': 'one week'}]}]))
    assert bad_type.rc != 0
    assert 'deferral_in_days' in bad_type.output and 'unable to convert to int' in bad_type.output
    unknown = ansible(role('update_rings', update_rings_policies=[
        {'policy_id': POLICY, 'rings': [{'display_name': 'Ring1', 'deferal_in_days': 3}]}]))
    assert unknown.rc != 0 and 'deferal_in_days' in unknown.output
    twice = ansible(role('update_rings', update_rings_policies=[
        {'policy_id': POLICY, 'rings': [{'display_name': 'Ring1'}, {'display_name': 'Ring1', 'deferral_in_days': 3}]}]))
    assert twice.rc != 0 and '%s: Ring1' % POLICY in twice.output
    missing = ansible(role('update_rings'))
    assert missing.rc != 0 and 'update_rings_policies' in missing.output
    bad_auth = ansible(role('update_rings', update_rings_policies=DECLARED, update_rings_auth={'cloud': 'mars'}))
    assert bad_auth.rc != 0 and 'mars' in bad_auth.output
    assert graph.requests() == []  # not even a token request


# -- device_update_states ----------------------------------------------------------------

def test_device_update_states_from_a_list_in_one_batch_then_no_write(ansible, graph):
    items = [
        {'device_configuration_id': WUFB_CONFIG, 'device_id': DEVICE1, 'status': 'PendingReboot',
         'quality_update_version': '10.0.22631.3447'},
        {'device_id': NEW_DEVICE, 'device_display_name': 'PC-00AA', 'status': 'failed',
         'last_scan_date_time': '2024-04-10T08:12:44+02:00'},
        {'device_id': EXAMPLE_DEVICE, 'state': 'absent'},
    ]
    first = ansible(role('device_update_states', device_update_states_items=items,
                         device_update_states_device_configuration_id=WUFB_CONFIG))
    assert first.rc == 0, first.output
    result = task(first, 'Reconcile the device update states of each configuration')
    assert result['status'] == 'changed'
    (config_result,) = result['result']['results']  # the loop's results: one per configuration
    assert (config_result['created'], config_result['updated'], config_result['deleted']) == (1, 1, 1)
    log = graph_log(graph)
    top = [(e['method'], e['path'].rsplit('/', 1)[-1]) for e in log if not e['in_batch']]
    # one read, one batch for three writes, one read to verify the create
    assert top == [('GET', 'deviceUpdateStates'), ('POST', '$batch'), ('GET', 'deviceUpdateStates')]
    assert sorted(e['method'] for e in log if e['in_batch']) == ['DELETE', 'PATCH', 'POST']
    states = states_of(graph)
    assert set(states) == {DEVICE1, NEW_DEVICE}
    assert states[DEVICE1]['status'] == 'pendingReboot' and states[DEVICE1]['qualityUpdateVersion'] == '10.0.22631.3447'
    assert states[NEW_DEVICE]['deviceDisplayName'] == 'PC-00AA'

    graph.clear_requests()
    second = ansible(role('device_update_states', device_update_states_items=items,
                          device_update_states_device_configuration_id=WUFB_CONFIG))
    assert second.rc == 0 and changed_tasks(second) == [], second.output
    assert not writes(graph.requests())


CSV_TEXT = (
    '\ufeffdevice_configuration_id, device_id ,status,quality_update_version,device_display_name\r\n'
    '%s,%s,upToDate,10.0.22631.3447,\r\n'
    '%s,%s,pendingReboot,,"PC-0002, Alex"\r\n'
    '\r\n' % (WUFB_CONFIG, DEVICE1, WUFB_CONFIG, DEVICE2))


def test_device_update_states_from_csv_with_purge(ansible, graph, tmp_path):
    path = tmp_path / 'states.csv'
    path.write_text(CSV_TEXT, encoding='utf-8')
    first = ansible(role('device_update_states', device_update_states_file=str(path), device_update_states_purge=True))
    assert first.rc == 0, first.output
    log = graph_log(graph)
    assert [e['method'] for e in log if not e['in_batch']] == ['GET', 'POST', 'GET']  # the last GET verifies the create
    assert sorted(e['method'] for e in log if e['in_batch']) == ['DELETE', 'PATCH', 'POST']
    states = states_of(graph)
    assert set(states) == {DEVICE1, DEVICE2}  # the seeded example state is purged
    assert states[DEVICE1]['status'] == 'upToDate'
    assert states[DEVICE1]['deviceDisplayName'] == 'PC-0001'  # empty cell: option unset, value kept
    assert states[DEVICE2]['deviceDisplayName'] == 'PC-0002, Alex' and states[DEVICE2]['status'] == 'pendingReboot'

    graph.clear_requests()
    second = ansible(role('device_update_states', device_update_states_file=str(path), device_update_states_purge=True))
    assert second.rc == 0 and changed_tasks(second) == [], second.output
    assert not writes(graph.requests())


def test_device_update_states_from_yaml_file_and_items_together(ansible, graph, tmp_path):
    path = tmp_path / 'states.yml'
    path.write_text(yaml.safe_dump({'device_update_states_items': [{'device_id': DEVICE2, 'status': 'failed'}]}))
    run = ansible(role('device_update_states', device_update_states_file=str(path),
                       device_update_states_items=[{'device_id': DEVICE1, 'status': 'failed'}],
                       device_update_states_device_configuration_id=WUFB_CONFIG))
    assert run.rc == 0, run.output
    states = states_of(graph)
    assert states[DEVICE1]['status'] == 'failed' and states[DEVICE2]['status'] == 'failed'
    assert EXAMPLE_DEVICE in states  # no purge


def test_device_update_states_json_lines_file_goes_to_the_module_as_a_file(ansible, graph, tmp_path):
    path = tmp_path / 'states.jsonl'
    path.write_text('{"device_id": "%s", "status": "failed"}\n  \n{"device_configuration_id": "%s", "device_id": "%s", '
                    '"status": "failed"}\n' % (DEVICE1, WUFB_CONFIG, DEVICE2))
    # The newest ansible-core returns the invocation only when INJECT_INVOCATION is on (its default is off).
    run = ansible(role('device_update_states', device_update_states_file=str(path),
                       device_update_states_device_configuration_id=WUFB_CONFIG), env={'ANSIBLE_INJECT_INVOCATION': 'true'})
    assert run.rc == 0, run.output
    (config_result,) = task(run, 'Reconcile the device update states of each configuration')['result']['results']
    args = config_result['invocation']['module_args']
    assert args['states'] == [] and args['states_file'] == str(path) and args['states_file_format'] == 'jsonl'
    assert [(r['device_id'], r['action']) for r in config_result['item_results']] == [(DEVICE1, 'updated'), (DEVICE2, 'created')]
    states = states_of(graph)
    assert states[DEVICE1]['status'] == 'failed' and states[DEVICE2]['status'] == 'failed'

    graph.clear_requests()
    unassigned = ansible(role('device_update_states', device_update_states_file=str(path)))
    assert unassigned.rc != 0 and 'has rows without device_configuration_id' in unassigned.output
    assert graph_log(graph) == []


def test_device_update_states_bad_input_fails_before_any_request(ansible, graph, tmp_path):
    typo = tmp_path / 'typo.csv'
    typo.write_text('device_id,staus\n%s,failed\n' % DEVICE1)
    bad_column = ansible(role('device_update_states', device_update_states_file=str(typo),
                              device_update_states_device_configuration_id=WUFB_CONFIG))
    # CSV goes to the module as a file: its own check names the file and the line.
    assert bad_column.rc != 0 and 'typo.csv line 2: unsupported parameters: staus' in bad_column.output

    no_configuration = ansible(role('device_update_states', device_update_states_items=[{'device_id': DEVICE1, 'status': 'failed'}]))
    assert no_configuration.rc != 0 and 'no device_configuration_id' in no_configuration.output

    no_device = ansible(role('device_update_states', device_update_states_items=[{'status': 'failed'}],
                             device_update_states_device_configuration_id=WUFB_CONFIG))
    assert no_device.rc != 0 and 'device_id' in no_device.output

    unknown_format = tmp_path / 'states.txt'
    unknown_format.write_text('device_id\n%s\n' % DEVICE1)
    bad_format = ansible(role('device_update_states', device_update_states_file=str(unknown_format),
                              device_update_states_device_configuration_id=WUFB_CONFIG))
    assert bad_format.rc != 0 and 'cannot tell its format' in bad_format.output

    nothing = ansible(role('device_update_states'))
    assert nothing.rc != 0 and 'Nothing to reconcile' in nothing.output

    # A bad status is caught by the module's own validation of every item, still before any Graph request.
    bad_status = ansible(role('device_update_states', device_update_states_device_configuration_id=WUFB_CONFIG,
                              device_update_states_items=[{'device_id': DEVICE1, 'status': 'rebooting'}]))
    assert bad_status.rc != 0 and 'rebooting' in bad_status.output
    assert graph_log(graph) == []


# -- update_report -----------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>'


def hostile_seed():
    with open(SEED) as handle:
        seed = yaml.safe_load(handle)
    seed = copy.deepcopy(seed)
    ring = seed['windowsUpdates']['policies'][0]['rings'][0]
    ring['displayName'] = 'Ring0 ' + HOSTILE
    ring['isPaused'] = True
    states = seed['deviceManagement']['deviceConfigurations'][0]['deviceUpdateStates']
    states[1]['deviceDisplayName'] = '"><img src=x onerror=alert(1)>'
    states[1]['status'] = 'failed'
    policy = seed['windowsUpdates']['policies'][0]
    policy['description'] = '<b>bold</b> ' + HOSTILE
    policy['approvals'].append({'id': '6a1b2c3d-0000-4000-8000-0000000a0002', 'status': 'suspended',
                                'catalogEntryId': 'c1dec151-0000-4000-8000-000000202403',
                                'createdDateTime': '2024-03-13T08:00:00Z', 'lastModifiedDateTime': '2024-03-20T08:00:00Z'})
    return seed


def test_update_report_writes_html_json_csv_and_only_reads(ansible, graph, tmp_path):
    graph.reset(hostile_seed())
    out = tmp_path / 'out' / 'report'
    run = ansible(role('update_report', update_report_dir=str(out), update_report_policy_ids=[POLICY, EMPTY_POLICY],
                       update_report_device_configuration_ids=[WUFB_CONFIG],
                       update_report_managed_device_ids=[DEVICE1, DEVICE2], update_report_file_mode='0640'))
    assert run.rc == 0, run.output
    assert set(os.listdir(out)) == REPORT_FILES
    assert os.stat(out).st_mode & 0o777 == 0o750  # created, with the search bits of the file mode
    assert {os.stat(out / name).st_mode & 0o777 for name in REPORT_FILES} == {0o640}
    log = graph_log(graph)
    assert log and {e['method'] for e in log} == {'GET'}
    assert not writes(graph.requests())

    data = json.loads((out / 'update-report.json').read_text())
    summary = data['summary']
    assert summary['policies'] == 2 and summary['rings'] == 1 and summary['paused_rings'] == 1
    assert summary['update_states'] == 2
    assert summary['update_status_counts'] == {'upToDate': 0, 'pendingInstallation': 1, 'pendingReboot': 0, 'failed': 1}
    assert summary['attention'] == 1 and data['attention'][0]['deviceId'] == DEVICE1
    assert summary['configuration_states'] == 2 and summary['configuration_state_counts']['error'] == 1
    assert summary['os_images'] == 3 and summary['editions_ended'] + summary['editions_ending_soon'] <= 8
    assert [p['displayName'] for p in data['policies']] == ['Quality updates - Contoso', 'Quality updates - Fabrikam']
    assert summary['approvals'] == 2 and summary['suspended_approvals'] == 1
    assert [a['status'] for a in data['policies'][0]['approvals']] == ['suspended', 'approved']  # newest first
    assert data['policies'][0]['approvalRules'][0]['classification'] == 'security' and data['policies'][1]['approvals'] == []
    approvals = list(csv.DictReader(io.StringIO((out / 'approvals.csv').read_text())))
    assert [(r['policy_id'], r['catalogEntryId'], r['status']) for r in approvals] == [
        (POLICY, 'c1dec151-0000-4000-8000-000000202403', 'suspended'), (POLICY, 'c1dec151-0000-4000-8000-000000202402', 'approved')]
    assert data['device_configurations'][0]['displayName'] == 'WUfB - Pilot ring'
    assert [d['deviceName'] for d in data['managed_devices']] == ['PC-0001', 'PC-0002']

    rings = list(csv.DictReader(io.StringIO((out / 'rings.csv').read_text())))
    assert [(r['policy_id'], r['displayName'], r['isPaused']) for r in rings] == [(POLICY, 'Ring0 ' + HOSTILE, 'true')]
    states = list(csv.DictReader(io.StringIO((out / 'device-update-states.csv').read_text())))
    assert sorted(r['status'] for r in states) == ['failed', 'pendingInstallation']
    images = list(csv.DictReader(io.StringIO((out / 'os-images.csv').read_text())))
    assert len(images) == 8 and {r['os_image_id'] for r in images} == {'Windows 11 22H1', 'Windows 11 23H2', 'Windows 10 22H2'}

    html = (out / 'update-report.html').read_text()
    assert html.startswith('<!DOCTYPE html>') and '</html>' in html
    assert '<script' not in html and '<img' not in html  # values are escaped, and the page has no script
    assert '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in html
    assert '&#34;&gt;&lt;img src=x onerror=alert(1)&gt;' in html
    assert 'http://' not in html and 'https://' not in html and '<link' not in html  # self-contained
    assert 'Quality updates - Fabrikam' in html and 'This policy has no ring.' in html
    assert 'This policy has no approval.' in html and 'c1dec151-0000-4000-8000-000000202403' in html
    assert '&lt;b&gt;bold&lt;/b&gt;' in html and '<b>bold</b>' not in html
    assert 'Suspended' in html and re.search(r'security\s+monthly, 0 d', html)
    assert 'Windows 10 22H2' in html and 'Remediation failed' in html


def test_update_report_check_mode_writes_no_file(ansible, graph, tmp_path):
    out = tmp_path / 'report'
    run = ansible(role('update_report', update_report_dir=str(out), update_report_policy_ids=[POLICY]), check=True)
    assert run.rc == 0, run.output
    assert not out.exists()
    assert {e['method'] for e in graph_log(graph)} == {'GET'}


def test_update_report_keeps_an_existing_directory_mode(ansible, graph, tmp_path):
    out = tmp_path / 'shared'
    out.mkdir()
    out.chmod(0o1777)  # say /tmp: the role must not chmod a directory it did not create
    run = ansible(role('update_report', update_report_dir=str(out), update_report_os_images=False, update_report_wufb_profiles=False))
    assert run.rc == 0, run.output
    assert os.stat(out).st_mode & 0o7777 == 0o1777
    assert set(os.listdir(out)) == REPORT_FILES
    assert graph_log(graph) == []  # nothing listed, no OS images: nothing to read


def test_report_template_escapes_every_value():
    """Ansible's templating does not autoescape: each {{ }} must end with `| e` or call a macro of the file."""
    path = os.path.join(REPO, 'roles', 'update_report', 'templates', 'update_report.html.j2')
    with open(path) as handle:
        tree = jinja2.Environment().parse(handle.read())
    macros = {macro.name for macro in tree.find_all(nodes.Macro)}
    assert {'badge', 'when', 'text'} <= macros
    unescaped = []
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            if isinstance(node, nodes.Filter) and node.name in ('e', 'escape'):
                continue
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in macros:
                continue
            unescaped.append('line %d' % node.lineno)
    assert unescaped == []


# -- update_rings: the policy, its approval rules and approvals in the same variable -------------------------------------

SECURITY_2024_04 = 'c1dec151-0000-4000-8000-000000202404'
SECURITY_2024_03 = 'c1dec151-0000-4000-8000-000000202403'
WHOLE_POLICY = [{
    'display_name': 'QU - Contoso pipeline', 'description': 'Declared with its rings',
    'approval_rules': [{'classification': 'security', 'cadence': 'monthly', 'deferral_in_days': 3}],
    'approvals': [{'catalog_entry_id': SECURITY_2024_04}, {'catalog_entry_id': SECURITY_2024_03, 'status': 'suspended'}],
    'rings': [{'display_name': 'Ring0 - Canary', 'deferral_in_days': 0},
              {'display_name': 'Ring1 - Broad', 'deferral_in_days': 5, 'included_group_ids': [GROUP_A]}]}]


def policy_named(graph, name):
    found = [p for p in graph.state()['windowsUpdates']['policies'] if p['displayName'] == name]
    assert len(found) <= 1
    return found[0] if found else None


def test_update_rings_declares_the_policy_its_approvals_and_rings_in_one_variable(ansible, graph):
    checked = ansible(role('update_rings', update_rings_policies=WHOLE_POLICY, update_rings_purge=True), check=True)
    assert checked.rc == 0, checked.output
    assert task(checked, 'Declare the policies that declare their own settings')['status'] == 'changed'
    assert not writes(graph.requests()) and policy_named(graph, 'QU - Contoso pipeline') is None

    first = ansible(role('update_rings', update_rings_policies=WHOLE_POLICY, update_rings_purge=True))
    assert first.rc == 0, first.output
    policy = policy_named(graph, 'QU - Contoso pipeline')
    assert policy['description'] == 'Declared with its rings'
    assert [(r['classification'], r['cadence'], r['deferralInDays']) for r in policy['approvalRules']] == [('security', 'monthly', 3)]
    assert {r['displayName']: r['deferralInDays'] for r in policy['rings']} == {'Ring0 - Canary': 0, 'Ring1 - Broad': 5}
    approvals = {a['catalogEntryId']: a['status'] for a in policy['approvals']}
    assert approvals == {SECURITY_2024_04: 'approved', SECURITY_2024_03: 'suspended'}
    assert [e['method'] for e in writes(graph.requests())] == ['POST'] * 5  # policy, 2 rings, 2 approvals

    graph.clear_requests()
    second = ansible(role('update_rings', update_rings_policies=WHOLE_POLICY, update_rings_purge=True))
    assert second.rc == 0 and changed_tasks(second) == [], second.output
    assert not writes(graph.requests())
    # By name with the policy's ID known, and a policy given by ID alone is not read for itself.
    graph.clear_requests()
    by_id = [dict(WHOLE_POLICY[0], policy_id=policy['id'], approvals=[{'catalog_entry_id': SECURITY_2024_04.upper()}]),
             {'policy_id': POLICY, 'rings': []}]
    third = ansible(role('update_rings', update_rings_policies=by_id))
    assert third.rc == 0 and changed_tasks(third) == [], third.output
    assert not writes(graph.requests())
    assert not [e for e in graph.requests() if e.get('path') == '/beta/admin/windows/updates/policies/' + POLICY]


def test_update_rings_policy_declarations_are_checked_before_any_request(ansible, graph):
    cases = {
        'no identity': [{'rings': []}],
        'listed twice by name': [{'display_name': 'P', 'approval_rules': []}, {'display_name': 'P'}],
        'approval twice': [{'policy_id': POLICY, 'approvals': [{'catalog_entry_id': 'a'}, {'catalog_entry_id': 'A'}]}],
        'bad classification': [{'display_name': 'P', 'approval_rules': [
            {'classification': 'critical', 'cadence': 'monthly', 'deferral_in_days': 1}]}],
        'bad status': [{'policy_id': POLICY, 'approvals': [{'catalog_entry_id': 'a', 'status': 'paused'}]}],
    }
    for name, policies in cases.items():
        run = ansible(role('update_rings', update_rings_policies=policies))
        assert run.rc != 0, name
        assert graph.requests() == [], name


def test_device_update_states_progress_file_per_configuration(ansible, graph, tmp_path):
    """device_update_states_progress_dir: one progress file per configuration, whose path the role prints first."""
    progress = tmp_path / 'progress'
    progress.mkdir()
    run = ansible(role('device_update_states', device_update_states_progress_dir=str(progress), device_update_states_max_rate=50,
                       device_update_states_items=[{'device_id': DEVICE1, 'status': 'failed'}, {'device_id': DEVICE2, 'status': 'failed'}],
                       device_update_states_device_configuration_id=WUFB_CONFIG), env={'ANSIBLE_INJECT_INVOCATION': 'true'})
    assert run.rc == 0, run.output
    path = progress / ('%s.progress.jsonl' % WUFB_CONFIG)
    (said,) = task(run, "Say where each configuration's progress is written")['result']['results']
    assert str(path) in said['msg'] and 'tail -f' in said['msg']
    (config_result,) = task(run, 'Reconcile the device update states of each configuration')['result']['results']
    assert config_result['invocation']['module_args']['max_rate'] == 50
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line['event'] for line in lines] == ['start', 'writing', 'done'] and lines[-1]['done'] == 2


def test_update_report_shows_feature_profiles_per_version_and_expedite_profiles(ansible, graph, tmp_path):
    setup = ansible([
        {'name': 'feature', 'graphops.intune.windows_feature_update_profile': {
            'display_name': '24H2 - Pilot', 'feature_update_version': 'Windows 11, version 24H2',
            'included_group_ids': ['0b1c2d3e-0000-4000-8000-00000000a001']}},
        {'name': 'ended', 'graphops.intune.windows_feature_update_profile': {
            'display_name': '22H2 - Old', 'feature_update_version': 'Windows 11, version 22H2'}},
        {'name': 'expedite', 'graphops.intune.windows_quality_update_profile': {
            'display_name': 'Expedite <b>now</b>', 'quality_update_release': 'latest_security', 'days_until_forced_reboot': 1,
            'excluded_group_ids': ['0b1c2d3e-0000-4000-8000-00000000b001']}},
    ])
    assert setup.rc == 0, setup.output
    out = tmp_path / 'report'
    graph.clear_requests()
    run = ansible(role('update_report', update_report_dir=str(out), update_report_os_images=False))
    assert run.rc == 0, run.output
    assert {e['method'] for e in graph_log(graph)} == {'GET'}
    data = json.loads((out / 'update-report.json').read_text())
    versions = dict((v['featureUpdateVersion'], v) for v in data['feature_update_versions'])
    assert versions['Windows 11, version 22H2']['support'] == 'ended'
    assert versions['Windows 11, version 24H2']['profiles'] == ['24H2 - Pilot'] and versions['Windows 11, version 24H2']['included_groups'] == 1
    [expedite] = data['expedite_profiles']
    assert expedite['qualityUpdateRelease'].startswith('2024-04-09') and expedite['daysUntilForcedReboot'] == 1
    assert (expedite['included_groups'], expedite['excluded_groups']) == (0, 1)
    assert data['summary']['feature_profiles'] == 2 and data['summary']['feature_versions_ended'] == 1
    assert data['summary']['expedite_profiles'] == 1
    html = (out / 'update-report.html').read_text()
    assert 'Feature update profiles' in html and 'Windows 11, version 24H2' in html and 'Expedite profiles' in html
    assert 'Expedite &lt;b&gt;now&lt;/b&gt;' in html and 'April 9, 2024' in html


def test_included_report_templates_escape_every_value():
    """The templates update_report.html.j2 includes follow its rule, with its macros (badge, when, text)."""
    templates = os.path.join(REPO, 'roles', 'update_report', 'templates')
    with open(os.path.join(templates, 'update_report.html.j2')) as handle:
        main = jinja2.Environment().parse(handle.read())
    macros = {macro.name for macro in main.find_all(nodes.Macro)}
    included = [node.template.value for node in main.find_all(nodes.Include)]
    assert 'update_profiles.html.j2' in included
    unescaped = []
    for name in included:
        with open(os.path.join(templates, name)) as handle:
            tree = jinja2.Environment().parse(handle.read())
        for output in tree.find_all(nodes.Output):
            for node in output.nodes:
                if isinstance(node, nodes.TemplateData):
                    continue
                if isinstance(node, nodes.Filter) and node.name in ('e', 'escape'):
                    continue
                if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in macros:
                    continue
                unescaped.append('%s line %d' % (name, node.lineno))
    assert unescaped == []


# -- update_report: every property the report reads may be missing -------------------------------------------------------
# Graph leaves out properties it has no value for (and a hostile or older service may leave out any). Each entity kind
# the report reads, complete, then once per property without that property: the report must render every variant.

GUID = '7e57da7a-0000-4000-8000-%012d'
FULL = {
    'policy': {'id': None, 'displayName': 'Policy', 'description': 'A policy',
               'approvalRules': [{'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule',
                                  'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 3}]},
    'approval_rule': {'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule', 'classification': 'security',
                      'cadence': 'monthly', 'deferralInDays': 3},
    'approval': {'id': None, 'catalogEntryId': 'c1dec151-0000-4000-8000-000000202404', 'status': 'suspended',
                 'createdDateTime': '2026-11-12T08:00:00Z', 'lastModifiedDateTime': '2026-11-13T08:00:00Z'},
    'ring': {'id': None, 'displayName': 'Ring', 'description': 'A ring', 'deferralInDays': 5, 'isPaused': True,
             'isHotpatchEnabled': False, 'createdDateTime': '2026-11-01T08:00:00Z', 'lastModifiedDateTime': '2026-11-02T08:00:00Z',
             'includedGroupAssignment': {'@odata.type': '#microsoft.graph.windowsUpdates.includedGroupAssignment',
                                         'assignments': [{'groupId': GROUP_A}]},
             'excludedGroupAssignment': {'@odata.type': '#microsoft.graph.windowsUpdates.excludedGroupAssignment',
                                         'assignments': [{'groupId': GROUP_B}]}},
    'group_assignment': {'@odata.type': '#microsoft.graph.windowsUpdates.includedGroupAssignment', 'assignments': [{'groupId': GROUP_A}]},
    'group': {'groupId': GROUP_A},
    'configuration': {'id': None, 'displayName': 'WUfB - a configuration'},
    'update_state': {'id': None, 'deviceId': DEVICE1, 'deviceDisplayName': 'PC-1', 'userId': 'e5f6a7b8-0000-4000-8000-000000000001',
                     'userPrincipalName': 'adele@contoso.example', 'status': 'failed', 'qualityUpdateVersion': '10.0.26100.2314',
                     'featureUpdateVersion': '10.0.26100.1742', 'lastScanDateTime': '2026-11-20T06:10:14.0000000Z',
                     'lastSyncDateTime': '2026-11-20T06:12:41.0000000Z'},
    'managed_device': {'id': None, 'deviceName': 'PC-1', 'userPrincipalName': 'adele@contoso.example', 'osVersion': '10.0.26100.2314'},
    'configuration_state': {'id': None, 'displayName': 'Baseline', 'state': 'error', 'platformType': 'windows10AndLater', 'version': 7,
                            'settingCount': 2, 'userPrincipalName': 'adele@contoso.example',
                            'settingStates': [{'setting': 'passwordRequired', 'settingName': 'Password required', 'state': 'error',
                                               'errorDescription': 'Remediation failed'}]},
    'setting_state': {'setting': 'passwordRequired', 'settingName': 'Password required', 'state': 'nonCompliant',
                      'errorDescription': 'Remediation failed'},
    'os_image': {'id': None, 'supportedArchitectures': ['x64', 'arM64'],
                 'supportedEditions': [{'editionType': 'enterprise', 'supportEndDate': '2027-10-12'}],
                 'availableUpdates': [{'buildVersion': '10.0.26100.2314', 'releaseMonth': 11, 'releaseYear': 2026}]},
    'edition': {'editionType': 'enterprise', 'supportEndDate': '2025-10-14'},
    'available_update': {'buildVersion': '10.0.26100.2161', 'releaseMonth': 10, 'releaseYear': 2026},
    'wufb_profile': {'@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration', 'id': None, 'displayName': 'WUfB',
                     'qualityUpdatesDeferralPeriodInDays': 3, 'featureUpdatesDeferralPeriodInDays': 30, 'qualityUpdatesPaused': True,
                     'featureUpdatesPaused': False, 'deadlineForQualityUpdatesInDays': 3, 'deadlineForFeatureUpdatesInDays': 7,
                     'deadlineGracePeriodInDays': 2, 'automaticUpdateMode': 'autoInstallAtMaintenanceTime',
                     'lastModifiedDateTime': '2026-11-03T16:45:00Z',
                     'assignments': [{'id': 'a1', 'target': {'@odata.type': '#microsoft.graph.groupAssignmentTarget', 'groupId': GROUP_A}},
                                     {'id': 'a2', 'target': {'@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
                                                             'groupId': GROUP_B}}]},
    'wufb_assignment': {'id': 'a3', 'target': {'@odata.type': '#microsoft.graph.allDevicesAssignmentTarget'}},
    'assignment_target': {'@odata.type': '#microsoft.graph.groupAssignmentTarget', 'groupId': GROUP_A},
}
# The role's own list of the properties it reads, per kind (vars/main.yml): the table above must hold each of them.
ROLE_KINDS = {'ring': 'ring', 'update_state': 'update_state', 'configuration_state': 'configuration_state', 'os_image': 'os_image',
              'available_update': 'available_update', 'approval': 'approval', 'wufb_profile': 'wufb_profile',
              'setting_state': 'setting_state', 'edition': 'edition'}


def variants(kind):
    """(label, entity) pairs: KIND complete, then without each of its properties, one at a time."""
    count = [0]

    def fresh(entity):
        count[0] += 1
        entity = copy.deepcopy(entity)
        if 'id' in entity:
            entity['id'] = GUID % (len(kind) * 1000 + count[0])
        return entity
    out = [('%s complete' % kind, fresh(FULL[kind]))]
    for name in FULL[kind]:
        entity = fresh(FULL[kind])
        entity.pop(name)
        out.append(('%s without %s' % (kind, name), entity))
    return out


def without_each(kind):
    """KIND's variants, without their labels."""
    return [pair[1] for pair in variants(kind)]


def report_reads():
    """The registered results of the role's reads, holding every variant of every kind (the role's reads are skipped)."""
    def read(item, entity, status=200):
        return {'item': item, 'status': status, 'response': entity}
    policies, names, approvals, rings = [], [], [], []

    def policy(entity, approval_list, ring_list, status=200):
        policy_id = entity.get('id') or GUID % (900000 + len(policies))
        policies.append(policy_id)
        names.append(read(policy_id, entity, status))
        approvals.append({'item': policy_id, 'approvals': approval_list})
        rings.append({'item': policy_id, 'rings': ring_list})
    for entity in without_each('policy'):
        policy(entity, [copy.deepcopy(FULL['approval'])], [copy.deepcopy(FULL['ring'])])
    policy({}, [], [], status=403)
    rule_policy = copy.deepcopy(FULL['policy'])
    rule_policy['approvalRules'] = without_each('approval_rule')
    policy(rule_policy, without_each('approval'), without_each('ring'))
    assignment_rings = []
    for assignment in without_each('group_assignment') + [
            dict(FULL['group_assignment'], assignments=[group]) for group in without_each('group')]:
        ring = copy.deepcopy(FULL['ring'])
        ring['includedGroupAssignment'] = assignment
        ring['excludedGroupAssignment'] = assignment
        assignment_rings.append(ring)
    policy(copy.deepcopy(FULL['policy']), [], assignment_rings)

    configurations, configuration_names, update_states = [], [], []
    for entity in without_each('configuration'):
        configuration_id = GUID % (800000 + len(configurations))
        configurations.append(configuration_id)
        configuration_names.append(read(configuration_id, entity))
        update_states.append({'item': configuration_id, 'update_states': without_each('update_state')})
    configuration_names.append(read(GUID % 800999, {}, 403))
    update_states.append({'item': GUID % 800999, 'update_states': []})

    devices, device_names, configuration_states = [], [], []
    setting_states = []
    for setting in without_each('setting_state'):
        state = copy.deepcopy(FULL['configuration_state'])
        state['settingStates'] = [setting]
        setting_states.append(state)
    for entity in without_each('managed_device'):
        device_id = GUID % (700000 + len(devices))
        devices.append(device_id)
        device_names.append(read(device_id, entity))
        configuration_states.append({'item': device_id, 'configuration_states': without_each('configuration_state') + setting_states})
    device_names.append(read(GUID % 700999, {}, 403))
    configuration_states.append({'item': GUID % 700999, 'configuration_states': []})

    images = without_each('os_image')
    for edition in without_each('edition'):
        images.append(dict(copy.deepcopy(FULL['os_image']), id='edition %d' % len(images), supportedEditions=[edition]))
    for update in without_each('available_update'):
        images.append(dict(copy.deepcopy(FULL['os_image']), id='update %d' % len(images), availableUpdates=[update]))

    profiles = without_each('wufb_profile')
    targets = [{'id': 'a4', 'target': target} for target in without_each('assignment_target')]
    for assignment in without_each('wufb_assignment') + targets:
        profiles.append(dict(copy.deepcopy(FULL['wufb_profile']), id=GUID % (600000 + len(profiles)), assignments=[assignment]))

    return {
        'update_report_policy_reads': {'results': names}, 'update_report_approval_reads': {'results': approvals},
        'update_report_ring_reads': {'results': rings},
        'update_report_configuration_reads': {'results': configuration_names},
        'update_report_update_state_reads': {'results': update_states},
        'update_report_device_reads': {'results': device_names},
        'update_report_configuration_state_reads': {'results': configuration_states},
        'update_report_os_image_read': {'os_images': images}, 'update_report_wufb_read': {'configurations': profiles},
    }, {'policies': policies, 'configurations': configurations, 'devices': devices, 'images': images, 'profiles': profiles}


def test_report_property_table_covers_what_the_role_reads():
    with open(os.path.join(REPO, 'roles', 'update_report', 'vars', 'main.yml')) as handle:
        role_vars = yaml.safe_load(handle)
    assert set(role_vars['update_report_entity_properties']) == set(ROLE_KINDS)  # every kind is completed before use
    for kind, names in role_vars['update_report_entity_properties'].items():
        assert set(names) <= set(FULL[ROLE_KINDS[kind]]), (kind, sorted(set(names) - set(FULL[ROLE_KINDS[kind]])))
    [wufb] = [table for table in role_vars['update_report_tables'] if table['name'] == 'wufb-profiles.csv']
    own = {'assignments', 'included_groups', 'excluded_groups', 'all_devices', 'all_users'}
    assert set(wufb['columns']) - own <= set(FULL['wufb_profile'])
    # The template reads each of these.
    with open(os.path.join(REPO, 'roles', 'update_report', 'templates', 'update_report.html.j2')) as handle:
        template = handle.read()
    for name in FULL['wufb_profile']:
        if name not in ('@odata.type', 'assignments', 'automaticUpdateMode'):
            assert 'profile.' + name in template, name


def test_update_report_renders_with_any_property_missing(ansible, graph, tmp_path):
    """One run: every kind's variants (complete, then each property left out once), given as the results of the
    role's reads (extra vars win over the role's skipped reads); the page, the JSON and the CSV files are written."""
    reads, ids = report_reads()
    extra = tmp_path / 'reads.json'
    extra.write_text(json.dumps(reads))
    out = tmp_path / 'report'
    run = ansible(role('update_report', update_report_dir=str(out), update_report_os_images=False, update_report_wufb_profiles=False),
                  extra_args=['-e', '@' + str(extra)])
    assert run.rc == 0, run.output
    assert graph_log(graph) == []  # every read came from the table
    data = json.loads((out / 'update-report.json').read_text())
    assert [p['id'] for p in data['policies']] == ids['policies']
    assert [c['id'] for c in data['device_configurations']] == ids['configurations'] + [GUID % 800999]
    assert [d['id'] for d in data['managed_devices']] == ids['devices'] + [GUID % 700999]
    assert len(data['os_images']) == len(ids['images']) and len(data['wufb_profiles']) == len(ids['profiles'])
    html = (out / 'update-report.html').read_text()
    assert html.rstrip().endswith('</html>')
    for entity_id in ids['policies'] + ids['configurations'] + ids['devices'] + [p['id'] for p in ids['profiles'] if p.get('id')]:
        assert entity_id in html, entity_id
    tables = {name: list(csv.DictReader(io.StringIO((out / name).read_text()))) for name in REPORT_FILES if name.endswith('.csv')}
    assert len(tables['wufb-profiles.csv']) == len(ids['profiles'])
    assert len(tables['rings.csv']) == sum(len(r['rings']) for r in reads['update_report_ring_reads']['results'])
    assert len(tables['configuration-states.csv']) == data['summary']['configuration_states']
    assert len(tables['device-update-states.csv']) == data['summary']['update_states']
    assert len(tables['approvals.csv']) == data['summary']['approvals']
    # A profile with deadlines shows them; without, a dash.
    assert re.search(r'3 d / 7 d / 2 d', html), 'deadlines not shown'
