# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import email.utils

import pytest
import requests

from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import (
    GraphError, OutcomeUnknown, path, quote_segment, retry_after_seconds)

RINGS_PATH = '/admin/windows/updates/policies/p1/rings'


def throttled(http, retry_after=None, request_id='req-429'):
    headers = {'request-id': request_id}
    if retry_after is not None:
        headers['Retry-After'] = retry_after
    return http.response(429, http.error_body('TooManyRequests', 'Too many requests', request_id), headers)


def ok(http, body=None):
    return http.response(200, body if body is not None else {'id': 'r1'}, {'request-id': 'req-ok'})


def reset():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))")


def refused():
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='graph.example.test', port=443): Max retries exceeded with url: /beta/x (Caused by "
        "NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: "
        "[Errno 111] Connection refused'))")


# -- retries --------------------------------------------------------------------------
def test_429_with_retry_after_sleeps_that_long_then_succeeds(http, make_client, sleep):
    client, session = make_client([throttled(http, '2'), ok(http)])
    assert client.get('/admin/windows/updates/policies/p1/rings/r1') == {'id': 'r1'}
    assert sleep.delays == [2.0]
    assert len(session.calls) == 2
    assert client.calls == 2
    for call in session.calls:
        assert call.method == 'GET'
        assert call.url == http.base_url + RINGS_PATH + '/r1'
        assert call.headers['Authorization'] == 'Bearer ' + http.token
        assert call.timeout == 30
        assert call.verify is True


def test_every_request_carries_timeout_and_tls_setting(http, make_client):
    client, session = make_client([ok(http), ok(http), ok(http)], timeout=7, validate_certs='/etc/ca.pem')
    client.get('/a')
    client.post('/a', {'x': 1})
    client.patch('/a/1', {'x': 2})
    assert [(c.timeout, c.verify) for c in session.calls] == [(7, '/etc/ca.pem')] * 3
    assert session.calls[1].headers['Content-Type'] == 'application/json'
    assert session.calls[1].body == {'x': 1}
    assert session.headers['User-Agent'].startswith('graphops.intune/')


@pytest.mark.parametrize('status', [503, 504])
def test_transient_errors_without_retry_after_back_off_exponentially(http, make_client, sleep, status):
    script = [http.response(status, http.error_body('serviceUnavailable', 'try later'))] * 5 + [ok(http)]
    client, session = make_client(script, max_retries=5)
    assert client.get('/x') == {'id': 'r1'}
    assert len(session.calls) == 6
    assert len(sleep.delays) == 5
    for attempt, delay in enumerate(sleep.delays):
        full = 2.0 ** attempt
        assert full / 2 <= delay <= full, (attempt, delay)


def test_backoff_is_capped(make_client):
    client, dummy = make_client()
    for dummy_round in range(20):
        assert 30.0 <= client.backoff(12) <= 60.0
    assert client.backoff(3, retry_after=10000) == 300.0
    assert client.backoff(3, retry_after=4) == 4


def test_huge_retry_after_is_capped(http, make_client, sleep):
    client, dummy = make_client([throttled(http, '100000'), ok(http)])
    client.get('/x')
    assert sleep.delays == [300.0]


def test_gives_up_after_max_retries_with_graphs_error(http, make_client, sleep):
    client, session = make_client([throttled(http, '1', request_id='req-last')] * 3, max_retries=2)
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert len(session.calls) == 3
    assert sleep.delays == [1.0, 1.0]
    error = err.value
    assert error.status == 429
    assert error.code == 'TooManyRequests'
    assert error.request_id == 'req-last'
    # The message says the throttling outlasted the retries (issue 12, item 6).
    assert error.message == 'throttled by Graph (429) after 3 attempts; last Retry-After 1 s (max_retries 2): Too many requests'
    assert str(error).startswith('Graph returned HTTP 429 TooManyRequests on GET https://graph.example.test/beta/x: throttled')


