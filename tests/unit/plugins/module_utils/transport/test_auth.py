# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import os
import stat
import time

import msal
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from msal_extensions import PersistedTokenCache
from msal_extensions.persistence import PersistenceNotFound

from ansible_collections.graphops.intune.plugins.module_utils.transport import auth
from ansible_collections.graphops.intune.plugins.module_utils.transport.auth import (
    AccessToken, AtomicFilePersistence, AuthError, ClientCertificate, ClientSecret, FederatedToken, TokenProvider, select_credential)
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints

SECRET = 'app-secret-value-Q~x'
TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
CLIENT = '11111111-2222-3333-4444-555555555555'
IDS = {'tenant_id': TENANT, 'client_id': CLIENT}
ALL_OPTIONS = ('client_secret', 'client_certificate_path', 'federated_token_file', 'access_token')


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


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


# -- client certificates ------------------------------------------------------------------
def expected_certificate(pki):
    return {'thumbprint': pki.thumbprint, 'public_certificate': pki.cert_pem.decode('ascii')}


@pytest.mark.parametrize('order', ['key-first', 'cert-first'])
def test_pem_with_key_and_certificate(tmp_path, pki, order):
    path = tmp_path / 'app.pem'
    path.write_bytes(pki.key_pem + pki.cert_pem if order == 'key-first' else pki.cert_pem + pki.key_pem)
    credential = select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert isinstance(credential, ClientCertificate)
    value = credential.client_credential()
    assert set(value) == {'private_key', 'thumbprint', 'public_certificate'}
    assert value['thumbprint'] == pki.thumbprint
    assert value['thumbprint'] == pki.cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec - x5t is SHA-1
    assert len(value['thumbprint']) == 40
    assert value['public_certificate'] == pki.cert_pem.decode('ascii')
    key = serialization.load_pem_private_key(value['private_key'].encode('ascii'), password=None)  # unencrypted for msal
    assert key.private_numbers() == pki.key.private_numbers()


def encrypted_pem(pki, password):
    return pki.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.BestAvailableEncryption(password.encode('utf-8'))) + pki.cert_pem


def test_encrypted_pem_with_password(tmp_path, pki):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'pem-pass'))
    credential = select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='pem-pass'), environ={})
    assert credential.client_credential()['thumbprint'] == pki.thumbprint
    assert 'ENCRYPTED' not in credential.client_credential()['private_key']


@pytest.mark.parametrize('password', [None, 'wrong-pass'])
def test_encrypted_pem_without_the_right_password(tmp_path, pki, password):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'pem-pass'))
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password=password), environ={})
    assert 'client_certificate_password' in str(err.value)
    assert str(path) in str(err.value)
    assert 'pem-pass' not in str(err.value)


def test_certificate_password_from_the_environment(tmp_path, pki):
    path = tmp_path / 'app.pem'
    path.write_bytes(encrypted_pem(pki, 'env-pass'))
    credential = select_credential(dict(IDS), environ={'AZURE_CLIENT_CERTIFICATE_PATH': str(path),
                                                       'AZURE_CLIENT_CERTIFICATE_PASSWORD': 'env-pass'})
    assert credential.client_credential()['thumbprint'] == pki.thumbprint


def pfx(pki, password):
    encryption = serialization.BestAvailableEncryption(password.encode('utf-8')) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b'graphops', pki.key, pki.cert, None, encryption)


def test_pfx_with_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, 'pfx-pass'))
    credential = select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='pfx-pass'), environ={})
    assert credential.client_credential() == dict(expected_certificate(pki), private_key=credential.client_credential()['private_key'])
    assert credential.client_credential()['private_key'].startswith('-----BEGIN PRIVATE KEY-----')


def test_pfx_without_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, None))
    assert select_credential(dict(IDS, client_certificate_path=str(path)), environ={}).client_credential()['thumbprint'] == pki.thumbprint


def test_pfx_with_wrong_password(tmp_path, pki):
    path = tmp_path / 'app.pfx'
    path.write_bytes(pfx(pki, 'pfx-pass'))
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path), client_certificate_password='nope'), environ={})
    assert 'client_certificate_password' in str(err.value)
    assert 'pfx-pass' not in str(err.value) and 'nope' not in str(err.value)


