#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: device_configuration_state
short_description: Update the configuration state of a policy on an Intune managed device
version_added: 0.1.0
description:
  - Brings a device configuration state (C(deviceConfigurationState)) of an Intune managed device to the given values
    through the Microsoft Graph beta API.
  - The state lives at C(/deviceManagement/managedDevices/{managedDeviceId}/deviceConfigurationStates/{id}), or at
    C(/users/{userId}/managedDevices/{managedDeviceId}/deviceConfigurationStates/{id}) when O(user_id) is given.
  - The state is found by O(id), or by O(display_name), which must then be unique on the device.
  - Graph offers no way to create or delete a configuration state (Intune reports them), so a missing state fails.
  - Only the options that are set are managed. Values are compared semantically (enums in any casing, setting states
    in any order, by content), and the PATCH holds only the fields that differ, so a second run reports no change and
    sends no write.
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
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
    description: Shows the configuration state before and after, as Graph returns it.
options:
  managed_device_id:
    description:
      - ID of the Intune managed device that holds the state.
    type: str
    required: true
  user_id:
    description:
      - ID of the user the device belongs to. When given, the state is reached through C(/users/{userId}/managedDevices),
        and a device that is not that user's is not found.
    type: str
  id:
    description:
      - ID of the configuration state. When given with O(display_name), the state is renamed.
    type: str
  display_name:
    description:
      - Name of the policy the state reports on (C(displayName)). Identifies the state when O(id) is not given.
    type: str
  version:
    description:
      - Version of the policy (C(version), Int32).
    type: int
  platform_type:
    description:
      - Platform the policy applies to (C(platformType)), in any casing; sent in Graph's casing.
      - One of V(android), V(androidForWork), V(iOS), V(macOS), V(windowsPhone81), V(windows81AndLater),
        V(windows10AndLater), V(androidWorkProfile), V(windows10XProfile), V(androidAOSP), V(all)
        (Graph beta's C(policyPlatformType), wider than the API page).
    type: str
  compliance_state:
    description:
      - Compliance state of the policy on the device, Graph's C(state) property (this module's name avoids Ansible's
        C(state) convention). In any casing; sent in Graph's casing.
      - One of V(unknown), V(notApplicable), V(compliant), V(remediated), V(nonCompliant), V(error), V(conflict),
        V(notAssigned) (Graph beta's C(complianceStatus)).
    type: str
  setting_count:
    description:
      - Number of settings the policy holds (C(settingCount), Int32).
    type: int
  setting_states:
    description:
      - The states of the policy's settings (C(settingStates)).
      - The complete list, compared in any order by content. Keys left out of every item (at any depth, also in
        O(setting_states[].sources)) are not compared; a changed list is sent as given, so give every key you want Graph
        to keep.
      - An empty list removes every setting state.
    type: list
    elements: dict
    suboptions:
      setting:
        description: The setting (C(setting)).
        type: str
      setting_name:
        description: Localized name of the setting (C(settingName)).
        type: str
      setting_instance_id:
        description: Setting instance ID (C(settingInstanceId)).
        type: str
      instance_display_name:
        description: Name of the setting instance (C(instanceDisplayName)).
        type: str
      state:
        description:
          - Compliance state of the setting (C(state)), in any casing; one of the values of O(compliance_state).
        type: str
      error_code:
        description: Error code of the setting (C(errorCode), Int64).
        type: int
      error_description:
        description: Error description (C(errorDescription)).
        type: str
      user_id:
        description: ID of the user the setting state is for (C(userId)).
        type: str
      user_name:
        description: Name of the user (C(userName)).
        type: str
      user_email:
        description: Email address of the user (C(userEmail)).
        type: str
      user_principal_name:
        description: User principal name (C(userPrincipalName)).
        type: str
      current_value:
        description: Current value of the setting on the device (C(currentValue)).
        type: str
      sources:
        description:
          - The policies the setting comes from (C(sources)), compared in any order by content.
        type: list
        elements: dict
        suboptions:
          id:
            description: ID of the source policy.
            type: str
          display_name:
            description: Name of the source policy (C(displayName)).
            type: str
          source_type:
            description:
              - Kind of source (C(sourceType)), in any casing; V(deviceConfiguration) or V(deviceIntent).
            type: str
notes:
  - Intune computes these states from the devices' reports; a real tenant may refuse or later overwrite a PATCH.
seealso:
  - module: graphops.intune.device_configuration_state_info
  - name: Update deviceConfigurationState (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfigurationstate-update?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Mark the baseline as remediated on PC-0001
  graphops.intune.device_configuration_state:
    managed_device_id: d1e2f3a4-0000-4000-8000-000000000001
    display_name: Windows 10 baseline
    compliance_state: remediated

- name: Through the user's devices, by id
  graphops.intune.device_configuration_state:
    user_id: e5f6a7b8-0000-4000-8000-000000000001
    managed_device_id: d1e2f3a4-0000-4000-8000-000000000001
    id: 11692784-2784-1169-8427-691184276911
    platform_type: windows10AndLater
    setting_count: 1
    setting_states:
      - setting: passwordRequired
        setting_name: Require password
        state: compliant
        current_value: "true"
        sources:
          - id: c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c
            display_name: Windows 10 baseline
'''

RETURN = r'''
configuration_state:
  description:
    - The configuration state as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the state as it would be.
  returned: success
  type: dict
  sample:
    id: 11692784-2784-1169-8427-691184276911
    displayName: Windows 10 baseline
    version: 7
    platformType: windows10AndLater
    state: compliant
    settingCount: 1
    settingStates:
      - setting: passwordRequired
        settingName: Require password
        state: compliant
        errorCode: 0
        currentValue: "true"
        sources:
          - id: c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c
            displayName: Windows 10 baseline
            sourceType: deviceConfiguration
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors
  type: int
  sample: 404
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
  sample: ResourceNotFound
request_id:
  description: C(request-id) of the failed Graph request, for Microsoft support.
  returned: on Graph errors
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.configuration_states import CONFIGURATION_STATE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(CONFIGURATION_STATE)


if __name__ == '__main__':
    main()
