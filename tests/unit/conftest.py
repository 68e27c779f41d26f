# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fakes for the module_utils unit tests.

The code imports itself as ansible_collections.graphops.intune...; outside ansible-test
we make that importable with a temporary ansible_collections/graphops/intune symlink to
the repository root (ansible_collections and graphops stay namespace packages).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import ssl
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def _install_collection_path():
    parent = os.path.dirname(REPO_ROOT)
    if os.path.basename(parent) == 'graphops' and os.path.basename(os.path.dirname(parent)) == 'ansible_collections':
        root = os.path.dirname(os.path.dirname(parent))  # already inside a collection tree (ansible-test)
    else:
        root = tempfile.mkdtemp(prefix='graphops-unit-')
        atexit.register(shutil.rmtree, root, True)
        os.makedirs(os.path.join(root, 'ansible_collections', 'graphops'))
        os.symlink(REPO_ROOT, os.path.join(root, 'ansible_collections', 'graphops', 'intune'))
    if root not in sys.path:
        sys.path.insert(0, root)


_install_collection_path()

import requests  # noqa: E402  pylint: disable=wrong-import-position
from requests.structures import CaseInsensitiveDict  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import (  # noqa: E402  pylint: disable=wrong-import-position
    GraphClient, GraphError, OutcomeUnknown)

TOKEN = 'SECRET-BEARER-TOKEN-1'
BASE_URL = 'https://graph.example.test/beta'


# -- HTTP level fakes (client.py) -------------------------------------------------------
def make_response(status=200, body=None, headers=None, text=None, url=None):
    """A real requests.Response built by hand (case-insensitive headers, json(), content)."""
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers or {})
    if body is not None:
        response._content = json.dumps(body).encode('utf-8')
        response.headers.setdefault('Content-Type', 'application/json')
    elif text is not None:
        response._content = text.encode('utf-8')
    else:
        response._content = b''
    response.encoding = 'utf-8'
    response.url = url or BASE_URL
    return response


def graph_error_body(code, message, request_id='inner-request-id'):
    return {'error': {'code': code, 'message': message,
                      'innerError': {'request-id': request_id, 'date': '2024-05-01T10:00:00', 'client-request-id': 'c-1'}}}


class FakeSession(object):
    """Stands in for requests.Session: records every request, answers from a script.

    Each script item is a Response, an exception (raised), or a callable(call) -> either.
    A handler(call) answers when the script is empty.
    """

    def __init__(self, script=(), handler=None):
        self.script = list(script)
        self.handler = handler
        self.calls = []
        self.headers = {}

    def request(self, method, url, params=None, data=None, headers=None, timeout=None, verify=None):
        call = SimpleNamespace(method=method, url=url, params=params, data=data, headers=dict(headers or {}),
                               timeout=timeout, verify=verify, body=json.loads(data) if data else None)
        self.calls.append(call)
        if self.script:
            answer = self.script.pop(0)
        elif self.handler:
            answer = self.handler
        else:
            raise AssertionError('unexpected request %s %s' % (method, url))
        if callable(answer) and not isinstance(answer, requests.Response):
            answer = answer(call)
        if isinstance(answer, BaseException):
            raise answer
        return answer


class FakeTokens(object):
    """TokenProvider stand-in: counts token() and refresh() calls."""

    def __init__(self, refreshable=True):
        self.refreshable = refreshable
        self.current = TOKEN
        self.refreshes = 0

    def token(self):
        return self.current

    def refresh(self):
        if not self.refreshable:
            return False
        self.refreshes += 1
        self.current = 'SECRET-BEARER-TOKEN-%d' % (self.refreshes + 1)
        return True


class RecordingSleep(object):
    def __init__(self):
        self.delays = []

    def __call__(self, seconds):
        self.delays.append(seconds)


@pytest.fixture
def http():
    """Builders for fake HTTP answers: http.response(status, body, headers, text), http.error_body(code, message, request_id)."""
    return SimpleNamespace(response=make_response, error_body=graph_error_body, token=TOKEN, base_url=BASE_URL)


@pytest.fixture
def sleep():
    return RecordingSleep()


