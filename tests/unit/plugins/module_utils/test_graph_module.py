# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest
from ansible.module_utils.basic import env_fallback
from ansible.module_utils.testing import patch_module_args

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import GraphError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.entra import EntraHttp
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import BulkError
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import GraphModule
from ansible_collections.graphops.intune.plugins.module_utils.graph_options import common_argument_spec
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

DESIGN_OPTIONS = ('tenant_id', 'client_id', 'client_secret', 'client_certificate_path', 'client_certificate_password',
                  'federated_token_file', 'access_token', 'managed_identity', 'managed_identity_client_id', 'azure_cli', 'cloud',
                  'graph_endpoint', 'authority_host', 'api_version', 'validate_certs', 'ca_path', 'timeout', 'max_retries',
                  'token_cache_path')
ENV_FALLBACKS = {
    'tenant_id': ['AZURE_TENANT_ID', 'AZURE_TENANT'],
    'client_id': 'AZURE_CLIENT_ID',
    'client_certificate_password': 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
    'graph_endpoint': 'GRAPH_ENDPOINT',
    'authority_host': 'AZURE_AUTHORITY_HOST',
    'validate_certs': 'GRAPH_VALIDATE_CERTS',
    'token_cache_path': 'GRAPH_TOKEN_CACHE',
    'ca_path': 'GRAPH_CA_PATH',
    'managed_identity_client_id': 'GRAPH_MANAGED_IDENTITY_CLIENT_ID',
}
CREDENTIAL_ENV = ('AZURE_CLIENT_SECRET', 'AZURE_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE',
                  'GRAPH_ACCESS_TOKEN', 'GRAPH_MANAGED_IDENTITY', 'GRAPH_AZURE_CLI')
SECRET = 'env-secret-value-Q~y'


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for variable in ['AZURE_TENANT_ID', 'AZURE_TENANT', 'GRAPH_CLOUD', 'AZURE_CLOUD_ENVIRONMENT', 'AZURE_AD_USER', 'AZURE_PASSWORD'] + \
            [v for v in ENV_FALLBACKS.values() if isinstance(v, str)] + list(CREDENTIAL_ENV) + ['REQUESTS_CA_BUNDLE']:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    return monkeypatch


def make_module(args, spec=None):
    with patch_module_args(args):
        return GraphModule(spec or {})


def run_module(capsys, args, action):
    """GraphModule.run(action) -> (exit code, result); exit_json/fail_json need the patched args too."""
    with patch_module_args(args):
        module = GraphModule({})
        with pytest.raises(SystemExit) as exit_info:
            module.run(lambda: action(module))
    return exit_info.value.code, json.loads(capsys.readouterr().out)


# -- argument spec ------------------------------------------------------------------------
def test_common_options_are_the_documented_ones():
    assert sorted(common_argument_spec()) == sorted(DESIGN_OPTIONS)


@pytest.mark.parametrize('option, variable', sorted(ENV_FALLBACKS.items()))
def test_env_fallbacks(option, variable):
    assert common_argument_spec()[option]['fallback'] == (env_fallback, variable if isinstance(variable, list) else [variable])


@pytest.mark.parametrize('option', ['client_secret', 'client_certificate_path', 'federated_token_file', 'access_token'])
def test_credential_options_read_their_env_in_select_credential_not_in_the_spec(option):
    assert 'fallback' not in common_argument_spec()[option]


def test_secrets_are_no_log():
    spec = common_argument_spec()
    for option in ('client_secret', 'client_certificate_password', 'access_token'):
        assert spec[option]['no_log'] is True
    for option in DESIGN_OPTIONS:
        if option not in ('client_secret', 'client_certificate_password', 'access_token'):
            assert not spec[option].get('no_log')


def test_defaults():
    spec = common_argument_spec()
    assert spec['cloud']['default'] == 'global'
    assert sorted(spec['cloud']['choices']) == ['china', 'global', 'usgov', 'usgovdod']
    assert spec['api_version']['default'] == 'beta'
    assert spec['validate_certs'] == dict(type='bool', default=True, fallback=(env_fallback, ['GRAPH_VALIDATE_CERTS']))
    assert spec['timeout']['default'] == 30
    assert spec['max_retries']['default'] == 5


