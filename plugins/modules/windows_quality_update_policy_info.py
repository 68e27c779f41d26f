#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_quality_update_policy_info
short_description: List or get Intune Windows quality update policies (hotpatch)
version_added: 0.3.0
description:
  - Lists Intune's Windows quality update policies (C(windowsQualityUpdatePolicy) at
    C(/deviceManagement/windowsQualityUpdatePolicies), all pages), or gets one by O(policy_id) or O(display_name),
    through the Microsoft Graph beta API.
  - With O(include_assignments=true), each policy also carries C(assignments) as Graph returns them
    (one C(GET .../assignments) per policy).
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) or C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  policy_id:
    description:
      - Get only this policy. A missing policy gives an empty list.
    type: str
  display_name:
    description:
      - Only the policies with this display name.
    type: str
  hotpatch_enabled:
    description:
      - Only the policies whose C(hotpatchEnabled) is this value.
    type: bool
  include_assignments:
    description:
      - Add each policy's assignments (C(assignments), a list of C(windowsQualityUpdatePolicyAssignment)).
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_quality_update_policy
'''

EXAMPLES = r'''
- name: The hotpatch policies with their assignments
  graphops.intune.windows_quality_update_policy_info:
    hotpatch_enabled: true
    include_assignments: true
  register: hotpatch

- name: Their names
  ansible.builtin.debug:
    msg: "{{ hotpatch.policies | map(attribute='displayName') | list }}"
'''

RETURN = r'''
policies:
  description:
    - The policies as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1a2b3c4d-0000-4000-8000-000000000001
      displayName: Hotpatch - Pilot
      hotpatchEnabled: true
      approvalSettings:
        - windowsQualityUpdateCadence: monthly
          windowsQualityUpdateCategory: security
          approvalMethodType: automatic
          deferredDeploymentInDay: 2
      assignments:
        - id: 1a2b3c4d-0000-4000-8000-000000000001_4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
          target:
            groupId: 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors
  type: int
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
request_id:
  description: C(request-id) of the failed Graph request.
  returned: on Graph errors
  type: str
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_policies import QUALITY_UPDATE_POLICY
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(QUALITY_UPDATE_POLICY)


if __name__ == '__main__':
    main()
