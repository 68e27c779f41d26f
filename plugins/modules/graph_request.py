#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: graph_request
short_description: Send any request to Microsoft Graph
version_added: 0.1.0
description:
  - An escape hatch for the Graph calls the other modules of the collection do not cover, in the spirit of
    C(azure.azcollection.azure_rm_resource). It uses the same credentials, endpoints, retries (throttling honouring
    C(Retry-After), transient errors, one token refresh) and error reporting as the other modules.
  - O(method=GET) never reports a change. Every other method reports C(changed=true) when Graph answers with a success
    status; use C(changed_when) to refine it.
  - It is not idempotent by itself; prefer the entity modules where they exist.
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
attributes:
  check_mode:
    support: partial
    description: Can run in check mode; only reads are sent.
    details:
      - Partial because a write cannot be previewed. O(method=GET) is sent as usual and returns Graph's data.
      - Any other method (C(POST), C(PATCH), C(PUT), C(DELETE)) is not sent. The module reports C(changed=true), that the
        write would be sent, without knowing whether Graph would accept it or whether it would change anything; the
        result has no RV(status), RV(response) or RV(request_id).
      - A C(POST) that only reads is not sent either; set C(check_mode=false) on such a task to send it even under C(--check).
  diff_mode:
    support: none
    description: Returns no diff.
options:
  method:
    description:
      - The HTTP method.
    type: str
    default: GET
    choices: [GET, POST, PATCH, PUT, DELETE]
  path:
    description:
      - The path of the resource, relative to the API version (O(api_version)), for example
        C(deviceManagement/managedDeviceWindowsOSImages). A leading C(/) is allowed.
      - Absolute URLs, a leading C(beta/) or C(v1.0/), and C(.) or C(..) segments are rejected.
      - B(Quoting is your job) and nothing is quoted twice. Give ids that hold reserved characters percent-encoded, for
        example C(deviceManagement/managedDeviceWindowsOSImages/Windows%2011%2022H1); C(%20) stays as it is. The
        C(urlencode) filter quotes a segment (all but C(/)), for example C({{ image_id | urlencode }}).
        Spaces left in the path are sent as C(%20).
    type: str
    required: true
  query:
    description:
      - Query parameters, for example C($filter), C($select), C($top). They are percent-encoded by the module.
      - A list value is joined with commas (C($select) as a list); booleans are sent as C(true) and C(false).
    type: dict
  body:
    description:
      - The JSON body of a C(POST), C(PATCH) or C(PUT); a dict or a list, or a string holding JSON.
      - Not allowed with O(method=GET).
    type: raw
  headers:
    description:
      - Extra request headers, for example C(ConsistencyLevel=eventual) for C($count) on directory objects.
      - C(Authorization) cannot be set.
    type: dict
  all_pages:
    description:
      - With O(method=GET), follow C(@odata.nextLink) and return every page's C(value) items in C(value) of RV(response), in order.
      - RV(response) keeps the shape of the first page (without C(@odata.nextLink)), so expressions such as
        C(result.response.value) work with and without it.
    type: bool
    default: false
  status_code:
    description:
      - The HTTP status codes that count as success. Any other status fails the task with RV(status), RV(error_code) and
        RV(request_id).
      - Add for example C(404) to test whether something exists without failing; RV(response) then holds Graph's error
        body.
    type: list
    elements: int
    default: [200, 201, 202, 204]
notes:
  - The response is returned as Graph sends it, C(@odata.*) annotations included.
  - A C(POST) that only reads (a report action, a C($batch) of C(GET) requests) is skipped in check mode like any write;
    set C(check_mode=false) on such a task to run it anyway.
seealso:
  - name: Microsoft Graph beta API reference
    description: The resources and their paths.
    link: https://learn.microsoft.com/graph/api/overview?view=graph-rest-beta
  - module: graphops.intune.windows_os_image_info
  - module: graphops.intune.device_configuration_state_info
'''

EXAMPLES = r'''
- name: Every managed device, all pages
  graphops.intune.graph_request:
    path: deviceManagement/managedDevices
    query:
      $select: [id, deviceName, complianceState]
      $filter: "operatingSystem eq 'Windows'"
    all_pages: true
  register: devices

- name: An id with spaces, quoted by the caller
  graphops.intune.graph_request:
    path: "deviceManagement/managedDeviceWindowsOSImages/{{ 'Windows 11 22H1' | urlencode }}"
  register: image

- name: Sync a device (a write; skipped in check mode)
  graphops.intune.graph_request:
    method: POST
    path: deviceManagement/managedDevices/d1e2f3a4-0000-4000-8000-000000000001/syncDevice
    status_code: [204]

- name: Does the ring exist?
  graphops.intune.graph_request:
    path: admin/windows/updates/policies/9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11/rings/a2c7637a-cda5-e59e-2385-972c4ee528d2
    status_code: [200, 404]
  register: ring

- name: Pause it only if it is running
  graphops.intune.graph_request:
    method: PATCH
    path: admin/windows/updates/policies/9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11/rings/a2c7637a-cda5-e59e-2385-972c4ee528d2
    body:
      "@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateRing"
      isPaused: true
  when: ring.status == 200 and not ring.response.isPaused
'''

RETURN = r'''
status:
  description:
    - HTTP status of the (last) request. Absent for a write skipped in check mode.
  returned: when a request was sent
  type: int
  sample: 200
content:
  description:
    - The body as text, when Graph (or a proxy in front of it) answered with a success status and a body that is not
      JSON, for example an HTML page or a CSV. The task then also warns, and RV(response) is not set.
  returned: when the body of a successful answer is not JSON
  type: str
  sample: "<html><head><title>Proxy login</title></head><body>Sign in to continue</body></html>"
response:
  description:
    - The JSON body Graph answered with (a dict, usually), or null when it answered without a body (C(204)).
    - With O(all_pages), the first page with every page's items in C(value).
    - With a status listed in O(status_code) that is an error (such as C(404)), Graph's error, as
      C(error.code) and C(error.message).
    - Absent for a write skipped in check mode, and when the body is not JSON (see RV(content)).
  returned: when a request was sent and its body, if any, is JSON
  type: raw
  sample:
    "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDeviceWindowsOSImages"
    value:
      - id: Windows 11 22H1
        supportedArchitectures: [x64, arM64]
request_id:
  description: C(request-id) of the (last) request, for Microsoft support.
  returned: when a request was sent
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
url:
  description: The URL of the request, without the query.
  returned: always
  type: str
  sample: https://graph.microsoft.com/beta/deviceManagement/managedDeviceWindowsOSImages
error_code:
  description: Graph error code of the failed request, or of an error status listed in O(status_code).
  returned: on Graph errors
  type: str
  sample: ResourceNotFound
'''

from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_request


def main():
    run_request()


if __name__ == '__main__':
    main()
