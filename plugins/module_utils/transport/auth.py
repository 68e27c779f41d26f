# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Credentials -> bearer token.

One class per credential kind (its option names, validate(), client_credential()),
behind TokenProvider, which owns msal and the persistent token cache. Exactly one kind
is used: credentials given as module options win over the environment, and two kinds
in the same place are an error. Everything here fails before any network call.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from urllib.parse import urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport import options as common_options
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError


def _lazy_import(name):
    """The module, loaded at its first use (msal and msal-extensions cost ~0.3 s of start-up
    that a task with an access token never needs); (None, error text) when it is missing."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        try:
            importlib.import_module(name)  # the real ImportError, for missing_required_lib
        except ImportError:
            return None, traceback.format_exc()
    if name in sys.modules:
        return sys.modules[name], None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module, None


msal, MSAL_IMPORT_ERROR = _lazy_import('msal')
HAS_MSAL = msal is not None
msal_extensions, MSAL_EXTENSIONS_IMPORT_ERROR = _lazy_import('msal_extensions')
HAS_MSAL_EXTENSIONS = msal_extensions is not None


def _persistence_not_found(**kwargs):
    from msal_extensions.persistence import PersistenceNotFound
    return PersistenceNotFound(**kwargs)


# Renew a cached token this long before it expires, so that it cannot lapse mid-task.
EXPIRY_MARGIN = 300
# What Entra answers that is worth another try (as for Graph, plus 500: Entra's AADSTS90033 is sometimes a 500).
ENTRA_RETRY_STATUSES = (429, 500, 503, 504)


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
        password = self.values.get('client_certificate_password')
        if b'-----BEGIN' in data:
            self._credential = _pem_credential(path, data, password)
        else:
            self._credential = _pfx_credential(path, _unbase64(data), password)

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
            raise AuthError('managed identity token request (%s) failed: %s: %s' % (where, type(exc).__name__, _first_line(str(exc))))
        if not isinstance(result, dict) or 'access_token' not in result:
            result = result if isinstance(result, dict) else {}
            raise AuthError('managed identity token request (%s) failed: %s: %s' % (
                where, result.get('error', 'unknown_error'), _first_line(str(result.get('error_description', '')))))
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
                raise AuthError('azure_cli: the Azure CLI (az) could not be run: %s' % _first_line(error))
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


def _unbase64(data):
    """A PFX given as base64 text (as AWX's file injectors and Key Vault exports hold it) -> its bytes."""
    text = b''.join(data.split())
    if not text or data[:1] == b'\x30':  # DER: a PFX file as is
        return data
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return data


def _pem_credential(path, data, password):
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
    except ImportError:
        raise AuthError('reading client_certificate_path needs the Python library "cryptography"')
    cert = key = None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        pass
    try:
        key = serialization.load_pem_private_key(data, password=password.encode('utf-8') if password else None)
    except (ValueError, TypeError) as exc:
        raise AuthError('client_certificate_path %r: cannot load the private key (%s); the PEM file must hold the key and '
                        'the certificate, and client_certificate_password is needed for an encrypted key' % (path, exc))
    if cert is None:
        raise AuthError('client_certificate_path %r holds no certificate; the PEM file must hold the key and the certificate' % path)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    return {
        'private_key': key_pem.decode('ascii'),
        'thumbprint': cert.fingerprint(hashes.SHA1()).hex().upper(),  # nosec - Entra's x5t is SHA-1 by definition
        'public_certificate': cert_pem.decode('ascii'),
    }


def _pfx_credential(path, data, password):
    try:
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise AuthError('reading client_certificate_path needs the Python library "cryptography"')
    try:
        key, cert, dummy = pkcs12.load_key_and_certificates(data, password.encode('utf-8') if password else None)
    except (ValueError, TypeError) as exc:
        raise AuthError('client_certificate_path %r is neither PEM nor a PFX that opens with the given '
                        'client_certificate_password (%s)' % (path, exc))
    if key is None or cert is None:
        raise AuthError('client_certificate_path %r: the PFX must hold a private key and its certificate' % path)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem += cert.public_bytes(serialization.Encoding.PEM)
    return _pem_credential(path, pem, None)


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


def default_cache_path(environ=None):
    environ = os.environ if environ is None else environ
    base = environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'graphops.intune', 'msal_token_cache.json')


