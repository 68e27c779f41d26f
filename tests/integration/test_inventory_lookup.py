# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory plugin graphops.intune.managed_devices and lookup graphops.intune.graph, run by
ansible-inventory / ansible-playbook against the emulator."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from conftest import BIN, SEED, DEMO_SECRET, DEVICE1, POLICY, READER_APP, READER_SECRET, RING0, WUFB_CONFIG, graph_calls

DEVICE2 = 'd1e2f3a4-0000-4000-8000-000000000002'


def seed():
    with open(SEED) as handle:
        return yaml.safe_load(handle)


def plain(value):
    """ansible-inventory --list marks untrusted strings (all of a plugin's) as {"__ansible_unsafe": s}."""
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return value['__ansible_unsafe']
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@pytest.fixture
def inventory(ansible, tmp_path):
    """inventory(config, *args, env=None) -> (rc, parsed stdout or text, stderr): ansible-inventory on a config file."""

    def run(config, *args, env=None, name='intune.managed_devices.yml'):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(dict({'plugin': 'graphops.intune.managed_devices'}, **config)))
        cmd = [os.path.join(BIN, 'ansible-inventory'), '-i', str(path)] + list(args or ['--list'])
        env = dict({'ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED': 'true'}, **(env or {}))
        proc = subprocess.run(cmd, env=ansible.env(env), capture_output=True, text=True, timeout=300, check=False)
        out = proc.stdout
        if '--list' in cmd and proc.returncode == 0:
            out = plain(json.loads(out))
        return proc.returncode, out, proc.stderr

    return run


def device_pages(graph):
    return graph_calls(graph.requests(), 'GET', '/deviceManagement/managedDevices')


def test_devices_become_hosts_with_vars(inventory, graph):
    rc, out, err = inventory({})
    assert rc == 0, err
    hostvars = out['_meta']['hostvars']
    assert sorted(hostvars) == ['PC-0001', 'PC-0002']
    pc1 = hostvars['PC-0001']
    assert pc1['intune_id'] == DEVICE1
    assert pc1['intune_os_version'] == '10.0.22631.3296'
    assert pc1['intune_compliance_state'] == 'compliant'
    assert pc1['intune_last_sync_date_time'] == '2024-03-13T06:15:02.0000000Z'
    assert pc1['intune_user_principal_name'] == 'AdeleV@contoso.onmicrosoft.com'
    assert pc1['intune_azure_ad_device_id'] == '8a7b6c5d-0000-4000-8000-0000000000a1'
    [call] = device_pages(graph)
    assert call['query']['$select'].split(',')[:3] == ['id', 'deviceName', 'enrolledDateTime']
    assert DEMO_SECRET not in out and DEMO_SECRET not in err


def test_filters_select_and_constructed(inventory, graph):
    rc, out, err = inventory({
        'filters': {'operatingSystem': 'Windows', 'complianceState': 'compliant'},
        'select': ['osVersion', 'complianceState', 'userPrincipalName'],
        'compose': {'build': "intune_os_version.split('.')[2]"},
        'groups': {'adele': "intune_user_principal_name.startswith('AdeleV')"},
        'keyed_groups': [{'key': 'intune_compliance_state', 'prefix': 'compliance'}],
    })
    assert rc == 0, err
    [call] = device_pages(graph)
    assert call['query']['$filter'] == "complianceState eq 'compliant' and operatingSystem eq 'Windows'"
    assert call['query']['$select'] == 'id,deviceName,enrolledDateTime,osVersion,complianceState,userPrincipalName'
    hosts = out['_meta']['hostvars']
    assert list(hosts) == ['PC-0001']
    assert hosts['PC-0001']['build'] == '22631'
    assert 'intune_model' not in hosts['PC-0001']
    assert out['adele']['hosts'] == ['PC-0001']
    assert out['compliance_compliant']['hosts'] == ['PC-0001']


def test_twelve_thousand_devices_over_pages(inventory, graph):
    graph.add_managed_devices(12000, operating_systems=['Windows', 'iOS'])
    graph.set_page_size(1000)
    rc, out, err = inventory({'filters': {'operatingSystem': 'Windows'}}, '--graph')
    assert rc == 0, err
    lines = [line.strip(' |-@:') for line in out.splitlines()]
    # 6,000 generated Windows devices + PC-0001/PC-0002.
    assert len([line for line in lines if line.startswith(('GEN-', 'PC-'))]) == 6002
    assert 'GEN-12000' in lines and 'GEN-00002' in lines and 'GEN-00001' not in lines
    pages = device_pages(graph)
    assert len(pages) == 7  # ceil(6002 / 1000)
    assert all('$skiptoken' in call['query'] for call in pages[1:])


def test_all_twelve_thousand_with_list_and_page_size(inventory, graph):
    graph.add_managed_devices(12000)
    graph.set_page_size(1000)  # Graph's own page size for managed devices; $top=1000 keeps it
    rc, out, err = inventory({'page_size': 1000, 'select': ['complianceState']})
    assert rc == 0, err
    assert len(out['_meta']['hostvars']) == 12002
    assert len(device_pages(graph)) == 13
    assert all(call['query']['$top'] == '1000' for call in device_pages(graph))


