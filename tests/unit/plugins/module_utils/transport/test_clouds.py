# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import EndpointError, Endpoints


@pytest.mark.parametrize('cloud, graph, authority', [
    ('global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'),
    ('usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'),
    ('usgovdod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'),
    ('china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'),
])
def test_cloud_hosts_and_scope(cloud, graph, authority):
    endpoints = Endpoints(cloud)
    assert endpoints.graph_host == graph
    assert endpoints.authority_host == authority
    assert endpoints.scope == graph + '/.default'
    assert endpoints.base_url == graph + '/beta'
    assert endpoints.authority('contoso.onmicrosoft.com') == authority + '/contoso.onmicrosoft.com'
    assert not endpoints.authority_overridden


def test_default_is_global_beta():
    endpoints = Endpoints()
    assert endpoints.scope == 'https://graph.microsoft.com/.default'
    assert endpoints.base_url == 'https://graph.microsoft.com/beta'


def test_base_url_per_api_version():
    assert Endpoints(api_version='v1.0').base_url == 'https://graph.microsoft.com/v1.0'
    assert Endpoints('usgov', api_version='beta').base_url == 'https://graph.microsoft.us/beta'
    with pytest.raises(EndpointError):
        Endpoints(api_version='v2.0')


def test_graph_endpoint_override_keeps_the_clouds_scope():
    endpoints = Endpoints('usgov', graph_endpoint='https://proxy.example.test/graph/')
    assert endpoints.graph_host == 'https://proxy.example.test/graph'
    assert endpoints.base_url == 'https://proxy.example.test/graph/beta'
    assert endpoints.scope == 'https://graph.microsoft.us/.default'
    assert endpoints.authority_host == 'https://login.microsoftonline.us'


def test_authority_override():
    endpoints = Endpoints(authority_host='https://127.0.0.1:8443/')
    assert endpoints.authority_host == 'https://127.0.0.1:8443'
    assert endpoints.authority('t1') == 'https://127.0.0.1:8443/t1'
    assert endpoints.authority_overridden
    assert endpoints.scope == 'https://graph.microsoft.com/.default'


@pytest.mark.parametrize('url', ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'http://127.0.0.2'])
def test_plain_http_accepted_for_loopback(url):
    assert Endpoints(graph_endpoint=url, authority_host=url).graph_host == url


@pytest.mark.parametrize('url', ['http://graph.example.test', 'http://10.0.0.1:8080', 'http://localhost.example.test',
                                 'http://[::2]:80'])
@pytest.mark.parametrize('option', ['graph_endpoint', 'authority_host'])
def test_plain_http_rejected_for_other_hosts(option, url):
    with pytest.raises(EndpointError) as err:
        Endpoints(**{option: url})
    assert option in str(err.value) and 'https' in str(err.value)


@pytest.mark.parametrize('url', ['graph.example.test', 'ftp://graph.example.test', 'https://', 'https://h.test/?x=1', 'https://h.test/#f'])
def test_malformed_endpoints_rejected(url):
    with pytest.raises(EndpointError):
        Endpoints(graph_endpoint=url)


@pytest.mark.parametrize('url', ['https://graph.example.test/beta', 'https://graph.example.test/beta/', 'https://graph.example.test/v1.0'])
def test_graph_endpoint_with_api_version_rejected(url):
    with pytest.raises(EndpointError) as err:
        Endpoints(graph_endpoint=url)
    assert 'api_version' in str(err.value)


def test_unknown_cloud_rejected():
    with pytest.raises(EndpointError) as err:
        Endpoints('germany')
    message = str(err.value)
    assert "'germany'" in message
    for cloud in ('global', 'usgov', 'usgovdod', 'china'):
        assert cloud in message
