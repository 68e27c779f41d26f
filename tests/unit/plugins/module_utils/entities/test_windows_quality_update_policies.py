# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows quality update policy declaration (entities/windows_quality_update_policies.py)."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_policies import QUALITY_UPDATE_POLICY
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

POLICY = QUALITY_UPDATE_POLICY
SETTING_TYPE = '#microsoft.graph.windowsQualityUpdateApprovalSetting'


def params(**given):
    base = dict((option, None) for option in POLICY.argument_spec())
    base.update(state='present', on_duplicate='fail')
    base.update(given)
    return base


def setting(cadence, category, method, days=None):
    item = {'cadence': cadence, 'category': category, 'approval_method': method, 'deferred_deployment_in_days': days}
    return item


def wire(cadence, category, method, days=None):
    item = {'@odata.type': SETTING_TYPE, 'windowsQualityUpdateCadence': cadence, 'windowsQualityUpdateCategory': category,
            'approvalMethodType': method}
    if days is not None:
        item['deferredDeploymentInDay'] = days
    return item


def test_the_module_options_come_from_the_declaration():
    spec = POLICY.argument_spec()
    assert set(spec) == {'policy_id', 'display_name', 'description', 'hotpatch_enabled', 'approval_settings', 'role_scope_tag_ids',
                         'included_group_ids', 'excluded_group_ids', 'all_devices', 'all_users', 'state', 'on_duplicate'}
    assert POLICY.argument_constraints() == {'required_one_of': [('policy_id', 'display_name')]}
    sub = spec['approval_settings']['options']
    assert [name for name in sub if sub[name].get('required')] == ['cadence', 'category', 'approval_method']
    assert set(POLICY.info_argument_spec()) == {'policy_id', 'display_name', 'hotpatch_enabled', 'include_assignments'}


def test_create_body_uses_graphs_names_and_casing():
    desired = POLICY.desired(params(display_name='Hotpatch', hotpatch_enabled=True,
                                    approval_settings=[setting('MONTHLY', 'security', 'Automatic', 2)]))
    assert POLICY.create_body(desired) == {
        '@odata.type': '#microsoft.graph.windowsQualityUpdatePolicy', 'displayName': 'Hotpatch', 'hotpatchEnabled': True,
        'approvalSettings': [wire('monthly', 'security', 'automatic', 2)]}


def test_approval_settings_compare_as_a_multiset():
    current = {'displayName': 'Hotpatch', 'approvalSettings': [wire('outOfBand', 'security', 'manual'),
                                                               wire('monthly', 'security', 'automatic', 2)]}
    same = POLICY.desired(params(approval_settings=[setting('monthly', 'SECURITY', 'automatic', 2), setting('OUTOFBAND', 'security', 'manual')]))
    assert POLICY.patch(same, current) == {}
    doubled = POLICY.desired(params(approval_settings=[setting('outOfBand', 'security', 'manual')] * 2))
    assert POLICY.patch(doubled, current) == {'@odata.type': '#microsoft.graph.windowsQualityUpdatePolicy',
                                              'approvalSettings': [wire('outOfBand', 'security', 'manual')] * 2}


@pytest.mark.parametrize('value, message', [
    ([setting('weekly', 'all', 'manual')], "approval_settings[0].cadence: 'weekly' is not one of monthly"),
    ([setting('monthly', 'drivers', 'manual')], "approval_settings[0].category: 'drivers' is not one of all"),
    ([setting('monthly', 'all', 'sometimes')], "approval_settings[0].approval_method: 'sometimes' is not one of manual"),
    ([setting('monthly', 'all', 'automatic', -1)], 'approval_settings[0].deferred_deployment_in_days must be between 0 and'),
    ([setting('monthly', 'all', 'manual')] * 7, 'approval_settings takes at most 6 items, got 7'),
])
def test_bad_settings_fail_before_any_request(value, message):
    with pytest.raises(ModuleInputError) as err:
        POLICY.desired(params(approval_settings=value))
    assert message in str(err.value)


def test_assignments_are_quality_update_policy_assignments():
    assert POLICY.assignments.assignment_type == '#microsoft.graph.windowsQualityUpdatePolicyAssignment'
    body = POLICY.assignments.body([{'@odata.type': '#microsoft.graph.allDevicesAssignmentTarget'}])
    assert body == {'assignments': [{'@odata.type': '#microsoft.graph.windowsQualityUpdatePolicyAssignment',
                                     'target': {'@odata.type': '#microsoft.graph.allDevicesAssignmentTarget'}}]}
