#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_quality_update_policy
short_description: Manage Intune Windows quality update policies (hotpatch) and their assignments
version_added: 0.3.0
description:
  - Create, update and delete Intune's Windows quality update policies (C(windowsQualityUpdatePolicy) at
    C(/deviceManagement/windowsQualityUpdatePolicies), the policies that turn hotpatch on) through the Microsoft Graph
    beta API, together with their assignments.
  - The policy is found by O(policy_id), or by O(display_name), which must then be unique among the policies.
  - Only the options that are set are managed. Values are compared semantically (enums in any casing, approval settings
    as a multiset, scope tags as a set), and the PATCH holds only the fields that differ.
  - Assignments are desired state too (O(included_group_ids), O(excluded_group_ids), O(all_devices), O(all_users)), with
    one C(POST .../assign) only when the set of targets differs.
  - A second run with the same options reads the policy (and its assignments when managed) and sends no write.
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.natural_key
  - graphops.intune.assignments
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change, assignments included.
  diff_mode:
    support: full
    description: Shows the policy before and after as Graph returns it, with an C(assignments) summary when assignments are managed.
options:
  policy_id:
    description:
      - ID of the policy. When given with O(display_name), the policy is renamed.
      - A policy cannot be created with a chosen ID; a missing O(policy_id) with O(state=present) fails.
    type: str
  display_name:
    description:
      - Name of the policy (C(displayName), at most 200 characters). Identifies it when O(policy_id) is not given.
        Required to create one.
    type: str
  description:
    description:
      - Description of the policy (C(description), at most 1500 characters).
    type: str
  hotpatch_enabled:
    description:
      - Whether quality updates are applied as hotpatches, without a restart (C(hotpatchEnabled)); V(false) gives the
        devices the cold patch of each quality update.
    type: bool
  approval_settings:
    description:
      - How each group of quality updates is approved (C(approvalSettings), at most 6 settings).
      - The complete list, compared in any order by content (a multiset). Keys left out of every item are not
        compared; a changed list is sent as given.
      - An empty list removes every setting.
    type: list
    elements: dict
    suboptions:
      cadence:
        description:
          - Publishing cadence of the updates (C(windowsQualityUpdateCadence)), in any casing; one of V(monthly),
            V(outOfBand), V(unknownFutureValue).
        type: str
        required: true
      category:
        description:
          - Category of the updates (C(windowsQualityUpdateCategory)), in any casing; one of V(all), V(security),
            V(nonSecurity), V(unknownFutureValue), V(quickMachineRecovery).
        type: str
        required: true
      approval_method:
        description:
          - How they are approved (C(approvalMethodType)), in any casing; V(manual), V(automatic) or V(unknownFutureValue).
        type: str
        required: true
      deferred_deployment_in_days:
        description:
          - Days an automatically approved update waits before it deploys (C(deferredDeploymentInDay), Int32, 0 or more);
            not used with V(manual) approval.
        type: int
  role_scope_tag_ids:
    description:
      - Scope tag IDs of the policy (C(roleScopeTagIds)). Compared as a set.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the policy or brings it to the given values; V(absent) deletes it (with its assignments).
    type: str
    default: present
    choices: [present, absent]
notes:
  - Read-only properties (C(createdDateTime), C(lastModifiedDateTime)) are returned but are not options.
seealso:
  - module: graphops.intune.windows_quality_update_policy_info
  - module: graphops.intune.windows_update_for_business_configuration
  - name: windowsQualityUpdatePolicy (Microsoft Graph beta)
    description: The resource this module manages.
    link: https://learn.microsoft.com/graph/api/resources/intune-softwareupdate-windowsqualityupdatepolicy?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Hotpatch for the pilot devices, security updates approved automatically after 2 days
  graphops.intune.windows_quality_update_policy:
    display_name: Hotpatch - Pilot
    description: Hotpatch security updates for the pilot ring
    hotpatch_enabled: true
    approval_settings:
      - cadence: monthly
        category: security
        approval_method: automatic
        deferred_deployment_in_days: 2
      - cadence: outOfBand
        category: security
        approval_method: manual
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f

- name: Turn hotpatch off for a policy, by id
  graphops.intune.windows_quality_update_policy:
    policy_id: 1a2b3c4d-0000-4000-8000-000000000001
    hotpatch_enabled: false

- name: Remove a retired policy
  graphops.intune.windows_quality_update_policy:
    display_name: Hotpatch - Old
    state: absent
'''

RETURN = r'''
deleted_duplicates:
  description:
    - IDs of the copies of the display name that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
    - With C(--diff), each is also shown as a removed entity.
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
policy:
  description:
    - The policy as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the policy as it would be; a policy that would be created has no C(id) yet.
    - An empty dict when the policy is absent.
  returned: always
  type: dict
  sample:
    id: 1a2b3c4d-0000-4000-8000-000000000001
    displayName: Hotpatch - Pilot
    hotpatchEnabled: true
    approvalSettings:
      - windowsQualityUpdateCadence: monthly
        windowsQualityUpdateCategory: security
        approvalMethodType: automatic
        deferredDeploymentInDay: 2
    roleScopeTagIds: ["0"]
assignments:
  description:
    - The assignment targets the policy has after the change (in check mode, would have), by kind.
    - C(other) lists targets of kinds without an option, kept as they are.
  returned: when an assignment option is set
  type: dict
  sample:
    included_group_ids: [4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f]
    excluded_group_ids: []
    all_devices: false
    all_users: false
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors
  type: int
  sample: 400
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
  sample: BadRequest
request_id:
  description: C(request-id) of the failed Graph request, for Microsoft support.
  returned: on Graph errors
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_policies import QUALITY_UPDATE_POLICY
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(QUALITY_UPDATE_POLICY)


if __name__ == '__main__':
    main()