def test_env_fallbacks_reach_the_module(clean_env):
    clean_env.setenv('AZURE_TENANT_ID', 'tenant-from-env')
    clean_env.setenv('AZURE_CLIENT_ID', 'client-from-env')
    clean_env.setenv('GRAPH_CLOUD', 'usgov')
    clean_env.setenv('GRAPH_VALIDATE_CERTS', 'false')
    clean_env.setenv('GRAPH_TOKEN_CACHE', '')
    module = make_module({'client_id': 'client-from-task'})
    assert module.params['tenant_id'] == 'tenant-from-env'
    assert module.params['client_id'] == 'client-from-task'
    assert module.params['cloud'] == 'usgov'
    assert module.params['validate_certs'] is False
    assert module.params['token_cache_path'] == ''
    assert module.check_mode is False and module.supports_check_mode


# -- the client the module builds ---------------------------------------------------------------
def test_client_from_environment_credentials(clean_env, tmp_path):
    clean_env.setenv('AZURE_TENANT_ID', 't1')
    clean_env.setenv('AZURE_CLIENT_ID', 'c1')
    clean_env.setenv('AZURE_CLIENT_SECRET', SECRET)
    module = make_module({'cloud': 'china', 'timeout': 9, 'max_retries': 2})
    client = module.client
    assert client is module.client  # built once
    assert client.base_url == 'https://microsoftgraph.chinacloudapi.cn/beta'
    assert (client.timeout, client.max_retries, client.verify) == (9, 2, True)
    assert client.tokens.endpoints.scope == 'https://microsoftgraph.chinacloudapi.cn/.default'
    assert client.tokens.cache_path == str(tmp_path / 'xdg' / 'graphops.intune' / 'msal_token_cache.json')
    assert SECRET in module.no_log_values  # an env secret is masked like an option


def test_secret_from_the_environment_is_masked_in_failures(clean_env, capsys):
    clean_env.setenv('AZURE_CLIENT_SECRET', SECRET)

    def action(module):
        assert module.client
        raise ModuleInputError('something mentioned %s' % SECRET)
    rc, result = run_module(capsys, {'tenant_id': 't1', 'client_id': 'c1'}, action)
    assert rc == 1 and result['failed']
    assert SECRET not in json.dumps(result)


@pytest.mark.parametrize('args, words', [
    ({'timeout': 0}, 'timeout'),
    ({'max_retries': -1}, 'max_retries'),
    ({'graph_endpoint': 'http://graph.example.test'}, 'https'),
    ({'access_token': None}, 'no credentials'),
])
def test_bad_connection_settings_fail_cleanly(clean_env, capsys, args, words):
    base = {'tenant_id': 't1', 'client_id': 'c1', 'access_token': 'tok'}
    base.update(args)
    rc, result = run_module(capsys, base, lambda module: module.client)
    assert rc == 1 and result['failed']
    assert words in result['msg']
    assert 'exception' not in result


# -- run(): failures become fail_json --------------------------------------------------------------
def test_graph_error_becomes_fail_json_with_status_code_and_request_id(clean_env, capsys):
    def action(module):
        raise GraphError(403, 'Forbidden', 'Insufficient privileges', 'rid-1', 'GET', 'https://graph.microsoft.com/beta/x')
    rc, result = run_module(capsys, {}, action)
    assert rc == 1
    assert result['failed'] is True
    assert (result['status'], result['error_code'], result['request_id']) == (403, 'Forbidden', 'rid-1')
    assert 'Insufficient privileges' in result['msg'] and 'rid-1' in result['msg']
    assert 'exception' not in result  # an API error is not a crash: no traceback


@pytest.mark.parametrize('error', [AuthError('no credentials: set one of ...'), ModuleInputError('bad input'),
                                   OutcomeUnknown('POST', 'https://g/x', 'reset')])
def test_expected_failures_become_fail_json(clean_env, capsys, error):
    def action(module):
        raise error
    rc, result = run_module(capsys, {}, action)
    assert rc == 1
    assert result['msg'] == str(error)
    assert 'exception' not in result


def test_success_exits_with_the_result(clean_env, capsys):
    rc, result = run_module(capsys, {}, lambda module: {'changed': True, 'ring': {'id': 'r1'}})
    assert rc == 0
    assert result['changed'] is True and result['ring'] == {'id': 'r1'}


# -- EntraHttp (msal's http_client) ------------------------------------------------------------
class RecordingSession(object):
    def __init__(self):
        self.calls = []

    def get(self, url, **kwargs):
        self.calls.append(('GET', url, kwargs))
        return 'get-answer'

    def post(self, url, **kwargs):
        self.calls.append(('POST', url, kwargs))
        return 'post-answer'


