# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""GraphClient: the one place that speaks HTTP to Microsoft Graph.

Retries (429/503/504 and connection errors, honouring Retry-After), one token refresh
on 401, paging over @odata.nextLink, $batch (20 per request, throttled items retried
one by one) and GraphError all live here.

What is retried, how long to wait and when to give up belong to the one retry policy
(transport/retry.py, RetryPolicy); the loop around it is here, because each attempt needs a
fresh token after a 401, a POST must not be repeated when its outcome is unknown, and
sleeping goes through an injectable clock (docs/architecture.md, "Retries").
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import traceback
import uuid
from urllib.parse import quote, urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (  # noqa: F401 - one_line is used by auth
    GraphError, ModuleInputError, OutcomeUnknown, describe_body, lower_keys, one_line)

from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import (
    RETRY, RETRY_AFTER_CAP, UNKNOWN, RetryPolicy, backoff_delay, retry_after_seconds, timed_out)

try:
    import requests
    import urllib3.exceptions
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported by the module
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()


BATCH_LIMIT = 20
MAX_PAGES = 10000  # a listing longer than this many pages is a paging loop, not a collection
USER_AGENT = 'graphops.intune/0.2.0'


class Response(object):
    def __init__(self, status, body, headers, problem=None, method=None, url=None):
        self.status = status
        self.body = body
        self.headers = lower_keys(headers)
        self.problem = problem  # why the body is unreadable (not JSON), or None
        self.method = method
        self.url = url
        self.missing = False  # a $batch item the answer left out (send_batch)
        self.sent_url = url  # the URL requested, query included (pages: a next link back to it is a loop)

    @property
    def request_id(self):
        return self.headers.get('request-id')

    def unexpected(self, wanted, body=None, problem=None):
        """A GraphError saying what the body (or a part of it) should have been and what it was."""
        body = self.body if body is None and problem is None else body
        return GraphError(self.status, 'UnexpectedResponse', 'expected %s in the response, got %s' % (
            wanted, describe_body(body, problem if problem is not None else self.problem)),
            self.request_id, self.method, self.url)

    def json_object(self, wanted='a JSON object', allow_empty=False):
        """The body as a dict; an empty body is None when allow_empty (204 No Content)."""
        if self.body is None and allow_empty and not self.problem:
            return None
        if not isinstance(self.body, dict) or self.problem:
            raise self.unexpected(wanted)
        return self.body


def id_problem(value):
    """Why a value cannot be one segment of a Graph path (an id), or None.

    '.' and '..' would be removed by URL normalisation (so '.../rings/..' reaches the
    policy), an empty id addresses the collection, and control characters never belong in
    an id.
    """
    text = '' if value is None else str(value)
    if not text.strip():
        return 'is empty'
    if text.strip() in ('.', '..'):
        return 'is %r, which URL normalisation would remove from the path' % text.strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        return 'holds control characters (%r)' % text
    return None


def check_id(label, value):
    """ModuleInputError (before any request) when value cannot be an id in a path."""
    problem = id_problem(value)
    if problem:
        raise ModuleInputError('%s %s; nothing was sent' % (label, problem))
    return value


def quote_segment(value):
    """Quote one path segment (ids may hold spaces, e.g. 'Windows 11 22H1')."""
    return quote(str(value), safe='')


def path(*segments):
    """Build a Graph path from raw segments, quoting each: path('a', 'Windows 11') -> '/a/Windows%2011'.

    Every segment is checked (check_id), so no module can send '.', '..', an empty id or
    control characters, whichever option the segment came from.
    """
    for segment in segments:
        check_id('a path segment (an id)', segment)
    return '/' + '/'.join(quote_segment(segment) for segment in segments)


def connection_problem(exc):
    """A short, plain reason for a failed connection: refused, name not resolved, timed out, reset..."""
    text = repr(exc)
    if 'Connection refused' in text or 'ConnectionRefusedError' in text:
        return 'connection refused'
    if 'NameResolutionError' in text or 'Name or service not known' in text or 'getaddrinfo failed' in text:
        return 'the host name does not resolve'
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'connecting timed out'
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no answer within the timeout'
    if 'RemoteDisconnected' in text or 'reset by peer' in text or 'Connection aborted' in text:
        return 'the connection was closed without an answer'
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or 'IncompleteRead' in text or 'ProtocolError' in text:
        return 'the answer broke off before its end (%s)' % _short(exc)
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return 'the answer could not be decoded (%s)' % _short(exc)
    return _short(exc)


