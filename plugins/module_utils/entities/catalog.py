# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows Update catalog (windowsUpdates catalogEntry and its derived types), read by windows_update_catalog_info."""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import parse_datetimeoffset
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity
from ansible_collections.graphops.intune.plugins.module_utils.entities.policies import CADENCES, CLASSIFICATIONS

NAMESPACE = 'microsoft.graph.windowsUpdates.'

# kind option -> derived type of catalogEntry (Graph beta metadata).
KINDS = {
    'quality': NAMESPACE + 'qualityUpdateCatalogEntry',
    'feature': NAMESPACE + 'featureUpdateCatalogEntry',
    'driver': NAMESPACE + 'driverUpdateCatalogEntry',
    'recovery': NAMESPACE + 'recoveryUpdateCatalogEntry',
}

CATALOG_ENTRY = Entity(
    name='catalog entry',
    result_key='entry',
    collection=lambda p: ('admin', 'windows', 'updates', 'catalog', 'entries'),
    id_option='catalog_entry_id',
    can_create=False,
    can_delete=False,
    fields=[],
)

CLASSIFICATION = Field('classification', 'qualityUpdateClassification', kind='enum', choices=CLASSIFICATIONS)
CADENCE = Field('cadence', 'qualityUpdateCadence', kind='enum', choices=CADENCES)
RELEASED_AFTER = Field('released_after', 'releaseDateTime', kind='datetime')


def kind_filter(kind):
    """The server-side $filter for a kind: Graph filters derived types of the catalog with isof()."""
    return "isof('%s')" % KINDS[kind]


def kind_of(entry):
    """'quality', 'feature', ... from an entry's @odata.type; the type's own name for a type this table does not know."""
    odata_type = str(entry.get('@odata.type') or '').lstrip('#')
    for kind, type_name in KINDS.items():
        if odata_type.lower() == type_name.lower():
            return kind
    return odata_type.rsplit('.', 1)[-1] or 'unknown'


def _instant(value):
    try:
        return parse_datetimeoffset(value)
    except ValueError:
        return None


def _same(wanted, value):
    return isinstance(value, str) and value.lower() == wanted.lower()


def select(entries, classification=None, cadence=None, released_after=None, latest=False):
    """Client-side filters: classification and cadence (quality entries), released strictly after an instant,
    and latest: the newest entry per kind and classification (ties: the larger id, so the answer is stable)."""
    after = parse_datetimeoffset(released_after) if released_after else None
    picked = []
    for entry in entries:
        if classification is not None and not _same(classification, entry.get('qualityUpdateClassification')):
            continue
        if cadence is not None and not _same(cadence, entry.get('qualityUpdateCadence')):
            continue
        released = _instant(entry.get('releaseDateTime'))
        if after is not None and (released is None or released <= after):
            continue
        picked.append(entry)
    if latest:
        newest = {}
        for entry in picked:
            group = (kind_of(entry), str(entry.get('qualityUpdateClassification') or '').lower())
            rank = (_instant(entry.get('releaseDateTime')) or -1, str(entry.get('id') or ''))
            if group not in newest or rank > newest[group][0]:
                newest[group] = (rank, entry)
        keep = set(id(entry) for _rank, entry in newest.values())
        picked = [entry for entry in picked if id(entry) in keep]
    return sorted(picked, key=lambda entry: (_instant(entry.get('releaseDateTime')) or -1, str(entry.get('id') or '')), reverse=True)


def returned(entry):
    """An entry as the module returns it: its @odata.type kept (it names the kind), other annotations dropped."""
    return dict((key, value) for key, value in entry.items() if key == '@odata.type' or not key.startswith('@odata.'))
