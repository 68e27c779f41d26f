# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lists of objects inside lists of objects (a setting state's sources): order-insensitive, given keys only."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.entities.configuration_states import CONFIGURATION_STATE
from ansible_collections.graphops.intune.plugins.module_utils.entities.os_images import OS_IMAGE

SETTING_STATES = CONFIGURATION_STATE.by_option['setting_states']
CURRENT = [
    {'setting': 'a', 'state': 'compliant', 'errorCode': 0, 'currentValue': '1',
     'sources': [{'id': 'x', 'displayName': 'X', 'sourceType': 'deviceConfiguration'},
                 {'id': 'y', 'displayName': 'Y', 'sourceType': 'deviceIntent'}]},
    {'setting': 'b', 'state': 'error', 'errorCode': -5, 'currentValue': None, 'sources': []},
]


def equal(desired):
    return SETTING_STATES.equal(SETTING_STATES.validate(desired), SETTING_STATES.from_wire(CURRENT))


def test_nested_sources_omitted_keys_are_not_compared_and_order_does_not_matter():
    assert equal([{'setting': 'b', 'state': 'ERROR', 'sources': []},
                  {'setting': 'a', 'state': 'Compliant', 'sources': [{'id': 'y'}, {'id': 'x'}]}])


def test_nested_sources_given_keys_are_compared():
    assert not equal([{'setting': 'b', 'sources': []},
                      {'setting': 'a', 'sources': [{'id': 'y', 'source_type': 'deviceConfiguration'}, {'id': 'x'}]}])
    assert not equal([{'setting': 'b', 'sources': []}, {'setting': 'a', 'sources': [{'id': 'x'}]}])
    assert not equal([{'setting': 'b', 'sources': [{'id': 'x'}]}, {'setting': 'a', 'sources': [{'id': 'y'}, {'id': 'x'}]}])


def test_nested_enum_casing_and_mixed_value_types_freeze():
    assert equal([{'setting': 'b', 'error_code': -5, 'sources': []},
                  {'setting': 'a', 'error_code': 0, 'sources': [{'id': 'x', 'source_type': 'DEVICECONFIGURATION'},
                                                                {'id': 'y', 'source_type': 'deviceintent'}]}])


def test_os_image_patch_holds_only_differing_fields_in_graphs_casing():
    current = {'id': 'Windows 11 22H1', 'supportedArchitectures': ['x64', 'arM64'],
               'supportedEditions': [{'@odata.type': 'microsoft.graph.managedDeviceWindowsOperatingSystemEdition',
                                      'editionType': 'professionalN', 'supportEndDate': '2024-10-08'}]}
    desired = OS_IMAGE.desired({'supported_architectures': ['ARM64', 'X64', 'x86'],
                                'supported_editions': [{'edition_type': 'PROFESSIONALN', 'support_end_date': '2024-10-08'}]})
    assert OS_IMAGE.patch(desired, current) == {'supportedArchitectures': ['arM64', 'x64', 'x86']}
