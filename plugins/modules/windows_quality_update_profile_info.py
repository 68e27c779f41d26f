#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_quality_update_profile_info
short_description: List or get Intune Windows quality update profiles (expedited quality updates)
version_added: 0.3.0
description:
  - Lists Intune's Windows quality update profiles (C(windowsQualityUpdateProfile) at
    C(/deviceManagement/windowsQualityUpdateProfiles), all pages), or gets one by O(profile_id) or O(display_name),
    through the Microsoft Graph beta API.
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
  include_assignments:
    description:
      - Add each profile's assignments (C(assignments), a list of C(windowsQualityUpdateProfileAssignment)).
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_quality_update_profile
'''

EXAMPLES = r'''
- name: The expedite profiles with their assignments
  graphops.intune.windows_quality_update_profile_info:
    include_assignments: true
  register: expedite

- name: Their releases
  ansible.builtin.debug:
    msg: "{{ expedite.profiles | map(attribute='expeditedUpdateSettings.qualityUpdateRelease') | list }}"
'''

RETURN = r'''
profiles:
  description:
    - The profiles as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1a2b3c4d-0000-4000-8000-000000000021
      displayName: Expedite - Pilot
      expeditedUpdateSettings: {qualityUpdateRelease: "2024-04-09T00:00:00Z", daysUntilForcedReboot: 1}
      releaseDateDisplayName: April 9, 2024
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_profiles import QUALITY_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(QUALITY_UPDATE_PROFILE)


if __name__ == '__main__':
    main()