def test_max_retries_zero_sends_once(http, make_client, sleep):
    client, session = make_client([throttled(http, '1')], max_retries=0)
    with pytest.raises(GraphError):
        client.get('/x')
    assert len(session.calls) == 1
    assert sleep.delays == []


def test_client_errors_are_not_retried(http, make_client, sleep):
    client, session = make_client([http.response(400, http.error_body('BadRequest', 'Invalid deferralInDays'))])
    with pytest.raises(GraphError) as err:
        client.patch('/x', {'deferralInDays': 99})
    assert err.value.status == 400
    assert len(session.calls) == 1
    assert sleep.delays == []


# -- 401 ------------------------------------------------------------------------------------
def test_401_refreshes_the_token_once_then_succeeds(http, make_client, tokens):
    client, session = make_client([http.response(401, http.error_body('InvalidAuthenticationToken', 'Token expired')), ok(http)])
    assert client.get('/x') == {'id': 'r1'}
    assert tokens.refreshes == 1
    assert session.calls[0].headers['Authorization'] == 'Bearer ' + http.token
    assert tokens.current != http.token
    assert session.calls[1].headers['Authorization'] == 'Bearer ' + tokens.current


def test_401_twice_is_an_error(http, make_client, tokens):
    unauthorized = http.response(401, http.error_body('InvalidAuthenticationToken', 'Access token validation failure'),
                                 {'request-id': 'req-401'})
    client, session = make_client([unauthorized, unauthorized, ok(http)])
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert err.value.status == 401
    assert err.value.code == 'InvalidAuthenticationToken'
    assert tokens.refreshes == 1
    assert len(session.calls) == 2


def test_401_with_a_fixed_access_token_is_not_retried(http, make_client, tokens):
    tokens.refreshable = False
    client, session = make_client([http.response(401, http.error_body('InvalidAuthenticationToken', 'expired'))])
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert err.value.status == 401
    assert len(session.calls) == 1


# -- GraphError ----------------------------------------------------------------------------
def test_graph_error_from_odata_error_shape(http):
    body = {'error': {'code': 'Request_ResourceNotFound', 'message': "Resource 'r9' does not exist.",
                      'innerError': {'request-id': 'inner-id', 'date': '2024-05-01T10:00:00'}}}
    error = GraphError.from_response(404, body, {}, 'GET', http.base_url + RINGS_PATH + '/r9')
    assert (error.status, error.code, error.message, error.request_id) == (404, 'Request_ResourceNotFound', "Resource 'r9' does not exist.",
                                                                           'inner-id')
    text = str(error)
    for part in ('404', 'Request_ResourceNotFound', 'inner-id', "Resource 'r9' does not exist.", 'GET', http.base_url + RINGS_PATH + '/r9'):
        assert part in text


def test_graph_error_prefers_the_request_id_header_and_reads_lowercase_innererror():
    body = {'error': {'code': 'Forbidden', 'message': 'Insufficient privileges', 'innererror': {'request-id': 'inner-id'}}}
    assert GraphError.from_response(403, body, {'Request-Id': 'header-id'}).request_id == 'header-id'
    assert GraphError.from_response(403, body, {}).request_id == 'inner-id'


def test_graph_error_without_odata_body():
    error = GraphError.from_response(502, '<html>Bad Gateway</html>', {'request-id': 'r'})
    assert (error.status, error.code, error.message) == (502, 'HTTP502', '<html>Bad Gateway</html>')
    assert GraphError.from_response(500, None, {}).message == 'no error body'
    assert len(GraphError.from_response(500, 'x' * 5000, {}).message) == 1000


def test_non_json_error_body_from_a_proxy(http, make_client):
    client, dummy = make_client([http.response(502, text='<html>Bad Gateway</html>')], max_retries=0)
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert (err.value.status, err.value.code, err.value.message) == (502, 'HTTP502', '<html>Bad Gateway</html>')


