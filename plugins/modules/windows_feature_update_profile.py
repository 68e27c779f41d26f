#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_feature_update_profile
short_description: Manage Intune Windows feature update profiles (a pinned Windows version) and their assignments
version_added: 0.3.0
description:
  - Create, update and delete Intune's Windows feature update profiles (C(windowsFeatureUpdateProfile) at
    C(/deviceManagement/windowsFeatureUpdateProfiles)), which keep the devices of their groups on one Windows version
    until the profile changes, through the Microsoft Graph beta API, together with their assignments.
  - The profile is found by O(profile_id), or by O(display_name), which must then be unique among the feature update
    profiles. Graph refuses C($filter) on this collection, so the profiles are listed and matched by name.
  - Only the options that are set are managed. Values are compared semantically (the version in any casing, dates as
    instants, scope tags as a set), and the PATCH holds only the fields that differ.
  - Assignments are desired state too (O(included_group_ids), O(excluded_group_ids)); one C(POST .../assign) only when the
    set of groups differs. Intune assigns these profiles to groups only; O(all_devices=true) or O(all_users=true) fails
    before any request.
  - The result carries the read-only C(endOfSupportDate) and C(deployableContentDisplayName) Graph computes from the version.
  - A second run with the same options reads the profile (and its assignments when managed) and sends no write.
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
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
    description: Reads only; reports what would change, assignments included.
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
  feature_update_version:
    description:
      - The Windows version the devices are kept on (C(featureUpdateVersion)), as Intune names it, for example
        V(Windows 11, version 24H2). Compared in any casing. Required to create a profile.
    type: str
  rollout:
    description:
      - When the update is offered (C(rolloutSettings), a C(windowsUpdateRolloutSettings)), compared and sent whole, as the
        Intune admin center's rollout options are.
      - V({}) (no date) makes it available as soon as possible; O(rollout.offer_start) alone makes it available on that
        date; O(rollout.offer_start), O(rollout.offer_end) and O(rollout.offer_interval_in_days) together make it
        available gradually, to one offer group every O(rollout.offer_interval_in_days) days.
      - A gradual rollout ends after it starts, and when it is written (created or changed) it must start at least two
        days from now, as the admin center asks; an unchanged rollout is never checked against the clock.
    type: dict
    suboptions:
      offer_start:
        description:
          - First day the update is offered (C(offerStartDateTimeInUTC)); a date-time, or a date (midnight UTC).
        type: str
      offer_end:
        description:
          - Day the last offer group gets the update (C(offerEndDateTimeInUTC)), gradual rollout only.
        type: str
      offer_interval_in_days:
        description:
          - Days between two offer groups (C(offerIntervalInDays), Int32, 1 or more), gradual rollout only.
        type: int
  install_feature_updates_optional:
    description:
      - Whether the update is offered as optional, installed only when the user chooses to (C(installFeatureUpdatesOptional));
        V(false) makes it required. Needs a Windows Autopatch license.
    type: bool
  install_latest_windows10_on_windows11_ineligible_device:
    description:
      - C(installLatestWindows10OnWindows11IneligibleDevice). Graph now refuses V(true) (Windows 10 reached its end of
        support, and Intune dropped the option), so V(true) fails before any request with that reason; V(false) is accepted.
    type: bool
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
  - Read-only properties (C(createdDateTime), C(lastModifiedDateTime), C(endOfSupportDate), C(deployableContentDisplayName))
    are returned but are not options.
seealso:
  - module: graphops.intune.windows_feature_update_profile_info
  - module: graphops.intune.windows_quality_update_profile
  - name: windowsFeatureUpdateProfile (Microsoft Graph beta)
    description: The resource this module manages.
    link: https://learn.microsoft.com/graph/api/resources/intune-softwareupdate-windowsfeatureupdateprofile?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Keep the pilot devices on Windows 11 24H2, offered as soon as possible
  graphops.intune.windows_feature_update_profile:
    display_name: Windows 11 24H2 - Pilot
    feature_update_version: Windows 11, version 24H2
    rollout: {}
    included_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f

- name: Offer 24H2 to everyone else gradually, one offer group a week
  graphops.intune.windows_feature_update_profile:
    display_name: Windows 11 24H2 - Broad
    feature_update_version: Windows 11, version 24H2
    rollout:
      offer_start: "2027-01-11"
      offer_end: "2027-02-08"
      offer_interval_in_days: 7
    install_feature_updates_optional: false
    included_group_ids:
      - 5f6a7b8c-2222-4d3e-8f90-1a2b3c4d5e6f
    excluded_group_ids:
      - 4e5f6a7b-1111-4c2d-9e8f-0a1b2c3d4e5f

- name: Remove a retired profile
  graphops.intune.windows_feature_update_profile:
    display_name: Windows 11 23H2 - Broad
    state: absent
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
    - The profile as Graph returns it after the change (camelCase, without C(@odata.*) annotations), with the read-only
      C(endOfSupportDate) and C(deployableContentDisplayName).
    - In check mode, the profile as it would be; a profile that would be created has no C(id) yet.
    - An empty dict when the profile is absent.
  returned: always
  type: dict
  sample:
    id: 1a2b3c4d-0000-4000-8000-000000000011
    displayName: Windows 11 24H2 - Pilot
    featureUpdateVersion: Windows 11, version 24H2
    rolloutSettings: {offerStartDateTimeInUTC: null, offerEndDateTimeInUTC: null, offerIntervalInDays: null}
    installFeatureUpdatesOptional: false
    installLatestWindows10OnWindows11IneligibleDevice: false
    endOfSupportDate: "2026-10-13T00:00:00Z"
    deployableContentDisplayName: Windows 11, version 24H2
    roleScopeTagIds: ["0"]
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

from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_feature_update_profiles import FEATURE_UPDATE_PROFILE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(FEATURE_UPDATE_PROFILE)


if __name__ == '__main__':
    main()