@pytest.mark.parametrize('content, words', [
    ('cert-only', 'private key'),
    ('key-only', 'no certificate'),
    ('garbage', 'PFX'),
])
def test_incomplete_certificate_files(tmp_path, pki, content, words):
    data = {'cert-only': pki.cert_pem, 'key-only': pki.key_pem, 'garbage': b'not a certificate'}[content]
    path = tmp_path / 'app.pem'
    path.write_bytes(data)
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert words in str(err.value)


def test_unreadable_certificate_file(tmp_path):
    path = tmp_path / 'missing.pem'
    with pytest.raises(AuthError) as err:
        select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert 'client_certificate_path' in str(err.value) and str(path) in str(err.value)
    with pytest.raises(AuthError):
        select_credential(dict(IDS, client_certificate_path=str(tmp_path)), environ={})  # a directory


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


# -- token cache persistence ---------------------------------------------------------------
def test_persistence_creates_a_private_directory_and_file(tmp_path):
    location = tmp_path / 'cache' / 'graphops.intune' / 'msal_token_cache.json'
    persistence = AtomicFilePersistence(str(location))
    assert mode(location.parent) == 0o700
    with pytest.raises(PersistenceNotFound):
        persistence.load()
    persistence.save('{"AccessToken": {}}')
    assert mode(location) == 0o600
    assert persistence.load() == '{"AccessToken": {}}'
    assert persistence.get_location() == str(location)


def test_persistence_tightens_an_existing_readable_file(tmp_path):
    location = tmp_path / 'cache.json'
    location.write_text('{}')
    os.chmod(location, 0o644)
    AtomicFilePersistence(str(location))
    assert mode(location) == 0o600


def test_save_writes_a_temp_file_in_the_same_directory_and_renames_it(tmp_path, monkeypatch):
    location = tmp_path / 'cache.json'
    persistence = AtomicFilePersistence(str(location))
    persistence.save('old')
    renames = []
    real_replace = os.replace

    def replace(source, target):
        renames.append((source, target, open(source).read(), mode(source)))
        assert location.read_text() == 'old'  # readers still see the complete old content
        real_replace(source, target)
    monkeypatch.setattr(auth.os, 'replace', replace)
    persistence.save('new content')
    assert len(renames) == 1
    source, target, content, source_mode = renames[0]
    assert os.path.dirname(source) == str(tmp_path) and target == str(location)
    assert content == 'new content' and source_mode == 0o600
    assert location.read_text() == 'new content'
    assert sorted(os.listdir(tmp_path)) == ['cache.json']  # no temp file left behind


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    location = tmp_path / 'cache.json'
    persistence = AtomicFilePersistence(str(location))
    persistence.save('old')

    def replace(source, target):
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr(auth.os, 'replace', replace)
    with pytest.raises(OSError):
        persistence.save('new')
    assert location.read_text() == 'old'
    assert sorted(os.listdir(tmp_path)) == ['cache.json']


def test_build_cache(tmp_path):
    assert isinstance(auth.build_cache(''), msal.TokenCache)
    assert not isinstance(auth.build_cache(''), PersistedTokenCache)
    assert isinstance(auth.build_cache(str(tmp_path / 'c' / 'cache.json')), PersistedTokenCache)
    blocker = tmp_path / 'file'
    blocker.write_text('')
    with pytest.raises(AuthError) as err:
        auth.build_cache(str(blocker / 'cache.json'))
    assert 'token_cache_path' in str(err.value)


def test_default_cache_path():
    assert auth.default_cache_path({'XDG_CACHE_HOME': '/x/cache'}) == '/x/cache/graphops.intune/msal_token_cache.json'


# -- TokenProvider against the fake Entra -----------------------------------------------------
@pytest.fixture
def provider(entra, entra_http):
    """provider(cache_path, credential=None, tenant_id=TENANT) -> TokenProvider talking to the fake Entra."""
    def factory(cache_path, credential=None, tenant_id=TENANT):
        credential = credential or select_credential(dict(IDS, client_secret=SECRET), environ={})
        endpoints = Endpoints(authority_host=entra.url)
        return TokenProvider(credential, endpoints, tenant_id=tenant_id, client_id=CLIENT, cache_path=cache_path, http_client=entra_http)
    return factory


