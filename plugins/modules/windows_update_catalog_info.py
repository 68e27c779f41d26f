#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: windows_update_catalog_info
short_description: Read the Windows Update deployment service catalog
version_added: 0.2.0
description:
  - Lists the entries of the Windows Update for Business deployment service catalog
    (C(/admin/windows/updates/catalog/entries)), that is quality updates, feature updates, drivers and recovery updates, with
    the filters a pipeline needs to pick what to approve (M(graphops.intune.windows_update_policy_approval)).
  - O(kind) is filtered by Graph (a C($filter) with C(isof)); the other filters are applied to what Graph returns.
  - Entries are returned newest first (by C(releaseDateTime)).
  - Needs the application permission C(WindowsUpdates.ReadWrite.All) (the catalog offers no read-only permission).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.attributes.INFO
options:
  catalog_entry_id:
    description:
      - ID of one entry. An unknown ID returns an empty list. The filters still apply.
    type: str
  kind:
    description:
      - Only entries of this kind, that is of this derived type of C(catalogEntry), one of
        V(quality) (C(qualityUpdateCatalogEntry)), V(feature) (C(featureUpdateCatalogEntry)),
        V(driver) (C(driverUpdateCatalogEntry)) or V(recovery) (C(recoveryUpdateCatalogEntry)).
      - O(classification) and O(cadence) imply V(quality).
    type: str
    choices: [quality, feature, driver, recovery]
  classification:
    description:
      - Only quality updates of this classification (C(qualityUpdateClassification)).
    type: str
    choices: [all, security, nonSecurity, unknownFutureValue]
  cadence:
    description:
      - Only quality updates of this release cadence (C(qualityUpdateCadence)).
    type: str
    choices: [monthly, outOfBand, unknownFutureValue]
  released_after:
    description:
      - Only entries released strictly after this instant (C(releaseDateTime)), an ISO 8601 date-time with an offset
        such as V(2024-03-01T00:00:00Z), or a date such as V(2024-03-01) (midnight UTC). Compared as instants.
    type: str
  latest:
    description:
      - Only the newest entry of each kind and classification (of what the other filters keep). With
        O(classification=security), the newest security update.
    type: bool
    default: false
seealso:
  - module: graphops.intune.windows_update_policy_approval
  - name: List catalog entries (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/windowsupdates-catalog-list-entries?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Newest security quality update
  graphops.intune.windows_update_catalog_info:
    classification: security
    cadence: monthly
    latest: true
  register: newest

- name: Approve it
  graphops.intune.windows_update_policy_approval:
    policy_id: 9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11
    catalog_entry_id: "{{ newest.entries[0].id }}"
  when: newest.entries | length > 0

- name: Feature updates released since 2023
  graphops.intune.windows_update_catalog_info:
    kind: feature
    released_after: "2023-01-01"
  register: features
'''

RETURN = r'''
entries:
  description:
    - The catalog entries as Graph returns them (camelCase), newest first. Each keeps its C(@odata.type), which names
      its kind; the other C(@odata.*) annotations are dropped.
  returned: always
  type: list
  elements: dict
  sample:
    - "@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry"
      id: c1dec151-c151-c1de-51c1-dec151c1dec1
      displayName: 2024-04 Cumulative Update for Windows 11
      releaseDateTime: "2024-04-09T00:00:00.0000000Z"
      deployableUntilDateTime: null
      qualityUpdateClassification: security
      qualityUpdateCadence: monthly
      isExpeditable: true
      shortName: 2024.04 B
      catalogName: 2024-04 Cumulative Update for Windows 11
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.catalog import CATALOG_ENTRY
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_info


def main():
    run_info(CATALOG_ENTRY)


if __name__ == '__main__':
    main()
