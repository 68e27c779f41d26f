# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows OS image entity (managedDeviceWindowsOperatingSystemImage), shared by windows_os_image(_info).

Enum members are Graph beta's metadata (msgraph-beta-sdk models), which the API pages may lag.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import INT32, Field
from ansible_collections.graphops.intune.plugins.module_utils.engine.resource import Entity

# microsoft.graph.managedDeviceArchitecture
ARCHITECTURES = ('unknown', 'x86', 'x64', 'arm', 'arM64')

# microsoft.graph.managedDeviceWindowsOperatingSystemEditionType
EDITION_TYPES = ('professional', 'professionalN', 'enterprise', 'enterpriseN', 'education', 'educationN', 'proEducation',
                 'proEducationN', 'proWorkstation', 'proWorkstationN', 'unknownFutureValue')

OS_IMAGE = Entity(
    name='Windows OS image',
    result_key='os_image',
    collection=lambda p: ('deviceManagement', 'managedDeviceWindowsOSImages'),
    id_option='id',
    # The pages document only GET and PATCH: images are Microsoft's catalogue.
    can_create=False,
    can_delete=False,
    fields=[
        Field('supported_editions', 'supportedEditions', kind='objects', fields=[
            Field('edition_type', 'editionType', kind='enum', choices=EDITION_TYPES),
            Field('support_end_date', 'supportEndDate', kind='date'),
        ]),
        Field('supported_architectures', 'supportedArchitectures', kind='list', element='enum', choices=ARCHITECTURES),
        Field('available_updates', 'availableUpdates', kind='objects', fields=[
            Field('build_version', 'buildVersion'),
            Field('release_month', 'releaseMonth', kind='int', minimum=1, maximum=12),
            Field('release_year', 'releaseYear', kind='int', **INT32),
        ]),
    ],
)
