"""Fake Entra ID: OpenID discovery, instance discovery and the v2.0 token endpoint (client credentials only)."""
from __future__ import annotations

import hmac
import time
from urllib.parse import urlsplit

from .identity import source_of
from .messages import PLAIN_JSON, Request, Response, entra_error
from .tokens import ACCESS_TOKEN_LIFETIME, TokenError, decode_jwt, load_certificate, verify_assertion_signature

GRAPH_RESOURCES = (
    "https://graph.microsoft.com",
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
    "00000003-0000-0000-c000-000000000000",
)
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
FEDERATED_AUDIENCE = "api://AzureADTokenExchange"
CLOCK_SKEW = 300
_META = ("oauth2", "v2.0", ".well-known", "discovery")


def kind_of(segments: list) -> str | None:
    """'token' or 'discovery' for Entra URLs, None for anything else."""
    if segments and segments[0].lower() in ("beta", "v1.0"):
        return None
    if source_of(segments):
        return "identity"
    if len(segments) >= 2 and segments[1] == "oauth2":
        return "token"
    if segments[:3] == ["common", "discovery", "instance"] or (len(segments) >= 2 and segments[1] in _META):
        return "discovery"
    return None


def _json(body: dict, status: int = 200) -> Response:
    return Response(status, body, {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}, content_type=PLAIN_JSON)


def _tenant_not_found(req: Request, name: str, error: str = "invalid_request") -> Response:
    return entra_error(
        req, 400, error, 90002,
        "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "
        "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant." % name,
    )


