# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of module_utils import one way (docs/architecture.md): transport < engine < entities < graph_options < graph_module.

Checked by parsing every file's imports and calls, not by importing them.
"""

from __future__ import annotations

import ast
import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
MODULE_UTILS = os.path.join(REPO, 'plugins', 'module_utils')
MODULES = os.path.join(REPO, 'plugins', 'modules')
PACKAGE = 'ansible_collections.graphops.intune.plugins.module_utils'
LAYERS = ('transport', 'engine', 'entities', 'graph_options', 'graph_module')  # bottom to top
NO_ANSIBLE = ('transport', 'engine', 'entities')


def python_files(root):
    for folder, dummy, files in os.walk(root):
        for name in sorted(files):
            if name.endswith('.py'):
                yield os.path.join(folder, name)


def layer_of(dotted):
    """'transport.client' or 'graph_module' -> its layer's index."""
    return LAYERS.index(dotted.split('.')[0])


def imported(tree):
    """Every module a tree imports, dotted ('ansible_collections....transport.auth', 'requests')."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            # from ...module_utils.transport import auth: the module is transport.auth
            names.extend('%s.%s' % (node.module, alias.name) for alias in node.names
                         if node.module in (PACKAGE,) or node.module.startswith(PACKAGE + '.') and node.module.count('.') == PACKAGE.count('.') + 1)
    return names


def violations(source, own):
    """What a module_utils file of layer `own` ('engine.bulk') does that its layer may not."""
    found = []
    tree = ast.parse(source)
    own_layer = layer_of(own)
    for name in imported(tree):
        if name == PACKAGE:
            continue
        if name.startswith(PACKAGE + '.'):
            target = name[len(PACKAGE) + 1:]
            if target.split('.')[0] in LAYERS and layer_of(target) > own_layer:
                found.append('imports %s, a layer above' % target)
        elif name.startswith('ansible_collections.'):
            found.append('imports %s, outside module_utils' % name)
        elif (name == 'ansible' or name.startswith('ansible.')) and own.split('.')[0] in NO_ANSIBLE:
            found.append('imports %s: only the glue knows Ansible' % name)
    if own != 'graph_module':
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ('fail_json', 'exit_json'):
                found.append('calls %s: only GraphModule.run reports' % node.attr)
    if own == 'transport.errors':
        found.extend('imports %s: errors.py is the bottom' % name for name in imported(tree) if name.startswith('ansible_collections.'))
    return found


def module_utils_files():
    for path in python_files(MODULE_UTILS):
        relative = os.path.relpath(path, MODULE_UTILS)[:-3].replace(os.sep, '.')
        if relative.endswith('__init__'):
            continue
        yield relative, path


def test_every_module_utils_file_is_in_a_layer():
    names = [name for name, dummy in module_utils_files()]
    assert names and all(name.split('.')[0] in LAYERS for name in names), names


@pytest.mark.parametrize('name, path', sorted(module_utils_files()))
def test_imports_go_one_way_down(name, path):
    with open(path) as handle:
        assert violations(handle.read(), name) == []


@pytest.mark.parametrize('name, path', sorted(module_utils_files()))
def test_every_module_utils_file_says_it_is_internal(name, path):
    with open(path) as handle:
        assert 'FOR INTERNAL COLLECTION USE ONLY' in handle.read()


@pytest.mark.parametrize('source, own, words', [
    ('from %s.graph_module import ModuleInputError' % PACKAGE, 'engine.bulk', 'graph_module, a layer above'),
    ('from %s.engine import resource' % PACKAGE, 'transport.client', 'engine.resource, a layer above'),
    ('from %s.entities.rings import RING' % PACKAGE, 'engine.resource', 'entities.rings, a layer above'),
    ('from ansible.module_utils.basic import AnsibleModule', 'engine.resource', 'only the glue knows Ansible'),
    ('import ansible.module_utils.basic', 'transport.auth', 'only the glue knows Ansible'),
    ('def apply(module):\n    module.fail_json(msg="x")', 'engine.bulk', 'only GraphModule.run reports'),
    ('from %s.transport.clouds import CLOUDS' % PACKAGE, 'transport.errors', 'errors.py is the bottom'),
])
def test_the_checker_sees_a_violation(source, own, words):
    assert [v for v in violations(source, own) if words in v]


def test_the_checker_allows_the_same_layer_and_below():
    source = '\n'.join([
        'from %s.transport.client import path' % PACKAGE,
        'from %s.transport import errors' % PACKAGE,
        'from %s.engine.compare import equal' % PACKAGE,
    ])
    assert violations(source, 'engine.resource') == []
    assert violations('from %s.entities.rings import RING' % PACKAGE, 'graph_module') == []


@pytest.mark.parametrize('path', sorted(python_files(MODULES)))
def test_modules_never_speak_http_themselves(path):
    with open(path) as handle:
        names = imported(ast.parse(handle.read()))
    assert not [name for name in names if name.split('.')[0] in ('requests', 'urllib3', 'msal', 'http')]


def private_names_used(source):
    """Private (_underscore) names a file takes from another module_utils file: imported, or read off an imported module."""
    tree = ast.parse(source)
    imported_names, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            for alias in node.names:
                if alias.name.startswith('_'):
                    found.append('imports %s from %s' % (alias.name, node.module[len(PACKAGE) + 1:]))
                imported_names.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported_names \
                and node.attr.startswith('_') and not node.attr.startswith('__'):
            found.append('uses %s.%s' % (node.value.id, node.attr))
    return found


@pytest.mark.parametrize('name, path', sorted((name, path) for name, path in module_utils_files()
                                              if name.split('.')[0] in ('transport', 'graph_options', 'graph_module')))
def test_transport_and_the_glue_use_no_private_name_of_another_file(name, path):
    with open(path) as handle:
        assert private_names_used(handle.read()) == []


def test_the_private_name_checker_sees_both_forms():
    source = 'from %s.transport import client as client_utils\nfrom %s.transport.client import _short\nclient_utils._display("x")' % (
        PACKAGE, PACKAGE)
    assert private_names_used(source) == ['imports _short from transport.client', 'uses client_utils._display']


PLUGIN_DIRS = [os.path.join(REPO, 'plugins', folder) for folder in ('inventory', 'lookup', 'plugin_utils', 'filter')]


@pytest.mark.parametrize('path', sorted(path for folder in PLUGIN_DIRS for path in python_files(folder)))
def test_plugins_reach_the_client_through_the_option_adapter_not_the_module_glue(path):
    with open(path) as handle:
        names = imported(ast.parse(handle.read()))
    assert not [name for name in names if name.startswith(PACKAGE + '.graph_module') or name.startswith('ansible.module_utils.basic')]
