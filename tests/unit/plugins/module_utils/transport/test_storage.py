# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""transport/storage.py: the download of an export from its pre-signed URL, without the Graph token."""

from __future__ import annotations

import io

import pytest
import requests
from requests.adapters import BaseAdapter

from ansible_collections.graphops.intune.plugins.module_utils.transport import storage
from ansible_collections.graphops.intune.plugins.module_utils.transport.storage import DownloadError, download, scrub

URL = 'https://store.example/c/job.zip?sv=2019-02-02&se=2099-01-01T00%3A00%3A00Z&sp=r&sig=TOPSECRET%3D'


class Client(object):
    verify = '/ca.pem'
    timeout = 7

    def __init__(self):
        self.session = requests.Session()
        self.session.headers['Authorization'] = 'Bearer graph-token'  # must never travel to storage
        self.session.proxies = {'https': 'http://proxy.example:3128'}


class Adapter(BaseAdapter):
    """Answers from a script; records every prepared request and its send arguments."""

    def __init__(self, answers):
        super(Adapter, self).__init__()
        self.answers = list(answers)
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = answer
        response = requests.Response()
        response.status_code = status
        response.raw = io.BytesIO(body)
        response.headers.update(headers)
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def adapter(monkeypatch):
    holder = {}

    def get_adapter(self, url):
        return holder['adapter']
    monkeypatch.setattr(requests.Session, 'get_adapter', get_adapter)

    def install(*answers):
        holder['adapter'] = Adapter(answers)
        return holder['adapter']
    return install


def test_no_authorization_reaches_storage_not_even_from_netrc(adapter, tmp_path, monkeypatch):
    (tmp_path / '.netrc').write_text('machine store.example login user password netrc-secret\n')
    monkeypatch.setenv('NETRC', str(tmp_path / '.netrc'))
    fake = adapter((200, b'zipdata', {'Content-Length': '7'}))
    sink = io.BytesIO()
    assert download(Client(), URL, sink, 100) == 7 and sink.getvalue() == b'zipdata'
    [(request, kwargs)] = fake.sent
    assert 'Authorization' not in request.headers, request.headers
    assert kwargs['verify'] == '/ca.pem' and kwargs['timeout'] == 7 and kwargs['proxies']['https'] == 'http://proxy.example:3128'


def test_redirects_are_followed_over_https_only(adapter):
    fake = adapter((302, b'', {'Location': 'https://other.example/x.zip?sig=A'}), (200, b'ok', {}))
    assert download(Client(), URL, io.BytesIO(), 100) == 2
    assert 'Authorization' not in fake.sent[1][0].headers
    adapter((302, b'', {'Location': 'http://other.example/x.zip?sig=A'}))
    with pytest.raises(DownloadError) as caught:
        download(Client(), URL, io.BytesIO(), 100)
    assert caught.value.code == 'InsecureDownloadUrl'


def test_plain_http_is_refused_before_any_request(adapter):
    fake = adapter()
    with pytest.raises(DownloadError) as caught:
        download(Client(), URL.replace('https:', 'http:'), io.BytesIO(), 100)
    assert 'not an https URL' in str(caught.value) and fake.sent == []


@pytest.mark.parametrize('answer, code, words', [
    ((403, b'<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Signature not valid</Message></Error>', {}),
     'StorageForbidden', 'refused the download URL (HTTP 403 AuthenticationFailed): it expired'),
    ((404, b'<Error><Code>BlobNotFound</Code></Error>', {}), 'StorageError', 'HTTP 404 BlobNotFound'),
    ((200, b'x' * 50, {}), 'DownloadTooLarge', 'larger than the limit of 10 bytes'),
    ((200, b'x', {'Content-Length': '50'}), 'DownloadTooLarge', 'is 50 bytes'),
    ((200, b'abc', {'Content-Length': '9'}), 'DownloadTruncated', 'stopped after 3 of 9 bytes'),
])
def test_failures_say_why_without_the_url(adapter, answer, code, words):
    adapter(answer)
    with pytest.raises(DownloadError) as caught:
        download(Client(), URL, io.BytesIO(), 10)
    assert caught.value.code == code and words in str(caught.value), str(caught.value)
    assert 'TOPSECRET' not in str(caught.value) and '/c/job.zip' not in str(caught.value) and 'store.example' in str(caught.value)


def test_connection_errors_are_scrubbed(adapter):
    adapter(requests.exceptions.ConnectionError("HTTPSConnectionPool(host='store.example', port=443): Max retries exceeded with url: "
                                                "/c/job.zip?sv=2019-02-02&se=2099-01-01T00%3A00%3A00Z&sp=r&sig=TOPSECRET%3D"))
    with pytest.raises(DownloadError) as caught:
        download(Client(), URL, io.BytesIO(), 10)
    assert 'TOPSECRET' not in str(caught.value) and 'cannot download the export from store.example' in str(caught.value)


def test_scrub_removes_every_signature_part():
    text = scrub('failed %s and sig=OTHER&se=2020' % URL, URL)
    assert 'TOPSECRET' not in text and 'OTHER' not in text and '<download URL>' in text
    assert storage.storage_host(URL) == 'store.example'
