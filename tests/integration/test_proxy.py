# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every kind of plugin through a real forward proxy (proxy.py, started here on loopback) with
HTTPS_PROXY, and the emulator's CA given by ca_path (GRAPH_CA_PATH) instead of REQUESTS_CA_BUNDLE."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import trustme
import yaml

from conftest import BIN, DEMO_SECRET, POLICY, RING0, WUFB_CONFIG, graph_calls

NO_PROXY_VARS = ('NO_PROXY', 'no_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def forward_proxy(tmp_path):
    """proxy.py on 127.0.0.1 with a DEBUG log; yields (url, log path)."""
    log = tmp_path / 'proxy.log'
    port = free_port()
    env = dict(os.environ)
    for name in NO_PROXY_VARS + ('HTTPS_PROXY', 'https_proxy'):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, '-m', 'proxy', '--hostname', '127.0.0.1', '--port', str(port),
                                '--num-acceptors', '1', '--num-workers', '1', '--log-level', 'DEBUG', '--log-file', str(log)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=str(tmp_path))
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise AssertionError('proxy.py did not start: %s' % (log.read_text() if log.exists() else ''))
                time.sleep(0.1)
        yield 'http://127.0.0.1:%d' % port, log
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def proxied_env(proxy_url, ca_bundle):
    env = {name: None for name in NO_PROXY_VARS}
    # Lower case too: requests reads both, and a stray no_proxy=localhost,127.0.0.1 would bypass the proxy.
    env.update({'HTTPS_PROXY': proxy_url, 'https_proxy': proxy_url, 'REQUESTS_CA_BUNDLE': None, 'CURL_CA_BUNDLE': None,
                'GRAPH_CA_PATH': ca_bundle})
    return env


def connects(log_text, url):
    host_port = url.split('://', 1)[1]
    return len(re.findall(r'CONNECT %s' % re.escape(host_port), log_text))


def test_every_plugin_kind_through_a_forward_proxy(ansible, graph, forward_proxy, tmp_path):
    proxy_url, log = forward_proxy
    env = proxied_env(proxy_url, graph.ca_bundle)
    run = ansible([
        {'name': 'resource', 'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 11}},
        {'name': 'info', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}},
        {'name': 'request', 'graphops.intune.graph_request': {'path': 'deviceManagement/managedDeviceWindowsOSImages'}},
        {'name': 'bulk', 'graphops.intune.device_update_state': {
            'device_configuration_id': WUFB_CONFIG,
            'states': [{'device_id': 'd1e2f3a4-0000-4000-8000-%012d' % n, 'status': 'pendingReboot'} for n in range(3)]}},
        {'name': 'lookup', 'ansible.builtin.set_fact': {
            'devices': "{{ query('graphops.intune.graph', 'deviceManagement/managedDevices') | map(attribute='deviceName') | sort }}"}},
    ], env=env)
    assert run.rc == 0, run.output
    assert run.task('resource')['result']['changed'] is True
    assert run.task('bulk')['result']['changed'] is True
    assert run.task('lookup')['result']['ansible_facts']['devices'] == ['PC-0001', 'PC-0002']

    config = tmp_path / 'proxied.managed_devices.yml'
    config.write_text(yaml.safe_dump({'plugin': 'graphops.intune.managed_devices'}))
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', str(config), '--list'],
                          env=ansible.env(dict(env, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true')),
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert 'PC-0001' in json.loads(proc.stdout)['_meta']['hostvars']

    time.sleep(0.5)  # proxy.py writes its access line when the tunnel closes
    text = log.read_text()
    seen = graph.requests()
    # Each module run, the lookup and the inventory open at least one tunnel to the emulator.
    assert connects(text, graph.url) >= 6, text[-3000:]
    assert [e for e in seen if e['kind'] == 'token'], 'no token request reached the emulator'
    assert graph_calls(seen, 'PATCH') and graph_calls(seen, 'POST', '$batch')
    token = json.load(open(ansible.token_cache))['AccessToken']
    secrets = [entry['secret'] for entry in token.values()] + [DEMO_SECRET]
    assert secrets and not [secret for secret in secrets if secret in text]


def test_a_dead_proxy_is_really_used(ansible, graph, tmp_path):
    """The control: with HTTPS_PROXY naming a closed port nothing reaches the emulator."""
    env = proxied_env('http://127.0.0.1:%d' % free_port(), graph.ca_bundle)
    run = ansible([{'name': 'info', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'max_retries': 0}}],
                  env=dict(env, GRAPH_TOKEN_CACHE=''))
    assert run.rc != 0
    assert 'proxy' in run.output.lower() and 'Traceback' not in run.task('info')['result'].get('msg', '')
    assert graph.requests() == []


def test_ca_path_replaces_requests_ca_bundle(ansible, graph, tmp_path):
    """GRAPH_CA_PATH is the emulator's CA; REQUESTS_CA_BUNDLE naming another CA does not matter."""
    other = tmp_path / 'other-ca.pem'
    trustme.CA().cert_pem.write_to_path(str(other))
    ok = ansible([{'name': 'info', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}}],
                 env={'REQUESTS_CA_BUNDLE': str(other), 'GRAPH_CA_PATH': graph.ca_bundle})
    assert ok.rc == 0, ok.output
    bad = ansible([{'name': 'info', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'ca_path': str(other)}}],
                  env={'GRAPH_TOKEN_CACHE': ''})
    assert bad.rc != 0 and 'certificate verify failed' in bad.output.lower()
