#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_policy_approval
short_description: Approve or suspend a Windows update on a deployment service policy
version_added: 0.2.0
description:
  - Create, update and delete the approvals of a quality update policy of the Windows Update for Business deployment
    service (C(/admin/windows/updates/policies/{policyId}/approvals), type C(microsoft.graph.windowsUpdates.policyApproval)).
  - An approval names a catalog entry (see M(graphops.intune.windows_update_catalog_info)); the policy's rings then
    deploy it after their deferral. Suspending an approval is the emergency stop of an update already rolling out.
  - The approval is found by O(catalog_entry_id), which is unique within the policy. A second run reports no change and
    sends no write.
  - Needs the application permission C(WindowsUpdates.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change.
  diff_mode:
    support: full
    description: Shows the approval before and after, as Graph returns it.
options:
  policy_id:
    description:
      - ID of the quality update policy that holds the approval.
    type: str
    required: true
  catalog_entry_id:
    description:
      - ID of the catalog entry (a quality update) the approval is for. Identifies the approval within the policy.
    type: str
    required: true
  status:
    description:
      - V(approved) deploys the update, V(suspended) stops its deployment (C(approvalStatus)).
      - V(unknownFutureValue) is accepted as Graph's metadata lists it.
    type: str
    default: approved
    choices: [approved, suspended, unknownFutureValue]
  state:
    description:
      - V(present) creates the approval or sets its O(status); V(absent) deletes it.
    type: str
    default: present
    choices: [present, absent]
seealso:
  - module: graphops.intune.windows_update_policy_approval_info
  - module: graphops.intune.windows_update_catalog_info
  - module: graphops.intune.windows_update_policy
  - name: Update policyApproval (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/windowsupdates-policyapproval-update?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Newest security quality update of the catalog
  graphops.intune.windows_update_catalog_info:
    kind: quality
    classification: security
    latest: true
  register: newest

- name: Approve it on the policy
  graphops.intune.windows_update_policy_approval:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    catalog_entry_id: "{{ newest.entries[0].id }}"

- name: Emergency stop of an update already rolling out
  graphops.intune.windows_update_policy_approval:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    catalog_entry_id: c1dec151-c151-c1de-51c1-dec151c1dec1
    status: suspended
'''

RETURN = r'''
approval:
  description:
    - The approval as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the approval as it would be; one that would be created has no C(id) yet.
    - An empty dict when the approval is absent.
  returned: always
  type: dict
  sample:
    id: 6a1b2c3d-0000-4000-8000-0000000a0001
    catalogEntryId: c1dec151-c151-c1de-51c1-dec151c1dec1
    status: approved
    createdDateTime: "2024-04-10T08:00:00.0000000Z"
    lastModifiedDateTime: "2024-04-10T08:00:00.0000000Z"
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.approvals import APPROVAL
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(APPROVAL)


if __name__ == '__main__':
    main()
