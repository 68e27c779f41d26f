"""Lists: server paging with @odata.nextLink, $top, $select, $filter, $orderby, $count."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from emulator_testlib import RINGS, UPDATE_STATES, assert_graph_error

IMAGES = "/beta/deviceManagement/managedDeviceWindowsOSImages"


def follow(client, path, **kwargs):
    pages, url = [], path
    while url:
        body = client.get(url, **kwargs).json()
        kwargs = {}
        pages.append(body)
        url = body.get("@odata.nextLink")
    return pages


def test_next_link_carries_query(emulator, ctl, graph):
    ctl.set_page_size(1)
    pages = follow(graph, IMAGES, params={"$select": "supportedArchitectures"})
    assert [len(p["value"]) for p in pages] == [1, 1, 1]
    assert [p["value"][0]["id"] for p in pages] == ["Windows 11 22H1", "Windows 11 23H2", "Windows 10 22H2"]
    assert all(set(p["value"][0]) == {"@odata.type", "id", "supportedArchitectures"} for p in pages)
    link = pages[0]["@odata.nextLink"]
    assert link.startswith(emulator.url + IMAGES + "?")
    query = parse_qs(urlsplit(link).query)
    assert query["$select"] == ["supportedArchitectures"] and "$skiptoken" in query
    assert "@odata.nextLink" not in pages[-1]


def test_top_caps_page_size(graph):
    pages = follow(graph, IMAGES + "?$top=2")
    assert [len(p["value"]) for p in pages] == [2, 1]
    assert "$top=2" in pages[0]["@odata.nextLink"]


def test_default_page_size_and_reset_restores_it(ctl, graph):
    ctl.set_page_size(2)
    assert "@odata.nextLink" in graph.get(IMAGES).json()
    ctl.reset()
    assert "@odata.nextLink" not in graph.get(IMAGES).json()
    assert ctl.state()["config"]["page_size"] == 50


def test_paging_many_created_items(ctl, graph):
    for index in range(7):
        assert graph.post(UPDATE_STATES, json={"deviceId": "dev-%d" % index}).status_code == 201
    ctl.set_page_size(4)
    pages = follow(graph, UPDATE_STATES)
    ids = [s["id"] for p in pages for s in p["value"]]
    assert len(pages) == 3 and len(ids) == len(set(ids)) == 9


def test_filter_orderby_count(graph):
    body = graph.get(UPDATE_STATES, params={"$filter": "status eq 'upToDate' and deviceDisplayName eq 'pc-0001'", "$count": "true"}).json()
    assert body["@odata.count"] == 1 and body["value"][0]["deviceDisplayName"] == "PC-0001"
    images = graph.get(IMAGES, params={"$orderby": "id desc"}).json()["value"]
    assert [i["id"] for i in images] == ["Windows 11 23H2", "Windows 11 22H1", "Windows 10 22H2"]
    rings = graph.get("/beta/admin/windows/updates/policies/9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11/rings",
                      params={"$filter": "isPaused eq false and deferralInDays eq 5"}).json()["value"]
    assert len(rings) == 1
    assert graph.get(IMAGES, params={"$filter": "id eq 'Windows 11 22H1'"}).json()["value"][0]["id"] == "Windows 11 22H1"


@pytest.mark.parametrize("params, message", [
    ({"$filter": "startswith(deviceId, 'x')"}, "cannot parse"),
    ({"$filter": "status ne 'failed'"}, "cannot parse"),
    ({"$filter": "status eq 'failed' or status eq 'upToDate'"}, "expected 'and'"),
    ({"$filter": "nope eq 'x'"}, "Could not find a property named 'nope' on type 'microsoft.graph.windowsUpdateState'."),
    ({"$select": "nope"}, "Could not find a property named 'nope'"),
    ({"$top": "-1"}, "$top"),
    ({"$skiptoken": "garbage!"}, "$skiptoken"),
    ({"$expand": "device"}, "'$expand' is not supported"),
])
def test_bad_query_options(graph, params, message):
    assert_graph_error(graph.get(UPDATE_STATES, params=params), 400, "BadRequest", message)


def test_fault_self_link_points_a_page_to_itself(ctl, graph):
    ctl.add_fault(method="GET", path="rings$", kind="self_link")
    url = RINGS + "?$top=1"
    page = graph.get(url).json()
    assert page["@odata.nextLink"].endswith(url)


def test_fault_repeat_returns_the_last_entity_of_a_page_again_on_the_next(ctl, graph):
    for n in range(3):
        assert graph.post(RINGS, json={"@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateRing",
                                       "displayName": "Paged %d" % n}).status_code == 201
    ctl.add_fault(method="GET", path="rings$", kind="repeat", times=-1)
    first = graph.get(RINGS + "?$top=2").json()
    second = graph.get(first["@odata.nextLink"]).json()
    assert second["value"][0]["id"] == first["value"][-1]["id"]
    assert len(second["value"]) == 3
