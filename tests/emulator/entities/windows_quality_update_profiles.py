"""Intune's Windows quality update profiles (expedited quality updates): /deviceManagement/windowsQualityUpdateProfiles.

Types from the beta metadata (msgraph-beta-sdk windows_quality_update_profile.py, expedited_windows_quality_update_settings.py,
windows_quality_update_profile_assignment.py; no enum). expeditedUpdateSettings is a complex value (a PATCH replaces it
whole); qualityUpdateRelease is an Edm.String holding the release date ("2025-04-08T00:00:00Z"); daysUntilForcedReboot is
0 to 2. releaseDateDisplayName and deployableContentDisplayName are computed by the service from the release.
Assignments: GET .../{id}/assignments, POST .../{id}/assign.
"""
from __future__ import annotations

import datetime

from ..declaration import Assignments, Entity
from ..schema import ASSIGNMENT_TARGET, INTUNE_CONFIGURATION
from ..validation import Collection, Complex, EntityType, NullableInt, String, ValidationError, not_empty, parse_datetime_offset


def _settings(settings: dict):
    days = settings.get("daysUntilForcedReboot")
    if days is not None and not 0 <= days <= 2:
        raise ValidationError("The value of daysUntilForcedReboot must be between 0 and 2.")
    release = settings.get("qualityUpdateRelease")
    if release is not None:
        try:
            parse_datetime_offset(release)
        except ValidationError:
            raise ValidationError("The qualityUpdateRelease '%s' is not a quality update release date." % release)


def _release_required(profile: dict):
    if not (profile.get("expeditedUpdateSettings") or {}).get("qualityUpdateRelease"):
        raise ValidationError("The expeditedUpdateSettings of a quality update profile must name a qualityUpdateRelease.")


def _computed(profile: dict):
    release = (profile.get("expeditedUpdateSettings") or {}).get("qualityUpdateRelease")
    day = datetime.datetime.strptime(parse_datetime_offset(release)[:10], "%Y-%m-%d") if release else None
    profile["releaseDateDisplayName"] = "%s %d, %d" % (day.strftime("%B"), day.day, day.year) if day else None
    profile["deployableContentDisplayName"] = ("%s - %s B Security Updates for Windows" % (day.strftime("%m/%d/%Y"), day.strftime("%Y.%m"))
                                               if day else None)


SETTINGS = Complex("microsoft.graph.expeditedWindowsQualityUpdateSettings", {
    "qualityUpdateRelease": String(), "daysUntilForcedReboot": NullableInt(),
}, checks=(_settings,))

PROFILE = EntityType(
    "microsoft.graph.windowsQualityUpdateProfile",
    {"displayName": String(), "description": String(), "expeditedUpdateSettings": SETTINGS, "roleScopeTagIds": Collection(String())},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime", "releaseDateDisplayName", "deployableContentDisplayName"),
    required=("displayName", "expeditedUpdateSettings"),
    defaults={"roleScopeTagIds": ["0"]},
    checks=(not_empty("displayName"), _release_required),
    timestamps=True,
)
ASSIGNMENT = Complex("microsoft.graph.windowsQualityUpdateProfileAssignment", {"id": String(), "target": ASSIGNMENT_TARGET})

WINDOWS_QUALITY_UPDATE_PROFILES = Entity(
    "windowsQualityUpdateProfile", PROFILE, plural="windows quality update profiles",
    path=("deviceManagement", "windowsQualityUpdateProfiles"), key="profileId", store="windowsQualityUpdateProfiles",
    seed=("deviceManagement", "windowsQualityUpdateProfiles"), service=INTUNE_CONFIGURATION,
    assignments=Assignments(ASSIGNMENT, store="windowsQualityUpdateProfileAssignments"),
    on_create=lambda ctx, entity: _computed(entity), on_update=lambda ctx, before, after: _computed(after),
)
