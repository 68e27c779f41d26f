# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune's Windows quality update policies (hotpatch): windowsQualityUpdatePolicy at
/deviceManagement/windowsQualityUpdatePolicies, shared by windows_quality_update_policy(_info).

Properties and enum members are Graph beta's metadata (msgraph-beta-sdk models windows_quality_update_policy.py,
windows_quality_update_approval_setting.py, windows_quality_update_policy_assignment.py and the enums
windowsQualityUpdateCadence, windowsQualityUpdateCategory, windowsQualityUpdatePolicyApprovalMethodType). Note the
wire name deferredDeploymentInDay (singular). Read-only properties (id, createdDateTime, lastModifiedDateTime) are
not options.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    INT32, BoolField, EnumField, IntField, ListField, ObjectsField, StrField)
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

CADENCES = ('monthly', 'outOfBand', 'unknownFutureValue')  # windowsQualityUpdateCadence
CATEGORIES = ('all', 'security', 'nonSecurity', 'unknownFutureValue', 'quickMachineRecovery')  # windowsQualityUpdateCategory
APPROVAL_METHODS = ('manual', 'automatic', 'unknownFutureValue')  # windowsQualityUpdatePolicyApprovalMethodType

QUALITY_UPDATE_POLICY = Entity(
    name='Windows quality update policy',
    result_key='policy',
    collection=('deviceManagement', 'windowsQualityUpdatePolicies'),
    id_option='policy_id',
    natural_key='display_name',
    odata_type='#microsoft.graph.windowsQualityUpdatePolicy',
    patch_odata_type=True,
    required_on_create=('display_name',),
    fields=[
        StrField('display_name', 'displayName', max_length=200),
        StrField('description', 'description', max_length=1500),
        BoolField('hotpatch_enabled', 'hotpatchEnabled'),
        # compared as a multiset of settings; Graph keeps at most 6
        ObjectsField('approval_settings', 'approvalSettings', odata_type='#microsoft.graph.windowsQualityUpdateApprovalSetting',
                     required=('cadence', 'category', 'approval_method'), max_items=6, fields=[
                         EnumField('cadence', 'windowsQualityUpdateCadence', CADENCES),
                         EnumField('category', 'windowsQualityUpdateCategory', CATEGORIES),
                         EnumField('approval_method', 'approvalMethodType', APPROVAL_METHODS),
                         IntField('deferred_deployment_in_days', 'deferredDeploymentInDay', minimum=0, maximum=INT32['maximum']),
                     ]),
        ListField('role_scope_tag_ids', 'roleScopeTagIds'),
    ],
    assignments=Assignments('#microsoft.graph.windowsQualityUpdatePolicyAssignment'),
    listing=Listing('policies', filters=[Filter('hotpatch_enabled')]),
)