def _atomic_write(location, content):
    """Write a 0600 file by temp file + rename, so that no reader sees half of it."""
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(location), dir=os.path.dirname(location))  # mkstemp: 0600
    try:
        with os.fdopen(fd, 'w') as handle:
            handle.write(content)
        os.replace(tmp, location)
    except Exception:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class AtomicFilePersistence(object):
    """msal-extensions persistence that writes a 0600 file atomically (temp + rename).

    PersistedTokenCache serialises writers with its cross-process lock; the rename makes
    sure a concurrent reader never sees a half-written file.
    """

    is_encrypted = False  # a plain file, protected by its mode, like msal-extensions' FilePersistence

    def __init__(self, location):
        self._location = location
        directory = os.path.dirname(location)
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        if os.path.exists(location) and os.stat(location).st_mode & 0o077:
            os.chmod(location, 0o600)

    def save(self, content):
        _atomic_write(self._location, content)

    def load(self):
        try:
            with open(self._location, 'r') as handle:
                return handle.read()
        except (IOError, OSError):
            raise _persistence_not_found(message='token cache %s not found' % self._location, location=self._location)

    def time_last_modified(self):
        try:
            return os.path.getmtime(self._location)
        except OSError:
            raise _persistence_not_found(message='token cache %s not found' % self._location, location=self._location)

    def touch(self):
        with open(self._location, 'a'):
            os.utime(self._location, None)

    def get_location(self):
        return self._location


# The sections of msal's serialised cache: each maps keys to entries (dicts).
CACHE_SECTIONS = ('AccessToken', 'RefreshToken', 'IdToken', 'Account', 'AppMetadata')


def cache_location_problem(path):
    """Why the cache at path cannot be trusted (a symlink, another user's, in a directory others
    can write), or None. Checked before the file is opened, chmod-ed or written."""
    directory = os.path.dirname(path)
    try:
        info = os.stat(directory)  # the directory itself may be reached through a symlink (~/.cache)
    except OSError:
        info = None  # created 0700 by us
    if info is not None:
        if info.st_uid not in (os.geteuid(), 0):
            return 'its directory %s belongs to another user (uid %d)' % (directory, info.st_uid)
        if info.st_mode & 0o022:
            return 'its directory %s is writable by other users (mode %03o)' % (directory, stat.S_IMODE(info.st_mode))
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return 'it is a symlink (to %s)' % os.readlink(path)
    if not stat.S_ISREG(info.st_mode):
        return 'it is not a regular file'
    if info.st_uid != os.geteuid():
        return 'it belongs to another user (uid %d)' % info.st_uid
    return None


def cache_content_problem(text):
    """Why a cache file's content is not msal's cache shape, or None (an empty file is fine)."""
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        return 'not JSON (%s)' % exc
    if not isinstance(data, dict):
        return 'a JSON %s, not an object' % type(data).__name__
    for section in CACHE_SECTIONS:
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, dict) or not all(isinstance(entry, dict) for entry in entries.values()):
            return 'its "%s" section is not a map of entries' % section
    return None


def _set_aside(path, warnings):
    """Move an unreadable cache out of the way (kept for inspection), so that it is rebuilt."""
    try:
        with open(path, 'r') as handle:
            problem = cache_content_problem(handle.read())
    except UnicodeDecodeError:
        problem = 'not text'
    except (IOError, OSError):
        return
    if problem:
        aside = '%s.corrupt-%d' % (path, int(time.time()))
        try:
            os.rename(path, aside)
        except OSError as exc:
            raise AuthError('token cache %s is unreadable (%s) and cannot be set aside: %s' % (path, problem, exc))
        warnings.append('token cache %s was unreadable (%s); it was set aside as %s and a new one is built' % (
            path, problem, aside))


def build_cache(path, warnings=None, is_default=False):
    """A token cache shared by every module process of a run ('' = in memory only).

    The cache is trusted only if it is a regular file of this user in a directory others
    cannot write; otherwise an explicit token_cache_path fails, and the default path is
    bypassed (in-memory cache) with a warning. A corrupt cache is set aside and rebuilt.
    """
    warnings = [] if warnings is None else warnings
    if not path:
        return msal.TokenCache()
    path = os.path.abspath(os.path.expanduser(path))
    problem = cache_location_problem(path)
    if problem:
        if is_default:
            warnings.append('the default token cache %s is not used: %s; tokens are kept in memory for this task '
                            '(set token_cache_path to a file of yours)' % (path, problem))
            return msal.TokenCache()
        raise AuthError('token_cache_path %s is refused: %s. Point it at a file of yours in a directory only you can '
                        'write, or set it to "" to disable the cache' % (path, problem))
    _set_aside(path, warnings)
    try:
        return msal_extensions.PersistedTokenCache(AtomicFilePersistence(path))
    except (IOError, OSError) as exc:
        raise AuthError('token_cache_path %r cannot be used: %s (set token_cache_path to "" to disable the cache)' % (path, exc))


def entra_call(url):
    """What an Entra URL is, for messages."""
    if 'openid-configuration' in url:
        return 'OpenID discovery'
    if '/oauth2/' in url and url.rstrip('/').endswith('/token'):
        return 'token endpoint'
    if 'discovery/instance' in url:
        return 'instance discovery'
    return 'Entra'


