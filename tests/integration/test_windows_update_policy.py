# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_update_policy(_info), windows_update_policy_approval(_info) and windows_update_catalog_info
through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import requests

from conftest import DEMO_APP, DEMO_SECRET, EMPTY_POLICY, POLICY, TENANT, graph_calls, writes

POLICY_MODULE = 'graphops.intune.windows_update_policy'
APPROVAL_MODULE = 'graphops.intune.windows_update_policy_approval'
CATALOG = 'graphops.intune.windows_update_catalog_info'
POLICY_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdatePolicy'
RULE_TYPE = '#microsoft.graph.windowsUpdates.qualityUpdateApprovalRule'
RECOVERY_TYPE = '#microsoft.graph.windowsUpdates.recoveryApprovalRule'
# Seeded catalog entries (tests/emulator/seed.yml)
SECURITY_2024_02 = 'c1dec151-0000-4000-8000-000000202402'
SECURITY_2024_03 = 'c1dec151-0000-4000-8000-000000202403'
OOB_2024_03 = 'c1dec151-0000-4000-8000-0000002403d0'
PREVIEW_2024_03 = 'c1dec151-0000-4000-8000-0000002403d4'
SECURITY_2024_04 = 'c1dec151-0000-4000-8000-000000202404'
PREVIEW_2024_04 = 'c1dec151-0000-4000-8000-0000002404d4'
FEATURE_22H2 = 'f1dec151-0000-4000-8000-0000000022a2'
FEATURE_23H2 = 'f1dec151-0000-4000-8000-0000000023a2'
DRIVER = 'd1dec151-0000-4000-8000-000000000001'
SEEDED_APPROVAL = '6a1b2c3d-0000-4000-8000-0000000a0001'
RULES = [{'classification': 'security', 'cadence': 'monthly', 'deferral_in_days': 3},
         {'classification': 'security', 'cadence': 'outOfBand', 'deferral_in_days': 0}]


def task(module, name, ignore_errors=False, **args):
    entry = {'name': name, module: args}
    if ignore_errors:
        entry['ignore_errors'] = True
    return entry


def graph_only(graph):
    return [e for e in graph.requests() if e['kind'] == 'graph']


def token(graph):
    response = requests.post(graph.url + '/%s/oauth2/v2.0/token' % TENANT, data={
        'grant_type': 'client_credentials', 'client_id': DEMO_APP, 'client_secret': DEMO_SECRET,
        'scope': 'https://graph.microsoft.com/.default'}, verify=graph.ca_bundle, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()['access_token']


def direct(graph, method, path, body=None):
    """A request made outside the collection (portal, script)."""
    response = requests.request(method, graph.url + '/beta' + path, json=body, verify=graph.ca_bundle, timeout=10,
                                headers={'Authorization': 'Bearer ' + token(graph)})
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


# --- windows_update_policy -----------------------------------------------------------------------------------------
def test_policy_create_then_ok_with_one_get_and_no_write(ansible, graph):
    create = task(POLICY_MODULE, 'policy', display_name='QU - Pipeline', description='Security after 3 days', approval_rules=RULES)
    first = ansible([create])
    assert first.rc == 0, first.output
    assert first.last['status'] == 'changed'
    policy = first.last['result']['policy']
    assert policy['id'] and policy['displayName'] == 'QU - Pipeline'
    [post] = graph_calls(graph.requests(), 'POST')
    assert post['path'] == '/beta/admin/windows/updates/policies'
    assert post['body'] == {'@odata.type': POLICY_TYPE, 'displayName': 'QU - Pipeline', 'description': 'Security after 3 days',
                            'approvalRules': [
                                {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 3},
                                {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'outOfBand', 'deferralInDays': 0}]}

    graph.clear_requests()
    # The same rules in another order and enum casing: the same multiset.
    again = task(POLICY_MODULE, 'policy', display_name='QU - Pipeline', description='Security after 3 days', approval_rules=[
        {'classification': 'Security', 'cadence': 'OUTOFBAND', 'deferral_in_days': 0},
        {'classification': 'SECURITY', 'cadence': 'monthly', 'deferral_in_days': 3}])
    by_id = task(POLICY_MODULE, 'by id', policy_id=policy['id'], approval_rules=RULES)
    second = ansible([again, by_id])
    assert second.rc == 0, second.output
    assert second.statuses() == ['ok', 'ok']
    assert [(e['method'], e['path']) for e in graph_only(graph)] == [
        ('GET', '/beta/admin/windows/updates/policies'), ('GET', '/beta/admin/windows/updates/policies/' + policy['id'])]
    assert not writes(graph.requests())


def test_policy_rules_compare_as_a_multiset(ansible, graph):
    # A duplicated rule is a different multiset: one PATCH, then ok.
    rules = [RULES[0], RULES[0]]
    first = ansible([task(POLICY_MODULE, 'dup', policy_id=POLICY, approval_rules=rules)])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'@odata.type': POLICY_TYPE, 'approvalRules': [
        {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 3}] * 2}
    graph.clear_requests()
    assert ansible([task(POLICY_MODULE, 'dup', policy_id=POLICY, approval_rules=rules)]).last['status'] == 'ok'
    assert not writes(graph.requests())


