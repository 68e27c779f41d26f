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

The retry budget and which answers are retried belong to urllib3's Retry (retry_policy);
the loop around it stays ours, because each attempt needs a fresh token after a 401,
a POST must not be repeated when its outcome is unknown, and sleeping goes through an
injectable clock (docs/architecture.md, "Retries").
"""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
import traceback
import uuid
from urllib.parse import quote, urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (  # noqa: F401 - one_line is used by auth
    GraphError, ModuleInputError, OutcomeUnknown, describe_body, lower_keys, one_line)

try:
    import requests
    from urllib3.exceptions import MaxRetryError
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported by the module
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()


RETRY_STATUSES = (429, 503, 504)
BATCH_LIMIT = 20
BACKOFF_BASE = 1.0
BACKOFF_CAP = 60.0
RETRY_AFTER_CAP = 300.0
USER_AGENT = 'graphops.intune/0.2.0'


class Response(object):
    def __init__(self, status, body, headers, problem=None, method=None, url=None):
        self.status = status
        self.body = body
        self.headers = lower_keys(headers)
        self.problem = problem  # why the body is unreadable (not JSON), or None
        self.method = method
        self.url = url

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


def retry_after_seconds(value, now=None):
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def backoff_delay(attempt, retry_after=None):
    """Seconds to wait before retry number attempt+1: Retry-After (capped), else exponential backoff with jitter."""
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return delay / 2 + random.uniform(0, delay / 2)  # nosec - jitter, not crypto


def outlasted(error, attempts, retry_after):
    """Say that a 429/503/504 outlasted the retries: 'throttled by Graph (429) after 6 attempts; last Retry-After 1 s'."""
    what = 'throttled by Graph' if error.status == 429 else 'Graph unavailable'
    last = retry_after_seconds(retry_after)
    error.message = '%s (%d) after %d attempt%s%s (max_retries %d): %s' % (
        what, error.status, attempts, '' if attempts == 1 else 's',
        '; last Retry-After %g s' % last if last is not None else '', attempts - 1, error.message)
    return error


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
    return _short(exc)


def host_of(url):
    parts = urlsplit(url)
    return parts.netloc or url


def refused_on_loopback(exc, url):
    """A refused connection to a loopback endpoint: nothing listens there, and waiting will not change that."""
    host = (urlsplit(url).hostname or '').lower()
    loopback = host in ('localhost', '::1') or host.startswith('127.')
    return loopback and connection_problem(exc) == 'connection refused'


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
        """A fresh urllib3 Retry for one request: max_retries attempts more in all (connection
        errors and retried statuses alike), the statuses retried, any method (a POST is
        retried only when Graph certainly did not act: see request)."""
        return Retry(total=self.max_retries, connect=None, read=None, status=None, other=None, redirect=0,
                     allowed_methods=None, status_forcelist=RETRY_STATUSES, respect_retry_after_header=True,
                     raise_on_status=False)

    def _send(self, method, url, params, body, headers, token):
        send_headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json',
                        'client-request-id': str(uuid.uuid4())}
        if body is not None:
            send_headers['Content-Type'] = 'application/json'
        send_headers.update(headers or {})
        self.calls += 1
        return self.session.request(method, url, params=params, data=None if body is None else json.dumps(body),
                                    headers=send_headers, timeout=self.timeout, verify=self.verify)

    def request(self, method, relative, params=None, body=None, headers=None, expected=None, raw_ok=False):
        """Send one Graph request with retries; return Response or raise GraphError.

        A POST whose connection breaks after sending raises OutcomeUnknown instead of
        being repeated: the caller looks the resource up first, so no duplicate is made.
        """
        method = method.upper()
        url = self.url(relative)
        if not self._same_origin(url):
            raise GraphError(0, 'ForeignHost', 'refusing to send the bearer token to %s' % url, method=method, url=url)
        refreshed = False
        retry = self.retry_policy()
        while True:
            token = self.tokens.token()  # outside the try: Entra's failures name Entra (auth.EntraHttp)
            try:
                response = self._send(method, url, params, body, headers, token)
            except requests.exceptions.SSLError as exc:
                # Not transient: retrying cannot make a certificate valid.
                raise GraphError(0, 'SSLError', 'TLS failure talking to %s: %s (validate_certs, REQUESTS_CA_BUNDLE)' % (
                    _display(url), _short(exc)), method=method, url=_display(url))
            except requests.exceptions.ConnectTimeout as exc:
                error = exc
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if method == 'POST' and not _never_sent(exc):
                    raise OutcomeUnknown(method, url, _short(exc))
                if refused_on_loopback(exc, url):
                    raise GraphError(0, 'ConnectionError', 'cannot connect to %s: %s (is the endpoint running?)' % (
                        host_of(url), connection_problem(exc)), method=method, url=_display(url))
                error = exc
            else:
                status = response.status_code
                if status == 401 and not refreshed and self.tokens.refresh():
                    refreshed = True
                    continue
                if status == 504 and method == 'POST':
                    # A gateway timeout says nothing of whether the backend created it.
                    raise OutcomeUnknown(method, url, 'HTTP 504 Gateway Timeout')
                if status in RETRY_STATUSES and self.on_throttle is not None:
                    self.on_throttle(status, retry_after_seconds(response.headers.get('Retry-After')))
                if retry.is_retry(method, status, 'Retry-After' in response.headers):
                    following = _incremented(retry, method, url, status=status)
                    if following is not None:
                        retry = following
                        self._sleep(self.backoff(len(retry.history) - 1, retry_after_seconds(response.headers.get('Retry-After'))))
                        continue
                parsed, problem = _parse(response)
                if status >= 400 or (expected and status not in expected):
                    error = GraphError.from_response(status, parsed, response.headers, method, _display(url))
                    if status in RETRY_STATUSES:
                        outlasted(error, len(retry.history) + 1, response.headers.get('Retry-After'))
                    raise error
                answer = Response(status, parsed, response.headers, problem, method, _display(url))
                if problem and not raw_ok:
                    raise answer.unexpected('JSON')
                return answer
            following = _incremented(retry, method, url, error=error)
            if following is None:
                attempts = len(retry.history) + 1
                raise GraphError(0, 'ConnectionError', 'cannot connect to %s after %d attempt%s: %s' % (
                    host_of(url), attempts, '' if attempts == 1 else 's', connection_problem(error)),
                    method=method, url=_display(url))
            retry = following
            self._sleep(self.backoff(len(retry.history) - 1))

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

    def pages(self, relative, params=None, headers=None, expected=None):
        """Each page (Response) of a GET, following @odata.nextLink until a page has none.

        The one paging loop: get_all and graph_request's all_pages both use it. A page that
        fails raises GraphError like any request.
        """
        response = self.request('GET', relative, params=params, headers=headers, expected=expected)
        while True:
            yield response
            body = response.body
            next_link = body.get('@odata.nextLink') if isinstance(body, dict) else None
            if not next_link or not isinstance(next_link, str):  # get_all says what is wrong with a bad one
                return
            response = self.request('GET', next_link, headers=headers, expected=expected)

    def get_all(self, relative, params=None):
        """All items of a collection, following @odata.nextLink."""
        return list(self.iter_items(relative, params))

    def iter_items(self, relative, params=None):
        """The items of a collection one by one, reading a page at a time (pages()): a large
        collection is never held whole. Every page's shape is checked as it is read."""
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
            yield from value

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

        Returns one Response or GraphError per operation, in order. Items answered with
        429/503/504 are sent again (in later batches) after their Retry-After, up to
        max_retries times; the other items are not repeated.
        """
        results = [None] * len(operations)
        pending = list(range(len(operations)))
        attempt = 0
        while pending:
            retry, wait = [], None
            for start in range(0, len(pending), BATCH_LIMIT):
                chunk = pending[start:start + BATCH_LIMIT]
                for index, response in self._batch_once(operations, chunk):
                    if response.status in RETRY_STATUSES and attempt < self.max_retries:
                        retry.append(index)
                        after = retry_after_seconds(response.headers.get('retry-after'))
                        wait = max(wait or 0, after if after is not None else self.backoff(attempt))
                        continue
                    results[index] = response
            pending = retry
            if pending:
                self._sleep(min(wait or 0, RETRY_AFTER_CAP))
                attempt += 1
        out = []
        for index, response in enumerate(results):
            op = operations[index]
            if response.status >= 400:
                error = GraphError.from_response(response.status, response.body, response.headers, op['method'].upper(), op['url'])
                if response.status in RETRY_STATUSES:
                    outlasted(error, attempt + 1, response.headers.get('retry-after'))
                out.append(error)
            else:
                out.append(response)
        return out

    def _batch_once(self, operations, indexes):
        answers = self.send_batch([batch_item(str(index), operations[index]) for index in indexes])
        for index in indexes:
            yield index, answers[str(index)]

    def send_batch(self, items):
        """One $batch request of up to 20 items [{'id', 'method', 'url', 'body'?, 'headers'?}]
        (see batch_item): {id: Response}, an item missing from the answer being a 502 of its
        own. Raises GraphError / OutcomeUnknown when the request itself fails."""
        response = self.request('POST', '$batch', body={'requests': items})
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
                result[item['id']] = Response(502, {'error': {'code': 'MissingBatchResponse',
                                                              'message': '$batch answered without this item'}}, {})
            else:
                result[item['id']] = Response(found['status'], found.get('body'), found.get('headers') or {})
        return result


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


class _Status(object):
    """What urllib3's Retry reads of an answer."""

    def __init__(self, status):
        self.status = status

    def get_redirect_location(self):
        return False


def _incremented(retry, method, url, status=None, error=None):
    """retry counting one more attempt, or None when max_retries is spent.

    A requests exception counts against the total only: Retry's own connect/read
    classification knows urllib3's exceptions, which requests has wrapped by now.
    """
    try:
        return retry.increment(method, url, response=_Status(status) if status else None, error=error)
    except MaxRetryError:
        return None


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


def _never_sent(exc):
    """True when the request certainly never reached the server (connect failed)."""
    text = repr(exc)
    return 'NewConnectionError' in text or 'Connection refused' in text or 'NameResolutionError' in text


def _short(exc):
    text = str(exc)
    return text if len(text) < 300 else text[:300] + '...'


def _display(url):
    """The URL as shown in messages: without the query (it may be long, never secret)."""
    return url.split('?', 1)[0]
