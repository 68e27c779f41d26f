#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: device_update_state
short_description: Manage the device update states of a Windows Update for Business configuration
version_added: 0.1.0
description:
  - Create, update and delete the device update states (C(windowsUpdateState)) of a Windows Update for Business
    device configuration
    (C(/deviceManagement/deviceConfigurations/{id}/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates))
    through the Microsoft Graph beta API.
  - One state is found by O(id), or by O(device_id), which must then be unique within the configuration; when several
    states have that device ID the task fails and lists their IDs.
  - With O(states), many states are reconciled at once. The collection is read once (all pages), every item is compared,
    and only the needed creates, updates and deletes are sent, 20 per C($batch) request, several requests in flight
    (O(max_concurrency)) at a pace learnt from Graph's throttling. Throttled items are retried on their own after their
    C(Retry-After). Items that fail are reported in RV(failed_items) and make the task fail; the items that
    succeeded stay applied.
  - Only the options that are set are managed. Date-times compare as instants and O(status) case-insensitively, and the
    PATCH holds only the fields that differ, so a second run reports no change and sends no write.
  - Every option and every item is validated before the first request.
  - A bulk run that stops part-way (the module killed, the controller interrupted, the network gone) can be run again -
    it reads the states as they are, so it writes only what still differs and creates no state twice.
  - In check mode, a bulk run returns RV(planned) and RV(estimated_seconds), the time the writes take at Microsoft's
    published budget for the Intune device configuration service (100 writes per 20 s per app) or at O(max_rate).
  - Needs the application permission C(DeviceManagementConfiguration.ReadWrite.All).
author:
  - graphops.intune maintainers (@graphops)
extends_documentation_fragment:
  - graphops.intune.graph
  - graphops.intune.attributes
  - graphops.intune.natural_key
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would change, including what O(purge) would delete.
  diff_mode:
    support: full
    description: Shows the state before and after, as Graph returns it; with O(states), the changed states by device ID.
