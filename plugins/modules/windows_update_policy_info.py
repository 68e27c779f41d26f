#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_policy_info
short_description: Read Windows Update deployment service quality update policies
version_added: 0.2.0
description:
  - Lists the quality update policies of the Windows Update for Business deployment service
    (C(/admin/windows/updates/policies)), or reads one by O(policy_id) or O(display_name).
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
      - ID of one policy. An unknown ID returns an empty list.
    type: str
  display_name:
    description:
      - Only the policies with this display name (exact match).
    type: str
seealso:
  - module: graphops.intune.windows_update_policy
  - module: graphops.intune.windows_update_policy_approval_info
  - module: graphops.intune.windows_update_ring_info
'''

EXAMPLES = r'''
- name: All quality update policies
  graphops.intune.windows_update_policy_info:
  register: found

- name: Their names and approval rules
  ansible.builtin.debug:
    msg: "{{ item.displayName }}: {{ item.approvalRules | length }} approval rule(s)"
  loop: "{{ found.policies }}"
  loop_control:
    label: "{{ item.id }}"

- name: One policy by name
  graphops.intune.windows_update_policy_info:
    display_name: Quality updates - Contoso
  register: contoso
'''

RETURN = r'''
policies:
  description: The policies as Graph returns them (camelCase, without C(@odata.*) annotations on the policy itself).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
      displayName: Quality updates - Contoso
      description: Monthly security updates
      approvalRules:
        - "@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule"
          classification: security
          cadence: monthly
          deferralInDays: 3
      createdDateTime: "2024-06-01T09:00:00.0000000Z"
      lastModifiedDateTime: "2024-06-01T09:00:00.0000000Z"
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import POLICY
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(POLICY)


if __name__ == '__main__':
    main()
