# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""GraphModule: AnsibleModule with the common Graph options, a lazily built client, and
one place that turns failures (GraphError, bad credentials, bad input) into fail_json."""

from __future__ import annotations

import os
import re

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.graphops.intune.plugins.module_utils.transport import auth as auth_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport import options as common_options
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (
    AuthError, BulkError, EndpointError, GraphError, ModuleInputError, OutcomeUnknown)
from ansible_collections.graphops.intune.plugins.module_utils.engine import info, request
from ansible_collections.graphops.intune.plugins.module_utils.engine.dispatch import resource_action


# validate-modules asks for an explicit no_log on options whose name looks secret.
_LOOKS_SECRET = re.compile(r'pass(?!ive)|secret|token|key', re.I)


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


class _MsalHttp(auth_utils.EntraHttp):
    """Hands msal our session with the task's TLS, timeout and retry settings (auth.EntraHttp)."""


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
    """(GraphClient, secrets to mask) for validated common options; fails before any network call.

    Shared by GraphModule and the controller-side plugins (inventory, lookup), which have
    no AnsibleModule.
    """
    p = params
    if p['timeout'] <= 0:
        raise ModuleInputError('timeout must be a positive number of seconds, got %s' % p['timeout'])
    if p['max_retries'] < 0:
        raise ModuleInputError('max_retries must be 0 or more, got %s' % p['max_retries'])
    endpoints = Endpoints(p['cloud'], p['graph_endpoint'], p['authority_host'], p['api_version'])
    verify = tls_verify(p)
    credential = auth_utils.select_credential(p, environ)
    secrets = set(credential.values[option] for option in common_options.SECRET_OPTIONS if credential.values.get(option))
    cache_path = p['token_cache_path']
    default_cache = cache_path is None
    if default_cache:
        cache_path = auth_utils.default_cache_path(environ)
    session = client_utils.requests.Session()
    tokens = auth_utils.TokenProvider(credential, endpoints, tenant_id=p['tenant_id'], client_id=p['client_id'],
                                      cache_path=cache_path, http_client=_MsalHttp(session, verify, p['timeout'], p['max_retries']))
    tokens.cache_is_default = default_cache
    client = client_utils.GraphClient(endpoints.base_url, tokens, validate_certs=verify, timeout=p['timeout'],
                                      max_retries=p['max_retries'], session=session)
    return client, secrets


class GraphModule(AnsibleModule):
    """An AnsibleModule for Graph: common options merged in, check mode on."""

    def __init__(self, argument_spec, **kwargs):
        spec = common_argument_spec()
        spec.update(argument_spec)
        kwargs.setdefault('supports_check_mode', True)
        super(GraphModule, self).__init__(argument_spec=spec, **kwargs)
        for name, ok, error in (('requests', client_utils.HAS_REQUESTS, client_utils.REQUESTS_IMPORT_ERROR),
                                ('msal', auth_utils.HAS_MSAL, auth_utils.MSAL_IMPORT_ERROR),
                                ('msal-extensions', auth_utils.HAS_MSAL_EXTENSIONS, auth_utils.MSAL_EXTENSIONS_IMPORT_ERROR)):
            if not ok:
                self.fail_json(msg=missing_required_lib(name), exception=error)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = self._build_client()
        return self._client

    def _build_client(self):
        client, secrets = connect(self.params)
        # A secret taken from the environment is not a module option, so Ansible does not
        # know to mask it: tell it.
        self.no_log_values.update(secrets)
        if not self.params['validate_certs']:
            # The same text from every task: Ansible shows a warning once per run.
            self.warn('validate_certs is false: the TLS certificates of Graph and Entra are not checked, so the credentials '
                      'and tokens of this run can be intercepted')
        return client

    def run(self, action):
        """Call action() -> result dict and exit; every expected failure becomes fail_json.

        fail_json is called outside the except blocks: inside them Ansible would attach
        the traceback to the result, and a Graph error is not a crash.
        """
        failure = None
        try:
            result = action()
        except BulkError as exc:
            failure = dict(exc.result, msg=exc.message)
        except GraphError as exc:
            failure = dict(msg=str(exc), status=exc.status, error_code=exc.code, request_id=exc.request_id)
        except (OutcomeUnknown, AuthError, EndpointError, ModuleInputError) as exc:
            failure = dict(msg=str(exc))
        except client_utils.requests.RequestException as exc:
            failure = dict(msg='cannot reach Microsoft Graph: %s' % exc)
        for warning in getattr(getattr(self._client, 'tokens', None), 'warnings', ()):
            self.warn(warning)
        if failure:
            self.fail_json(**failure)
        for warning in result.pop('warnings', ()):
            self.warn(warning)
        self.exit_json(**result)


# -- main() of every module: the glue between an entity declaration and the engine ----------------
def run_resource(entity, argument_spec=None, apply=None):
    """A resource module: the entity's options, then Resource (or, for its list option, Bulk).

    argument_spec and apply(module, entity) -> result: a flow of the entity's own that is no create/update/delete of
    one entity (windows_driver_approval's executeAction), declared beside the entity."""
    if apply is not None:
        module = GraphModule(argument_spec)
        module.run(lambda: apply(module, entity))
        return
    module = GraphModule(entity.argument_spec(), **entity.argument_constraints())

    def action():
        return resource_action(module, entity)()
    module.run(action)


def run_info(entity, argument_spec=None, read=None):
    """An _info module: the entity's listing options, then one entity by id or the filtered collection
    (or, with argument_spec and read(module, entity) -> result, a listing of the entity's own)."""
    module = GraphModule(entity.info_argument_spec() if argument_spec is None else argument_spec)
    module.run(lambda: (read or info.read)(module, entity))


def run_request():
    """graph_request: any Graph request (engine/request.py)."""
    module = GraphModule(request.ARGUMENT_SPEC)
    module.run(lambda: request.GraphRequest(module).run())