def test_policy_patch_is_minimal_and_keeps_rules_of_other_types(ansible, graph):
    direct(graph, 'PATCH', '/admin/windows/updates/policies/' + POLICY, {'@odata.type': POLICY_TYPE, 'approvalRules': [
        {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 0},
        {'@odata.type': RECOVERY_TYPE, 'deferralInDays': 2}]})
    graph.clear_requests()
    unchanged = task(POLICY_MODULE, 'unchanged', policy_id=POLICY, display_name='Quality updates - Contoso',
                     approval_rules=[{'classification': 'security', 'cadence': 'monthly', 'deferral_in_days': 0}])
    run = ansible([unchanged])
    assert run.rc == 0 and run.last['status'] == 'ok', run.output  # the recovery rule is not ours to compare
    changed = task(POLICY_MODULE, 'changed', policy_id=POLICY, display_name='Quality updates - Contoso', approval_rules=RULES)
    run = ansible([changed])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'@odata.type': POLICY_TYPE, 'approvalRules': [
        {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 3},
        {'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'outOfBand', 'deferralInDays': 0},
        {'@odata.type': RECOVERY_TYPE, 'deferralInDays': 2}]}
    stored = graph.state()['windowsUpdates']['policies']
    [policy] = [p for p in stored if p['id'] == POLICY]
    assert len(policy['approvalRules']) == 3


def test_policy_check_mode_writes_nothing_and_diff_shows_before_after(ansible, graph):
    run = ansible([task(POLICY_MODULE, 'change', policy_id=POLICY, description='New words', approval_rules=RULES),
                   task(POLICY_MODULE, 'create', display_name='QU - New', approval_rules=[]),
                   task(POLICY_MODULE, 'delete', policy_id=EMPTY_POLICY, state='absent')], check=True, diff=True)
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'changed', 'changed']
    assert not writes(graph.requests())
    diff = run.task('change')['result']['diff']
    assert diff['before']['description'] == 'Hotpatch-enabled quality update rings for Contoso devices.'
    assert diff['after']['description'] == 'New words'
    assert len(diff['before']['approvalRules']) == 1 and len(diff['after']['approvalRules']) == 2
    assert '+    "description": "New words"' in run.stdout
    assert run.task('create')['result']['diff'] == {'before': {}, 'after': {'displayName': 'QU - New', 'approvalRules': []}}
    assert run.task('delete')['result']['diff']['after'] == {}
    assert len(graph.state()['windowsUpdates']['policies']) == 2


def test_policy_delete_by_name_then_ok(ansible, graph):
    delete = task(POLICY_MODULE, 'delete', display_name='Quality updates - Fabrikam', state='absent')
    first = ansible([delete])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    [call] = graph_calls(graph.requests(), 'DELETE')
    assert call['path'] == '/beta/admin/windows/updates/policies/' + EMPTY_POLICY
    graph.clear_requests()
    second = ansible([delete])
    assert second.rc == 0 and second.last['status'] == 'ok'
    assert not writes(graph.requests())


