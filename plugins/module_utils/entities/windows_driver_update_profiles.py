# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune's Windows driver update profiles and their driver inventories, shared by windows_driver_update_profile(_info),
windows_driver_update_inventory_info and windows_driver_approval.

Properties, enums and action parameters are Graph beta's metadata (msgraph-beta-sdk models windows_driver_update_profile.py,
windows_driver_update_inventory.py, windows_driver_update_profile_inventory_sync_status.py, windows_driver_update_profile_assignment.py
and the enums driverUpdateProfileApprovalType, driverApprovalStatus, driverCategory, driverApprovalAction,
windowsDriverUpdateProfileInventorySyncState; the actions executeAction(actionName, driverIds, deploymentDate) -> bulkDriverActionResult
and syncInventory()). approvalType is set when the profile is created and never changes (replace_on: recreate=true replaces the
profile). The profile's read-only inventorySyncStatus, newUpdates and deviceReporting are returned, never options.
Values Graph returns that the metadata did not name when this was written are passed through, never refused.
"""

from __future__ import annotations

import fnmatch
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import check_id
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import canonical_enum, parse_datetimeoffset
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity, clean
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import DateTimeField, EnumField, IntField, ListField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

APPROVAL_TYPES = ('manual', 'automatic')  # driverUpdateProfileApprovalType
APPROVAL_STATUSES = ('needsReview', 'declined', 'approved', 'suspended')  # driverApprovalStatus
CATEGORIES = ('recommended', 'previouslyApproved', 'other')  # driverCategory
ACTIONS = ('approve', 'decline', 'suspend', 'unknownFutureValue')  # driverApprovalAction
SYNC_STATES = ('pending', 'success', 'failure')  # windowsDriverUpdateProfileInventorySyncState
# the approval_status a task asks for -> the executeAction actionName that sets it
ACTION_OF = {'approved': 'approve', 'declined': 'decline', 'suspended': 'suspend'}

DRIVER_PROFILE = Entity(
    name='Windows driver update profile',
    result_key='profile',
    collection=('deviceManagement', 'windowsDriverUpdateProfiles'),
    id_option='profile_id',
    natural_key='display_name',
    odata_type='#microsoft.graph.windowsDriverUpdateProfile',
    required_on_create=('display_name', 'approval_type'),
    fields=[
        StrField('display_name', 'displayName', max_length=200),
        StrField('description', 'description', max_length=1500),
        # set on create only: a change fails, or replaces the profile with recreate=true
        EnumField('approval_type', 'approvalType', APPROVAL_TYPES, ansible_choices=True, create_only=True),
        IntField('deployment_deferral_in_days', 'deploymentDeferralInDays', minimum=0, maximum=30),
        ListField('role_scope_tag_ids', 'roleScopeTagIds'),
    ],
    # Intune assigns driver update profiles to groups, included or excluded, never to all devices or all users.
    assignments=Assignments('#microsoft.graph.windowsDriverUpdateProfileAssignment', unsupported=dict(
        (option, 'Intune assigns a driver update profile to groups only (included_group_ids, excluded_group_ids)')
        for option in ('all_devices', 'all_users'))),
    listing=Listing('profiles', filters=[Filter('approval_type')]),
    replace_on=('approval_type',),
)

# -- the driver inventory of a profile ----------------------------------------------------------------------
INVENTORY_SEGMENT = 'driverInventories'

# The drivers of a profile (read-only here: Intune fills the inventory, executeAction changes their approval).
DRIVER_INVENTORY = Entity(
    name='driver',
    result_key='drivers',
    collection=('deviceManagement', 'windowsDriverUpdateProfiles', '{profile_id}', INVENTORY_SEGMENT),
    id_option='driver_id',
    odata_type='#microsoft.graph.windowsDriverUpdateInventory',
    can_create=False,
    can_delete=False,
    scope_options=('profile_id',),
    fields=[
        StrField('name', 'name'),
        StrField('version', 'version'),
        StrField('manufacturer', 'manufacturer', ignore_case=True),
        StrField('driver_class', 'driverClass', ignore_case=True),
        EnumField('approval_status', 'approvalStatus', APPROVAL_STATUSES),
        EnumField('category', 'category', CATEGORIES),
        DateTimeField('release_date_time', 'releaseDateTime'),
        DateTimeField('deploy_date_time', 'deployDateTime'),
        IntField('applicable_device_count', 'applicableDeviceCount'),
    ],
)

FILTER_SPEC = dict(
    approval_status=dict(type='str'),
    category=dict(type='str'),
    driver_class=dict(type='str'),
    manufacturer=dict(type='str'),
    name=dict(type='str'),
    released_before=dict(type='str'),
)

INVENTORY_ARGUMENT_SPEC = dict(
    FILTER_SPEC,
    profile_id=dict(type='str', required=True),
    driver_id=dict(type='str'),
    sync=dict(type='bool', default=False),
    sync_timeout=dict(type='int', default=300),
)

APPROVAL_ARGUMENT_SPEC = dict(
    profile_id=dict(type='str', required=True),
    approval_status=dict(type='str', required=True, choices=sorted(ACTION_OF)),
    driver_ids=dict(type='list', elements='str'),
    current_approval_status=dict(type='str'),
    category=dict(type='str'),
    driver_class=dict(type='str'),
    manufacturer=dict(type='str'),
    name=dict(type='str'),
    released_before=dict(type='str'),
    deployment_date=dict(type='str'),
)
APPROVAL_SELECTORS = ('driver_ids', 'current_approval_status', 'category', 'driver_class', 'manufacturer', 'name', 'released_before')

_RELEASED_BEFORE = DateTimeField('released_before', accept_date=True)
_DEPLOYMENT_DATE = DateTimeField('deployment_date', accept_date=True)


def _enum(option, value, choices):
    choice = canonical_enum(value, choices)
    if choice is None:
        raise ModuleInputError('%s: %r is not one of %s' % (option, value, ', '.join(choices)))
    return choice


class DriverSelection(object):
    """The drivers a task names by its filters: approval status and category (enums, any casing), class and
    manufacturer (any casing), name (a glob, any casing), released strictly before an instant or a date.
    Validated before any request; a driver with a value the metadata does not name simply does not match."""

    def __init__(self, params, status_option='approval_status'):
        self.status = _enum(status_option, params[status_option], APPROVAL_STATUSES) if params.get(status_option) else None
        self.category = _enum('category', params['category'], CATEGORIES) if params.get('category') else None
        self.driver_class = params.get('driver_class')
        self.manufacturer = params.get('manufacturer')
        self.name = params.get('name')
        try:
            before = _RELEASED_BEFORE.validate(params.get('released_before'))
        except ValueError as exc:
            raise ModuleInputError(str(exc))
        self.released_before = parse_datetimeoffset(before) if before else None

    @staticmethod
    def _same(wanted, value):
        return isinstance(value, str) and wanted.lower() == value.lower()

    def matches(self, driver):
        if self.status is not None and not self._same(self.status, driver.get('approvalStatus')):
            return False
        if self.category is not None and not self._same(self.category, driver.get('category')):
            return False
        if self.driver_class is not None and not self._same(self.driver_class, driver.get('driverClass')):
            return False
        if self.manufacturer is not None and not self._same(self.manufacturer, driver.get('manufacturer')):
            return False
        if self.name is not None and not fnmatch.fnmatchcase(str(driver.get('name') or '').lower(), self.name.lower()):
            return False
        if self.released_before is not None:
            try:
                released = parse_datetimeoffset(driver.get('releaseDateTime'))
            except ValueError:
                return False
            if released >= self.released_before:
                return False
        return True

    def pick(self, drivers):
        return [driver for driver in drivers if self.matches(driver)]


def _check_ids(params, *options):
    """profile_id and every driver id become path segments or are sent as ids: checked before any request."""
    DRIVER_PROFILE.check_ids(params)
    for option in options:
        value = params.get(option)
        for one in (value if isinstance(value, list) else [value]):
            if one is not None:
                check_id(option, one)


def profile_path(params):
    return DRIVER_PROFILE.item_path(params, params['profile_id'])


def read_profile(client, params):
    profile = client.get_optional(profile_path(params))
    if profile is None:
        raise ModuleInputError('%s %s was not found' % (DRIVER_PROFILE.name, params['profile_id']))
    return profile


def read_drivers(client, params):
    return [item for item in client.get_all(profile_path(params) + '/' + INVENTORY_SEGMENT) if isinstance(item, dict)]


def _last_sync(profile):
    status = profile.get('inventorySyncStatus') if isinstance(profile.get('inventorySyncStatus'), dict) else {}
    try:
        return parse_datetimeoffset(status.get('lastSuccessfulSyncDateTime'))
    except ValueError:
        return None


def sync_inventory(client, params, sleep=time.sleep, clock=time.monotonic, interval=5):
    """POST .../syncInventory, then read the profile until its inventorySyncStatus shows a sync newer than the one
    before (or a failure), at most sync_timeout seconds. Returns the profile as last read."""
    before = _last_sync(read_profile(client, params))
    client.post(profile_path(params) + '/syncInventory', None)
    deadline = clock() + params['sync_timeout']
    while True:
        profile = read_profile(client, params)
        status = profile.get('inventorySyncStatus') if isinstance(profile.get('inventorySyncStatus'), dict) else {}
        state = str(status.get('driverInventorySyncState') or '').lower()
        last = _last_sync(profile)
        if state == 'failure':
            raise GraphError(200, 'InventorySyncFailed', 'the driver inventory sync of %s %s failed (inventorySyncStatus %s)' % (
                DRIVER_PROFILE.name, params['profile_id'], status))
        if state == 'success' and last is not None and (before is None or last > before):
            return profile
        if clock() >= deadline:
            raise GraphError(200, 'InventorySyncTimeout', 'the driver inventory sync of %s %s did not finish within %d seconds '
                             '(inventorySyncStatus %s); raise sync_timeout or list the inventory later' % (
                                 DRIVER_PROFILE.name, params['profile_id'], params['sync_timeout'], status))
        sleep(interval)


def read_inventory(module, entity=None):
    """windows_driver_update_inventory_info: the drivers of a profile, filtered (after a sync when asked)."""
    params = module.params
    _check_ids(params, 'driver_id')
    if params['sync_timeout'] < 0:
        raise ModuleInputError('sync_timeout must be 0 or more seconds, got %s' % params['sync_timeout'])
    selection = DriverSelection(params)
    client = module.client
    result = {'changed': False}
    if params['sync'] and module.check_mode:
        result['warnings'] = ['check mode: the inventory sync (syncInventory) was not requested; the drivers are those Graph lists now']
        profile = read_profile(client, params)
    elif params['sync']:
        profile = sync_inventory(client, params)
        result['synced'] = True
    else:
        profile = read_profile(client, params)
    if params.get('driver_id'):
        found = client.get_optional(profile_path(params) + '/' + INVENTORY_SEGMENT + '/' + params['driver_id'])
        drivers = [found] if isinstance(found, dict) else []
    else:
        drivers = read_drivers(client, params)
    result['drivers'] = [clean(driver) for driver in selection.pick(drivers)]
    result['inventory_sync_status'] = profile.get('inventorySyncStatus')
    return result


# -- approvals -------------------------------------------------------------------------------------------
def _summary(driver):
    return dict((key, driver.get(key)) for key in ('name', 'version', 'manufacturer', 'driverClass', 'approvalStatus', 'deployDateTime'))


def _needs(driver, wanted, deployment):
    if str(driver.get('approvalStatus') or '').lower() != wanted.lower():
        return True
    if wanted == 'approved' and deployment is not None:
        try:
            return parse_datetimeoffset(driver.get('deployDateTime')) != parse_datetimeoffset(deployment)
        except ValueError:
            return True
    return False


def action_body(action, driver_ids, deployment=None):
    """The parameters of executeAction: actionName (driverApprovalAction), driverIds, deploymentDate (approve only)."""
    body = {'actionName': action, 'driverIds': list(driver_ids)}
    if deployment is not None:
        body['deploymentDate'] = deployment
    return body


def apply_approval(module, entity=None):
    """windows_driver_approval: one executeAction with the selected drivers whose status (or deployment date) differs."""
    params = module.params
    _check_ids(params, 'driver_ids')
    wanted = params['approval_status']
    if not any(params.get(option) for option in APPROVAL_SELECTORS):
        raise ModuleInputError('windows_driver_approval: name the drivers with driver_ids or with at least one of %s' % (
            ', '.join(APPROVAL_SELECTORS[1:])))
    try:
        deployment = _DEPLOYMENT_DATE.validate(params.get('deployment_date'))
    except ValueError as exc:
        raise ModuleInputError(str(exc))
    if deployment is not None and wanted != 'approved':
        raise ModuleInputError('deployment_date is the date approved drivers deploy; it cannot be used with approval_status=%s' % wanted)
    selection = DriverSelection(params, status_option='current_approval_status')
    client = module.client
    profile = read_profile(client, params)
    approval_type = str(profile.get('approvalType') or '')
    if approval_type.lower() != 'manual':
        raise ModuleInputError('%s %s approves its drivers %s (approvalType %s); only a manual profile takes driver approvals' % (
            DRIVER_PROFILE.name, params['profile_id'], 'automatically' if approval_type.lower() == 'automatic' else 'its own way',
            approval_type or 'unknown'))
    drivers = read_drivers(client, params)
    if params.get('driver_ids'):
        by_id = dict((str(driver.get('id')).lower(), driver) for driver in drivers)
        missing = [driver_id for driver_id in params['driver_ids'] if driver_id.lower() not in by_id]
        if missing:
            raise ModuleInputError('%s %s has no driver %s in its inventory; nothing was changed' % (
                DRIVER_PROFILE.name, params['profile_id'], ', '.join(missing)))
        drivers = [by_id[driver_id.lower()] for driver_id in dict.fromkeys(params['driver_ids'])]
    selected = selection.pick(drivers)
    to_change = [driver for driver in selected if _needs(driver, wanted, deployment)]
    action = ACTION_OF[wanted]
    result = {'changed': bool(to_change), 'action': action, 'driver_ids': [driver.get('id') for driver in to_change],
              'drivers': [clean(driver) for driver in selected]}
    if to_change and not module.check_mode:
        answer = client.post(profile_path(params) + '/executeAction', action_body(action, result['driver_ids'], deployment))
        outcome = answer.get('value') if isinstance(answer, dict) and isinstance(answer.get('value'), dict) else answer
        outcome = outcome if isinstance(outcome, dict) else {}
        failed = list(outcome.get('failedDriverIds') or []) + list(outcome.get('notFoundDriverIds') or [])
        result['action_result'] = clean(outcome)
        if failed:
            raise GraphError(200, 'DriverActionFailed', 'executeAction %s on %s %s failed for %s' % (
                action, DRIVER_PROFILE.name, params['profile_id'], ', '.join(str(one) for one in failed)))
        drivers_after = read_drivers(client, params)
        after_by_id = dict((str(driver.get('id')).lower(), driver) for driver in drivers_after)
        result['drivers'] = [clean(after_by_id.get(str(driver.get('id')).lower(), driver)) for driver in selected]
    if module._diff:
        before = dict((driver.get('id'), _summary(driver)) for driver in to_change)
        after = {}
        for driver in to_change:
            summary = dict(_summary(driver), approvalStatus=wanted)
            if deployment is not None:
                summary['deployDateTime'] = deployment
            after[driver.get('id')] = summary
        result['diff'] = {'before': before, 'after': after}
    return result
