# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""graph_request's engine part (engine/request.py): what a task returns for each kind of answer."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.request import GraphRequest
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import Response
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

HTML = '<html><body>Sign in to continue</body></html>'
PROBLEM = 'a body that is not JSON (text/html, 46 bytes: <html><body>Sign in to continue</body></html>)'


class Client(object):
    def __init__(self, response):
        self.response = response
        self.sent = []

    def url(self, relative):
        return 'https://graph.example/beta/' + relative

    def request(self, method, relative, **kwargs):
        self.sent.append((method, relative, kwargs.get('raw_ok')))
        return self.response


class Module(object):
    def __init__(self, client, check_mode=False, **params):
        self.client = client
        self.check_mode = check_mode
        self.params = dict(method='GET', path='reports/x', query=None, body=None, headers=None, all_pages=False,
                           status_code=[200, 201, 202, 204])
        self.params.update(params)


def run(response, **params):
    client = Client(response)
    return GraphRequest(Module(client, **params)).run(), client


def test_json_body_is_the_response_without_warning():
    result, client = run(Response(200, {'value': []}, {'request-id': 'r1'}))
    assert result['response'] == {'value': []} and 'content' not in result and 'warnings' not in result
    assert result['status'] == 200 and result['request_id'] == 'r1' and result['changed'] is False
    assert client.sent == [('GET', 'reports/x', True)]


def test_a_200_that_is_not_json_is_content_with_a_warning_and_no_response():
    result, dummy = run(Response(200, HTML, {}, problem=PROBLEM))
    assert result['content'] == HTML
    assert 'response' not in result
    [warning] = result['warnings']
    assert 'answered HTTP 200 with a body that is not JSON (text/html' in warning and 'returned as content' in warning


def test_an_empty_answer_is_a_null_response():
    result, dummy = run(Response(204, None, {}), method='DELETE')
    assert result['response'] is None and 'warnings' not in result and result['changed'] is True


def test_bad_input_fails_before_any_request():
    with pytest.raises(ModuleInputError, match='all_pages needs method GET'):
        GraphRequest(Module(None, method='POST', all_pages=True))
