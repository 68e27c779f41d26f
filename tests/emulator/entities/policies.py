"""Quality update policies of the windowsUpdates deployment service: /admin/windows/updates/policies.

policy is abstract; qualityUpdatePolicy is its one derived type (Graph beta metadata). Deleting a policy deletes its
rings and approvals (declared with parent=POLICY).
"""
from __future__ import annotations

from ..declaration import Entity
from ..schema import QUALITY_UPDATE_CADENCE, QUALITY_UPDATE_CLASSIFICATION, WINDOWS_UPDATES_READ, WU
from ..validation import Collection, Complex, Derived, EntityType, Int, String, ValidationError, max_length, not_empty


def _deferral_range(rule: dict):
    value = rule.get("deferralInDays")
    if isinstance(value, int) and not 0 <= value <= 30:
        raise ValidationError("The value of deferralInDays must be between 0 and 30.")


QUALITY_UPDATE_APPROVAL_RULE = Complex(
    WU + "qualityUpdateApprovalRule",
    {"deferralInDays": Int(), "cadence": QUALITY_UPDATE_CADENCE, "classification": QUALITY_UPDATE_CLASSIFICATION},
    defaults={"deferralInDays": 0, "cadence": "monthly", "classification": "all"},
    checks=(_deferral_range,),
)
RECOVERY_APPROVAL_RULE = Complex(WU + "recoveryApprovalRule", {"deferralInDays": Int()}, defaults={"deferralInDays": 0},
                                 checks=(_deferral_range,))
APPROVAL_RULE = Derived(WU + "approvalRule", (QUALITY_UPDATE_APPROVAL_RULE, RECOVERY_APPROVAL_RULE))

POLICY_TYPE = EntityType(
    WU + "qualityUpdatePolicy",
    {"displayName": String(), "description": String(), "approvalRules": Collection(APPROVAL_RULE)},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("displayName", "approvalRules"),
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500)),
    create_types=(WU + "qualityUpdatePolicy",),
    base_types=(WU + "policy",),
    timestamps=True,
)

POLICIES = Entity(
    "policy", POLICY_TYPE, plural="policies",
    path=("admin", "windows", "updates", "policies"), key="policyId", store="policies", seed=("windowsUpdates", "policies"),
    service=WINDOWS_UPDATES_READ,
)
