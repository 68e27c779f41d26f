# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_update_ring(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import json

import pytest

from conftest import EMPTY_POLICY, POLICY, RING0, graph_calls, writes

MODULE = 'graphops.intune.windows_update_ring'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'


def ring_task(name='ring', **args):
    args.setdefault('policy_id', POLICY)
    return {'name': name, MODULE: args}


def graph_requests(graph):
    return [e for e in graph.requests() if e['kind'] == 'graph']


def test_create_then_ok_with_one_get_and_no_write(ansible, graph):
    task = ring_task(display_name='Ring1 - Pilot', description='Pilot', deferral_in_days=7, is_paused=False,
                     included_group_ids=[GROUP_A, GROUP_B], excluded_group_ids=[])
    first = ansible([task])
    assert first.rc == 0, first.output
    result = first.last['result']
    assert first.last['status'] == 'changed'
    assert result['ring']['id'] and result['ring']['displayName'] == 'Ring1 - Pilot'
    posts = graph_calls(graph.requests(), 'POST')
    assert len(posts) == 1
    body = posts[0]['body']
    assert body['@odata.type'] == '#microsoft.graph.windowsUpdates.qualityUpdateRing'
    assert body['includedGroupAssignment'] == {
        '@odata.type': '#microsoft.graph.windowsUpdates.includedGroupAssignment',
        'assignments': [{'@odata.type': '#microsoft.graph.windowsUpdates.assignedGroup', 'groupId': GROUP_A},
                        {'@odata.type': '#microsoft.graph.windowsUpdates.assignedGroup', 'groupId': GROUP_B}]}

    graph.clear_requests()
    # Same ring, groups in another order and casing: still the same set.
    task[MODULE]['included_group_ids'] = [GROUP_B.upper(), GROUP_A]
    second = ansible([task])
    assert second.rc == 0, second.output
    assert second.last['status'] == 'ok'
    log = graph_requests(graph)
    assert [e['method'] for e in log] == ['GET'], log
    assert not writes(graph.requests())
    # The cached token served the second run: no token request at all.
    assert not [e for e in graph.requests() if e['kind'] == 'token']


def test_patch_holds_only_the_differing_fields(ansible, graph):
    run = ansible([ring_task(ring_id=RING0, display_name='Ring0 - IT devices', deferral_in_days=9, is_paused=False)])
    assert run.rc == 0, run.output
    assert run.last['status'] == 'changed'
    patches = graph_calls(graph.requests(), 'PATCH')
    assert len(patches) == 1
    # displayName and isPaused already match; the derived type is named as Graph wants.
    assert patches[0]['body'] == {'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateRing', 'deferralInDays': 9}
    assert run.last['result']['ring']['deferralInDays'] == 9


def test_check_mode_makes_no_write_and_diff_shows_before_after(ansible, graph):
    run = ansible([ring_task(ring_id=RING0, deferral_in_days=21, is_paused=True)], check=True, diff=True)
    assert run.rc == 0, run.output
    assert run.last['status'] == 'changed'
    assert not writes(graph.requests())
    diff = run.last['result']['diff']
    assert diff['before']['deferralInDays'] == 5 and diff['after']['deferralInDays'] == 21
    assert diff['before']['isPaused'] is False and diff['after']['isPaused'] is True
    assert '@odata.type' not in diff['after']
    assert '-    "deferralInDays": 5' in run.stdout and '+    "deferralInDays": 21' in run.stdout
    # The emulator still has the old value.
    assert ansible([ring_task(ring_id=RING0, deferral_in_days=5)]).last['status'] == 'ok'


def test_create_in_check_mode_writes_nothing(ansible, graph):
    run = ansible([ring_task(display_name='Ring9', deferral_in_days=3)], check=True, diff=True)
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert not writes(graph.requests())
    assert run.last['result']['diff']['before'] == {}
    assert run.last['result']['diff']['after']['displayName'] == 'Ring9'


