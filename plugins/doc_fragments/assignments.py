# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Modules whose entity has Intune assignments (Entity(..., assignments=Assignments(...)), engine/assignments.py).
    DOCUMENTATION = r'''
options:
  included_group_ids:
    description:
      - Microsoft Entra group object IDs (GUIDs) the entity is assigned to (C(groupAssignmentTarget)). Compared as a set.
      - An empty list removes every included group.
    type: list
    elements: str
  excluded_group_ids:
    description:
      - Microsoft Entra group object IDs (GUIDs) excluded from the entity (C(exclusionGroupAssignmentTarget)). Compared as a set.
    type: list
    elements: str
  all_devices:
    description:
      - Whether the entity is assigned to all devices (C(allDevicesAssignmentTarget)).
    type: bool
  all_users:
    description:
      - Whether the entity is assigned to all licensed users (C(allLicensedUsersAssignmentTarget)).
    type: bool
notes:
  - Assignments are desired state. When any of O(included_group_ids), O(excluded_group_ids), O(all_devices), O(all_users)
    is set, the current assignments are read (C(GET .../assignments)) and compared as a set of targets; one
    C(POST .../assign) with the whole new set is sent only when it differs. Target kinds whose option is not set are kept
    as they are, with their assignment filters.
'''
