# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option adapter (module_utils/graph_options.py), shared by the modules and the plugins."""

from __future__ import annotations

import os

import pytest
import requests

from ansible_collections.graphops.intune.plugins.module_utils import graph_options
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (
    AuthError, BulkError, GraphError, ModuleInputError, OutcomeUnknown)
from ansible_collections.graphops.intune.plugins.module_utils.transport.query import query_string

# graph_request's encoding (its tests/integration/test_graph_request.py cases): what the one encoder must keep.
QUERIES = [
    ({'$filter': "displayName eq 'Ring 1' and isPaused eq false", '$select': ['id', 'displayName'], '$top': 5},
     "$filter=displayName%20eq%20'Ring%201'%20and%20isPaused%20eq%20false&$select=id,displayName&$top=5"),
    ({'$count': True, '$search': '"device (1)"', 'api': None}, "$count=true&$search=%22device%20(1)%22&api="),
    ({}, None),
]


@pytest.mark.parametrize('query, sent', QUERIES)
def test_query_string_is_graph_requests_encoding(query, sent):
    assert query_string(query) == sent


def test_query_string_adds_odata_dollars_for_the_lookup():
    assert query_string({'filter': "a eq 'b c'", 'select': ['id', 'x'], '$top': 2}, odata_names=True) == \
        "$filter=a%20eq%20'b%20c'&$select=id,x&$top=2"
    with pytest.raises(ModuleInputError, match='the value of \\$filter must be'):
        query_string({'filter': {'a': 1}}, odata_names=True)


def test_one_mapping_of_failures():
    graph = GraphError(404, 'ResourceNotFound', 'gone', 'req-1', 'GET', 'https://graph/x')
    assert graph_options.failure(graph) == {'msg': str(graph), 'status': 404, 'error_code': 'ResourceNotFound', 'request_id': 'req-1'}
    assert graph_options.failure(BulkError('1 failed', {'changed': True, 'created': 1})) == {
        'changed': True, 'created': 1, 'msg': '1 failed'}
    for error in (AuthError('no credentials'), ModuleInputError('bad'), OutcomeUnknown('POST', 'u', 'reset')):
        assert graph_options.failure(error) == {'msg': str(error)}
    assert graph_options.failure(requests.ConnectionError('boom')) == {'msg': 'cannot reach Microsoft Graph: boom'}
    assert graph_options.failure(KeyError('a crash is a crash')) is None


def test_lock_directory_is_beside_the_token_cache(tmp_path):
    assert graph_options.lock_directory({'token_cache_path': str(tmp_path / 'c' / 't.json')}) == str(tmp_path / 'c' / 'locks')
    assert graph_options.lock_directory({'token_cache_path': None}, {'XDG_CACHE_HOME': '/x'}) == '/x/graphops.intune/locks'
    assert graph_options.lock_timeout({'GRAPH_LOCK_TIMEOUT': '7'}) == 7.0
    assert graph_options.lock_timeout({}) == 600.0
    assert os.path.isabs(graph_options.lock_directory({'token_cache_path': ''}))