class EntraHttp(object):
    """msal's http_client: the task's TLS and timeout settings, Graph's retry policy, and failures
    that name Entra and the URL.

    429/500/503/504 and connection failures are retried up to max_retries, honouring
    Retry-After, else exponential backoff; a refused connection to a loopback host is not
    retried. What still fails raises AuthError ("Entra ... at <url>"), never a requests
    exception that would read as a Graph failure. requests would otherwise also let
    REQUESTS_CA_BUNDLE override validate_certs=false, hence verify on every call.
    """

    def __init__(self, session, verify, timeout, max_retries=5, sleep=time.sleep):
        self._session = session
        self._verify = verify
        self._timeout = timeout
        self._max_retries = max_retries
        self._sleep = sleep
        self.last = None  # (method, url, status, body text) of the last answer, for messages about it

    @property
    def verify(self):
        return self._verify

    @property
    def timeout(self):
        return self._timeout

    def _kwargs(self, kwargs):
        kwargs.setdefault('timeout', self._timeout)
        kwargs['verify'] = self._verify
        return kwargs

    def get(self, url, **kwargs):
        return self._send('GET', url, self._kwargs(kwargs))

    def post(self, url, **kwargs):
        return self._send('POST', url, self._kwargs(kwargs))

    def close(self):
        """The session belongs to GraphClient."""

    def _send(self, method, url, kwargs):
        requests = client_utils.requests
        where = '%s at %s' % (entra_call(url), client_utils._display(url))  # pylint: disable=protected-access
        attempt = 0
        while True:
            try:
                response = getattr(self._session, method.lower())(url, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise AuthError('Entra %s: TLS failure: %s (validate_certs, REQUESTS_CA_BUNDLE)' % (
                    where, client_utils._short(exc)))  # pylint: disable=protected-access
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if client_utils.refused_on_loopback(exc, url):
                    raise AuthError('Entra %s: cannot connect to %s: %s (is the endpoint running?)' % (
                        where, client_utils.host_of(url), client_utils.connection_problem(exc)))
                if attempt >= self._max_retries:
                    raise AuthError('Entra %s: cannot connect to %s after %d attempt%s: %s' % (
                        where, client_utils.host_of(url), attempt + 1, '' if attempt == 0 else 's',
                        client_utils.connection_problem(exc)))
                self._sleep(client_utils.backoff_delay(attempt))
                attempt += 1
                continue
            status = getattr(response, 'status_code', None)
            if status is None:  # not a requests.Response (tests hand in stand-ins)
                return response
            self.last = (method, url, status, getattr(response, 'text', ''))
            if status in ENTRA_RETRY_STATUSES:
                retry_after = response.headers.get('Retry-After')
                if attempt < self._max_retries:
                    self._sleep(client_utils.backoff_delay(attempt, client_utils.retry_after_seconds(retry_after)))
                    attempt += 1
                    continue
                last = client_utils.retry_after_seconds(retry_after)
                raise AuthError('Entra %s answered HTTP %d (%s) after %d attempt%s%s (max_retries %d): %s' % (
                    where, status, 'throttled' if status == 429 else 'unavailable', attempt + 1, '' if attempt == 0 else 's',
                    '; last Retry-After %g s' % last if last is not None else '', self._max_retries,
                    entra_error_text(response)))
            return response


def entra_error_text(response):
    """Entra's error and the first line of its description (later lines hold trace and correlation ids)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get('error') or body.get('error_description')):
        return '%s: %s' % (body.get('error'), _first_line(body.get('error_description', '')))
    return client_utils.describe_body(None, None) if not getattr(response, 'content', b'') else client_utils.one_line(
        response.text, 300)


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
        self._token = self._cached_token() or self._acquire()
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
            _atomic_write(path, json.dumps(self._aliases))

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
                        'and cloud or authority_host' % (self.tenant_id, self.endpoints.authority_host, client_utils._display(url),
                                                         status, _entra_text(text)))
            return 'Entra OpenID discovery at %s answered HTTP %d with a document msal cannot read: %s' % (
                client_utils._display(url), status, client_utils.one_line(text, 200))
        return 'cannot use the Entra authority %s: %s' % (authority, _first_line(str(exc)))

    def _acquire(self):
        app = self._build_app()
        self._remember_realm(app)
        self.token_requests += 1
        result = app.acquire_token_for_client(scopes=[self.endpoints.scope])
        if 'access_token' not in result:
            raise AuthError('Entra token request for %s failed: %s: %s' % (
                self.endpoints.authority(self.tenant_id), result.get('error', 'unknown_error'),
                _first_line(result.get('error_description', ''))))
        return result['access_token']


def _entra_text(text):
    try:
        body = json.loads(text)
    except ValueError:
        return client_utils.one_line(text, 200)
    if isinstance(body, dict):
        return '%s: %s' % (body.get('error'), _first_line(body.get('error_description', '')))
    return client_utils.one_line(text, 200)


def _first_line(text):
    """Entra error descriptions carry trace/correlation ids on later lines; keep the sentence."""
    text = (text or '').strip()
    return text.splitlines()[0] if text else ''
