# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""managed_identity through msal's ManagedIdentityClient, against the emulator's managed identity endpoints.

Network safety: every run sets each variable msal reads to pick its source, explicitly: the source under
test points at the emulator on loopback, the others are removed, and AZURE_POD_IDENTITY_AUTHORITY_HOST
(the IMDS host msal falls back to) is always the emulator, so nothing can reach 169.254.169.254.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import sys
from urllib.parse import urlsplit

import pytest

from conftest import DEMO_SECRET, POLICY, RING0

SYSTEM_MI = '77777777-7777-7777-7777-777777777777'
USER_MI = '88888888-8888-8888-8888-888888888888'
USER_MI_RESOURCE = ('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/automation/providers/'
                    'Microsoft.ManagedIdentity/userAssignedIdentities/graphops-runner')
IDENTITY_SECRET = 'emulator-identity-header'
SOURCE_VARS = ('IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET',
               'AZUREPS_HOST_ENVIRONMENT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
ARC_TOKENS = '/var/opt/azcmagent/tokens'  # msal's fixed place for Arc's challenge key on Linux


@pytest.fixture(autouse=True)
def no_arc_agent():
    # msal also selects Azure Arc when the agent is installed; it must not be on this machine.
    assert not os.path.exists('/opt/azcmagent/bin/himds'), 'an Azure Arc agent is installed here; these tests would use it'


def mi_env(graph, source='imds', client_id=None, **extra):
    """The environment of a run with a managed identity from `source`, every source variable set explicitly."""
    env = {name: None for name in SOURCE_VARS}
    env.update({'AZURE_CLIENT_SECRET': None, 'AZURE_CLIENT_ID': None, 'AZURE_TENANT_ID': None,
                'GRAPH_MANAGED_IDENTITY': 'true', 'GRAPH_MANAGED_IDENTITY_CLIENT_ID': client_id,
                'AZURE_POD_IDENTITY_AUTHORITY_HOST': graph.url})
    if source == 'app_service':
        env.update(IDENTITY_ENDPOINT=graph.url + '/msi/token', IDENTITY_HEADER=IDENTITY_SECRET)
    elif source == 'machine_learning':
        env.update(MSI_ENDPOINT=graph.url + '/ml/msi/token', MSI_SECRET=IDENTITY_SECRET)
    elif source == 'service_fabric':
        host = urlsplit(graph.url)
        der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate((host.hostname, host.port)))
        env.update(IDENTITY_ENDPOINT=graph.url + '/servicefabric/token', IDENTITY_HEADER=IDENTITY_SECRET,
                   IDENTITY_SERVER_THUMBPRINT=hashlib.sha1(der).hexdigest())  # nosec - the thumbprint is SHA-1 by definition
    elif source == 'arc':
        env.update(IDENTITY_ENDPOINT=graph.url + '/arc/metadata/identity/oauth2/token', IMDS_ENDPOINT=graph.url)
    env.update(extra)
    return env


def identity_calls(graph):
    return [e for e in graph.requests() if e['kind'] == 'identity']


TWO_TASKS = [
    {'name': 'change', 'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 12}},
    {'name': 'read', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}},
]


def assert_one_token_for_two_tasks(run, graph, path):
    assert run.rc == 0, run.output
    assert run.task('change')['status'] == 'changed'
    calls = identity_calls(graph)
    assert len(calls) == 1, calls  # the second task took the token from the shared cache
    assert calls[0]['path'] == path and calls[0]['status'] == 200
    assert calls[0]['query']['resource'] == 'https://graph.microsoft.com'
    assert [e for e in graph.requests() if e['kind'] == 'token'] == []  # no app registration involved
    return calls[0]


def test_imds_system_assigned(ansible, graph):
    run = ansible(TWO_TASKS, env=mi_env(graph))
    call = assert_one_token_for_two_tasks(run, graph, '/metadata/identity/oauth2/token')
    assert call['headers'].get('metadata') == 'true' or call['headers'].get('Metadata') == 'true'
    assert not {'client_id', 'msi_res_id', 'object_id'} & set(call['query'])


@pytest.mark.parametrize('identifier, param', [(USER_MI, 'client_id'), (USER_MI_RESOURCE, 'msi_res_id')])
def test_imds_user_assigned(ansible, graph, identifier, param):
    run = ansible(TWO_TASKS, env=mi_env(graph, client_id=identifier))
    call = assert_one_token_for_two_tasks(run, graph, '/metadata/identity/oauth2/token')
    assert call['query'][param] == identifier


def test_imds_unknown_user_assigned_identity_fails_clearly(ansible, graph):
    run = ansible(TWO_TASKS[:1], env=mi_env(graph, client_id='99999999-9999-9999-9999-999999999999', GRAPH_TOKEN_CACHE=''))
    assert run.rc != 0
    msg = run.task('change')['result']['msg']
    assert msg.startswith('managed identity token request (IMDS) failed') and 'Identity not found' in msg
    assert [e for e in graph.requests() if e['kind'] == 'graph'] == []


def test_app_service_user_assigned_by_resource_id(ansible, graph):
    run = ansible(TWO_TASKS, env=mi_env(graph, 'app_service', client_id=USER_MI_RESOURCE))
    call = assert_one_token_for_two_tasks(run, graph, '/msi/token')
    assert call['query']['mi_res_id'] == USER_MI_RESOURCE and call['query']['api-version'] == '2019-08-01'
    assert call['headers']['x-identity-header'] == '***'  # the emulator's log redacts it


