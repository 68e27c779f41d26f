"""JSON $batch: inner routing, per-item results, limits, in-batch faults, dependsOn."""
from __future__ import annotations

from emulator_testlib import RING_ID, RINGS, UPDATE_STATES, assert_graph_error

BATCH = "/beta/$batch"
RING_PATH = RINGS[len("/beta"):] + "/" + RING_ID


def test_three_operations(ctl, graph):
    ctl.clear_requests()
    response = graph.post(BATCH, json={"requests": [
        {"id": "1", "method": "GET", "url": RING_PATH},
        {"id": "2", "method": "PATCH", "url": RING_PATH.lstrip("/"), "headers": {"Content-Type": "application/json"},
         "body": {"deferralInDays": 9}},
        {"id": "3", "method": "POST", "url": UPDATE_STATES[len("/beta"):], "headers": {"Content-Type": "application/json"},
         "body": {"deviceId": "batch-device", "lastSyncDateTime": "2024-01-01T01:00:00+01:00"}},
    ]})
    assert response.status_code == 200, response.text
    results = {r["id"]: r for r in response.json()["responses"]}
    assert results["1"]["status"] == 200 and results["1"]["body"]["deferralInDays"] == 5
    assert results["2"]["status"] == 200 and results["2"]["body"]["deferralInDays"] == 9
    assert results["3"]["status"] == 201 and results["3"]["body"]["lastSyncDateTime"] == "2024-01-01T00:00:00.0000000Z"
    assert results["1"]["headers"]["Content-Type"].startswith("application/json")
    assert len({r["headers"]["request-id"] for r in results.values()} | {response.headers["request-id"]}) == 4
    assert graph.get(RINGS + "/" + RING_ID).json()["deferralInDays"] == 9

    log = [e for e in ctl.requests() if e["path"] != RINGS + "/" + RING_ID or e["in_batch"]]
    outer = [e for e in log if e["path"] == BATCH][0]
    inner = [e for e in log if e["in_batch"]]
    assert [e["method"] for e in inner] == ["GET", "PATCH", "POST"]
    assert all(e["batch_seq"] == outer["seq"] and e["kind"] == "graph" for e in inner)
    assert inner[1]["body"] == {"deferralInDays": 9} and inner[1]["status"] == 200
    assert inner[0]["headers"]["authorization"] == "Bearer ***"
    assert outer["in_batch"] is False and outer["batch_seq"] is None


def test_inner_errors_are_per_item(graph, reader):
    response = graph.post(BATCH, json={"requests": [
        {"id": "a", "method": "PATCH", "url": RING_PATH, "headers": {"Content-Type": "application/json"}, "body": {"deferralInDays": 31}},
        {"id": "b", "method": "GET", "url": RINGS[len("/beta"):] + "/00000000-0000-0000-0000-000000000000"},
        {"id": "c", "method": "GET", "url": "/deviceManagement/managedDeviceWindowsOSImages?$top=1"},
    ]})
    results = {r["id"]: r for r in response.json()["responses"]}
    assert results["a"]["status"] == 400 and results["a"]["body"]["error"]["code"] == "BadRequest"
    assert results["a"]["body"]["error"]["innerError"]["request-id"] == results["a"]["headers"]["request-id"]
    assert results["b"]["status"] == 404 and results["b"]["body"]["error"]["code"] == "NotFound"
    assert results["c"]["status"] == 200 and len(results["c"]["body"]["value"]) == 1
    denied = reader.post(BATCH, json={"requests": [{"id": "1", "method": "GET", "url": RING_PATH}]}).json()["responses"][0]
    assert denied["status"] == 403


def test_limits_and_malformed_payloads(graph, anon):
    many = [{"id": str(i), "method": "GET", "url": RING_PATH} for i in range(21)]
    assert_graph_error(graph.post(BATCH, json={"requests": many}), 400, "BadRequest", "limit of 20")
    assert graph.post(BATCH, json={"requests": many[:20]}).status_code == 200
    assert_graph_error(graph.post(BATCH, json={"requests": [{"id": "1", "method": "GET"}]}), 400, "BadRequest", "'url'")
    assert_graph_error(graph.post(BATCH, json={"requests": [{"method": "GET", "url": RING_PATH}]}), 400, "BadRequest", "'id'")
    assert_graph_error(graph.post(BATCH, json={"requests": [{"id": "1", "url": RING_PATH}]}), 400, "BadRequest", "'method'")
    assert_graph_error(graph.post(BATCH, json={"requests": [{"id": "1", "method": "PATCH", "url": RING_PATH, "body": {}}]}),
                       400, "BadRequest", "does not contain Content-Type header or body")
    assert_graph_error(graph.post(BATCH, json={"requests": [
        {"id": "1", "method": "GET", "url": RING_PATH}, {"id": "1", "method": "GET", "url": RING_PATH}]}), 400, "BadRequest")
    assert_graph_error(graph.post(BATCH, json={"value": []}), 400, "BadRequest")
    assert_graph_error(anon.post(BATCH, json={"requests": many[:1]}), 401, "InvalidAuthenticationToken")


