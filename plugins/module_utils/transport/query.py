# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The one encoder of a user's query options (graph_request's query, the lookup's query): names and
values as given (lists joined by commas, booleans as true/false), percent-encoded once.

Paths have their one encoder too: client.path() quotes each segment once, after checking it.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError


def query_pairs(query, odata_names=False):
    """A user's query options as (name, text) pairs: lists joined by commas, booleans as true/false.

    odata_names: a name without its leading $ gets it (filter -> $filter), as the lookup takes them.
    """
    pairs = []
    for name, value in (query or {}).items():
        name = str(name)
        if odata_names and not name.startswith('$'):
            name = '$' + name
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        elif isinstance(value, (list, tuple)):
            value = ','.join(str(item) for item in value)
        elif isinstance(value, dict):
            raise ModuleInputError('query: the value of %s must be a string, a number, a boolean or a list' % name)
        pairs.append((name, '' if value is None else str(value)))
    return pairs


def query_string(query, odata_names=False):
    """The query, percent-encoded once (spaces as %20, OData's $, commas, quotes and parentheses readable); None when empty."""
    return urlencode(query_pairs(query, odata_names), quote_via=quote, safe="$,'()") or None
