"""deviceConfigurationStates of managed devices, via deviceManagement and via the user's devices."""
from __future__ import annotations

import pytest

from emulator_testlib import CONFIG_STATE_ID, DEVICE_1, DEVICE_2, USER_1, USER_2, assert_graph_error

BY_DEVICE = "/beta/deviceManagement/managedDevices/%s/deviceConfigurationStates" % DEVICE_1
BY_USER = "/beta/users/%s/managedDevices/%s/deviceConfigurationStates" % (USER_1, DEVICE_1)

PAGE_EXAMPLE = {
    "settingStates": [{
        "@odata.type": "microsoft.graph.deviceConfigurationSettingState",
        "setting": "Setting value", "settingName": "Setting Name value", "instanceDisplayName": "Instance Display Name value",
        "state": "notApplicable", "errorCode": 9, "errorDescription": "Error Description value", "userId": "User Id value",
        "userName": "User Name value", "userEmail": "User Email value", "userPrincipalName": "User Principal Name value",
        "sources": [{"@odata.type": "microsoft.graph.settingSource", "id": "Id value", "displayName": "Display Name value"}],
        "currentValue": "Current Value value",
    }],
    "displayName": "Display Name value", "version": 7, "platformType": "androidForWork", "state": "notApplicable", "settingCount": 12,
}


def test_devices_and_states(graph):
    devices = graph.get("/beta/deviceManagement/managedDevices").json()["value"]
    assert {d["id"] for d in devices} == {DEVICE_1, DEVICE_2}
    state = graph.get(BY_DEVICE + "/" + CONFIG_STATE_ID).json()
    assert state["@odata.type"] == "#microsoft.graph.deviceConfigurationState"
    assert state["platformType"] == "windows10AndLater" and state["state"] == "compliant" and state["settingCount"] == 2
    assert state["settingStates"][0]["sources"][0]["sourceType"] == "deviceConfiguration"
    assert graph.get(BY_USER + "/" + CONFIG_STATE_ID).json() == dict(
        state, **{"@odata.context": state["@odata.context"].replace(
            "deviceManagement/managedDevices", "users('%s')/managedDevices" % USER_1)})
    assert [d["id"] for d in graph.get("/beta/users/%s/managedDevices" % USER_2).json()["value"]] == [DEVICE_2]


@pytest.mark.parametrize("base", [BY_DEVICE, BY_USER], ids=["deviceManagement", "users"])
def test_patch_page_example(graph, base):
    response = graph.patch(base + "/" + CONFIG_STATE_ID, json=PAGE_EXAMPLE)
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["id"] == CONFIG_STATE_ID and state["platformType"] == "androidForWork" and state["settingCount"] == 12
    setting = state["settingStates"][0]
    assert setting["errorCode"] == 9 and setting["sources"][0]["id"] == "Id value"
    other = BY_USER if base == BY_DEVICE else BY_DEVICE
    assert graph.get(other + "/" + CONFIG_STATE_ID).json()["displayName"] == "Display Name value"


@pytest.mark.parametrize("field, value", [("state", "notAssigned"), ("platformType", "androidWorkProfile"),
                                          ("platformType", "androidAOSP"), ("userPrincipalName", "AdeleV@contoso.onmicrosoft.com")])
def test_metadata_values_accepted(graph, field, value):
    response = graph.patch(BY_DEVICE + "/" + CONFIG_STATE_ID, json={field: value})
    assert response.status_code == 200, response.text
    assert response.json()[field] == value


@pytest.mark.parametrize("body, message", [
    ({"state": "Compliant"}, "Requested value 'Compliant' was not found."),
    ({"platformType": "windows10"}, "Requested value 'windows10' was not found."),
    ({"version": 1.5}, "'Edm.Int32'"),
    ({"settingStates": [{"sources": [{"sourceType": "policy"}]}]}, "Requested value 'policy' was not found."),
    ({"settingStates": [{"errorCode": "9"}]}, "'Edm.Int64'"),
    ({"settingStates": [{"unknownField": 1}]}, "does not exist on type 'microsoft.graph.deviceConfigurationSettingState'"),
])
def test_invalid_values(graph, body, message):
    assert_graph_error(graph.patch(BY_DEVICE + "/" + CONFIG_STATE_ID, json=body), 400, "BadRequest", message)


def test_wrong_user_or_device_is_404(graph):
    wrong_user = "/beta/users/%s/managedDevices/%s/deviceConfigurationStates/%s" % (USER_2, DEVICE_1, CONFIG_STATE_ID)
    assert_graph_error(graph.get(wrong_user), 404, "ResourceNotFound")
    assert_graph_error(graph.patch(wrong_user, json={"version": 8}), 404, "ResourceNotFound")
    assert_graph_error(graph.get("/beta/users/%s/managedDevices/%s" % (USER_2, DEVICE_1)), 404, "ResourceNotFound")
    assert_graph_error(graph.get(BY_DEVICE + "/00000000-0000-0000-0000-000000000000"), 404, "ResourceNotFound")
    assert graph.get(BY_DEVICE + "/" + CONFIG_STATE_ID).json()["version"] == 7


def test_reader_reads_states_but_cannot_patch(reader):
    assert reader.get(BY_DEVICE).status_code == 200
    assert_graph_error(reader.patch(BY_DEVICE + "/" + CONFIG_STATE_ID, json={"version": 8}), 403, "Forbidden",
                       "DeviceManagementConfiguration.ReadWrite.All")
