"""windowsUpdates quality update rings: CRUD and Graph's validation."""
from __future__ import annotations

import pytest

from emulator_testlib import EMPTY_POLICY_ID, POLICY_ID, RING_ID, RINGS, assert_graph_error

RING_TYPE = "#microsoft.graph.windowsUpdates.qualityUpdateRing"
GROUP_A = "aaaaaaaa-0000-4000-8000-00000000000a"
GROUP_B = "bbbbbbbb-0000-4000-8000-00000000000b"


def new_ring(**fields):
    body = {"@odata.type": RING_TYPE, "displayName": "Ring1 - Pilot"}
    body.update(fields)
    return body


def test_list_policies_and_seeded_ring(graph):
    policies = graph.get("/beta/admin/windows/updates/policies").json()["value"]
    assert {p["id"] for p in policies} == {POLICY_ID, EMPTY_POLICY_ID}
    assert graph.get("/beta/admin/windows/updates/policies/" + POLICY_ID).json()["id"] == POLICY_ID
    ring = graph.get(RINGS + "/" + RING_ID).json()
    assert ring["@odata.context"].endswith("$metadata#admin/windows/updates/policies('%s')/rings/$entity" % POLICY_ID)
    assert ring["@odata.type"] == RING_TYPE
    assert ring["displayName"] == "Ring0 - IT devices" and ring["deferralInDays"] == 5
    assert ring["isPaused"] is False and ring["isHotpatchEnabled"] is True
    assert ring["includedGroupAssignment"] == {"@odata.type": "#microsoft.graph.windowsUpdates.includedGroupAssignment"}
    assert ring["excludedGroupAssignment"] == {"@odata.type": "#microsoft.graph.windowsUpdates.excludedGroupAssignment"}
    assert ring["createdDateTime"] == "2020-06-09T10:00:00.0000000Z"
    assert graph.get("/beta/admin/windows/updates/policies/%s/rings" % EMPTY_POLICY_ID).json()["value"] == []


def test_ring_crud(graph):
    created = graph.post(RINGS, json=new_ring(
        description="Pilot devices", deferralInDays=7, isPaused=False, isHotpatchEnabled=False,
        includedGroupAssignment={"@odata.type": "#microsoft.graph.windowsUpdates.includedGroupAssignment",
                                 "assignments": [{"@odata.type": "#microsoft.graph.windowsUpdates.assignedGroup", "groupId": GROUP_A}]},
    ))
    assert created.status_code == 201, created.text
    ring = created.json()
    assert ring["id"] and ring["id"] != RING_ID
    assert created.headers["Location"].endswith("/rings('%s')" % ring["id"])
    assert ring["includedGroupAssignment"]["assignments"] == [
        {"@odata.type": "#microsoft.graph.windowsUpdates.assignedGroup", "groupId": GROUP_A}]
    assert ring["createdDateTime"] == ring["lastModifiedDateTime"]
    url = RINGS + "/" + ring["id"]

    patched = graph.patch(url, json={"@odata.type": RING_TYPE, "deferralInDays": 10, "id": "ignored",
                                     "includedGroupAssignment": {"assignments": [{"groupId": GROUP_B}]}})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["id"] == ring["id"] and body["deferralInDays"] == 10 and body["description"] == "Pilot devices"
    assert body["includedGroupAssignment"] == {"@odata.type": "#microsoft.graph.windowsUpdates.includedGroupAssignment",
                                               "assignments": [{"@odata.type": "#microsoft.graph.windowsUpdates.assignedGroup",
                                                                "groupId": GROUP_B}]}
    assert body["lastModifiedDateTime"] > ring["lastModifiedDateTime"]
    assert body["createdDateTime"] == ring["createdDateTime"]
    assert graph.get(url).json()["deferralInDays"] == 10

    assert graph.delete(url).status_code == 204
    assert_graph_error(graph.get(url), 404, "NotFound")
    assert_graph_error(graph.delete(url), 404, "NotFound")


def test_defaults_on_create(graph):
    ring = graph.post(RINGS, json=new_ring()).json()
    assert ring["deferralInDays"] == 0 and ring["isPaused"] is False and ring["isHotpatchEnabled"] is False
    assert ring["description"] is None