def test_delete_by_name_then_absent_is_ok(ansible, graph):
    tasks = [ring_task('delete', display_name='Ring0 - IT devices', state='absent')]
    first = ansible(tasks)
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    deletes = graph_calls(graph.requests(), 'DELETE')
    assert len(deletes) == 1 and deletes[0]['path'].endswith('/rings/' + RING0)
    graph.clear_requests()
    second = ansible(tasks)
    assert second.rc == 0 and second.last['status'] == 'ok'
    assert not writes(graph.requests())


def test_rename_by_id(ansible, graph):
    run = ansible([ring_task(ring_id=RING0, display_name='Ring0 - Canary')])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert graph_calls(graph.requests(), 'PATCH')[0]['body']['displayName'] == 'Ring0 - Canary'


def test_duplicate_display_names_fail_listing_ids(ansible, graph):
    import requests
    first = ansible([ring_task(display_name='Twin')])
    assert first.rc == 0, first.output
    # Graph does not keep display names unique: a second 'Twin' made elsewhere (portal, script).
    created = requests.post(graph.url + '/beta/admin/windows/updates/policies/%s/rings' % POLICY,
                            json={'@odata.type': '#microsoft.graph.windowsUpdates.qualityUpdateRing', 'displayName': 'Twin'},
                            headers={'Authorization': 'Bearer ' + graph_token(ansible, graph)}, verify=graph.ca_bundle, timeout=10)
    assert created.status_code == 201, created.text
    graph.clear_requests()
    run = ansible([ring_task(display_name='Twin', deferral_in_days=1)])
    assert run.rc != 0
    msg = run.last['result']['msg']
    assert '2 entities have display_name' in msg and 'ring_id' in msg
    assert first.last['result']['ring']['id'] in msg and created.json()['id'] in msg
    assert not writes(graph.requests())


def graph_token(ansible, graph):
    """A token for the demo app straight from the emulator's token endpoint."""
    import requests
    env = ansible.env({})
    response = requests.post(graph.url + '/%s/oauth2/v2.0/token' % env['AZURE_TENANT_ID'], data={
        'grant_type': 'client_credentials', 'client_id': env['AZURE_CLIENT_ID'], 'client_secret': env['AZURE_CLIENT_SECRET'],
        'scope': 'https://graph.microsoft.com/.default'}, verify=graph.ca_bundle, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()['access_token']


@pytest.mark.parametrize('args, message', [
    ({'display_name': 'R', 'deferral_in_days': 31}, 'deferral_in_days must be between 0 and 30, got 31'),
    ({'display_name': 'R', 'description': 'x' * 1501}, 'description must be at most 1500 characters, got 1501'),
    ({'display_name': 'R' * 201}, 'display_name must be at most 200 characters'),
    ({'display_name': 'R', 'deferral_in_days': 'soon'}, "we were unable to convert to int: \"'soon'\" cannot be converted to an int"),
    ({'display_name': 'R', 'is_paused': 'maybe'}, "unable to convert to bool"),
    ({'deferral_in_days': 3}, 'one of the following is required: ring_id, display_name'),
    ({'display_name': 'R', 'policy_id': None}, 'missing required arguments: policy_id'),
    ({'display_name': 'R', 'cloud': 'mars'}, 'value of cloud must be one of: global, usgov, usgovdod, china'),
])
def test_bad_input_fails_before_any_request(ansible, graph, args, message):
    task = ring_task(**args)
    if args.get('policy_id', '') is None:
        del task[MODULE]['policy_id']
    run = ansible([task])
    assert run.rc != 0
    assert run.last['status'] == 'failed'
    assert message in run.last['result']['msg'], run.last['result']['msg']
    assert graph.requests() == [], 'nothing may reach the emulator (not even a token request)'


def test_graph_error_is_short_with_status_code_and_request_id(ansible, graph):
    # The reader app lacks WindowsUpdates.ReadWrite.All: Graph answers 403.
    run = ansible([ring_task(ring_id=RING0, is_paused=True)],
                  env={'AZURE_CLIENT_ID': '33333333-3333-3333-3333-333333333333', 'AZURE_CLIENT_SECRET': 'emulator-reader-secret'})
    assert run.rc != 0
    result = run.last['result']
    assert result['status'] == 403 and result['error_code'] == 'Forbidden'
    logged = [e for e in graph.requests() if e['kind'] == 'graph']
    assert result['request_id'] == logged[-1]['request_id']
    assert result['msg'].startswith('Graph returned HTTP 403 Forbidden on GET ') and result['request_id'] in result['msg']
    assert 'Traceback' not in run.output and 'Traceback' not in json.dumps(result)


def test_wrong_secret_fails_with_entra_error(ansible, graph):
    run = ansible([ring_task(ring_id=RING0)], env={'AZURE_CLIENT_SECRET': 'not-the-secret'})
    assert run.rc != 0
    msg = run.last['result']['msg']
    assert 'invalid_client' in msg and 'AADSTS7000215' in msg
    assert 'not-the-secret' not in run.output
    assert not [e for e in graph.requests() if e['kind'] == 'graph']


def test_secret_and_token_never_in_verbose_output(ansible, graph, tmp_path):
    token = graph_token(ansible, graph)
    run = ansible([ring_task('by env secret', ring_id=RING0, deferral_in_days=6),
                   ring_task('by explicit secret', ring_id=RING0, deferral_in_days=7, client_secret='emulator-demo-secret'),
                   ring_task('by access token', ring_id=RING0, deferral_in_days=8, access_token=token,
                             client_secret=None)],
                  diff=True, verbosity=4, env={'AZURE_CLIENT_SECRET': 'emulator-demo-secret'})
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'changed', 'changed']
    assert 'emulator-demo-secret' not in run.output
    assert token not in run.output
    cached = open(ansible.token_cache).read()
    for part in token.split('.'):
        assert part not in run.output
    assert cached  # the cache holds tokens, the output does not