def test_policy_create_needs_approval_rules(ansible, graph):
    run = ansible([task(POLICY_MODULE, 'no rules', display_name='QU - No rules')])
    assert run.rc != 0
    assert 'creating it needs approval_rules' in run.last['result']['msg']
    assert not writes(graph.requests())


def test_bad_input_fails_before_any_request(ansible, graph):
    bad = [
        ('unknown classification', dict(display_name='P', approval_rules=[dict(RULES[0], classification='critical')]),
         "approval_rules[0].classification: 'critical' is not one of all, security, nonSecurity, unknownFutureValue"),
        ('unknown cadence', dict(display_name='P', approval_rules=[dict(RULES[0], cadence='weekly')]),
         "approval_rules[0].cadence: 'weekly' is not one of monthly, outOfBand, unknownFutureValue"),
        ('deferral out of range', dict(display_name='P', approval_rules=[RULES[1], dict(RULES[0], deferral_in_days=31)]),
         'approval_rules[1].deferral_in_days must be between 0 and 30, got 31'),
        ('negative deferral', dict(display_name='P', approval_rules=[dict(RULES[0], deferral_in_days=-1)]),
         'approval_rules[0].deferral_in_days must be between 0 and 30, got -1'),
        ('rule without cadence', dict(display_name='P', approval_rules=[{'classification': 'all', 'deferral_in_days': 1}]),
         'missing required arguments: cadence found in approval_rules'),
        ('no identity', dict(description='x'), 'one of the following is required: policy_id, display_name'),
        ('dot dot id', dict(policy_id='..', description='x'), "policy_id is '..', which URL normalisation would remove"),
        ('long name', dict(display_name='P' * 201), 'display_name must be at most 200 characters'),
        ('long description', dict(display_name='P', description='d' * 1501), 'description must be at most 1500 characters'),
    ]
    tasks = [task(POLICY_MODULE, name, ignore_errors=True, **args) for name, args, _message in bad]
    tasks += [
        task(APPROVAL_MODULE, 'approval status', ignore_errors=True, policy_id=POLICY, catalog_entry_id=SECURITY_2024_04, status='paused'),
        task(APPROVAL_MODULE, 'approval dot dot', ignore_errors=True, policy_id='..', catalog_entry_id=SECURITY_2024_04),
        task(APPROVAL_MODULE, 'approval control char', ignore_errors=True, policy_id=POLICY, catalog_entry_id='a\nb'),
        task(APPROVAL_MODULE, 'approval no entry', ignore_errors=True, policy_id=POLICY),
        task('graphops.intune.windows_update_policy_approval_info', 'approvals dot', ignore_errors=True, policy_id='.'),
        task('graphops.intune.windows_update_policy_info', 'policies dot dot', ignore_errors=True, policy_id='..'),
        task(CATALOG, 'catalog kind', ignore_errors=True, kind='cumulative'),
        task(CATALOG, 'catalog classification', ignore_errors=True, classification='critical'),
        task(CATALOG, 'catalog date', ignore_errors=True, released_after='last tuesday'),
        task(CATALOG, 'catalog feature classification', ignore_errors=True, kind='feature', classification='security'),
        task(CATALOG, 'catalog dot dot', ignore_errors=True, catalog_entry_id='..'),
    ]
    run = ansible(tasks)
    assert run.statuses() == ['failed'] * len(tasks), run.output
    for name, _args, message in bad:
        assert message in run.task(name)['result']['msg'], (name, run.task(name)['result']['msg'])
    assert 'value of status must be one of: approved, suspended, unknownFutureValue' in run.task('approval status')['result']['msg']
    assert "policy_id is '..'" in run.task('approval dot dot')['result']['msg']
    assert 'catalog_entry_id holds control characters' in run.task('approval control char')['result']['msg']
    assert 'missing required arguments: catalog_entry_id' in run.task('approval no entry')['result']['msg']
    assert "policy_id is '.'" in run.task('approvals dot')['result']['msg']
    assert "policy_id is '..'" in run.task('policies dot dot')['result']['msg']
    assert "catalog_entry_id is '..'" in run.task('catalog dot dot')['result']['msg']
    assert 'value of kind must be one of: quality, feature, driver, recovery' in run.task('catalog kind')['result']['msg']
    assert 'released_after' in run.task('catalog date')['result']['msg']
    assert 'cannot be used with kind=feature' in run.task('catalog feature classification')['result']['msg']
    assert graph.requests() == [], 'nothing may reach the emulator (not even a token request)'