def test_ids_are_case_insensitive(graph):
    assert graph.get(RINGS.upper().replace("/BETA/ADMIN/WINDOWS/UPDATES/POLICIES", "/beta/admin/windows/updates/policies")
                     + "/" + RING_ID.upper()).status_code == 200


@pytest.mark.parametrize("method", ["post", "patch"])
@pytest.mark.parametrize("fields, message", [
    ({"deferralInDays": 31}, "The value of deferralInDays must be between 0 and 30."),
    ({"deferralInDays": -1}, "The value of deferralInDays must be between 0 and 30."),
    ({"description": "d" * 1501}, "The length of description must not exceed 1500 characters."),
    ({"displayName": "n" * 201}, "The length of displayName must not exceed 200 characters."),
    ({"bogus": 1}, "The property 'bogus' does not exist on type 'microsoft.graph.windowsUpdates.qualityUpdateRing'."),
    ({"deferralInDays": "5"}, "Cannot convert the literal '5' to the expected type 'Edm.Int32'."),
    ({"deferralInDays": 2 ** 31}, "Cannot convert the literal '2147483648' to the expected type 'Edm.Int32'."),
    ({"isPaused": "true"}, "Cannot convert the literal 'true' to the expected type 'Edm.Boolean'."),
    ({"isPaused": None}, "does not allow null values"),
    ({"includedGroupAssignment": {"assignments": [{"groupId": "not-a-guid"}]}}, "groupId"),
    ({"excludedGroupAssignment": {"assignments": [{"group": "x"}]}}, "The property 'group' does not exist"),
    ({"excludedGroupAssignment": {"@odata.type": "#microsoft.graph.windowsUpdates.includedGroupAssignment"}}, "could not be resolved"),
    ({"@odata.type": "#microsoft.graph.windowsUpdates.featureUpdateRing"}, "not compatible"),
])
def test_validation_errors(graph, method, fields, message):
    if method == "post":
        response = graph.post(RINGS, json=new_ring(**fields))
    else:
        response = graph.patch(RINGS + "/" + RING_ID, json=fields)
    assert_graph_error(response, 400, "BadRequest", message)
    assert graph.get(RINGS + "/" + RING_ID).json()["deferralInDays"] == 5
    assert len(graph.get(RINGS).json()["value"]) == 1


def test_boundaries_accepted(graph):
    assert graph.post(RINGS, json=new_ring(deferralInDays=30, description="d" * 1500, displayName="n" * 200)).status_code == 201
    assert graph.patch(RINGS + "/" + RING_ID, json={"deferralInDays": 0}).status_code == 200


def test_post_needs_type_and_display_name(graph):
    assert_graph_error(graph.post(RINGS, json={"displayName": "x"}), 400, "BadRequest", "@odata.type")
    assert_graph_error(graph.post(RINGS, json={"@odata.type": "#microsoft.graph.windowsUpdates.ring", "displayName": "x"}),
                       400, "BadRequest")
    assert_graph_error(graph.post(RINGS, json={"@odata.type": RING_TYPE}), 400, "BadRequest", "displayName")


def test_bodies_must_be_json(graph):
    url = RINGS + "/" + RING_ID
    assert_graph_error(graph.patch(url, data="{not json", headers={"Content-Type": "application/json"}), 400, "BadRequest",
                       "Unable to read JSON request payload")
    assert_graph_error(graph.patch(url, data="deferralInDays=3", headers={"Content-Type": "text/plain"}), 415, "BadRequest")
    assert_graph_error(graph.patch(url, data=b"", headers={"Content-Type": "application/json"}), 400, "BadRequest", "Empty Payload")
    assert_graph_error(graph.patch(url, json=[1, 2]), 400, "BadRequest")


def test_unknown_policy_and_wrong_method(graph):
    missing = "/beta/admin/windows/updates/policies/00000000-0000-0000-0000-000000000000/rings"
    assert_graph_error(graph.get(missing), 404, "NotFound")
    assert_graph_error(graph.post(missing, json=new_ring()), 404, "NotFound")
    assert_graph_error(graph.delete(RINGS), 400, "BadRequest", "No HTTP resource was found")
    assert_graph_error(graph.post("/beta/admin/windows/updates/policies/" + POLICY_ID, json={}), 400, "BadRequest")