def test_graph_error_never_shows_the_bearer_token(http, make_client):
    client, session = make_client([http.response(403, http.error_body('Forbidden', 'Insufficient privileges'), {'request-id': 'rid-403'})])
    with pytest.raises(GraphError) as err:
        client.get('/x', params={'$filter': "displayName eq 'Ring 1'"})
    assert session.calls[0].headers['Authorization'] == 'Bearer ' + http.token  # it was sent...
    text = str(err.value) + repr(err.value) + repr(vars(err.value))
    assert http.token not in text  # ...but never shown
    assert 'Authorization' not in text
    assert 'HTTP 403' in text and 'Forbidden' in text and 'rid-403' in text


# -- connection errors ----------------------------------------------------------------------
def test_connection_error_on_get_is_retried(http, make_client, sleep):
    client, session = make_client([reset(), requests.exceptions.ReadTimeout('read timed out'), ok(http)])
    assert client.get('/x') == {'id': 'r1'}
    assert len(session.calls) == 3
    assert len(sleep.delays) == 2


def test_connection_errors_exhaust_retries(make_client):
    client, session = make_client([reset()] * 3, max_retries=2)
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert err.value.status == 0
    assert err.value.code == 'ConnectionError'
    assert len(session.calls) == 3


@pytest.mark.parametrize('failure', [reset, lambda: requests.exceptions.ReadTimeout('read timed out')])
def test_post_broken_after_sending_is_not_repeated(http, make_client, sleep, failure):
    client, session = make_client([failure(), ok(http)])
    with pytest.raises(OutcomeUnknown) as err:
        client.post('/admin/windows/updates/policies/p1/rings', {'displayName': 'Ring 1'})
    assert len(session.calls) == 1
    assert sleep.delays == []
    assert 'POST' in str(err.value)
    assert http.token not in str(err.value)


@pytest.mark.parametrize('failure', [refused, lambda: requests.exceptions.ConnectTimeout('connect timed out')])
def test_post_that_never_reached_graph_is_retried(http, make_client, failure):
    client, session = make_client([failure(), ok(http, {'id': 'new'})])
    assert client.post('/rings', {'displayName': 'Ring 1'}) == {'id': 'new'}
    assert len(session.calls) == 2


def test_patch_reset_is_retried(http, make_client):
    client, session = make_client([reset(), http.response(204)])
    assert client.patch('/rings/r1', {'isPaused': True}) is None
    assert len(session.calls) == 2


@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_certificate_verification_failure_fails_at_once(make_client, sleep, method):
    failure = requests.exceptions.SSLError(
        "HTTPSConnectionPool(host='graph.example.test', port=443): Max retries exceeded with url: /beta/x (Caused by "
        "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
        "certificate in certificate chain (_ssl.c:1006)')))")
    client, session = make_client([failure] * 6)
    with pytest.raises((GraphError, requests.exceptions.SSLError)) as err:
        client.request(method, '/x', body={} if method == 'POST' else None)
    assert len(session.calls) == 1
    assert sleep.delays == []
    assert 'certificate verify failed' in str(err.value)


def test_post_gateway_timeout_is_an_unknown_outcome(http, make_client):
    client, session = make_client([http.response(504, http.error_body('GatewayTimeout', 'upstream timed out')), ok(http)])
    with pytest.raises(OutcomeUnknown):
        client.post('/rings', {'displayName': 'Ring 1'})
    assert len(session.calls) == 1


# -- paging ----------------------------------------------------------------------------------
def test_get_all_follows_next_link(http, make_client):
    next_link = http.base_url + RINGS_PATH + '?$skiptoken=abc'
    client, session = make_client([
        ok(http, {'value': [{'id': 'r1'}, {'id': 'r2'}], '@odata.nextLink': next_link}),
        ok(http, {'value': [{'id': 'r3'}], '@odata.nextLink': next_link + 'def'}),
        ok(http, {'value': []}),
    ])
    items = client.get_all('/admin/windows/updates/policies/p1/rings', params={'$top': 2})
    assert [item['id'] for item in items] == ['r1', 'r2', 'r3']
    assert [(c.url, c.params) for c in session.calls] == [(http.base_url + RINGS_PATH, {'$top': 2}), (next_link, None), (next_link + 'def', None)]


