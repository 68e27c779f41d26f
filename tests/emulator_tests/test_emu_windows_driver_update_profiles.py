"""windowsDriverUpdateProfile and its driverInventories (tests/emulator/entities/windows_driver_update_profiles.py):
create, the fixed approvalType, group-only assignments, syncInventory filling the inventory, executeAction."""
from __future__ import annotations

import pytest

from emulator_testlib import assert_graph_error

PROFILES = "/beta/deviceManagement/windowsDriverUpdateProfiles"
PROFILE_TYPE = "#microsoft.graph.windowsDriverUpdateProfile"
G1 = "0b1c2d3e-0000-4000-8000-00000000a001"


def create(graph, **body):
    response = graph.post(PROFILES, json=dict({"@odata.type": PROFILE_TYPE, "displayName": "Drivers", "approvalType": "manual"}, **body))
    assert response.status_code == 201, response.text
    return response.json()


def synced(graph, profile):
    item = "%s/%s" % (PROFILES, profile["id"])
    response = graph.post(item + "/syncInventory")
    assert response.status_code == 204, response.text
    return graph.get(item + "/driverInventories").json()["value"]


def test_create_is_pending_and_approval_type_is_fixed(graph):
    created = create(graph, description="pilot")
    assert created["inventorySyncStatus"]["driverInventorySyncState"] == "pending"
    assert created["newUpdates"] == 0 and created["deviceReporting"] == 0 and created["roleScopeTagIds"] == ["0"]
    item = "%s/%s" % (PROFILES, created["id"])
    assert graph.patch(item, json={"description": "x", "newUpdates": 99}).status_code in (200, 204)
    assert graph.get(item).json()["newUpdates"] == 0
    assert_graph_error(graph.patch(item, json={"approvalType": "automatic"}), 400, "BadRequest", "cannot be changed")
    assert graph.get(item + "/driverInventories").json()["value"] == []


@pytest.mark.parametrize("body, message", [
    ({"approvalType": "sometimes"}, "Requested value 'sometimes' was not found."),
    ({"deploymentDeferralInDays": 31}, "deploymentDeferralInDays"),
    ({"approvalType": None}, "does not allow null values"),
])
def test_create_validation(graph, body, message):
    response = graph.post(PROFILES, json=dict({"@odata.type": PROFILE_TYPE, "displayName": "Drivers", "approvalType": "manual"}, **body))
    assert_graph_error(response, 400, "BadRequest", message)


def test_assignments_take_groups_only(graph):
    item = "%s/%s" % (PROFILES, create(graph)["id"])
    assignment = {"@odata.type": "#microsoft.graph.windowsDriverUpdateProfileAssignment",
                  "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": G1}}
    assert graph.post(item + "/assign", json={"assignments": [assignment]}).status_code == 200
    assert [a["target"]["groupId"] for a in graph.get(item + "/assignments").json()["value"]] == [G1]
    everyone = dict(assignment, target={"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"})
    assert_graph_error(graph.post(item + "/assign", json={"assignments": [everyone]}), 400, "BadRequest", "groups only")


def test_sync_fills_the_inventory_once(graph):
    profile = create(graph)
    drivers = synced(graph, profile)
    assert len(drivers) >= 6 and {d["approvalStatus"] for d in drivers} == {"needsReview"}
    assert {"Display", "Net", "Firmware"} <= {d["driverClass"] for d in drivers}
    assert all(d["releaseDateTime"].endswith("Z") and d["manufacturer"] for d in drivers)
    after = graph.get("%s/%s" % (PROFILES, profile["id"])).json()
    assert after["inventorySyncStatus"]["driverInventorySyncState"] == "success" and after["newUpdates"] == len(drivers)
    assert len(synced(graph, profile)) == len(drivers)  # a resync adds no duplicate


def test_automatic_profile_approves_recommended_drivers_on_sync(graph):
    drivers = synced(graph, create(graph, approvalType="automatic", deploymentDeferralInDays=3))
    assert {d["approvalStatus"] for d in drivers if d["category"] == "recommended"} == {"approved"}
    assert {d["approvalStatus"] for d in drivers if d["category"] == "other"} == {"needsReview"}


def test_execute_action(graph):
    profile = create(graph)
    drivers = synced(graph, profile)
    item = "%s/%s" % (PROFILES, profile["id"])
    ids = [drivers[0]["id"], drivers[1]["id"]]
    response = graph.post(item + "/executeAction", json={"actionName": "approve", "driverIds": ids + ["nope"],
                                                         "deploymentDate": "2026-12-01T00:00:00Z"})
    assert response.status_code == 200, response.text
    result = response.json()["value"]
    assert result["successfulDriverIds"] == ids and result["notFoundDriverIds"] == ["nope"] and result["failedDriverIds"] == []
    listed = {d["id"]: d for d in graph.get(item + "/driverInventories").json()["value"]}
    assert listed[ids[0]]["approvalStatus"] == "approved" and listed[ids[0]]["deployDateTime"].startswith("2026-12-01T00:00:00")
    assert graph.get(item).json()["newUpdates"] == len(drivers) - 2
    assert graph.post(item + "/executeAction", json={"actionName": "suspend", "driverIds": ids[:1]}).status_code == 200
    assert graph.get(item + "/driverInventories/" + ids[0]).json()["approvalStatus"] == "suspended"


@pytest.mark.parametrize("body, message", [
    ({"actionName": "approve", "driverIds": []}, "at least one driver"),
    ({"actionName": "bless", "driverIds": ["x"]}, "Requested value 'bless' was not found."),
    ({"actionName": "unknownFutureValue", "driverIds": ["x"]}, "not supported"),
    ({"actionName": "decline", "driverIds": ["x"], "deploymentDate": "2026-12-01T00:00:00Z"}, "only supported with the approve"),
    ({"actionName": "approve", "driverIds": ["x"], "when": "now"}, "not a valid parameter"),
])
def test_execute_action_validation(graph, body, message):
    item = "%s/%s" % (PROFILES, create(graph)["id"])
    assert_graph_error(graph.post(item + "/executeAction", json=body), 400, "BadRequest", message)


def test_execute_action_refuses_an_automatic_profile(graph):
    profile = create(graph, approvalType="automatic")
    drivers = synced(graph, profile)
    response = graph.post("%s/%s/executeAction" % (PROFILES, profile["id"]), json={"actionName": "approve", "driverIds": [drivers[0]["id"]]})
    assert_graph_error(response, 400, "BadRequest", "manual approval")
