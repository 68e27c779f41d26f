#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_ring
short_description: Manage Windows Update quality update rings
version_added: 0.1.0
description:
  - Create, update and delete quality update rings of a Windows Update for Business deployment service policy
    (C(/admin/windows/updates/policies/{policyId}/rings)) through the Microsoft Graph beta API.
  - The ring is found by O(ring_id), or by O(display_name), which must then be unique within the policy.
  - Only the options that are set are managed. Values are compared semantically (group ids as sets), and the
    PATCH holds only the fields that differ, so a second run reports no change and sends no write.
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
    description: Shows the ring before and after, as Graph returns it.
options:
  policy_id:
    description:
      - ID of the deployment service policy that holds the ring.
    type: str
    required: true
  ring_id:
    description:
      - ID of the ring. When given with O(display_name), the ring is renamed.
      - A ring cannot be created with a chosen ID; a missing O(ring_id) with O(state=present) fails.
    type: str
  display_name:
    description:
      - Display name of the ring, at most 200 characters. Identifies the ring when O(ring_id) is not given.
      - Required to create a ring.
    type: str
  description:
    description:
      - Description of the ring, at most 1500 characters.
    type: str
  deferral_in_days:
    description:
      - Quality update deferral period in days, from 0 to 30.
    type: int
  is_paused:
    description:
      - Whether quality updates are paused for the ring.
    type: bool
  is_hotpatch_enabled:
    description:
      - Whether hotpatch updates are enabled for the ring.
    type: bool
  included_group_ids:
    description:
      - Microsoft Entra group IDs the ring deploys to (C(includedGroupAssignment)). Compared as a set.
      - An empty list removes every included group.
    type: list
    elements: str
  excluded_group_ids:
    description:
      - Microsoft Entra group IDs excluded from the ring (C(excludedGroupAssignment)). Compared as a set.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the ring or brings it to the given values; V(absent) deletes it.
    type: str
    default: present
    choices: [present, absent]
seealso:
  - module: graphops.intune.windows_update_ring_info
  - name: Update ring (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/windowsupdates-ring-update?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Pilot ring, deferred 5 days, for the IT devices group
  graphops.intune.windows_update_ring:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    display_name: Ring1 - Pilot
    description: Pilot devices get quality updates after 5 days
    deferral_in_days: 5
    is_paused: false
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f

- name: Pause a ring by id (emergency stop)
  graphops.intune.windows_update_ring:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    ring_id: a2c7637a-cda5-e59e-2385-972c4ee528d2
    is_paused: true

- name: Credentials once for the play, through the action group
  module_defaults:
    group/graphops.intune.graph:
      tenant_id: "{{ lookup('env', 'AZURE_TENANT_ID') }}"
      client_id: "{{ lookup('env', 'AZURE_CLIENT_ID') }}"
      client_certificate_path: /etc/graphops/app.pem
      cloud: usgov
  block:
    - name: Remove the old ring
      graphops.intune.windows_update_ring:
        policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
        display_name: Ring9 - Retired
        state: absent
'''

RETURN = r'''
deleted_duplicates:
  description:
    - IDs of the copies of the natural key that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
    - With C(--diff), each is also shown as a removed entity.
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
ring:
  description:
    - The ring as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the ring as it would be; a ring that would be created has no C(id) yet.
    - An empty dict when the ring is absent.
  returned: always
  type: dict
  sample:
    id: a2c7637a-cda5-e59e-2385-972c4ee528d2
    displayName: Ring0 - IT devices
    description: First deployment ring to test updates before going to prod.
    deferralInDays: 5
    isPaused: false
    isHotpatchEnabled: true
    includedGroupAssignment:
      assignments: []
    excludedGroupAssignment:
      assignments: []
    createdDateTime: "2020-06-09T10:00:00Z"
    lastModifiedDateTime: "2020-06-09T10:00:00Z"
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.rings import RING
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(RING)


if __name__ == '__main__':
    main()
