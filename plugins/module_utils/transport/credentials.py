# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The credential kinds, one small class each, and the one selector that picks the kind to use.

Each kind names its kind (its options come from options.COMMON_OPTIONS, credential=kind),
checks its local inputs in validate() and gives msal its client_credential(); the kinds that
get a token without a confidential client app (managed identity, Azure CLI) implement
acquire(). select_credential is the only place that decides: credentials given as options
win over the environment, two kinds in the same place are an error, and everything here
fails before any network call.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

from ansible_collections.graphops.intune.plugins.module_utils.transport import options as common_options
from ansible_collections.graphops.intune.plugins.module_utils.transport.certificates import certificate_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError, first_line
from ansible_collections.graphops.intune.plugins.module_utils.transport.libraries import msal


class Credential(object):
    """A credential kind: what msal needs for it. Its options are in options.COMMON_OPTIONS
    (credential=kind); option/env below are filled from there (see _bind_options)."""

    kind = None
    option = None      # the option whose presence selects this kind
    env = None         # its first environment variable
    envs = ()          # all its environment variables
    uses_msal = True
    needs_app = True   # needs tenant_id and client_id (an app registration)
    own_flow = False   # True: the kind gets its token itself (acquire()), not through a ConfidentialClientApplication

    def __init__(self, values):
        self.values = values  # option name -> value, for this kind's options

    @staticmethod
    def present(value):
        """Whether an option or env value selects this kind."""
        return bool(value)

    def acquire(self, provider, refresh=False):
        """The token, for own_flow kinds; refresh=True when Graph refused the last one."""
        raise NotImplementedError

    def validate(self):
        """Check local inputs (files exist, parse) before any network call."""

    def client_credential(self):
        raise NotImplementedError


class ClientSecret(Credential):
    kind = 'client secret'

    def client_credential(self):
        return self.values['client_secret']


class ClientCertificate(Credential):
    kind = 'client certificate'

    def validate(self):
        path = os.path.expanduser(self.values['client_certificate_path'])
        try:
            with open(path, 'rb') as handle:
                data = handle.read()
        except (IOError, OSError) as exc:
            raise AuthError('client_certificate_path %r cannot be read: %s' % (path, exc.strerror or exc))
        self._credential = certificate_credential(path, data, self.values.get('client_certificate_password'))

    def client_credential(self):
        return self._credential


class FederatedToken(Credential):
    kind = 'federated token file'

    def validate(self):
        self._read()

    def _read(self):
        path = os.path.expanduser(self.values['federated_token_file'])
        try:
            with open(path, 'r') as handle:
                token = handle.read().strip()
        except (IOError, OSError) as exc:
            raise AuthError('federated_token_file %r cannot be read: %s' % (path, exc.strerror or exc))
        if not token:
            raise AuthError('federated_token_file %r is empty' % path)
        return token

    def client_credential(self):
        # A callable: msal calls it for each token request, so a rotated projected
        # service-account token is picked up (the file is re-read every time).
        return {'client_assertion': self._read}


class AccessToken(Credential):
    kind = 'access token'
    uses_msal = False


def _boolean(value):
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ('1', 'true', 'yes', 'on', 'y', 't')


MANAGED_IDENTITY_RESOURCE_ID = re.compile(
    r'^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.managedidentity/userassignedidentities/[^/]+$', re.I)
GUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', re.I)


