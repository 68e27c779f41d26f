"""Constants (the seed's ids) and helpers shared by the emulator's own tests."""
from __future__ import annotations

import importlib
import os
import sys

import requests

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)
control = importlib.import_module("emulator.control")

SEED = os.path.join(TESTS_DIR, "emulator", "seed.yml")
TENANT_ID = "11111111-1111-1111-1111-111111111111"
TENANT_DOMAIN = "contoso.onmicrosoft.com"
DEMO_ID, DEMO_SECRET = "22222222-2222-2222-2222-222222222222", "emulator-demo-secret"
READER_ID, READER_SECRET = "33333333-3333-3333-3333-333333333333", "emulator-reader-secret"
FEDERATED_ID = "55555555-5555-5555-5555-555555555555"
POLICY_ID = "9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11"
EMPTY_POLICY_ID = "0e5b7d21-6c3f-4a9e-b2d8-7f1c4e9a3b22"
RING_ID = "a2c7637a-cda5-e59e-2385-972c4ee528d2"
WUFB_ID = "b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01"
GENERAL_CONFIG_ID = "c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c"
UPDATE_STATE_ID = "3d92af00-af00-3d92-00af-923d00af923d"
DEVICE_1, DEVICE_2 = "d1e2f3a4-0000-4000-8000-000000000001", "d1e2f3a4-0000-4000-8000-000000000002"
USER_1, USER_2 = "e5f6a7b8-0000-4000-8000-000000000001", "e5f6a7b8-0000-4000-8000-000000000002"
CONFIG_STATE_ID = "11692784-2784-1169-8427-691184276911"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"

RINGS = "/beta/admin/windows/updates/policies/%s/rings" % POLICY_ID
UPDATE_STATES = "/beta/deviceManagement/deviceConfigurations/%s/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates" % WUFB_ID


class Client:
    """requests against the emulator; verify is passed per call since REQUESTS_CA_BUNDLE would override Session.verify."""

    def __init__(self, url: str, ca_bundle: str, token: str | None = None):
        self.url = url
        self.ca_bundle = ca_bundle
        self.session = requests.Session()
        self.token = token

    def request(self, method: str, path: str, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = "Bearer " + self.token
        kwargs.setdefault("timeout", 10)
        url = path if path.startswith("https://") else self.url + path
        return self.session.request(method, url, headers=headers, verify=self.ca_bundle, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def fetch_token(emulator, client_id: str, secret: str, tenant: str = TENANT_ID, scope: str = GRAPH_SCOPE):
    return requests.post(
        "%s/%s/oauth2/v2.0/token" % (emulator.url, tenant),
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": scope},
        verify=emulator.ca_bundle, timeout=10,
    )


def assert_graph_error(response, status: int, code: str, message_part: str | None = None) -> dict:
    """Graph's error shape, with the body's request-id equal to the header's."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json;odata.metadata=minimal")
    error = response.json()["error"]
    assert error["code"] == code, error
    if message_part is not None:
        assert message_part in error["message"], error["message"]
    assert error["innerError"]["request-id"] == response.headers["request-id"]
    assert error["innerError"]["date"]
    return error
