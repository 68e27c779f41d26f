# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The quality update ring entity (windowsUpdates), shared by windows_update_ring(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import BoolField, GuidField, IntField, ListField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

ASSIGNMENT_TYPE = '#microsoft.graph.windowsUpdates.%sGroupAssignment'
ASSIGNED_GROUP_TYPE = '#microsoft.graph.windowsUpdates.assignedGroup'


class GroupAssignmentField(ListField):
    """A list of group ids in the task, a windowsUpdates included/excludedGroupAssignment object on the wire."""

    def __init__(self, option, graph, kind):
        super(GroupAssignmentField, self).__init__(option, graph, item=GuidField())
        self.kind = kind

    def to_wire(self, value):
        return {'@odata.type': ASSIGNMENT_TYPE % self.kind,
                'assignments': [{'@odata.type': ASSIGNED_GROUP_TYPE, 'groupId': group_id} for group_id in value]}

    def from_wire(self, wire):
        return [item.get('groupId') for item in (wire or {}).get('assignments') or [] if item.get('groupId')]

    def values(self, wire):
        return self.from_wire(wire)


RING = Entity(
    name='quality update ring',
    result_key='ring',
    collection=('admin', 'windows', 'updates', 'policies', '{policy_id}', 'rings'),
    id_option='ring_id',
    natural_key='display_name',
    odata_type='#microsoft.graph.windowsUpdates.qualityUpdateRing',
    patch_odata_type=True,  # ring is abstract: Graph wants the derived type on writes
    required_on_create=('display_name',),
    scope_options=('policy_id',),
    fields=[
        StrField('display_name', 'displayName', max_length=200),
        StrField('description', 'description', max_length=1500),
        IntField('deferral_in_days', 'deferralInDays', minimum=0, maximum=30),
        BoolField('is_paused', 'isPaused'),
        BoolField('is_hotpatch_enabled', 'isHotpatchEnabled'),
        GroupAssignmentField('included_group_ids', 'includedGroupAssignment', 'included'),
        GroupAssignmentField('excluded_group_ids', 'excludedGroupAssignment', 'excluded'),
    ],
    listing=Listing('rings', filters=[Filter('is_paused')]),
)