@pytest.fixture
def tokens():
    return FakeTokens()


@pytest.fixture
def make_client(sleep, tokens):
    """make_client(script, handler=None, **kwargs) -> (GraphClient, FakeSession)."""
    def factory(script=(), handler=None, **kwargs):
        session = FakeSession(script, handler)
        kwargs.setdefault('max_retries', 5)
        client = GraphClient(BASE_URL, tokens, session=session, sleep=sleep, **kwargs)
        return client, session
    return factory


# -- resource level fakes (resource.py) -------------------------------------------------
class FakeGraphClient(object):
    """A GraphClient stand-in over one in-memory collection; records every call.

    calls: (method, path, body) with method GET for get_optional/get_all.
    """

    max_retries = 0
    on_throttle = None

    def __init__(self, collection, items=()):
        self.collection = collection
        self.items = [dict(item) for item in items]
        self.calls = []
        self.post_failures = []  # (exception, stored): raised by the next POSTs, after storing the entity or not
        self.next_id = 1

    # What engine/scheduler.py asks of a client, over a batch(operations) that a test defines
    # (one $batch request: its answers in order, or an exception for the request).
    def worker(self):
        return self

    @staticmethod
    def backoff(attempt, retry_after=None):
        return 0

    def send_batch(self, items):
        operations = [dict(method=item['method'], url=item['url'], body=item.get('body')) for item in items]
        answers = self.batch(operations)  # pylint: disable=no-member
        return dict((item['id'], answer) for item, answer in zip(items, answers))

    def _by_path(self, item_path):
        for item in self.items:
            if item_path == self.collection + '/' + item['id']:
                return item
        return None

    def writes(self):
        return [call for call in self.calls if call[0] != 'GET']

    def get_optional(self, item_path, params=None):
        self.calls.append(('GET', item_path, None))
        item = self._by_path(item_path)
        return dict(item) if item else None

    def get_all(self, collection_path, params=None):
        self.calls.append(('GET', collection_path, None))
        assert collection_path == self.collection
        return [dict(item) for item in self.items]

    def iter_items(self, collection_path, params=None):
        return iter(self.get_all(collection_path, params))

    def post(self, collection_path, body):
        self.calls.append(('POST', collection_path, body))
        assert collection_path == self.collection
        failure, stored = self.post_failures.pop(0) if self.post_failures else (None, True)
        created = dict(body, id='new-%d' % self.next_id, createdDateTime='2024-05-01T10:00:00Z')
        self.next_id += 1
        if stored:
            self.items.append(created)
        if failure is not None:
            raise failure
        return dict(created)

    def patch(self, item_path, body):
        self.calls.append(('PATCH', item_path, body))
        item = self._by_path(item_path)
        if item is None:
            raise GraphError(404, 'NotFound', 'no such entity')
        item.update((k, v) for k, v in body.items() if not k.startswith('@'))
        return None  # Graph often answers 204

    def delete(self, item_path):
        self.calls.append(('DELETE', item_path, None))
        item = self._by_path(item_path)
        if item is None:
            raise GraphError(404, 'NotFound', 'no such entity')
        self.items.remove(item)


class FakeModule(object):
    def __init__(self, params, client, check_mode=False, diff=False):
        self.params = params
        self.client = client
        self.check_mode = check_mode
        self._diff = diff

    @property
    def lock_directory(self):
        """What the glue hands the engine (GraphModule.lock_directory): beside the token cache of these params."""
        from ansible_collections.graphops.intune.plugins.module_utils.graph_options import lock_directory
        return lock_directory(self.params)

    @property
    def lock_timeout(self):
        from ansible_collections.graphops.intune.plugins.module_utils.graph_options import lock_timeout
        return lock_timeout()


@pytest.fixture(autouse=True)
def _private_cache_home(tmp_path, monkeypatch):
    """The default token cache (and the create locks beside it) of a test live in its tmp_path, not in ~/.cache."""
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg-cache'))


@pytest.fixture
def fake_graph_client():
    return FakeGraphClient


@pytest.fixture
def fake_module():
    return FakeModule


