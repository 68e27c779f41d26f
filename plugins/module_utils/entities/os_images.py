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

from ansible_collections.graphops.intune.plugins.module_utils.engine.entity import Entity
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import (
    INT32, DateField, EnumField, IntField, ListField, ObjectsField, StrField)
from ansible_collections.graphops.intune.plugins.module_utils.engine.info import Filter, Listing

# microsoft.graph.managedDeviceArchitecture
ARCHITECTURES = ('unknown', 'x86', 'x64', 'arm', 'arM64')

# microsoft.graph.managedDeviceWindowsOperatingSystemEditionType
EDITION_TYPES = ('professional', 'professionalN', 'enterprise', 'enterpriseN', 'education', 'educationN', 'proEducation',
                 'proEducationN', 'proWorkstation', 'proWorkstationN', 'unknownFutureValue')

OS_IMAGE = Entity(
    name='Windows OS image',
    result_key='os_image',
    collection=('deviceManagement', 'managedDeviceWindowsOSImages'),
    id_option='id',
    # The pages document only GET and PATCH: images are Microsoft's catalogue.
    can_create=False,
    can_delete=False,
    fields=[
        ObjectsField('supported_editions', 'supportedEditions', fields=[
            EnumField('edition_type', 'editionType', EDITION_TYPES),
            DateField('support_end_date', 'supportEndDate'),
        ]),
        ListField('supported_architectures', 'supportedArchitectures', item=EnumField(choices=ARCHITECTURES)),
        ObjectsField('available_updates', 'availableUpdates', fields=[
            StrField('build_version', 'buildVersion'),
            IntField('release_month', 'releaseMonth', minimum=1, maximum=12),
            IntField('release_year', 'releaseYear', **INT32),
        ]),
    ],
    # An image matches when its supportedArchitectures holds the value.
    listing=Listing('os_images', filters=[Filter('supported_architectures', option='supported_architecture')]),
)
