# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The policy approval entity (windowsUpdates), shared by windows_update_policy_approval(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import EnumField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

# Graph beta metadata: microsoft.graph.windowsUpdates.approvalStatus.
STATUSES = ('approved', 'suspended', 'unknownFutureValue')

APPROVAL = Entity(
    name='policy approval',
    result_key='approval',
    collection=('admin', 'windows', 'updates', 'policies', '{policy_id}', 'approvals'),
    id_option='approval_id',
    # The catalog entry ID identifies the approval: sent on create, never in a PATCH, matched in any casing.
    natural_key='catalog_entry_id',
    module_identity=('catalog_entry_id',),
    # Graph keeps one approval per catalog entry and answers 409 Conflict to a second: when another run
    # created it between our read and our POST, it is read again and brought to the desired status.
    unique_natural_key=True,
    odata_type='#microsoft.graph.windowsUpdates.policyApproval',
    required_on_create=('catalog_entry_id',),
    scope_options=('policy_id',),
    id_options=('catalog_entry_id',),
    fields=[
        StrField('catalog_entry_id', 'catalogEntryId', ignore_case=True, create_only=True),
        EnumField('status', 'status', STATUSES, ansible_choices=True, default='approved'),
    ],
    # catalog_entry_id is a filter of the _info module (any casing), not a lookup key.
    listing=Listing('approvals', filters=[Filter('catalog_entry_id', ignore_case=True), Filter('status')]),
)
