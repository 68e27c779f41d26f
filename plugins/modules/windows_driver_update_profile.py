#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_driver_update_profile
short_description: Manage Intune Windows driver update profiles and their assignments
version_added: 0.3.0
description:
  - Create, update and delete Intune's Windows driver update profiles (C(windowsDriverUpdateProfile) at
    C(/deviceManagement/windowsDriverUpdateProfiles), the profiles that hold driver and firmware updates for review)
    through the Microsoft Graph beta API, together with their assignments.
  - The profile is found by O(profile_id), or by O(display_name), which must then be unique among the driver update profiles
    (matched on the listed names).
  - Only the options that are set are managed. Values are compared semantically (enums in any casing, scope tags as a set),
    and the PATCH holds only the fields that differ.
  - O(approval_type) is set when the profile is created and Graph never changes it; a task that asks for another value fails,
    unless O(recreate=true), which deletes the profile and creates it again (its other values and its assignments are carried
    over; its driver approvals are not).
  - Assignments are desired state too (O(included_group_ids), O(excluded_group_ids)), with one C(POST .../assign) only when the
    set of groups differs. Intune assigns driver update profiles to groups only, so O(all_devices) and O(all_users) fail.
  - A second run with the same options reads the profile (and its assignments when managed) and sends no write.
  - The drivers of a profile are listed by M(graphops.intune.windows_driver_update_inventory_info) and approved by
    M(graphops.intune.windows_driver_approval).
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
    description: Reads only; reports what would change, assignments and a recreation included.
  diff_mode:
    support: full
    description: Shows the profile before and after as Graph returns it, with an C(assignments) summary when assignments are managed.
options:
  profile_id:
    description:
      - ID of the profile. When given with O(display_name), the profile is renamed.
      - A profile cannot be created with a chosen ID; a missing O(profile_id) with O(state=present) fails.
    type: str
  display_name:
    description:
      - Name of the profile (C(displayName), at most 200 characters). Identifies it when O(profile_id) is not given.
        Required to create one.
    type: str
  description:
    description:
      - Description of the profile (C(description), at most 1500 characters).
    type: str
  approval_type:
    description:
      - How the profile's drivers are approved (C(approvalType), C(driverUpdateProfileApprovalType)). Required to create one.
      - V(manual) holds the drivers for review (M(graphops.intune.windows_driver_approval)); V(automatic) approves the recommended
        drivers after O(deployment_deferral_in_days).
      - Set on create only; see O(recreate).
    type: str
    choices: [manual, automatic]
  deployment_deferral_in_days:
    description:
      - Days an automatically approved driver waits before it deploys (C(deploymentDeferralInDays), 0 to 30); used with
        V(automatic) approval.
    type: int
  role_scope_tag_ids:
    description:
      - Scope tag IDs of the profile (C(roleScopeTagIds)). Compared as a set.
    type: list
    elements: str
  recreate:
    description:
      - When the profile exists with another O(approval_type), delete it and create it again with the wanted one, its other
        values and its assignments (the new profile has a new ID, an empty driver inventory until Intune syncs it, and none
        of the old driver approvals). Without it such a task fails and changes nothing.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the profile or brings it to the given values; V(absent) deletes it (with its assignments).
    type: str
    default: present
    choices: [present, absent]
notes:
  - Read-only properties (C(createdDateTime), C(lastModifiedDateTime), C(inventorySyncStatus), C(newUpdates), C(deviceReporting))
    are returned but are not options.
seealso:
  - module: graphops.intune.windows_driver_update_profile_info
  - module: graphops.intune.windows_driver_update_inventory_info
  - module: graphops.intune.windows_driver_approval
  - name: windowsDriverUpdateProfile (Microsoft Graph beta)
    description: The resource this module manages.
    link: https://learn.microsoft.com/graph/api/resources/intune-softwareupdate-windowsdriverupdateprofile?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Drivers of the pilot devices held for review
  graphops.intune.windows_driver_update_profile:
    display_name: Drivers - Pilot
    description: Drivers and firmware approved by hand for the pilot ring
    approval_type: manual
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
    excluded_group_ids:
      - 5f6a7b8c-2222-4d3e-8f9a-1b2c3d4e5f60

- name: Recommended drivers approved automatically, deployed a week later
  graphops.intune.windows_driver_update_profile:
    display_name: Drivers - Broad
    approval_type: automatic
    deployment_deferral_in_days: 7

- name: Turn a manual profile into an automatic one (a new profile replaces it)
  graphops.intune.windows_driver_update_profile:
    display_name: Drivers - Pilot
    approval_type: automatic
    recreate: true

- name: Remove a retired profile
  graphops.intune.windows_driver_update_profile:
    display_name: Drivers - Old
    state: absent
'''

RETURN = r'''
deleted_duplicates:
  description:
    - IDs of the copies of the display name that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
recreated:
  description: The profile was (in check mode, would be) deleted and created again for O(recreate).
  returned: when the profile was recreated
  type: bool
  sample: true
profile:
  description:
    - The profile as Graph returns it after the change (camelCase, without C(@odata.*) annotations), with its inventory sync
      status (C(inventorySyncStatus)), the number of new driver updates (C(newUpdates)) and of reporting devices
      (C(deviceReporting)).
    - In check mode, the profile as it would be; a profile that would be created has no C(id) yet.
    - An empty dict when the profile is absent.
  returned: always
  type: dict
  sample:
    id: 2b3c4d5e-0000-4000-8000-000000000001
    displayName: Drivers - Pilot
    approvalType: manual
    deploymentDeferralInDays: 0
    newUpdates: 3
    deviceReporting: 42
    inventorySyncStatus:
      driverInventorySyncState: success
      lastSuccessfulSyncDateTime: '2026-11-30T06:00:00Z'
    roleScopeTagIds: ["0"]
assignments:
  description:
    - The assignment targets the profile has after the change (in check mode, would have), by kind.
  returned: when an assignment option is set, or when the profile is recreated
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_driver_update_profiles import DRIVER_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(DRIVER_PROFILE)


if __name__ == '__main__':
    main()
