"""windowsUpdateForBusinessConfiguration as a deviceConfiguration: create/update/delete, isof() lists, assignments and assign."""
from __future__ import annotations

import pytest

from emulator_testlib import GENERAL_CONFIG_ID, UPDATE_STATES, WUFB_ID, assert_graph_error

CONFIGS = "/beta/deviceManagement/deviceConfigurations"
WUFB = "#microsoft.graph.windowsUpdateForBusinessConfiguration"
ISOF = "isof('microsoft.graph.windowsUpdateForBusinessConfiguration')"
G1 = "0b1c2d3e-0000-4000-8000-00000000a001"
G2 = "0b1c2d3e-0000-4000-8000-00000000b001"


def create(graph, **body):
    response = graph.post(CONFIGS, json=dict({"@odata.type": WUFB, "displayName": "Ring"}, **body))
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_every_property_with_defaults(graph):
    created = create(graph, qualityUpdatesDeferralPeriodInDays=7, automaticUpdateMode="windowsDefault",
                     installationSchedule={"@odata.type": "#microsoft.graph.windowsUpdateScheduledInstall",
                                           "scheduledInstallDay": "monday", "scheduledInstallTime": "03:00"})
    assert created["@odata.type"] == WUFB and created["version"] == 1 and created["roleScopeTagIds"] == ["0"]
    assert created["qualityUpdatesDeferralPeriodInDays"] == 7 and created["featureUpdatesDeferralPeriodInDays"] == 0
    assert created["installationSchedule"] == {"@odata.type": "microsoft.graph.windowsUpdateScheduledInstall",
                                               "scheduledInstallDay": "monday", "scheduledInstallTime": "03:00:00.0000000"}
    assert created["deadlineGracePeriodInDays"] is None and created["userPauseAccess"] == "notConfigured"
    # its update states collection exists (device_update_state works against it)
    states = graph.get(UPDATE_STATES.replace(WUFB_ID, created["id"]))
    assert states.status_code == 200 and states.json()["value"] == []


@pytest.mark.parametrize("body, message", [
    ({"qualityUpdatesDeferralPeriodInDays": 31}, "between 0 and 30"),
    ({"featureUpdatesDeferralPeriodInDays": 366}, "between 0 and 365"),
    ({"deadlineGracePeriodInDays": 8}, "between 0 and 7"),
    ({"scheduleRestartWarningInHours": 3}, "must be one of 2, 4, 8, 12, 24"),
    ({"automaticUpdateMode": "AutoInstallAtMaintenanceTime"}, "Requested value 'AutoInstallAtMaintenanceTime' was not found."),
    ({"installationSchedule": {"activeHoursStart": "08:00"}}, "abstract type 'microsoft.graph.windowsUpdateInstallScheduleType'"),
    ({"qualityUpdatesPausedd": True}, "does not exist on type 'microsoft.graph.windowsUpdateForBusinessConfiguration'"),
    ({"displayName": ""}, "displayName property is required"),
    ({"displayName": "   "}, "must not be empty"),
])
def test_create_validation(graph, body, message):
    response = graph.post(CONFIGS, json=dict({"@odata.type": WUFB, "displayName": "Ring"}, **body))
    assert_graph_error(response, 400, "BadRequest", message)


def test_create_needs_a_derived_type(graph):
    assert_graph_error(graph.post(CONFIGS, json={"displayName": "x"}), 400, "BadRequest", "abstract type")


def test_isof_filter_lists_only_wufb(graph):
    create(graph, displayName="Second")
    listed = graph.get(CONFIGS, params={"$filter": ISOF}).json()["value"]
    assert sorted(c["displayName"] for c in listed) == ["Second", "WUfB - Pilot ring"]
    assert all(c["@odata.type"] == WUFB for c in listed)
    both = graph.get(CONFIGS, params={"$filter": ISOF + " and displayName eq 'second'"}).json()["value"]
    assert [c["displayName"] for c in both] == ["Second"]
    other = graph.get(CONFIGS, params={"$filter": "isof('microsoft.graph.windows10GeneralConfiguration')"}).json()["value"]
    assert [c["id"] for c in other] == [GENERAL_CONFIG_ID]


