"""Graph authentication (401), roles (403), the common response headers and token expiry."""
from __future__ import annotations

from emulator_testlib import DEMO_ID, DEMO_SECRET, RINGS, UPDATE_STATES, WUFB_ID, assert_graph_error, fetch_token


def test_no_token_is_401(anon):
    response = anon.get(RINGS, headers={"client-request-id": "abc-123"})
    error = assert_graph_error(response, 401, "InvalidAuthenticationToken", "Access token is empty")
    assert response.headers["client-request-id"] == "abc-123"
    assert error["innerError"]["client-request-id"] == "abc-123"
    assert "WWW-Authenticate" in response.headers


def test_garbage_and_forged_tokens_are_401(graph, anon):
    assert_graph_error(anon.get(RINGS, headers={"Authorization": "Bearer nonsense"}), 401, "InvalidAuthenticationToken")
    header, payload = graph.token.split(".")[:2]
    forged = header + "." + payload + ".AAAA"
    assert_graph_error(anon.get(RINGS, headers={"Authorization": "Bearer " + forged}), 401, "InvalidAuthenticationToken")


def test_common_headers(graph):
    response = graph.get(RINGS)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == ("application/json;odata.metadata=minimal;odata.streaming=true;"
                                                "IEEE754Compatible=false;charset=utf-8")
    assert response.headers["request-id"] == response.headers["client-request-id"]
    assert response.headers["Date"]
    assert int(response.headers["Content-Length"]) == len(response.content)
    other = graph.get(RINGS)
    assert other.headers["request-id"] != response.headers["request-id"]


def test_reader_gets_403_on_rings(reader):
    error = assert_graph_error(reader.get(RINGS), 403, "Forbidden", "WindowsUpdates.ReadWrite.All")
    assert "Roles on the request 'DeviceManagementConfiguration.Read.All'" in error["message"]


def test_reader_can_read_but_not_write_intune(reader):
    assert reader.get(UPDATE_STATES).status_code == 200
    assert reader.get("/beta/deviceManagement/deviceConfigurations/" + WUFB_ID).status_code == 200
    error = assert_graph_error(reader.post(UPDATE_STATES, json={"deviceId": "x"}), 403, "Forbidden")
    assert "DeviceManagementConfiguration.ReadWrite.All" in error["message"]
    # managedDevices need DeviceManagementManagedDevices.*
    assert_graph_error(reader.get("/beta/deviceManagement/managedDevices"), 403, "Forbidden", "DeviceManagementManagedDevices.Read.All")


def test_expire_tokens_then_refresh(emulator, ctl, graph, token_cache):
    assert graph.get(RINGS).status_code == 200
    ctl.expire_tokens()
    token_cache.clear()
    assert_graph_error(graph.get(RINGS), 401, "InvalidAuthenticationToken", "expired")
    graph.token = fetch_token(emulator, DEMO_ID, DEMO_SECRET).json()["access_token"]
    assert graph.get(RINGS).status_code == 200


def test_tokens_survive_reset(ctl, graph):
    ctl.reset()
    assert graph.get(RINGS).status_code == 200


def test_unknown_urls(graph):
    assert_graph_error(graph.get("/beta/deviceManagement/nothingHere"), 400, "BadRequest", "Resource not found for the segment 'nothingHere'.")
    assert_graph_error(graph.get("/v2.5/me"), 400, "BadRequest", "Invalid version")
    assert graph.get("/v1.0" + RINGS[len("/beta"):]).status_code == 200
