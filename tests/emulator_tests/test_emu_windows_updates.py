"""windowsUpdates deployment service: quality update policies, their approvals, the catalog (isof, derived types, roles)."""
from __future__ import annotations

import pytest

from emulator_testlib import EMPTY_POLICY_ID, POLICY_ID, RINGS, assert_graph_error, fetch_token, Client

WU = "#microsoft.graph.windowsUpdates."
POLICIES = "/beta/admin/windows/updates/policies"
APPROVALS = POLICIES + "/%s/approvals" % POLICY_ID
ENTRIES = "/beta/admin/windows/updates/catalog/entries"
SECURITY_2024_04 = "c1dec151-0000-4000-8000-000000202404"
SECURITY_2024_02 = "c1dec151-0000-4000-8000-000000202402"
FEATURE_23H2 = "f1dec151-0000-4000-8000-0000000023a2"
SEEDED_APPROVAL = "6a1b2c3d-0000-4000-8000-0000000a0001"


def rule(classification="security", cadence="monthly", days=0, odata_type=WU + "qualityUpdateApprovalRule"):
    body = {"classification": classification, "cadence": cadence, "deferralInDays": days}
    if odata_type:
        body["@odata.type"] = odata_type
    return body


def new_policy(**fields):
    body = {"@odata.type": WU + "qualityUpdatePolicy", "displayName": "QU - Test", "approvalRules": [rule()]}
    body.update(fields)
    return body


def test_seeded_policy_is_a_quality_update_policy_with_rules(graph):
    policy = graph.get(POLICIES + "/" + POLICY_ID).json()
    assert policy["@odata.type"] == WU + "qualityUpdatePolicy"
    assert policy["@odata.context"].endswith("$metadata#admin/windows/updates/policies/$entity")
    assert policy["approvalRules"] == [rule()]
    assert graph.get(POLICIES + "/" + EMPTY_POLICY_ID).json()["approvalRules"] == []


