#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: device_configuration_state_info
short_description: List or get the configuration states of an Intune managed device
version_added: 0.1.0
description:
  - Lists the configuration states (C(deviceConfigurationStates)) of an Intune managed device (all pages), or gets one by
    O(id) or O(display_name), through the Microsoft Graph beta API.
  - Reads C(/deviceManagement/managedDevices/{managedDeviceId}/deviceConfigurationStates), or
    C(/users/{userId}/managedDevices/{managedDeviceId}/deviceConfigurationStates) when O(user_id) is given.
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) (or C(DeviceManagementManagedDevices.Read.All)).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  managed_device_id:
    description:
      - ID of the Intune managed device.
    type: str
    required: true
  user_id:
    description:
      - ID of the user the device belongs to; the states are then read through C(/users/{userId}/managedDevices).
    type: str
  id:
    description:
      - Get only this state. A missing state gives an empty list.
    type: str
  display_name:
    description:
      - Only the states with this display name.
    type: str
  compliance_state:
    description:
      - Only the states whose Graph C(state) is this value, in any casing, for example V(nonCompliant) or V(error).
      - One of V(unknown), V(notApplicable), V(compliant), V(remediated), V(nonCompliant), V(error), V(conflict),
        V(notAssigned).
    type: str
seealso:
  - module: graphops.intune.device_configuration_state
'''

EXAMPLES = r'''
- name: All configuration states of a device
  graphops.intune.device_configuration_state_info:
    managed_device_id: d1e2f3a4-0000-4000-8000-000000000001
  register: states

- name: Policies in error on a user's device
  graphops.intune.device_configuration_state_info:
    user_id: e5f6a7b8-0000-4000-8000-000000000002
    managed_device_id: d1e2f3a4-0000-4000-8000-000000000002
    compliance_state: error
  register: failing
'''

RETURN = r'''
configuration_states:
  description: The configuration states, as Graph returns them, without C(@odata.*) annotations.
  returned: success
  type: list
  elements: dict
  sample:
    - id: 11692784-2784-1169-8427-691184276911
      displayName: Windows 10 baseline
      version: 7
      platformType: windows10AndLater
      state: compliant
      settingCount: 2
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.configuration_states import CONFIGURATION_STATE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(CONFIGURATION_STATE)


if __name__ == '__main__':
    main()
