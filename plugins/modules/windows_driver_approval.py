#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_driver_approval
short_description: Approve, decline or suspend drivers of an Intune Windows driver update profile
version_added: 0.3.0
description:
  - Brings the drivers of a manual Intune Windows driver update profile to the wanted O(approval_status) through the Microsoft
    Graph beta API, with one C(POST .../windowsDriverUpdateProfiles/{id}/executeAction) (C(actionName) V(approve), V(decline) or
    V(suspend)) that names the drivers whose status differs, and none when no status differs.
  - The drivers are named by O(driver_ids), or chosen by filters (O(current_approval_status), O(category), O(driver_class),
    O(manufacturer), O(name), O(released_before)); with both, the listed drivers the filters match. At least one is required.
  - An approved driver whose C(deployDateTime) differs from O(deployment_date) is approved again with that date.
  - A profile of V(automatic) approval is refused, since Intune approves its drivers itself.
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
attributes:
  check_mode:
    support: full
    description: Reads only; reports which drivers would change.
  diff_mode:
    support: full
    description: Shows each driver that changes, its status (and deployment date) before and after.
options:
  profile_id:
    description:
      - ID of the driver update profile (of V(manual) approval).
    type: str
    required: true
  approval_status:
    description:
      - The status the drivers must have (C(driverApprovalStatus)).
    type: str
    required: true
    choices: [approved, declined, suspended]
  deployment_date:
    description:
      - When approved drivers deploy (C(deploymentDate)), an instant (ISO 8601 with an offset) or a date (C(YYYY-MM-DD),
        midnight UTC). Only with O(approval_status=approved); without it Intune deploys them from now on.
    type: str
  driver_ids:
    description:
      - IDs of the drivers (of the profile's inventory; an ID that is not there fails before any write).
    type: list
    elements: str
  current_approval_status:
    description:
      - Only the drivers whose C(approvalStatus) is now this one (in any casing); one of V(needsReview), V(declined),
        V(approved), V(suspended).
    type: str
  category:
    description:
      - Only the drivers of this C(category) (in any casing); one of V(recommended), V(previouslyApproved), V(other).
    type: str
  driver_class:
    description:
      - Only the drivers of this C(driverClass) (in any casing).
    type: str
  manufacturer:
    description:
      - Only the drivers of this C(manufacturer) (in any casing).
    type: str
  name:
    description:
      - Only the drivers whose C(name) matches this shell-style pattern, in any casing.
    type: str
  released_before:
    description:
      - Only the drivers released strictly before this instant or date.
    type: str
seealso:
  - module: graphops.intune.windows_driver_update_inventory_info
  - module: graphops.intune.windows_driver_update_profile
  - name: executeAction (Microsoft Graph beta)
    description: The action this module calls.
    link: https://learn.microsoft.com/graph/api/intune-softwareupdate-windowsdriverupdateprofile-executeaction?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Approve the recommended display drivers waiting for review, deployed from the first of next month
  graphops.intune.windows_driver_approval:
    profile_id: 2b3c4d5e-0000-4000-8000-000000000001
    approval_status: approved
    current_approval_status: needsReview
    category: recommended
    driver_class: Display
    deployment_date: '2026-12-01'

- name: Suspend one driver
  graphops.intune.windows_driver_approval:
    profile_id: 2b3c4d5e-0000-4000-8000-000000000001
    approval_status: suspended
    driver_ids:
      - 7f1e2d3c-0000-4000-8000-00000000d001
'''

RETURN = r'''
action:
  description: The C(actionName) the drivers needed (sent only when C(driver_ids) is not empty).
  returned: always
  type: str
  sample: approve
driver_ids:
  description: The drivers whose status differed (in check mode, that would change); empty when none differs.
  returned: always
  type: list
  elements: str
  sample: [7f1e2d3c-0000-4000-8000-00000000d001]
drivers:
  description: The selected drivers as Graph returns them after the change (in check mode, as they are).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7f1e2d3c-0000-4000-8000-00000000d001
      name: Intel(R) UHD Graphics
      approvalStatus: approved
      deployDateTime: '2026-12-01T00:00:00Z'
action_result:
  description: Graph's C(bulkDriverActionResult) of the C(executeAction).
  returned: when the action was sent
  type: dict
  sample:
    successfulDriverIds: [7f1e2d3c-0000-4000-8000-00000000d001]
    failedDriverIds: []
    notFoundDriverIds: []
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_driver_update_profiles import (
    APPROVAL_ARGUMENT_SPEC, apply_approval, DRIVER_INVENTORY)
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(DRIVER_INVENTORY, APPROVAL_ARGUMENT_SPEC, apply=apply_approval)


if __name__ == '__main__':
    main()
