"""Fault injection (429/503, drop, latency) and the request log (shape, redaction)."""
from __future__ import annotations

import json
import time

import msal
import pytest
import requests

from emulator_testlib import DEMO_ID, DEMO_SECRET, GRAPH_SCOPE, RING_ID, RINGS, TENANT_ID, fetch_token

RING = RINGS + "/" + RING_ID


def test_429_with_retry_after_once_then_success(ctl, graph):
    fault_id = ctl.add_fault(method="PATCH", path=r"/rings/", status=429, retry_after=2, times=1)
    throttled = graph.patch(RING, json={"deferralInDays": 6})
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    error = throttled.json()["error"]
    assert error["code"] == "TooManyRequests" and error["innerError"]["request-id"] == throttled.headers["request-id"]
    assert graph.get(RING).json()["deferralInDays"] == 5  # GET not matched, and the PATCH had no effect
    assert graph.patch(RING, json={"deferralInDays": 6}).status_code == 200
    entries = [e for e in ctl.requests() if e["method"] == "PATCH"]
    assert [e["status"] for e in entries] == [429, 200] and entries[0]["fault"] == fault_id
    assert ctl.faults()[0]["times"] == 0 and ctl.faults()[0]["hits"] == 1


def test_503_without_retry_after_and_forever(ctl, graph):
    ctl.add_fault(path="managedDevices", status=503, retry_after=None, times=-1)
    for attempt in range(3):
        response = graph.get("/beta/deviceManagement/managedDevices")
        assert response.status_code == 503 and "Retry-After" not in response.headers, attempt
        assert response.json()["error"]["code"] == "ServiceUnavailable"
    ctl.clear_faults()
    assert graph.get("/beta/deviceManagement/managedDevices").status_code == 200


def test_drop_closes_connection(ctl, graph):
    ctl.add_fault(method="POST", path="/rings$", kind="drop")
    body = {"@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateRing", "displayName": "Dropped"}
    with pytest.raises(requests.exceptions.ConnectionError):
        graph.post(RINGS, json=body)
    assert len(graph.get(RINGS).json()["value"]) == 1  # dropped before handling: nothing created
    assert graph.post(RINGS, json=body).status_code == 201
    assert [e["status"] for e in ctl.requests(kind="graph") if e["method"] == "POST"] == [0, 201]


def test_drop_after_handling(ctl, graph):
    ctl.add_fault(method="POST", path="/rings$", kind="drop", after=True)
    body = {"@odata.type": "#microsoft.graph.windowsUpdates.qualityUpdateRing", "displayName": "Outcome unknown"}
    with pytest.raises(requests.exceptions.ConnectionError):
        graph.post(RINGS, json=body)
    names = [r["displayName"] for r in graph.get(RINGS).json()["value"]]
    assert names.count("Outcome unknown") == 1  # the write happened; only the answer was lost


def test_latency(ctl, graph):
    ctl.add_fault(method="GET", path="/rings/", kind="latency", latency_ms=300)
    start = time.monotonic()
    assert graph.get(RING).status_code == 200
    assert time.monotonic() - start >= 0.3


def test_token_endpoint_fault(emulator, ctl):
    ctl.add_fault(path="/oauth2/v2.0/token$", status=503, retry_after=1)
    failed = fetch_token(emulator, DEMO_ID, DEMO_SECRET)
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "1"
    assert failed.json()["error"] == "temporarily_unavailable"
    assert fetch_token(emulator, DEMO_ID, DEMO_SECRET).status_code == 200


def test_in_batch_fault_does_not_hit_top_level(ctl, graph):
    ctl.add_fault(path="/rings/", status=429, in_batch=True)
    assert graph.get(RING).status_code == 200


def test_bad_fault_spec(ctl):
    with pytest.raises(Exception, match="400"):
        ctl.add_fault(kind="explode")
    with pytest.raises(Exception, match="400"):
        ctl.add_fault(path="(unclosed")


def test_log_shape_and_redaction(emulator, ctl, graph):
    ctl.clear_requests()
    session = requests.Session()
    session.verify = emulator.ca_bundle
    session.trust_env = False
    app = msal.ConfidentialClientApplication(DEMO_ID, client_credential=DEMO_SECRET, authority="%s/%s" % (emulator.url, TENANT_ID),
                                             instance_discovery=False, http_client=session)
    token = app.acquire_token_for_client([GRAPH_SCOPE])["access_token"]
    graph.get(RINGS, params={"$top": "5"}, headers={"client-request-id": "trace-me"})
    graph.patch(RING, json={"description": "logged"})
    ctl.health()
    ctl.state()
    raw = ctl.session.get(emulator.url + "/_emulator/requests", verify=emulator.ca_bundle, timeout=10).text
    assert DEMO_SECRET not in raw
    assert token not in raw and graph.token not in raw
    assert graph.token.split(".")[2] not in raw
    entries = json.loads(raw)["value"]
    assert not [e for e in entries if e["path"].startswith("/_emulator")]
    kinds = [e["kind"] for e in entries]
    assert kinds[:2] == ["discovery", "token"]
    token_entry = entries[1]
    assert token_entry["body"]["client_secret"] == "***" and token_entry["body"]["grant_type"] == "client_credentials"
    listed = [e for e in entries if e["method"] == "GET" and e["path"] == RINGS][0]
    assert listed["query"] == {"$top": "5"} and listed["raw_path"] == RINGS + "?%24top=5"
    assert listed["headers"]["authorization"] == "Bearer ***"
    assert listed["headers"]["client-request-id"] == "trace-me"
    assert listed["status"] == 200 and listed["in_batch"] is False and listed["batch_seq"] is None and listed["request_id"]
    patched = [e for e in entries if e["method"] == "PATCH"][0]
    assert patched["body"] == {"description": "logged"} and patched["status"] == 200
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    ctl.clear_requests()
    assert ctl.requests() == []


def test_reset_inline_seed_and_state(ctl, graph):
    state = ctl.state()
    assert state["apps"][0]["client_secret"] == "***"
    assert state["windowsUpdates"]["policies"][0]["rings"][0]["id"] == RING_ID
    seed = {"tenants": [{"id": TENANT_ID, "domains": ["contoso.onmicrosoft.com"]}],
            "apps": [{"client_id": DEMO_ID, "client_secret": DEMO_SECRET, "roles": ["WindowsUpdates.ReadWrite.All"]}],
            "windowsUpdates": {"policies": [{"id": "12345678-0000-4000-8000-000000000000", "displayName": "Only"}]}}
    ctl.reset(seed)
    policies = graph.get("/beta/admin/windows/updates/policies").json()["value"]
    assert [p["id"] for p in policies] == ["12345678-0000-4000-8000-000000000000"]
    ctl.reset()
    assert len(graph.get("/beta/admin/windows/updates/policies").json()["value"]) == 2
