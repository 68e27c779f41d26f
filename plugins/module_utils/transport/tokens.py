# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The token provider: a bearer token for the Graph scope, from the shared cache when it holds a
valid one (without even an OpenID discovery request), else from Entra through msal.

The first token of an app is asked for under a lock shared by the processes of one controller
(token_cache.token_lock), and the cache is read again once the lock is held: ten forks that
start with an empty cache make one token request, not ten.
"""

from __future__ import annotations

import json
import os
import time
from urllib.parse import urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport.entra import entra_text
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError, display_url, first_line, one_line
from ansible_collections.graphops.intune.plugins.module_utils.transport.libraries import msal
from ansible_collections.graphops.intune.plugins.module_utils.transport.token_cache import (
    atomic_write, build_cache, is_persistent, token_lock, token_lock_path)

# Renew a cached token this long before it expires, so that it cannot lapse mid-task.
EXPIRY_MARGIN = 300


class TokenProvider(object):
    """Hands out a bearer token for the Graph scope; refresh() forces a new one."""

    def __init__(self, credential, endpoints, tenant_id=None, client_id=None, cache_path=None, http_client=None):
        self.credential = credential
        self.endpoints = endpoints
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.cache_path = cache_path
        self.http_client = http_client
        self._cache = None
        self._app = None
        self._token = None
        self._aliases = None
        self.token_requests = 0  # how many times Entra was asked (for tests and benchmarks)
        self.warnings = []  # for the module to show (a cache set aside or bypassed)
        self.cache_is_default = False

    @property
    def cache(self):
        if self._cache is None:
            self._cache = build_cache(self.cache_path, self.warnings, self.cache_is_default)
        return self._cache

    def token(self):
        if self._token:
            return self._token
        if not self.credential.uses_msal:
            self._token = self.credential.values['access_token']
            return self._token
        if self.credential.own_flow:
            self._token = self.credential.acquire(self)
            return self._token
        self._token = self._cached_token() or self._first_token()
        return self._token

    def refresh(self):
        """Drop the current token (also from the shared cache) and get a new one.

        Returns False when there is no way to get another (a pre-acquired access token).
        """
        if not self.credential.uses_msal:
            return False
        if self.credential.own_flow:
            self._token = None
            self._token = self.credential.acquire(self, refresh=True)
            return True
        self._remember_realm(self._build_app())
        for entry in self._cached_entries():
            self.cache.remove_at(entry)
        self._token = None
        self._token = self._acquire()
        return True

    def _first_token(self):
        """No valid token in the cache: ask Entra under the lock of this app, unless another process
        of this controller got one while this one waited for the lock."""
        with token_lock(self._lock_path()) as locked:
            if locked:
                self._aliases = None  # what a domain tenant resolved to may have been learnt meanwhile
                token = self._cached_token()
                if token:
                    return token
            return self._acquire()

    def _lock_path(self):
        """The lock file of this app's first token, beside a persistent cache that is used; None for an
        in-memory cache (nothing to share)."""
        if not self.cache_path or not is_persistent(self.cache):
            return None
        return token_lock_path(self.cache_path, self.endpoints.authority_host, self.tenant_id, self.client_id)

    # msal files a token under the tenant GUID of the token endpoint, also when tenant_id is
    # a domain (contoso.onmicrosoft.com). What a domain resolved to is remembered beside the
    # cache, so that later tasks find the token without an OpenID discovery request.
    def _alias_path(self):
        return os.path.abspath(os.path.expanduser(self.cache_path)) + '.tenants.json' if self.cache_path else None

    def _tenant_aliases(self):
        if self._aliases is None:
            self._aliases = {}
            path = self._alias_path()
            if path and os.path.exists(path):
                try:
                    with open(path, 'r') as handle:
                        data = json.load(handle)
                    self._aliases = data if isinstance(data, dict) else {}
                except (IOError, OSError, ValueError):
                    self._aliases = {}
        return self._aliases

    def _realm(self):
        tenant = self.tenant_id.lower()
        return self._tenant_aliases().get(tenant, tenant)

    def _remember_realm(self, app):
        realm = (getattr(app.authority, 'tenant', None) or '').lower()
        tenant = self.tenant_id.lower()
        if not realm or realm == tenant or self._tenant_aliases().get(tenant) == realm:
            return
        self._aliases = dict(self._tenant_aliases(), **{tenant: realm})
        path = self._alias_path()
        if path:
            atomic_write(path, json.dumps(self._aliases))

    def _cached_entries(self):
        # msal files tokens under the authority's host name (without a port).
        host = urlsplit(self.endpoints.authority_host).hostname
        realm = self._realm()
        entries = self.cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN, target=[self.endpoints.scope],
                                    query={'client_id': self.client_id})
        return [entry for entry in entries if entry.get('environment') == host and (entry.get('realm') or '').lower() == realm]

    def _cached_token(self):
        """The fast path: a valid token in the shared cache, without building an msal app.

        Building the app costs an OpenID discovery request, which a cached token makes
        unnecessary; so a playbook run asks Entra once and every later task reuses it.
        """
        now = time.time()
        for entry in self._cached_entries():
            try:
                expires_on = int(entry.get('expires_on', 0))
            except (TypeError, ValueError):
                continue
            if expires_on - EXPIRY_MARGIN > now:
                return entry.get('secret')
        return None

    def _build_app(self):
        if self._app is None:
            kwargs = dict(
                client_credential=self.credential.client_credential(),
                authority=self.endpoints.authority(self.tenant_id),
                token_cache=self.cache,
                http_client=self.http_client,
            )
            if self.endpoints.authority_overridden:
                kwargs['instance_discovery'] = False
            try:
                self._app = msal.ConfidentialClientApplication(self.client_id, **kwargs)
            except ValueError as exc:
                # msal raises ValueError for an unknown tenant (its text is about b2clogin/ciamlogin
                # authorities, which does not help here) or an unreadable discovery document.
                raise AuthError(self._authority_problem(exc))
        return self._app

    def _authority_problem(self, exc):
        authority = self.endpoints.authority(self.tenant_id)
        last = getattr(self.http_client, 'last', None)
        if last and 'openid-configuration' in last[1]:
            url, status, text = last[1], last[2], last[3]  # last: (method, url, status, text)
            if 400 <= status < 500:
                return ('tenant %r was not found at %s (Entra OpenID discovery at %s answered HTTP %d: %s); check tenant_id, '
                        'and cloud or authority_host' % (self.tenant_id, self.endpoints.authority_host, display_url(url),
                                                         status, entra_text(text)))
            return 'Entra OpenID discovery at %s answered HTTP %d with a document msal cannot read: %s' % (
                display_url(url), status, one_line(text, 200))
        return 'cannot use the Entra authority %s: %s' % (authority, first_line(str(exc)))

    def _acquire(self):
        app = self._build_app()
        self._remember_realm(app)
        self.token_requests += 1
        result = app.acquire_token_for_client(scopes=[self.endpoints.scope])
        if 'access_token' not in result:
            raise AuthError('Entra token request for %s failed: %s: %s' % (
                self.endpoints.authority(self.tenant_id), result.get('error', 'unknown_error'),
                first_line(result.get('error_description', ''))))
        return result['access_token']
