# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deployment-service entity tables: policy approval rules, approvals, the catalog's filters."""

from __future__ import annotations

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.entities import catalog
from ansible_collections.graphops.intune.plugins.module_utils.entities.approvals import APPROVAL
from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import POLICY, is_quality_rule, rule_spec
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

RULE_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule'
RECOVERY = {'@odata.type': '#microsoft.graph.windowsUpdates.recoveryApprovalRule', 'deferralInDays': 2}


def wire_rule(classification, cadence, days):
    return {'@odata.type': RULE_TYPE, 'classification': classification, 'cadence': cadence, 'deferralInDays': days}


def option_rule(classification, cadence, days):
    return {'classification': classification, 'cadence': cadence, 'deferral_in_days': days}


def desired(**params):
    base = dict(policy_id=None, display_name=None, description=None, approval_rules=None)
    base.update(params)
    return POLICY.desired(base)


def test_rules_compare_as_a_multiset_with_enum_casing_folded():
    current = {'displayName': 'P', 'approvalRules': [wire_rule('security', 'monthly', 3), wire_rule('nonSecurity', 'outOfBand', 0), RECOVERY]}
    same = desired(display_name='P', approval_rules=[option_rule('NONSECURITY', 'outofband', 0), option_rule('Security', 'Monthly', 3)])
    assert POLICY.patch(same, current) == {}
    doubled = desired(display_name='P', approval_rules=[option_rule('security', 'monthly', 3)] * 2)
    assert POLICY.patch(doubled, current)['approvalRules'][:2] == [wire_rule('security', 'monthly', 3)] * 2


def test_a_patch_of_rules_keeps_rules_of_other_types_and_names_the_derived_type():
    current = {'displayName': 'P', 'approvalRules': [wire_rule('security', 'monthly', 3), RECOVERY]}
    patch = POLICY.patch(desired(display_name='P', approval_rules=[option_rule('all', 'monthly', 7)]), current)
    assert patch == {'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdatePolicy',
                     'approvalRules': [wire_rule('all', 'monthly', 7), RECOVERY]}
    emptied = POLICY.patch(desired(display_name='P', approval_rules=[]), current)
    assert emptied['approvalRules'] == [RECOVERY]


def test_sent_values_are_in_graphs_casing():
    body = POLICY.create_body(desired(display_name='P', approval_rules=[option_rule('NONSECURITY', 'OUTOFBAND', 1)]))
    assert body == {'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdatePolicy', 'displayName': 'P',
                    'approvalRules': [wire_rule('nonSecurity', 'outOfBand', 1)]}


@pytest.mark.parametrize('rule, message', [
    (option_rule('critical', 'monthly', 0), "approval_rules[0].classification: 'critical' is not one of"),
    (option_rule('all', 'weekly', 0), "approval_rules[0].cadence: 'weekly' is not one of"),
    (option_rule('all', 'monthly', 31), 'approval_rules[0].deferral_in_days must be between 0 and 30, got 31'),
])
def test_bad_rules(rule, message):
    with pytest.raises(ModuleInputError, match=r'^' + message.replace('[', r'\[').replace(']', r'\]').replace('(', r'\(')):
        desired(display_name='P', approval_rules=[rule])


def test_rule_spec_requires_every_key():
    spec = rule_spec()
    assert spec['type'] == 'list' and spec['elements'] == 'dict'
    assert all(option['required'] for option in spec['options'].values())
    assert set(spec['options']) == {'classification', 'cadence', 'deferral_in_days'}


def test_unknown_rule_types_are_not_quality_rules():
    assert is_quality_rule(wire_rule('all', 'monthly', 0))
    assert is_quality_rule({'classification': 'all', 'cadence': 'monthly'})  # no annotation, quality properties
    assert not is_quality_rule(RECOVERY)
    assert not is_quality_rule({'@odata.type': '#microsoft.graph.windowsUpdates.someFutureRule', 'classification': 'all'})
    assert not is_quality_rule('security')


@pytest.mark.parametrize('value', ['..', '.', '', ' ', 'a\nb', 'x\x7f'])
def test_check_ids_refuses_what_would_change_the_path(value):
    # The _info modules check their id options through Entity.check_ids too (no check_segments of their own).
    with pytest.raises(ModuleInputError, match='^policy_id (is|holds) .*; nothing was sent$'):
        POLICY.check_ids({'policy_id': value})


def test_check_ids_accepts_ids_with_dots_and_spaces():
    POLICY.check_ids({'policy_id': 'a.b', 'other': '..'})
    POLICY.check_ids({'policy_id': 'Windows 11 22H1'})
    with pytest.raises(ModuleInputError):
        APPROVAL.check_ids({'policy_id': '..', 'catalog_entry_id': 'c1', 'status': 'approved', 'approval_id': None})


def entry(entry_id, kind, released, classification=None, cadence=None):
    item = {'@odata.type': '#' + catalog.KINDS[kind], 'id': entry_id, 'releaseDateTime': released}
    if kind == 'quality':
        item.update(qualityUpdateClassification=classification, qualityUpdateCadence=cadence)
    return item


ENTRIES = [
    entry('q1', 'quality', '2024-02-13T00:00:00Z', 'security', 'monthly'),
    entry('q2', 'quality', '2024-03-21T17:00:00-07:00', 'security', 'outOfBand'),
    entry('q3', 'quality', '2024-03-22T00:30:00.0000000Z', 'nonSecurity', 'monthly'),
    entry('q4', 'quality', '2024-03-12T00:00:00Z', 'security', 'monthly'),
    entry('f1', 'feature', '2023-10-31T00:00:00Z'),
    entry('f2', 'feature', '2022-09-20T00:00:00Z'),
    {'@odata.type': '#microsoft.graph.windowsUpdates.someFutureCatalogEntry', 'id': 'x1', 'releaseDateTime': 'not a date'},
]


def ids(entries):
    return [item['id'] for item in entries]


def test_catalog_latest_is_per_kind_and_classification_by_instant():
    # q2 (17:00-07:00 = 00:00Z on the 22nd) is newer than q4 although its text sorts before 2024-03-22.
    assert ids(catalog.select(ENTRIES, latest=True)) == ['q3', 'q2', 'f1', 'x1']
    assert ids(catalog.select(ENTRIES, classification='security', latest=True)) == ['q2']
    assert ids(catalog.select(ENTRIES, classification='SECURITY', cadence='monthly', latest=True)) == ['q4']


def test_catalog_released_after_is_strict_and_compares_instants():
    assert ids(catalog.select(ENTRIES, released_after='2024-03-22T00:00:00Z')) == ['q3']
    assert ids(catalog.select(ENTRIES, released_after='2024-03-21T22:00:00-02:00')) == ['q3']
    assert ids(catalog.select(ENTRIES, released_after='2024-03-21T23:59:59Z')) == ['q3', 'q2']


def test_catalog_kinds_and_filters():
    assert catalog.kind_filter('quality') == "isof('microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry')"
    assert [catalog.kind_of(item) for item in ENTRIES[-3:]] == ['feature', 'feature', 'someFutureCatalogEntry']
    assert ids(catalog.select(ENTRIES, cadence='outOfBand')) == ['q2']
    assert catalog.returned({'@odata.type': 't', '@odata.etag': 'e', 'id': 'i'}) == {'@odata.type': 't', 'id': 'i'}