class ManagedIdentity(Credential):
    """The Azure resource's own identity (VM, VMSS, AKS, App Service, Functions, Arc, Service Fabric,
    Machine Learning), through msal's ManagedIdentityClient, which picks the source from the environment."""

    kind = 'managed identity'
    needs_app = False
    own_flow = True

    @staticmethod
    def present(value):
        return _boolean(value) if value is not None else False

    def validate(self):
        if not hasattr(msal, 'ManagedIdentityClient'):
            raise AuthError('managed_identity needs msal 1.29.0 or later (installed: %s)' % getattr(msal, '__version__', 'unknown'))
        identifier = self.values.get('managed_identity_client_id')
        if identifier and not (GUID.match(identifier) or MANAGED_IDENTITY_RESOURCE_ID.match(identifier)):
            raise AuthError('managed_identity_client_id must be the client id (a GUID) or the resource id '
                            '(/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME) of a '
                            'user-assigned managed identity, got %r' % identifier)
        source = self.source()
        if source == 'Cloud Shell':
            raise AuthError('Azure Cloud Shell has no managed identity for applications; use azure_cli=true there '
                            '(Cloud Shell is logged in to the Azure CLI)')

    def identity(self):
        identifier = self.values.get('managed_identity_client_id')
        if not identifier:
            return msal.SystemAssignedManagedIdentity()
        if GUID.match(identifier):
            return msal.UserAssignedManagedIdentity(client_id=identifier)
        return msal.UserAssignedManagedIdentity(resource_id=identifier)

    @staticmethod
    def source():
        """Where msal will ask, from the environment (its own detection), for messages."""
        from msal import managed_identity as mi
        found = mi.get_managed_identity_source()
        names = ((mi.SERVICE_FABRIC, 'Service Fabric'), (mi.APP_SERVICE, 'App Service'), (mi.MACHINE_LEARNING, 'Machine Learning'),
                 (mi.AZURE_ARC, 'Azure Arc'), (mi.CLOUD_SHELL, 'Cloud Shell'))
        for sentinel, name in names:
            if found is sentinel:
                return name
        return 'IMDS'

    def _cache_id(self):
        # What msal files the token under: the identifier given; None for the system-assigned identity.
        return self.values.get('managed_identity_client_id') or None

    def acquire(self, provider, refresh=False):
        resource = provider.endpoints.scope[:-len('/.default')]
        if refresh:
            # msal files managed identity tokens under host "localhost", realm "managed_identity".
            entries = list(provider.cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN, target=[resource], query={
                'client_id': self._cache_id(), 'environment': 'localhost', 'realm': 'managed_identity'}))
            for entry in entries:
                provider.cache.remove_at(entry)
        client = msal.ManagedIdentityClient(self.identity(), http_client=_task_session(provider.http_client),
                                            token_cache=provider.cache)
        where = self.source()
        try:
            result = client.acquire_token_for_client(resource=resource)
        except Exception as exc:  # msal raises what the transport raises (requests, JSON, OSError for Arc's key file)
            raise AuthError('managed identity token request (%s) failed: %s: %s' % (where, type(exc).__name__, first_line(str(exc))))
        if not isinstance(result, dict) or 'access_token' not in result:
            result = result if isinstance(result, dict) else {}
            raise AuthError('managed identity token request (%s) failed: %s: %s' % (
                where, result.get('error', 'unknown_error'), first_line(str(result.get('error_description', '')))))
        if result.get('token_source') == 'identity_provider':
            provider.token_requests += 1
        return result['access_token']


class AzureCli(Credential):
    """Reuse the Azure CLI's login (az login, Cloud Shell, a pipeline's Azure CLI task), as azure-identity's
    AzureCliCredential does: az account get-access-token --output json --resource <Graph resource of the cloud>."""

    kind = 'Azure CLI login'
    needs_app = False
    own_flow = True
    timeout = 60

    @staticmethod
    def present(value):
        return _boolean(value) if value is not None else False

    def validate(self):
        self._az = shutil.which('az')
        if not self._az:
            raise AuthError('azure_cli: the Azure CLI (az) is not installed or not on PATH of the host running the task; '
                            'install it and run "az login", or use another credential')

    def acquire(self, provider, refresh=False):
        resource = provider.endpoints.scope[:-len('/.default')]
        args = [self._az, 'account', 'get-access-token', '--output', 'json', '--resource', resource]
        tenant = self.values.get('tenant_id')
        if tenant:
            args += ['--tenant', tenant]
        env = dict(os.environ, AZURE_CORE_NO_COLOR='true', AZURE_CORE_ONLY_SHOW_ERRORS='true')
        try:
            # The transport layer has no AnsibleModule, so no run_command: az runs with its own env, cwd and timeout.
            proc = subprocess.run(  # pylint: disable=ansible-bad-function
                args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=self.timeout, env=env, cwd='/', check=False)
        except subprocess.TimeoutExpired:
            raise AuthError('azure_cli: "az account get-access-token" did not answer within %d seconds' % self.timeout)
        except OSError as exc:
            raise AuthError('azure_cli: cannot run %s: %s' % (self._az, exc))
        provider.token_requests += 1
        if proc.returncode != 0:
            error = _redact_cli(proc.stderr)
            if proc.returncode == 127:
                raise AuthError('azure_cli: the Azure CLI (az) could not be run: %s' % first_line(error))
            if ('az login' in error or 'az account set' in error) and 'AADSTS' not in error:
                raise AuthError('azure_cli: the Azure CLI is not logged in%s: run "az login" (or "az login --identity" on an '
                                'Azure resource) as the user that runs the task' % (' to tenant %s' % tenant if tenant else ''))
            raise AuthError('azure_cli: "az account get-access-token" failed: %s' % (_last_lines(error) or 'exit code %d' % proc.returncode))
        try:
            answer = json.loads(proc.stdout)
            token = answer['accessToken']
        except (ValueError, KeyError, TypeError):
            raise AuthError('azure_cli: unexpected output from "az account get-access-token": %s' % _redact_cli(proc.stdout)[:200])
        if not isinstance(token, str) or not token:
            raise AuthError('azure_cli: "az account get-access-token" returned no access token')
        return token


