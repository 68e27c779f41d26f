#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_for_business_configuration_info
short_description: List or get Intune update ring profiles (Windows Update for Business configurations)
version_added: 0.2.0
description:
  - Lists the Intune update ring profiles (device configurations of type
    C(#microsoft.graph.windowsUpdateForBusinessConfiguration), all pages, filtered with C(isof())), or gets one by
    O(device_configuration_id) or O(display_name), through the Microsoft Graph beta API.
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
  device_configuration_id:
    description:
      - Get only this profile. A missing profile, or a device configuration of another type, gives an empty list.
    type: str
  display_name:
    description:
      - Only the profiles with this display name.
    type: str
  include_assignments:
    description:
      - Add each profile's assignments (C(assignments), a list of C(deviceConfigurationAssignment)).
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_update_for_business_configuration
'''

EXAMPLES = r'''
- name: All update ring profiles with their assignments
  graphops.intune.windows_update_for_business_configuration_info:
    include_assignments: true
  register: profiles

- name: Names of the paused profiles
  ansible.builtin.debug:
    msg: "{{ profiles.configurations | selectattr('qualityUpdatesPaused') | map(attribute='displayName') | list }}"
'''

RETURN = r'''
configurations:
  description:
    - The profiles as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
      displayName: WUfB - Pilot ring
      qualityUpdatesDeferralPeriodInDays: 5
      assignments:
        - id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01_4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.wufb_configurations import WUFB_CONFIGURATION
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(WUFB_CONFIGURATION)


if __name__ == '__main__':
    main()
