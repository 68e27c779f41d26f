"""Intune's Windows quality update policies (hotpatch): /deviceManagement/windowsQualityUpdatePolicies.

Types from the beta metadata (msgraph-beta-sdk windows_quality_update_policy.py, windows_quality_update_approval_setting.py,
windows_quality_update_policy_assignment.py and the enums windowsQualityUpdateCadence, windowsQualityUpdateCategory,
windowsQualityUpdatePolicyApprovalMethodType). The wire name of the deferral is deferredDeploymentInDay (singular); a policy
holds at most 6 approval settings. Assignments: GET .../{id}/assignments, POST .../{id}/assign.
"""
from __future__ import annotations

from ..declaration import Assignments, Entity
from ..schema import ASSIGNMENT_TARGET, INTUNE_CONFIGURATION, graph_enum
from ..validation import Boolean, Collection, Complex, EntityType, NullableInt, String, ValidationError, max_length, not_empty

CADENCE = graph_enum("windowsQualityUpdateCadence", ("monthly", "outOfBand", "unknownFutureValue"))
CATEGORY = graph_enum("windowsQualityUpdateCategory", ("all", "security", "nonSecurity", "unknownFutureValue", "quickMachineRecovery"))
APPROVAL_METHOD = graph_enum("windowsQualityUpdatePolicyApprovalMethodType", ("manual", "automatic", "unknownFutureValue"))


def _deferral(setting: dict):
    value = setting.get("deferredDeploymentInDay")
    if value is not None and value < 0:
        raise ValidationError("The value of deferredDeploymentInDay must be 0 or more.")


def _at_most_six(policy: dict):
    if len(policy.get("approvalSettings") or ()) > 6:
        raise ValidationError("A policy supports at most 6 approval settings.")


APPROVAL_SETTING = Complex("microsoft.graph.windowsQualityUpdateApprovalSetting", {
    "windowsQualityUpdateCadence": CADENCE, "windowsQualityUpdateCategory": CATEGORY,
    "approvalMethodType": APPROVAL_METHOD, "deferredDeploymentInDay": NullableInt(),
}, checks=(_deferral,))

POLICY = EntityType(
    "microsoft.graph.windowsQualityUpdatePolicy",
    {"displayName": String(), "description": String(), "hotpatchEnabled": Boolean(),
     "approvalSettings": Collection(APPROVAL_SETTING), "roleScopeTagIds": Collection(String())},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("displayName",),
    defaults={"hotpatchEnabled": False, "roleScopeTagIds": ["0"], "approvalSettings": []},
    checks=(not_empty("displayName"), max_length("displayName", 200), max_length("description", 1500), _at_most_six),
    timestamps=True,
)
ASSIGNMENT = Complex("microsoft.graph.windowsQualityUpdatePolicyAssignment", {"id": String(), "target": ASSIGNMENT_TARGET})

WINDOWS_QUALITY_UPDATE_POLICIES = Entity(
    "windowsQualityUpdatePolicy", POLICY, plural="windows quality update policies",
    path=("deviceManagement", "windowsQualityUpdatePolicies"), key="policyId", store="windowsQualityUpdatePolicies",
    seed=("deviceManagement", "windowsQualityUpdatePolicies"), service=INTUNE_CONFIGURATION,
    assignments=Assignments(ASSIGNMENT, store="windowsQualityUpdatePolicyAssignments"),
)
