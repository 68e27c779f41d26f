# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pieces of the managed_devices inventory and of the plugins' shared glue."""

from __future__ import annotations

import importlib.util
import os
import random

import pytest
import yaml
from ansible.errors import AnsibleError

from ansible_collections.graphops.intune.plugins.inventory.managed_devices import build_filter, host_names, snake
from ansible_collections.graphops.intune.plugins.module_utils.graph_options import common_argument_spec
from ansible_collections.graphops.intune.plugins.plugin_utils import graph_plugin

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def fragment_options(name):
    spec = importlib.util.spec_from_file_location('fragment', os.path.join(REPO, 'plugins', 'doc_fragments', name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return yaml.safe_load(module.ModuleDocFragment.DOCUMENTATION)['options']


def test_plugin_fragment_has_the_modules_options_without_defaults():
    options = fragment_options('graph_plugin.py')
    assert sorted(options) == sorted(common_argument_spec())
    # A default or env entry would hide the environment fallback the argument spec applies.
    assert not [name for name, option in options.items() if 'default' in option or 'env' in option]


def test_snake_case_host_vars():
    assert snake('azureADDeviceId') == 'azure_ad_device_id'
    assert snake('osVersion') == 'os_version'
    assert snake('lastSyncDateTime') == 'last_sync_date_time'
    assert snake('id') == 'id'


def test_filter_quotes_values_and_refuses_odd_names():
    assert build_filter({'operatingSystem': "Windows 'x'", 'isEncrypted': True}, None) == \
        "isEncrypted eq true and operatingSystem eq 'Windows ''x'''"
    assert build_filter({'a': 1}, "startswith(deviceName,'PC')") == "a eq 1 and (startswith(deviceName,'PC'))"
    assert build_filter({}, None) is None
    with pytest.raises(AnsibleError):
        build_filter({'a eq 1 or b': 'x'}, None)


def test_host_names_do_not_depend_on_order():
    devices = [
        {'id': 'b', 'deviceName': 'PC-1', 'enrolledDateTime': '2024-01-01T00:00:00Z'},
        {'id': 'a', 'deviceName': 'pc-1', 'enrolledDateTime': '2024-01-01T00:00:00Z'},
        {'id': 'c', 'deviceName': 'PC-1', 'enrolledDateTime': '2023-01-01T00:00:00Z'},
        {'id': 'd', 'deviceName': '', 'enrolledDateTime': None},
        {'id': 'e', 'deviceName': 'PC-2'},
    ]
    expected = host_names(devices)
    assert expected == {'a': 'pc-1', 'b': 'PC-1_b', 'c': 'PC-1_c', 'd': 'd', 'e': 'PC-2'}
    for dummy in range(20):
        random.shuffle(devices)
        assert host_names(devices) == expected
    assert host_names(devices, 'intune_')['e'] == 'intune_PC-2'


def test_params_apply_env_fallbacks_and_defaults(monkeypatch):
    monkeypatch.setenv('GRAPH_CLOUD', 'usgov')
    monkeypatch.setenv('AZURE_TENANT_ID', 'contoso.onmicrosoft.com')
    given = {'timeout': 10}
    params = graph_plugin.common_params(given.get)
    assert params['cloud'] == 'usgov' and params['tenant_id'] == 'contoso.onmicrosoft.com'
    assert params['timeout'] == 10 and params['max_retries'] == 5 and params['validate_certs'] is True
    with pytest.raises(AnsibleError, match='cloud'):
        graph_plugin.common_params({'cloud': 'mars'}.get)


@pytest.mark.parametrize('text', ['', '/', 'a/../b', './x', 'a//b', 'a/\x00', 'https://evil.example/x'])
def test_relative_path_refuses_escapes(text):
    with pytest.raises(AnsibleError):
        graph_plugin.relative_path(text)


def test_relative_path_quotes_segments_and_query_names():
    assert graph_plugin.relative_path('/deviceManagement/managedDeviceWindowsOSImages/Windows 11 22H1') == \
        '/deviceManagement/managedDeviceWindowsOSImages/Windows%2011%2022H1'
    assert graph_plugin.odata_params({'filter': "a eq 'b'", '$top': 5, 'select': ['id', 'x'], 'count': True}) == \
        {'$filter': "a eq 'b'", '$top': '5', '$select': 'id,x', '$count': 'true'}
