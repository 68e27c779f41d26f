# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credential kinds and national clouds, end to end against the emulator's Entra side."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from conftest import POLICY, RING0, TENANT

CERT_APP = '44444444-4444-4444-4444-444444444444'
FEDERATED_APP = '55555555-5555-5555-5555-555555555555'
ROLES = ['WindowsUpdates.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All']
NO_SECRET = {'AZURE_CLIENT_SECRET': None}


def ring(**args):
    args.setdefault('policy_id', POLICY)
    args.setdefault('ring_id', RING0)
    return [{'name': 'ring', 'graphops.intune.windows_update_ring': args}]


def token_requests(graph):
    return [e for e in graph.requests() if e['kind'] == 'token']


def test_certificate_pem_and_pfx(ansible, graph, app_certificate, tmp_path):
    key, cert = app_certificate
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    graph.add_app(client_id=CERT_APP, tenant_id=TENANT, certificate_pem=cert_pem.decode(), roles=ROLES)
    pem = tmp_path / 'app.pem'
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.BestAvailableEncryption(b'pem-pass')) + cert_pem)
    pfx = tmp_path / 'app.pfx'
    pfx.write_bytes(pkcs12.serialize_key_and_certificates(b'app', key, cert, None, serialization.BestAvailableEncryption(b'pfx-pass')))
    env = dict(NO_SECRET, AZURE_CLIENT_ID=CERT_APP, GRAPH_TOKEN_CACHE='')
    run = ansible(ring(client_certificate_path=str(pem), client_certificate_password='pem-pass', deferral_in_days=6), env=env, verbosity=3)
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    run_pfx = ansible(ring(deferral_in_days=6), env=dict(env, AZURE_CLIENT_CERTIFICATE_PATH=str(pfx),
                                                         AZURE_CLIENT_CERTIFICATE_PASSWORD='pfx-pass'), verbosity=3)
    assert run_pfx.rc == 0 and run_pfx.last['status'] == 'ok', run_pfx.output
    tokens = token_requests(graph)
    assert len(tokens) == 2
    for entry in tokens:
        assert entry['body']['client_assertion'] == '***' and 'client_secret' not in entry['body']
        assert entry['body']['client_assertion_type'] == 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    assert 'pem-pass' not in run.output and 'pfx-pass' not in run_pfx.output
    wrong = ansible(ring(client_certificate_path=str(pem), client_certificate_password='nope'), env=env)
    assert wrong.rc != 0 and 'cannot load the private key' in wrong.last['result']['msg']


def _jwt(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return '%s.%s.%s' % (part({'alg': 'RS256', 'typ': 'JWT'}), part(claims), part({'sig': 'not-checked'}))


def test_federated_token_file_is_read_for_each_token_request(ansible, graph, tmp_path):
    token_file = tmp_path / 'token'
    claims = {'iss': 'https://oidc.emulator.invalid', 'sub': 'system:serviceaccount:awx:runner',
              'aud': 'api://AzureADTokenExchange', 'exp': int(time.time()) + 600}
    token_file.write_text(_jwt(claims))
    env = dict(NO_SECRET, AZURE_CLIENT_ID=FEDERATED_APP, AZURE_FEDERATED_TOKEN_FILE=str(token_file), GRAPH_TOKEN_CACHE='')
    run = ansible(ring(deferral_in_days=8), env=env)
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    # A rotated file with a subject the app does not trust is read (and refused) on the next run.
    token_file.write_text(_jwt(dict(claims, sub='system:serviceaccount:other:intruder')))
    refused = ansible(ring(deferral_in_days=8), env=env)
    assert refused.rc != 0 and 'AADSTS70021' in refused.last['result']['msg'], refused.output


@pytest.mark.parametrize('cloud, scope', [
    ('global', 'https://graph.microsoft.com/.default'),
    ('usgov', 'https://graph.microsoft.us/.default'),
    ('usgovdod', 'https://dod-graph.microsoft.us/.default'),
    ('china', 'https://microsoftgraph.chinacloudapi.cn/.default'),
])
def test_each_cloud_asks_for_its_graph_scope(ansible, graph, cloud, scope):
    run = ansible(ring(), env={'GRAPH_CLOUD': cloud})
    assert run.rc == 0, run.output
    assert [e['body']['scope'] for e in token_requests(graph)] == [scope]


def test_options_win_over_environment_and_ambiguity_fails_early(ansible, graph):
    ambiguous = ansible(ring(client_secret='emulator-demo-secret', access_token='abc'))
    assert ambiguous.rc != 0
    assert 'ambiguous credentials' in ambiguous.last['result']['msg']
    assert 'client_secret, access_token' in ambiguous.last['result']['msg']
    missing = ansible(ring(), env=NO_SECRET)
    assert missing.rc != 0 and 'no credentials' in missing.last['result']['msg']
    assert graph.requests() == []
    # An option of another kind beats the secret in the environment.
    token = ansible(ring(access_token='not-a-valid-token'))
    assert token.rc != 0 and token.last['result']['status'] == 401


def test_disabled_token_cache_asks_for_each_task(ansible, graph):
    run = ansible(ring() + ring(), env={'GRAPH_TOKEN_CACHE': ''})
    assert run.rc == 0, run.output
    assert len(token_requests(graph)) == 2


def test_plain_http_endpoint_refused_for_remote_hosts(ansible, graph):
    run = ansible(ring(graph_endpoint='http://graph.example.com'))
    assert run.rc != 0 and 'must use https' in run.last['result']['msg']
    assert graph.requests() == []
