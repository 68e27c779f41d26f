"""Fake managed identity endpoints, as msal's ManagedIdentityClient calls them (msal/managed_identity.py).

One emulator serves every source, each under its own path (the client is pointed at them by the environment
variables msal reads):

| source | path | msal is pointed here by | secret |
|---|---|---|---|
| Azure VM / VMSS / AKS (IMDS) | /metadata/identity/oauth2/token | AZURE_POD_IDENTITY_AUTHORITY_HOST=<url> | header Metadata: true |
| App Service, Functions, Automation | /msi/token | IDENTITY_ENDPOINT + IDENTITY_HEADER | header X-IDENTITY-HEADER |
| Azure Machine Learning | /ml/msi/token | MSI_ENDPOINT + MSI_SECRET | header secret |
| Service Fabric | /servicefabric/token | IDENTITY_ENDPOINT + IDENTITY_HEADER + IDENTITY_SERVER_THUMBPRINT | header Secret |
| Azure Arc | /arc/metadata/identity/oauth2/token | IDENTITY_ENDPOINT + IMDS_ENDPOINT | challenge key file |

Identities come from the seed's `managed_identities` (one may be `system: true`); a request naming no identity gets
the system-assigned one; client_id / msi_res_id (mi_res_id) / object_id pick a user-assigned one. Tokens are the
emulator's own JWTs (tid, appid = the identity's client id, roles), accepted by its Graph.
"""
from __future__ import annotations

import os
import secrets
import time

from .messages import PLAIN_JSON, Request, Response
from .tokens import ACCESS_TOKEN_LIFETIME

# Graph's resource per cloud (entra.GRAPH_RESOURCES without the app id form).
GRAPH_RESOURCES = ("https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us",
                   "https://microsoftgraph.chinacloudapi.cn")

PREFIXES = {
    ("metadata", "identity", "oauth2", "token"): "imds",
    ("msi", "token"): "app_service",
    ("ml", "msi", "token"): "machine_learning",
    ("servicefabric", "token"): "service_fabric",
    ("arc", "metadata", "identity", "oauth2", "token"): "arc",
}
API_VERSIONS = {"imds": "2018-02-01", "app_service": "2019-08-01", "machine_learning": "2017-09-01",
                "service_fabric": "2019-07-01-preview", "arc": "2020-06-01"}
DEFAULT_SECRET = "emulator-identity-header"
DEFAULT_ARC_DIR = "/var/opt/azcmagent/tokens"


def source_of(segments: list) -> str | None:
    return PREFIXES.get(tuple(segment.lower() for segment in segments))


def _json(status: int, body: dict, headers: dict | None = None) -> Response:
    return Response(status, body, headers or {}, content_type=PLAIN_JSON)


def parse_identities(seed: dict, default_tenant: str | None) -> tuple:
    """(identities, settings) from the seed's `managed_identities` and `managed_identity` sections."""
    identities = []
    for item in seed.get("managed_identities") or []:
        if not item.get("client_id"):
            raise ValueError("every managed identity needs a client_id")
        identities.append({
            "client_id": str(item["client_id"]), "object_id": str(item.get("object_id") or item["client_id"]),
            "resource_id": item.get("resource_id"), "system": bool(item.get("system")),
            "tenant_id": str(item.get("tenant_id") or default_tenant or ""), "roles": list(item.get("roles") or []),
        })
    if len([i for i in identities if i["system"]]) > 1:
        raise ValueError("at most one managed identity may be system: true")
    settings = dict(seed.get("managed_identity") or {})
    settings.setdefault("secret", DEFAULT_SECRET)
    settings.setdefault("arc_tokens_dir", DEFAULT_ARC_DIR)
    return identities, settings