@pytest.mark.parametrize('origin', ['https://evil.example.test', 'http://graph.example.test', 'https://graph.example.test:8443'])
def test_get_all_refuses_a_next_link_to_another_origin(http, make_client, origin):
    assert http.base_url.startswith('https://graph.example.test/')
    foreign = origin + '/beta/rings?$skiptoken=abc'
    client, session = make_client([ok(http, {'value': [{'id': 'r1'}], '@odata.nextLink': foreign})])
    with pytest.raises(GraphError) as err:
        client.get_all('/rings')
    assert err.value.code == 'ForeignHost'
    assert len(session.calls) == 1  # the token went nowhere else
    assert http.token not in str(err.value)


def test_get_optional_maps_404_to_none(http, make_client):
    client, dummy = make_client([http.response(404, http.error_body('NotFound', 'no ring')),
                                 http.response(403, http.error_body('Forbidden', 'no'))])
    assert client.get_optional('/rings/r9') is None
    with pytest.raises(GraphError):
        client.get_optional('/rings/r9')


def test_expected_status(http, make_client):
    client, dummy = make_client([http.response(202, {'id': 'x'})])
    with pytest.raises(GraphError) as err:
        client.request('POST', '/x', body={}, expected=(200, 201))
    assert err.value.status == 202


# -- paths and Retry-After -----------------------------------------------------------------
def test_path_quotes_each_segment():
    assert path('windowsUpdates', 'catalog', 'Windows 11 22H1') == '/windowsUpdates/catalog/Windows%2011%2022H1'
    assert path('rings', 'a/b?c#d') == '/rings/a%2Fb%3Fc%23d'
    assert quote_segment("O'Brien") == 'O%27Brien'


def test_retry_after_seconds():
    assert retry_after_seconds('2') == 2.0
    assert retry_after_seconds(' 7 ') == 7.0
    assert retry_after_seconds('0') == 0.0
    assert retry_after_seconds('-4') == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds('soon') is None


def test_retry_after_http_date():
    now = 1700000000.0
    assert retry_after_seconds(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30.0)
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0


# -- $batch -----------------------------------------------------------------------------------
class BatchGraph(object):
    """Answers $batch POSTs: items in `throttle_once` get one 429 (with inner Retry-After),
    item ids in `fail` a 400; everything else echoes its index. Answers in reverse order."""

    def __init__(self, http, throttle_once=None, fail=(), always_throttle=()):
        self.http = http
        self.throttle_once = dict(throttle_once or {})
        self.fail = set(fail)
        self.always_throttle = set(always_throttle)
        self.batches = []

    def __call__(self, call):
        assert call.method == 'POST' and call.url == self.http.base_url + '/$batch'
        items = call.body['requests']
        self.batches.append(items)
        responses = []
        for item in items:
            index = int(item['id'])
            if index in self.always_throttle or index in self.throttle_once:
                after = self.throttle_once.pop(index, '1')
                responses.append({'id': item['id'], 'status': 429, 'headers': {'Retry-After': after},
                                  'body': self.http.error_body('TooManyRequests', 'slow down', 'inner-429-%d' % index)})
            elif index in self.fail:
                responses.append({'id': item['id'], 'status': 400,
                                  'body': self.http.error_body('BadRequest', 'bad item %d' % index, 'inner-400-%d' % index)})
            else:
                responses.append({'id': item['id'], 'status': 200, 'headers': {'Content-Type': 'application/json'},
                                  'body': {'index': index, 'url': item['url']}})
        return ok(self.http, {'responses': list(reversed(responses))})


def operations(count):
    return [{'method': 'patch', 'url': 'deviceManagement/deviceConfigurations/c1/deviceStatuses/s%d' % i, 'body': {'status': 'compliant'}}
            for i in range(count)]


