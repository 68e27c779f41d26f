"""managedDeviceWindowsOSImages: ids with spaces, key syntax, enums and Edm.Date."""
from __future__ import annotations

import pytest

from emulator_testlib import assert_graph_error

IMAGES = "/beta/deviceManagement/managedDeviceWindowsOSImages"
IMAGE = IMAGES + "/Windows%2011%2022H1"


def test_list_and_get_by_encoded_id(graph, ctl):
    listed = graph.get(IMAGES).json()["value"]
    assert [i["id"] for i in listed] == ["Windows 11 22H1", "Windows 11 23H2", "Windows 10 22H2"]
    image = graph.get(IMAGE).json()
    assert image["id"] == "Windows 11 22H1"
    assert image["@odata.type"] == "#microsoft.graph.managedDeviceWindowsOperatingSystemImage"
    assert image["supportedArchitectures"] == ["x64", "arM64"]
    assert image["supportedEditions"][0] == {"@odata.type": "microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
                                             "editionType": "professionalN", "supportEndDate": "2024-10-08"}
    assert image["availableUpdates"][0]["@odata.type"] == "microsoft.graph.managedDeviceWindowsOperatingSystemUpdate"
    entry = [e for e in ctl.requests() if e["raw_path"].endswith("Windows%2011%2022H1")][0]
    assert entry["path"] == "/beta/deviceManagement/managedDeviceWindowsOSImages/Windows 11 22H1"


def test_odata_key_syntax(graph):
    response = graph.get(IMAGES + "('Windows%2011%2023H2')")
    assert response.status_code == 200 and response.json()["id"] == "Windows 11 23H2"


def test_patch_page_example_and_arm64(graph):
    body = {
        "@odata.type": "#microsoft.graph.managedDeviceWindowsOperatingSystemImage",
        "supportedEditions": [{"@odata.type": "microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
                               "editionType": "professionalN", "supportEndDate": "2016-12-31"}],
        "supportedArchitectures": ["x86", "arM64"],
        "availableUpdates": [{"@odata.type": "microsoft.graph.managedDeviceWindowsOperatingSystemUpdate",
                              "buildVersion": "Build Version value", "releaseMonth": 12, "releaseYear": 11}],
    }
    response = graph.patch(IMAGE, json=body)
    assert response.status_code == 200, response.text
    image = response.json()
    assert image["id"] == "Windows 11 22H1"
    assert image["supportedArchitectures"] == ["x86", "arM64"]
    assert image["supportedEditions"] == body["supportedEditions"]
    assert image["availableUpdates"] == body["availableUpdates"]
    assert graph.get(IMAGE).json()["supportedArchitectures"] == ["x86", "arM64"]


@pytest.mark.parametrize("value", ["ARM64", "arm64", "X64"])
def test_architecture_casing_rejected(graph, value):
    assert_graph_error(graph.patch(IMAGE, json={"supportedArchitectures": ["x64", value]}), 400, "BadRequest",
                       "Requested value '%s' was not found." % value)


@pytest.mark.parametrize("body, message", [
    ({"supportedEditions": [{"editionType": "windows10Enterprise"}]}, "Requested value 'windows10Enterprise' was not found."),
    ({"supportedEditions": [{"editionType": "enterprise", "supportEndDate": "2025-10-14T00:00:00Z"}]}, "'Edm.Date'"),
    ({"supportedEditions": [{"editionType": "enterprise", "supportEndDate": "2025-02-30"}]}, "'Edm.Date'"),
    ({"supportedEditions": {"editionType": "enterprise"}}, "StartArray"),
    ({"availableUpdates": [{"releaseMonth": "4"}]}, "'Edm.Int32'"),
    ({"availableUpdates": [{"releaseDay": 4}]}, "does not exist on type 'microsoft.graph.managedDeviceWindowsOperatingSystemUpdate'"),
    ({"supportedArchitectures": None}, "does not allow null values"),
])
def test_invalid_values(graph, body, message):
    assert_graph_error(graph.patch(IMAGE, json=body), 400, "BadRequest", message)


def test_no_create_or_delete_and_unknown_id(graph):
    assert_graph_error(graph.post(IMAGES, json={"id": "Windows 12"}), 400, "BadRequest", "No HTTP resource was found")
    assert_graph_error(graph.delete(IMAGE), 400, "BadRequest", "No HTTP resource was found")
    assert_graph_error(graph.get(IMAGES + "/Windows%2012%2024H2"), 404, "ResourceNotFound")


def test_reader_reads_but_cannot_patch(reader):
    assert reader.get(IMAGE).status_code == 200
    assert_graph_error(reader.patch(IMAGE, json={"supportedArchitectures": ["x64"]}), 403, "Forbidden")
