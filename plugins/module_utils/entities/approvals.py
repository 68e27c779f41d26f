# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The policy approval entity (windowsUpdates), shared by windows_update_policy_approval(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity, Resource
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError

# Graph beta metadata: microsoft.graph.windowsUpdates.approvalStatus.
STATUSES = ('approved', 'suspended', 'unknownFutureValue')


class ApprovalEntity(Entity):
    """The catalog entry ID identifies the approval and never changes: it is not part of a PATCH."""

    def patch(self, desired, current):
        desired = dict((option, value) for option, value in desired.items() if option != self.natural_key)
        return super(ApprovalEntity, self).patch(desired, current)


class ApprovalResource(Resource):
    """Catalog entry IDs are GUIDs: matched case-insensitively. Graph keeps one approval per catalog entry
    and answers 409 Conflict to a second: when another run created it between our read and our POST, the
    approval is read again and brought to the desired status like any existing one."""

    def _create(self, desired):
        try:
            return super(ApprovalResource, self)._create(desired)
        except GraphError as exc:
            if exc.status != 409:
                raise
            found = self.find_by_natural_key(desired.get(self.entity.natural_key))
            if found is None:
                raise
            return self._update(desired, found)

    def _matches(self, value):
        wanted = str(value).lower()
        return [item for item in self.client.get_all(self.entity.collection_path(self.params))
                if isinstance(item, dict) and str(item.get('catalogEntryId') or '').lower() == wanted]


def _approval(natural_key):
    return ApprovalEntity(
        name='policy approval',
        result_key='approval',
        collection=lambda p: ('admin', 'windows', 'updates', 'policies', p['policy_id'], 'approvals'),
        id_option='approval_id',
        natural_key=natural_key,  # also a field: it is sent on create (and never changes)
        odata_type='#microsoft.graph.windowsUpdates.policyApproval',
        required_on_create=('catalog_entry_id',),
        scope_options=('policy_id', 'catalog_entry_id'),
        fields=[
            Field('catalog_entry_id', 'catalogEntryId'),
            Field('status', 'status', kind='enum', choices=STATUSES),
        ],
    )


APPROVAL = _approval('catalog_entry_id')
# For windows_update_policy_approval_info, where catalog_entry_id is a filter (any casing), not a lookup key.
APPROVAL_LISTING = _approval(None)
