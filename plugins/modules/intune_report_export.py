#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: intune_report_export
short_description: Export an Intune report (Windows updates) as CSV, through an export job
version_added: 0.3.0
description:
  - Runs one of Intune's report export jobs (C(deviceManagementExportJob)) and reads its result as data. It creates the job
    (C(POST /deviceManagement/reports/exportJobs) with C(reportName), C(filter), C(select), C(format=csv)), polls it
    (C(GET .../exportJobs/{id})) until its C(status) is C(completed), downloads the zip its C(url) names from
    Intune's storage, and reads the CSV inside as a stream.
  - The rows are written to O(dest), or returned as RV(rows) (up to O(max_rows)), with RV(row_count) always.
    O(count_by) counts the rows by the values of some columns over the whole report, whatever O(max_rows).
  - It knows the Windows update reports of Microsoft's page "Intune reports and properties available using Graph API", that is
    V(FeatureUpdateDeviceState), V(FeatureUpdatePolicyFailuresAggregate), V(FeatureUpdatePolicyStatusSummary),
    V(DeviceFailuresByFeatureUpdatePolicy), V(QualityUpdateDeviceErrorsByPolicy), V(QualityUpdateDeviceStatusByPolicy),
    V(QualityUpdatePolicyStatusSummary), V(DriverUpdatePolicyStatusSummary) and V(WindowsUpdatePerPolicyPerDeviceStatus).
    For them a missing required filter (C(PolicyId)) fails before any request, and a column of O(select), O(filter) or
    O(count_by) that the page does not list is warned about. Any other report name is exported as given, with a warning.
  - Read-only for Intune. RV(changed) is always false; check mode runs the export (an export job changes nothing in the
    tenant) but writes no O(dest).
  - Polling backs off (0, 1, 2, 4, 8, 15, then every 30 seconds) and never polls faster than a C(Retry-After) of Graph.
    A poll answered 429 or 5xx, or lost, is repeated (up to O(max_retries) times in a row). A create whose answer was lost is
    sent again, since a second export job changes nothing and expires on its own.
  - The download URL grants access by itself. It is fetched without the Graph token (no C(Authorization) header at all),
    only over https (redirects too), with the task's TLS, proxy and timeout settings; it is never returned, logged or shown
    in a message. An expired URL (HTTP 403 from storage) is refreshed by reading the job again, then by one new export
    when this task created the job. A truncated download, or one answered 429 or 5xx by storage, is fetched once more.
  - The zip is checked before it is read - one CSV member, no member name with C(..), an absolute path or a backslash, and
    at most O(max_size_mb) decompressed - and the CSV is read a row at a time, so a report of 500,000 rows needs little
    memory.
  - Permissions. Intune accepts the export job calls with any one of C(DeviceManagementConfiguration.Read.All),
    C(DeviceManagementManagedDevices.Read.All), C(DeviceManagementApps.Read.All) or their C(ReadWrite) forms. For the
    Windows update reports grant C(DeviceManagementConfiguration.Read.All) (for the profile and policy summaries
    V(FeatureUpdatePolicyFailuresAggregate), V(FeatureUpdatePolicyStatusSummary), V(QualityUpdatePolicyStatusSummary),
    V(DriverUpdatePolicyStatusSummary)) and also C(DeviceManagementManagedDevices.Read.All) for the per-device reports
    (the five others, which name devices and users). See the README section "Intune reports".
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
attributes:
  check_mode:
    support: full
    description: The export runs (it changes nothing in Intune); O(dest) is not written, RV(dest_updated) says whether it would be.
  diff_mode:
    support: none
    description: Nothing is changed.
