# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows Update for Business device update state entity (windowsUpdateState), shared by
device_update_state(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.dispatch import Many
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import DateTimeField, EnumField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

# microsoft.graph.windowsUpdateStatus (beta metadata and API page agree).
STATUSES = ('upToDate', 'pendingInstallation', 'pendingReboot', 'failed')
WUFB_CAST = 'microsoft.graph.windowsUpdateForBusinessConfiguration'

UPDATE_STATE = Entity(
    name='device update state',
    result_key='update_state',
    collection=('deviceManagement', 'deviceConfigurations', '{device_configuration_id}', WUFB_CAST, 'deviceUpdateStates'),
    id_option='id',
    natural_key='device_id',  # also a field: it is sent on create
    odata_type='#microsoft.graph.windowsUpdateState',
    scope_options=('device_configuration_id',),
    fields=[
        StrField('device_id', 'deviceId'),
        StrField('user_id', 'userId'),
        StrField('device_display_name', 'deviceDisplayName'),
        StrField('user_principal_name', 'userPrincipalName'),
        EnumField('status', 'status', STATUSES),
        StrField('quality_update_version', 'qualityUpdateVersion'),
        StrField('feature_update_version', 'featureUpdateVersion'),
        DateTimeField('last_scan_date_time', 'lastScanDateTime'),
        DateTimeField('last_sync_date_time', 'lastSyncDateTime'),
    ],
    # states: many states at once through $batch; states_file: the same from a CSV / JSON lines file.
    many=Many('states', 'update_states', file_option='states_file', scope_column='device_configuration_id',
              default_option='states_file_default_configuration_id'),
    listing=Listing('update_states', filters=[
        Filter('device_id'),  # also applies with id
        Filter('status'),
        Filter('user_principal_name', ignore_case=True),
    ]),
)
