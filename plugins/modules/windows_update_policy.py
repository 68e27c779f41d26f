#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_policy
short_description: Manage Windows Update deployment service quality update policies
version_added: 0.2.0
description:
  - Create, update and delete quality update policies of the Windows Update for Business deployment service
    (C(/admin/windows/updates/policies), type C(microsoft.graph.windowsUpdates.qualityUpdatePolicy)) through the
    Microsoft Graph beta API. Quality update rings (M(graphops.intune.windows_update_ring)) and approvals
    (M(graphops.intune.windows_update_policy_approval)) hang on a policy.
  - The policy is found by O(policy_id), or by O(display_name), which must then be unique among the policies.
  - Only the options that are set are managed. O(approval_rules) compares as a multiset (order does not matter, enum
    casing does not matter), and the PATCH holds only the fields that differ, so a second run reports no change and
    sends no write.
  - Needs the application permission C(WindowsUpdates.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.natural_key
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change.
  diff_mode:
    support: full
    description: Shows the policy before and after, as Graph returns it.
options:
  policy_id:
    description:
      - ID of the policy. When given with O(display_name), the policy is renamed.
      - A policy cannot be created with a chosen ID; an unknown O(policy_id) with O(state=present) fails.
    type: str
  display_name:
    description:
      - Display name of the policy, at most 200 characters. Identifies the policy when O(policy_id) is not given.
      - Required to create a policy.
    type: str
  description:
    description:
      - Description of the policy, at most 1500 characters.
    type: str
  approval_rules:
    description:
      - The policy's quality update approval rules (C(qualityUpdateApprovalRule) items of C(approvalRules)), that is
        which published quality updates the policy approves on an ongoing basis, and after how many days.
      - The list is the whole set of quality rules. Rules not listed are removed, an empty list removes them all.
        Rules of other types that Graph may hold (C(recoveryApprovalRule)) are kept as they are.
      - Required to create a policy (it may be empty).
    type: list
    elements: dict
    suboptions:
      classification:
        description:
          - Which quality updates the rule approves (C(qualityUpdateClassification)).
          - One of V(all), V(security), V(nonSecurity) or V(unknownFutureValue) (case-insensitive).
        type: str
        required: true
      cadence:
        description:
          - Release cadence the rule approves (C(qualityUpdateCadence)).
          - One of V(monthly), V(outOfBand) or V(unknownFutureValue) (case-insensitive).
        type: str
        required: true
      deferral_in_days:
        description:
          - Days between the release and the approval, from 0 to 30.
        type: int
        required: true
  state:
    description:
      - V(present) creates the policy or brings it to the given values; V(absent) deletes it (with its rings and approvals).
    type: str
    default: present
    choices: [present, absent]
seealso:
  - module: graphops.intune.windows_update_policy_info
  - module: graphops.intune.windows_update_ring
  - module: graphops.intune.windows_update_policy_approval
  - name: Update policy (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/windowsupdates-policy-update?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Quality update policy approving security updates after 3 days, previews never
  graphops.intune.windows_update_policy:
    display_name: Quality updates - Contoso
    description: Monthly security updates, out-of-band fixes at once
    approval_rules:
      - classification: security
        cadence: monthly
        deferral_in_days: 3
      - classification: security
        cadence: outOfBand
        deferral_in_days: 0
  register: policy

- name: Put a ring on it
  graphops.intune.windows_update_ring:
    policy_id: "{{ policy.policy.id }}"
    display_name: Ring1 - Pilot
    deferral_in_days: 0

- name: Remove the policy (Graph removes its rings and approvals too)
  graphops.intune.windows_update_policy:
    display_name: Quality updates - Old
    state: absent
'''

RETURN = r'''
policy:
  description:
    - The policy as Graph returns it after the change (camelCase, without C(@odata.*) annotations on the policy itself).
    - In check mode, the policy as it would be; a policy that would be created has no C(id) yet.
    - An empty dict when the policy is absent.
  returned: always
  type: dict
  sample:
    id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    displayName: Quality updates - Contoso
    description: Monthly security updates
    approvalRules:
      - "@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule"
        classification: security
        cadence: monthly
        deferralInDays: 3
    createdDateTime: "2024-06-01T09:00:00.0000000Z"
    lastModifiedDateTime: "2024-06-01T09:00:00.0000000Z"
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import POLICY
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(POLICY)


if __name__ == '__main__':
    main()
