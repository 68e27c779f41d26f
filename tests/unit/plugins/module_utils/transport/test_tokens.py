# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""TokenProvider against the fake Entra (transport/tokens.py)."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import time
from contextlib import contextmanager

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from msal_extensions import PersistedTokenCache

from ansible_collections.graphops.intune.plugins.module_utils.transport import tokens as tokens_module
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints
from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import select_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.tokens import EXPIRY_MARGIN, TokenProvider


SECRET = 'app-secret-value-Q~x'
TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
CLIENT = '11111111-2222-3333-4444-555555555555'
IDS = {'tenant_id': TENANT, 'client_id': CLIENT}


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


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
    entra.state.expires_in = EXPIRY_MARGIN - 60
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


# -- the first token of an app, under the controller's lock (issue 22, item 3) ----------------
def test_the_cache_is_read_again_once_the_lock_is_held(entra, provider, tmp_path, monkeypatch):
    """Another process got the token while this one waited for the lock: it is used, Entra is not asked again."""
    path = str(tmp_path / 'cache.json')
    first, second = provider(path), provider(path)
    real_lock = tokens_module.token_lock
    seen = []

    @contextmanager
    def lock_won_after_another_process(lock_path):
        if not seen:
            seen.append(lock_path)
            assert first.token() == 'entra-access-token-1'  # meanwhile, another process of this controller
        with real_lock(lock_path) as locked:
            yield locked
    monkeypatch.setattr(tokens_module, 'token_lock', lock_won_after_another_process)
    assert second.token() == 'entra-access-token-1'
    assert entra.state.issued == 1 and len(entra.state.token_requests()) == 1
    assert os.path.dirname(seen[0]) == str(tmp_path) and os.path.basename(seen[0]).startswith('cache.json.token-')


def test_the_lock_is_per_app_and_tenant(provider, tmp_path):
    path = str(tmp_path / 'cache.json')
    assert provider(path)._lock_path() == provider(path)._lock_path()  # pylint: disable=protected-access
    assert provider(path)._lock_path() != provider(path, tenant_id='contoso.onmicrosoft.com')._lock_path()  # pylint: disable=protected-access
    assert provider('')._lock_path() is None  # pylint: disable=protected-access


def test_providers_in_threads_ask_entra_once(entra, provider, tmp_path):
    path = str(tmp_path / 'new' / 'cache.json')
    providers = [provider(path) for dummy in range(6)]
    results = []
    threads = [threading.Thread(target=lambda p=p: results.append(p.token())) for p in providers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == ['entra-access-token-1'] * 6
    assert entra.state.issued == 1
