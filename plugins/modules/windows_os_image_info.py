#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_os_image_info
short_description: List or get Windows OS images (managedDeviceWindowsOSImages)
version_added: 0.1.0
description:
  - Lists the Windows operating system images of C(/deviceManagement/managedDeviceWindowsOSImages) (all pages), or gets one
    by O(id), through the Microsoft Graph beta API.
  - Needs the application permission C(DeviceManagementConfiguration.Read.All) or C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.info
options:
  id:
    description:
      - Get only this image, for example C(Windows 11 22H1) (quoted in the URL by the module). A missing image gives an empty list.
    type: str
  supported_architecture:
    description:
      - Only the images that support this architecture, in any casing, for example V(arM64) or C(ARM64).
      - One of V(unknown), V(x86), V(x64), V(arm), V(arM64).
    type: str
seealso:
  - module: graphops.intune.windows_os_image
'''

EXAMPLES = r'''
- name: All Windows OS images
  graphops.intune.windows_os_image_info:
  register: images

- name: Product versions that support ARM64
  ansible.builtin.debug:
    msg: "{{ images.os_images | selectattr('supportedArchitectures', 'contains', 'arM64') | map(attribute='id') | list }}"

- name: One image
  graphops.intune.windows_os_image_info:
    id: Windows 11 22H1
  register: image
'''

RETURN = r'''
os_images:
  description: The images, as Graph returns them, without C(@odata.*) annotations.
  returned: success
  type: list
  elements: dict
  sample:
    - id: Windows 11 22H1
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
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors
  type: str
request_id:
  description: C(request-id) of the failed Graph request.
  returned: on Graph errors
  type: str
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.os_images import OS_IMAGE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(OS_IMAGE)


if __name__ == '__main__':
    main()