def test_access_token_provider_needs_no_network():
    tokens = TokenProvider(select_credential({'access_token': 'pre-acquired'}, environ={}), Endpoints())
    assert tokens.token() == 'pre-acquired'
    assert tokens.refresh() is False
    assert tokens.token_requests == 0


def test_token_request_uses_the_clouds_scope_and_the_secret(entra, provider, tmp_path):
    tokens = provider(str(tmp_path / 'cache.json'))
    assert tokens.token() == 'entra-access-token-1'
    assert tokens.token() == 'entra-access-token-1'  # kept in memory
    (request,) = entra.state.token_requests()
    assert request[1] == '/%s/oauth2/v2.0/token' % TENANT
    form = request[2]
    assert form['grant_type'] == 'client_credentials'
    assert form['scope'].split() == ['https://graph.microsoft.com/.default']
    assert form['client_id'] == CLIENT
    assert form['client_secret'] == SECRET


def test_cache_file_is_private(provider, tmp_path):
    path = tmp_path / 'state' / 'cache.json'
    provider(str(path)).token()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert 'entra-access-token-1' in path.read_text()


def test_two_providers_sharing_a_cache_ask_entra_once(entra, provider, tmp_path):
    path = str(tmp_path / 'cache.json')
    first, second = provider(path), provider(path)
    assert first.token() == 'entra-access-token-1'
    assert second.token() == 'entra-access-token-1'
    assert len(entra.state.token_requests()) == 1
    assert entra.state.issued == 1


def test_second_provider_uses_the_fast_path_without_discovery(entra, provider, tmp_path):
    path = str(tmp_path / 'cache.json')
    provider(path).token()
    assert len(entra.state.discovery_requests()) == 1
    second = provider(path)
    assert second.token() == 'entra-access-token-1'
    assert len(entra.state.requests) == 2  # one discovery and one token request, both by the first provider
    assert second.token_requests == 0


def test_fast_path_with_a_domain_tenant(entra, provider, tmp_path):
    entra.state.realms['contoso.onmicrosoft.com'] = TENANT
    path = str(tmp_path / 'cache.json')
    provider(path, tenant_id='contoso.onmicrosoft.com').token()
    provider(path, tenant_id='contoso.onmicrosoft.com').token()
    assert len(entra.state.discovery_requests()) == 1
    assert len(entra.state.token_requests()) == 1


def test_expired_cached_token_is_renewed(entra, provider, tmp_path):
    path = tmp_path / 'cache.json'
    provider(str(path)).token()
    cache = json.loads(path.read_text())
    for entry in cache['AccessToken'].values():
        entry['expires_on'] = str(int(time.time()) - 10)
        entry['extended_expires_on'] = entry['expires_on']
    path.write_text(json.dumps(cache))
    assert provider(str(path)).token() == 'entra-access-token-2'
    assert entra.state.issued == 2


def test_token_about_to_expire_is_renewed(entra, provider, tmp_path):
    entra.state.expires_in = auth.EXPIRY_MARGIN - 60
    path = str(tmp_path / 'cache.json')
    provider(path).token()
    entra.state.expires_in = 3599
    assert provider(path).token() == 'entra-access-token-2'


def test_refresh_drops_the_cached_token_and_asks_again(entra, provider, tmp_path):
    path = str(tmp_path / 'cache.json')
    tokens = provider(path)
    assert tokens.token() == 'entra-access-token-1'
    assert tokens.refresh() is True
    assert tokens.token() == 'entra-access-token-2'
    assert entra.state.issued == 2
    assert provider(path).token() == 'entra-access-token-2'  # the rejected token is gone from the shared cache too


def test_refresh_with_a_domain_tenant(entra, provider, tmp_path):
    entra.state.realms['contoso.onmicrosoft.com'] = TENANT
    tokens = provider(str(tmp_path / 'cache.json'), tenant_id='contoso.onmicrosoft.com')
    assert tokens.token() == 'entra-access-token-1'
    tokens.refresh()
    assert tokens.token() == 'entra-access-token-2'