options:
  report_name:
    description:
      - The report, the C(reportName) of the export job, in any casing for the known reports (sent in the page's casing).
      - Required unless O(job_id) is given.
    type: str
  filter:
    description:
      - Rows to export. A string is sent as Intune's C(filter) as given, for example V((PolicyId eq 'abc'\) and (AggregateState eq 'Error'\)).
      - A dict of column to value, or to a list of values, is turned into that string with every value quoted, for
        example C(PolicyId) mapped to a profile ID and C(AggregateState) mapped to the list C([Error, Cancelled]).
      - The per-device reports need a C(PolicyId) filter (the ID of the update profile).
    type: raw
  select:
    description:
      - The columns to export, in this order. Without it Intune chooses (Microsoft advises to select explicitly in automation).
    type: list
    elements: str
  localization_type:
    description:
      - How columns with localizable values are exported. V(localizedValuesAsAdditionalColumn) (Intune's default) keeps the raw
        value and adds a C(<column>_loc) column with the text; V(replaceLocalizableValues) puts the text in the column itself.
        Any casing.
    type: str
  snapshot_id:
    description: The C(snapshotId) of the export job (a session or cached report configuration of Intune), at most 128 characters.
    type: str
  dest:
    description:
      - Write the CSV (UTF-8, a header line, then one line per row) to this file on the host the task runs on. Its
        directory must exist.
      - Written to a temporary file beside it and renamed at the end; left untouched (same modification time) when the
        content is the same. A new file gets mode C(0600) (a report names users and devices); an existing one keeps its mode.
      - Without O(dest) the rows are returned as RV(rows).
    type: path
  max_rows:
    description:
      - Without O(dest), at most this many rows are returned in RV(rows) (RV(row_count) counts them all). V(0) returns none.
    type: int
    default: 1000
  count_by:
    description: Count the rows by the values of these columns, over the whole report (RV(counts)).
    type: list
    elements: str
  wait:
    description:
      - Wait for the job and read its report. With V(false) the task returns as soon as the job exists (or, with O(job_id),
        after one read of its status), with RV(job_id) and RV(status).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the job to complete before failing (the message names the job id, to pick it up later with O(job_id)).
      - The common option O(timeout) stays the limit of each HTTP request.
    type: int
    default: 600
  job_id:
    description:
      - Pick up an export job created earlier (for example with O(wait=false)) instead of creating one. O(report_name), when
        given, must be the job's report.
    type: str
  max_size_mb:
    description: Largest download, and largest CSV once decompressed, in megabytes.
    type: int
    default: 2048
seealso:
  - name: Intune reports and properties available using Graph API
    description: The reports, their columns and filters.
    link: https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-available-reports
  - name: Export Intune reports using Graph APIs
    description: The export job protocol.
    link: https://learn.microsoft.com/intune/intune-service/fundamentals/reports-export-graph-apis
  - name: deviceManagementExportJob resource type (Microsoft Graph beta)
    description: The entity this module creates and polls.
    link: https://learn.microsoft.com/graph/api/resources/intune-reporting-devicemanagementexportjob?view=graph-rest-beta
'''

EXAMPLES = r'''
- name: Feature update state of the devices of one feature update profile, to a file
  graphops.intune.intune_report_export:
    report_name: FeatureUpdateDeviceState
    filter:
      PolicyId: 5d7c4f2e-1a3b-4c5d-8e9f-0a1b2c3d4e5f
    select: [DeviceName, UPN, FeatureUpdateVersion, AggregateState, LatestAlertMessage]
    localization_type: replaceLocalizableValues
    dest: /var/reports/feature-update-state.csv
  register: export

- name: Devices in error per state, counted over the whole report
  graphops.intune.intune_report_export:
    report_name: QualityUpdateDeviceStatusByPolicy
    filter: "(PolicyId eq '9e0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b')"
    count_by: [AggregateState]
    max_rows: 0
  register: expedite

- name: Start an export now, read it later
  graphops.intune.intune_report_export:
    report_name: DriverUpdatePolicyStatusSummary
    wait: false
  register: started

- name: Read it
  graphops.intune.intune_report_export:
    job_id: "{{ started.job_id }}"
    wait_timeout: 1800
  register: drivers
'''

RETURN = r'''
changed:
  description: Always false (an export changes nothing in Intune; an updated O(dest) is told by RV(dest_updated)).
  returned: always
  type: bool
  sample: false
job_id:
  description: ID of the export job (Intune's form is C(<reportName>_<GUID>)).
  returned: always
  type: str
  sample: FeatureUpdateDeviceState_05e62361-783b-4cec-b635-0aed0ecf14a3
report_name:
  description: The report, in the page's casing (or the job's C(reportName)).
  returned: always
  type: str
  sample: FeatureUpdateDeviceState
status:
  description: The job's last C(status), C(completed) once read (C(unknown), C(notStarted), C(inProgress), C(completed), C(failed)).
  returned: always
  type: str
  sample: completed
job:
  description: The export job as Graph returned it last, without its C(url) (which grants access) and C(@odata) annotations.
  returned: always
  type: dict
  sample:
    id: FeatureUpdateDeviceState_05e62361-783b-4cec-b635-0aed0ecf14a3
    reportName: FeatureUpdateDeviceState
    filter: "(PolicyId eq '5d7c4f2e-1a3b-4c5d-8e9f-0a1b2c3d4e5f')"
    select: [DeviceName, AggregateState]
    format: csv
    localizationType: replaceLocalizableValues
    snapshotId: null
    status: completed
    requestDateTime: "2024-05-01T10:00:00.1405758Z"
    expirationDateTime: "2024-05-01T16:00:00.8540289Z"
row_count:
  description: Rows of the report (the header line not counted).
  returned: when the report was read
  type: int
  sample: 1250
columns:
  description: The header of the CSV, in its order.
  returned: when the report was read
  type: list
  elements: str
  sample: [DeviceName, AggregateState]
rows:
  description: The first O(max_rows) rows, each a dict of column to value (strings, as in the CSV).
  returned: when the report was read without O(dest)
  type: list
  elements: dict
  sample:
    - DeviceName: PC-0001
      AggregateState: Success
truncated:
  description: True when RV(rows) holds fewer rows than the report (see O(max_rows)).
  returned: when the report was read without O(dest)
  type: bool
  sample: false
counts:
  description: For each column of O(count_by), the number of rows per value.
  returned: when O(count_by) is given and the report was read
  type: dict
  sample:
    AggregateState:
      Success: 1200
      Error: 50
dest:
  description: The file written.
  returned: when O(dest) is given and the report was read
  type: str
  sample: /var/reports/feature-update-state.csv
dest_updated:
  description: Whether O(dest) was replaced because its content changed (in check mode, whether it would be).
  returned: when O(dest) is given and the report was read
  type: bool
  sample: true
download_bytes:
  description: Size of the downloaded zip.
  returned: when the report was read
  type: int
  sample: 48213
polls:
  description: Status reads of the job (GET requests).
  returned: always
  type: int
  sample: 3
elapsed:
  description: Seconds the task took, from the first request to the report read.
  returned: always
  type: float
  sample: 12.4
'''

from ansible_collections.graphops.intune.plugins.module_utils.graph_module import GraphModule
from ansible_collections.graphops.intune.plugins.module_utils.engine.export_job import ReportExport
from ansible_collections.graphops.intune.plugins.module_utils.entities.reports import WINDOWS_UPDATE_REPORTS


ARGUMENT_SPEC = dict(
    report_name=dict(type='str'),
    filter=dict(type='raw'),
    select=dict(type='list', elements='str'),
    localization_type=dict(type='str'),
    snapshot_id=dict(type='str'),
    dest=dict(type='path'),
    max_rows=dict(type='int', default=1000),
    count_by=dict(type='list', elements='str'),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=600),
    job_id=dict(type='str'),
    max_size_mb=dict(type='int', default=2048),
)


def main():
    module = GraphModule(ARGUMENT_SPEC, required_one_of=[('report_name', 'job_id')])
    module.hide = module.no_log_values.add  # the download URL, should it ever reach a message
    module.run(ReportExport(module, WINDOWS_UPDATE_REPORTS).run)


if __name__ == '__main__':
    main()