class ManagedIdentityEndpoints:
    def __init__(self, store):
        self.store = store
        self.arc_keys = {}  # one-time key -> its file

    def handle(self, req: Request) -> Response:
        source = source_of(req.segments)
        if req.method != "GET":
            return _json(405, {"error": "invalid_request", "error_description": "Only GET is supported."})
        query = req.query
        with self.store.lock:
            identities = list(self.store.identities)
            settings = dict(self.store.identity_settings)
        if query.get("api-version") != API_VERSIONS[source]:
            return self._error(source, 400, "invalid_request", "api-version %r is not supported here; use %s"
                               % (query.get("api-version"), API_VERSIONS[source]))
        failure = self._authenticate(source, req, settings)
        if failure is not None:
            return failure
        resource = (query.get("resource") or "").rstrip("/")
        if resource not in GRAPH_RESOURCES:
            return self._error(source, 400, "invalid_resource", "AADSTS500011: The resource principal named %s was not found." % resource)
        identity, selector = self._select(source, query, identities)
        if identity is None:
            return self._error(source, 400, "invalid_request", "Identity not found" if selector else
                               "No system-assigned managed identity is enabled on this resource")
        with self.store.lock:
            generation = self.store.token_generation
        token = self.store.issuer.mint(tenant_id=identity["tenant_id"], app_id=identity["client_id"], roles=identity["roles"],
                                       audience=resource, issuer="https://sts.windows.net/%s/" % identity["tenant_id"],
                                       generation=generation)
        now = int(time.time())
        expires_on = now + ACCESS_TOKEN_LIFETIME
        if source in ("imds", "arc"):
            body = {"access_token": token, "client_id": identity["client_id"], "expires_in": str(ACCESS_TOKEN_LIFETIME),
                    "expires_on": str(expires_on), "ext_expires_in": str(ACCESS_TOKEN_LIFETIME), "not_before": str(now),
                    "resource": resource, "token_type": "Bearer"}
            if selector and selector[0] == "resource_id":
                body["msi_res_id"] = identity["resource_id"]
            if selector and selector[0] == "object_id":
                body["object_id"] = identity["object_id"]
        elif source == "service_fabric":
            body = {"token_type": "Bearer", "access_token": token, "expires_on": expires_on, "resource": resource}
        else:
            body = {"access_token": token, "expires_on": str(expires_on), "resource": resource, "token_type": "Bearer",
                    "client_id": identity["client_id"]}
        return _json(200, body)

    # --- pieces -----------------------------------------------------------------------------------------------
    @staticmethod
    def _error(source, status, error, description):
        if source == "service_fabric":
            return _json(status, {"error": {"code": "ManagedIdentityNotFound" if "not found" in description.lower() else error,
                                            "message": description}})
        if source in ("app_service", "machine_learning"):
            return _json(status, {"statusCode": status, "message": description})
        return _json(status, {"error": error, "error_description": description})

    def _authenticate(self, source, req, settings):
        headers = req.headers
        if source == "imds":
            if headers.get("metadata", "").lower() != "true":
                return self._error(source, 400, "invalid_request", "Required metadata header not specified")
            return None
        if source == "app_service":
            given = headers.get("x-identity-header")
        elif source == "machine_learning":
            given = headers.get("secret")
        elif source == "service_fabric":
            given = headers.get("secret")
            if not given:
                return _json(401, {"error": {"code": "SecretHeaderNotFound", "message": "Secret is not found in the request headers."}})
        else:
            return self._arc_challenge(req, settings)
        if given != settings["secret"]:
            return self._error(source, 401, "unauthorized_client", "The identity header is missing or wrong.")
        return None

    def _arc_challenge(self, req, settings):
        auth = req.headers.get("authorization", "")
        if auth.startswith("Basic ") and auth[6:].strip() in self.arc_keys:
            path = self.arc_keys.pop(auth[6:].strip())
            if os.path.exists(path):
                os.unlink(path)
            return None
        if auth:
            return _json(401, {"error": "invalid_client", "error_description": "The key in the Authorization header is not valid."})
        # The agent writes a one-time key readable by the himds group and names its file in the challenge.
        directory = settings["arc_tokens_dir"]
        name = secrets.token_hex(16)
        key = secrets.token_urlsafe(32)
        path = os.path.join(directory, name + ".key")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        self.arc_keys[key] = path
        return _json(401, {"error": "unauthorized_client", "error_description": "Authorization required"},
                     {"WWW-Authenticate": "Basic realm=%s" % path})

    @staticmethod
    def _select(source, query, identities):
        """(identity or None, (selector kind, value) or None)."""
        names = {"client_id": ("client_id", "clientid"), "resource_id": ("msi_res_id", "mi_res_id"), "object_id": ("object_id",)}
        for kind, params in names.items():
            for param in params:
                value = query.get(param)
                if value:
                    for identity in identities:
                        if not identity["system"] and (identity.get(kind) or "").lower() == value.lower():
                            return identity, (kind, value)
                    return None, (kind, value)
        system = [identity for identity in identities if identity["system"]]
        return (system[0] if system else None), None
