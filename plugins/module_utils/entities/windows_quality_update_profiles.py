# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune's Windows quality update profiles (expedited quality updates): windowsQualityUpdateProfile at
/deviceManagement/windowsQualityUpdateProfiles, shared by windows_quality_update_profile(_info).

Properties are Graph beta's metadata (msgraph-beta-sdk models windows_quality_update_profile.py,
expedited_windows_quality_update_settings.py, windows_quality_update_profile_assignment.py; the type has no enum).
quality_update_release and days_until_forced_reboot are the two properties of the complex expeditedUpdateSettings,
sent whole. Read-only properties (id, createdDateTime, lastModifiedDateTime, releaseDateDisplayName,
deployableContentDisplayName) are returned, not options.

quality_update_release names a release by its date as Graph does ("2025-04-08T00:00:00Z"; a plain date is that day at
midnight UTC), or is latest_security: the newest security release of the Windows Update catalog, found the way
windows_update_catalog_info finds it (kind quality, classification security, latest), and reported under `resolved`.
"""

from __future__ import annotations

import datetime

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError
from ansible_collections.graphops.intune.plugins.module_utils.engine import compare
from ansible_collections.graphops.intune.plugins.module_utils.engine.assignments import Assignments
from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import DateTimeField, IntField, ListField, StrField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Listing
from ansible_collections.graphops.intune.plugins.module_utils.entities import catalog
from ansible_collections.graphops.intune.plugins.module_utils.entities.windows_feature_update_profiles import GROUPS_ONLY

ODATA_TYPE = '#microsoft.graph.windowsQualityUpdateProfile'
SETTINGS = ('expeditedUpdateSettings', '#microsoft.graph.expeditedWindowsQualityUpdateSettings')
LATEST_SECURITY = 'latest_security'


class ReleaseField(DateTimeField):
    """qualityUpdateRelease (Edm.String holding a release date): a date or date-time, sent as Graph names releases
    (midnight UTC of the day, 'YYYY-MM-DDT00:00:00Z' for a plain date), compared as instants; or latest_security."""

    def __init__(self, option=None, graph=None, **kwargs):
        super(ReleaseField, self).__init__(option, graph, accept_date=True, **kwargs)

    def check(self, value, label):
        if isinstance(value, str) and value.strip().lower() == LATEST_SECURITY:
            return LATEST_SECURITY
        try:
            return super(ReleaseField, self).check(value, label)
        except ValueError:
            raise ValueError('%s: %r is neither a release date (2025-04-08, or 2025-04-08T00:00:00Z as Graph names it) nor %s'
                             % (label, value, LATEST_SECURITY))


def release_of(entry):
    """The release name of a catalog entry: its release day (UTC) at midnight, as Graph names expedite releases."""
    ticks = compare.parse_datetimeoffset(entry.get('releaseDateTime'))
    moment = datetime.datetime.fromtimestamp(ticks // compare.TICKS_PER_SECOND, datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT00:00:00Z')


def newest_security_entry(client):
    """The newest security quality update of the catalog, selected as windows_update_catalog_info's
    kind=quality classification=security latest=true does."""
    entries = catalog.CATALOG_ENTRY.list_all(client, {}, catalog.KIND.query('quality'))
    newest = catalog.select(entries, classification='security', latest=True)
    if not newest:
        raise ModuleInputError('quality_update_release=%s: the Windows Update catalog holds no security quality update' % LATEST_SECURITY)
    return newest[0]


def resolve_release(client, desired):
    """Entity.resolve: latest_security -> the release of the newest security entry of the catalog."""
    if desired.get('quality_update_release') != LATEST_SECURITY:
        return desired, None
    entry = newest_security_entry(client)
    release = release_of(entry)
    resolved = {'quality_update_release': {'from': LATEST_SECURITY, 'release': release, 'catalog_entry': catalog.returned(entry)}}
    return dict(desired, quality_update_release=release), resolved


QUALITY_UPDATE_PROFILE = Entity(
    name='Windows quality update profile',
    result_key='profile',
    collection=('deviceManagement', 'windowsQualityUpdateProfiles'),
    id_option='profile_id',
    natural_key='display_name',
    odata_type=ODATA_TYPE,
    required_on_create=('display_name', 'quality_update_release'),
    fields=[
        StrField('display_name', 'displayName'),
        StrField('description', 'description'),
        ReleaseField('quality_update_release', 'qualityUpdateRelease', within=SETTINGS),
        # "If a reboot is required, select the number of days before it's enforced": 0 to 2
        IntField('days_until_forced_reboot', 'daysUntilForcedReboot', minimum=0, maximum=2, within=SETTINGS),
        ListField('role_scope_tag_ids', 'roleScopeTagIds'),
    ],
    assignments=Assignments('#microsoft.graph.windowsQualityUpdateProfileAssignment', unsupported=GROUPS_ONLY),
    listing=Listing('profiles'),
    resolve=resolve_release,
)