options:
  device_configuration_id:
    description:
      - ID of the Windows Update for Business device configuration (a C(windowsUpdateForBusinessConfiguration)) that
        holds the states.
    type: str
    required: true
  id:
    description:
      - ID of the state. When given with O(device_id), the state's device ID is changed.
      - A state cannot be created with a chosen ID; a missing O(id) with O(state=present) fails.
      - Mutually exclusive with O(states).
    type: str
  device_id:
    description:
      - ID of the device (C(deviceId)). Identifies the state when O(id) is not given, and is sent when the state is created.
      - Mutually exclusive with O(states).
    type: str
  user_id:
    description:
      - ID of the user (C(userId)).
    type: str
  device_display_name:
    description:
      - Display name of the device (C(deviceDisplayName)).
    type: str
  user_principal_name:
    description:
      - User principal name (C(userPrincipalName)).
    type: str
  status:
    description:
      - Windows Update status of the device, one of C(upToDate), C(pendingInstallation), C(pendingReboot) and C(failed).
      - Accepted in any casing (V(uptodate)) and sent in Graph's casing.
    type: str
  quality_update_version:
    description:
      - Quality update version of the device (C(qualityUpdateVersion)), for example C(10.0.22631.3296).
    type: str
  feature_update_version:
    description:
      - Current feature update version of the device (C(featureUpdateVersion)).
    type: str
  last_scan_date_time:
    description:
      - When the Windows Update Agent last scanned successfully (C(lastScanDateTime)).
      - An ISO 8601 date-time with a UTC offset or C(Z) and up to 7 fractional digits, such as
        C(2016-12-31T23:59:18.0955018-08:00). Compared as an instant, so C(2017-01-01T07:59:18.0955018Z) is the same value.
    type: str
  last_sync_date_time:
    description:
      - When the device last synced with Intune (C(lastSyncDateTime)). Same format and comparison as O(last_scan_date_time).
    type: str
  state:
    description:
      - V(present) creates the state or brings it to the given values; V(absent) deletes it.
      - With O(states), the state of the items that do not set their own.
    type: str
    default: present
    choices: [present, absent]
  states:
    description:
      - Reconcile many states of the configuration in one task, identified by their O(states[].device_id).
      - Mutually exclusive with O(id), O(device_id) and the per-state options (O(user_id), O(status)...).
      - An item's O(states[].device_id) may appear only once in the list.
    type: list
    elements: dict
    suboptions:
      device_id:
        description:
          - ID of the device; identifies the state within the configuration.
        type: str
        required: true
      user_id:
        description:
          - As O(user_id).
        type: str
      device_display_name:
        description:
          - As O(device_display_name).
        type: str
      user_principal_name:
        description:
          - As O(user_principal_name).
        type: str
      status:
        description:
          - As O(status), one of C(upToDate), C(pendingInstallation), C(pendingReboot) and C(failed), in any casing.
        type: str
      quality_update_version:
        description:
          - As O(quality_update_version).
        type: str
      feature_update_version:
        description:
          - As O(feature_update_version).
        type: str
      last_scan_date_time:
        description:
          - As O(last_scan_date_time).
        type: str
      last_sync_date_time:
        description:
          - As O(last_sync_date_time).
        type: str
      state:
        description:
          - V(present) or V(absent) for this item; defaults to the task's O(state).
        type: str
        choices: [present, absent]
  states_file:
    description:
      - Reconcile many states, as O(states) does, taken from a file on the host that runs the module (the controller
        for C(localhost) or C(delegate_to) localhost), read as a stream so that 100,000 states need little memory.
      - CSV with a header row whose columns are the names of the O(states) suboptions (V(device_id), V(status),
        V(state)...), or JSON lines (one JSON object with those keys per line). Empty cells and null values leave
        their option unset; a UTF-8 byte order mark is ignored.
      - A column (key) V(device_configuration_id) may name the configuration of each row; rows of other
        configurations are skipped, rows that leave it empty belong to O(states_file_default_configuration_id).
      - Every row is checked (unknown columns, values, a device ID given twice) before the first request; errors name
        the line.
      - Unless diff mode is on, the result is lean - RV(item_results) lists only the states that changed or failed, and
        RV(update_states) is not returned.
      - Its states come after those of O(states), when both are given.
      - Mutually exclusive with O(id) and the per-state options.
    type: path
    version_added: 0.2.0
  states_file_format:
    description:
      - Format of O(states_file). V(auto) takes it from the extension - C(.csv) is CSV; C(.jsonl) and C(.ndjson)
        are JSON lines.
    type: str
    choices: [auto, csv, jsonl]
    default: auto
    version_added: 0.2.0
  states_file_default_configuration_id:
    description:
      - The configuration of the rows of O(states_file) that do not name one. When it is not
        O(device_configuration_id), those rows are skipped (the C(graphops.intune.device_update_states) role passes one
        file to the task of each configuration).
      - Defaults to O(device_configuration_id).
    type: str
    version_added: 0.2.0
  max_concurrency:
    description:
      - With O(states) or O(states_file), how many C($batch) requests may be in flight at once (each on its own
        connection).
      - The writes are paced to the tenant's throttle budget whatever this bound - the pace starts safe, grows while
        Graph accepts, and is cut on a 429 (whose C(Retry-After) is honoured) - so a higher bound only helps when Graph
        answers slowly. Lower it for a tenant whose budget is shared with other tools.
    type: int
    default: 4
    version_added: 0.2.0
  max_rate:
    description:
      - With O(states) or O(states_file), at most this many writes per second (C($batch) items), for a tenant whose
        throttle budget is shared with other tools. Unset, the pace is learnt from Graph's answers alone.
    type: float
    version_added: 0.2.0
  progress_file:
    description:
      - With O(states) or O(states_file), a file on the host that runs the module where the run writes its progress - one
        JSON object per line, one line when the writes start, one per C($batch) answer and one at the end, with
        C(time), C(event) (V(start), V(writing), V(done), or V(stopped) when the run failed), C(elapsed_seconds),
        C(total), C(done), C(failed), C(throttled) (items answered 429 so far), C(remaining), C(pace) (writes per second
        over the last minute) and C(eta_seconds) (the time left at that pace).
      - Every line is appended whole, by one write to a file opened in append mode, so a reader never sees half a line.
        Watch a long run from another terminal with C(tail -f), or read the last line.
      - The file is emptied before the first request (a path that cannot be written fails the task first); in check mode
        it is not touched.
    type: path
    version_added: 0.3.0
  purge:
    description:
      - With O(states) or O(states_file), also delete the configuration's states whose device ID is not listed.
      - In check mode, the states that would be deleted are reported.
      - O(states=[]) with O(purge=true) deletes every state of the configuration.
    type: bool
    default: false
