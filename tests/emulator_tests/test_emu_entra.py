"""Fake Entra ID: discovery and the client-credentials token endpoint, driven directly and through msal."""
from __future__ import annotations

import base64
import json
import time

import msal
import pytest
import requests
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from emulator_testlib import (
    DEMO_ID, DEMO_SECRET, FEDERATED_ID, GRAPH_SCOPE, RINGS, TENANT_DOMAIN, TENANT_ID, Client, fetch_token,
)

CERT_APP_ID = "44444444-4444-4444-4444-444444444444"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def external_token(**claims) -> str:
    """An unsigned-looking OIDC token like a Kubernetes service account token (the emulator does not check its signature)."""
    payload = {"iss": "https://oidc.emulator.invalid", "sub": "system:serviceaccount:awx:runner", "aud": "api://AzureADTokenExchange",
               "exp": int(time.time()) + 600, "iat": int(time.time())}
    payload.update(claims)
    return _b64({"alg": "RS256", "kid": "k8s"}) + "." + _b64(payload) + ".c2lnbmF0dXJl"


def msal_session(emulator) -> requests.Session:
    session = requests.Session()
    session.verify = emulator.ca_bundle
    session.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment wins over session.verify
    return session


def msal_app(emulator, client_id, credential, tenant=TENANT_ID):
    return msal.ConfidentialClientApplication(client_id, client_credential=credential, authority="%s/%s" % (emulator.url, tenant),
                                              instance_discovery=False, http_client=msal_session(emulator))


@pytest.fixture(scope="module")
def rsa_certificate():
    leaf = trustme.CA(key_type=trustme.KeyType.RSA).issue_cert("graphops-client", key_type=trustme.KeyType.RSA)
    cert_pem = leaf.cert_chain_pems[0].bytes().decode()
    return {"key": leaf.private_key_pem.bytes().decode(), "cert": cert_pem, "parsed": x509.load_pem_x509_certificate(cert_pem.encode())}


def assert_entra_error(response, status, error, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_codes"] == [code]
    assert body["error_description"].startswith("AADSTS%d: " % code)
    for part in ("Trace ID: ", "Correlation ID: ", "Timestamp: "):
        assert part in body["error_description"]
    assert body["trace_id"] and body["correlation_id"] and body["timestamp"]
    return body


@pytest.mark.parametrize("tenant", [TENANT_ID, TENANT_DOMAIN])
@pytest.mark.parametrize("prefix", ["/v2.0", ""])
def test_openid_configuration(emulator, anon, tenant, prefix):
    response = anon.get("/%s%s/.well-known/openid-configuration" % (tenant, prefix))
    assert response.status_code == 200
    config = response.json()
    assert config["token_endpoint"] == "%s/%s/oauth2/v2.0/token" % (emulator.url, TENANT_ID)
    assert config["issuer"] == "%s/%s/v2.0" % (emulator.url, TENANT_ID)
    assert config["authorization_endpoint"] == "%s/%s/oauth2/v2.0/authorize" % (emulator.url, TENANT_ID)
    assert config["tenant_region_scope"] == "NA"
    for key in ("device_authorization_endpoint", "jwks_uri", "response_types_supported"):
        assert key in config


def test_instance_discovery_and_unknown_tenant(emulator, anon):
    params = {"api-version": "1.1", "authorization_endpoint": emulator.url + "/x/oauth2/v2.0/authorize"}
    response = anon.get("/common/discovery/instance", params=params)
    body = response.json()
    host = emulator.url.split("//", 1)[1]
    assert body["api-version"] == "1.1" and body["metadata"][0]["aliases"] == [host]
    assert body["tenant_discovery_endpoint"].startswith(emulator.url)
    assert_entra_error(anon.get("/nope.onmicrosoft.com/v2.0/.well-known/openid-configuration"), 400, "invalid_tenant", 90002)
    assert_entra_error(fetch_token(emulator, DEMO_ID, DEMO_SECRET, tenant="nope.onmicrosoft.com"), 400, "invalid_request", 90002)


def test_secret_token_ok_and_shape(emulator, graph):
    response = fetch_token(emulator, DEMO_ID, DEMO_SECRET, tenant=TENANT_DOMAIN)
    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599 and body["ext_expires_in"] == 3599
    assert body["access_token"].count(".") == 2
    claims = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
    assert claims["tid"] == TENANT_ID and claims["appid"] == DEMO_ID and "WindowsUpdates.ReadWrite.All" in claims["roles"]
    assert claims["aud"] == "https://graph.microsoft.com" and claims["exp"] > claims["iat"]
    assert Client(emulator.url, emulator.ca_bundle, body["access_token"]).get(RINGS).status_code == 200


@pytest.mark.parametrize("scope", ["https://graph.microsoft.us/.default", "https://dod-graph.microsoft.us/.default",
                                   "https://microsoftgraph.chinacloudapi.cn/.default"])
def test_national_cloud_scopes(emulator, scope):
    assert fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope=scope).status_code == 200


def test_v1_token_endpoint_takes_a_resource(emulator):
    response = requests.post("%s/%s/oauth2/token" % (emulator.url, TENANT_ID), verify=emulator.ca_bundle, timeout=10,
                             data={"grant_type": "client_credentials", "client_id": DEMO_ID, "client_secret": DEMO_SECRET,
                                   "resource": "https://graph.microsoft.com"})
    assert response.status_code == 200, response.text


def test_own_url_scope(emulator):
    assert fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope=emulator.url + "/.default").status_code == 200