def test_throttled_then_success_converges_with_one_write(ansible, graph):
    graph.add_fault(method='PATCH', path='/rings/', kind='status', status=429, retry_after=1, times=2)
    run = ansible([ring_task(ring_id=RING0, deferral_in_days=12)])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    patches = graph_calls(graph.requests(), 'PATCH')
    assert [p['status'] for p in patches] == [429, 429, 200]
    graph.clear_requests()
    again = ansible([ring_task(ring_id=RING0, deferral_in_days=12)])
    assert again.last['status'] == 'ok' and not writes(graph.requests())


def test_dropped_connection_on_get_is_retried(ansible, graph):
    graph.add_fault(method='GET', path='/rings/', kind='drop', times=1)
    run = ansible([ring_task(ring_id=RING0, deferral_in_days=5)])
    assert run.rc == 0 and run.last['status'] == 'ok', run.output
    gets = graph_calls(graph.requests(), 'GET')
    assert len(gets) == 2 and gets[1]['status'] == 200, gets  # the dropped GET, then its retry


def test_expired_token_is_refreshed_once(ansible, graph):
    assert ansible([ring_task(ring_id=RING0)]).rc == 0
    graph.expire_tokens()
    graph.clear_requests()
    run = ansible([ring_task(ring_id=RING0, deferral_in_days=4)])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    kinds = [(e['kind'], e['method'], e['status']) for e in graph.requests() if e['kind'] in ('graph', 'token')]
    assert kinds == [('graph', 'GET', 401), ('token', 'POST', 200), ('graph', 'GET', 200), ('graph', 'PATCH', 200)]


def test_one_token_request_per_playbook_and_cache_file_0600(ansible, graph):
    import os
    import stat
    tasks = [ring_task('ring %d' % i, display_name='Ring %d' % i, deferral_in_days=i) for i in range(4)]
    tasks.append({'name': 'info', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}})
    run = ansible(tasks)
    assert run.rc == 0, run.output
    assert len([e for e in graph.requests() if e['kind'] == 'token']) == 1
    mode = stat.S_IMODE(os.stat(ansible.token_cache).st_mode)
    assert mode == 0o600
    assert len(run.last['result']['rings']) == 5


