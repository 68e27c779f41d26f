# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module is where a module must be: the `graph` action group, the README module table, the
bad-input table (tests/integration/hostile_cases.py) and, for a resource module, the check-mode table
(tests/integration/check_mode_cases.py). A new module missing from one of them fails here."""

from __future__ import annotations

import ast
import importlib.util
import os
import re

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = os.path.join(REPO, 'plugins', 'modules')


def modules():
    return sorted(name[:-3] for name in os.listdir(MODULES) if name.endswith('.py') and not name.startswith('_'))


def main_calls(name):
    """The names main() calls (run_resource, run_info, run_request)."""
    with open(os.path.join(MODULES, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    main = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == 'main']
    assert main, '%s has no main()' % name
    return set(node.func.id for node in ast.walk(main[0]) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name))


def resource_modules():
    return [name for name in modules() if 'run_resource' in main_calls(name)]


def load(relative):
    spec = importlib.util.spec_from_file_location(os.path.basename(relative)[:-3], os.path.join(REPO, relative))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def readme_modules():
    with open(os.path.join(REPO, 'README.md')) as handle:
        return set(re.findall(r'^\| `([a-z0-9_]+)` \|', handle.read(), re.M))


def test_the_checks_see_every_module():
    assert len(modules()) >= 16
    assert 'windows_update_ring' in resource_modules() and 'windows_update_ring_info' not in resource_modules()


@pytest.mark.parametrize('name', modules())
def test_module_is_in_the_graph_action_group(name):
    with open(os.path.join(REPO, 'meta', 'runtime.yml')) as handle:
        group = yaml.safe_load(handle)['action_groups']['graph']
    assert name in group, '%s is missing from action_groups.graph in meta/runtime.yml' % name


@pytest.mark.parametrize('name', modules())
def test_module_is_in_the_readme_module_table(name):
    assert name in readme_modules(), 'README.md: the module table has no row | `%s` |' % name


@pytest.mark.parametrize('name', modules())
def test_module_is_in_the_bad_input_table(name):
    cases = load(os.path.join('tests', 'integration', 'hostile_cases.py'))
    assert name in set(case[2] for case in cases.BAD_INPUTS), 'tests/integration/hostile_cases.py has no bad input for %s' % name


@pytest.mark.parametrize('name', resource_modules())
def test_resource_module_is_in_the_check_mode_table(name):
    cases = load(os.path.join('tests', 'integration', 'check_mode_cases.py'))
    assert name in set(case[1] for case in cases.CHECK_MODE_CASES), 'tests/integration/check_mode_cases.py has no case for %s' % name


@pytest.mark.parametrize('name', modules())
def test_module_main_is_glue(name):
    """Every main() is at most 15 lines of glue, without flow of its own: the flow lives in the engine."""
    with open(os.path.join(MODULES, name + '.py')) as handle:
        tree = ast.parse(handle.read())
    main = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == 'main'][0]
    assert main.end_lineno - main.lineno + 1 <= 15
    flow = [type(node).__name__ for node in ast.walk(main) if node is not main and isinstance(
        node, (ast.If, ast.IfExp, ast.For, ast.While, ast.Try, ast.With, ast.FunctionDef, ast.Lambda))]
    assert flow == [], '%s: main() has flow of its own (%s); move it into the engine' % (name, ', '.join(flow))


def test_entity_modules_are_one_line_of_glue():
    entity_modules = [name for name in modules() if main_calls(name) & {'run_resource', 'run_info', 'run_request'}]
    assert len(entity_modules) >= 18
