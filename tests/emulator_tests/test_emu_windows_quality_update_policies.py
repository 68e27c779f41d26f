"""windowsQualityUpdatePolicy (tests/emulator/entities/windows_quality_update_policies.py): create, validation, assignments."""
from __future__ import annotations

import pytest

from emulator_testlib import assert_graph_error

POLICIES = "/beta/deviceManagement/windowsQualityUpdatePolicies"
POLICY_TYPE = "#microsoft.graph.windowsQualityUpdatePolicy"
SETTING = {"@odata.type": "#microsoft.graph.windowsQualityUpdateApprovalSetting", "windowsQualityUpdateCadence": "monthly",
           "windowsQualityUpdateCategory": "security", "approvalMethodType": "automatic", "deferredDeploymentInDay": 2}
G1 = "0b1c2d3e-0000-4000-8000-00000000a001"


def create(graph, **body):
    response = graph.post(POLICIES, json=dict({"@odata.type": POLICY_TYPE, "displayName": "Hotpatch"}, **body))
    assert response.status_code == 201, response.text
    return response.json()


def test_create_patch_and_assign(graph):
    created = create(graph, hotpatchEnabled=True, approvalSettings=[SETTING])
    assert created["hotpatchEnabled"] is True and created["roleScopeTagIds"] == ["0"] and created["createdDateTime"]
    assert created["approvalSettings"][0]["deferredDeploymentInDay"] == 2
    item = "%s/%s" % (POLICIES, created["id"])
    assert graph.patch(item, json={"@odata.type": POLICY_TYPE, "hotpatchEnabled": False}).status_code in (200, 204)
    assert graph.get(item).json()["hotpatchEnabled"] is False
    assign = graph.post(item + "/assign", json={"assignments": [{
        "@odata.type": "#microsoft.graph.windowsQualityUpdatePolicyAssignment",
        "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1}}]})
    assert assign.status_code in (200, 204), assign.text
    assert [a["target"]["groupId"] for a in graph.get(item + "/assignments").json()["value"]] == [G1]


@pytest.mark.parametrize("body, message", [
    ({"approvalSettings": [SETTING] * 7}, "at most 6 approval settings"),
    ({"approvalSettings": [dict(SETTING, approvalMethodType="sometimes")]}, "Requested value 'sometimes' was not found."),
    ({"approvalSettings": [dict(SETTING, deferredDeploymentInDay=-1)]}, "must be 0 or more"),
    ({"displayName": "x" * 201}, "displayName"),
])
def test_create_validation(graph, body, message):
    response = graph.post(POLICIES, json=dict({"@odata.type": POLICY_TYPE, "displayName": "Hotpatch"}, **body))
    assert_graph_error(response, 400, "BadRequest", message)
