"""The emulator's whole mutable state (directory, entities, request log, faults, config), guarded by one lock."""
from __future__ import annotations

import copy
import datetime
import os
import threading

import yaml

from . import entities
from .declaration import SeedError, load_seed, seed_entity, snapshot
from .entities.managed_devices import MANAGED_DEVICES
from .faults import FaultRegistry
from .identity import parse_identities
from .throttle import Performance
from .tokens import TokenIssuer, load_certificate

__all__ = ["SeedError", "Store", "load_seed_file", "generated_device"]


def _plain(value):
    """YAML turns unquoted dates into date objects; Graph bodies carry strings."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_SEED_CACHE = {}


def load_seed_file(path: str) -> dict:
    """The parsed seed; cached while the file is unchanged, since tests reset before every case."""
    stamp = os.stat(path).st_mtime_ns
    cached = _SEED_CACHE.get(path)
    if cached is None or cached[0] != stamp:
        with open(path, encoding="utf-8") as handle:
            seed = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        if not isinstance(seed, dict):
            raise SeedError("%s: the seed must be a mapping" % path)
        cached = _SEED_CACHE[path] = (stamp, _plain(seed))
    return copy.deepcopy(cached[1])


def _app(data: dict, default_tenant: str | None) -> dict:
    if not data.get("client_id"):
        raise SeedError("every app needs a client_id")
    app = {
        "client_id": str(data["client_id"]),
        "tenant_id": str(data.get("tenant_id") or default_tenant or ""),
        "display_name": data.get("display_name") or data.get("displayName") or data["client_id"],
        "client_secret": data.get("client_secret"),
        "certificate_pem": data.get("certificate_pem"),
        "federated": [dict(item) for item in data.get("federated") or []],
        "roles": list(data.get("roles") or []),
    }
    for item in app["federated"]:
        if not item.get("issuer") or not item.get("subject"):
            raise SeedError("app %s: each federated credential needs issuer and subject" % app["client_id"])
        item.setdefault("audience", "api://AzureADTokenExchange")
    if app["certificate_pem"]:
        try:
            load_certificate(app["certificate_pem"])
        except ValueError as exc:
            raise SeedError("app %s: certificate_pem is not a PEM certificate: %s" % (app["client_id"], exc))
    return app


class Store:
    """Everything the handlers read or change. Callers hold `lock` while they touch `data`."""

    def __init__(self, seed_path: str | None, page_size: int = 50, seed: dict | None = None):
        self.lock = threading.RLock()
        self.seed_path = seed_path
        self.default_page_size = page_size
        self.page_size_override = None
        self.faults = FaultRegistry()
        self.perf = Performance()
        self.log = []
        self.seq = 0
        self.token_generation = 0
        self.issuer = TokenIssuer()
        self.tenants = []
        self.apps = {}
        self.data = {}
        self.load(seed if seed is not None else (load_seed_file(seed_path) if seed_path else {}))

    # --- seed -------------------------------------------------------------------------------------------------
    def load(self, seed: dict):
        """Replace directory and entities with the seed's (validated first, so a bad seed changes nothing)."""
        seed = _plain(copy.deepcopy(seed))
        tenants = []
        for item in seed.get("tenants") or []:
            if not item.get("id"):
                raise SeedError("every tenant needs an id")
            tenants.append({"id": str(item["id"]), "displayName": item.get("displayName") or "Contoso",
                            "domains": [str(d) for d in item.get("domains") or []]})
        default_tenant = tenants[0]["id"] if tenants else None
        apps = {}
        for item in seed.get("apps") or []:
            app = _app(item, default_tenant)
            apps[app["client_id"].lower()] = app
        data = load_seed(entities.DECLARATIONS, seed)
        try:
            identities, identity_settings = parse_identities(seed, default_tenant)
        except ValueError as exc:
            raise SeedError(str(exc))
        with self.lock:
            self.tenants, self.apps, self.data = tenants, apps, data
            self.identities, self.identity_settings = identities, identity_settings

    def reset(self, seed: dict | None = None):
        """Reload the seed (inline, else the file given at start); clear log, faults and the page-size override."""
        self.load(seed if seed is not None else (load_seed_file(self.seed_path) if self.seed_path else {}))
        with self.lock:
            self.log = []
            self.faults.clear()
            self.page_size_override = None
        self.perf.reset()

    # --- directory --------------------------------------------------------------------------------------------
    def find_tenant(self, name: str) -> dict | None:
        name = (name or "").lower()
        with self.lock:
            for tenant in self.tenants:
                if tenant["id"].lower() == name or name in (d.lower() for d in tenant["domains"]):
                    return tenant
        return None

    def find_app(self, client_id: str) -> dict | None:
        with self.lock:
            return self.apps.get((client_id or "").lower())

    def add_app(self, data: dict) -> dict:
        with self.lock:
            app = _app(data, self.tenants[0]["id"] if self.tenants else None)
            self.apps[app["client_id"].lower()] = app
            return app

    def expire_tokens(self):
        with self.lock:
            self.token_generation += 1

    # --- request log ------------------------------------------------------------------------------------------
    def next_seq(self) -> int:
        with self.lock:
            self.seq += 1
            return self.seq

    def record(self, entry: dict):
        if not self.perf.request_log:
            return
        with self.lock:
            self.log.append(entry)

    def entries(self) -> list:
        with self.lock:
            return sorted(self.log, key=lambda entry: entry["seq"])

    def clear_log(self):
        with self.lock:
            self.log = []
        self.perf.clear()

    # --- config -----------------------------------------------------------------------------------------------
    @property
    def page_size(self) -> int:
        with self.lock:
            return self.page_size_override or self.default_page_size

    # --- snapshot ---------------------------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The state in the seed's own format (secrets redacted)."""
        with self.lock:
            data = copy.deepcopy(self.data)
            apps = []
            for app in self.apps.values():
                shown = dict(app)
                if shown.get("client_secret"):
                    shown["client_secret"] = "***"
                apps.append(shown)
            state = {"tenants": copy.deepcopy(self.tenants), "apps": apps}
            state.update(snapshot(entities.DECLARATIONS, data))
            state.update({"config": {"page_size": self.page_size, "default_page_size": self.default_page_size},
                          "token_generation": self.token_generation})
            return state

    # --- bulk devices -----------------------------------------------------------------------------------------
    def generate_devices(self, count: int, start: int = 1, name_prefix: str = "GEN-", operating_systems=("Windows",)) -> int:
        """Add `count` generated managed devices (POST /_emulator/managed-devices): a large tenant for paging tests."""
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 100000:
            raise ValueError("count must be an integer from 1 to 100000")
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            raise ValueError("start must be a non-negative integer")
        if not operating_systems or not all(isinstance(name, str) for name in operating_systems):
            raise ValueError("operating_systems must be a list of strings")
        devices = {}
        for number in range(start, start + count):
            device = seed_entity(MANAGED_DEVICES.etype, generated_device(number, str(name_prefix), tuple(operating_systems)),
                                 MANAGED_DEVICES.name)
            devices[device["id"]] = device
        with self.lock:
            self.data[MANAGED_DEVICES.store].update(devices)
            for key in devices:
                for child in MANAGED_DEVICES.all_children():
                    self.data[child.store].setdefault(key, {})
        return count


def generated_device(number: int, name_prefix: str = "GEN-", operating_systems=("Windows",)) -> dict:
    """A managed device with the metadata's main fields, deterministic in `number`."""
    system = operating_systems[number % len(operating_systems)]
    return {
        "@odata.type": "#microsoft.graph.managedDevice",
        "id": "d0000000-0000-4000-8000-%012d" % number,
        "deviceName": "%s%05d" % (name_prefix, number),
        "userId": None,
        "userPrincipalName": "user%05d@contoso.onmicrosoft.com" % number,
        "operatingSystem": system,
        "osVersion": "10.0.22631.%d" % (3000 + number % 500) if system == "Windows" else "17.%d" % (number % 5),
        "complianceState": ("compliant", "noncompliant", "inGracePeriod")[number % 3],
        "managedDeviceOwnerType": "company",
        "managementAgent": "mdm",
        "enrolledDateTime": "2024-01-01T00:00:00Z",
        "lastSyncDateTime": "2024-03-%02dT06:00:00Z" % (1 + number % 28),
        "azureADDeviceId": "a0000000-0000-4000-8000-%012d" % number,
        "serialNumber": "SN%08d" % number,
        "manufacturer": "Contoso Hardware",
        "model": "Surface Laptop 5",
    }
