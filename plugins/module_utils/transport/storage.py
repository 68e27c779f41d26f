# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Download of a file from a pre-signed storage URL (an Intune report export), outside Graph.

The URL itself grants access (a shared access signature in its query), so:

- the request carries no Authorization header: not the Graph token, not a .netrc entry
  (requests would add one for the host when the session trusts the environment);
- only https is followed, also through redirects (at most MAX_REDIRECTS, each checked);
- the URL is never part of a message: errors name the storage host only, and anything a
  requests exception says is stripped of the URL, its path and its query.

The TLS, proxy and timeout settings are the Graph client's (its public attributes), so a
private CA or a proxy that works for Graph works here.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError

try:
    import requests
    from requests.auth import AuthBase
except ImportError:  # pragma: no cover - reported by the module (client.HAS_REQUESTS)
    requests = None
    AuthBase = object

MAX_REDIRECTS = 3
CHUNK = 1024 * 1024


class DownloadError(GraphError):
    """A download from storage failed: the message says why, without the URL."""

    def __str__(self):
        return self.message


class _NoAuthorization(AuthBase):
    """requests' auth hook that removes any Authorization header; being set, it also stops requests
    from reading .netrc for the storage host."""

    def __call__(self, request):
        request.headers.pop('Authorization', None)
        return request


def storage_host(url):
    return urlsplit(url).hostname or 'the storage host'


def check_https(url, what='the download URL'):
    """DownloadError unless url is an absolute https URL (never shown: it grants access)."""
    parts = urlsplit(url or '')
    if parts.scheme.lower() != 'https' or not parts.hostname:
        raise DownloadError(0, 'InsecureDownloadUrl', '%s is not an https URL (scheme %r); refusing to download from it'
                            % (what, parts.scheme or 'none'))


def scrub(text, url):
    """text without the URL, its path or its query (they may hold the signature)."""
    text = str(text)
    parts = urlsplit(url)
    for secret in (url, parts.path + ('?' + parts.query if parts.query else ''), parts.query, parts.path):
        if secret and len(secret) > 1:
            text = text.replace(secret, '<download URL>')
    return re.sub(r'(?i)(sig|se|sv|sp|skoid|sktid|skt|ske|sks|skv|sr)=[^&\s\'"]*', r'\1=***', text)


def _problem(exc, url):
    name = type(exc).__name__
    text = repr(exc)
    if 'Connection refused' in text:
        return 'connection refused'
    if isinstance(exc, requests.exceptions.SSLError):
        return 'TLS failure (validate_certs, ca_path, REQUESTS_CA_BUNDLE): %s' % scrub(exc, url)[:300]
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no answer within the timeout'
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or 'IncompleteRead' in text:
        return 'the connection closed before the whole file arrived'
    return '%s: %s' % (name, scrub(exc, url)[:300])


def download(client, url, sink, limit, timeout=None):
    """Stream url into the file object sink (at most limit bytes); return the number of bytes.

    client: the GraphClient whose TLS (verify), proxy (session.proxies, session.trust_env)
    and timeout settings apply. Raises DownloadError (status, and a code: StorageForbidden,
    StorageError, DownloadTooLarge, DownloadFailed...).
    """
    check_https(url)
    host = storage_host(url)
    session = requests.Session()
    graph_session = getattr(client, 'session', None)
    if graph_session is not None:
        session.trust_env = graph_session.trust_env
        session.proxies = dict(graph_session.proxies)
        session.cert = graph_session.cert
    session.headers.pop('Authorization', None)
    current = url
    try:
        for dummy in range(MAX_REDIRECTS + 1):
            try:
                response = session.get(current, stream=True, allow_redirects=False, auth=_NoAuthorization(),
                                       verify=client.verify, timeout=timeout or client.timeout,
                                       headers={'Accept': 'application/octet-stream, application/zip, */*'})
            except requests.exceptions.RequestException as exc:
                raise DownloadError(0, 'DownloadFailed', 'cannot download the export from %s: %s' % (host, _problem(exc, current)))
            with response:
                if response.status_code in (301, 302, 303, 307, 308) and response.headers.get('Location'):
                    following = urljoin(current, response.headers['Location'])
                    check_https(following, 'a redirect of the download URL')
                    current = following
                    continue
                if response.status_code != 200:
                    raise _status_error(response, host)
                declared = response.headers.get('Content-Length')
                if declared and declared.isdigit() and int(declared) > limit:
                    raise DownloadError(response.status_code, 'DownloadTooLarge', 'the export from %s is %s bytes, more than the limit '
                                        'of %d bytes' % (host, declared, limit))
                size = 0
                try:
                    for chunk in response.iter_content(CHUNK):
                        size += len(chunk)
                        if size > limit:
                            raise DownloadError(200, 'DownloadTooLarge', 'the export from %s is larger than the limit of %d bytes'
                                                % (host, limit))
                        sink.write(chunk)
                except requests.exceptions.RequestException as exc:
                    raise DownloadError(0, 'DownloadFailed', 'the download from %s broke after %d bytes: %s'
                                        % (host, size, _problem(exc, current)))
                if declared and declared.isdigit() and size != int(declared):
                    raise DownloadError(200, 'DownloadTruncated', 'the download from %s stopped after %d of %s bytes' % (host, size, declared))
                return size
        raise DownloadError(0, 'TooManyRedirects', 'the download from %s was redirected more than %d times' % (host, MAX_REDIRECTS))
    finally:
        session.close()


def _status_error(response, host):
    """A DownloadError for a storage answer other than 200; Azure storage's XML error code is kept."""
    try:
        text = response.text[:2000]
    except Exception:  # pylint: disable=broad-except  # an unreadable error body must not hide the status
        text = ''
    code = re.search(r'<Code>([^<]{1,100})</Code>', text)
    code = code.group(1) if code else 'HTTP%d' % response.status_code
    if response.status_code == 403:
        return DownloadError(403, 'StorageForbidden', 'the storage host %s refused the download URL (HTTP 403 %s): it expired or was '
                             'revoked' % (host, code), response.headers.get('x-ms-request-id'))
    return DownloadError(response.status_code, 'StorageError', 'the storage host %s answered HTTP %d %s' % (host, response.status_code, code),
                         response.headers.get('x-ms-request-id'))
