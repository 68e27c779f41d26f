"""windowsUpdateState under the windowsUpdateForBusinessConfiguration cast segment."""
from __future__ import annotations

import pytest

from emulator_testlib import GENERAL_CONFIG_ID, UPDATE_STATE_ID, UPDATE_STATES, WUFB_ID, assert_graph_error

PAGE_EXAMPLE = {
    "@odata.type": "#microsoft.graph.windowsUpdateState",
    "deviceId": "Device Id value",
    "userId": "User Id value",
    "deviceDisplayName": "Device Display Name value",
    "userPrincipalName": "User Principal Name value",
    "status": "pendingInstallation",
    "qualityUpdateVersion": "Quality Update Version value",
    "featureUpdateVersion": "Feature Update Version value",
    "lastScanDateTime": "2016-12-31T23:59:18.0955018-08:00",
    "lastSyncDateTime": "2017-01-01T00:02:49.3205976-08:00",
}


def test_seeded_states_and_configurations(graph):
    listed = graph.get(UPDATE_STATES).json()
    assert {s["id"] for s in listed["value"]} == {UPDATE_STATE_ID, "7c1e4b2a-5d3f-4e6a-8b9c-0a1b2c3d4e5f"}
    state = graph.get(UPDATE_STATES + "/" + UPDATE_STATE_ID).json()
    assert state["@odata.type"] == "#microsoft.graph.windowsUpdateState"
    assert state["deviceId"] == "Device Id value"
    assert state["lastScanDateTime"] == "2017-01-01T07:59:18.0955018Z"
    configs = graph.get("/beta/deviceManagement/deviceConfigurations").json()["value"]
    assert {c["id"]: c["@odata.type"] for c in configs} == {
        WUFB_ID: "#microsoft.graph.windowsUpdateForBusinessConfiguration",
        GENERAL_CONFIG_ID: "#microsoft.graph.windows10GeneralConfiguration"}
    cast = graph.get("/beta/deviceManagement/deviceConfigurations/%s/microsoft.graph.windowsUpdateForBusinessConfiguration" % WUFB_ID)
    assert cast.status_code == 200 and cast.json()["displayName"] == "WUfB - Pilot ring"


def test_create_normalizes_datetimes(graph):
    response = graph.post(UPDATE_STATES, json=PAGE_EXAMPLE)
    assert response.status_code == 201, response.text
    state = response.json()
    assert state["id"] != UPDATE_STATE_ID
    assert state["lastScanDateTime"] == "2017-01-01T07:59:18.0955018Z"
    assert state["lastSyncDateTime"] == "2017-01-01T08:02:49.3205976Z"
    assert state["@odata.context"].endswith("/deviceUpdateStates/$entity")
    assert graph.get(UPDATE_STATES + "/" + state["id"]).json()["lastSyncDateTime"] == "2017-01-01T08:02:49.3205976Z"


@pytest.mark.parametrize("given, stored", [
    ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.0000000Z"),
    ("2024-03-01T10:00Z", "2024-03-01T10:00:00.0000000Z"),
    ("2024-03-01T10:00:00.5+01:00", "2024-03-01T09:00:00.5000000Z"),
    ("2024-03-01T10:00:00.1234567-00:30", "2024-03-01T10:30:00.1234567Z"),
    ("2024-12-31T23:30:00.000000-05:00", "2025-01-01T04:30:00.0000000Z"),
])
def test_datetime_normalization(graph, given, stored):
    response = graph.patch(UPDATE_STATES + "/" + UPDATE_STATE_ID, json={"lastSyncDateTime": given})
    assert response.status_code == 200, response.text
    assert response.json()["lastSyncDateTime"] == stored


@pytest.mark.parametrize("value", ["2024-03-01", "2024-03-01T10:00:00", "2024-03-01 10:00:00Z", "2024-03-01T10:00:00.12345678Z",
                                   "2024-13-01T10:00:00Z", "2024-03-01T10:00:00+15:00", "yesterday", 1709287200])
def test_bad_datetimes_rejected(graph, value):
    response = graph.patch(UPDATE_STATES + "/" + UPDATE_STATE_ID, json={"lastScanDateTime": value})
    assert_graph_error(response, 400, "BadRequest", "to the expected type 'Edm.DateTimeOffset'.")


@pytest.mark.parametrize("status", ["PendingInstallation", "pendinginstallation", "unknown", 1])
def test_enum_is_case_sensitive(graph, status):
    response = graph.post(UPDATE_STATES, json=dict(PAGE_EXAMPLE, status=status))
    assert_graph_error(response, 400, "BadRequest")
    if isinstance(status, str):
        assert response.json()["error"]["message"] == "Requested value '%s' was not found." % status


def test_update_and_delete(graph):
    url = UPDATE_STATES + "/" + UPDATE_STATE_ID
    response = graph.patch(url, json={"@odata.type": "#microsoft.graph.windowsUpdateState", "status": "failed",
                                      "qualityUpdateVersion": "10.0.22631.3447"})
    assert response.status_code == 200
    assert response.json()["status"] == "failed" and response.json()["deviceId"] == "Device Id value"
    assert_graph_error(graph.patch(url, json={"statusX": "failed"}), 400, "BadRequest",
                       "The property 'statusX' does not exist on type 'microsoft.graph.windowsUpdateState'.")
    assert graph.delete(url).status_code == 204
    error = assert_graph_error(graph.get(url), 404, "ResourceNotFound")
    assert "Resource not found" in error["message"]


def test_not_a_wufb_configuration(graph):
    url = "/beta/deviceManagement/deviceConfigurations/%s/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates"
    assert_graph_error(graph.get(url % GENERAL_CONFIG_ID), 400, "BadRequest", "microsoft.graph.windowsUpdateForBusinessConfiguration")
    assert_graph_error(graph.post(url % GENERAL_CONFIG_ID, json=PAGE_EXAMPLE), 400, "BadRequest")
    assert_graph_error(graph.get(url % "00000000-0000-0000-0000-000000000000"), 404, "ResourceNotFound")
    # Without the cast segment the navigation property does not exist on deviceConfiguration.
    assert_graph_error(graph.get("/beta/deviceManagement/deviceConfigurations/%s/deviceUpdateStates" % WUFB_ID), 400, "BadRequest",
                       "Resource not found for the segment 'deviceUpdateStates'.")