def test_policy_info(ansible, graph):
    info = 'graphops.intune.windows_update_policy_info'
    run = ansible([task(info, 'all'), task(info, 'by name', display_name='Quality updates - Fabrikam'),
                   task(info, 'by id', policy_id=POLICY), task(info, 'unknown', policy_id='00000000-0000-0000-0000-000000000000')])
    assert run.rc == 0, run.output
    assert {p['id'] for p in run.task('all')['result']['policies']} == {POLICY, EMPTY_POLICY}
    assert [p['id'] for p in run.task('by name')['result']['policies']] == [EMPTY_POLICY]
    [policy] = run.task('by id')['result']['policies']
    assert policy['approvalRules'] == [{'@odata.type': RULE_TYPE, 'classification': 'security', 'cadence': 'monthly', 'deferralInDays': 0}]
    assert '@odata.type' not in policy and '@odata.context' not in policy
    assert run.task('unknown')['result']['policies'] == []
    assert not writes(graph.requests())


def test_read_only_permission_reads_policies_and_approvals_but_not_the_catalog(ansible, graph):
    graph.add_app(client_id='66666666-6666-6666-6666-666666666666', client_secret='wu-reader-secret', roles=['WindowsUpdates.Read.All'])
    env = {'AZURE_CLIENT_ID': '66666666-6666-6666-6666-666666666666', 'AZURE_CLIENT_SECRET': 'wu-reader-secret'}
    run = ansible([task('graphops.intune.windows_update_policy_info', 'policies'),
                   task('graphops.intune.windows_update_policy_approval_info', 'approvals', policy_id=POLICY),
                   task(CATALOG, 'catalog', ignore_errors=True),
                   task(APPROVAL_MODULE, 'approve', ignore_errors=True, policy_id=POLICY, catalog_entry_id=SECURITY_2024_04)], env=env)
    assert run.statuses() == ['ok', 'ok', 'failed', 'failed'], run.output
    assert run.task('catalog')['result']['status'] == 403
    assert run.task('approve')['result']['status'] == 403 and run.task('approve')['result']['error_code'] == 'Forbidden'
    assert not writes([e for e in graph.requests() if e['status'] < 400])


# --- windows_update_policy_approval ------------------------------------------------------------------------------------
def test_approval_create_ok_suspend_with_minimal_patch(ansible, graph):
    approve = task(APPROVAL_MODULE, 'approve', policy_id=POLICY, catalog_entry_id=SECURITY_2024_04)
    first = ansible([approve, task(APPROVAL_MODULE, 'same entry, other casing', policy_id=POLICY,
                                   catalog_entry_id=SECURITY_2024_04.upper())])
    assert first.rc == 0 and first.statuses() == ['changed', 'ok'], first.output
    [post] = graph_calls(graph.requests(), 'POST')
    assert post['path'] == '/beta/admin/windows/updates/policies/%s/approvals' % POLICY
    assert post['body'] == {'@odata.type': '#microsoft.graph.windowsUpdates.policyApproval', 'catalogEntryId': SECURITY_2024_04,
                            'status': 'approved'}
    approval = first.task('approve')['result']['approval']
    assert approval['id'] and approval['status'] == 'approved' and approval['catalogEntryId'] == SECURITY_2024_04

    graph.clear_requests()
    second = ansible([approve])
    assert second.rc == 0 and second.last['status'] == 'ok', second.output
    assert [(e['method'], e['path']) for e in graph_only(graph)] == [
        ('GET', '/beta/admin/windows/updates/policies/%s/approvals' % POLICY)]

    graph.clear_requests()
    suspend = task(APPROVAL_MODULE, 'suspend', policy_id=POLICY, catalog_entry_id=SECURITY_2024_04, status='suspended')
    checked = ansible([suspend], check=True, diff=True)
    assert checked.rc == 0 and checked.last['status'] == 'changed', checked.output
    assert not writes(graph.requests())
    diff = checked.last['result']['diff']
    assert diff['before']['status'] == 'approved' and diff['after']['status'] == 'suspended'
    assert '-    "status": "approved"' in checked.stdout and '+    "status": "suspended"' in checked.stdout

    graph.clear_requests()
    done = ansible([suspend, dict(suspend, name='again')])
    assert done.statuses() == ['changed', 'ok'], done.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['path'] == '/beta/admin/windows/updates/policies/%s/approvals/%s' % (POLICY, approval['id'])
    assert patch['body'] == {'status': 'suspended'}