@pytest.mark.parametrize('verify', [False, '/etc/ca.pem', True])
def test_msal_http_forces_the_tls_setting_and_a_default_timeout(verify):
    session = RecordingSession()
    http = EntraHttp(session, verify, 12)
    assert http.get('https://login/x', headers={'a': 'b'}) == 'get-answer'
    assert http.post('https://login/t', data={'k': 'v'}, verify=True, timeout=3) == 'post-answer'
    assert session.calls == [
        ('GET', 'https://login/x', {'headers': {'a': 'b'}, 'timeout': 12, 'verify': verify}),
        ('POST', 'https://login/t', {'data': {'k': 'v'}, 'timeout': 3, 'verify': verify}),
    ]
    http.close()  # msal may close it; the session belongs to GraphClient


def test_bulk_error_becomes_fail_json_with_the_partial_result(clean_env, capsys):
    partial = {'changed': True, 'created': 1, 'failed_items': [{'device_id': 'd2', 'status': 400}], 'results': []}

    def action(module):
        raise BulkError('1 of 2 device update state write(s) failed; the others were applied: ...', partial)
    rc, result = run_module(capsys, {}, action)
    assert rc == 1 and result['failed'] is True
    assert result['msg'].startswith('1 of 2 device update state write(s) failed')
    assert (result['changed'], result['created'], result['failed_items']) == (True, 1, partial['failed_items'])
    assert 'exception' not in result


# -- ca_path ------------------------------------------------------------------------------
def test_ca_path_is_what_requests_verifies_against(clean_env, tmp_path):
    from ansible_collections.graphops.intune.plugins.module_utils.graph_options import tls_verify
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('pem')
    clean_env.setenv('REQUESTS_CA_BUNDLE', '/elsewhere.pem')
    assert tls_verify({'validate_certs': True, 'ca_path': str(bundle)}) == str(bundle)
    assert tls_verify({'validate_certs': True, 'ca_path': None}) is True
    assert tls_verify({'validate_certs': False, 'ca_path': str(bundle)}) is False
    with pytest.raises(ModuleInputError, match='ca_path'):
        tls_verify({'validate_certs': True, 'ca_path': str(tmp_path / 'missing.pem')})


def test_ca_path_from_env_reaches_the_client(clean_env, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('pem')
    clean_env.setenv('GRAPH_CA_PATH', str(bundle))
    module = make_module({'tenant_id': 't', 'client_id': 'c', 'client_secret': 's', 'token_cache_path': ''})
    assert module.client.verify == str(bundle)
    assert module.client.tokens.http_client._verify == str(bundle)


# -- AWX built-in Azure credential variables -----------------------------------------------
@pytest.mark.parametrize('value, cloud', [('AzureCloud', 'global'), ('AzureUSGovernment', 'usgov'), ('azurechinacloud', 'china')])
def test_azure_cloud_environment_names(clean_env, value, cloud):
    clean_env.setenv('AZURE_CLOUD_ENVIRONMENT', value)
    assert make_module({}).params['cloud'] == cloud
    clean_env.setenv('GRAPH_CLOUD', 'usgovdod')
    assert make_module({}).params['cloud'] == 'usgovdod'


def test_unknown_azure_cloud_environment_is_named(clean_env, capsys):
    clean_env.setenv('AZURE_CLOUD_ENVIRONMENT', 'AzureGermanCloud')
    with pytest.raises(SystemExit):
        make_module({})
    assert 'AzureGermanCloud' in capsys.readouterr().out


def test_awx_azure_variables_give_a_client_secret(clean_env):
    clean_env.setenv('AZURE_TENANT', 'contoso.onmicrosoft.com')
    clean_env.setenv('AZURE_CLIENT_ID', 'app')
    clean_env.setenv('AZURE_SECRET', SECRET)
    module = make_module({'token_cache_path': ''})
    assert module.params['tenant_id'] == 'contoso.onmicrosoft.com'
    client = module.client
    assert client.tokens.credential.kind == 'client secret' and client.tokens.credential.client_credential() == SECRET
    assert SECRET in module.no_log_values


def test_awx_user_and_password_are_refused_clearly(clean_env, capsys):
    clean_env.setenv('AZURE_TENANT', 't')
    clean_env.setenv('AZURE_AD_USER', 'someone@contoso.com')
    clean_env.setenv('AZURE_PASSWORD', SECRET)
    code, result = run_module(capsys, {}, lambda module: module.client and {})
    assert code == 1 and 'AZURE_AD_USER' in result['msg'] and SECRET not in json.dumps(result)
