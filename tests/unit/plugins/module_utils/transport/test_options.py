# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The common options table (transport/options.py) is the one owner: the doc fragment documents exactly
it, and the argument spec, env fallbacks, masking and credential kinds come from it."""

from __future__ import annotations

import os
import re

import pytest
import yaml
from ansible.module_utils.basic import env_fallback

from ansible_collections.graphops.intune.plugins.doc_fragments.graph import ModuleDocFragment
from ansible_collections.graphops.intune.plugins.module_utils.graph_options import common_argument_spec, env_value_fallback
from ansible_collections.graphops.intune.plugins.module_utils.transport import credentials, options

DOCUMENTED = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
TABLE = options.BY_NAME


def fallback_env(doc):
    """The variables of the description's 'If ... the E(X) [or E(Y)] environment variable(s) is used' sentence."""
    found = []
    for line in doc.get('description', []):
        if line.startswith('If ') and re.search(r'environment variables? (is|are) used', line):
            found.extend(re.findall(r'E\(([A-Z][A-Z0-9_]*)\)', line))
    return found


def test_the_doc_fragment_documents_exactly_the_table():
    assert list(DOCUMENTED) == [option.name for option in options.COMMON_OPTIONS]


@pytest.mark.parametrize('name', sorted(TABLE))
def test_type_default_and_choices_are_documented(name):
    doc, option = DOCUMENTED[name], TABLE[name]
    assert doc.get('type', 'str') == option.type
    assert doc.get('default') == option.default
    assert (tuple(doc['choices']) if 'choices' in doc else None) == option.choices


@pytest.mark.parametrize('name', sorted(TABLE))
def test_environment_variables_are_documented_in_order(name):
    assert fallback_env(DOCUMENTED[name]) == list(TABLE[name].env)


def test_every_credential_selecting_option_is_named_where_the_doc_says_exactly_one():
    text = ' '.join(DOCUMENTED['client_secret']['description'])
    sentence = [part for part in text.split('. ') if 'Exactly one of' in part][0]
    assert set(re.findall(r'O\(([a-z_]+)\)', sentence)) == set(credentials.CREDENTIAL_OPTIONS)


def test_the_argument_spec_is_derived_from_the_table():
    spec = common_argument_spec()
    assert list(spec) == [option.name for option in options.COMMON_OPTIONS]
    for option in options.COMMON_OPTIONS:
        entry = spec[option.name]
        assert entry['type'] == option.type
        assert entry.get('default') == option.default
        assert bool(entry.get('no_log')) is option.secret
        if option.env and not option.selects and option.env_values:
            assert entry['fallback'] == (env_value_fallback, [option.name] + list(option.env))
        elif option.env and not option.selects:
            assert entry['fallback'] == (env_fallback, list(option.env))
        else:
            assert 'fallback' not in entry


def test_every_credential_kind_has_one_selecting_option_and_every_credential_option_a_kind():
    kinds = set(kind.kind for kind in credentials.CREDENTIAL_KINDS)
    assert set(option.credential for option in options.COMMON_OPTIONS if option.credential) == kinds
    for kind in credentials.CREDENTIAL_KINDS:
        assert options.selector(kind.kind).name == kind.option
        assert kind.env == TABLE[kind.option].env[0]


def test_the_masked_options_are_the_secret_ones():
    assert options.SECRET_OPTIONS == ('client_secret', 'client_certificate_password', 'access_token')


def test_a_second_env_variable_is_a_fallback_of_the_first():
    option = options.CommonOption('client_secret', env=('AZURE_CLIENT_SECRET', 'AZURE_SECRET'), secret=True,
                                  credential='client secret', selects=True)
    assert options.from_environment(option, {'AZURE_SECRET': 'b'}) == 'b'
    assert options.from_environment(option, {'AZURE_SECRET': 'b', 'AZURE_CLIENT_SECRET': 'a'}) == 'a'
    assert options.from_environment(option, {'AZURE_CLIENT_SECRET': ''}) is None


def test_every_environment_variable_the_collection_reads_is_an_option_or_documented_with_them():
    """Issue 18: each variable named in plugins/ is in the options table, or in the table of other
    variables of docs/architecture.md's "Common options"."""
    root = os.path.join(os.path.dirname(os.path.abspath(options.__file__)), '..', '..', '..')
    named = set()
    for folder, dummy, files in os.walk(os.path.join(root, 'plugins')):
        for name in files:
            if name.endswith('.py'):
                with open(os.path.join(folder, name)) as handle:
                    named.update(re.findall(r"""['"]((?:GRAPH|AZURE|XDG)_[A-Z_]+)['"]""", handle.read()))
    with open(os.path.join(root, 'docs', 'architecture.md')) as handle:
        docs = handle.read()
    section = docs[docs.index('## Common options'):docs.index('## Life of one task')]
    in_table = set(env for option in options.COMMON_OPTIONS for env in option.env)
    other = set(re.findall(r'^\| ([A-Z_, ]+) \|', section, re.M))
    other = set(name.strip() for row in other for name in row.split(','))
    assert 'GRAPH_LOCK_TIMEOUT' in named and 'GRAPH_LOCK_TIMEOUT' in other
    assert sorted(named - in_table - other) == []