def test_approval_absent_and_graph_errors(ansible, graph):
    run = ansible([
        task(APPROVAL_MODULE, 'delete', policy_id=POLICY, catalog_entry_id=SECURITY_2024_02, state='absent'),
        task(APPROVAL_MODULE, 'delete again', policy_id=POLICY, catalog_entry_id=SECURITY_2024_02, state='absent'),
        task(APPROVAL_MODULE, 'feature update', ignore_errors=True, policy_id=POLICY, catalog_entry_id=FEATURE_23H2),
        task(APPROVAL_MODULE, 'unknown policy', ignore_errors=True, policy_id='00000000-0000-0000-0000-000000000000',
             catalog_entry_id=SECURITY_2024_04),
    ])
    assert run.statuses() == ['changed', 'ok', 'failed', 'failed'], run.output
    [delete] = graph_calls(graph.requests(), 'DELETE')
    assert delete['path'].endswith('/approvals/' + SEEDED_APPROVAL)
    feature = run.task('feature update')['result']
    assert feature['status'] == 400 and feature['error_code'] == 'BadRequest' and 'quality updates only' in feature['msg']
    assert feature['request_id'] and 'Traceback' not in run.output
    unknown = run.task('unknown policy')['result']
    assert unknown['status'] == 404 and unknown['error_code'] == 'NotFound'


def test_approval_info_filters(ansible, graph):
    info = 'graphops.intune.windows_update_policy_approval_info'
    run = ansible([
        task(APPROVAL_MODULE, 'approve', policy_id=POLICY, catalog_entry_id=SECURITY_2024_03, status='suspended'),
        task(info, 'all', policy_id=POLICY),
        task(info, 'suspended', policy_id=POLICY, status='suspended'),
        task(info, 'approved', policy_id=POLICY, status='approved'),
        task(info, 'by entry', policy_id=POLICY, catalog_entry_id=SECURITY_2024_02.upper()),
        task(info, 'by id', policy_id=POLICY, approval_id=SEEDED_APPROVAL),
        task(info, 'empty policy', policy_id=EMPTY_POLICY),
    ])
    assert run.rc == 0, run.output
    assert {a['catalogEntryId'] for a in run.task('all')['result']['approvals']} == {SECURITY_2024_02, SECURITY_2024_03}
    assert [a['catalogEntryId'] for a in run.task('suspended')['result']['approvals']] == [SECURITY_2024_03]
    assert [a['catalogEntryId'] for a in run.task('approved')['result']['approvals']] == [SECURITY_2024_02]
    assert [a['id'] for a in run.task('by entry')['result']['approvals']] == [SEEDED_APPROVAL]
    assert [a['catalogEntryId'] for a in run.task('by id')['result']['approvals']] == [SECURITY_2024_02]
    assert run.task('empty policy')['result']['approvals'] == []


