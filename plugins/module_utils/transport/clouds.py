# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""National clouds: Graph host, Entra authority host and token scope per cloud."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import EndpointError

# Graph resource and Entra (login) host per cloud. US Gov L4 and L5 (DoD) share the
# authority host; L5 has its own Graph host.
CLOUDS = {
    'global': {'graph': 'https://graph.microsoft.com', 'authority': 'https://login.microsoftonline.com'},
    'usgov': {'graph': 'https://graph.microsoft.us', 'authority': 'https://login.microsoftonline.us'},
    'usgovdod': {'graph': 'https://dod-graph.microsoft.us', 'authority': 'https://login.microsoftonline.us'},
    'china': {'graph': 'https://microsoftgraph.chinacloudapi.cn', 'authority': 'https://login.chinacloudapi.cn'},
}

API_VERSIONS = ('beta', 'v1.0')


def is_loopback(host):
    if host in ('localhost',):
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def _check_url(option, url):
    """Return url without trailing slash; https only, plain http only for loopback hosts."""
    url = url.rstrip('/')
    parts = urlsplit(url)
    if parts.scheme not in ('https', 'http') or not parts.hostname:
        raise EndpointError('%s must be an absolute https URL, got %r' % (option, url))
    if parts.scheme == 'http' and not is_loopback(parts.hostname):
        raise EndpointError('%s must use https (plain http is accepted for loopback hosts only), got %r' % (option, url))
    if parts.query or parts.fragment:
        raise EndpointError('%s must not carry a query or fragment, got %r' % (option, url))
    return url


class Endpoints(object):
    """Where to send Graph calls and token requests, and which scope to ask for."""

    def __init__(self, cloud='global', graph_endpoint=None, authority_host=None, api_version='beta'):
        if cloud not in CLOUDS:
            raise EndpointError('cloud must be one of %s, got %r' % (', '.join(CLOUDS), cloud))
        if api_version not in API_VERSIONS:
            raise EndpointError('api_version must be one of %s, got %r' % (', '.join(API_VERSIONS), api_version))
        table = CLOUDS[cloud]
        self.cloud = cloud
        self.api_version = api_version
        self.graph_host = _check_url('graph_endpoint', graph_endpoint or table['graph'])
        self.authority_host = _check_url('authority_host', authority_host or table['authority'])
        if self.graph_host.endswith('/' + api_version) or self.graph_host.endswith('/beta') or self.graph_host.endswith('/v1.0'):
            raise EndpointError('graph_endpoint must not include the API version (use api_version), got %r' % self.graph_host)
        # The token audience is the cloud's Graph resource, even when graph_endpoint
        # points elsewhere (a proxy or the emulator).
        self.scope = table['graph'] + '/.default'
        self.authority_overridden = bool(authority_host)
        self.base_url = '%s/%s' % (self.graph_host, api_version)

    def authority(self, tenant_id):
        return '%s/%s' % (self.authority_host, tenant_id)
