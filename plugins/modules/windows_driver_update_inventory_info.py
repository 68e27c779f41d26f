#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_driver_update_inventory_info
short_description: List the drivers of an Intune Windows driver update profile
version_added: 0.3.0
description:
  - Lists the drivers and firmware of an Intune Windows driver update profile (C(windowsDriverUpdateInventory) at
    C(/deviceManagement/windowsDriverUpdateProfiles/{id}/driverInventories), all pages) through the Microsoft Graph beta API,
    narrowed by the filters given (all of them must match).
  - With O(sync=true), first asks Intune to refresh the inventory (C(POST .../syncInventory)) and waits, at most
    O(sync_timeout) seconds, for the profile's C(inventorySyncStatus) to show a newer successful sync. In check mode the sync
    is not requested (a warning says so).
  - Values Graph returns that this module does not name (a new approval status or category) are returned as they are.
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) or C(DeviceManagementConfiguration.ReadWrite.All)
    (C(DeviceManagementConfiguration.ReadWrite.All) with O(sync=true)).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  profile_id:
    description:
      - ID of the driver update profile.
    type: str
    required: true
  driver_id:
    description:
      - Get only this driver (a missing driver gives an empty list).
    type: str
  approval_status:
    description:
      - Only the drivers of this C(approvalStatus) (C(driverApprovalStatus), in any casing); one of V(needsReview), V(declined),
        V(approved), V(suspended).
    type: str
  category:
    description:
      - Only the drivers of this C(category) (C(driverCategory), in any casing); one of V(recommended), V(previouslyApproved),
        V(other).
    type: str
  driver_class:
    description:
      - Only the drivers of this C(driverClass) (in any casing), for example V(Display), V(Net), V(Firmware).
    type: str
  manufacturer:
    description:
      - Only the drivers of this C(manufacturer) (in any casing).
    type: str
  name:
    description:
      - Only the drivers whose C(name) matches this shell-style pattern (C(*), C(?), C([...])), in any casing.
    type: str
  released_before:
    description:
      - Only the drivers released (C(releaseDateTime)) strictly before this instant (ISO 8601 with an offset) or date
        (C(YYYY-MM-DD), midnight UTC).
    type: str
  sync:
    description:
      - Refresh the inventory first (C(syncInventory)) and wait for it.
    type: bool
    default: false
  sync_timeout:
    description:
      - Seconds to wait for the sync to show in the profile's C(inventorySyncStatus) (O(sync=true)); the task fails after them.
    type: int
    default: 300
seealso:
  - module: graphops.intune.windows_driver_update_profile
  - module: graphops.intune.windows_driver_approval
  - name: windowsDriverUpdateInventory (Microsoft Graph beta)
    description: The resource this module lists.
    link: https://learn.microsoft.com/graph/api/resources/intune-softwareupdate-windowsdriverupdateinventory?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Display drivers waiting for review, after a fresh inventory sync
  graphops.intune.windows_driver_update_inventory_info:
    profile_id: 2b3c4d5e-0000-4000-8000-000000000001
    approval_status: needsReview
    driver_class: Display
    sync: true
  register: waiting

- name: Their names and versions
  ansible.builtin.debug:
    msg: "{{ waiting.drivers | map(attribute='name') | zip(waiting.drivers | map(attribute='version')) | list }}"
'''

RETURN = r'''
drivers:
  description:
    - The drivers as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7f1e2d3c-0000-4000-8000-00000000d001
      name: Intel(R) UHD Graphics
      version: 31.0.101.5333
      manufacturer: Intel Corporation
      driverClass: Display
      category: recommended
      approvalStatus: needsReview
      releaseDateTime: '2026-10-14T00:00:00Z'
      applicableDeviceCount: 12
inventory_sync_status:
  description: The profile's C(inventorySyncStatus) (after the sync, with O(sync=true)).
  returned: always
  type: dict
  sample:
    driverInventorySyncState: success
    lastSuccessfulSyncDateTime: '2026-11-30T06:00:00Z'
synced:
  description: The inventory was synced before it was listed.
  returned: when O(sync=true), not in check mode
  type: bool
  sample: true
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
    INVENTORY_ARGUMENT_SPEC, read_inventory, DRIVER_INVENTORY)
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(DRIVER_INVENTORY, INVENTORY_ARGUMENT_SPEC, read=read_inventory)


if __name__ == '__main__':
    main()
