#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_policy_approval_info
short_description: Read the approvals of a Windows Update deployment service policy
version_added: 0.2.0
description:
  - Lists the approvals of a quality update policy (C(/admin/windows/updates/policies/{policyId}/approvals)), or reads
    one by O(approval_id), with filters on the catalog entry and the status.
  - Needs the application permission C(WindowsUpdates.Read.All) or C(WindowsUpdates.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.INFO
options:
  policy_id:
    description:
      - ID of the quality update policy.
    type: str
    required: true
  approval_id:
    description:
      - ID of one approval. An unknown ID returns an empty list.
    type: str
  catalog_entry_id:
    description:
      - Only the approval of this catalog entry.
    type: str
  status:
    description:
      - Only the approvals with this status.
    type: str
    choices: [approved, suspended, unknownFutureValue]
seealso:
  - module: graphops.intune.windows_update_policy_approval
  - module: graphops.intune.windows_update_catalog_info
'''

EXAMPLES = r'''
- name: Suspended approvals of a policy
  graphops.intune.windows_update_policy_approval_info:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    status: suspended
  register: suspended

- name: Name them
  ansible.builtin.debug:
    msg: "{{ suspended.approvals | map(attribute='catalogEntryId') | list }}"
'''

RETURN = r'''
approvals:
  description: The approvals as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6a1b2c3d-0000-4000-8000-0000000a0001
      catalogEntryId: c1dec151-c151-c1de-51c1-dec151c1dec1
      status: approved
      createdDateTime: "2024-04-10T08:00:00.0000000Z"
      lastModifiedDateTime: "2024-04-10T08:00:00.0000000Z"
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.approvals import APPROVAL
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(APPROVAL)


if __name__ == '__main__':
    main()