def _redact_cli(text):
    return re.sub(r'"accessToken"\s*:\s*"[^"]*"', '"accessToken": "***"', text or '').strip()


def _last_lines(text, count=2):
    lines = [line for line in (text or '').splitlines() if line.strip()]
    return ' '.join(lines[-count:])


def _task_session(http_client):
    """A requests.Session with the task's TLS and timeout settings, for msal's managed identity client
    (its Service Fabric path needs a real Session to pin the endpoint's certificate)."""
    import requests

    verify = getattr(http_client, 'verify', True)
    timeout = getattr(http_client, 'timeout', 30)

    class TaskSession(requests.Session):
        def request(self, method, url, **kwargs):
            kwargs.setdefault('timeout', timeout)
            kwargs.setdefault('verify', verify)
            return super(TaskSession, self).request(method, url, **kwargs)

    return TaskSession()


CREDENTIAL_KINDS = (ClientSecret, ClientCertificate, FederatedToken, AccessToken, ManagedIdentity, AzureCli)


def _bind_options(kinds):
    """Each kind's selecting option and its environment variables, from the common options table."""
    for kind in kinds:
        option = common_options.selector(kind.kind)
        kind.option, kind.envs = option.name, option.env
        kind.env = option.env[0] if option.env else None


_bind_options(CREDENTIAL_KINDS)
CREDENTIAL_OPTIONS = tuple(kind.option for kind in CREDENTIAL_KINDS)


def select_credential(params, environ=None):
    """Return the one Credential the options (else the environment) name.

    Module options win over environment variables, so a task can override what the
    controller's environment holds; two kinds in the same place are ambiguous. The chosen
    kind's other options (a certificate's password) not given are read from their
    environment variables.
    """
    environ = os.environ if environ is None else environ
    given = [kind for kind in CREDENTIAL_KINDS if kind.present(params.get(kind.option))]
    source = 'options'
    if not given:
        given = [kind for kind in CREDENTIAL_KINDS if _env_name(kind, environ)]
        source = 'environment'
    if params.get('managed_identity_client_id') and ManagedIdentity not in given:
        raise AuthError('managed_identity_client_id is set but managed_identity is not: set managed_identity=true '
                        '(or GRAPH_MANAGED_IDENTITY=true) to use a user-assigned managed identity')
    if not given:
        if environ.get('AZURE_AD_USER') or environ.get('AZURE_PASSWORD'):
            raise AuthError('a user name and password (AZURE_AD_USER, AZURE_PASSWORD) cannot be used with Microsoft Graph '
                            'application permissions: give the Azure credential a client id, a tenant and a secret')
        raise AuthError('no credentials: set one of %s (or the environment variable %s)' % (
            ', '.join(CREDENTIAL_OPTIONS), ', '.join(name for kind in CREDENTIAL_KINDS for name in kind.envs)))
    if len(given) > 1:
        if source == 'options':
            names = ', '.join(kind.option for kind in given)
        else:
            names = ', '.join(_env_name(kind, environ) for kind in given)
        raise AuthError('ambiguous credentials: exactly one of %s may be set, got %s (from the %s)' % (
            ', '.join(CREDENTIAL_OPTIONS), names, source))
    kind = given[0]
    values = dict(params)
    for option in common_options.credential_options(kind.kind):
        if not values.get(option.name):
            values[option.name] = _env_value(kind, environ) if option.selects else common_options.from_environment(option, environ)
    credential = kind(values)
    if kind.uses_msal and kind.needs_app:
        missing = [name for name in common_options.APP_IDENTITY_OPTIONS if not params.get(name)]
        if missing:
            raise AuthError('%s authentication needs %s (or %s)' % (kind.kind, ' and '.join(missing), ' / '.join(
                common_options.BY_NAME[name].env[0] for name in common_options.APP_IDENTITY_OPTIONS)))
    credential.validate()
    return credential


def _env_name(kind, environ):
    """The environment variable that selects a kind (the first set one whose value selects it), else None."""
    for name in kind.envs:
        if environ.get(name) and kind.present(environ[name]):
            return name
    return None


def _env_value(kind, environ):
    name = _env_name(kind, environ)
    return environ[name] if name else None
