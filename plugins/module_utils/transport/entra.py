# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Entra HTTP sender: msal's http_client for OpenID discovery and token requests.

It forces the task's TLS and timeout settings, retries what Entra answers that is worth
another try (the collection's one RetryPolicy, transport/retry.py, with Entra's statuses), and turns every failure into an AuthError that names
Entra and the URL, never a requests exception that would read as a Graph failure.
"""

from __future__ import annotations

import json
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import (
    AuthError, describe_body, display_url, first_line, one_line, shorten)
from ansible_collections.graphops.intune.plugins.module_utils.transport.retry import RETRY, RetryPolicy, retry_after_seconds

# What Entra answers that is worth another try (as for Graph, plus 500: Entra's AADSTS90033 is sometimes a 500).
ENTRA_RETRY_STATUSES = (429, 500, 503, 504)


def entra_call(url):
    """What an Entra URL is, for messages."""
    if 'openid-configuration' in url:
        return 'OpenID discovery'
    if '/oauth2/' in url and url.rstrip('/').endswith('/token'):
        return 'token endpoint'
    if 'discovery/instance' in url:
        return 'instance discovery'
    return 'Entra'


class EntraHttp(object):
    """msal's http_client: the task's TLS and timeout settings, the collection's retry policy, and failures
    that name Entra and the URL.

    429/500/503/504 and connection failures are retried up to max_retries, honouring
    Retry-After, else exponential backoff; a refused connection to a loopback host is not
    retried. What still fails raises AuthError ("Entra ... at <url>"), never a requests
    exception that would read as a Graph failure. requests would otherwise also let
    REQUESTS_CA_BUNDLE override validate_certs=false, hence verify on every call.
    """

    def __init__(self, session, verify, timeout, max_retries=5, sleep=time.sleep):
        self._session = session
        self._verify = verify
        self._timeout = timeout
        self._max_retries = max_retries
        self._policy = RetryPolicy(max_retries, statuses=ENTRA_RETRY_STATUSES)
        self._sleep = sleep
        self.last = None  # (method, url, status, body text) of the last answer, for messages about it

    @property
    def verify(self):
        return self._verify

    @property
    def timeout(self):
        return self._timeout

    def _kwargs(self, kwargs):
        kwargs.setdefault('timeout', self._timeout)
        kwargs['verify'] = self._verify
        return kwargs

    def get(self, url, **kwargs):
        return self._send('GET', url, self._kwargs(kwargs))

    def post(self, url, **kwargs):
        return self._send('POST', url, self._kwargs(kwargs))

    def close(self):
        """The session belongs to GraphClient."""

    def _send(self, method, url, kwargs):
        requests = client_utils.requests
        where = '%s at %s' % (entra_call(url), display_url(url))
        attempt = 0
        while True:
            try:
                response = getattr(self._session, method.lower())(url, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise AuthError('Entra %s: TLS failure: %s (validate_certs, REQUESTS_CA_BUNDLE)' % (where, shorten(exc)))
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if client_utils.refused_on_loopback(exc, url):
                    raise AuthError('Entra %s: cannot connect to %s: %s (is the endpoint running?)' % (
                        where, client_utils.host_of(url), client_utils.connection_problem(exc)))
                if not self._retry(self._policy.error_verdict(method, exc, idempotent=True), attempt):
                    raise AuthError('Entra %s: cannot connect to %s after %d attempt%s: %s' % (
                        where, client_utils.host_of(url), attempt + 1, '' if attempt == 0 else 's',
                        client_utils.connection_problem(exc)))
                attempt += 1
                continue
            status = getattr(response, 'status_code', None)
            if status is None:  # not a requests.Response (tests hand in stand-ins)
                return response
            self.last = (method, url, status, getattr(response, 'text', ''))
            verdict = self._policy.status_verdict(method, status, idempotent=True)
            if verdict == RETRY:
                retry_after = response.headers.get('Retry-After')
                if self._retry(verdict, attempt, retry_after):
                    attempt += 1
                    continue
                last = retry_after_seconds(retry_after)
                raise AuthError('Entra %s answered HTTP %d (%s) after %d attempt%s%s (max_retries %d): %s' % (
                    where, status, 'throttled' if status == 429 else 'unavailable', attempt + 1, '' if attempt == 0 else 's',
                    '; last Retry-After %g s' % last if last is not None else '', self._max_retries,
                    entra_error_text(response)))
            return response

    def _retry(self, verdict, attempt, retry_after=None):
        """Wait before another try and say True, or say False: the policy's verdict is not RETRY, or the
        max_retries are spent. Every Entra request may be repeated (discovery GETs, token POSTs)."""
        if verdict != RETRY or not self._policy.can_retry(attempt):
            return False
        self._sleep(self._policy.delay(attempt, retry_after))
        return True


def entra_error_text(response):
    """Entra's error and the first line of its description (later lines hold trace and correlation ids)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get('error') or body.get('error_description')):
        return '%s: %s' % (body.get('error'), first_line(body.get('error_description', '')))
    return describe_body(None, None) if not getattr(response, 'content', b'') else one_line(
        response.text, 300)


def entra_text(text):
    try:
        body = json.loads(text)
    except ValueError:
        return one_line(text, 200)
    if isinstance(body, dict):
        return '%s: %s' % (body.get('error'), first_line(body.get('error_description', '')))
    return one_line(text, 200)