def test_app_service_wrong_header_fails_before_any_graph_call(ansible, graph):
    run = ansible(TWO_TASKS[:1], env=mi_env(graph, 'app_service', IDENTITY_HEADER='wrong-header-value', GRAPH_TOKEN_CACHE=''))
    assert run.rc != 0
    assert 'managed identity token request (App Service) failed' in run.task('change')['result']['msg']
    assert [e for e in graph.requests() if e['kind'] == 'graph'] == []
    assert 'wrong-header-value' not in run.output


def test_machine_learning_user_assigned_by_client_id(ansible, graph):
    run = ansible(TWO_TASKS, env=mi_env(graph, 'machine_learning', client_id=USER_MI))
    call = assert_one_token_for_two_tasks(run, graph, '/ml/msi/token')
    assert call['query']['clientid'] == USER_MI


def test_service_fabric_pins_the_endpoint_certificate(ansible, graph):
    run = ansible(TWO_TASKS, env=mi_env(graph, 'service_fabric'))
    assert_one_token_for_two_tasks(run, graph, '/servicefabric/token')
    graph.clear_requests()
    wrong = ansible(TWO_TASKS[:1], env=mi_env(graph, 'service_fabric', IDENTITY_SERVER_THUMBPRINT='0' * 40, GRAPH_TOKEN_CACHE=''))
    assert wrong.rc != 0 and 'Service Fabric' in wrong.task('change')['result']['msg']
    assert graph.requests() == []  # refused at the TLS handshake: the Secret header was never sent


@pytest.mark.skipif(sys.platform != 'linux' or os.geteuid() != 0, reason="Arc's key file lives in /var/opt/azcmagent/tokens (root)")
def test_azure_arc_challenge_file_flow(ansible, graph):
    created = not os.path.isdir(ARC_TOKENS)
    os.makedirs(ARC_TOKENS, exist_ok=True)
    try:
        before = set(os.listdir(ARC_TOKENS))
        run = ansible(TWO_TASKS, env=mi_env(graph, 'arc', client_id=USER_MI))
        assert run.rc == 0, run.output
        calls = identity_calls(graph)
        # The challenge (401 + WWW-Authenticate naming the key file), then the request with the key.
        assert [c['status'] for c in calls] == [401, 200], calls
        assert calls[1]['headers']['authorization'] == '***' and calls[1]['query']['client_id'] == USER_MI
        assert set(os.listdir(ARC_TOKENS)) == before  # the one-time key file is gone
    finally:
        if created:
            for name in os.listdir(ARC_TOKENS):
                os.unlink(os.path.join(ARC_TOKENS, name))
            os.rmdir(ARC_TOKENS)
            for parent in ('/var/opt/azcmagent',):
                if not os.listdir(parent):
                    os.rmdir(parent)


def test_expired_token_is_renewed_through_the_identity_endpoint(ansible, graph):
    env = mi_env(graph)
    assert ansible(TWO_TASKS[1:], env=env).rc == 0
    graph.expire_tokens()
    graph.clear_requests()
    run = ansible(TWO_TASKS[1:], env=env)
    assert run.rc == 0, run.output
    statuses = [(e['kind'], e['status']) for e in graph.requests()]
    assert statuses[:3] == [('graph', 401), ('identity', 200), ('graph', 200)], statuses


def test_one_credential_kind_only(ansible, graph):
    both = ansible(TWO_TASKS[:1], env=mi_env(graph, AZURE_CLIENT_SECRET=DEMO_SECRET, AZURE_CLIENT_ID='x', AZURE_TENANT_ID='y'))
    assert both.rc != 0
    msg = both.task('change')['result']['msg']
    assert 'ambiguous credentials' in msg and 'AZURE_CLIENT_SECRET, GRAPH_MANAGED_IDENTITY' in msg
    # An option wins over a different kind in the environment.
    task = dict(TWO_TASKS[1], **{'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'managed_identity': True}})
    option = ansible([task], env=mi_env(graph, GRAPH_MANAGED_IDENTITY=None, AZURE_CLIENT_SECRET=DEMO_SECRET,
                                        AZURE_CLIENT_ID='x', AZURE_TENANT_ID='y'))
    assert option.rc == 0, option.output
    stray = ansible(TWO_TASKS[:1], env=mi_env(graph, GRAPH_MANAGED_IDENTITY=None, GRAPH_MANAGED_IDENTITY_CLIENT_ID=USER_MI))
    assert stray.rc != 0 and 'managed_identity_client_id is set' in stray.task('change')['result']['msg']
    bad = ansible(TWO_TASKS[:1], env=mi_env(graph, client_id='my-identity'))
    assert bad.rc != 0 and 'client id (a GUID) or the resource id' in bad.task('change')['result']['msg']
    shell = ansible(TWO_TASKS[:1], env=mi_env(graph, AZUREPS_HOST_ENVIRONMENT='cloud-shell/1.0'))
    assert shell.rc != 0 and 'azure_cli=true' in shell.task('change')['result']['msg']
    log = graph.requests()
    assert len([e for e in log if e['kind'] == 'identity']) == 1 and len([e for e in log if e['kind'] == 'graph']) == 1