class Entra:
    def __init__(self, store, base_url: str):
        self.store = store
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc

    def handle(self, req: Request) -> Response:
        segments = req.segments
        if req.method == "GET" and segments[:3] == ["common", "discovery", "instance"]:
            return self._instance_discovery(req)
        tenant_name = segments[0]
        rest = segments[1:]
        if rest in (["v2.0", ".well-known", "openid-configuration"], [".well-known", "openid-configuration"]) and req.method == "GET":
            return self._openid_configuration(req, tenant_name)
        if rest in (["discovery", "v2.0", "keys"], ["discovery", "keys"]) and req.method == "GET":
            return _json({"keys": []})
        if rest in (["oauth2", "v2.0", "token"], ["oauth2", "token"]):
            if req.method != "POST":
                return entra_error(req, 400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a %s request." % req.method)
            return self._token(req, tenant_name, v2=rest[1] == "v2.0")
        return entra_error(req, 404, "invalid_request", 900023, "The endpoint '%s' is not served by the emulator." % req.path)

    # --- discovery --------------------------------------------------------------------------------------------
    def _instance_discovery(self, req: Request) -> Response:
        authorize = req.query.get("authorization_endpoint", "")
        parts = [p for p in urlsplit(authorize).path.split("/") if p]
        tenant = parts[0] if parts else "common"
        return _json({
            "tenant_discovery_endpoint": "%s/%s/v2.0/.well-known/openid-configuration" % (self.base_url, tenant),
            "api-version": "1.1",
            "metadata": [{"preferred_network": self.host, "preferred_cache": self.host, "aliases": [self.host]}],
        })

    def _openid_configuration(self, req: Request, tenant_name: str) -> Response:
        """The v2.0 document, served on both the /v2.0/ and the bare .well-known path."""
        if tenant_name.lower() in ("common", "organizations", "consumers"):
            tid, path_tenant = "{tenantid}", tenant_name
        else:
            tenant = self.store.find_tenant(tenant_name)
            if tenant is None:
                return _tenant_not_found(req, tenant_name, "invalid_tenant")
            tid = path_tenant = tenant["id"]
        base = "%s/%s" % (self.base_url, path_tenant)
        return _json({
            "token_endpoint": "%s/oauth2/v2.0/token" % base,
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": "%s/discovery/v2.0/keys" % base,
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": "%s/%s/v2.0" % (self.base_url, tid),
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": "%s/oidc/userinfo" % self.base_url,
            "authorization_endpoint": "%s/oauth2/v2.0/authorize" % base,
            "device_authorization_endpoint": "%s/oauth2/v2.0/devicecode" % base,
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": "%s/oauth2/v2.0/logout" % base,
            "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
                                 "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username",
                                 "name", "tid", "ver", "at_hash", "c_hash", "email"],
            "kerberos_endpoint": "%s/kerberos" % base,
            "tenant_region_scope": "NA",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        })

    # --- token ------------------------------------------------------------------------------------------------
    def _token(self, req: Request, tenant_name: str, v2: bool) -> Response:
        tenant = self.store.find_tenant(tenant_name)
        if tenant is None:
            return _tenant_not_found(req, tenant_name)
        form = req.form_body()
        grant_type = form.get("grant_type")
        if not grant_type:
            return entra_error(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
        if grant_type != "client_credentials":
            return entra_error(req, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'." % grant_type)
        client_id = form.get("client_id")
        if not client_id:
            return entra_error(req, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
        app = self.store.find_app(client_id)
        if app is None or app["tenant_id"].lower() != tenant["id"].lower():
            return entra_error(
                req, 400, "unauthorized_client", 700016,
                "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been "
                "installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your "
                "authentication request to the wrong tenant." % (client_id, tenant["displayName"]),
            )
        failure = self._authenticate(req, form, app, tenant)
        if failure is not None:
            return failure
        if not v2 and form.get("resource") and not form.get("scope"):
            form["scope"] = form["resource"].rstrip("/") + "/.default"  # the v1 endpoint names a resource instead
        resource, failure = self._resource(req, form, tenant)
        if failure is not None:
            return failure
        with self.store.lock:
            generation = self.store.token_generation
        token = self.store.issuer.mint(
            tenant_id=tenant["id"], app_id=app["client_id"], roles=app["roles"], audience=resource,
            issuer="https://sts.windows.net/%s/" % tenant["id"], generation=generation,
        )
        return _json({"token_type": "Bearer", "expires_in": ACCESS_TOKEN_LIFETIME, "ext_expires_in": ACCESS_TOKEN_LIFETIME,
                      "access_token": token})

    def _resource(self, req: Request, form: dict, tenant: dict):
        scope = form.get("scope", "")
        scopes = scope.split()
        if not scopes:
            return None, entra_error(req, 400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter.")
        if len(scopes) != 1 or not scopes[0].endswith("/.default"):
            return None, entra_error(
                req, 400, "invalid_scope", 70011,
                "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid. Client credential flows "
                "must have a single scope value with /.default suffixed to the resource identifier (application ID URI)." % scope,
            )
        resource = scopes[0][: -len("/.default")].rstrip("/")
        own = (self.base_url, self.base_url.replace("127.0.0.1", "localhost"))
        if resource.lower() not in GRAPH_RESOURCES + own:
            return None, entra_error(
                req, 400, "invalid_resource", 500011,
                "The resource principal named %s was not found in the tenant named %s. This can happen if the application has not "
                "been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent "
                "your authentication request to the wrong tenant." % (resource, tenant["displayName"]),
            )
        return resource, None

    def _authenticate(self, req: Request, form: dict, app: dict, tenant: dict):
        secret = form.get("client_secret")
        assertion = form.get("client_assertion")
        if secret is not None and assertion is not None:
            return entra_error(req, 400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid: "
                               "send either client_secret or client_assertion, not both.")
        if secret is not None:
            expected = app.get("client_secret") or ""
            if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
                return entra_error(
                    req, 401, "invalid_client", 7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the "
                    "client secret ID, for a secret added to app '%s'." % app["client_id"],
                )
            return None
        if assertion is None:
            return entra_error(req, 401, "invalid_client", 7000218,
                               "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
        if form.get("client_assertion_type") != JWT_BEARER:
            return entra_error(req, 400, "invalid_request", 700026,
                               "Client assertion type must be '%s'." % JWT_BEARER)
        try:
            header, claims, signing_input, signature = decode_jwt(assertion)
        except TokenError as exc:
            return entra_error(req, 400, "invalid_request", 50027, "JWT token is invalid or malformed. %s" % exc.reason)
        if claims.get("iss") == app["client_id"]:
            return self._check_certificate_assertion(req, app, tenant, header, claims, signing_input, signature)
        return self._check_federated_assertion(req, app, claims)

    def _token_endpoints(self, tenant: dict) -> set:
        endpoints = set()
        for base in (self.base_url, self.base_url.replace("127.0.0.1", "localhost")):
            for alias in [tenant["id"]] + tenant["domains"]:
                for path in ("oauth2/v2.0/token", "oauth2/token"):
                    url = ("%s/%s/%s" % (base, alias, path)).lower()
                    endpoints.update((url, url + "/"))
        return endpoints

    def _check_certificate_assertion(self, req, app, tenant, header, claims, signing_input, signature):
        if not app.get("certificate_pem"):
            return entra_error(req, 401, "invalid_client", 700027,
                               "Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by "
                               "client: '%s'.]" % header.get("x5t", ""))
        if claims.get("sub") != app["client_id"]:
            return entra_error(req, 401, "invalid_client", 700027, "Client assertion is invalid: 'sub' must be the client id.")
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        endpoints = self._token_endpoints(tenant)
        if not any(isinstance(aud, str) and aud.lower() in endpoints for aud in audiences):
            return entra_error(req, 401, "invalid_client", 700027,
                               "Client assertion audience claim does not match Realm issuer. Review the documentation at "
                               "https://learn.microsoft.com/entra/identity-platform/certificate-credentials.")
        failure = self._check_lifetime(req, claims)
        if failure is not None:
            return failure
        try:
            verify_assertion_signature(load_certificate(app["certificate_pem"]), header, signing_input, signature)
        except TokenError as exc:
            return entra_error(req, 401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - %s]" % exc.reason)
        return None

    def _check_federated_assertion(self, req, app, claims):
        issuer, subject = claims.get("iss"), claims.get("sub")
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if not app["federated"]:
            return entra_error(req, 401, "invalid_client", 700027,
                               "Client assertion contains an invalid signature. [Reason - The key was not found.] The app has no "
                               "federated identity credentials and the assertion's issuer '%s' is not the client id." % issuer)
        matches = [cred for cred in app["federated"] if cred["issuer"] == issuer and cred["subject"] == subject]
        if not matches:
            return entra_error(
                req, 400, "invalid_request", 70021,
                "No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. "
                "Assertion Audience: '%s'." % (issuer, subject, ",".join(str(a) for a in audiences)),
            )
        if not any(aud == cred["audience"] for cred in matches for aud in audiences):
            return entra_error(req, 400, "invalid_request", 700212,
                               "No matching federated identity record found for presented assertion audience '%s'."
                               % ",".join(str(a) for a in audiences))
        return self._check_lifetime(req, claims)

    @staticmethod
    def _check_lifetime(req, claims):
        now = time.time()
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, (int, float)) or exp + CLOCK_SKEW <= now or (isinstance(nbf, (int, float)) and nbf - CLOCK_SKEW > now):
            return entra_error(req, 400, "invalid_client", 700024,
                               "Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry "
                               "time of assertion %s." % (int(now), nbf, exp))
        return None
