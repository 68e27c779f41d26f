# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The quality update ring entity (windowsUpdates), shared by windows_update_ring(_info)."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity

ASSIGNMENT_TYPE = '#microsoft.graph.windowsUpdates.%sGroupAssignment'
ASSIGNED_GROUP_TYPE = '#microsoft.graph.windowsUpdates.assignedGroup'


def group_assignment(kind):
    """to_wire/from_wire between a list of group ids and Graph's assignment object."""
    def to_wire(group_ids):
        return {'@odata.type': ASSIGNMENT_TYPE % kind,
                'assignments': [{'@odata.type': ASSIGNED_GROUP_TYPE, 'groupId': group_id} for group_id in group_ids]}

    def from_wire(wire):
        return [item.get('groupId') for item in (wire or {}).get('assignments') or [] if item.get('groupId')]
    return to_wire, from_wire


def _assignment_field(option, graph, kind):
    to_wire, from_wire = group_assignment(kind)
    return Field(option, graph, kind='list', element='guid', to_wire=to_wire, from_wire=from_wire)


RING = Entity(
    name='quality update ring',
    result_key='ring',
    collection=lambda p: ('admin', 'windows', 'updates', 'policies', p['policy_id'], 'rings'),
    id_option='ring_id',
    natural_key='display_name',
    odata_type='#microsoft.graph.windowsUpdates.qualityUpdateRing',
    patch_odata_type=True,  # ring is abstract: Graph wants the derived type on writes
    required_on_create=('display_name',),
    scope_options=('policy_id',),
    fields=[
        Field('display_name', 'displayName', max_length=200),
        Field('description', 'description', max_length=1500),
        Field('deferral_in_days', 'deferralInDays', kind='int', minimum=0, maximum=30),
        Field('is_paused', 'isPaused', kind='bool'),
        Field('is_hotpatch_enabled', 'isHotpatchEnabled', kind='bool'),
        _assignment_field('included_group_ids', 'includedGroupAssignment', 'included'),
        _assignment_field('excluded_group_ids', 'excludedGroupAssignment', 'excluded'),
    ],
)