def test_policy_crud(graph):
    recovery = {"@odata.type": WU + "recoveryApprovalRule", "deferralInDays": 2}
    created = graph.post(POLICIES, json=new_policy(description="d", approvalRules=[rule(), recovery]))
    assert created.status_code == 201, created.text
    policy = created.json()
    assert created.headers["Location"].endswith("/policies('%s')" % policy["id"])
    assert policy["approvalRules"][1] == {"@odata.type": WU + "recoveryApprovalRule", "deferralInDays": 2}
    assert policy["createdDateTime"] == policy["lastModifiedDateTime"]
    url = POLICIES + "/" + policy["id"]
    patched = graph.patch(url, json={"@odata.type": WU + "policy", "approvalRules": [rule("nonSecurity", "outOfBand", 30)]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["approvalRules"] == [rule("nonSecurity", "outOfBand", 30)]
    assert patched.json()["description"] == "d"
    # Rings and approvals go with their policy.
    assert graph.post(url + "/rings", json={"@odata.type": WU + "qualityUpdateRing", "displayName": "R"}).status_code == 201
    assert graph.post(url + "/approvals", json={"catalogEntryId": SECURITY_2024_04}).status_code == 201
    assert graph.delete(url).status_code == 204
    assert_graph_error(graph.get(url), 404, "NotFound")
    assert_graph_error(graph.get(url + "/approvals"), 404, "NotFound")
    assert graph.post(POLICIES, json=new_policy()).json()["id"] != policy["id"]


@pytest.mark.parametrize("body, message", [
    ({"displayName": "x", "approvalRules": []}, "abstract type"),
    (new_policy(approvalRules=None), "approvalRules"),
    ({"@odata.type": WU + "qualityUpdatePolicy", "displayName": "x"}, "The approvalRules property is required"),
    (new_policy(displayName=""), "displayName"),
    (new_policy(displayName="x" * 201), "The length of displayName must not exceed 200 characters."),
    (new_policy(description="x" * 1501), "The length of description must not exceed 1500 characters."),
    (new_policy(approvalRules=[rule(days=31)]), "The value of deferralInDays must be between 0 and 30."),
    (new_policy(approvalRules=[rule(classification="Security")]), "Requested value 'Security' was not found."),
    (new_policy(approvalRules=[rule(cadence="weekly")]), "Requested value 'weekly' was not found."),
    (new_policy(approvalRules=[rule(odata_type=None)]), "abstract type 'microsoft.graph.windowsUpdates.approvalRule'"),
    (new_policy(approvalRules=[rule(odata_type=WU + "ring")]), "is not compatible"),
    (new_policy(approvalRules=[dict(rule(), extra=1)]), "The property 'extra' does not exist"),
    (new_policy(rings=[]), "The property 'rings' does not exist"),
])
def test_policy_validation(graph, body, message):
    assert_graph_error(graph.post(POLICIES, json=body), 400, "BadRequest", message)


def test_metadata_enum_members_are_accepted(graph):
    body = new_policy(approvalRules=[rule("unknownFutureValue", "unknownFutureValue"), rule("all", "outOfBand", 30)])
    assert graph.post(POLICIES, json=body).status_code == 201


def test_approval_crud_and_rules(graph):
    seeded = graph.get(APPROVALS).json()["value"]
    assert [a["id"] for a in seeded] == [SEEDED_APPROVAL]
    assert seeded[0]["@odata.type"] == WU + "policyApproval" and seeded[0]["status"] == "approved"
    created = graph.post(APPROVALS, json={"@odata.type": WU + "policyApproval", "catalogEntryId": SECURITY_2024_04.upper()})
    assert created.status_code == 201, created.text
    approval = created.json()
    assert approval["status"] == "approved" and approval["catalogEntryId"] == SECURITY_2024_04
    url = APPROVALS + "/" + approval["id"]
    assert graph.patch(url, json={"status": "suspended"}).json()["status"] == "suspended"
    assert_graph_error(graph.patch(url, json={"catalogEntryId": SECURITY_2024_02}), 400, "BadRequest", "cannot be changed")
    assert_graph_error(graph.patch(url, json={"status": "Suspended"}), 400, "BadRequest", "Requested value 'Suspended' was not found.")
    assert_graph_error(graph.post(APPROVALS, json={"catalogEntryId": SECURITY_2024_04}), 409, "Conflict", approval["id"])
    assert_graph_error(graph.post(APPROVALS, json={"catalogEntryId": FEATURE_23H2}), 400, "BadRequest", "quality updates only")
    assert_graph_error(graph.post(APPROVALS, json={"catalogEntryId": "nope"}), 400, "BadRequest", "'nope' was not found")
    assert_graph_error(graph.post(APPROVALS, json={"status": "approved"}), 400, "BadRequest", "catalogEntryId property is required")
    assert graph.delete(url).status_code == 204
    assert_graph_error(graph.get(url), 404, "NotFound")
    # The same entry may be approved on another policy.
    assert graph.post(POLICIES + "/%s/approvals" % EMPTY_POLICY_ID, json={"catalogEntryId": SECURITY_2024_02}).status_code == 201


def test_catalog_entries_derived_types_isof_and_orderby(graph):
    entries = graph.get(ENTRIES).json()["value"]
    kinds = sorted({e["@odata.type"].rsplit(".", 1)[-1] for e in entries})
    assert kinds == ["driverUpdateCatalogEntry", "featureUpdateCatalogEntry", "qualityUpdateCatalogEntry"]
    quality = graph.get(ENTRIES, params={"$filter": "isof('microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry')"}).json()["value"]
    assert len(quality) == 6 and all(e["qualityUpdateClassification"] in ("security", "nonSecurity") for e in quality)
    feature = graph.get(ENTRIES, params={"$filter": "isof(microsoft.graph.windowsUpdates.featureUpdateCatalogEntry)",
                                         "$orderby": "releaseDateTime desc"}).json()["value"]
    assert [e["id"] for e in feature] == [FEATURE_23H2, "f1dec151-0000-4000-8000-0000000022a2"]
    assert feature[0]["version"] == "Windows 11, version 23H2" and feature[0]["deployableUntilDateTime"] == "2026-11-10T00:00:00.0000000Z"
    base = graph.get(ENTRIES, params={"$filter": "isof('microsoft.graph.windowsUpdates.softwareUpdateCatalogEntry')"}).json()["value"]
    assert len(base) == len(entries) == 9
    both = graph.get(ENTRIES, params={"$filter": "isof('microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry') and "
                                                 "displayName eq '2024-04 Cumulative Update for Windows 11'"}).json()["value"]
    assert [e["id"] for e in both] == [SECURITY_2024_04]
    assert graph.get(ENTRIES, params={"$filter": "isof('microsoft.graph.windowsUpdates.recoveryUpdateCatalogEntry')"}).json()["value"] == []
    one = graph.get(ENTRIES + "/" + SECURITY_2024_02).json()
    assert one["cveSeverityInformation"]["maxSeverity"] == "critical" and one["cveSeverityInformation"]["maxBaseScore"] == 9.8
    assert one["productRevisions"][0]["osBuild"]["updateBuildRevision"] == 3155
    assert one["@odata.context"].endswith("$metadata#admin/windows/updates/catalog/entries/$entity")
    # A type cast segment lists the entries of one derived type.
    cast = graph.get(ENTRIES + "/microsoft.graph.windowsUpdates.featureUpdateCatalogEntry").json()
    assert sorted(e["id"] for e in cast["value"]) == sorted(e["id"] for e in feature)
    assert cast["@odata.context"].endswith("$metadata#admin/windows/updates/catalog/entries/microsoft.graph.windowsUpdates.featureUpdateCatalogEntry")
    assert_graph_error(graph.get(ENTRIES + "/missing"), 404, "NotFound")
    assert_graph_error(graph.post(ENTRIES, json={}), 400, "BadRequest", "No HTTP resource")
    assert_graph_error(graph.get(ENTRIES, params={"$filter": "isof('x') or true"}), 400, "BadRequest")


def test_roles(emulator, ctl, graph, reader):
    ctl.add_app(client_id="66666666-6666-6666-6666-666666666666", client_secret="s", roles=["WindowsUpdates.Read.All"])
    token = fetch_token(emulator, "66666666-6666-6666-6666-666666666666", "s").json()["access_token"]
    wu_reader = Client(emulator.url, emulator.ca_bundle, token)
    assert wu_reader.get(POLICIES).status_code == 200
    assert wu_reader.get(APPROVALS).status_code == 200
    assert_graph_error(wu_reader.post(POLICIES, json=new_policy()), 403, "Forbidden", "WindowsUpdates.ReadWrite.All")
    assert_graph_error(wu_reader.patch(APPROVALS + "/" + SEEDED_APPROVAL, json={"status": "suspended"}), 403, "Forbidden")
    assert_graph_error(wu_reader.get(ENTRIES), 403, "Forbidden", "WindowsUpdates.ReadWrite.All")
    assert_graph_error(reader.get(POLICIES), 403, "Forbidden")
    assert_graph_error(reader.get(RINGS), 403, "Forbidden")


def test_state_round_trips_approvals_and_catalog(ctl):
    state = ctl.state()
    assert len(state["windowsUpdates"]["catalog"]["entries"]) == 9
    [policy] = [p for p in state["windowsUpdates"]["policies"] if p["id"] == POLICY_ID]
    assert [a["id"] for a in policy["approvals"]] == [SEEDED_APPROVAL]
    ctl.reset({k: v for k, v in state.items() if k not in ("config", "token_generation")})
    assert ctl.state()["windowsUpdates"] == state["windowsUpdates"]
