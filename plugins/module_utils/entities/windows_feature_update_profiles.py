# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune's Windows feature update profiles: windowsFeatureUpdateProfile at /deviceManagement/windowsFeatureUpdateProfiles,
shared by windows_feature_update_profile(_info).

Properties are Graph beta's metadata (msgraph-beta-sdk models windows_feature_update_profile.py,
windows_update_rollout_settings.py, windows_feature_update_profile_assignment.py; the type has no enum). Read-only
properties (id, createdDateTime, lastModifiedDateTime, endOfSupportDate, deployableContentDisplayName) are returned, not
options. Graph refuses $filter on this collection ("Query option 'Filter' is not allowed"): the natural key is matched on
the listed names, never with a $filter.

The rollout is validated as the Intune admin center does (Rollout options for feature update policies): as soon as
possible (no date), on a specific date (offer_start alone), or gradually (offer_start, offer_end after it, and the days
between the offer groups); a gradual rollout that is written must start at least two days from now.
"""

from __future__ import annotations

import datetime

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine import compare
from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    INT32, BoolField, DateTimeField, IntField, ListField, ObjectField, StrField)
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

ODATA_TYPE = '#microsoft.graph.windowsFeatureUpdateProfile'
ROLLOUT_TYPE = '#microsoft.graph.windowsUpdateRolloutSettings'
# The admin center offers groups only for the Windows Update deployment service profiles (feature, expedite, driver).
GROUPS_ONLY = {
    'all_devices': 'Intune assigns this profile to Microsoft Entra groups only; give included_group_ids instead',
    'all_users': 'Intune assigns this profile to Microsoft Entra groups only; give included_group_ids instead',
}
GRADUAL_LEAD = datetime.timedelta(days=2)
WINDOWS10_REFUSED = ('Graph no longer accepts true: Windows 10 reached its end of support on 14 October 2025 and Intune '
                     'dropped the option to install the latest Windows 10 feature update on devices that cannot run '
                     'Windows 11; leave it out or set it to false')


def _ticks(moment):
    """A datetime as engine/compare.py's instants (100 ns ticks since the epoch)."""
    return int(moment.timestamp()) * compare.TICKS_PER_SECOND


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


class RolloutField(ObjectField):
    """windowsUpdateRolloutSettings, compared and sent whole: a sub-option left out is null on Graph (so
    `rollout: {}` makes the update available as soon as possible, and offer_start alone on that date)."""

    def check(self, value, label):
        normal = super(RolloutField, self).check(value, label)
        start, end, interval = (normal.get(option) for option in ('offer_start', 'offer_end', 'offer_interval_in_days'))
        if (end is None) != (interval is None) or (end is not None and start is None):
            raise ValueError('%s: a gradual rollout needs offer_start, offer_end and offer_interval_in_days together; '
                             'offer_start alone makes the update available on that date, no date as soon as possible' % label)
        if end is not None and compare.parse_datetimeoffset(end) <= compare.parse_datetimeoffset(start):
            raise ValueError('%s: offer_end (%s) must be after offer_start (%s)' % (label, end, start))
        return normal

    def to_wire(self, value):
        gradual = value.get('offer_end') is not None
        if gradual and compare.parse_datetimeoffset(value['offer_start']) < _ticks(_now() + GRADUAL_LEAD):
            # The admin center asks for a first group at least two days ahead (Windows Update needs the time to
            # form the offer groups); checked only when the rollout is written, so a started rollout stays as it is.
            raise ModuleInputError('rollout: a gradual rollout must start at least two days from now (Windows Update '
                                   'forms the offer groups meanwhile); offer_start %s is too soon' % value['offer_start'])
        wire = {'@odata.type': self.odata_type}
        for field in self.fields:
            item = value.get(field.option)
            wire[field.graph] = field.to_wire(item) if item is not None else None
        return wire

    def equal(self, desired, current):
        current = current or {}
        return all(field.comparable(desired.get(field.option)) == field.comparable(current.get(field.option)) for field in self.fields)


class RefusedTrueField(BoolField):
    """A Boolean Graph now refuses as true: true fails before any request, with the reason."""

    def __init__(self, option=None, graph=None, reason='', **kwargs):
        super(RefusedTrueField, self).__init__(option, graph, **kwargs)
        self.reason = reason

    def check(self, value, label):
        if value:
            raise ValueError('%s: %s' % (label, self.reason))
        return value


FEATURE_UPDATE_PROFILE = Entity(
    name='Windows feature update profile',
    result_key='profile',
    collection=('deviceManagement', 'windowsFeatureUpdateProfiles'),
    id_option='profile_id',
    natural_key='display_name',
    odata_type=ODATA_TYPE,
    required_on_create=('display_name', 'feature_update_version'),
    fields=[
        StrField('display_name', 'displayName'),
        StrField('description', 'description'),
        # "Windows 11, version 24H2": any version Graph names (the admin center lists those still in support)
        StrField('feature_update_version', 'featureUpdateVersion', ignore_case=True),
        RolloutField('rollout', 'rolloutSettings', odata_type=ROLLOUT_TYPE, fields=[
            DateTimeField('offer_start', 'offerStartDateTimeInUTC', accept_date=True),
            DateTimeField('offer_end', 'offerEndDateTimeInUTC', accept_date=True),
            IntField('offer_interval_in_days', 'offerIntervalInDays', minimum=1, maximum=INT32['maximum']),
        ]),
        BoolField('install_feature_updates_optional', 'installFeatureUpdatesOptional'),
        RefusedTrueField('install_latest_windows10_on_windows11_ineligible_device', 'installLatestWindows10OnWindows11IneligibleDevice',
                         reason=WINDOWS10_REFUSED),
        ListField('role_scope_tag_ids', 'roleScopeTagIds'),
    ],
    assignments=Assignments('#microsoft.graph.windowsFeatureUpdateProfileAssignment', unsupported=GROUPS_ONLY),
    listing=Listing('profiles', filters=[Filter('feature_update_version')]),
)