def test_info_lists_all_pages_and_gets_one(ansible, graph):
    graph.set_page_size(2)
    tasks = [ring_task('r%d' % i, display_name='Ring %d' % i, is_paused=i % 2 == 0) for i in range(1, 5)]
    tasks += [
        {'name': 'all', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY}},
        {'name': 'one', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'ring_id': RING0}},
        {'name': 'paused', 'graphops.intune.windows_update_ring_info': {'policy_id': POLICY, 'is_paused': True}},
        {'name': 'none', 'graphops.intune.windows_update_ring_info': {'policy_id': EMPTY_POLICY}},
    ]
    run = ansible(tasks)
    assert run.rc == 0, run.output
    assert len(run.task('all')['result']['rings']) == 5
    assert [r['id'] for r in run.task('one')['result']['rings']] == [RING0]
    assert sorted(r['displayName'] for r in run.task('paused')['result']['rings']) == ['Ring 2', 'Ring 4']
    assert run.task('none')['result']['rings'] == []
    assert run.task('all')['status'] == 'ok'
    assert not any('@odata.type' in r for r in run.task('all')['result']['rings'])


def test_adhoc_call_with_design_env_vars(ansible, graph):
    run = ansible.adhoc(MODULE, 'policy_id=%s ring_id=%s is_paused=true' % (POLICY, RING0))
    assert run.rc == 0, run.output
    assert 'CHANGED' in run.stdout
    assert graph_calls(graph.requests(), 'PATCH')[0]['body']['isPaused'] is True


def test_module_defaults_action_group(ansible, graph):
    env = ansible.env({})
    play = [{'name': 'with defaults', 'module_defaults': {'group/graphops.intune.graph': {
        'tenant_id': env['AZURE_TENANT_ID'], 'client_id': env['AZURE_CLIENT_ID'], 'client_secret': env['AZURE_CLIENT_SECRET'],
        'graph_endpoint': env['GRAPH_ENDPOINT'], 'authority_host': env['AZURE_AUTHORITY_HOST']}},
        'block': [ring_task(ring_id=RING0, deferral_in_days=3)]}]
    run = ansible(play, env={'AZURE_TENANT_ID': None, 'AZURE_CLIENT_ID': None, 'AZURE_CLIENT_SECRET': None,
                             'GRAPH_ENDPOINT': None, 'AZURE_AUTHORITY_HOST': None})
    assert run.rc == 0 and run.last['status'] == 'changed', run.output


def test_tls_is_verified_by_default(ansible, graph):
    run = ansible([ring_task(ring_id=RING0)], env={'REQUESTS_CA_BUNDLE': None})
    assert run.rc != 0
    assert 'CERTIFICATE_VERIFY_FAILED' in run.last['result']['msg'] or 'certificate verify failed' in run.last['result']['msg']
    assert 'Traceback' not in run.output
    ok = ansible([ring_task(ring_id=RING0, validate_certs=False)], env={'REQUESTS_CA_BUNDLE': None})
    assert ok.rc == 0, ok.output


def test_post_whose_answer_is_lost_is_not_repeated(ansible, graph):
    # The emulator creates the ring, then drops the connection before answering: the module
    # must look the ring up by display name instead of POSTing a duplicate.
    graph.add_fault(method='POST', path='/rings$', kind='drop', after=True, times=1)
    run = ansible([ring_task(display_name='Ring5 - Lost answer', deferral_in_days=4)])
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert len(graph_calls(graph.requests(), 'POST')) == 1
    info = {'policy_id': POLICY, 'display_name': 'Ring5 - Lost answer'}
    listed = ansible([{'name': 'list', 'graphops.intune.windows_update_ring_info': info}])
    assert len(listed.last['result']['rings']) == 1
    assert run.last['result']['ring']['id'] == listed.last['result']['rings'][0]['id']
