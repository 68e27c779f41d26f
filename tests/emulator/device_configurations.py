"""Intune device configurations beyond reading: create/update of the derived types the emulator knows
(windowsUpdateForBusinessConfiguration), delete, and assignments (`.../assignments`, the `assign` action).

Device configurations of other types stay open (seeded as given, read-only apart from delete).
"""
from __future__ import annotations

import copy
import datetime

from . import schema
from .messages import Response, new_guid, utc_now
from .validation import ValidationError, format_datetime, odata_type_matches

ASSIGNMENT_TYPE = "#microsoft.graph.deviceConfigurationAssignment"


def etype_of(config: dict):
    """The strict entity type of a stored configuration, or None for the open ones."""
    if odata_type_matches(config.get("@odata.type"), schema.WUFB_CONFIGURATION_TYPE):
        return schema.WUFB_CONFIGURATION
    return None


def _assignments_of(ctx, config_id: str) -> list:
    return ctx.data.setdefault("configurationAssignments", {}).setdefault(config_id, [])


def _pause_dates(before: dict, after: dict):
    """The service stamps the pause start date (and a 35-day expiry unless given) when a pause begins."""
    today = utc_now()
    for kind in ("quality", "feature"):
        paused = "%sUpdatesPaused" % kind
        if after.get(paused) and not before.get(paused):
            after["%sUpdatesPauseStartDate" % kind] = today.date().isoformat()
            expiry = "%sUpdatesPauseExpiryDateTime" % kind
            if not after.get(expiry) or after.get(expiry) == before.get(expiry):
                after[expiry] = format_datetime(today + datetime.timedelta(days=35))


def create(graph, ctx, route):
    from .graph import read_json
    body = read_json(ctx.req)
    if not isinstance(body, dict) or not body.get("@odata.type"):
        raise ValidationError("Cannot create an instance of the abstract type 'microsoft.graph.deviceConfiguration': the request body "
                              "must carry an '@odata.type' naming a derived type, e.g. '#%s'." % schema.WUFB_CONFIGURATION_TYPE)
    etype = etype_of(body)
    if etype is None:
        raise ValidationError("The emulator creates only %s device configurations, not '%s'."
                              % (schema.WUFB_CONFIGURATION_TYPE, body.get("@odata.type")))
    entity = etype.new_entity(etype.parse(body, creating=True))
    entity["id"] = new_guid()
    entity["createdDateTime"] = entity["lastModifiedDateTime"] = format_datetime(utc_now())
    entity["version"] = 1
    entity["supportsScopeTags"] = True
    entity["qualityUpdatesPauseStartDate"] = entity["featureUpdatesPauseStartDate"] = None
    _pause_dates({}, entity)
    etype.validate_entity(entity)
    ctx.data["deviceConfigurations"][entity["id"]] = entity
    ctx.data["deviceUpdateStates"][entity["id"]] = {}
    location = "%s/%s/deviceManagement/deviceConfigurations('%s')" % (graph.base_url, ctx.version, entity["id"])
    return graph._single(ctx, route, entity, 201, {"Location": location})


def update(graph, ctx, route):
    from .graph import read_json
    config = graph._entity(ctx, route)
    body = read_json(ctx.req)
    etype = etype_of(config)
    if etype is None:
        raise ValidationError("The emulator does not update device configurations of type '%s'." % config.get("@odata.type"))
    if isinstance(body, dict) and "@odata.type" not in body:
        # Without @odata.type Intune reads the body as the base type: derived properties are unknown there.
        base = schema.EntityType("microsoft.graph.deviceConfiguration", schema.DEVICE_CONFIGURATION_BASE,
                                 server_fields=schema.DEVICE_CONFIGURATION_SERVER)
        changes = base.parse(body, creating=False)
    else:
        changes = etype.parse(body, creating=False)
    updated = copy.deepcopy(config)
    updated.update(changes)
    _pause_dates(config, updated)
    etype.validate_entity(updated)
    updated["lastModifiedDateTime"] = format_datetime(utc_now())
    updated["version"] = int(config.get("version") or 0) + 1
    config.clear()
    config.update(updated)
    return graph._single(ctx, route, config)


def delete(graph, ctx, route):
    config = graph._entity(ctx, route)
    del ctx.data["deviceConfigurations"][config["id"]]
    ctx.data["deviceUpdateStates"].pop(config["id"], None)
    ctx.data.setdefault("configurationAssignments", {}).pop(config["id"], None)
    return Response(204)


def list_assignments(graph, ctx, route):
    config = graph._entity(ctx, route)
    items = [copy.deepcopy(item) for item in _assignments_of(ctx, config["id"])]
    context = "%s/%s/$metadata#deviceManagement/deviceConfigurations('%s')/assignments" % (graph.base_url, ctx.version, config["id"])
    return Response(200, {"@odata.context": context, "value": items})


def _assignment_id(config_id: str, target: dict) -> str:
    kind = target["@odata.type"].lstrip("#").rsplit(".", 1)[-1]
    return "%s_%s" % (config_id, target.get("groupId") or target.get("collectionId") or kind)


def assign(graph, ctx, route):
    """POST .../assign {"assignments": [...]}: replaces the whole set; any malformed item fails the whole call."""
    from .graph import read_json
    config = graph._entity(ctx, route)
    body = read_json(ctx.req)
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object with an 'assignments' collection.")
    for key in body:
        if key not in ("assignments", "deviceConfigurationGroupAssignments") and not key.startswith("@"):
            raise ValidationError("The parameter '%s' in the request payload is not a valid parameter for the operation 'assign'." % key)
    if not isinstance(body.get("assignments"), list):
        raise ValidationError("The parameter 'assignments' of the operation 'assign' must be a collection.")
    stored, seen = [], set()
    for item in body["assignments"]:
        assignment = schema.DEVICE_CONFIGURATION_ASSIGNMENT.convert(item, "assignments")
        target = assignment.get("target")
        if not target:
            raise ValidationError("Every assignment needs a 'target'.")
        assignment["id"] = _assignment_id(config["id"], target)
        if assignment["id"].lower() in seen:
            raise ValidationError("The assignment target '%s' is given twice." % assignment["id"])
        seen.add(assignment["id"].lower())
        assignment["source"], assignment["sourceId"] = "direct", config["id"]
        assignment["@odata.type"] = ASSIGNMENT_TYPE
        stored.append(assignment)
    ctx.data.setdefault("configurationAssignments", {})[config["id"]] = stored
    context = "%s/%s/$metadata#Collection(microsoft.graph.deviceConfigurationAssignment)" % (graph.base_url, ctx.version)
    return Response(200, {"@odata.context": context, "value": copy.deepcopy(stored)})
