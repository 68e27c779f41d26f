#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_feature_update_profile_info
short_description: List or get Intune Windows feature update profiles
version_added: 0.3.0
description:
  - Lists Intune's Windows feature update profiles (C(windowsFeatureUpdateProfile) at
    C(/deviceManagement/windowsFeatureUpdateProfiles), all pages), or gets one by O(profile_id) or O(display_name),
    through the Microsoft Graph beta API. Graph refuses C($filter) on this collection, so the filters apply to the listed profiles.
  - Each profile carries the read-only C(endOfSupportDate) and C(deployableContentDisplayName).
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
  feature_update_version:
    description:
      - Only the profiles of this Windows version (C(featureUpdateVersion)), in any casing, for example V(Windows 11, version 24H2).
    type: str
  include_assignments:
    description:
      - Add each profile's assignments (C(assignments), a list of C(windowsFeatureUpdateProfileAssignment)).
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_feature_update_profile
'''

EXAMPLES = r'''
- name: The feature update profiles with their assignments
  graphops.intune.windows_feature_update_profile_info:
    include_assignments: true
  register: feature

- name: Their versions and end of support
  ansible.builtin.debug:
    msg: "{{ feature.profiles | map(attribute='featureUpdateVersion') | zip(feature.profiles | map(attribute='endOfSupportDate')) | list }}"
'''

RETURN = r'''
profiles:
  description:
    - The profiles as Graph returns them (camelCase, without C(@odata.*) annotations).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1a2b3c4d-0000-4000-8000-000000000011
      displayName: Windows 11 24H2 - Pilot
      featureUpdateVersion: Windows 11, version 24H2
      endOfSupportDate: "2026-10-13T00:00:00Z"
      deployableContentDisplayName: Windows 11, version 24H2
      assignments:
        - id: 1a2b3c4d-0000-4000-8000-000000000011_4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_feature_update_profiles import FEATURE_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(FEATURE_UPDATE_PROFILE)


if __name__ == '__main__':
    main()
