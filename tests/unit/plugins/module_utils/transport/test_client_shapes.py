# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every response shape is checked where it is read (issue 12, item 2): a clear GraphError naming
method, URL, status and what was wrong with the body; never an AttributeError, never "not found"."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import GraphError

HTML = '<html><body><h1>Sign in to your proxy</h1></body></html>'


def text(http, body, status=200, content_type='text/html'):
    return http.response(status, text=body, headers={'Content-Type': content_type})


CASES = [
    # (call, answer builder, expected fragments)
    ('get', lambda h: text(h, HTML), ['GET https://graph.example.test/beta/x', 'HTTP 200', 'not JSON', 'text/html', 'Sign in']),
    ('get', lambda h: text(h, '{"id": "r1", ', content_type='application/json'), ['not JSON', 'application/json']),
    ('get', lambda h: h.response(200, ['a', 'b']), ['expected a JSON object (the entity)', 'a JSON list']),
    ('get', lambda h: h.response(200), ['expected a JSON object (the entity)', 'an empty body']),
    ('get', lambda h: h.response(200, 'just a string'), ['a JSON string']),
    ('get_optional', lambda h: h.response(200), ['an empty body']),
    ('get_optional', lambda h: text(h, HTML), ['not JSON']),
    ('get_all', lambda h: h.response(200, {'value': {'id': 'x'}}), ['a "value" list', 'a JSON object with keys id']),
    ('get_all', lambda h: h.response(200, {'items': []}), ['a "value" list', 'keys items']),
    ('get_all', lambda h: h.response(200, {'value': ['r1']}), ['JSON objects in "value"', 'a JSON string']),
    ('get_all', lambda h: h.response(200, {'value': [], '@odata.nextLink': 5}), ['a string "@odata.nextLink"']),
    ('get_all', lambda h: h.response(200, [{'id': 'x'}]), ['a collection page', 'a JSON list']),
    ('post', lambda h: h.response(201), ['POST', 'HTTP 201', 'the created entity', 'an empty body']),
    ('post', lambda h: h.response(201, [1]), ['the created entity', 'a JSON list']),
    ('patch', lambda h: text(h, HTML), ['PATCH', 'not JSON']),
    ('patch', lambda h: h.response(200, [1, 2]), ['the updated entity', 'a JSON list']),
    ('batch', lambda h: h.response(200, {'answers': []}), ['a "responses" list ($batch)']),
    ('batch', lambda h: h.response(200, {'responses': [{'id': '0', 'status': 'two hundred'}]}), ['integer "status"']),
    ('batch', lambda h: text(h, HTML), ['POST https://graph.example.test/beta/$batch', 'not JSON']),
]


@pytest.mark.parametrize('call, answer, fragments', CASES, ids=['%s-%d' % (case[0], n) for n, case in enumerate(CASES)])
def test_unexpected_bodies_are_clear_errors(http, make_client, call, answer, fragments):
    client, dummy = make_client([answer(http)], max_retries=0)
    with pytest.raises(GraphError) as error:
        if call == 'batch':
            client.batch([{'method': 'GET', 'url': '/x'}])
        elif call in ('post', 'patch'):
            getattr(client, call)('/x', {'a': 1})
        else:
            getattr(client, call)('/x')
    message = str(error.value)
    assert error.value.code == 'UnexpectedResponse'
    for fragment in fragments:
        assert fragment in message
    assert '\n' not in message


def test_a_204_post_or_patch_without_body_is_fine(http, make_client):
    client, dummy = make_client([http.response(204), http.response(204)])
    assert client.post('/x', {}) is None
    assert client.patch('/x', {}) is None


def test_non_graph_json_error_body_is_shown_trimmed(http, make_client):
    client, dummy = make_client([http.response(500, {'message': 'upstream connect error', 'detail': 'x' * 3000})], max_retries=0)
    with pytest.raises(GraphError) as error:
        client.get('/x')
    assert 'no error body' not in str(error.value)
    assert 'upstream connect error' in str(error.value) and len(error.value.message) <= 320


def test_intune_message_with_embedded_json_is_one_line(http, make_client):
    intune = ('{\r\n  "_version": 3,\r\n  "Message": "An error has occurred - Operation ID (for customer support): '
              '00000000-0000-0000-0000-000000000000",\r\n  "CustomApiErrorPhrase": "",\r\n  "RetryAfter": null\r\n}')
    client, dummy = make_client([http.response(400, http.error_body('BadRequest', intune))], max_retries=0)
    with pytest.raises(GraphError) as error:
        client.get('/x')
    assert '\r' not in str(error.value) and '\n' not in str(error.value)
    assert '"_version": 3, "Message": "An error has occurred' in str(error.value)


def test_graph_request_still_returns_raw_bodies(http, make_client):
    client, dummy = make_client([text(http, HTML)])
    response = client.request('GET', '/x', raw_ok=True)
    assert response.body == HTML and response.problem
