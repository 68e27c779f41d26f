# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every entity of the collection has an emulator declaration (tests/emulator/entities/).

Each Entity object of plugins/module_utils/entities/*.py names its collection path and @odata.type: the emulator
must serve that collection (list and item) from a declaration of that type. The emulator itself never imports the
collection (see tests/emulator/README.md); only this test looks at both.
"""

from __future__ import annotations

import ast
import glob
import importlib
import os
import pkgutil
import sys

import pytest

from ansible_collections.graphops.intune.plugins.module_utils import entities as plugin_entities

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from emulator import graph  # noqa: E402  pylint: disable=wrong-import-position,import-error
from emulator.routing import GraphError, resolve  # noqa: E402  pylint: disable=wrong-import-position,import-error


class _Params(dict):
    """Any path option the collection asks for: a placeholder id."""

    def __missing__(self, key):
        return 'placeholder-%s' % key


def _collection_entities():
    found = []
    for info in sorted(pkgutil.iter_modules(plugin_entities.__path__), key=lambda i: i.name):
        module = importlib.import_module('%s.%s' % (plugin_entities.__name__, info.name))
        for name, value in sorted(vars(module).items()):
            if not isinstance(value, type) and hasattr(value, 'collection') and hasattr(value, 'odata_type') and hasattr(value, 'name'):
                if (info.name, value.name) not in [(m, e.name) for m, _n, e in found]:
                    found.append((info.name, name, value))
    return found


ENTITIES = _collection_entities()


def _segments(entity):
    path = entity.collection(_Params()) if callable(entity.collection) else entity.collection
    if isinstance(path, str):
        path = path.strip('/').split('/')
    return [str(segment) for segment in path]


def test_the_collection_has_entities():
    assert len(ENTITIES) >= 8, [name for _m, name, _e in ENTITIES]


@pytest.mark.parametrize('module, name, entity', ENTITIES, ids=['%s.%s' % (m, n) for m, n, _e in ENTITIES])
def test_every_entity_has_an_emulator_declaration(module, name, entity):
    segments = _segments(entity)
    where = '%s.%s (%s, /%s)' % (module, name, entity.name, '/'.join(segments))
    try:
        route, _params = resolve(graph.ROUTES, segments)
        item_route, _params = resolve(graph.ROUTES, segments + ['placeholder-id'])
    except GraphError as exc:
        pytest.fail('%s: the emulator serves no such collection (%s): add a declaration in tests/emulator/entities/' % (where, exc.message))
    assert route.decl is not None and 'GET' in route.methods, '%s: the emulator lists no such collection' % where
    assert item_route.decl is route.decl and item_route.key, '%s: the emulator serves no item of that collection' % where
    if entity.odata_type:
        declared = route.decl.qualified_names
        assert entity.odata_type.lstrip('#') in declared, '%s: the emulator declares %s there, not %s' % (where, sorted(declared), entity.odata_type)


def test_the_emulator_never_imports_the_collection():
    """A test double derived from the code under test would agree with its bugs (tests/emulator/README.md)."""
    emulator_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'emulator')
    offenders = []
    for path in glob.glob(os.path.join(emulator_dir, '**', '*.py'), recursive=True):
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module or ''] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders.extend('%s: %s' % (os.path.relpath(path, emulator_dir), name) for name in names
                             if name.split('.')[0] in ('ansible_collections', 'plugins', 'ansible'))
    assert not offenders
