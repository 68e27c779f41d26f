"""Deployment rings of a quality update policy: /admin/windows/updates/policies/{id}/rings (qualityUpdateRing)."""
from __future__ import annotations

from ..declaration import Entity
from ..schema import WINDOWS_UPDATES, WU
from ..validation import Boolean, Collection, Complex, EntityType, Int, String, ValidationError, int_range, is_guid, max_length, not_empty
from .policies import POLICIES


def _group_id_required(assigned: dict):
    if not is_guid(assigned.get("groupId")):
        raise ValidationError("The groupId of an assignedGroup must be a valid group id (GUID), got '%s'." % assigned.get("groupId"))


ASSIGNED_GROUP = Complex(WU + "assignedGroup", {"groupId": String()}, checks=(_group_id_required,))
INCLUDED_GROUP_ASSIGNMENT = Complex(WU + "includedGroupAssignment", {"assignments": Collection(ASSIGNED_GROUP)}, omit_empty=("assignments",))
EXCLUDED_GROUP_ASSIGNMENT = Complex(WU + "excludedGroupAssignment", {"assignments": Collection(ASSIGNED_GROUP)}, omit_empty=("assignments",))

RING_TYPE = EntityType(
    WU + "qualityUpdateRing",
    {
        "displayName": String(),
        "description": String(),
        "includedGroupAssignment": INCLUDED_GROUP_ASSIGNMENT,
        "excludedGroupAssignment": EXCLUDED_GROUP_ASSIGNMENT,
        "deferralInDays": Int(),
        "isPaused": Boolean(),
        "isHotpatchEnabled": Boolean(),
    },
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("displayName",),
    defaults={
        "deferralInDays": 0,
        "isPaused": False,
        "isHotpatchEnabled": False,
        "includedGroupAssignment": INCLUDED_GROUP_ASSIGNMENT.empty(),
        "excludedGroupAssignment": EXCLUDED_GROUP_ASSIGNMENT.empty(),
    },
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500), int_range("deferralInDays", 0, 30)),
    create_types=(WU + "qualityUpdateRing",),
    base_types=(WU + "ring",),
    timestamps=True,
)

RINGS = Entity("ring", RING_TYPE, parent=POLICIES, path=("rings",), key="ringId", store="rings", service=WINDOWS_UPDATES)