seealso:
  - module: graphops.intune.device_update_state_info
  - name: Create windowsUpdateState (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/intune-deviceconfig-windowsupdatestate-create?view=graph-rest-beta
  - name: Update windowsUpdateState (Microsoft Graph beta)
    description: The API this module uses.
    link: https://learn.microsoft.com/graph/api/intune-deviceconfig-windowsupdatestate-update?view=graph-rest-beta
  - name: JSON batching (Microsoft Graph)
    description: How O(states) sends its writes.
    link: https://learn.microsoft.com/graph/json-batching
'''

EXAMPLES = r'''
- name: A device is pending a reboot
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    device_id: d1e2f3a4-0000-4000-8000-000000000001
    user_principal_name: AdeleV@contoso.onmicrosoft.com
    status: pendingReboot
    quality_update_version: 10.0.22631.3447
    last_scan_date_time: "2024-04-10T06:12:44.1234567Z"

- name: Remove the state of a retired device, by its id
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    id: 3d92af00-af00-3d92-00af-923d00af923d
    state: absent

- name: Reconcile the pilot ring's states from inventory, deleting the others
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    purge: true
    states: "{{ pilot_devices | map('combine', {'status': 'upToDate'}) | list }}"
  register: reconcile

- name: How long would it take? (check mode - the message says it in words)
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    states_file: /srv/intune/states.csv
  check_mode: true
  register: plan

- name: A long run, as in AWX - watch it with tail -f /var/tmp/states-progress.jsonl
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    states_file: /srv/intune/states.csv
    progress_file: /var/tmp/states-progress.jsonl
  async: "{{ plan.estimated_seconds * 2 + 600 }}"
  poll: 30

- name: Several devices in one task, one of them removed
  graphops.intune.device_update_state:
    device_configuration_id: b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
    states:
      - device_id: d1e2f3a4-0000-4000-8000-000000000001
        status: upToDate
      - device_id: d1e2f3a4-0000-4000-8000-000000000002
        status: failed
        last_sync_date_time: "2024-04-10T08:00:00-07:00"
      - device_id: d1e2f3a4-0000-4000-8000-000000000003
        state: absent
'''

RETURN = r'''
planned:
  description: In check mode, the writes a bulk run would send, by kind.
  returned: in check mode, when O(states) or O(states_file) is given
  type: dict
  contains:
    created:
      description: States that would be created.
      type: int
    updated:
      description: States that would be updated.
      type: int
    deleted:
      description: States that would be deleted.
      type: int
  sample: {created: 2000, updated: 6000, deleted: 1000}
  version_added: 0.3.0
estimated_seconds:
  description:
    - In check mode, how long the planned writes take at the published write budget of the Intune device configuration
      service (100 writes per 20 s per app), or at O(max_rate) when it is set. RV(msg) says it in words.
  returned: in check mode, when O(states) or O(states_file) is given
  type: int
  sample: 1800
  version_added: 0.3.0
msg:
  description: In check mode with O(states) or O(states_file), the estimate in words; else why the task failed.
  returned: in check mode with O(states) or O(states_file), and on failure
  type: str
  sample: 9,000 writes (2,000 creates, 6,000 updates, 1,000 deletes), about 30 min at 100 writes / 20 s
deleted_duplicates:
  description:
    - IDs of the copies of the natural key that O(on_duplicate=keep_oldest) deleted (in check mode, would delete).
    - With C(--diff), each is also shown as a removed entity.
  returned: when copies were found and O(on_duplicate=keep_oldest)
  type: list
  elements: str
  sample: [7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f]
update_state:
  description:
    - The state as Graph returns it after the change (camelCase, without C(@odata.*) annotations).
    - In check mode, the state as it would be; a state that would be created has no C(id) yet.
    - An empty dict when the state is absent.
  returned: when neither O(states) nor O(states_file) is given
  type: dict
  sample:
    id: 3d92af00-af00-3d92-00af-923d00af923d
    deviceId: d1e2f3a4-0000-4000-8000-000000000001
    userId: e5f6a7b8-0000-4000-8000-000000000001
    deviceDisplayName: PC-0001
    userPrincipalName: AdeleV@contoso.onmicrosoft.com
    status: pendingReboot
    qualityUpdateVersion: 10.0.22631.3447
    featureUpdateVersion: 10.0.22631.2428
    lastScanDateTime: "2024-04-10T06:12:44.1234567Z"
    lastSyncDateTime: "2024-04-10T06:15:02.7654321Z"
update_states:
  description:
    - The states of the listed items that exist after the run, in the order of O(states), as Graph returns them
      (a state whose write failed is shown as it still is). In check mode, as they would be.
  returned: when O(states) is given, or O(states_file) in diff mode
  type: list
  elements: dict
  sample:
    - id: 3d92af00-af00-3d92-00af-923d00af923d
      deviceId: d1e2f3a4-0000-4000-8000-000000000001
      status: upToDate
created:
  description: Number of states created (in check mode, that would be created).
  returned: when O(states) or O(states_file) is given
  type: int
  sample: 3
updated:
  description: Number of states updated (in check mode, that would be updated).
  returned: when O(states) or O(states_file) is given
  type: int
  sample: 1
deleted:
  description: Number of states deleted, by O(states[].state=absent) or O(purge) (in check mode, that would be deleted).
  returned: when O(states) or O(states_file) is given
  type: int
  sample: 0
unchanged:
  description: Number of listed items that needed no write.
  returned: when O(states) or O(states_file) is given
  type: int
  sample: 96
item_results:
  description:
    - One entry per item of O(states), in order, then one per state deleted by O(purge) or, with
      O(on_duplicate=keep_oldest), as a duplicate.
    - With O(states_file) (unless diff mode is on), only the items that were written or failed.
    - Named C(results) in release 0.1.0, which hid the C(--diff) output of a task with a C(loop) (Ansible's
      own loop results use that key).
  returned: when O(states) or O(states_file) is given
  type: list
  elements: dict
  contains:
    device_id:
      description: Device ID of the item (for a purged state, its C(deviceId)).
      type: str
    id:
      description: ID of the state; null for a state that does not exist (or would be created in check mode).
      type: str
    action:
      description: What happened, one of V(created), V(updated), V(deleted), V(unchanged) and V(failed).
      type: str
    index:
      description: Position of the item in O(states) (from 0); null for a state deleted by O(purge).
      type: int
    message:
      description: Why the item failed.
      type: str
      returned: when RV(item_results[].action=failed)
  sample:
    - device_id: d1e2f3a4-0000-4000-8000-000000000001
      id: 7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f
      action: updated
      index: 0
failed_items:
  description:
    - The items whose write failed (or that could not be planned, for example a device ID held by several states).
      The task fails when this list is not empty; the other items were applied.
  returned: when O(states) or O(states_file) is given
  type: list
  elements: dict
  contains:
    device_id:
      description: Device ID of the item.
      type: str
    id:
      description: ID of the state, when it exists.
      type: str
    index:
      description: Position of the item in O(states); null for a state that O(purge) tried to delete.
      type: int
    action:
      description: The write that failed, V(created), V(updated) or V(deleted).
      type: str
    status:
      description: HTTP status Graph answered for the item; null when no request was sent for it.
      type: int
    code:
      description: Graph error code.
      type: str
    message:
      description: Graph error message.
      type: str
    request_id:
      description: C(request-id) of the failed item, for Microsoft support.
      type: str
  sample:
    - device_id: d1e2f3a4-0000-4000-8000-000000000042
      id: null
      index: 41
      action: created
      status: 429
      code: TooManyRequests
      message: Too many requests. Retry after the interval given in the Retry-After header.
      request_id: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
diff:
  description:
    - With C(--diff). For one state, C(before) and C(after) are the state (empty when absent).
    - With O(states), C(before) and C(after) are dicts keyed by device ID that hold only the changed states, as they were
      (updated and deleted ones) and as they are (created and updated ones).
  returned: when diff mode is on
  type: dict
status:
  description: HTTP status of the failed Graph request.
  returned: on Graph errors outside O(states) items
  type: int
  sample: 400
error_code:
  description: Graph error code of the failed request.
  returned: on Graph errors outside O(states) items
  type: str
  sample: BadRequest
request_id:
  description: C(request-id) of the failed Graph request, for Microsoft support.
  returned: on Graph errors outside O(states) items
  type: str
  sample: 6d5f2a0e-4f3b-4d8e-9c2a-1b7e0f3c5a91
'''

from ansible_collections.graphops.intune.plugins.module_utils.entities.update_states import UPDATE_STATE
from ansible_collections.graphops.intune.plugins.module_utils.graph_module import run_resource


def main():
    run_resource(UPDATE_STATE)


if __name__ == '__main__':
    main()