def test_duplicate_names_are_resolved_deterministically(inventory, graph):
    state = seed()
    devices = state['deviceManagement']['managedDevices']
    twin = dict(devices[0], id='d1e2f3a4-0000-4000-8000-0000000000ff', enrolledDateTime='2024-02-01T00:00:00Z',
                deviceName='pc-0001', deviceConfigurationStates=[])
    older = dict(devices[0], id='d1e2f3a4-0000-4000-8000-000000000000', enrolledDateTime='2022-02-01T00:00:00Z',
                 deviceConfigurationStates=[])
    devices.extend([twin, older])
    graph.reset(state)
    first = inventory({})
    graph.set_page_size(1)  # a different page layout must not change the names
    second = inventory({}, name='again.managed_devices.yml')
    assert first[0] == 0 and second[0] == 0, first[2] + second[2]
    names = sorted(first[1]['_meta']['hostvars'])
    assert names == sorted(second[1]['_meta']['hostvars'])
    # The twin enrolled last (2024-02) keeps the name; the others get their id appended.
    assert first[1]['_meta']['hostvars']['pc-0001']['intune_id'] == 'd1e2f3a4-0000-4000-8000-0000000000ff'
    assert 'PC-0001_' + DEVICE1 in names and 'PC-0001_d1e2f3a4-0000-4000-8000-000000000000' in names
    assert 'PC-0001' not in names


def test_update_status_from_wufb_configurations(inventory, graph):
    state = seed()
    for config in state['deviceManagement']['deviceConfigurations']:
        if config['id'] == WUFB_CONFIG:
            config['deviceUpdateStates'] = [
                {'id': '3d92af00-af00-3d92-00af-923d00af923d', 'deviceId': DEVICE1, 'status': 'pendingReboot',
                 'qualityUpdateVersion': '10.0.22631.3296'},
                # Written with the Entra device id of PC-0002: found through its azureADDeviceId.
                {'id': '7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f', 'deviceId': '8a7b6c5d-0000-4000-8000-0000000000a2',
                 'status': 'upToDate'}]
    graph.reset(state)
    rc, out, err = inventory({'update_configurations': [WUFB_CONFIG],
                              'keyed_groups': [{'key': 'intune_update_status', 'prefix': 'update'}]})
    assert rc == 0, err
    pc1 = out['_meta']['hostvars']['PC-0001']
    assert pc1['intune_update_status'] == 'pendingReboot'
    assert pc1['intune_update_states'][WUFB_CONFIG]['qualityUpdateVersion'] == '10.0.22631.3296'
    assert out['update_pendingReboot']['hosts'] == ['PC-0001']
    assert out['update_upToDate']['hosts'] == ['PC-0002']
    assert graph_calls(graph.requests(), 'GET', '/deviceUpdateStates')


def test_cache_serves_the_second_run(inventory, graph, tmp_path):
    config = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'inv-cache'),
              'cache_timeout': 600}
    assert inventory(config)[0] == 0
    assert len(device_pages(graph)) == 1
    graph.clear_requests()
    rc, out, err = inventory(config)
    assert rc == 0, err
    assert sorted(out['_meta']['hostvars']) == ['PC-0001', 'PC-0002']
    assert graph.requests() == []


def test_same_auth_options_and_failures_before_any_request(inventory, graph):
    # Options in the file win over the environment's credential, as in a task.
    rc, out, err = inventory({'client_id': READER_APP, 'client_secret': READER_SECRET})
    assert rc != 0
    assert 'HTTP 403 Forbidden' in err and 'DeviceManagementManagedDevices' in err
    assert READER_SECRET not in err and 'Traceback' not in err
    graph.clear_requests()
    rc, out, err = inventory({}, env={'GRAPH_ACCESS_TOKEN': 'also-a-token'})
    assert rc != 0 and 'ambiguous credentials' in err and 'also-a-token' not in err
    assert graph.requests() == []


def test_bad_file_name_is_not_this_plugin(inventory):
    rc, out, err = inventory({}, name='intune.yml')
    assert 'PC-0001' not in json.dumps(out)


def test_lookup_in_template_and_when(ansible, graph):
    run = ansible([
        {'name': 'devices', 'ansible.builtin.set_fact': {'names': "{{ query('graphops.intune.graph', 'deviceManagement/managedDevices', "
                                                                  "query={'filter': \"operatingSystem eq 'Windows'\", "
                                                                  "'select': ['deviceName']}) | map(attribute='deviceName') | sort }}"}},
        {'name': 'ring', 'ansible.builtin.debug': {'msg': 'ring is running'},
         'when': "not lookup('graphops.intune.graph', 'admin/windows/updates/policies/%s/rings/%s').isPaused" % (POLICY, RING0)},
        {'name': 'paused', 'ansible.builtin.debug': {'msg': 'never'},
         'when': "lookup('graphops.intune.graph', 'admin/windows/updates/policies/%s/rings/%s').isPaused" % (POLICY, RING0)},
        {'name': 'template', 'ansible.builtin.debug': {
            'msg': "{{ lookup('graphops.intune.graph', 'deviceManagement/managedDevices/%s').complianceState }}" % DEVICE1}},
    ])
    assert run.rc == 0, run.output
    assert run.task('devices')['result']['ansible_facts']['names'] == ['PC-0001', 'PC-0002']
    assert run.task('ring')['status'] == 'ok'
    assert run.task('paused')['status'] == 'skipped'
    assert run.task('template')['result']['msg'] == 'compliant'
    assert DEMO_SECRET not in run.output


def test_lookup_follows_pages_and_refuses_dot_segments(ansible, graph):
    graph.set_page_size(1)
    run = ansible([{'name': 'all', 'ansible.builtin.set_fact': {
        'count': "{{ query('graphops.intune.graph', 'deviceManagement/managedDevices') | length }}"}}])
    assert run.rc == 0, run.output
    assert int(run.task('all')['result']['ansible_facts']['count']) == 2
    assert len(device_pages(graph)) == 2
    graph.clear_requests()
    run = ansible([{'name': 'escape', 'ansible.builtin.debug': {
        'msg': "{{ query('graphops.intune.graph', 'deviceManagement/../../_emulator/state') }}"}}])
    assert run.rc != 0 and "'..'" in run.output and 'nothing was sent' in run.output
    assert graph.requests() == []