# --- windows_update_catalog_info --------------------------------------------------------------------------------------
def test_catalog_filters(ansible, graph):
    run = ansible([
        task(CATALOG, 'all'),
        task(CATALOG, 'quality', kind='quality'),
        task(CATALOG, 'newest security', classification='security', latest=True),
        task(CATALOG, 'newest monthly security', classification='security', cadence='monthly', latest=True),
        task(CATALOG, 'newest per classification', kind='quality', latest=True),
        task(CATALOG, 'out of band', cadence='outOfBand'),
        task(CATALOG, 'since mid march', kind='quality', released_after='2024-03-21T23:59:59-01:00'),
        task(CATALOG, 'since a date', released_after='2024-04-09'),
        task(CATALOG, 'newest feature', kind='feature', latest=True),
        task(CATALOG, 'drivers', kind='driver'),
        task(CATALOG, 'one', catalog_entry_id=FEATURE_22H2),
        task(CATALOG, 'one of another kind', catalog_entry_id=FEATURE_22H2, kind='quality'),
    ])
    assert run.rc == 0, run.output

    def ids(name):
        return [entry['id'] for entry in run.task(name)['result']['entries']]
    everything = run.task('all')['result']['entries']
    assert len(everything) == 9
    dates = [entry['releaseDateTime'] for entry in everything]
    assert dates == sorted(dates, reverse=True), 'newest first'
    assert everything[0]['@odata.type'] == '#microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry'
    assert set(ids('quality')) == {SECURITY_2024_02, SECURITY_2024_03, OOB_2024_03, PREVIEW_2024_03, SECURITY_2024_04, PREVIEW_2024_04}
    assert ids('newest security') == [SECURITY_2024_04]
    assert ids('newest monthly security') == [SECURITY_2024_04]
    assert ids('newest per classification') == [PREVIEW_2024_04, SECURITY_2024_04]
    assert ids('out of band') == [OOB_2024_03]
    # Instants, not strings: the out-of-band entry (2024-03-21T17:00-07:00 = 2024-03-22T00:00Z) is before
    # 2024-03-21T23:59:59-01:00 (= 2024-03-22T00:59:59Z), though its text sorts after it.
    assert ids('since mid march') == [PREVIEW_2024_04, SECURITY_2024_04, PREVIEW_2024_03]
    assert ids('since a date') == [PREVIEW_2024_04]
    assert ids('newest feature') == [FEATURE_23H2]
    assert ids('drivers') == [DRIVER]
    assert ids('one') == [FEATURE_22H2]
    assert ids('one of another kind') == []
    # kind is filtered by Graph with isof(); the other filters need no further request.
    lists = [e for e in graph_only(graph) if e['path'] == '/beta/admin/windows/updates/catalog/entries']
    filters = [e['query'].get('$filter') for e in lists]
    assert filters.count("isof('microsoft.graph.windowsUpdates.qualityUpdateCatalogEntry')") == 6
    assert "isof('microsoft.graph.windowsUpdates.featureUpdateCatalogEntry')" in filters
    assert "isof('microsoft.graph.windowsUpdates.driverUpdateCatalogEntry')" in filters
    assert len(lists) == 10 and not writes(graph.requests())


def test_two_runs_approving_at_once_both_succeed_with_one_approval(ansible, graph, tmp_path):
    # Two controllers (each its own token cache, so its own create lock): the first POST is slowed down, the
    # other run lists the approvals meanwhile, finds none and creates one; the slow POST then gets Graph's
    # 409 Conflict, and its run reads that approval instead of failing.
    graph.add_fault(method='POST', path='/approvals$', kind='latency', latency_ms=6000, times=1)

    def approve(name, controller):
        return {'name': name, 'register': name, 'async': 60, 'poll': 0, APPROVAL_MODULE: {
            'policy_id': EMPTY_POLICY, 'catalog_entry_id': SECURITY_2024_04, 'status': 'suspended',
            'token_cache_path': str(tmp_path / controller / 'tokens.json')}}
    run = ansible([approve('first', 'controller-a'), approve('second', 'controller-b'),
                   {'name': 'wait', 'ansible.builtin.async_status': {'jid': '{{ item.ansible_job_id }}'}, 'register': 'done',
                    'until': 'done.finished', 'retries': 60, 'delay': 1, 'loop': '{{ [first, second] }}'},
                   {'name': 'results', 'ansible.builtin.debug': {'msg': "{{ done.results | map(attribute='approval') | list }}"}}])
    assert run.rc == 0, run.output
    approvals = run.task('results')['result']['msg']
    assert len(approvals) == 2 and approvals[0]['id'] == approvals[1]['id'] and approvals[0]['status'] == 'suspended'
    posts = graph_calls(graph.requests(), 'POST')
    assert sorted(e['status'] for e in posts) == [201, 409]
    stored = [p for p in graph.state()['windowsUpdates']['policies'] if p['id'] == EMPTY_POLICY][0]['approvals']
    assert [(a['catalogEntryId'], a['status']) for a in stored] == [(SECURITY_2024_04, 'suspended')]