def test_token_errors(emulator):
    assert_entra_error(fetch_token(emulator, DEMO_ID, "wrong"), 401, "invalid_client", 7000215)
    assert_entra_error(fetch_token(emulator, "99999999-9999-9999-9999-999999999999", "x"), 400, "unauthorized_client", 700016)
    assert_entra_error(fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope="https://graph.microsoft.com/User.Read"),
                       400, "invalid_scope", 70011)
    assert_entra_error(fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope=GRAPH_SCOPE + " openid"), 400, "invalid_scope", 70011)
    assert_entra_error(fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope=""), 400, "invalid_scope", 70011)
    body = assert_entra_error(fetch_token(emulator, DEMO_ID, DEMO_SECRET, scope="https://management.azure.com/.default"),
                              400, "invalid_resource", 500011)
    assert "management.azure.com" in body["error_description"]


def test_msal_secret(emulator):
    result = msal_app(emulator, DEMO_ID, DEMO_SECRET, tenant=TENANT_DOMAIN).acquire_token_for_client([GRAPH_SCOPE])
    assert "access_token" in result, result
    bad = msal_app(emulator, DEMO_ID, "nope").acquire_token_for_client([GRAPH_SCOPE])
    assert bad["error"] == "invalid_client" and 7000215 in bad["error_codes"]


@pytest.mark.parametrize("with_thumbprint", [True, False], ids=["sha1-thumbprint-RS256", "public-cert-PS256"])
def test_msal_certificate(emulator, ctl, rsa_certificate, with_thumbprint):
    ctl.add_app(client_id=CERT_APP_ID, tenant_id=TENANT_ID, certificate_pem=rsa_certificate["cert"], roles=["WindowsUpdates.ReadWrite.All"])
    credential = {"private_key": rsa_certificate["key"], "public_certificate": rsa_certificate["cert"]}
    if with_thumbprint:
        credential["thumbprint"] = rsa_certificate["parsed"].fingerprint(hashes.SHA1()).hex()
    result = msal_app(emulator, CERT_APP_ID, credential).acquire_token_for_client([GRAPH_SCOPE])
    assert "access_token" in result, result
    assert Client(emulator.url, emulator.ca_bundle, result["access_token"]).get(RINGS).status_code == 200
    token_request = ctl.requests(kind="token")[-1]
    assert token_request["body"]["client_assertion"] == "***"
    assert token_request["body"]["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def test_msal_certificate_with_another_key_is_rejected(emulator, ctl, rsa_certificate):
    ctl.add_app(client_id=CERT_APP_ID, tenant_id=TENANT_ID, certificate_pem=rsa_certificate["cert"], roles=[])
    other = trustme.CA(key_type=trustme.KeyType.RSA).issue_cert("other", key_type=trustme.KeyType.RSA)
    credential = {"private_key": other.private_key_pem.bytes().decode(), "public_certificate": rsa_certificate["cert"],
                  "thumbprint": rsa_certificate["parsed"].fingerprint(hashes.SHA1()).hex()}
    result = msal_app(emulator, CERT_APP_ID, credential).acquire_token_for_client([GRAPH_SCOPE])
    assert result.get("error") == "invalid_client" and result["error_codes"] == [700027], result


def test_msal_certificate_with_wrong_thumbprint_is_rejected(emulator, ctl, rsa_certificate):
    ctl.add_app(client_id=CERT_APP_ID, tenant_id=TENANT_ID, certificate_pem=rsa_certificate["cert"], roles=[])
    credential = {"private_key": rsa_certificate["key"], "thumbprint": "00" * 20}
    result = msal_app(emulator, CERT_APP_ID, credential).acquire_token_for_client([GRAPH_SCOPE])
    assert result["error_codes"] == [700027] and "key was not found" in result["error_description"]


def test_msal_federated(emulator):
    result = msal_app(emulator, FEDERATED_ID, {"client_assertion": external_token}).acquire_token_for_client([GRAPH_SCOPE])
    assert "access_token" in result, result
    assert Client(emulator.url, emulator.ca_bundle, result["access_token"]).get(RINGS).status_code == 200


@pytest.mark.parametrize("claims, status, error, code", [
    ({"sub": "system:serviceaccount:other:runner"}, 400, "invalid_request", 70021),
    ({"iss": "https://token.actions.githubusercontent.com"}, 400, "invalid_request", 70021),
    ({"aud": "https://kubernetes.default.svc"}, 400, "invalid_request", 700212),
    ({"exp": int(time.time()) - 3600}, 400, "invalid_client", 700024),
])
def test_federated_rejections(emulator, claims, status, error, code):
    response = requests.post(
        "%s/%s/oauth2/v2.0/token" % (emulator.url, TENANT_ID), verify=emulator.ca_bundle, timeout=10,
        data={"grant_type": "client_credentials", "client_id": FEDERATED_ID, "scope": GRAPH_SCOPE,
              "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
              "client_assertion": external_token(**claims)},
    )
    assert_entra_error(response, status, error, code)


def test_secret_for_app_without_secret_and_garbage_assertion(emulator):
    assert_entra_error(fetch_token(emulator, FEDERATED_ID, "anything"), 401, "invalid_client", 7000215)
    response = requests.post(
        "%s/%s/oauth2/v2.0/token" % (emulator.url, TENANT_ID), verify=emulator.ca_bundle, timeout=10,
        data={"grant_type": "client_credentials", "client_id": FEDERATED_ID, "scope": GRAPH_SCOPE,
              "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": "not-a-jwt"},
    )
    assert_entra_error(response, 400, "invalid_request", 50027)
