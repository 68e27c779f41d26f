# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""graph_request: any Graph request, built from the task's method, path, query, body and headers
(each checked before any request), sent through the client's retries and paging.

A 2xx body that is not JSON is returned as `content` (the text), with a warning; `response`
is only ever the parsed JSON body.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import API_VERSIONS
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.transport.query import query_string

METHODS = ('GET', 'POST', 'PATCH', 'PUT', 'DELETE')

ARGUMENT_SPEC = dict(
    method=dict(type='str', default='GET', choices=list(METHODS)),
    path=dict(type='str', required=True),
    query=dict(type='dict'),
    body=dict(type='raw'),
    headers=dict(type='dict'),
    all_pages=dict(type='bool', default=False),
    status_code=dict(type='list', elements='int', default=[200, 201, 202, 204]),
)


def relative_path(value):
    """The path as sent (not quoted again), or ModuleInputError when it is not a path relative to the API version."""
    text = (value or '').strip()
    if not text:
        raise ModuleInputError('path must not be empty')
    if '://' in text or text.startswith('//') or '\\' in text:
        raise ModuleInputError('path must be relative to the API version (e.g. deviceManagement/managedDevices), '
                               'not an absolute URL: %r; graph_endpoint and cloud choose the host' % value)
    segments = text.split('?', 1)[0].split('#', 1)[0].split('/')
    if any(unquote(segment) in ('.', '..') for segment in segments):
        raise ModuleInputError("path must not hold '.' or '..' segments: %r" % value)
    first = [segment for segment in segments if segment][:1]
    if first and first[0].lower() in API_VERSIONS:
        raise ModuleInputError('path is relative to the API version: drop %r from %r (use api_version to choose it)' % (first[0] + '/', value))
    return text.lstrip('/')


def json_body(body, method):
    if body is None:
        return None
    if method == 'GET':
        raise ModuleInputError('body is given but method is GET; set method to POST, PATCH or PUT')
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ModuleInputError('body must be a dict, a list or a JSON string: %s' % exc)
    return body


def request_headers(headers):
    out = {}
    for name, value in (headers or {}).items():
        if str(name).lower() == 'authorization':
            raise ModuleInputError('headers: Authorization is set by the module from the credentials')
        out[str(name)] = str(value)
    return out


class GraphRequest(object):
    """One task of graph_request: everything checked in the constructor, before any request."""

    def __init__(self, module):
        self.module = module
        p = module.params
        self.method = p['method']
        self.path = relative_path(p['path'])
        self.params = query_string(p['query'])
        self.body = json_body(p['body'], self.method)
        self.headers = request_headers(p['headers'])
        self.expected = set(p['status_code'])
        self.all_pages = p['all_pages']
        if self.all_pages and self.method != 'GET':
            raise ModuleInputError('all_pages needs method GET, got %s' % self.method)

    def answered(self, exc):
        """A failed request whose status is listed in status_code: (status, error body, request_id)."""
        if exc.status not in self.expected:
            raise exc
        return exc.status, {'error': {'code': exc.code, 'message': exc.message}}, exc.request_id

    def send(self):
        """One request: (status, body, request_id, problem); a status listed in status_code is not a failure.

        problem: why the body is not JSON (then body is its text), or None.
        """
        try:
            response = self.module.client.request(self.method, self.path, params=self.params, body=self.body,
                                                  headers=self.headers or None, expected=self.expected, raw_ok=True)
        except GraphError as exc:
            return self.answered(exc) + (None,)
        return response.status, response.body, response.request_id, response.problem

    def send_all_pages(self):
        """GET every page (the client's paging): (status, the first page with every page's items, request_id).

        The status and request_id are the last page's; a page that fails with a listed status
        ends the paging there.
        """
        pages = self.module.client.pages(self.path, self.params, headers=self.headers or None, expected=self.expected)
        try:
            first = next(pages)
        except GraphError as exc:
            return self.answered(exc)
        status, body, request_id = first.status, first.body, first.request_id
        if not (isinstance(body, dict) and isinstance(body.get('value'), list)):
            return status, body, request_id
        items = list(body['value'])
        try:
            for page in pages:
                status, request_id = page.status, page.request_id
                if isinstance(page.body, dict):
                    items.extend(page.body.get('value') or [])
        except GraphError as exc:
            status, dummy, request_id = self.answered(exc)
        out = dict((k, v) for k, v in body.items() if k != '@odata.nextLink')
        out['value'] = items
        return status, out, request_id

    def run(self):
        url = self.module.client.url(self.path).split('?', 1)[0]
        write = self.method != 'GET'
        if write and self.module.check_mode:
            return {'changed': True, 'url': url, 'msg': 'check mode: %s %s would be sent' % (self.method, url)}
        status, body, request_id, problem = self.send_all_pages() + (None,) if self.all_pages else self.send()
        result = {'changed': write and status < 400, 'status': status, 'request_id': request_id, 'url': url}
        if problem:
            # Not JSON (a proxy's page, a CSV, plain text): the text as content, never as the parsed response.
            result['content'] = body
            result['warnings'] = ['%s %s answered HTTP %d with %s; it is returned as content, and response is not set' % (
                self.method, url, status, problem)]
        else:
            result['response'] = body
        if status >= 400 and isinstance(body, dict):
            result['error_code'] = (body.get('error') or {}).get('code')
        return result