@pytest.fixture
def outcome_unknown():
    return OutcomeUnknown('POST', BASE_URL + '/x', 'Connection aborted.')


# -- certificates -----------------------------------------------------------------------
@pytest.fixture(scope='session')
def pki():
    """A self-signed client certificate and its RSA key (Entra signs assertions with RS256), as PEM and as objects."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'graphops-unit-test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    return SimpleNamespace(key=key, cert=cert, key_pem=key_pem, cert_pem=cert_pem,
                           thumbprint=cert.fingerprint(hashes.SHA1()).hex().upper())  # nosec - x5t is SHA-1


# -- a tiny fake Entra over HTTPS (credentials.py, tokens.py, entra.py) ---------------------------------------------
class FakeEntraState(object):
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []      # (method, path, form)
        self.issued = 0
        self.expires_in = 3599
        self.error = None       # (status, body) answered by the token endpoint
        self.realms = {}        # tenant as asked -> tenant in token_endpoint (Entra answers the GUID)

    def reset(self):
        with self.lock:
            self.requests = []
            self.issued = 0
            self.expires_in = 3599
            self.error = None
            self.realms = {}

    def token_requests(self):
        return [r for r in self.requests if r[1].endswith('/oauth2/v2.0/token')]

    def discovery_requests(self):
        return [r for r in self.requests if 'openid-configuration' in r[1]]


class _EntraHandler(BaseHTTPRequestHandler):
    state = None
    base_url = None

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # pylint: disable=invalid-name
        parts = [p for p in urlsplit(self.path).path.split('/') if p]
        with self.state.lock:
            self.state.requests.append(('GET', urlsplit(self.path).path, None))
        if len(parts) == 4 and parts[1:] == ['v2.0', '.well-known', 'openid-configuration']:
            realm = self.state.realms.get(parts[0], parts[0])
            base = '%s/%s' % (self.base_url, realm)
            return self._answer(200, {
                'token_endpoint': base + '/oauth2/v2.0/token',
                'authorization_endpoint': base + '/oauth2/v2.0/authorize',
                'issuer': base + '/v2.0',
                'token_endpoint_auth_methods_supported': ['client_secret_post', 'private_key_jwt'],
            })
        return self._answer(404, {'error': 'not_found'})

    def do_POST(self):  # pylint: disable=invalid-name
        length = int(self.headers.get('Content-Length') or 0)
        form = dict((k, v[0]) for k, v in parse_qs(self.rfile.read(length).decode('utf-8')).items())
        path = urlsplit(self.path).path
        with self.state.lock:
            self.state.requests.append(('POST', path, form))
            if not path.endswith('/oauth2/v2.0/token'):
                return self._answer(404, {'error': 'not_found'})
            if self.state.error:
                return self._answer(*self.state.error)
            self.state.issued += 1
            token = 'entra-access-token-%d' % self.state.issued
            expires_in = self.state.expires_in
        return self._answer(200, {'token_type': 'Bearer', 'expires_in': expires_in, 'ext_expires_in': expires_in,
                                  'access_token': token})


@pytest.fixture(scope='session')
def _entra_server(tmp_path_factory):
    import trustme
    ca = trustme.CA()
    server_cert = ca.issue_cert('127.0.0.1', 'localhost')
    ca_path = str(tmp_path_factory.mktemp('entra-ca') / 'ca.pem')
    ca.cert_pem.write_to_path(ca_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    state = FakeEntraState()
    handler = type('EntraHandler', (_EntraHandler,), {'state': state})
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    handler.base_url = 'https://127.0.0.1:%d' % server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    yield SimpleNamespace(url=handler.base_url, ca_path=ca_path, state=state)
    server.shutdown()
    server.server_close()


@pytest.fixture
def entra(_entra_server):
    """The fake Entra (url, ca_path, state), with its counters reset for this test."""
    _entra_server.state.reset()
    return _entra_server


@pytest.fixture
def entra_http(entra):
    """A requests.Session that trusts the fake Entra's CA and ignores proxy/CA env vars."""
    session = requests.Session()
    session.verify = entra.ca_path
    session.trust_env = False
    yield session
    session.close()
