# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows Update catalog (windowsUpdates catalogEntry and its derived types), read by windows_update_catalog_info."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import DateTimeField, EnumField
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import DerivedTypes, Filter, Listing, Newest
from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import CADENCES, CLASSIFICATIONS

NAMESPACE = 'microsoft.graph.windowsUpdates.'

# kind option -> derived type of catalogEntry (Graph beta metadata).
KINDS = {
    'quality': NAMESPACE + 'qualityUpdateCatalogEntry',
    'feature': NAMESPACE + 'featureUpdateCatalogEntry',
    'driver': NAMESPACE + 'driverUpdateCatalogEntry',
    'recovery': NAMESPACE + 'recoveryUpdateCatalogEntry',
}

CLASSIFICATION = EnumField('classification', 'qualityUpdateClassification', CLASSIFICATIONS, ansible_choices=True)
CADENCE = EnumField('cadence', 'qualityUpdateCadence', CADENCES, ansible_choices=True)
# A plain date is midnight UTC; entries released strictly after the instant match.
RELEASED_AFTER = DateTimeField('released_after', 'releaseDateTime', accept_date=True)

# classification and cadence are properties of quality entries: they imply kind=quality.
KIND = DerivedTypes('kind', KINDS, implied_by={'quality': ('classification', 'cadence')}, noun='updates')
# latest: the newest entry per kind and classification; entries are listed newest first.
LATEST = Newest('latest', 'releaseDateTime', per=(KIND.kind_of, 'qualityUpdateClassification'))

LISTING = Listing('entries', filters=[Filter(CLASSIFICATION), Filter(CADENCE), Filter(RELEASED_AFTER, after=True)],
                  kinds=KIND, newest=LATEST, keep_odata_type=True)  # @odata.type names the kind

CATALOG_ENTRY = Entity(
    name='catalog entry',
    result_key='entry',
    collection=('admin', 'windows', 'updates', 'catalog', 'entries'),
    id_option='catalog_entry_id',
    can_create=False,
    can_delete=False,
    fields=[],
    listing=LISTING,
)


def kind_filter(kind):
    """The server-side $filter for a kind: Graph filters derived types of the catalog with isof()."""
    return KIND.query(kind)['$filter']


def kind_of(entry):
    """'quality', 'feature', ... from an entry's @odata.type; the type's own name for a type this table does not know."""
    return KIND.kind_of(entry)


def select(entries, classification=None, cadence=None, released_after=None, latest=False):
    """Client-side filters: classification and cadence (quality entries), released strictly after an instant,
    and latest: the newest entry per kind and classification (ties: the larger id, so the answer is stable)."""
    params = dict(classification=classification, cadence=cadence, released_after=released_after, latest=latest)
    return LISTING.pick(CATALOG_ENTRY, entries, params)


def returned(entry):
    """An entry as the module returns it: its @odata.type kept (it names the kind), other annotations dropped."""
    return LISTING.returned(entry)
