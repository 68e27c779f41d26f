# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The quality update policy entity (windowsUpdates deployment service), shared by windows_update_policy(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import check_id

# Graph beta metadata: microsoft.graph.windowsUpdates.qualityUpdateClassification / qualityUpdateCadence.
CLASSIFICATIONS = ('all', 'security', 'nonSecurity', 'unknownFutureValue')
CADENCES = ('monthly', 'outOfBand', 'unknownFutureValue')

POLICY_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdatePolicy'
RULE_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule'


def check_segments(params, options):
    """For _info modules: the id options become URL path segments; refuse what would change the path, before any
    request (the engine does the same for the resource modules)."""
    for option in options:
        if params.get(option) is not None:
            check_id(option, params[option])


def is_quality_rule(rule):
    """approvalRules holds derived types; only qualityUpdateApprovalRule items are managed here."""
    if not isinstance(rule, dict):
        return False
    odata_type = rule.get('@odata.type')
    if odata_type is None:
        return 'classification' in rule or 'cadence' in rule
    return str(odata_type).lstrip('#').lower() == RULE_TYPE.lstrip('#').lower()


RULE_FIELDS = [
    Field('classification', 'classification', kind='enum', choices=CLASSIFICATIONS),
    Field('cadence', 'cadence', kind='enum', choices=CADENCES),
    Field('deferral_in_days', 'deferralInDays', kind='int', minimum=0, maximum=30),
]
_RULES = Field('approval_rules', 'approvalRules', kind='objects', fields=RULE_FIELDS, odata_type=RULE_TYPE)


def _rules_from_wire(wire):
    return _RULES.from_wire([rule for rule in wire or [] if is_quality_rule(rule)])


class PolicyEntity(Entity):
    """approvalRules is written whole: rules of other types (recoveryApprovalRule) are carried over unchanged."""

    def patch(self, desired, current):
        body = super(PolicyEntity, self).patch(desired, current)
        if 'approvalRules' in body:
            body['approvalRules'] = body['approvalRules'] + [
                rule for rule in current.get('approvalRules') or [] if not is_quality_rule(rule)]
        return body


POLICY = PolicyEntity(
    name='quality update policy',
    result_key='policy',
    collection=lambda p: ('admin', 'windows', 'updates', 'policies'),
    id_option='policy_id',
    natural_key='display_name',
    odata_type=POLICY_TYPE,
    patch_odata_type=True,  # policy is abstract: Graph wants the derived type on writes
    required_on_create=('display_name', 'approval_rules'),
    fields=[
        Field('display_name', 'displayName', max_length=200),
        Field('description', 'description', max_length=1500),
        Field('approval_rules', 'approvalRules', kind='objects', fields=RULE_FIELDS, odata_type=RULE_TYPE,
              from_wire=_rules_from_wire),
    ],
)


def rule_spec():
    """approval_rules suboptions: every key is required, so the list compares as a multiset of whole rules."""
    spec = POLICY.by_option['approval_rules'].spec()
    for option in spec['options'].values():
        option['required'] = True
    return spec