def test_in_batch_429(ctl, graph):
    ctl.add_fault(method="PATCH", path="/rings/", status=429, retry_after=3, in_batch=True, times=1)
    body = {"requests": [
        {"id": "1", "method": "PATCH", "url": RING_PATH, "headers": {"Content-Type": "application/json"}, "body": {"isPaused": True}},
        {"id": "2", "method": "GET", "url": RING_PATH},
    ]}
    first = {r["id"]: r for r in graph.post(BATCH, json=body).json()["responses"]}
    assert first["1"]["status"] == 429 and first["1"]["headers"]["Retry-After"] == "3"
    assert first["1"]["body"]["error"]["code"] == "TooManyRequests"
    assert first["2"]["status"] == 200 and first["2"]["body"]["isPaused"] is False
    second = {r["id"]: r for r in graph.post(BATCH, json=body).json()["responses"]}
    assert second["1"]["status"] == 200 and second["1"]["body"]["isPaused"] is True


def test_depends_on_failed_request(graph):
    response = graph.post(BATCH, json={"requests": [
        {"id": "1", "method": "PATCH", "url": RING_PATH, "headers": {"Content-Type": "application/json"}, "body": {"deferralInDays": 99}},
        {"id": "2", "method": "PATCH", "url": RING_PATH, "headers": {"Content-Type": "application/json"}, "body": {"isPaused": True},
         "dependsOn": ["1"]},
    ]})
    results = {r["id"]: r for r in response.json()["responses"]}
    assert results["1"]["status"] == 400 and results["2"]["status"] == 424
    assert graph.get(RINGS + "/" + RING_ID).json()["isPaused"] is False


# -- answers that break after the work was done (issue 24) ---------------------------------------------
def _creates(*device_ids):
    return {"requests": [{"id": str(n), "method": "POST", "url": UPDATE_STATES[len("/beta"):], "headers": {"Content-Type": "application/json"},
                          "body": {"deviceId": device}} for n, device in enumerate(device_ids)]}


def _device_ids(graph):
    return [state["deviceId"] for state in graph.get(UPDATE_STATES).json()["value"]]


def test_a_batch_answered_503_after_it_was_applied(ctl, graph):
    ctl.add_fault(method="POST", path=r"/\$batch$", status=503, after=True)
    response = graph.post(BATCH, json=_creates("late-a", "late-b"))
    assert response.status_code == 503 and response.json()["error"]["code"] == "ServiceUnavailable"
    assert sorted(d for d in _device_ids(graph) if d.startswith("late-")) == ["late-a", "late-b"]


def test_an_item_answered_504_after_it_was_applied(ctl, graph):
    ctl.add_fault(method="POST", path="deviceUpdateStates$", status=504, in_batch=True, after=True)
    results = {r["id"]: r for r in graph.post(BATCH, json=_creates("i-a", "i-b")).json()["responses"]}
    assert results["0"]["status"] == 504 and results["1"]["status"] == 201
    assert sorted(d for d in _device_ids(graph) if d.startswith("i-")) == ["i-a", "i-b"]


def test_an_item_answer_left_out(ctl, graph):
    ctl.add_fault(method="POST", path="deviceUpdateStates$", kind="omit", in_batch=True, times=2)
    response = graph.post(BATCH, json=_creates("o-a", "o-b", "o-c"))
    assert [r["id"] for r in response.json()["responses"]] == ["2"]
    assert sorted(d for d in _device_ids(graph) if d.startswith("o-")) == ["o-a", "o-b", "o-c"]


def test_a_batch_answer_cut_short_after_it_was_applied(ctl, graph):
    import requests
    ctl.add_fault(method="POST", path=r"/\$batch$", kind="truncate")
    try:
        graph.post(BATCH, json=_creates("t-a", "t-b"))
    except requests.exceptions.RequestException as exc:
        assert "IncompleteRead" in repr(exc) or "Connection broken" in repr(exc), repr(exc)
    else:
        raise AssertionError("the cut answer was read whole")
    assert sorted(d for d in _device_ids(graph) if d.startswith("t-")) == ["t-a", "t-b"]
