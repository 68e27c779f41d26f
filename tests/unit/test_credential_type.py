# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""extensions/awx/credential_type_graph.yml: valid for AWX, and injects only what the collection reads.

AWX's rules for custom credential types (awx/main/fields.py: CredentialTypeInputField,
CredentialTypeInjectorField) are restated here: the shapes of inputs and injectors, reserved
and blocked names, and templates that may only use defined fields and declared files.
"""

from __future__ import annotations

import os
import re

import jsonschema
import pytest
import yaml
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible.module_utils.basic import env_fallback

from ansible_collections.graphops.intune.plugins.doc_fragments.graph import ModuleDocFragment
from ansible_collections.graphops.intune.plugins.module_utils.transport import credentials
from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import CLOUDS
from ansible_collections.graphops.intune.plugins.module_utils.graph_options import common_argument_spec, env_value_fallback

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(REPO, 'extensions', 'awx', 'credential_type_graph.yml')

# What the credential type must inject (the common options' variables, minus what a job template does not
# carry: the federated token file, TLS, cache and API version settings).
EXPECTED_ENV = {
    'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'GRAPH_ACCESS_TOKEN', 'GRAPH_CLOUD', 'GRAPH_ENDPOINT', 'AZURE_AUTHORITY_HOST',
    'AZURE_FEDERATED_TOKEN_FILE',
}
EXPECTED_SECRETS = {'client_secret', 'client_certificate', 'client_certificate_pfx', 'client_certificate_password', 'access_token',
                    'federated_token'}
# Inputs AWX writes to a file (file injector) -> the path option the file's name is given to.
FILE_INPUTS = {'client_certificate': 'client_certificate_path', 'client_certificate_pfx': 'client_certificate_path',
               'federated_token': 'federated_token_file'}

# awx.main.constants.ENV_BLOCKLIST; names starting with ANSIBLE_ are refused too.
AWX_ENV_BLOCKLIST = {
    'VIRTUAL_ENV', 'PATH', 'PYTHONPATH', 'JOB_ID', 'INVENTORY_ID', 'INVENTORY_SOURCE_ID', 'INVENTORY_UPDATE_ID',
    'AD_HOC_COMMAND_ID', 'REST_API_URL', 'REST_API_TOKEN', 'MAX_EVENT_RES', 'CALLBACK_QUEUE', 'CALLBACK_CONNECTION',
    'CACHE', 'JOB_CALLBACK_DEBUG', 'INVENTORY_HOSTVARS', 'AWX_HOST', 'PROJECT_REVISION', 'SUPERVISOR_CONFIG_PATH',
    'SUPERVISOR_WEB_CONFIG_PATH',
}
NAME = '^[a-zA-Z_]+[a-zA-Z0-9_]*$'
AWX_INPUTS_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'required': {'type': 'array', 'items': {'type': 'string'}},
        'fields': {'type': 'array', 'items': {
            'type': 'object',
            'additionalProperties': False,
            'required': ['id', 'label'],
            'properties': {
                'type': {'enum': ['string', 'boolean']},
                'format': {'enum': ['ssh_private_key', 'url']},
                'choices': {'type': 'array', 'minItems': 1, 'items': {'type': 'string'}, 'uniqueItems': True},
                'id': {'type': 'string', 'pattern': NAME},
                'label': {'type': 'string'},
                'help_text': {'type': 'string'},
                'multiline': {'type': 'boolean'},
                'secret': {'type': 'boolean'},
                'ask_at_runtime': {'type': 'boolean'},
                'default': {},
            },
        }},
    },
}
AWX_INJECTORS_SCHEMA = {
    'type': 'object',
    'additionalProperties': False,
    'properties': {
        'file': {'type': 'object', 'additionalProperties': False,
                 'patternProperties': {r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$': {'type': 'string'}}},
        'env': {'type': 'object', 'additionalProperties': False,
                'patternProperties': {NAME: {'type': 'string', 'pattern': '^[\x00-\x7F]*$'}}},
        'extra_vars': {'type': 'object', 'additionalProperties': False, 'patternProperties': {NAME: {'type': 'string'}}},
    },
}


@pytest.fixture(scope='module')
def credential_type():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope='module')
def fields(credential_type):
    return {field['id']: field for field in credential_type['inputs']['fields']}


def documented_env():
    """option -> the E(VAR) names its description in the doc fragment graphops.intune.graph mentions."""
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    found = {}
    for option, spec in options.items():
        text = ' '.join(spec.get('description', []))
        found[option] = set(re.findall(r'E\(([A-Z][A-Z0-9_]*)\)', text))
    return found


def read_env():
    """VAR -> the option the modules fill from it (argument_spec env fallbacks and the credential kinds)."""
    read = {}
    for option, spec in common_argument_spec().items():
        fallback = spec.get('fallback')
        if fallback and fallback[0] is env_fallback:
            for name in fallback[1]:
                read[name] = option
        elif fallback and fallback[0] is env_value_fallback:
            for name in fallback[1][1:]:
                read[name] = option
    for kind in credentials.CREDENTIAL_KINDS:
        for name in kind.envs:
            read[name] = kind.option
    return read


def referenced_fields(template):
    return meta.find_undeclared_variables(ImmutableSandboxedEnvironment().parse(template)) - {'tower'}


def test_file_is_what_the_api_takes(credential_type):
    assert set(credential_type) == {'name', 'description', 'kind', 'inputs', 'injectors'}
    # AWX accepts only these kinds for custom credential types.
    assert credential_type['kind'] in ('cloud', 'net')


def test_inputs_and_injectors_pass_awx_validation(credential_type, fields):
    inputs, injectors = credential_type['inputs'], credential_type['injectors']
    jsonschema.validate(inputs, AWX_INPUTS_SCHEMA)
    jsonschema.validate(injectors, AWX_INJECTORS_SCHEMA)
    ids = [field['id'] for field in inputs['fields']]
    assert len(ids) == len(set(ids)) and 'tower' not in ids
    for field in inputs['fields']:
        kind = field.get('type', 'string')
        if 'default' in field:
            assert isinstance(field['default'], {'string': str, 'boolean': bool}[kind]), field
        if kind != 'string':
            assert not set(field) & {'choices', 'multiline', 'format', 'secret'}, field
        if 'choices' in field and 'default' in field:
            assert field['default'] in field['choices']
    assert set(inputs.get('required', [])) <= set(ids)
    for name in injectors.get('env', {}):
        assert not name.startswith('ANSIBLE_') and name not in AWX_ENV_BLOCKLIST, name
    # AWX renders every template once with each field set to 'EXAMPLE' and tower.filename.<label>
    # for each declared file, and refuses the type if anything else is used.
    files = [label for label in injectors.get('file', {}) if label.startswith('template')]
    assert 'template' not in files or len(files) == 1, 'single-file and multi-file syntax cannot be mixed'

    class Namespace(object):
        pass

    tower = Namespace()
    tower.filename = Namespace()
    for label in files:
        setattr(tower.filename, label.split('.', 1)[1], 'EXAMPLE_FILENAME')
    namespace = dict((field_id, 'EXAMPLE') for field_id in ids)
    namespace['tower'] = tower
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for section in ('file', 'env', 'extra_vars'):
        for key, template in injectors.get(section, {}).items():
            rendered = sandbox.from_string(template).render(namespace)
            assert 'EXAMPLE' in rendered, '%s %s ignores its input' % (section, key)
            assert referenced_fields(template) <= set(ids), key


def test_every_injected_variable_is_documented_and_read(credential_type, fields):
    env = credential_type['injectors']['env']
    assert set(env) == EXPECTED_ENV
    documented = documented_env()
    read = read_env()
    all_documented = set().union(*documented.values())
    for name, template in env.items():
        assert name in all_documented, '%s is not documented in the doc fragment graphops.intune.graph' % name
        assert name in read, '%s is documented but no module option falls back to it' % name
        option = read[name]
        assert name in documented[option], 'the doc fragment does not say that %s falls back to %s' % (option, name)
        # The input feeding the variable is the option it stands for: client_certificate (PEM text,
        # written to a file by AWX) stands for client_certificate_path.
        used = referenced_fields(template)
        assert used, name
        assert all(option in (field_id, FILE_INPUTS.get(field_id)) for field_id in used), (name, option, used)
        if option.endswith('_path'):
            assert 'tower.filename.' in template, '%s must receive the path of a file injector' % name


def test_every_input_is_injected(credential_type, fields):
    injectors = credential_type['injectors']
    used = set()
    for section in injectors.values():
        for template in section.values():
            used |= referenced_fields(template)
    assert used == set(fields)


def test_secrets_are_secret(credential_type, fields):
    secret = {field_id for field_id, field in fields.items() if field.get('secret') is True}
    assert secret == EXPECTED_SECRETS
    spec = common_argument_spec()
    for field_id in fields:
        option = field_id if field_id in spec else FILE_INPUTS.get(field_id)
        assert option in spec, field_id
        if spec[option].get('no_log'):
            assert field_id in secret, '%s is no_log in the modules but not secret in AWX' % field_id
    # A file injector holds a key: its input must be secret, and multiline to paste PEM.
    for label, template in credential_type['injectors'].get('file', {}).items():
        for field_id in referenced_fields(template):
            assert fields[field_id].get('secret') is True and fields[field_id].get('multiline') is True, label


def test_cloud_choices_are_the_collection_clouds(fields):
    spec = common_argument_spec()['cloud']
    assert fields['cloud']['choices'] == list(CLOUDS) == spec['choices']
    assert fields['cloud']['default'] == spec['default']
