#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_quality_update_profile
short_description: Manage Intune Windows quality update profiles (expedited quality updates) and their assignments
version_added: 0.3.0
description:
  - Create, update and delete Intune's Windows quality update profiles (C(windowsQualityUpdateProfile) at
    C(/deviceManagement/windowsQualityUpdateProfiles)), which expedite one quality update release to the devices of their
    groups with a forced-reboot deadline, through the Microsoft Graph beta API, together with their assignments.
  - The profile is found by O(profile_id), or by O(display_name), which must then be unique among the quality update profiles.
  - Only the options that are set are managed. The release compares as an instant, scope tags as a set, and the PATCH holds
    only the fields that differ; O(quality_update_release) and O(days_until_forced_reboot) are the two properties of
    C(expeditedUpdateSettings), which is sent whole (the one not given carried over from Graph's).
  - O(quality_update_release=latest_security) expedites the newest security release of the Windows Update catalog, found
    as M(graphops.intune.windows_update_catalog_info) finds it with O(graphops.intune.windows_update_catalog_info#module:kind=quality),
    O(graphops.intune.windows_update_catalog_info#module:classification=security) and
    O(graphops.intune.windows_update_catalog_info#module:latest=true); the release and its catalog entry are returned under RV(resolved).
  - Assignments are desired state too (O(included_group_ids), O(excluded_group_ids)); one C(POST .../assign) only when the
    set of groups differs. Intune assigns these profiles to groups only; O(all_devices=true) or O(all_users=true) fails
    before any request.
  - A second run with the same options reads the profile (and its assignments when managed) and sends no write.
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All), and C(WindowsUpdates.ReadWrite.All)
    to read the catalog for O(quality_update_release=latest_security).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.natural_key
  - graphops.intune.assignments
attributes:
  check_mode:
    support: full
    description: Reads only (the catalog too); reports what would change, assignments included.
  diff_mode:
    support: full
    description: Shows the profile before and after as Graph returns it, with an C(assignments) summary when assignments are managed.
options:
  profile_id:
    description:
      - ID of the profile. When given with O(display_name), the profile is renamed.
      - A profile cannot be created with a chosen ID; a missing O(profile_id) with O(state=present) fails.
    type: str
  display_name:
    description:
      - Name of the profile (C(displayName)). Identifies it when O(profile_id) is not given. Required to create one.
    type: str
  description:
    description:
      - Description of the profile (C(description)).
    type: str
  quality_update_release:
    description:
      - The release to expedite (C(expeditedUpdateSettings.qualityUpdateRelease)), named by its release date as Graph names
        releases, V(2025-04-08T00:00:00Z); a plain date V(2025-04-08) is that day at midnight UTC. Compared as an instant.
      - V(latest_security) is the newest security release of the Windows Update catalog at the time of the run.
      - Required to create a profile.
    type: str
  days_until_forced_reboot:
    description:
      - Days after the installation before a required restart is forced (C(expeditedUpdateSettings.daysUntilForcedReboot)),
        V(0) to V(2), as in the admin center.
    type: int
  role_scope_tag_ids:
    description:
      - Scope tag IDs of the profile (C(roleScopeTagIds)). Compared as a set.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the profile or brings it to the given values; V(absent) deletes it (with its assignments).
    type: str
    default: present
    choices: [present, absent]
notes:
  - Read-only properties (C(createdDateTime), C(lastModifiedDateTime), C(releaseDateDisplayName), C(deployableContentDisplayName))
    are returned but are not options.
seealso:
  - module: graphops.intune.windows_quality_update_profile_info
  - module: graphops.intune.windows_update_catalog_info
  - module: graphops.intune.windows_feature_update_profile
  - name: windowsQualityUpdateProfile (Microsoft Graph beta)
    description: The resource this module manages.
    link: https://learn.microsoft.com/graph/api/resources/intune-softwareupdate-windowsqualityupdateprofile?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Expedite the newest security release to the pilot devices, restart forced after a day
  graphops.intune.windows_quality_update_profile:
    display_name: Expedite - Pilot
    quality_update_release: latest_security
    days_until_forced_reboot: 1
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f
  register: expedite

- name: Which release that was
  ansible.builtin.debug:
    msg: "{{ expedite.resolved.quality_update_release.release | default(expedite.profile.expeditedUpdateSettings.qualityUpdateRelease) }}"

- name: Expedite a given release
  graphops.intune.windows_quality_update_profile:
    display_name: Expedite - April
    quality_update_release: "2025-04-08"
    days_until_forced_reboot: 2
    included_group_ids:
      - 5f6a7b8c-2222-4d3e-8f90-1a2b3c4d5e6f
'''

RETURN = r'''
deleted_duplicates:
  description:
    - IDs of the copies of the display name that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
profile:
  description:
    - The profile as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the profile as it would be; a profile that would be created has no C(id) yet.
    - An empty dict when the profile is absent.
  returned: always
  type: dict
  sample:
    id: 1a2b3c4d-0000-4000-8000-000000000021
    displayName: Expedite - Pilot
    expeditedUpdateSettings: {qualityUpdateRelease: "2024-04-09T00:00:00Z", daysUntilForcedReboot: 1}
    releaseDateDisplayName: April 9, 2024
    deployableContentDisplayName: 04/09/2024 - 2024.04 B Security Updates for Windows
    roleScopeTagIds: ["0"]
resolved:
  description:
    - What O(quality_update_release=latest_security) named at the time of the run.
  returned: when O(quality_update_release=latest_security)
  type: dict
  contains:
    quality_update_release:
      description: C(from) (V(latest_security)), C(release) (the release name sent) and C(catalog_entry) (the catalog entry, with its C(@odata.type)).
      type: dict
  sample:
    quality_update_release:
      from: latest_security
      release: "2024-04-09T00:00:00Z"
      catalog_entry: {id: c1dec151-0000-4000-8000-000000202404, displayName: 2024-04 Cumulative Update for Windows 11}
assignments:
  description:
    - The assignment targets the profile has after the change (in check mode, would have), by kind.
  returned: when an assignment option is set
  type: dict
  sample:
    included_group_ids: [4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f]
    excluded_group_ids: []
    all_devices: false
    all_users: false
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_quality_update_profiles import QUALITY_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(QUALITY_UPDATE_PROFILE)


if __name__ == '__main__':
    main()
