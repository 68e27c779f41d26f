# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policy approval entity (windowsUpdates), shared by windows_update_policy_approval(_info).

Internal to graphops.intune; not a public API.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import Field
from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import ScopedEntity

# Graph beta metadata: microsoft.graph.windowsUpdates.approvalStatus.
STATUSES = ('approved', 'suspended', 'unknownFutureValue')

APPROVAL = ScopedEntity(
    name='policy approval',
    key='approval',
    collection=lambda p: ('admin', 'windows', 'updates', 'policies', p['policy_id'], 'approvals'),
    id_option='approval_id',
    natural_key='catalog_entry_id',  # also a field: it is sent on create (and never changes)
    odata_type='#microsoft.graph.windowsUpdates.policyApproval',
    required_on_create=('catalog_entry_id',),
    scope_options=('policy_id', 'catalog_entry_id'),
    fields=[
        Field('catalog_entry_id', 'catalogEntryId'),
        Field('status', 'status', kind='enum', choices=STATUSES),
    ],
)
