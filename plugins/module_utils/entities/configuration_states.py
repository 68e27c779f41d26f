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

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import INT32, INT64, Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity

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
    Field('setting', 'setting'),
    Field('setting_name', 'settingName'),
    Field('setting_instance_id', 'settingInstanceId'),
    Field('instance_display_name', 'instanceDisplayName'),
    Field('state', 'state', kind='enum', choices=COMPLIANCE_STATUSES),
    Field('error_code', 'errorCode', kind='int', **INT64),
    Field('error_description', 'errorDescription'),
    Field('user_id', 'userId'),
    Field('user_name', 'userName'),
    Field('user_email', 'userEmail'),
    Field('user_principal_name', 'userPrincipalName'),
    Field('current_value', 'currentValue'),
    Field('sources', 'sources', kind='objects', fields=[
        Field('id', 'id'),
        Field('display_name', 'displayName'),
        Field('source_type', 'sourceType', kind='enum', choices=SOURCE_TYPES),
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
    fields=[
        Field('display_name', 'displayName'),
        Field('version', 'version', kind='int', **INT32),
        Field('platform_type', 'platformType', kind='enum', choices=PLATFORM_TYPES),
        # Graph's `state`: the module's own `state` option is Ansible's present/absent convention.
        Field('compliance_state', 'state', kind='enum', choices=COMPLIANCE_STATUSES),
        Field('setting_count', 'settingCount', kind='int', **INT32),
        Field('setting_states', 'settingStates', kind='objects', fields=SETTING_STATE_FIELDS),
    ],
)
