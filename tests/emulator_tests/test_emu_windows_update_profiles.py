"""windowsFeatureUpdateProfile and windowsQualityUpdateProfile (tests/emulator/entities/windows_feature_update_profiles.py,
windows_quality_update_profiles.py): create, computed properties, validation, the refused $filter, assignments."""
from __future__ import annotations

import pytest

from emulator_testlib import assert_graph_error

FEATURE = "/beta/deviceManagement/windowsFeatureUpdateProfiles"
FEATURE_TYPE = "#microsoft.graph.windowsFeatureUpdateProfile"
QUALITY = "/beta/deviceManagement/windowsQualityUpdateProfiles"
QUALITY_TYPE = "#microsoft.graph.windowsQualityUpdateProfile"
ROLLOUT = {"@odata.type": "#microsoft.graph.windowsUpdateRolloutSettings", "offerStartDateTimeInUTC": "2030-01-06T00:00:00Z",
           "offerEndDateTimeInUTC": "2030-02-03T00:00:00Z", "offerIntervalInDays": 7}
SETTINGS = {"@odata.type": "#microsoft.graph.expeditedWindowsQualityUpdateSettings", "qualityUpdateRelease": "2024-04-09T00:00:00Z",
            "daysUntilForcedReboot": 1}
G1 = "0b1c2d3e-0000-4000-8000-00000000a001"


def create(graph, path, body):
    response = graph.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def feature(**body):
    return dict({"@odata.type": FEATURE_TYPE, "displayName": "24H2", "featureUpdateVersion": "Windows 11, version 24H2"}, **body)


def quality(**body):
    return dict({"@odata.type": QUALITY_TYPE, "displayName": "Expedite", "expeditedUpdateSettings": SETTINGS}, **body)


def test_feature_profile_computes_end_of_support_and_assigns(graph):
    created = create(graph, FEATURE, feature(rolloutSettings=ROLLOUT))
    assert created["endOfSupportDate"].startswith("2027-10-12") and created["deployableContentDisplayName"] == "Windows 11, version 24H2"
    assert created["rolloutSettings"]["offerIntervalInDays"] == 7 and created["roleScopeTagIds"] == ["0"]
    item = "%s/%s" % (FEATURE, created["id"])
    assert graph.patch(item, json={"featureUpdateVersion": "Windows 11, version 23H2"}).status_code in (200, 204)
    assert graph.get(item).json()["endOfSupportDate"].startswith("2026-11-10")
    assign = graph.post(item + "/assign", json={"assignments": [{
        "@odata.type": "#microsoft.graph.windowsFeatureUpdateProfileAssignment",
        "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": G1}}]})
    assert assign.status_code in (200, 204), assign.text
    assert [a["target"]["groupId"] for a in graph.get(item + "/assignments").json()["value"]] == [G1]


def test_feature_profiles_refuse_filter_like_graph(graph):
    create(graph, FEATURE, feature())
    assert len(graph.get(FEATURE).json()["value"]) == 1
    response = graph.get(FEATURE, params={"$filter": "displayName eq '24H2'"})
    assert_graph_error(response, 400, "BadRequest", "Query option 'Filter' is not allowed.")


@pytest.mark.parametrize("body, message", [
    ({"installLatestWindows10OnWindows11IneligibleDevice": True}, "can no longer be set to true"),
    ({"rolloutSettings": dict(ROLLOUT, offerEndDateTimeInUTC="2029-12-01T00:00:00Z")}, "must be after its offerStartDateTimeInUTC"),
    ({"rolloutSettings": dict(ROLLOUT, offerIntervalInDays=0)}, "offerIntervalInDays must be 1 or more"),
    ({"featureUpdateVersion": None}, "featureUpdateVersion property is required"),
])
def test_feature_profile_validation(graph, body, message):
    assert_graph_error(graph.post(FEATURE, json=feature(**body)), 400, "BadRequest", message)


def test_quality_profile_computes_its_release_names_and_replaces_settings_whole(graph):
    created = create(graph, QUALITY, quality())
    assert created["releaseDateDisplayName"] == "April 9, 2024"
    assert created["deployableContentDisplayName"].startswith("04/09/2024 - 2024.04 B")
    item = "%s/%s" % (QUALITY, created["id"])
    patch = graph.patch(item, json={"expeditedUpdateSettings": {"daysUntilForcedReboot": 2, "qualityUpdateRelease": "2024-03-12T00:00:00Z"}})
    assert patch.status_code in (200, 204), patch.text
    assert graph.get(item).json()["releaseDateDisplayName"] == "March 12, 2024"
    # a complex value is replaced whole: leaving the release out is refused
    assert_graph_error(graph.patch(item, json={"expeditedUpdateSettings": {"daysUntilForcedReboot": 0}}), 400, "BadRequest",
                       "must name a qualityUpdateRelease")


@pytest.mark.parametrize("settings, message", [
    (dict(SETTINGS, daysUntilForcedReboot=3), "daysUntilForcedReboot must be between 0 and 2"),
    (dict(SETTINGS, qualityUpdateRelease="April"), "is not a quality update release date"),
])
def test_quality_profile_validation(graph, settings, message):
    assert_graph_error(graph.post(QUALITY, json=quality(expeditedUpdateSettings=settings)), 400, "BadRequest", message)
