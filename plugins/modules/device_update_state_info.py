#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: device_update_state_info
short_description: List or get the device update states of a Windows Update for Business configuration
version_added: 0.1.0
description:
  - Lists the device update states (C(windowsUpdateState)) of a Windows Update for Business device configuration (all
    pages), or gets one by O(id) or O(device_id), through the Microsoft Graph beta API.
  - O(status) and O(user_principal_name) filter the result on the client side.
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) (or C(DeviceManagementConfiguration.ReadWrite.All)).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  device_configuration_id:
    description:
      - ID of the Windows Update for Business device configuration.
    type: str
    required: true
  id:
    description:
      - Get only this state. A missing state gives an empty list.
    type: str
  device_id:
    description:
      - Only the states of this device (C(deviceId)).
    type: str
  status:
    description:
      - Only the states with this status, one of C(upToDate), C(pendingInstallation), C(pendingReboot) and C(failed),
        in any casing.
    type: str
  user_principal_name:
    description:
      - Only the states of this user principal name, compared case-insensitively.
    type: str
seealso:
  - module: graphops.intune.device_update_state
'''

EXAMPLES = r'''
- name: All update states of a configuration
  graphops.intune.device_update_state_info:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
  register: result

- name: Devices whose updates failed
  graphops.intune.device_update_state_info:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    status: failed
  register: failed_devices

- name: Report them
  ansible.builtin.debug:
    msg: "{{ failed_devices.update_states | map(attribute='deviceDisplayName') | list }}"
'''

RETURN = r'''
update_states:
  description: The states, as Graph returns them, without C(@odata.*) annotations.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f
      deviceId: d1e2f3a4-0000-4000-8000-000000000001
      userId: e5f6a7b8-0000-4000-8000-000000000001
      deviceDisplayName: PC-0001
      userPrincipalName: AdeleV@contoso.onmicrosoft.com
      status: upToDate
      qualityUpdateVersion: 10.0.22631.3296
      featureUpdateVersion: 10.0.22631.2428
      lastScanDateTime: "2024-03-13T06:12:44.1234567Z"
      lastSyncDateTime: "2024-03-13T06:15:02.7654321Z"
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.update_states import UPDATE_STATE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(UPDATE_STATE)


if __name__ == '__main__':
    main()
