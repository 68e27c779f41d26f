# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The quality update policy entity (windowsUpdates deployment service), shared by windows_update_policy(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import EnumField, IntField, ObjectsField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Listing

# Graph beta metadata: microsoft.graph.windowsUpdates.qualityUpdateClassification / qualityUpdateCadence.
CLASSIFICATIONS = ('all', 'security', 'nonSecurity', 'unknownFutureValue')
CADENCES = ('monthly', 'outOfBand', 'unknownFutureValue')

POLICY_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdatePolicy'
RULE_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule'


def is_quality_rule(rule):
    """approvalRules holds derived types; only qualityUpdateApprovalRule items are managed here."""
    if not isinstance(rule, dict):
        return False
    odata_type = rule.get('@odata.type')
    if odata_type is None:
        return 'classification' in rule or 'cadence' in rule
    return str(odata_type).lstrip('#').lower() == RULE_TYPE.lstrip('#').lower()


RULE_FIELDS = [
    EnumField('classification', 'classification', CLASSIFICATIONS),
    EnumField('cadence', 'cadence', CADENCES),
    IntField('deferral_in_days', 'deferralInDays', minimum=0, maximum=30),
]

POLICY = Entity(
    name='quality update policy',
    result_key='policy',
    collection=('admin', 'windows', 'updates', 'policies'),
    id_option='policy_id',
    natural_key='display_name',
    odata_type=POLICY_TYPE,
    patch_odata_type=True,  # policy is abstract: Graph wants the derived type on writes
    required_on_create=('display_name', 'approval_rules'),
    fields=[
        StrField('display_name', 'displayName', max_length=200),
        StrField('description', 'description', max_length=1500),
        # Every key required: the list compares as a multiset of whole rules. approvalRules is written
        # whole: rules of other types (recoveryApprovalRule) are carried over unchanged.
        ObjectsField('approval_rules', 'approvalRules', fields=RULE_FIELDS, odata_type=RULE_TYPE, all_required=True,
                     manages=is_quality_rule),
    ],
    listing=Listing('policies'),
)


def rule_spec():
    """approval_rules suboptions: every key is required, so the list compares as a multiset of whole rules."""
    return POLICY.by_option['approval_rules'].spec()
