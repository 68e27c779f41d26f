# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The common options every module takes: one table, the one owner of each option.

From COMMON_OPTIONS are derived the argument spec (graph_module.common_argument_spec),
the environment fallbacks, the values Ansible must mask, and the credential kinds
(credentials.select_credential). The doc fragment graphops.intune.graph documents exactly this
table (a unit test checks names, types, defaults, choices and environment variables).

To add an option, add one CommonOption here and document it in plugins/doc_fragments/graph.py.
To add a credential kind, give its options `credential=<the kind's name>` (one of them with
selects=True) and add a Credential class with that `kind` to credentials.py.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import API_VERSIONS, CLOUDS


class CommonOption(object):
    """One common option.

    type, default, choices: its argument spec entry (Ansible types: str, path, bool, int).
    env: environment variables read when the option is not given, first set wins (the
      usual name first, then fallbacks such as AWX's). Options that select a credential
      kind read theirs in credentials.select_credential rather than in the argument spec, so that a
      credential given in the task wins over a different kind in the environment; every
      other option falls back through the argument spec.
    secret: masked (no_log) as an option, and also when its value comes from the environment.
    credential: the name (Credential.kind) of the credential kind the option belongs to.
    selects: its presence selects that kind (exactly one such option per kind).
    env_values: for an option whose environment variables use other names for its values
      (AZURE_CLOUD_ENVIRONMENT's AzureUSGovernment is cloud usgov): lower-case name -> value.
    """

    def __init__(self, name, type='str', default=None, choices=None, env=(), secret=False, credential=None, selects=False,
                 env_values=None):
        self.name = name
        self.type = type
        self.default = default
        self.choices = tuple(choices) if choices else None
        self.env = tuple(env)
        self.secret = secret
        self.credential = credential
        self.selects = selects
        self.env_values = dict(env_values or {})

    @property
    def env_in_spec(self):
        """True when the argument spec, rather than select_credential, reads the environment."""
        return bool(self.env) and not self.selects


# AZURE_CLOUD_ENVIRONMENT's names (AWX's built-in Azure credential, azure.azcollection) -> cloud.
AZURE_CLOUD_ENVIRONMENTS = {'azurecloud': 'global', 'azureusgovernment': 'usgov', 'azurechinacloud': 'china'}

COMMON_OPTIONS = (
    # AZURE_TENANT, AZURE_SECRET and AZURE_CLOUD_ENVIRONMENT: what AWX's built-in Azure credential injects.
    CommonOption('tenant_id', env=('AZURE_TENANT_ID', 'AZURE_TENANT')),
    CommonOption('client_id', env=('AZURE_CLIENT_ID',)),
    CommonOption('client_secret', env=('AZURE_CLIENT_SECRET', 'AZURE_SECRET'), secret=True, credential='client secret', selects=True),
    CommonOption('client_certificate_path', type='path', env=('AZURE_CLIENT_CERTIFICATE_PATH',),
                 credential='client certificate', selects=True),
    CommonOption('client_certificate_password', env=('AZURE_CLIENT_CERTIFICATE_PASSWORD',), secret=True,
                 credential='client certificate'),
    CommonOption('federated_token_file', type='path', env=('AZURE_FEDERATED_TOKEN_FILE',),
                 credential='federated token file', selects=True),
    CommonOption('access_token', env=('GRAPH_ACCESS_TOKEN',), secret=True, credential='access token', selects=True),
    CommonOption('managed_identity', type='bool', env=('GRAPH_MANAGED_IDENTITY',), credential='managed identity', selects=True),
    CommonOption('managed_identity_client_id', env=('GRAPH_MANAGED_IDENTITY_CLIENT_ID',), credential='managed identity'),
    CommonOption('azure_cli', type='bool', env=('GRAPH_AZURE_CLI',), credential='Azure CLI login', selects=True),
    CommonOption('cloud', default='global', choices=CLOUDS, env=('GRAPH_CLOUD', 'AZURE_CLOUD_ENVIRONMENT'),
                 env_values=AZURE_CLOUD_ENVIRONMENTS),
    CommonOption('graph_endpoint', env=('GRAPH_ENDPOINT',)),
    CommonOption('authority_host', env=('AZURE_AUTHORITY_HOST',)),
    CommonOption('api_version', default='beta', choices=API_VERSIONS),
    CommonOption('validate_certs', type='bool', default=True, env=('GRAPH_VALIDATE_CERTS',)),
    CommonOption('ca_path', type='path', env=('GRAPH_CA_PATH',)),
    CommonOption('timeout', type='int', default=30),
    CommonOption('max_retries', type='int', default=5),
    CommonOption('token_cache_path', env=('GRAPH_TOKEN_CACHE',)),
)

BY_NAME = dict((option.name, option) for option in COMMON_OPTIONS)

# The options whose values are masked, wherever the value came from.
SECRET_OPTIONS = tuple(option.name for option in COMMON_OPTIONS if option.secret)

# The options that identify the app to Entra (not needed with a pre-acquired access token).
APP_IDENTITY_OPTIONS = ('tenant_id', 'client_id')


def credential_options(kind):
    """The options of a credential kind (by Credential.kind), the selecting one first."""
    options = [option for option in COMMON_OPTIONS if option.credential == kind]
    return sorted(options, key=lambda option: not option.selects)


def selector(kind):
    """The option whose presence selects a credential kind."""
    found = [option for option in COMMON_OPTIONS if option.credential == kind and option.selects]
    if len(found) != 1:
        raise ValueError('credential kind %r needs exactly one selecting option, has %d' % (kind, len(found)))
    return found[0]


def from_environment(option, environ):
    """The value of the first of the option's environment variables that is set, else None."""
    for name in option.env:
        if environ.get(name):
            return environ[name]
    return None
