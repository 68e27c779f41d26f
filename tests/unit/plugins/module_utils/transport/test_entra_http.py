# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entra (token, discovery) is retried like Graph and named in its failures; no "HTTP 0" (issue 12, item 3)."""

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.graphops.intune.plugins.module_utils.transport.entra import EntraHttp
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import GraphClient, GraphError

DISCOVERY = 'https://login.example.test/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration'
TOKEN = 'https://login.example.test/1111/oauth2/v2.0/token'


class Session(object):
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def _answer(self, method, url, kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def get(self, url, **kwargs):
        return self._answer('GET', url, kwargs)

    def post(self, url, **kwargs):
        return self._answer('POST', url, kwargs)


def entra_error(http, status, retry_after='2'):
    return http.response(status, {'error': 'temporarily_unavailable',
                                  'error_description': 'AADSTS90033: A transient error has occurred.\r\nTrace ID: x'},
                         {'Retry-After': retry_after} if retry_after else {})


def refused(host='127.0.0.1', port=9):
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='%s', port=%d): Max retries exceeded (Caused by NewConnectionError("
        "'<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: [Errno 111] Connection refused'))"
        % (host, port))


@pytest.mark.parametrize('status', [429, 503])
def test_transient_entra_answers_are_retried_after_retry_after(http, sleep, status):
    session = Session([entra_error(http, status), http.response(200, {'token_endpoint': TOKEN})])
    client = EntraHttp(session, True, 10, max_retries=3, sleep=sleep)
    assert client.get(DISCOVERY).status_code == 200
    assert len(session.calls) == 2 and sleep.delays == [2.0]


def test_entra_throttling_that_outlasts_the_retries_names_entra_and_the_url(http, sleep):
    session = Session([entra_error(http, 429)] * 3)
    with pytest.raises(AuthError) as error:
        EntraHttp(session, True, 10, max_retries=2, sleep=sleep).post(TOKEN, data={'client_secret': 's'})
    text = str(error.value)
    assert text == ('Entra token endpoint at %s answered HTTP 429 (throttled) after 3 attempts; last Retry-After 2 s '
                    '(max_retries 2): temporarily_unavailable: AADSTS90033: A transient error has occurred.' % TOKEN)
    assert 'HTTP 0' not in text and 'Graph' not in text


def test_a_dropped_discovery_connection_says_cannot_connect_to_the_host(sleep):
    drop = requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed connection'))")
    session = Session([drop] * 2)
    with pytest.raises(AuthError) as error:
        EntraHttp(session, True, 10, max_retries=1, sleep=sleep).get(DISCOVERY)
    assert str(error.value) == ('Entra OpenID discovery at %s: cannot connect to login.example.test after 2 attempts: '
                                'the connection was closed without an answer' % DISCOVERY)


def test_a_refused_loopback_connection_fails_at_once(sleep):
    session = Session([refused()])
    with pytest.raises(AuthError) as error:
        EntraHttp(session, True, 10, max_retries=5, sleep=sleep).get('https://127.0.0.1:9/t/v2.0/.well-known/openid-configuration')
    assert 'cannot connect to 127.0.0.1:9: connection refused' in str(error.value)
    assert sleep.delays == [] and len(session.calls) == 1


def test_tls_setting_and_timeout_are_forced(http, sleep):
    session = Session([http.response(200, {})])
    EntraHttp(session, '/ca.pem', 12, sleep=sleep).get(DISCOVERY, verify=True)
    assert session.calls[0][2] == {'verify': '/ca.pem', 'timeout': 12}


class Tokens(object):
    def token(self):
        return 'T'

    def refresh(self):
        return False


class RefusingSession(object):
    headers = {}

    def __init__(self):
        self.calls = 0

    def request(self, *args, **kwargs):
        self.calls += 1
        raise refused()


def test_graph_refused_on_loopback_fails_fast_without_http_0():
    session = RefusingSession()
    delays = []
    client = GraphClient('https://127.0.0.1:9/beta', Tokens(), session=session, sleep=delays.append, max_retries=5)
    started = time.monotonic()
    with pytest.raises(GraphError) as error:
        client.get('/x')
    assert time.monotonic() - started < 1 and delays == [] and session.calls == 1
    assert str(error.value) == ('Graph request on GET https://127.0.0.1:9/beta/x failed: cannot connect to 127.0.0.1:9: '
                                'connection refused (is the endpoint running?)')


def test_graph_connection_failure_after_retries_names_the_host(sleep):
    session = RefusingSession()
    client = GraphClient('https://graph.example.test/beta', Tokens(), session=session, sleep=sleep, max_retries=2)
    with pytest.raises(GraphError) as error:
        client.get('/x')
    assert session.calls == 3
    assert 'cannot connect to graph.example.test after 3 attempts: connection refused' in str(error.value)
    assert 'HTTP 0' not in str(error.value)