def host_of(url):
    parts = urlsplit(url)
    return parts.netloc or url


def refused_on_loopback(exc, url):
    """A refused connection to a loopback endpoint: nothing listens there, and waiting will not change that."""
    host = (urlsplit(url).hostname or '').lower()
    loopback = host in ('localhost', '::1') or host.startswith('127.')
    return loopback and connection_problem(exc) == 'connection refused'


if HAS_REQUESTS:
    # Raised before anything is sent: not retried.
    NOT_SENDABLE = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                    requests.exceptions.InvalidHeader, requests.exceptions.URLRequired)
    # Every way a request can fail to bring back a whole answer: requests' own (ConnectionError, Timeout,
    # ChunkedEncodingError, ContentDecodingError...), and what may slip through unwrapped from urllib3,
    # http.client (IncompleteRead) or the socket.
    BROKEN = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)
else:  # pragma: no cover
    NOT_SENDABLE = BROKEN = ()


class GraphClient(object):
    """A requests.Session bound to one Graph base URL and one token provider."""

    def __init__(self, base_url, token_provider, validate_certs=True, timeout=30, max_retries=5, session=None, sleep=time.sleep):
        self.base_url = base_url.rstrip('/')
        self.tokens = token_provider
        self.verify = validate_certs
        self.timeout = timeout
        self.max_retries = max_retries
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self._sleep = sleep
        self.calls = 0  # HTTP requests sent to Graph (for tests and benchmarks)
        self.on_throttle = None  # callable(status, retry_after seconds or None) told of each 429/503/504 answer

    def worker(self):
        """Another client for another thread: its own Session (requests does not promise that a
        Session is thread-safe), the same settings, and this client's tokens behind a lock."""
        tokens = self.tokens if isinstance(self.tokens, LockedTokens) else LockedTokens(self.tokens)
        self.tokens = tokens
        session = requests.Session()
        session.trust_env = self.session.trust_env
        session.verify = self.session.verify
        session.cert = self.session.cert
        session.proxies = dict(self.session.proxies)
        return GraphClient(self.base_url, tokens, validate_certs=self.verify, timeout=self.timeout, max_retries=self.max_retries,
                           session=session, sleep=self._sleep)

    # -- plumbing ---------------------------------------------------------------------
    def url(self, relative):
        if relative.startswith('https://') or relative.startswith('http://'):
            return relative
        return self.base_url + '/' + relative.lstrip('/')

    def _same_origin(self, url):
        mine, theirs = urlsplit(self.base_url), urlsplit(url)
        return (mine.scheme, mine.netloc) == (theirs.scheme, theirs.netloc)

    def backoff(self, attempt, retry_after=None):
        return backoff_delay(attempt, retry_after)

    def retry_policy(self):
        """The one retry policy (transport/retry.py) with this client's max_retries."""
        return RetryPolicy(self.max_retries)

    def _send(self, method, url, params, body, headers, token):
        send_headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json',
                        'client-request-id': str(uuid.uuid4())}
        if body is not None:
            send_headers['Content-Type'] = 'application/json'
        send_headers.update(headers or {})
        self.calls += 1
        return self.session.request(method, url, params=params, data=None if body is None else json.dumps(body),
                                    headers=send_headers, timeout=self.timeout, verify=self.verify)

    def request(self, method, relative, params=None, body=None, headers=None, expected=None, raw_ok=False, idempotent=None):
        """Send one Graph request with retries; return Response or raise GraphError.

        RetryPolicy decides: a POST (unless idempotent=True) whose answer was lost, broke off,
        timed out or was a 503/504 raises OutcomeUnknown instead of being repeated: the
        caller looks the resource up, so no duplicate is made.
        """
        method = method.upper()
        url = self.url(relative)
        if not self._same_origin(url):
            raise GraphError(0, 'ForeignHost', 'refusing to send the bearer token to %s' % url, method=method, url=url)
        refreshed = False
        policy = self.retry_policy()
        attempt = 0  # retries made so far
        while True:
            token = self.tokens.token()  # outside the try: Entra's failures name Entra (auth.EntraHttp)
            try:
                response = self._send(method, url, params, body, headers, token)
            except requests.exceptions.SSLError as exc:
                # Not transient: retrying cannot make a certificate valid.
                raise GraphError(0, 'SSLError', 'TLS failure talking to %s: %s (validate_certs, REQUESTS_CA_BUNDLE)' % (
                    _display(url), _short(exc)), method=method, url=_display(url))
            except NOT_SENDABLE as exc:
                raise GraphError(0, 'InvalidRequest', 'cannot send %s: %s' % (_display(url), _short(exc)), method=method, url=_display(url))
            except BROKEN as exc:
                # A connection error, a timeout, or an answer that broke off (ChunkedEncodingError,
                # IncompleteRead, ProtocolError, ContentDecodingError...): never a hang, never a traceback.
                verdict = policy.error_verdict(method, exc, idempotent)
                if verdict == UNKNOWN:
                    raise OutcomeUnknown(method, _display(url), connection_problem(exc), timed_out=timed_out(exc))
                if refused_on_loopback(exc, url):
                    raise GraphError(0, 'ConnectionError', 'cannot connect to %s: %s (is the endpoint running?)' % (
                        host_of(url), connection_problem(exc)), method=method, url=_display(url))
                if not policy.can_retry(attempt):
                    attempts = attempt + 1
                    raise GraphError(0, 'ConnectionError', 'cannot connect to %s after %d attempt%s: %s' % (
                        host_of(url), attempts, '' if attempts == 1 else 's', connection_problem(exc)),
                        method=method, url=_display(url))
                self._sleep(policy.delay(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status == 401 and not refreshed and self.tokens.refresh():
                refreshed = True
                continue
            verdict = policy.status_verdict(method, status, idempotent)
            retry_after = response.headers.get('Retry-After')
            if policy.is_throttle(status) and self.on_throttle is not None:
                self.on_throttle(status, retry_after_seconds(retry_after))
            if verdict == UNKNOWN:
                # A 503/504 says nothing of whether the backend created it.
                raise OutcomeUnknown(method, _display(url), 'HTTP %d %s' % (status, 'Gateway Timeout' if status == 504 else 'Service Unavailable'),
                                     status=status)
            if verdict == RETRY and policy.can_retry(attempt):
                self._sleep(policy.delay(attempt, retry_after))
                attempt += 1
                continue
            parsed, problem = _parse(response)
            if status >= 400 or (expected and status not in expected):
                error = GraphError.from_response(status, parsed, response.headers, method, _display(url))
                if verdict == RETRY:
                    policy.outlasted(error, attempt + 1, retry_after)
                raise error
            answer = Response(status, parsed, response.headers, problem, method, _display(url))
            answer.sent_url = response.url if isinstance(getattr(response, 'url', None), str) else url  # with its query
            if problem and not raw_ok:
                raise answer.unexpected('JSON')
            return answer

    def get(self, relative, params=None):
        """One entity (or one page): a JSON object, else a clear GraphError."""
        return self.request('GET', relative, params=params).json_object('a JSON object (the entity)')

    def get_optional(self, relative, params=None):
        """GET that answers None for 404 (an entity that does not exist)."""
        try:
            return self.get(relative, params)
        except GraphError as exc:
            if exc.status == 404:
                return None
            raise

    def pages(self, relative, params=None, headers=None, expected=None, max_pages=None):
        """Each page (Response) of a GET, following @odata.nextLink until a page has none.

        The one paging loop: get_all and graph_request's all_pages both use it. A page that
        fails raises GraphError like any request; so does a next link already followed (a
        page pointing back to itself or an earlier one) and a listing longer than max_pages
        (MAX_PAGES): a paging loop fails clearly instead of running forever.
        """
        limit = MAX_PAGES if max_pages is None else max_pages
        response = self.request('GET', relative, params=params, headers=headers, expected=expected)
        followed, count = set([response.sent_url]), 1
        while True:
            yield response
            body = response.body
            next_link = body.get('@odata.nextLink') if isinstance(body, dict) else None
            if not next_link or not isinstance(next_link, str):  # iter_items says what is wrong with a bad one
                return
            if next_link in followed:
                raise GraphError(response.status, 'PagingLoop', 'Graph answered an @odata.nextLink that was already followed '
                                 '(page %d points back to an earlier page): the listing would never end' % count,
                                 response.request_id, 'GET', _display(next_link))
            if count >= limit:
                raise GraphError(response.status, 'PagingLoop', 'the listing has more than %d pages: stopped (a paging loop?)' % limit,
                                 response.request_id, 'GET', _display(next_link))
            followed.add(next_link)
            count += 1
            response = self.request('GET', next_link, headers=headers, expected=expected)

    def get_all(self, relative, params=None):
        """All items of a collection, following @odata.nextLink."""
        return list(self.iter_items(relative, params))

    def iter_items(self, relative, params=None):
        """The items of a collection one by one, reading a page at a time (pages()): a large
        collection is never held whole. Every page's shape is checked as it is read.

        An entity is one entity by id: one that a later page returns again (Graph's paging
        does that when the collection changes during the read) is yielded once."""
        seen = set()
        for response in self.pages(relative, params):
            page = response.json_object('a JSON object with a "value" list (a collection page)')
            value = page.get('value')
            if not isinstance(value, list):
                raise response.unexpected('a "value" list (a collection page)', value if 'value' in page else page)
            bad = [item for item in value if not isinstance(item, dict)]
            if bad:
                raise response.unexpected('JSON objects in "value"', bad[0])
            next_link = page.get('@odata.nextLink')
            if next_link is not None and not isinstance(next_link, str):
                raise response.unexpected('a string "@odata.nextLink"', next_link)
            for item in value:
                ident = item.get('id')
                if isinstance(ident, str):
                    folded = ident.lower()  # Graph ids are GUIDs: compared without case
                    if folded in seen:
                        continue
                    seen.add(folded)
                yield item

    def post(self, relative, body):
        """The created entity (a JSON object), or None for 204 No Content."""
        response = self.request('POST', relative, body=body)
        return response.json_object('a JSON object (the created entity)', allow_empty=response.status == 204)

    def patch(self, relative, body):
        """The updated entity, or None when Graph answers without a body (204)."""
        return self.request('PATCH', relative, body=body).json_object('a JSON object (the updated entity) or no body',
                                                                      allow_empty=True)

    def delete(self, relative):
        self.request('DELETE', relative)

    # -- $batch -----------------------------------------------------------------------
    def batch(self, operations):
        """Run operations [{'method', 'url' (relative), 'body'?}] through /$batch.

        Returns one Response or GraphError per operation, in order. Items the retry policy
        retries (429; 503/504 of an item safe to repeat) are sent again (in later batches)
        after their Retry-After, up to max_retries times; the other items are not repeated.
        A POST item answered 503/504, or left without an answer, is an OutcomeUnknown (it may
        have been applied); so are all the items of a $batch request whose outcome is unknown.
        """
        policy = self.retry_policy()
        results = [None] * len(operations)
        pending = list(range(len(operations)))
        attempt = 0
        while pending:
            retry, wait = [], None
            for start in range(0, len(pending), BATCH_LIMIT):
                chunk = pending[start:start + BATCH_LIMIT]
                try:
                    answered = list(self._batch_once(operations, chunk))
                except OutcomeUnknown as exc:
                    for index in chunk:
                        results[index] = exc
                    continue
                for index, response in answered:
                    verdict = item_verdict(policy, operations[index], response)
                    if verdict == RETRY and policy.can_retry(attempt):
                        retry.append(index)
                        after = policy.retry_after(response.headers.get('retry-after'))
                        wait = max(wait or 0, after if after is not None else self.backoff(attempt))
                        continue
                    results[index] = item_outcome(policy, operations[index], response, attempt + 1, verdict)
            pending = retry
            if pending:
                self._sleep(min(wait or 0, RETRY_AFTER_CAP))
                attempt += 1
        return results

    def _batch_once(self, operations, indexes):
        answers = self.send_batch([batch_item(str(index), operations[index]) for index in indexes])
        for index in indexes:
            yield index, answers[str(index)]

    def send_batch(self, items):
        """One $batch request of up to 20 items [{'id', 'method', 'url', 'body'?, 'headers'?}]
        (see batch_item): {id: Response}, an item missing from the answer being a 502 of its
        own. Raises GraphError / OutcomeUnknown when the request itself fails."""
        # A $batch without POST items may be sent again as a whole; one with creates may not (outcome unknown).
        idempotent = all(str(item.get('method', '')).upper() != 'POST' for item in items)
        response = self.request('POST', '$batch', body={'requests': items}, idempotent=idempotent)
        answer = response.json_object('a JSON object with a "responses" list ($batch)')
        if not isinstance(answer.get('responses'), list):
            raise response.unexpected('a "responses" list ($batch)', answer.get('responses', answer))
        by_id = {}
        for item in answer['responses']:
            status = item.get('status') if isinstance(item, dict) else None
            if not isinstance(status, int) or isinstance(status, bool) or not isinstance(item.get('headers') or {}, dict):
                raise response.unexpected('$batch responses with an integer "status"', item)
            by_id[str(item.get('id'))] = item
        result = {}
        for item in items:
            found = by_id.get(item['id'])
            if found is None:
                missing = Response(502, {'error': {'code': 'MissingBatchResponse',
                                                   'message': '$batch answered without this item'}}, {}, method=item['method'], url=item['url'])
                missing.missing = True  # no answer: it may have been applied (item_verdict)
                result[item['id']] = missing
            else:
                result[item['id']] = Response(found['status'], found.get('body'), found.get('headers') or {})
        return result


def item_verdict(policy, op, response):
    """RETRY, UNKNOWN or FINAL for the answer of one $batch item (op: its operation)."""
    if response.missing:
        return UNKNOWN if not policy.safe_to_repeat(op['method']) else RETRY
    return policy.status_verdict(op['method'], response.status)


def item_outcome(policy, op, response, attempts, verdict=None):
    """The final answer of a $batch item: its Response, a GraphError, or OutcomeUnknown (it may have been applied)."""
    method = op['method'].upper()
    verdict = item_verdict(policy, op, response) if verdict is None else verdict
    if verdict == UNKNOWN:
        why = 'no answer for this item in the $batch response' if response.missing else \
            'HTTP %d in the $batch response' % response.status
        return OutcomeUnknown(method, op['url'], why, status=None if response.missing else response.status, lost=False)
    if response.status >= 400:
        error = GraphError.from_response(response.status, response.body, response.headers, method, op['url'])
        if verdict == RETRY:  # the item's throttling outlasted max_retries: say so
            policy.outlasted(error, attempts, response.headers.get('retry-after'))
        return error
    return response


def batch_item(item_id, op):
    """The $batch request item of an operation {'method', 'url' (relative), 'body'?}."""
    item = {'id': item_id, 'method': op['method'].upper(), 'url': '/' + op['url'].lstrip('/')}
    if op.get('body') is not None:
        item['body'] = op['body']
        item['headers'] = {'Content-Type': 'application/json'}
    return item


class LockedTokens(object):
    """A token provider shared by threads: one token request at a time."""

    REFRESH_SHARED = 5.0  # a 401 within this many seconds of a refresh uses that refresh's token

    def __init__(self, provider):
        self.provider = provider
        self.lock = threading.Lock()
        self.refreshed_at = None

    def token(self):
        with self.lock:
            return self.provider.token()

    def refresh(self):
        """Several threads answered 401 at once: one new token, not one each."""
        with self.lock:
            now = time.monotonic()
            if self.refreshed_at is not None and now - self.refreshed_at < self.REFRESH_SHARED:
                return True
            refreshed = self.provider.refresh()
            if refreshed:
                self.refreshed_at = time.monotonic()
            return refreshed

    def __getattr__(self, name):
        return getattr(self.provider, name)


def _parse(response):
    """(body, problem): the parsed JSON body (None when empty), or the text and why it is not JSON."""
    if not response.content:
        return None, None
    try:
        return response.json(), None
    except ValueError:
        text = response.text
        kind = response.headers.get('Content-Type') or 'no Content-Type'
        return text, 'a body that is not JSON (%s, %d bytes: %s)' % (kind.split(';')[0], len(response.content), one_line(text, 120))


def _short(exc):
    text = str(exc)
    return text if len(text) < 300 else text[:300] + '...'


def _display(url):
    """The URL as shown in messages: without the query (it may be long, never secret)."""
    return url.split('?', 1)[0]