def test_patch_needs_the_type_for_derived_properties_and_bumps_version(graph):
    path = CONFIGS + "/" + WUFB_ID
    before = graph.get(path).json()
    no_type = graph.patch(path, json={"qualityUpdatesPaused": True})
    assert_graph_error(no_type, 400, "BadRequest", "does not exist on type 'microsoft.graph.deviceConfiguration'")
    assert graph.patch(path, json={"description": "base property"}).status_code == 200
    response = graph.patch(path, json={"@odata.type": WUFB, "qualityUpdatesPaused": True})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["qualityUpdatesPaused"] is True and after["version"] == before["version"] + 2
    assert after["qualityUpdatesPauseStartDate"] and after["qualityUpdatesPauseExpiryDateTime"]
    # server fields are ignored
    graph.patch(path, json={"@odata.type": WUFB, "version": 99, "qualityUpdatesPauseStartDate": "2020-01-01"})
    assert graph.get(path).json()["version"] == before["version"] + 3


def test_other_configuration_types_are_not_updated(graph):
    response = graph.patch(CONFIGS + "/" + GENERAL_CONFIG_ID, json={"@odata.type": WUFB, "displayName": "x"})
    assert response.status_code == 400


def test_assign_replaces_the_set_and_assignments_lists_it(graph):
    path = CONFIGS + "/" + WUFB_ID
    assert graph.get(path + "/assignments").json()["value"] == []
    body = {"assignments": [
        {"@odata.type": "#microsoft.graph.deviceConfigurationAssignment",
         "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1}},
        {"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": G2}},
        {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}},
    ]}
    response = graph.post(path + "/assign", json=body)
    assert response.status_code == 200, response.text
    assert len(response.json()["value"]) == 3
    listed = graph.get(path + "/assignments").json()["value"]
    assert sorted(a["target"]["@odata.type"] for a in listed) == [
        "#microsoft.graph.allDevicesAssignmentTarget", "#microsoft.graph.exclusionGroupAssignmentTarget",
        "#microsoft.graph.groupAssignmentTarget"]
    assert all(a["sourceId"] == WUFB_ID and a["intent"] == "apply" and a["id"].startswith(WUFB_ID) for a in listed)
    graph.post(path + "/assign", json={"assignments": [{"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}]})
    assert [a["target"]["@odata.type"] for a in graph.get(path + "/assignments").json()["value"]] == [
        "#microsoft.graph.allLicensedUsersAssignmentTarget"]
    assert graph.post(path + "/assign", json={"assignments": []}).status_code == 200
    assert graph.get(path + "/assignments").json()["value"] == []


@pytest.mark.parametrize("body, message", [
    ({"assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "pilot"}}]}, "valid group id"),
    ({"assignments": [{"target": {"groupId": G1}}]}, "abstract type"),
    ({"assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1, "bogus": 1}}]},
     "does not exist on type"),
    ({"assignments": {"target": {}}}, "must be a collection"),
    ({"targets": []}, "not a valid parameter"),
    ({"assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1}},
                      {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1.upper()}}]}, "given twice"),
])
def test_malformed_assign_is_400_and_changes_nothing(graph, body, message):
    path = CONFIGS + "/" + WUFB_ID
    graph.post(path + "/assign", json={"assignments": [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}]})
    assert_graph_error(graph.post(path + "/assign", json=body), 400, "BadRequest", message)
    assert len(graph.get(path + "/assignments").json()["value"]) == 1


def test_delete_removes_states_and_assignments(graph):
    path = CONFIGS + "/" + WUFB_ID
    assert graph.request("DELETE", path).status_code == 204
    assert_graph_error(graph.get(path), 404, "ResourceNotFound")
    assert_graph_error(graph.get(path + "/assignments"), 404, "ResourceNotFound")
    assert_graph_error(graph.get(UPDATE_STATES), 404, "ResourceNotFound")


def test_reader_reads_but_cannot_write(graph, reader):
    path = CONFIGS + "/" + WUFB_ID
    assert reader.get(CONFIGS, params={"$filter": ISOF}).status_code == 200
    assert reader.get(path + "/assignments").status_code == 200
    assert_graph_error(reader.post(path + "/assign", json={"assignments": []}), 403, "Forbidden", "DeviceManagementConfiguration.ReadWrite.All")
    assert_graph_error(reader.patch(path, json={"@odata.type": WUFB, "qualityUpdatesPaused": True}), 403, "Forbidden")
    assert_graph_error(reader.post(CONFIGS, json={"@odata.type": WUFB, "displayName": "x"}), 403, "Forbidden")


def test_seeded_assignments_round_trip_through_state(ctl, graph):
    state = ctl.state()
    config = [c for c in state["deviceManagement"]["deviceConfigurations"] if c["id"] == WUFB_ID][0]
    config["assignments"] = [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1}}]
    seed = {k: v for k, v in state.items() if k not in ("config", "token_generation")}
    for app in seed["apps"]:
        app["client_secret"] = {"22222222-2222-2222-2222-222222222222": "emulator-demo-secret",
                                "33333333-3333-3333-3333-333333333333": "emulator-reader-secret"}.get(app["client_id"])
    ctl.reset(seed)
    listed = graph.get(CONFIGS + "/" + WUFB_ID + "/assignments").json()["value"]
    assert [a["target"]["groupId"] for a in listed] == [G1]
    assert ctl.state()["deviceManagement"]["deviceConfigurations"][0]["assignments"][0]["target"]["groupId"] == G1


def test_update_weeks_is_a_flags_enum(graph):
    """windowsUpdateForBusinessUpdateWeeks is IsFlags in the metadata: members comma-joined, kept in the metadata's order."""
    created = create(graph, updateWeeks="thirdWeek, firstWeek")
    assert created["updateWeeks"] == "firstWeek,thirdWeek"
    path = CONFIGS + "/" + created["id"]
    response = graph.patch(path, json={"@odata.type": WUFB, "updateWeeks": "secondWeek,fourthWeek"})
    assert response.status_code == 200, response.text
    assert graph.get(path).json()["updateWeeks"] == "secondWeek,fourthWeek"
    assert create(graph, displayName="One week", updateWeeks="everyWeek")["updateWeeks"] == "everyWeek"


@pytest.mark.parametrize("weeks", ["firstWeek,fifthWeek", "FirstWeek", "", "firstWeek,,thirdWeek"])
def test_update_weeks_rejects_unknown_members(graph, weeks):
    response = graph.post(CONFIGS, json={"@odata.type": WUFB, "displayName": "Ring", "updateWeeks": weeks})
    assert_graph_error(response, 400, "BadRequest", "Requested value")


def test_assignment_source_is_the_metadata_enum(graph):
    """deviceConfigurationAssignment.source is a deviceAndAppManagementAssignmentSource (direct, policySets)."""
    path = CONFIGS + "/" + WUFB_ID
    target = {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": G1}
    bogus = graph.post(path + "/assign", json={"assignments": [{"target": target, "source": "bogus"}]})
    assert_graph_error(bogus, 400, "BadRequest", "Requested value 'bogus' was not found.")
    assert graph.get(path + "/assignments").json()["value"] == []
    response = graph.post(path + "/assign", json={"assignments": [{"target": target, "source": "policySets"}]})
    assert response.status_code == 200, response.text
    assert [a["source"] for a in graph.get(path + "/assignments").json()["value"]] == ["direct"]
