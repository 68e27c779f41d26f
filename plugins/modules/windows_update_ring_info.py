#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_ring_info
short_description: List or get Windows Update quality update rings
version_added: 0.1.0
description:
  - Lists the quality update rings of a Windows Update for Business deployment service policy (all pages), or gets one
    by O(ring_id) or O(display_name), through the Microsoft Graph beta API.
  - Needs the application permission C(WindowsUpdates.ReadWrite.All) (Graph has no read-only permission for it).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  policy_id:
    description:
      - ID of the deployment service policy.
    type: str
    required: true
  ring_id:
    description:
      - Get only this ring. A missing ring gives an empty list.
    type: str
  display_name:
    description:
      - Only the rings with this display name.
    type: str
  is_paused:
    description:
      - Only paused (V(true)) or running (V(false)) rings.
    type: bool
seealso:
  - module: graphops.intune.windows_update_ring
'''

EXAMPLES = r'''
- name: All rings of a policy
  graphops.intune.windows_update_ring_info:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
  register: result

- name: Paused rings
  graphops.intune.windows_update_ring_info:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    is_paused: true
  register: paused
'''

RETURN = r'''
rings:
  description: The rings, as Graph returns them, without C(@odata.*) annotations.
  returned: always
  type: list
  elements: dict
  sample:
    - id: a2c7637a-cda5-e59e-2385-972c4ee528d2
      displayName: Ring0 - IT devices
      deferralInDays: 5
      isPaused: false
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.rings import RING
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(RING)


if __name__ == '__main__':
    main()
