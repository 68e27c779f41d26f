# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows Update for Business device update state entity (windowsUpdateState), shared by
device_update_state(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity

# microsoft.graph.windowsUpdateStatus (beta metadata and API page agree).
STATUSES = ('upToDate', 'pendingInstallation', 'pendingReboot', 'failed')
WUFB_CAST = 'microsoft.graph.windowsUpdateForBusinessConfiguration'

UPDATE_STATE = Entity(
    name='device update state',
    result_key='update_state',
    collection=lambda p: ('deviceManagement', 'deviceConfigurations', p['device_configuration_id'], WUFB_CAST, 'deviceUpdateStates'),
    id_option='id',
    natural_key='device_id',  # also a field: it is sent on create
    odata_type='#microsoft.graph.windowsUpdateState',
    scope_options=('device_configuration_id',),
    fields=[
        Field('device_id', 'deviceId'),
        Field('user_id', 'userId'),
        Field('device_display_name', 'deviceDisplayName'),
        Field('user_principal_name', 'userPrincipalName'),
        Field('status', 'status', kind='enum', choices=STATUSES),
        Field('quality_update_version', 'qualityUpdateVersion'),
        Field('feature_update_version', 'featureUpdateVersion'),
        Field('last_scan_date_time', 'lastScanDateTime', kind='datetime'),
        Field('last_sync_date_time', 'lastSyncDateTime', kind='datetime'),
    ],
)
