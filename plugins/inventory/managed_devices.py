# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: managed_devices
short_description: Intune managed devices as an inventory
version_added: 0.2.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - Reads Intune managed devices from Microsoft Graph (C(/deviceManagement/managedDevices)), all pages, and adds one
    host per device, named by its device name.
  - Device names are not unique in Intune (a re-enrolled device keeps its name). When several devices share a name,
    the one enrolled last (then the smallest id) keeps the name and the others are named C(<deviceName>_<id>), so the
    same tenant always gives the same host names.
  - Optionally adds each device's Windows update status from given Windows Update for Business configurations.
  - Supports C(compose), C(groups) and C(keyed_groups) (constructed) and the inventory cache.
  - The configuration file name must end in C(managed_devices.yml) or C(managed_devices.yaml).
  - Authentication, endpoints and TLS take the same options and environment variables as the modules.
extends_documentation_fragment:
  - graphops.intune.graph_plugin
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks this file as a configuration of this plugin.
    type: str
    required: true
    choices: [graphops.intune.managed_devices]
  filters:
    description:
      - Managed device properties and the value each must equal, sent to Graph as C($filter) clauses
        C(<property> eq <value>) joined by C(and); for example the property C(operatingSystem) with the value C(Windows).
      - Property names are Graph's (camelCase). Strings are quoted for you.
    type: dict
    default: {}
  filter:
    description:
      - A raw OData C($filter) expression, joined with O(filters) by C(and).
      - Graph accepts only some operators on managed devices (C(eq) on most properties, C(startswith) on some).
    type: str
  select:
    description:
      - The device properties to read (C($select)). C(id), C(deviceName) and C(enrolledDateTime) are always added.
      - Each property becomes a host variable C(intune_<property in snake_case>).
    type: list
    elements: str
    default: [id, deviceName, managedDeviceName, azureADDeviceId, operatingSystem, osVersion, complianceState,
              lastSyncDateTime, enrolledDateTime, userId, userPrincipalName, userDisplayName, serialNumber,
              manufacturer, model, managedDeviceOwnerType, managementAgent]
  page_size:
    description:
      - Devices per page (C($top)). Graph answers at most 1000 managed devices per page; leave unset to use Graph's page size.
    type: int
  update_configurations:
    description:
      - Ids of Windows Update for Business configurations (C(deviceConfigurations) of type
        C(windowsUpdateForBusinessConfiguration)). Their device update states are read (all pages) and each host gets
        C(intune_update_states), a dictionary from configuration id to the device's state (C(status),
        C(qualityUpdateVersion), C(featureUpdateVersion), C(lastScanDateTime), C(lastSyncDateTime)), and
        C(intune_update_status), the worst status over those configurations. A state belongs to the device whose
        id, or else whose C(azureADDeviceId), is its C(deviceId).
    type: list
    elements: str
    default: []
  hostname_prefix:
    description: Prepended to every host name.
    type: str
    default: ''
'''

EXAMPLES = r'''
# inventory/intune.managed_devices.yml: every Windows device, grouped by compliance and OS version.
plugin: graphops.intune.managed_devices
filters:
  operatingSystem: Windows
keyed_groups:
  - key: intune_compliance_state
    prefix: compliance
  - key: intune_os_version.split('.')[2]
    prefix: build
groups:
  stale: (intune_last_sync_date_time | to_datetime('%Y-%m-%dT%H:%M:%S.%fZ')) < (now(utc=true) - timedelta(days=30))
compose:
  ansible_host: intune_device_name ~ '.corp.contoso.com'

---
# inventory/updates.managed_devices.yml: the update status from a WUfB ring, cached for an hour.
plugin: graphops.intune.managed_devices
update_configurations:
  - b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01