def test_batch_sends_20_per_request_and_retries_only_throttled_items(http, make_client, sleep):
    graph = BatchGraph(http, throttle_once={3: '2', 41: '5'}, fail={7})
    client, session = make_client(handler=graph)
    results = client.batch(operations(45))

    sizes = [len(items) for items in graph.batches]
    assert sizes == [20, 20, 5, 2]
    assert sorted(item['id'] for item in graph.batches[3]) == ['3', '41']
    assert sleep.delays == [5.0]  # the longest inner Retry-After of the round
    assert len(session.calls) == 4

    first = graph.batches[0][0]
    assert first == {'id': '0', 'method': 'PATCH', 'url': '/deviceManagement/deviceConfigurations/c1/deviceStatuses/s0',
                     'body': {'status': 'compliant'}, 'headers': {'Content-Type': 'application/json'}}

    assert len(results) == 45
    for index, result in enumerate(results):
        if index == 7:
            continue
        assert result.status == 200
        assert result.body['index'] == index  # in input order, whatever order $batch answered in
    error = results[7]
    assert isinstance(error, GraphError)
    assert (error.status, error.code, error.request_id) == (400, 'BadRequest', 'inner-400-7')
    assert 'bad item 7' in str(error)


def test_batch_items_without_body_and_get(http, make_client):
    graph = BatchGraph(http)
    client, dummy = make_client(handler=graph)
    results = client.batch([{'method': 'GET', 'url': '/a'}, {'method': 'delete', 'url': 'b'}])
    assert graph.batches == [[{'id': '0', 'method': 'GET', 'url': '/a'}, {'id': '1', 'method': 'DELETE', 'url': '/b'}]]
    assert [r.status for r in results] == [200, 200]


def test_batch_gives_up_on_items_throttled_every_time(http, make_client, sleep):
    graph = BatchGraph(http, always_throttle={1})
    client, dummy = make_client(handler=graph, max_retries=2)
    results = client.batch(operations(3))
    assert [len(items) for items in graph.batches] == [3, 1, 1]
    assert len(sleep.delays) == 2
    assert results[0].status == 200 and results[2].status == 200
    assert isinstance(results[1], GraphError) and results[1].status == 429
    assert results[1].request_id == 'inner-429-1'


def test_batch_item_missing_from_the_answer_is_an_error(http, make_client):
    def answer(call):
        return ok(http, {'responses': [{'id': '0', 'status': 204}]})
    client, dummy = make_client(handler=answer, max_retries=0)
    results = client.batch(operations(2))
    assert results[0].status == 204
    assert isinstance(results[1], GraphError) and results[1].code == 'MissingBatchResponse'


def test_batch_limit_is_20():
    assert client_utils.BATCH_LIMIT == 20


def test_pages_yields_each_page_and_stops_at_a_page_without_next_link(http, make_client):
    next_link = http.base_url + RINGS_PATH + '?$skiptoken=abc'
    client, session = make_client([
        ok(http, {'value': [{'id': 'r1'}], '@odata.nextLink': next_link}),
        ok(http, {'value': [{'id': 'r2'}]}),
    ])
    pages = list(client.pages(RINGS_PATH, params={'$top': 1}, headers={'ConsistencyLevel': 'eventual'}))
    assert [page.body['value'][0]['id'] for page in pages] == ['r1', 'r2']
    assert [(c.url, c.params, c.headers.get('ConsistencyLevel')) for c in session.calls] == [
        (http.base_url + RINGS_PATH, {'$top': 1}, 'eventual'), (next_link, None, 'eventual')]


def test_pages_is_lazy_and_a_failing_page_raises(http, make_client):
    next_link = http.base_url + RINGS_PATH + '?$skiptoken=abc'
    client, session = make_client([
        ok(http, {'value': [{'id': 'r1'}], '@odata.nextLink': next_link}),
        http.response(403, http.error_body('Forbidden', 'no')),
    ])
    pages = client.pages(RINGS_PATH)
    assert session.calls == []
    assert next(pages).body['value'] == [{'id': 'r1'}]
    with pytest.raises(GraphError) as err:
        next(pages)
    assert err.value.status == 403


