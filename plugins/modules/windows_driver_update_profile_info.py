#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_driver_update_profile_info
short_description: List or get Intune Windows driver update profiles
version_added: 0.3.0
description:
  - Lists Intune's Windows driver update profiles (C(windowsDriverUpdateProfile) at
    C(/deviceManagement/windowsDriverUpdateProfiles), all pages), or gets one by O(profile_id) or O(display_name),
    through the Microsoft Graph beta API, each with its inventory sync status, new updates and reporting devices.
  - With O(include_assignments=true), each profile also carries C(assignments) as Graph returns them
    (one C(GET .../assignments) per profile).
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) or C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  profile_id:
    description:
      - Get only this profile. A missing profile gives an empty list.
    type: str
  display_name:
    description:
      - Only the profiles with this display name.
    type: str
  approval_type:
    description:
      - Only the profiles of this C(approvalType).
    type: str
    choices: [manual, automatic]
  include_assignments:
    description:
      - Add each profile's assignments (C(assignments), a list of C(windowsDriverUpdateProfileAssignment)).
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_driver_update_profile
  - module: graphops.intune.windows_driver_update_inventory_info
'''

EXAMPLES = r'''
- name: The manual driver profiles with their assignments
  graphops.intune.windows_driver_update_profile_info:
    approval_type: manual
    include_assignments: true
  register: driver_profiles

- name: New drivers waiting in each
  ansible.builtin.debug:
    msg: "{{ driver_profiles.profiles | map(attribute='newUpdates') | list }}"
'''

RETURN = r'''
profiles:
  description:
    - The profiles as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2b3c4d5e-0000-4000-8000-000000000001
      displayName: Drivers - Pilot
      approvalType: manual
      newUpdates: 3
      deviceReporting: 42
      inventorySyncStatus:
        driverInventorySyncState: success
        lastSuccessfulSyncDateTime: '2026-11-30T06:00:00Z'
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_driver_update_profiles import DRIVER_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(DRIVER_PROFILE)


if __name__ == '__main__':
    main()
