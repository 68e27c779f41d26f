#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_os_image
short_description: Update the metadata of a Windows OS image (managedDeviceWindowsOSImages)
version_added: 0.1.0
description:
  - Brings a Windows operating system image's metadata (C(/deviceManagement/managedDeviceWindowsOSImages/{id})) to the given
    editions, architectures and available updates through the Microsoft Graph beta API.
  - The image is found by O(id), a Windows product version such as C(Windows 11 22H1). The module quotes it in the URL.
  - Graph offers no way to create or delete an image, so a missing O(id) fails.
  - Only the options that are set are managed. Values are compared semantically (architectures as a set and in any
    casing, editions and updates in any order, dates as dates), and the PATCH holds only the fields that differ,
    so a second run reports no change and sends no write.
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
    description: Shows the image before and after, as Graph returns it.
options:
  id:
    description:
      - ID of the image, a Windows product version such as C(Windows 11 22H1). Give it unquoted; spaces are quoted in the URL.
    type: str
    required: true
  supported_editions:
    description:
      - The editions the image supports, with their end of support dates (C(supportedEditions)).
      - The complete list, compared in any order. Keys left out of every item are not compared; a changed list is sent
        as given.
      - An empty list removes every edition.
    type: list
    elements: dict
    suboptions:
      edition_type:
        description:
          - The edition (C(editionType)), in any casing; sent in Graph's casing.
          - One of V(professional), V(professionalN), V(enterprise), V(enterpriseN), V(education), V(educationN),
            V(proEducation), V(proEducationN), V(proWorkstation), V(proWorkstationN), V(unknownFutureValue)
            (Graph beta's C(managedDeviceWindowsOperatingSystemEditionType)).
        type: str
      support_end_date:
        description:
          - End of support of the edition (C(supportEndDate)), a date in the form C(YYYY-MM-DD).
        type: str
  supported_architectures:
    description:
      - The architectures the image supports (C(supportedArchitectures)). Compared as a set, in any casing; sent in
        Graph's casing.
      - Each one of V(unknown), V(x86), V(x64), V(arm), V(arM64) (Graph beta's C(managedDeviceArchitecture)), so
        C(ARM64) and C(arm64) mean V(arM64).
      - An empty list removes every architecture.
    type: list
    elements: str
  available_updates:
    description:
      - The quality or security updates available for the image (C(availableUpdates)).
      - The complete list, compared in any order. Keys left out of every item are not compared; a changed list is sent
        as given.
    type: list
    elements: dict
    suboptions:
      build_version:
        description:
          - Build version of the update (C(buildVersion)), for example C(10.0.22000.2899).
        type: str
      release_month:
        description:
          - Month of the update's release (C(releaseMonth)).
        type: int
      release_year:
        description:
          - Year of the update's release (C(releaseYear)).
        type: int
notes:
  - Graph documents these properties as read-only and Microsoft maintains the catalogue; a tenant may refuse the PATCH.
    Use M(graphops.intune.windows_os_image_info) to read the images.
seealso:
  - module: graphops.intune.windows_os_image_info
  - name: Update managedDeviceWindowsOperatingSystemImage (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/intune-devices-manageddevicewindowsoperatingsystemimage-update?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Windows 11 22H1 supports x64 and ARM64
  graphops.intune.windows_os_image:
    id: Windows 11 22H1
    supported_architectures: [x64, ARM64]

- name: Editions and their end of support
  graphops.intune.windows_os_image:
    id: Windows 11 22H1
    supported_editions:
      - edition_type: enterprise
        support_end_date: "2025-10-14"
      - edition_type: professionalN
        support_end_date: "2024-10-08"

- name: Available updates
  graphops.intune.windows_os_image:
    id: Windows 10 22H2
    available_updates:
      - build_version: 10.0.19045.4291
        release_month: 4
        release_year: 2024
'''

RETURN = r'''
os_image:
  description:
    - The image as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the image as it would be.
  returned: success
  type: dict
  sample:
    id: Windows 11 22H1
    supportedEditions:
      - editionType: professionalN
        supportEndDate: "2024-10-08"
    supportedArchitectures: [x64, arM64]
    availableUpdates:
      - buildVersion: 10.0.22000.2899
        releaseMonth: 4
        releaseYear: 2024
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors
  type: int
  sample: 403
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
  sample: Forbidden
request_id:
  description: C(request-id) of the failed Graph request, for Microsoft support.
  returned: on Graph errors
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.os_images import OS_IMAGE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(OS_IMAGE)


if __name__ == '__main__':
    main()