def test_the_retry_budget_is_the_one_retry_policy(make_client):
    # urllib3's Retry is gone: one RetryPolicy (transport/retry.py) owns the budget and the decision.
    from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import RETRY, UNKNOWN, FINAL, RetryPolicy
    client, dummy = make_client(max_retries=3)
    policy = client.retry_policy()
    assert isinstance(policy, RetryPolicy)
    assert policy.max_retries == 3 and set(policy.statuses) == {429, 503, 504}
    assert policy.status_verdict('POST', 429) == RETRY and policy.status_verdict('GET', 503) == RETRY
    assert policy.status_verdict('GET', 500) == FINAL and policy.status_verdict('POST', 503) == UNKNOWN


def test_connection_errors_and_throttling_share_one_budget(http, make_client, sleep):
    client, session = make_client([reset(), throttled(http, '1'), reset(), ok(http)], max_retries=2)
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert len(session.calls) == 3
    assert err.value.code == 'ConnectionError' and 'after 3 attempts' in str(err.value)
    assert len(sleep.delays) == 2 and sleep.delays[1] == 1.0


def test_worker_has_its_own_session_with_the_same_settings_and_shares_locked_tokens(tokens):
    client = client_utils.GraphClient('https://graph.example.test/beta', tokens, validate_certs='/tmp/ca.pem', timeout=7,
                                      max_retries=2, session=requests.Session())
    client.session.proxies = {'https': 'http://proxy.example.test:3128'}
    client.session.trust_env = False
    worker = client.worker()
    assert worker.session is not client.session
    assert worker.session.proxies == client.session.proxies and worker.session.trust_env is False
    assert (worker.base_url, worker.verify, worker.timeout, worker.max_retries) == (
        client.base_url, client.verify, client.timeout, client.max_retries)
    assert worker.tokens is client.tokens and worker.tokens.token() == client.tokens.provider.token()
    assert client.worker().tokens is worker.tokens  # one lock for every worker


# -- issue 24: broken answers, paging loops, entities on two pages ------------------------------
def cut_short():
    import http.client
    import urllib3.exceptions
    return requests.exceptions.ChunkedEncodingError(urllib3.exceptions.ProtocolError(
        'Connection broken: IncompleteRead(100 bytes read, 900 more expected)', http.client.IncompleteRead(b'x' * 100, 900)))


def test_an_answer_cut_short_is_retried_for_a_get(http, make_client, sleep):
    client, session = make_client([cut_short(), ok(http)])
    assert client.get('/x') == {'id': 'r1'}
    assert len(session.calls) == 2 and len(sleep.delays) == 1


def test_an_answer_cut_short_is_an_unknown_outcome_for_a_post(http, make_client):
    client, session = make_client([cut_short(), ok(http)])
    with pytest.raises(OutcomeUnknown) as err:
        client.post('/rings', {'displayName': 'Ring 1'})
    assert len(session.calls) == 1
    assert 'broke off before its end' in str(err.value)


@pytest.mark.parametrize('broken', ['incomplete', 'protocol', 'decoding', 'oserror'])
def test_every_broken_answer_ends_as_a_clear_error(http, make_client, broken):
    import http.client as httplib
    import urllib3.exceptions
    exc = {'incomplete': httplib.IncompleteRead(b'', 10),
           'protocol': urllib3.exceptions.ProtocolError('Connection broken'),
           'decoding': requests.exceptions.ContentDecodingError('Received response with content-encoding: gzip, but failed to decode it'),
           'oserror': ConnectionResetError(104, 'Connection reset by peer')}[broken]
    client, session = make_client([exc] * 3, max_retries=2)
    with pytest.raises(GraphError) as err:
        client.get('/x')
    assert err.value.code == 'ConnectionError' and 'after 3 attempts' in str(err.value)
    client, session = make_client([exc])
    with pytest.raises(OutcomeUnknown):
        client.post('/rings', {'displayName': 'Ring 1'})


