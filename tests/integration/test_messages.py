# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Messages and outputs people can act on (issue 12, items 5 and 6), as users see them: printed output."""

from __future__ import annotations

import json
import os

from integration.conftest import DEVICE1, EMPTY_POLICY, POLICY, WUFB_CONFIG, graph_calls

NEW_DEVICE = 'd1e2f3a4-0000-4000-8000-0000000000bb'


def test_bulk_diff_is_printed_for_a_task_with_a_loop(ansible, graph):
    # How the device_update_states role calls the module: one loop item per configuration.
    run = ansible([{'name': 'bulk in a loop', 'graphops.intune.device_update_state': {
        'device_configuration_id': '{{ item }}',
        'states': [{'device_id': NEW_DEVICE, 'status': 'failed'}, {'device_id': DEVICE1, 'status': 'pendingReboot'}]},
        'loop': [WUFB_CONFIG]}], diff=True)
    assert run.rc == 0, run.output
    assert '+    "%s": {' % NEW_DEVICE in run.stdout
    assert '"status": "pendingReboot"' in run.stdout, run.stdout
    item = run.last['result']['results'][0]
    assert [r['action'] for r in item['item_results']] == ['created', 'updated'] and 'results' not in item


def test_validate_certs_false_warns_once_per_run(ansible, graph):
    tasks = [{'name': 'read %d' % n, 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'validate_certs': False}}
             for n in range(3)]
    run = ansible(tasks)
    assert run.rc == 0, run.output
    assert run.output.count('validate_certs is false') == 1, run.output
    secure = ansible([{'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}}])
    assert 'validate_certs' not in secure.output


def test_unknown_tenant_says_what_to_check_not_b2clogin(ansible, graph):
    run = ansible([{'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}}],
                  env={'AZURE_TENANT_ID': 'nosuchtenant.onmicrosoft.com', 'GRAPH_TOKEN_CACHE': ''})
    assert run.rc != 0
    message = run.last['result']['msg']
    assert "tenant 'nosuchtenant.onmicrosoft.com' was not found at" in message and 'check tenant_id' in message
    assert 'b2clogin' not in run.output and 'ciamlogin' not in run.output and 'Traceback' not in run.output
    assert graph_calls(graph.requests()) == []


def test_a_corrupt_token_cache_is_set_aside_with_a_warning(ansible, graph):
    with open(ansible.token_cache, 'w') as handle:
        handle.write('[1, 2, 3]')
    run = ansible([{'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}}])
    assert run.rc == 0, run.output
    assert 'was unreadable (a JSON list, not an object); it was set aside as' in run.output
    directory = os.path.dirname(ansible.token_cache)
    aside = [name for name in os.listdir(directory) if '.corrupt-' in name]
    assert len(aside) == 1
    assert json.load(open(ansible.token_cache))['AccessToken']


def test_a_symlinked_token_cache_is_refused_and_its_target_untouched(ansible, graph, tmp_path):
    target = tmp_path / 'not-a-cache.txt'
    target.write_text('keep me')
    os.chmod(str(target), 0o644)
    link = tmp_path / 'link-cache.json'
    link.symlink_to(target)
    run = ansible([{'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}}],
                  env={'GRAPH_TOKEN_CACHE': str(link)})
    assert run.rc != 0
    assert 'is refused: it is a symlink' in run.last['result']['msg']
    assert target.read_text() == 'keep me' and os.stat(str(target)).st_mode & 0o777 == 0o644
    assert graph.requests() == []


def test_update_report_tolerates_entities_without_properties(ansible, graph, tmp_path):
    # Graph omits properties it has no value for; the emulator returns these bare entities instead of its own.
    bare = {
        'deviceUpdateStates$': {'value': [{'id': 's-bare', 'deviceId': 'd-bare'}, {'id': 's-bare2'}]},
        '/rings$': {'value': [{'id': 'r-bare', '@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateRing'}]},
        'managedDeviceWindowsOSImages$': {'value': [{'id': 'Windows 11 99H9'},
                                                    {'id': 'Windows 11 98H9', 'availableUpdates': [{'buildVersion': '1'}],
                                                     'supportedEditions': [{'editionType': 'enterprise'}]}]},
        'deviceConfigurationStates$': {'value': [{'id': 'c-bare'}]},
    }
    for path, body in bare.items():
        graph.add_fault(method='GET', path=path, kind='status', status=200, body=body, times=-1)
    out = tmp_path / 'report'
    run = ansible([{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.update_report'},
                    'vars': {'update_report_dir': str(out), 'update_report_policy_ids': [POLICY, EMPTY_POLICY],
                             'update_report_device_configuration_ids': [WUFB_CONFIG],
                             'update_report_managed_device_ids': [DEVICE1]}}])
    assert run.rc == 0, run.output
    data = json.loads((out / 'update-report.json').read_text())
    assert data['summary']['update_states'] == 2 and data['summary']['rings'] >= 1
    html = (out / 'update-report.html').read_text()
    assert 'd-bare' in html and 'Windows 11 99H9' in html


def test_a_refused_loopback_endpoint_fails_fast_and_names_the_host(ansible, graph):
    import socket
    import time
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    run = ansible([{'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'max_retries': 5}}],
                  env={'GRAPH_ENDPOINT': 'https://127.0.0.1:%d' % port})
    elapsed = time.monotonic() - started
    assert run.rc != 0
    message = run.last['result']['msg']
    assert 'cannot connect to 127.0.0.1:%d: connection refused' % port in message, message
    assert 'HTTP 0' not in message and 'Traceback' not in run.output
    assert elapsed < 20  # five silent retries with backoff would take over 30 s
