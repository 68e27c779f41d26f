"""Directory users: GET /users/{id} only (the devices of a user are served by managed_devices.py)."""
from __future__ import annotations

from ..declaration import Entity
from ..schema import DIRECTORY_USERS
from ..validation import EntityType, String

USER = EntityType("microsoft.graph.user", {"displayName": String(), "userPrincipalName": String()}, strict=False)

USERS = Entity("user", USER, path=("users",), key="userId", store="users", seed=("users",), methods=("GET",), listable=False,
               service=DIRECTORY_USERS)
