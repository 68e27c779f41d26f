# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The option adapter: the one way from the common options to a GraphClient, for the modules
(GraphModule) and for the controller-side plugins (plugin_utils/graph_plugin.py) alike.

- common_argument_spec(): the argument spec of options.COMMON_OPTIONS, with its environment fallbacks;
- connect(params): validated common options -> (GraphClient, secrets to mask), before any network call;
- lock_directory(params) / lock_timeout(): where and how long the engine's create locks wait;
- failure(exc): the one mapping of an expected failure to a result (msg, status, error_code, request_id);
- the plugins encode a user's query with transport/query.py and its path with client.path(), the
  encoders graph_request uses.

It imports no AnsibleModule (ansible.module_utils.common only), so that a plugin on the
controller uses it without the module glue (graph_module.py).
"""

from __future__ import annotations

import os
import re

from ansible.module_utils.common.parameters import env_fallback
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.graphops.intune.plugins.module_utils.engine import concurrency
from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport import libraries
from ansible_collections.graphops.intune.plugins.module_utils.transport import options as common_options
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints
from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import select_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.entra import EntraHttp
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (
    AuthError, BulkError, EndpointError, GraphError, ModuleInputError, OutcomeUnknown)
from ansible_collections.graphops.intune.plugins.module_utils.transport.token_cache import default_cache_path
from ansible_collections.graphops.intune.plugins.module_utils.transport.tokens import TokenProvider


# validate-modules asks for an explicit no_log on options whose name looks secret.
_LOOKS_SECRET = re.compile(r'pass(?!ive)|secret|token|key', re.I)

# What a task or a plugin reports as a one-line failure (no traceback): see failure().
EXPECTED_ERRORS = (BulkError, GraphError, OutcomeUnknown, AuthError, EndpointError, ModuleInputError)


def env_value_fallback(option, *names):
    """An argument spec fallback like env_fallback, translating the value by the option's env_values
    (lower-case name -> value) in the common options table.

    An unknown name is passed on as is, so that the choices check names it.
    """
    values = common_options.BY_NAME[option].env_values
    for name in names:
        value = os.environ.get(name, '').strip()
        if value:
            return values.get(value.lower(), value)
    raise AnsibleFallbackNotFound


def common_argument_spec():
    """The argument spec of the common options (options.COMMON_OPTIONS, documented by the doc
    fragment graphops.intune.graph)."""
    spec = {}
    for option in common_options.COMMON_OPTIONS:
        entry = dict(type=option.type)
        if option.default is not None:
            entry['default'] = option.default
        if option.choices:
            entry['choices'] = list(option.choices)
        if option.secret:
            entry['no_log'] = True
        elif _LOOKS_SECRET.search(option.name):
            entry['no_log'] = False
        if option.env_in_spec and option.env_values:
            entry['fallback'] = (env_value_fallback, [option.name] + list(option.env))
        elif option.env_in_spec:
            entry['fallback'] = (env_fallback, list(option.env))
        spec[option.name] = entry
    return spec


def missing_libraries():
    """[(library, import error text)] of the Python libraries that are not installed."""
    return [(name, error) for name, ok, error in (
        ('requests', client_utils.HAS_REQUESTS, client_utils.REQUESTS_IMPORT_ERROR),
        ('msal', libraries.HAS_MSAL, libraries.MSAL_IMPORT_ERROR),
        ('msal-extensions', libraries.HAS_MSAL_EXTENSIONS, libraries.MSAL_EXTENSIONS_IMPORT_ERROR)) if not ok]


def tls_verify(params):
    """requests' verify: False, True (system store, or REQUESTS_CA_BUNDLE), or the ca_path bundle.

    An explicit ca_path wins over REQUESTS_CA_BUNDLE: requests only consults that variable
    when verify is True.
    """
    if not params['validate_certs']:
        return False
    ca_path = params.get('ca_path')
    if not ca_path:
        return True
    if not os.path.isfile(ca_path) and not os.path.isdir(ca_path):
        raise ModuleInputError('ca_path %r is neither a CA bundle file nor a directory of CA certificates' % ca_path)
    return ca_path


def connect(params, environ=None):
    """(GraphClient, secrets to mask) for validated common options; fails before any network call."""
    p = params
    if p['timeout'] <= 0:
        raise ModuleInputError('timeout must be a positive number of seconds, got %s' % p['timeout'])
    if p['max_retries'] < 0:
        raise ModuleInputError('max_retries must be 0 or more, got %s' % p['max_retries'])
    endpoints = Endpoints(p['cloud'], p['graph_endpoint'], p['authority_host'], p['api_version'])
    verify = tls_verify(p)
    credential = select_credential(p, environ)
    secrets = set(credential.values[option] for option in common_options.SECRET_OPTIONS if credential.values.get(option))
    cache_path = p['token_cache_path']
    default_cache = cache_path is None
    if default_cache:
        cache_path = default_cache_path(environ)
    session = client_utils.requests.Session()
    tokens = TokenProvider(credential, endpoints, tenant_id=p['tenant_id'], client_id=p['client_id'],
                           cache_path=cache_path, http_client=EntraHttp(session, verify, p['timeout'], p['max_retries']))
    tokens.cache_is_default = default_cache
    client = client_utils.GraphClient(endpoints.base_url, tokens, validate_certs=verify, timeout=p['timeout'],
                                      max_retries=p['max_retries'], session=session)
    return client, secrets


def lock_directory(params, environ=None):
    """Where the engine's create locks live: a `locks` directory beside the token cache (given, else the default one)."""
    return concurrency.lock_directory(params.get('token_cache_path'), default_cache_path(environ))


def lock_timeout(environ=None):
    """How long a create lock is waited for: GRAPH_LOCK_TIMEOUT seconds (documented with the common options), else 600."""
    return concurrency.lock_timeout(os.environ if environ is None else environ)


def failure(exc):
    """The result of a task that failed with an expected error (EXPECTED_ERRORS or a requests exception
    that slipped through): msg, plus status, error_code and request_id for a Graph error, plus the
    whole partial result for a bulk run. None for anything else (a crash is a crash)."""
    if isinstance(exc, BulkError):
        return dict(exc.result, msg=exc.message)
    if isinstance(exc, GraphError):
        return dict(msg=str(exc), status=exc.status, error_code=exc.code, request_id=exc.request_id)
    if isinstance(exc, EXPECTED_ERRORS):
        return dict(msg=str(exc))
    if client_utils.HAS_REQUESTS and isinstance(exc, client_utils.requests.RequestException):
        return dict(msg='cannot reach Microsoft Graph: %s' % exc)
    return None
