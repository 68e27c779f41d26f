# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side glue for the inventory and lookup plugins (internal, not a public API).

The plugins take the modules' common options (doc fragment graphops.intune.graph_plugin) and
run them through the modules' own argument spec, so that environment fallbacks, defaults
and credential selection are the same as in a task, without an AnsibleModule.
"""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.graphops.intune.plugins.module_utils import graph_options
from ansible_collections.graphops.intune.plugins.module_utils.transport import client as client_utils
from ansible_collections.graphops.intune.plugins.module_utils.transport import query as query_utils


def common_option_names():
    return list(graph_options.common_argument_spec())


def common_params(get_option):
    """The common options as a module would see them: given values, else env fallbacks, else defaults."""
    spec = graph_options.common_argument_spec()
    given = {}
    for name in spec:
        try:
            value = get_option(name)
        except KeyError:
            value = None
        if value is not None:
            given[name] = value
    result = ArgumentSpecValidator(spec).validate(given)
    if result.error_messages:
        raise AnsibleError('graphops.intune: %s' % '; '.join(result.error_messages))
    return result.validated_parameters


def connect(get_option):
    """A GraphClient for the plugin's options (the modules' option adapter, graph_options.connect);
    credential problems fail here, before any request."""
    for name, error in graph_options.missing_libraries():
        raise AnsibleError('graphops.intune needs the Python library %s on the controller: %s' % (name, error.strip().splitlines()[-1]))
    client, dummy = call(graph_options.connect, common_params(get_option))
    return client


def call(function, *args, **kwargs):
    """Run a Graph call; its failures (graph_options.failure, the modules' mapping) become one-line
    AnsibleErrors (no traceback, no token)."""
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        failed = graph_options.failure(exc)
        if failed is None:
            raise
    raise AnsibleError('graphops.intune: %s' % failed['msg'])


def collection_or_entity(client, relative, params=None, first_page=False):
    """GET a path: the items of a collection (every page, through the client's one paging loop,
    client.pages; only the first with first_page), or the entity without @odata.context."""
    pages = client.pages(relative, params)
    body = next(pages).json_object('a JSON object (the entity)')
    if not isinstance(body.get('value'), list):
        return [dict((key, value) for key, value in body.items() if not key.startswith('@odata.context'))]
    items = list(body['value'])
    if not first_page:
        for page in pages:
            page = page.json_object('a JSON object (the entity)')
            items.extend(page.get('value', []))
    return items


def relative_path(text):
    """A Graph path given by a user ('deviceManagement/managedDevices') as quoted segments.

    Each segment goes through the transport's central id check ('.', '..', empty segments and
    control characters are refused): the path must stay under the API version, whatever the input.
    """
    if not isinstance(text, str) or not text.strip('/'):
        raise AnsibleError('graphops.intune: a Graph path such as deviceManagement/managedDevices is needed, got %r' % (text,))
    if text.startswith(('https://', 'http://')):
        raise AnsibleError('graphops.intune: give a path relative to the API version, not a URL: %r' % text)
    for segment in text.strip('/').split('/'):
        problem = client_utils.id_problem(segment)
        if problem:
            raise AnsibleError('graphops.intune: path %r: a segment %s; nothing was sent' % (text, problem))
    return client_utils.path(*text.strip('/').split('/'))


def check_id(option, value):
    """An id used as a path segment, checked by the transport's central id check."""
    problem = client_utils.id_problem(value) if isinstance(value, str) else 'is not a string'
    if problem:
        raise AnsibleError('graphops.intune: %s: the id %r %s; nothing was sent' % (option, value, problem))
    return value


def odata_params(query):
    """Query options from a dict: 'filter' and '$filter' both become '$filter'; lists are joined by commas
    (transport/query.py, the rules of graph_request's query)."""
    if query is None:
        return None
    if not isinstance(query, dict):
        raise AnsibleError('graphops.intune: query must be a dictionary of OData options, got %r' % (query,))
    return dict(call(query_utils.query_pairs, query, odata_names=True))


def query_string(query):
    """The lookup's query as sent: the one encoder, transport/query.py."""
    return call(query_utils.query_string, odata_params(query))
