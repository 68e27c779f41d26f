"""Approvals of a quality update policy: /admin/windows/updates/policies/{id}/approvals (policyApproval).

An approval names an existing quality (or recovery) catalog entry, once per policy, and keeps it.
"""
from __future__ import annotations

from ..declaration import Entity
from ..routing import GraphError, find
from ..schema import WINDOWS_UPDATES_READ, WU
from ..validation import Enum, EntityType, String
from .catalog import CATALOG_ENTRIES
from .policies import POLICIES

APPROVAL_STATUS = Enum(WU + "approvalStatus", ("approved", "suspended", "unknownFutureValue"))
APPROVAL_TYPE = EntityType(
    WU + "policyApproval",
    {"catalogEntryId": String(), "status": APPROVAL_STATUS},
    server_fields=("id", "createdDateTime", "lastModifiedDateTime"),
    required=("catalogEntryId",),
    defaults={"status": "approved"},
    timestamps=True,
)
_APPROVABLE = ("qualityUpdateCatalogEntry", "recoveryUpdateCatalogEntry")


def check_approval(ctx, approval: dict, current: dict | None):
    if current is not None:
        if (approval.get("catalogEntryId") or "").lower() != (current.get("catalogEntryId") or "").lower():
            raise GraphError(400, "BadRequest", "The catalogEntryId of a policyApproval cannot be changed.")
        return
    entries = ctx.data[CATALOG_ENTRIES.store]
    entry_id = approval.get("catalogEntryId") or ""
    found = find(entries, entry_id)
    if found is None:
        raise GraphError(400, "BadRequest", "The catalog entry '%s' was not found." % entry_id)
    entry_type = entries[found]["@odata.type"].rsplit(".", 1)[-1]
    if entry_type not in _APPROVABLE:
        raise GraphError(400, "BadRequest", "The catalog entry '%s' is a %s; a quality update policy approves quality updates only."
                         % (entry_id, entry_type))
    approval["catalogEntryId"] = entries[found]["id"]
    for other in ctx.route.container(ctx).values():  # the policy's approvals
        if (other.get("catalogEntryId") or "").lower() == entry_id.lower():
            raise GraphError(409, "Conflict", "The policy already has an approval (id '%s') for catalog entry '%s'." % (other["id"], entry_id))


APPROVALS = Entity("policy approval", APPROVAL_TYPE, parent=POLICIES, path=("approvals",), key="approvalId", store="approvals",
                   service=WINDOWS_UPDATES_READ, on_write=check_approval)
