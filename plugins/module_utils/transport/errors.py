# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Every error type of the collection, at the bottom of the layers.

Each layer raises these and never reports them itself; only GraphModule.run (the glue)
turns them into fail_json, keeping what they carry (status, error code, request-id, a
bulk run's partial result) as result keys.
"""

from __future__ import annotations

import json


class GraphError(Exception):
    """A Graph call failed: HTTP status, Graph error code, message and request-id."""

    def __init__(self, status, code, message, request_id=None, method=None, url=None):
        super(GraphError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.method = method
        self.url = url

    def __str__(self):
        where = ' on %s %s' % (self.method, self.url) if self.method else ''
        if not self.status:  # no HTTP answer at all (connection, TLS): there is no status to show
            return 'Graph request%s failed: %s' % (where, self.message)
        text = 'Graph returned HTTP %s %s%s: %s' % (self.status, self.code, where, self.message)
        if self.request_id:
            text += ' (request-id: %s)' % self.request_id
        return text

    @classmethod
    def from_response(cls, status, body, headers, method=None, url=None):
        """The OData error body ({"error": {"code", "message", "innerError": {"request-id"}}}), or
        whatever else the server answered, as a GraphError."""
        headers = lower_keys(headers)
        error = body.get('error') if isinstance(body, dict) else None
        if isinstance(error, dict):
            code = error.get('code') or 'UnknownError'
            message = error.get('message') or ''
            inner = error.get('innerError') or error.get('innererror') or {}
            request_id = headers.get('request-id') or inner.get('request-id')
        else:
            code = 'HTTP%s' % status
            if body is None or body == '':
                message = 'no error body'
            elif isinstance(body, str):
                message = body
            else:  # JSON, but not Graph's error shape (a proxy, a gateway): show it, trimmed
                message = 'error body: %s' % one_line(json.dumps(body), 300)
            request_id = headers.get('request-id')
        return cls(status, code, one_line(message, 1000), request_id, method, url)


class OutcomeUnknown(Exception):
    """A write was sent but the connection broke before the answer: it may have happened."""

    def __init__(self, method, url, cause, timed_out=False, status=None, lost=None):
        # lost: the connection broke or timed out after sending (the default when no status was answered)
        lost = status is None if lost is None else lost
        super(OutcomeUnknown, self).__init__('%s %s: %s (%s)' % (
            method, url, 'connection lost after sending' if lost else 'no answer that says whether it was applied', cause))
        self.method = method
        self.url = url
        self.cause = cause
        self.timed_out = timed_out  # no answer within the timeout: a slow Graph may still apply it
        self.status = status  # the 503/504 that said nothing of the outcome, or None


class AuthError(Exception):
    """Credentials are missing, ambiguous, unreadable, or the token request failed."""


class EndpointError(ValueError):
    """An endpoint option is not acceptable (scheme, host, cloud name)."""


class ModuleInputError(ValueError):
    """The task's input is wrong in a way argument_spec cannot say."""


class BulkError(Exception):
    """Some writes of a bulk run failed; the others were applied.

    result holds the whole run's result keys (counts, results, failed_items, diff...), which
    the task returns with its failure.
    """

    def __init__(self, message, result):
        super(BulkError, self).__init__(message)
        self.message = message
        self.result = result


def one_line(text, limit=1000):
    """A message on one line: Intune embeds JSON with CR/LF in its error messages."""
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + '...'


def describe_body(body, problem=None):
    """What a response body is, for messages about an unexpected one."""
    if problem:
        return problem
    if body is None:
        return 'an empty body'
    if isinstance(body, list):
        return 'a JSON list (%s)' % one_line(json.dumps(body), 120)
    if isinstance(body, dict):
        return 'a JSON object with keys %s' % ', '.join(sorted(str(k) for k in body)[:10]) if body else 'an empty JSON object'
    return 'a JSON %s (%s)' % (type(body).__name__.replace('str', 'string').replace('NoneType', 'null'),
                               one_line(json.dumps(body), 120))


def lower_keys(headers):
    """HTTP headers with lower-case names."""
    return dict((str(k).lower(), v) for k, v in (headers or {}).items())


def first_line(text):
    """Entra error descriptions carry trace/correlation ids on later lines; keep the sentence."""
    text = (text or '').strip()
    return text.splitlines()[0] if text else ''


def shorten(exc):
    """An exception's text, cut at 300 characters (requests' messages repeat the whole URL and pool)."""
    text = str(exc)
    return text if len(text) < 300 else text[:300] + '...'


def display_url(url):
    """The URL as shown in messages: without the query (it may be long, never secret)."""
    return url.split('?', 1)[0]
