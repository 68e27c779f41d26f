# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Intune assignment logic (engine/assignments.py), as the WUfB profile entity uses it."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import (
    ALL_DEVICES, ALL_USERS, EXCLUSION, GROUP, Assignments)
from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import ASSIGNMENTS, WUFB_CONFIGURATION
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

G1 = '0d4c3a3e-1c2b-4f1a-9b61-5a2f0b7c1d01'
G2 = '7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a02'
G3 = 'aa11bb22-cc33-4d44-8e55-ff6677889903'
FILTER = {'deviceAndAppManagementAssignmentFilterId': 'f1', 'deviceAndAppManagementAssignmentFilterType': 'include'}


def params(**given):
    base = dict((option, None) for option in WUFB_CONFIGURATION.field_specs())
    base.update(dict((option, None) for option in Assignments.argument_spec()))
    base.update(device_configuration_id=None, state='present')
    base.update(given)
    return base


# -- assignments -------------------------------------------------------------------------
def test_no_assignment_option_means_unmanaged():
    assert Assignments.desired(params()) is None


def test_desired_validates_guids_and_overlap_and_dedups():
    assert Assignments.desired(params(included_group_ids=[G1, G1.upper()], all_devices=False)) == {
        'included_group_ids': [G1], 'all_devices': False}
    with pytest.raises(ModuleInputError, match="'nope' is not a GUID"):
        Assignments.desired(params(included_group_ids=[G1, 'nope']))
    with pytest.raises(ModuleInputError, match='both included and excluded'):
        Assignments.desired(params(included_group_ids=[G1], excluded_group_ids=[G1.upper()]))


def test_targets_replace_only_the_named_kinds_and_keep_filters():
    current = [dict({'@odata.type': GROUP, 'groupId': G1}, **FILTER), {'@odata.type': ALL_USERS},
               {'@odata.type': '#microsoft.graph.configurationManagerCollectionAssignmentTarget', 'collectionId': 'SMS0001'}]
    wanted = Assignments.targets({'included_group_ids': [G1.upper(), G2]}, current)
    assert {'@odata.type': ALL_USERS} in wanted  # all_users not named: kept
    assert any(t.get('collectionId') == 'SMS0001' for t in wanted)  # unknown kind: kept
    kept = [t for t in wanted if t.get('groupId') == G1][0]
    assert kept['deviceAndAppManagementAssignmentFilterId'] == 'f1'  # same group: the existing target, filter and all
    assert {'@odata.type': GROUP, 'groupId': G2} in wanted
    assert Assignments.differ(wanted, current)
    assert not Assignments.differ(Assignments.targets({'included_group_ids': [G1]}, current), current)


def test_set_comparison_ignores_order_case_and_hash():
    current = [{'@odata.type': 'microsoft.graph.groupAssignmentTarget', 'groupId': G2.upper()},
               {'@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', 'groupId': G3}]
    wanted = Assignments.targets({'included_group_ids': [G2], 'excluded_group_ids': [G3]}, current)
    assert not Assignments.differ(wanted, current)
    assert Assignments.differ(Assignments.targets({'all_devices': True}, current), current)


def test_booleans_add_and_remove_all_targets():
    current = [{'@odata.type': ALL_DEVICES}]
    assert Assignments.targets({'all_devices': False, 'all_users': True}, current) == [{'@odata.type': ALL_USERS}]


def test_body_and_summary():
    body = ASSIGNMENTS.body([{'@odata.type': 'microsoft.graph.exclusionGroupAssignmentTarget', 'groupId': G1,
                              'deviceAndAppManagementAssignmentFilterId': None}])
    assert body == {'assignments': [{'@odata.type': '#microsoft.graph.deviceConfigurationAssignment',
                                     'target': {'@odata.type': EXCLUSION, 'groupId': G1}}]}
    summary = Assignments.summary([{'@odata.type': GROUP, 'groupId': G2}, {'@odata.type': GROUP, 'groupId': G1},
                                   {'@odata.type': ALL_DEVICES}])
    assert summary == {'included_group_ids': [G1, G2], 'excluded_group_ids': [], 'all_devices': True, 'all_users': False}
