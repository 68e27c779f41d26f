"""Intune's Windows feature update profiles: /deviceManagement/windowsFeatureUpdateProfiles.

Types from the beta metadata (msgraph-beta-sdk windows_feature_update_profile.py, windows_update_rollout_settings.py,
windows_feature_update_profile_assignment.py; no enum). endOfSupportDate and deployableContentDisplayName are computed by
the service from featureUpdateVersion. Graph refuses $filter on this collection ("Query option 'Filter' is not
allowed"), and refuses installLatestWindows10OnWindows11IneligibleDevice=true since Windows 10's end of support.
Assignments: GET .../{id}/assignments, POST .../{id}/assign.
"""
from __future__ import annotations

from ..declaration import Assignments, Entity
from ..schema import ASSIGNMENT_TARGET, INTUNE_CONFIGURATION
from ..validation import Boolean, Collection, Complex, DateTimeOffset, EntityType, NullableInt, String, ValidationError, not_empty

# The versions the service knows (featureUpdateVersion -> end of support of the Enterprise and Education editions).
END_OF_SUPPORT = {
    "windows 10, version 22h2": "2025-10-14T00:00:00Z",
    "windows 11, version 22h2": "2025-10-14T00:00:00Z",
    "windows 11, version 23h2": "2026-11-10T00:00:00Z",
    "windows 11, version 24h2": "2027-10-12T00:00:00Z",
    "windows 11, version 25h2": "2028-10-10T00:00:00Z",
}


def _rollout(settings: dict):
    start, end, interval = (settings.get(k) for k in ("offerStartDateTimeInUTC", "offerEndDateTimeInUTC", "offerIntervalInDays"))
    if end is not None and (start is None or end <= start):
        raise ValidationError("The offerEndDateTimeInUTC of a rollout must be after its offerStartDateTimeInUTC.")
    if interval is not None and interval < 1:
        raise ValidationError("The value of offerIntervalInDays must be 1 or more.")


def _windows10(profile: dict):
    if profile.get("installLatestWindows10OnWindows11IneligibleDevice"):
        raise ValidationError("installLatestWindows10OnWindows11IneligibleDevice can no longer be set to true: Windows 10 has reached "
                              "its end of support.")


def _computed(profile: dict):
    """What the service derives from the version (the catalog's name and end of support; unknown versions: none)."""
    version = profile.get("featureUpdateVersion") or ""
    profile["endOfSupportDate"] = END_OF_SUPPORT.get(version.lower())
    profile["deployableContentDisplayName"] = version or None


ROLLOUT = Complex("microsoft.graph.windowsUpdateRolloutSettings", {
    "offerStartDateTimeInUTC": DateTimeOffset(), "offerEndDateTimeInUTC": DateTimeOffset(), "offerIntervalInDays": NullableInt(),
}, checks=(_rollout,))

PROFILE = EntityType(
    "microsoft.graph.windowsFeatureUpdateProfile",
    {"displayName": String(), "description": String(), "featureUpdateVersion": String(), "rolloutSettings": ROLLOUT,
     "installFeatureUpdatesOptional": Boolean(), "installLatestWindows10OnWindows11IneligibleDevice": Boolean(),
     "roleScopeTagIds": Collection(String())},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime", "endOfSupportDate", "deployableContentDisplayName"),
    required=("displayName", "featureUpdateVersion"),
    defaults={"installFeatureUpdatesOptional": False, "installLatestWindows10OnWindows11IneligibleDevice": False,
              "roleScopeTagIds": ["0"], "rolloutSettings": ROLLOUT.empty()},
    checks=(not_empty("displayName"), _windows10),
    timestamps=True,
)
ASSIGNMENT = Complex("microsoft.graph.windowsFeatureUpdateProfileAssignment", {"id": String(), "target": ASSIGNMENT_TARGET})

WINDOWS_FEATURE_UPDATE_PROFILES = Entity(
    "windowsFeatureUpdateProfile", PROFILE, plural="windows feature update profiles",
    path=("deviceManagement", "windowsFeatureUpdateProfiles"), key="profileId", store="windowsFeatureUpdateProfiles",
    seed=("deviceManagement", "windowsFeatureUpdateProfiles"), service=INTUNE_CONFIGURATION,
    assignments=Assignments(ASSIGNMENT, store="windowsFeatureUpdateProfileAssignments"),
    on_create=lambda ctx, entity: _computed(entity), on_update=lambda ctx, before, after: _computed(after),
    refused_query=("$filter",),
)
