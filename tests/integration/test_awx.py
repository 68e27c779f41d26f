# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/demo.yml as an AWX job: the credential type's injectors rendered the way AWX renders
them, and the playbook run by ansible-runner (AWX's engine) from the installed collection."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import sys
import tempfile
import time

import ansible_runner
import pytest
import requests
import yaml
from cryptography.hazmat.primitives import serialization
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import BIN, DEMO_APP, DEMO_SECRET, POLICY, REPO, RING0, TENANT

CREDENTIAL_TYPE = os.path.join(REPO, 'extensions', 'awx', 'credential_type_graph.yml')
CERT_APP = '66666666-6666-6666-6666-666666666666'
DEMO_ROLES = ['WindowsUpdates.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All',
              'DeviceManagementManagedDevices.ReadWrite.All']
# For the other credential kinds one task is enough to show the injected variables work.
ONE_RING = [{'name': 'One ring change', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
    {'name': 'Ring0 deferral', 'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 9}}]}]


def load_credential_type():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


class _Namespace(object):
    pass


def awx_inject(credential_type, inputs, private_data_dir):
    """The env a job gets from a credential, as AWX's CredentialType.inject_credential builds it
    for a custom type: inputs that are empty are left out of the template namespace (and render
    as ''), every file injector is written to <private_data_dir>/env and its path exposed as
    tower.filename[.<label>], and every env injector is rendered."""
    namespace = dict((key, value) for key, value in inputs.items() if isinstance(value, bool) or len(value))
    tower = _Namespace()
    namespace['tower'] = tower
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    injectors = credential_type['injectors']
    for label, template in injectors.get('file', {}).items():
        data = sandbox.from_string(template).render(**namespace)
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, 'w') as out:
            out.write(data)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
        if '.' not in label:
            tower.filename = path
        else:
            if not hasattr(tower, 'filename'):
                tower.filename = _Namespace()
            setattr(tower.filename, label.split('.', 1)[1], path)
    return dict((name, sandbox.from_string(template).render(**namespace)) for name, template in injectors.get('env', {}).items())


@pytest.fixture
def job(graph, installed_collection, tmp_path, monkeypatch):
    """job(inputs, runs=1, playbook=demo) -> ([ansible_runner results], injected env): a playbook of
    the project run as AWX would (demo.yml by default), with the env
    the credential type injects for `inputs`, plus what AWX and the EE provide themselves."""
    for name in list(os.environ):
        if name.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_', 'REQUESTS_CA_BUNDLE')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('PATH', BIN + os.pathsep + os.environ.get('PATH', ''))
    credential_type = load_credential_type()

    def run(inputs, runs=1, playbook='playbooks/demo.yml'):
        private_data_dir = tmp_path / 'job'
        if private_data_dir.exists():
            shutil.rmtree(str(private_data_dir))
        # The project checkout, as AWX lays it out.
        shutil.copytree(os.path.join(REPO, 'playbooks'), str(private_data_dir / 'project' / 'playbooks'))
        (private_data_dir / 'project' / 'one_ring.yml').write_text(yaml.safe_dump(ONE_RING))
        (private_data_dir / 'inventory').mkdir()
        (private_data_dir / 'inventory' / 'hosts.yml').write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
        # inputs None: no graphops credential attached (a job with AWX's built-in Azure credential only).
        credential_env = awx_inject(credential_type, inputs, str(private_data_dir)) if inputs is not None else {}
        # Not from the credential: the collection installed in the EE, the EE's trust store (here the
        # emulator's CA) and the container's home for the token cache.
        job_env = {
            'ANSIBLE_COLLECTIONS_PATH': installed_collection,
            'ANSIBLE_HOME': str(tmp_path / 'ansible-home'),
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'REQUESTS_CA_BUNDLE': graph.ca_bundle,
            'XDG_CACHE_HOME': str(tmp_path / 'cache'),
        }
        assert not set(job_env) & set(credential_env)
        results = []
        for number in range(runs):
            results.append(ansible_runner.run(
                private_data_dir=str(private_data_dir), playbook=playbook, ident='run%d' % number,
                envvars=dict(job_env, **credential_env), quiet=True))
        return results, credential_env

    return run


def output(result):
    with open(result.stdout.name) as handle:
        return handle.read()


def counts(result, key):
    return sum((result.stats or {}).get(key, {}).values())


def assert_successful(result):
    assert result.status == 'successful' and result.rc == 0, output(result)
    assert counts(result, 'failures') == 0 and counts(result, 'dark') == 0, result.stats


def test_demo_as_an_awx_job_with_a_client_secret(job, graph):
    inputs = {'tenant_id': TENANT, 'client_id': DEMO_APP, 'client_secret': DEMO_SECRET, 'client_certificate': '',
              'cloud': 'global', 'graph_endpoint': graph.url, 'authority_host': graph.url}
    (first, second), env = job(inputs, runs=2)
    assert env['AZURE_CLIENT_CERTIFICATE_PATH'] == '' and env['GRAPH_ACCESS_TOKEN'] == ''
    assert_successful(first)
    assert counts(first, 'changed') > 0, first.stats
    assert_successful(second)
    assert counts(second, 'changed') == 0, output(second)
    assert counts(second, 'ok') == counts(first, 'ok'), (first.stats, second.stats)
    tokens = [e for e in graph.requests() if e['kind'] == 'token']
    assert tokens and all(e['body'].get('client_id') == DEMO_APP for e in tokens)
    assert DEMO_SECRET not in output(first) + output(second)


@pytest.fixture
def certificate_inputs(graph, app_certificate):
    key, cert = app_certificate
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    graph.add_app(client_id=CERT_APP, tenant_id=TENANT, certificate_pem=cert_pem, roles=DEMO_ROLES)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(b'awx-pem-pass')).decode()
    # As pasted into AWX's multiline field: key then certificate, no trailing newline.
    return {'tenant_id': TENANT, 'client_id': CERT_APP, 'client_certificate': (key_pem + cert_pem).strip(),
            'client_certificate_password': 'awx-pem-pass', 'graph_endpoint': graph.url, 'authority_host': graph.url}


def test_awx_job_with_a_certificate_file(job, graph, certificate_inputs):
    (result,), env = job(certificate_inputs, playbook='one_ring.yml')
    assert_successful(result)
    assert counts(result, 'changed') == 1, result.stats
    path = env['AZURE_CLIENT_CERTIFICATE_PATH']
    assert path and os.path.isfile(path) and stat.S_IMODE(os.stat(path).st_mode) == 0o660
    assert env['AZURE_CLIENT_SECRET'] == '' and env['GRAPH_CLOUD'] == 'global'
    tokens = [e for e in graph.requests() if e['kind'] == 'token']
    assert tokens
    for entry in tokens:
        assert entry['body']['client_id'] == CERT_APP and 'client_assertion' in entry['body'] and 'client_secret' not in entry['body']
    assert 'awx-pem-pass' not in output(result)


def test_awx_job_with_an_access_token(job, graph):
    response = requests.post('%s/%s/oauth2/v2.0/token' % (graph.url, TENANT), verify=graph.ca_bundle, timeout=30, data={
        'grant_type': 'client_credentials', 'client_id': DEMO_APP, 'client_secret': DEMO_SECRET,
        'scope': 'https://graph.microsoft.com/.default'})
    assert response.ok, response.text
    token = response.json()['access_token']
    graph.clear_requests()
    (result,), env = job({'access_token': token, 'graph_endpoint': graph.url}, playbook='one_ring.yml')
    assert env['AZURE_TENANT_ID'] == '' and env['AZURE_CLIENT_SECRET'] == '' and env['GRAPH_ACCESS_TOKEN'] == token
    assert_successful(result)
    assert counts(result, 'changed') == 1, result.stats
    assert [e for e in graph.requests() if e['kind'] == 'token'] == []
    assert token not in output(result)


def test_two_credential_kinds_in_one_awx_credential_fail_before_any_request(job, graph, certificate_inputs):
    inputs = dict(certificate_inputs, client_secret='also-a-secret')
    graph.clear_requests()
    (result,), dummy = job(inputs, playbook='one_ring.yml')
    assert result.status == 'failed' and counts(result, 'failures') == 1, output(result)
    assert 'ambiguous credentials' in output(result)
    assert 'AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH' in output(result)
    assert graph.requests() == []


# -- federated token, PFX, and AWX's built-in "Microsoft Azure Resource Manager" credential ------------------------
FEDERATED_APP = '55555555-5555-5555-5555-555555555555'


def federated_jwt(subject='system:serviceaccount:awx:runner'):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    claims = {'iss': 'https://oidc.emulator.invalid', 'sub': subject, 'aud': 'api://AzureADTokenExchange',
              'exp': int(time.time()) + 600}
    return '%s.%s.%s' % (part({'alg': 'RS256', 'typ': 'JWT'}), part(claims), part({'sig': 'not-checked'}))


def token_bodies(graph):
    return [e['body'] for e in graph.requests() if e['kind'] == 'token']


def test_awx_job_with_a_federated_token(job, graph):
    token = federated_jwt()
    (result,), env = job({'tenant_id': TENANT, 'client_id': FEDERATED_APP, 'federated_token': token + '\n',
                          'graph_endpoint': graph.url, 'authority_host': graph.url}, playbook='one_ring.yml')
    assert_successful(result)
    assert counts(result, 'changed') == 1, result.stats
    path = env['AZURE_FEDERATED_TOKEN_FILE']
    assert path and open(path).read().strip() == token
    assert env['AZURE_CLIENT_SECRET'] == '' and env['AZURE_CLIENT_CERTIFICATE_PATH'] == ''
    bodies = token_bodies(graph)
    assert bodies and all(b['client_id'] == FEDERATED_APP and 'client_assertion' in b for b in bodies)
    assert token not in output(result)


def test_awx_job_with_a_base64_pfx(job, graph, app_certificate):
    from cryptography.hazmat.primitives.serialization import pkcs12
    key, cert = app_certificate
    graph.add_app(client_id=CERT_APP, tenant_id=TENANT, certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
                  roles=DEMO_ROLES)
    pfx = pkcs12.serialize_key_and_certificates(b'app', key, cert, None, serialization.BestAvailableEncryption(b'pfx-pass'))
    # As pasted into AWX: base64 wrapped at 76 columns (base64 app.pfx).
    text = base64.encodebytes(pfx).decode()
    (result,), env = job({'tenant_id': TENANT, 'client_id': CERT_APP, 'client_certificate_pfx': text,
                          'client_certificate_password': 'pfx-pass', 'graph_endpoint': graph.url, 'authority_host': graph.url},
                         playbook='one_ring.yml')
    assert_successful(result)
    assert counts(result, 'changed') == 1, result.stats
    assert os.path.isfile(env['AZURE_CLIENT_CERTIFICATE_PATH'])
    bodies = token_bodies(graph)
    assert bodies and all(b['client_id'] == CERT_APP and 'client_assertion' in b for b in bodies)
    assert 'pfx-pass' not in output(result)


def test_pem_and_pfx_in_one_awx_credential_fail_before_any_request(job, graph, certificate_inputs):
    graph.clear_requests()
    (result,), env = job(dict(certificate_inputs, client_certificate_pfx='TUlJ'), playbook='one_ring.yml')
    assert result.status == 'failed', output(result)
    assert 'both a PEM and a PFX certificate' in output(result)
    assert graph.requests() == []


def awx_azure_rm_inject(inputs):
    """The env of AWX's built-in "Microsoft Azure Resource Manager" credential (awx.main.models.credential.
    injectors.azure_rm): a client and a tenant give AZURE_CLIENT_ID/AZURE_TENANT/AZURE_SECRET, else a user and
    password; AZURE_CLOUD_ENVIRONMENT only when the input is set."""
    env = {'AZURE_SUBSCRIPTION_ID': inputs.get('subscription', '')}
    if inputs.get('client') and inputs.get('tenant'):
        env.update(AZURE_CLIENT_ID=inputs['client'], AZURE_TENANT=inputs['tenant'], AZURE_SECRET=inputs.get('secret', ''))
    else:
        env.update(AZURE_AD_USER=inputs.get('username', ''), AZURE_PASSWORD=inputs.get('password', ''))
    if inputs.get('cloud_environment'):
        env['AZURE_CLOUD_ENVIRONMENT'] = inputs['cloud_environment']
    return env


@pytest.mark.parametrize('cloud_environment, scope', [
    (None, 'https://graph.microsoft.com/.default'),
    ('AzureUSGovernment', 'https://graph.microsoft.us/.default'),
    ('AzureChinaCloud', 'https://microsoftgraph.chinacloudapi.cn/.default'),
])
def test_awx_builtin_azure_credential_works_unchanged(job, graph, monkeypatch, cloud_environment, scope):
    inputs = {'subscription': '00000000-0000-0000-0000-000000000000', 'client': DEMO_APP, 'tenant': TENANT, 'secret': DEMO_SECRET}
    if cloud_environment:
        inputs['cloud_environment'] = cloud_environment
    azure_env = awx_azure_rm_inject(inputs)
    # The job template also carries the site's endpoints (here the emulator), e.g. from a custom credential or the EE.
    for name, value in dict(azure_env, GRAPH_ENDPOINT=graph.url, AZURE_AUTHORITY_HOST=graph.url).items():
        monkeypatch.setenv(name, value)
    (result,), dummy = job(None, playbook='one_ring.yml')
    assert_successful(result)
    assert counts(result, 'changed') == 1, result.stats
    bodies = token_bodies(graph)
    assert bodies and all(b['client_id'] == DEMO_APP and b['scope'] == scope for b in bodies)
    assert DEMO_SECRET not in output(result)


def test_awx_builtin_azure_credential_with_a_user_is_refused_clearly(job, graph, monkeypatch):
    for name, value in awx_azure_rm_inject({'username': 'admin@contoso.com', 'password': 'user-password-1'}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv('GRAPH_ENDPOINT', graph.url)
    graph.clear_requests()
    (result,), dummy = job(None, playbook='one_ring.yml')
    assert result.status == 'failed'
    assert 'AZURE_AD_USER' in output(result) and 'user-password-1' not in output(result)
    assert graph.requests() == []
