# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credential kinds and the one selector (transport/credentials.py)."""

from __future__ import annotations


import pytest

from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import (
    AccessToken, ClientSecret, FederatedToken, select_credential)
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError


SECRET = 'app-secret-value-Q~x'
TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
CLIENT = '11111111-2222-3333-4444-555555555555'
IDS = {'tenant_id': TENANT, 'client_id': CLIENT}
ALL_OPTIONS = ('client_secret', 'client_certificate_path', 'federated_token_file', 'access_token')


# -- select_credential ------------------------------------------------------------------
def test_option_wins_over_the_environment():
    environ = {'AZURE_CLIENT_CERTIFICATE_PATH': '/nonexistent.pem', 'GRAPH_ACCESS_TOKEN': 'env-token'}
    credential = select_credential(dict(IDS, client_secret=SECRET), environ=environ)
    assert isinstance(credential, ClientSecret)
    assert credential.client_credential() == SECRET


def test_environment_is_used_when_no_option_is_set():
    credential = select_credential(dict(IDS, client_secret=None, access_token=''), environ={'AZURE_CLIENT_SECRET': SECRET})
    assert isinstance(credential, ClientSecret)
    assert credential.client_credential() == SECRET


def test_access_token_needs_no_tenant_or_client():
    credential = select_credential({'access_token': 'eyJ0eXAi'}, environ={})
    assert isinstance(credential, AccessToken)
    assert not credential.uses_msal


def test_two_kinds_in_options_are_ambiguous():
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_secret=SECRET, access_token='eyJ-pre-acquired'), environ={})
    message = str(err.value)
    assert message.startswith('ambiguous credentials')
    assert 'client_secret, access_token' in message
    assert 'options' in message
    assert SECRET not in message and 'eyJ-pre-acquired' not in message


def test_two_kinds_in_the_environment_are_ambiguous_naming_the_variables(tmp_path):
    token_file = tmp_path / 'token'
    token_file.write_text('assertion')
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS), environ={'AZURE_CLIENT_SECRET': SECRET, 'AZURE_FEDERATED_TOKEN_FILE': str(token_file)})
    message = str(err.value)
    assert 'ambiguous' in message
    assert 'AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE' in message
    assert 'environment' in message
    assert SECRET not in message


def test_no_credentials_names_all_four_options():
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS), environ={})
    message = str(err.value)
    assert message.startswith('no credentials')
    for option in ALL_OPTIONS:
        assert option in message
    for variable in ('AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE', 'GRAPH_ACCESS_TOKEN'):
        assert variable in message


@pytest.mark.parametrize('missing', [('tenant_id',), ('client_id',), ('tenant_id', 'client_id')])
def test_msal_kinds_need_tenant_and_client(missing):
    params = dict(IDS, client_secret=SECRET)
    for name in missing:
        params[name] = None
    with pytest.raises(AuthError) as err:
        select_credential(params, environ={})
    for name in missing:
        assert name in str(err.value)
    assert SECRET not in str(err.value)


# -- federated token file ---------------------------------------------------------------------
def test_federated_token_file_is_read_again_for_each_assertion(tmp_path):
    path = tmp_path / 'token'
    path.write_text('assertion-one\n')
    credential = select_credential(dict(IDS, federated_token_file=str(path)), environ={})
    assert isinstance(credential, FederatedToken)
    assertion = credential.client_credential()['client_assertion']
    assert callable(assertion)
    assert assertion() == 'assertion-one'
    path.write_text('assertion-two')  # the kubelet rotated the projected token
    assert assertion() == 'assertion-two'


@pytest.mark.parametrize('content', ['', '  \n'])
def test_empty_federated_token_file(tmp_path, content):
    path = tmp_path / 'token'
    path.write_text(content)
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, federated_token_file=str(path)), environ={})
    assert 'empty' in str(err.value)


def test_missing_federated_token_file(tmp_path):
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS), environ={'AZURE_FEDERATED_TOKEN_FILE': str(tmp_path / 'nope')})
    assert 'federated_token_file' in str(err.value)


def test_federated_token_file_emptied_later_fails_on_use(tmp_path):
    path = tmp_path / 'token'
    path.write_text('assertion-one')
    assertion = select_credential(dict(IDS, federated_token_file=str(path)), environ={}).client_credential()['client_assertion']
    path.write_text('')
    with pytest.raises(AuthError):
        assertion()
