"""The performance model: throttle budgets (token buckets per app and per tenant), $batch service time, counters."""
from __future__ import annotations

import threading
import time

from emulator_testlib import UPDATE_STATES, assert_graph_error

BATCH = "/beta/$batch"
STATES = UPDATE_STATES[len("/beta"):]


def _creates(count, prefix="throttle"):
    return [{"id": str(i), "method": "POST", "url": STATES, "headers": {"Content-Type": "application/json"},
             "body": {"deviceId": "%s-%d" % (prefix, i)}} for i in range(count)]


def test_off_by_default(ctl, graph):
    config = ctl.configure()
    assert config["throttle"] is None and config["batch_item_ms"] == 0 and config["request_latency_ms"] == 0
    for dummy in range(3):
        assert graph.post(BATCH, json={"requests": _creates(20)}).status_code == 200
    assert ctl.stats()["throttled_batch_items"] == 0


def test_default_budgets_are_the_intune_device_configuration_limits(ctl):
    buckets = ctl.configure(throttle=True)["throttle"]["buckets"]
    assert {(b["scope"], b["methods"], b["limit"], b["window"]) for b in buckets} == {
        ("app", "write", 100, 20), ("tenant", "write", 200, 20), ("app", "any", 1000, 20), ("tenant", "any", 2000, 20)}


def test_batch_items_count_one_by_one_and_get_their_own_retry_after(ctl, graph):
    ctl.configure(throttle={"buckets": [{"scope": "app", "methods": "write", "limit": 25, "window": 50}]})
    ctl.clear_requests()
    first = graph.post(BATCH, json={"requests": _creates(20, "a")}).json()["responses"]
    assert [r["status"] for r in first] == [201] * 20
    second = {r["id"]: r for r in graph.post(BATCH, json={"requests": _creates(20, "b")}).json()["responses"]}
    statuses = [second[str(i)]["status"] for i in range(20)]
    assert statuses[:5] == [201] * 5 and statuses[5:] == [429] * 15
    throttled = second["5"]
    assert throttled["body"]["error"]["code"] == "TooManyRequests"
    # 0.5 tokens per second: one token is 2 s away (a little less, time has passed).
    assert throttled["headers"]["Retry-After"] == "2"
    # GETs are not writes: this bucket does not limit them.
    assert graph.get(UPDATE_STATES + "?$top=1").status_code == 200
    stats = ctl.stats()
    assert stats["batch_requests"] == 2 and stats["batch_items"] == 40 and stats["throttled_batch_items"] == 15
    assert stats["http_requests"] == 3 and stats["throttled_requests"] == 0
    log = [e for e in ctl.requests() if e["in_batch"]]
    assert len([e for e in log if e["status"] == 429]) == 15
    # The throttled creates did not happen.
    names = {s["deviceId"] for s in graph.get(UPDATE_STATES + "?$top=999").json()["value"]}
    assert {"b-%d" % i for i in range(5)} <= names and not names & {"b-%d" % i for i in range(5, 20)}


def test_top_level_requests_refill_and_retry_after(ctl, graph):
    ctl.configure(throttle={"buckets": [{"scope": "tenant", "methods": "any", "limit": 2, "window": 1}]})
    assert graph.get(UPDATE_STATES).status_code == 200
    assert graph.get(UPDATE_STATES).status_code == 200
    third = graph.get(UPDATE_STATES)
    assert_graph_error(third, 429, "TooManyRequests")
    assert third.headers["Retry-After"] == "1"
    time.sleep(0.6)  # 2 tokens per second
    assert graph.get(UPDATE_STATES).status_code == 200
    stats = ctl.stats()
    assert stats["throttled_requests"] == 1 and stats["http_requests"] == 4


def test_reset_turns_it_off_and_bad_config_changes_nothing(ctl, graph):
    ctl.configure(throttle=True, batch_item_ms=5)
    for bad in ({"throttle": {"buckets": [{"scope": "user", "limit": 1, "window": 1}]}}, {"batch_parallelism": 0},
                {"batch_item_ms": -1}, {"throttle": {"buckets": [{"scope": "app", "limit": 0, "window": 1}]}}, {"speed": 1}):
        try:
            ctl.configure(**bad)
        except Exception as exc:  # EmulatorError
            assert "400" in str(exc)
        else:
            raise AssertionError("accepted %r" % bad)
    assert ctl.configure()["batch_item_ms"] == 5
    ctl.reset()
    config = ctl.configure()
    assert config["throttle"] is None and config["batch_item_ms"] == 0


def test_batch_service_time_is_parallel_up_to_a_limit(ctl, graph):
    ctl.configure(batch_item_ms=100, batch_parallelism=5)
    started = time.monotonic()
    assert graph.post(BATCH, json={"requests": _creates(20)}).status_code == 200
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 2.0  # 4 rounds of 5 items, 100 ms each
    started = time.monotonic()
    assert graph.post(BATCH, json={"requests": _creates(3, "small")}).status_code == 200
    assert 0.1 <= time.monotonic() - started < 0.4


def test_max_in_flight_and_latency(ctl, emulator, token_cache, graph):
    ctl.configure(request_latency_ms=300)
    ctl.clear_requests()
    threads = [threading.Thread(target=graph.__class__(emulator.url, emulator.ca_bundle, graph.token).get, args=(UPDATE_STATES,))
               for dummy in range(3)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 0.3
    stats = ctl.stats()
    assert stats["max_in_flight"] == 3 and stats["in_flight"] == 0 and stats["http_requests"] == 3


def test_request_log_can_be_switched_off(ctl, graph):
    ctl.configure(request_log=False)
    ctl.clear_requests()
    graph.post(BATCH, json={"requests": _creates(2)})
    assert ctl.requests() == []
    assert ctl.stats()["batch_items"] == 2
