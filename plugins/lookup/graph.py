# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: graph
short_description: Read from Microsoft Graph in templates and conditions
version_added: 0.2.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - GETs each given Graph path (relative to the API version) and returns the items of a collection (all pages,
    following C(@odata.nextLink)) or the entity itself.
  - Runs on the controller. Authentication, endpoints and TLS take the same options and environment variables as the modules.
extends_documentation_fragment:
  - graphops.intune.graph_plugin
options:
  _terms:
    description:
      - Graph paths relative to the API version, such as C(deviceManagement/managedDevices) or
        C(deviceManagement/managedDevices/<id>). Segments are sent as given (quoted); C(.) and C(..) are refused.
    type: list
    elements: str
    required: true
  query:
    description:
      - OData query options by name, such as C(filter), C(select), C(top), C(orderby).
      - A leading C($) is added to each name when missing; lists (for C(select)) are joined by commas.
    type: dict
  first_page:
    description:
      - Return only the first page of a collection instead of following C(@odata.nextLink).
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Non-compliant Windows devices
  ansible.builtin.debug:
    msg: "{{ item.deviceName }} ({{ item.complianceState }})"
  loop: "{{ query('graphops.intune.graph', 'deviceManagement/managedDevices',
                  query={'filter': \"operatingSystem eq 'Windows' and complianceState eq 'noncompliant'\",
                         'select': ['id', 'deviceName', 'complianceState']}) }}"

- name: Only when the ring is not paused
  graphops.intune.windows_update_ring:
    policy_id: "{{ policy_id }}"
    ring_id: "{{ ring_id }}"
    deferral_in_days: 7
  when: not lookup('graphops.intune.graph', 'admin/windows/updates/policies/' ~ policy_id ~ '/rings/' ~ ring_id).isPaused
'''

RETURN = r'''
_raw:
  description:
    - For a collection, its items (all pages); for a single entity, the entity without C(@odata.context).
  type: list
  elements: dict
'''

from ansible.plugins.lookup import LookupBase

from ansible_collections.graphops.intune.plugins.plugin_utils import graph_plugin


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        params = graph_plugin.query_string(self.get_option('query'))
        relatives = [graph_plugin.relative_path(term) for term in terms]
        client = graph_plugin.connect(self.get_option)
        results = []
        for relative in relatives:
            results.extend(graph_plugin.call(graph_plugin.collection_or_entity, client, relative, params, self.get_option('first_page')))
        return results