@pytest.mark.parametrize('status', [503, 504])
def test_post_503_504_is_an_unknown_outcome_never_resent(http, make_client, status):
    client, session = make_client([http.response(status, http.error_body('ServiceUnavailable', 'later')), ok(http)])
    with pytest.raises(OutcomeUnknown) as err:
        client.post('/rings', {'displayName': 'Ring 1'})
    assert len(session.calls) == 1 and err.value.status == status


def test_a_batch_without_creates_is_resent_whole_one_with_creates_is_not(http, make_client, sleep):
    unavailable = http.response(503, http.error_body('ServiceUnavailable', 'later'))
    client, session = make_client([unavailable, ok(http, {'responses': [{'id': '0', 'status': 204}]})])
    assert client.send_batch([client_utils.batch_item('0', {'method': 'DELETE', 'url': '/a'})])['0'].status == 204
    assert len(session.calls) == 2
    client, session = make_client([unavailable, ok(http, {'responses': [{'id': '0', 'status': 201}]})])
    with pytest.raises(OutcomeUnknown):
        client.send_batch([client_utils.batch_item('0', {'method': 'POST', 'url': '/a', 'body': {}})])
    assert len(session.calls) == 1


def test_batch_post_items_503_or_missing_are_unknown_not_resent(http, make_client):
    def answer(call):
        return ok(http, {'responses': [{'id': '0', 'status': 503, 'body': http.error_body('ServiceUnavailable', 'x')}]})
    client, session = make_client(handler=answer)
    results = client.batch([{'method': 'POST', 'url': '/a', 'body': {'n': 0}}, {'method': 'POST', 'url': '/a', 'body': {'n': 1}}])
    assert len(session.calls) == 1
    assert isinstance(results[0], OutcomeUnknown) and results[0].status == 503
    assert isinstance(results[1], OutcomeUnknown) and 'no answer for this item' in str(results[1])


def test_a_next_link_back_to_the_same_page_fails_clearly(http, make_client):
    def answer(call):
        return ok(http, {'value': [{'id': 'r1'}], '@odata.nextLink': call.url})
    client, session = make_client(handler=answer)
    with pytest.raises(GraphError) as err:
        client.get_all(RINGS_PATH)
    assert err.value.code == 'PagingLoop' and 'already followed' in str(err.value)
    assert len(session.calls) <= 2


def test_a_next_link_to_an_earlier_page_fails_clearly(http, make_client):
    first = http.base_url + RINGS_PATH + '?$skiptoken=1'
    second = http.base_url + RINGS_PATH + '?$skiptoken=2'
    client, session = make_client([ok(http, {'value': [], '@odata.nextLink': first}), ok(http, {'value': [], '@odata.nextLink': second}),
                                   ok(http, {'value': [], '@odata.nextLink': first})])
    with pytest.raises(GraphError) as err:
        client.get_all(RINGS_PATH)
    assert err.value.code == 'PagingLoop' and len(session.calls) == 3


def test_a_listing_past_the_page_bound_fails_clearly(http, make_client):
    def answer(call):
        return ok(http, {'value': [], '@odata.nextLink': http.base_url + RINGS_PATH + '?$skiptoken=%d' % len(session.calls)})
    client, session = make_client(handler=answer)
    with pytest.raises(GraphError) as err:
        list(client.pages(RINGS_PATH, max_pages=5))
    assert err.value.code == 'PagingLoop' and 'more than 5 pages' in str(err.value) and len(session.calls) == 5


def test_an_entity_on_two_pages_is_one_entity(http, make_client):
    next_link = http.base_url + RINGS_PATH + '?$skiptoken=abc'
    client, dummy = make_client([ok(http, {'value': [{'id': 'r1'}, {'id': 'R2'}], '@odata.nextLink': next_link}),
                                 ok(http, {'value': [{'id': 'r2'}, {'id': 'r3'}]})])
    assert [item['id'] for item in client.get_all(RINGS_PATH)] == ['r1', 'R2', 'r3']
