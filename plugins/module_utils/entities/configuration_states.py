# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The device configuration state entity (deviceConfigurationState of a managed device), shared by
device_configuration_state(_info).

Enum members are Graph beta's metadata (msgraph-beta-sdk models), wider than the API page:
a state can be notAssigned and a platform androidWorkProfile.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import INT32, INT64, EnumField, IntField, ObjectsField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

# microsoft.graph.policyPlatformType
PLATFORM_TYPES = ('android', 'androidForWork', 'iOS', 'macOS', 'windowsPhone81', 'windows81AndLater', 'windows10AndLater',
                  'androidWorkProfile', 'windows10XProfile', 'androidAOSP', 'all')

# microsoft.graph.complianceStatus
COMPLIANCE_STATUSES = ('unknown', 'notApplicable', 'compliant', 'remediated', 'nonCompliant', 'error', 'conflict', 'notAssigned')

# microsoft.graph.settingSourceType
SOURCE_TYPES = ('deviceConfiguration', 'deviceIntent')


def collection(params):
    """The device's states, under /users/{userId} when user_id is given (the page prints a path without
    the '/' before the state id; this is the real one)."""
    if params.get('user_id'):
        return ('users', params['user_id'], 'managedDevices', params['managed_device_id'], 'deviceConfigurationStates')
    return ('deviceManagement', 'managedDevices', params['managed_device_id'], 'deviceConfigurationStates')


SETTING_STATE_FIELDS = [
    StrField('setting', 'setting'),
    StrField('setting_name', 'settingName'),
    StrField('setting_instance_id', 'settingInstanceId'),
    StrField('instance_display_name', 'instanceDisplayName'),
    EnumField('state', 'state', COMPLIANCE_STATUSES),
    IntField('error_code', 'errorCode', **INT64),
    StrField('error_description', 'errorDescription'),
    StrField('user_id', 'userId'),
    StrField('user_name', 'userName'),
    StrField('user_email', 'userEmail'),
    StrField('user_principal_name', 'userPrincipalName'),
    StrField('current_value', 'currentValue'),
    ObjectsField('sources', 'sources', fields=[
        StrField('id', 'id'),
        StrField('display_name', 'displayName'),
        EnumField('source_type', 'sourceType', SOURCE_TYPES),
    ]),
]

CONFIGURATION_STATE = Entity(
    name='device configuration state',
    result_key='configuration_state',
    collection=collection,
    id_option='id',
    natural_key='display_name',
    # The page documents only PATCH (and GET): Intune reports these states itself.
    can_create=False,
    can_delete=False,
    scope_options=('managed_device_id', 'user_id'),
    optional_scope=('user_id',),
    fields=[
        StrField('display_name', 'displayName'),
        IntField('version', 'version', **INT32),
        EnumField('platform_type', 'platformType', PLATFORM_TYPES),
        # Graph's `state`: the module's own `state` option is Ansible's present/absent convention.
        EnumField('compliance_state', 'state', COMPLIANCE_STATUSES),
        IntField('setting_count', 'settingCount', **INT32),
        ObjectsField('setting_states', 'settingStates', fields=SETTING_STATE_FIELDS),
    ],
    listing=Listing('configuration_states', filters=[Filter('compliance_state')]),
)