keyed_groups:
  - key: intune_update_status
    prefix: update
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/graphops-inventory
cache_timeout: 3600
'''

import functools
import re

from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import path as graph_path
from ansible_collections.graphops.intune.plugins.plugin_utils import graph_plugin

DEVICES = 'deviceManagement/managedDevices'
WUFB = 'microsoft.graph.windowsUpdateForBusinessConfiguration'
ALWAYS_SELECTED = ('id', 'deviceName', 'enrolledDateTime')
UPDATE_STATE_FIELDS = ('status', 'qualityUpdateVersion', 'featureUpdateVersion', 'lastScanDateTime', 'lastSyncDateTime')
# Worst first: the status a device shows over several configurations.
STATUS_ORDER = ('failed', 'pendingReboot', 'pendingInstallation', 'upToDate')
_PROPERTY = re.compile(r'^[A-Za-z][A-Za-z0-9_]*$')


@functools.lru_cache(maxsize=1024)
def snake(name):
    """azureADDeviceId -> azure_ad_device_id, osVersion -> os_version (cached: the same few names for every device)."""
    name = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    return re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', name).lower()


def odata_literal(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'null'
    if isinstance(value, (int, float)):
        return str(value)
    return "'%s'" % str(value).replace("'", "''")


def build_filter(filters, raw):
    clauses = []
    for name, value in sorted((filters or {}).items()):
        if not _PROPERTY.match(str(name)):
            raise AnsibleError('graphops.intune.managed_devices: filters: %r is not a property name' % (name,))
        clauses.append('%s eq %s' % (name, odata_literal(value)))
    if raw:
        clauses.append(raw if not clauses else '(%s)' % raw)
    return ' and '.join(clauses) or None


def host_names(devices, prefix=''):
    """{device id: host name}: deviceName, de-duplicated the same way whatever order Graph answers in."""
    by_name = {}
    for device in devices:
        name = (device.get('deviceName') or '').strip() or device['id']
        by_name.setdefault(name.lower(), []).append((name, device))
    names = {}
    for group in by_name.values():
        # The device enrolled last keeps the name (a re-enrolled PC leaves a stale twin); then the smallest id.
        group.sort(key=lambda item: (item[1].get('id') or '').lower())
        group.sort(key=lambda item: item[1].get('enrolledDateTime') or '', reverse=True)
        for index, (name, device) in enumerate(group):
            names[device['id']] = prefix + (name if index == 0 else '%s_%s' % (name, device['id']))
    return names


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'graphops.intune.managed_devices'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('managed_devices.yml', 'managed_devices.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if data is None:
            data = self._fetch()
        if update_cache:
            self._cache[cache_key] = data
        self._populate(data)

    # -- reading ------------------------------------------------------------------------------------------
    def _fetch(self):
        client = graph_plugin.connect(self.get_option)
        select = list(ALWAYS_SELECTED) + [name for name in self.get_option('select') or [] if name not in ALWAYS_SELECTED]
        for name in select:
            if not _PROPERTY.match(name):
                raise AnsibleError('graphops.intune.managed_devices: select: %r is not a property name' % (name,))
        params = {'$select': ','.join(select)}
        odata_filter = build_filter(self.get_option('filters'), self.get_option('filter'))
        if odata_filter:
            params['$filter'] = odata_filter
        page_size = self.get_option('page_size')
        if page_size is not None:
            if not 1 <= page_size <= 1000:
                raise AnsibleError('graphops.intune.managed_devices: page_size must be from 1 to 1000, got %s' % page_size)
            params['$top'] = str(page_size)
        devices = graph_plugin.call(client.get_all, DEVICES, params)
        update_states = {}
        for config_id in self.get_option('update_configurations') or []:
            graph_plugin.check_id('update_configurations', config_id)
            relative = graph_path('deviceManagement', 'deviceConfigurations', config_id, WUFB, 'deviceUpdateStates')
            states = graph_plugin.call(client.get_all, relative)
            update_states[config_id] = dict(((state.get('deviceId') or '').lower(), dict((k, state.get(k)) for k in UPDATE_STATE_FIELDS))
                                            for state in states if isinstance(state, dict) and state.get('deviceId'))
        return {'devices': [device for device in devices if isinstance(device, dict) and device.get('id')],
                'update_states': update_states}

    # -- building -----------------------------------------------------------------------------------------
    def _populate(self, data):
        strict = self.get_option('strict')
        devices = data['devices']
        names = host_names(devices, self.get_option('hostname_prefix') or '')
        for device in sorted(devices, key=lambda item: names[item['id']]):
            host = names[device['id']]
            self.inventory.add_host(host)
            hostvars = {}
            for key, value in device.items():
                if not key.startswith('@'):
                    hostvars['intune_' + snake(key)] = value
            if data['update_states']:
                states = {}
                for config_id, by_device in data['update_states'].items():
                    # deviceId is the Intune device id; states written with the Entra device id are found too.
                    state = by_device.get(device['id'].lower()) or by_device.get((device.get('azureADDeviceId') or '').lower() or None)
                    if state is not None:
                        states[config_id] = state
                hostvars['intune_update_states'] = states
                statuses = [state.get('status') for state in states.values()]
                hostvars['intune_update_status'] = next((status for status in STATUS_ORDER if status in statuses), None)
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, value)
            self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