def test_in_memory_cache_writes_no_file(entra, provider, tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    monkeypatch.chdir(tmp_path)
    tokens = provider('')
    assert tokens.token() == 'entra-access-token-1'
    assert not isinstance(tokens.cache, PersistedTokenCache)
    assert os.listdir(tmp_path) == []
    assert provider('').token() == 'entra-access-token-2'  # nothing shared


def test_token_error_is_an_auth_error_with_the_first_line_only(entra, provider, tmp_path):
    description = ("AADSTS700016: Application with identifier '%s' was not found in the directory 'Contoso'. This can happen if "
                   "the application has not been installed by the administrator of the tenant.\r\n"
                   "Trace ID: 0f7a1c2e-0000-4000-8000-000000000001\r\nCorrelation ID: 5b8e-0000\r\nTimestamp: 2024-05-01 10:00:00Z"
                   % CLIENT)
    entra.state.error = (400, {'error': 'unauthorized_client', 'error_description': description, 'error_codes': [700016],
                               'trace_id': '0f7a1c2e-0000-4000-8000-000000000001', 'correlation_id': '5b8e-0000'})
    tokens = provider(str(tmp_path / 'cache.json'))
    with pytest.raises(AuthError) as err:
        tokens.token()
    message = str(err.value)
    assert 'unauthorized_client' in message
    assert "AADSTS700016: Application with identifier '%s' was not found" % CLIENT in message
    assert 'Trace ID' not in message and 'Correlation ID' not in message
    assert SECRET not in message
    assert entra.state.issued == 0


def test_unknown_tenant_discovery_failure_is_an_auth_error(entra, provider, tmp_path, monkeypatch):
    tokens = provider('', tenant_id=TENANT)
    monkeypatch.setattr(tokens.endpoints, 'authority_host', entra.url + '/missing')
    with pytest.raises(AuthError) as err:
        tokens.token()
    assert 'authority' in str(err.value)


def test_certificate_credential_sends_a_signed_assertion_with_the_thumbprint(entra, provider, tmp_path, pki):
    path = tmp_path / 'app.pem'
    path.write_bytes(pki.key_pem + pki.cert_pem)
    credential = select_credential(dict(IDS, client_certificate_path=str(path)), environ={})
    assert provider('', credential=credential).token() == 'entra-access-token-1'
    form = entra.state.token_requests()[0][2]
    assert 'client_secret' not in form
    assert form['client_assertion_type'] == 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    header_b64, payload_b64, signature_b64 = form['client_assertion'].split('.')
    header, payload = json.loads(b64url_decode(header_b64)), json.loads(b64url_decode(payload_b64))
    # msal picks x5t (SHA-1, RS256) or x5t#S256 (PS256); either way it names this certificate
    if 'x5t' in header and header['alg'] == 'RS256':
        assert b64url_decode(header['x5t']) == bytes.fromhex(pki.thumbprint)
        pad = padding.PKCS1v15()
    else:
        assert b64url_decode(header['x5t#S256']) == pki.cert.fingerprint(hashes.SHA256())
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=hashes.SHA256.digest_size)
    assert payload['iss'] == payload['sub'] == CLIENT
    assert payload['aud'] == '%s/%s/oauth2/v2.0/token' % (entra.url, TENANT)
    pki.cert.public_key().verify(b64url_decode(signature_b64), ('%s.%s' % (header_b64, payload_b64)).encode('ascii'), pad, hashes.SHA256())


def test_federated_credential_sends_the_current_file_content(entra, provider, tmp_path):
    path = tmp_path / 'token'
    path.write_text('projected-token-1')
    credential = select_credential(dict(IDS, federated_token_file=str(path)), environ={})
    provider('', credential=credential).token()
    path.write_text('projected-token-2')
    provider('', credential=credential).token()
    assertions = [request[2]['client_assertion'] for request in entra.state.token_requests()]
    assert assertions == ['projected-token-1', 'projected-token-2']
