# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""graph_request through real ansible-playbook and ad-hoc runs against the emulator."""

from __future__ import annotations

import json

from conftest import DEVICE1, graph_calls, writes

MODULE = 'graphops.intune.graph_request'
IMAGES = 'deviceManagement/managedDeviceWindowsOSImages'
STATE1 = '11692784-2784-1169-8427-691184276911'


def task(name, **args):
    return {'name': name, MODULE: args}


def test_get_one_page_and_all_pages(ansible, graph):
    graph.set_page_size(1)
    run = ansible([
        task('one page', path=IMAGES, query={'$select': ['id', 'supportedArchitectures']}),
        task('all pages', path='/' + IMAGES, all_pages=True, query={'$select': 'id'}),
    ])
    assert run.rc == 0, run.output
    assert run.statuses() == ['ok', 'ok']  # GET never reports a change
    one = run.task('one page')['result']
    assert one['status'] == 200 and one['request_id']
    assert len(one['response']['value']) == 1 and '@odata.nextLink' in one['response']
    assert set(one['response']['value'][0]) <= {'id', 'supportedArchitectures', '@odata.type'}
    every = run.task('all pages')['result']
    assert sorted(item['id'] for item in every['response']['value']) == ['Windows 10 22H2', 'Windows 11 22H1', 'Windows 11 23H2']
    assert '@odata.nextLink' not in every['response'] and '@odata.context' in every['response']
    log = graph_calls(graph.requests())
    assert [e['method'] for e in log] == ['GET'] * 4  # 1 + 3 pages
    assert log[0]['query']['$select'] == 'id,supportedArchitectures'
    assert every['request_id'] == log[-1]['request_id']


def test_patch_sends_the_body_and_quotes_nothing_twice(ansible, graph):
    body = {'supportedArchitectures': ['x64']}
    run = ansible([
        task('quoted by the caller', method='PATCH', path=IMAGES + '/Windows%2011%2022H1', body=body),
        task('spaces left in', method='PATCH', path=IMAGES + '/Windows 11 23H2', body=json.dumps(body)),
        task('urlencode filter', method='PATCH', path=IMAGES + "/{{ 'Windows 10 22H2' | urlencode }}",
             body={'availableUpdates': []}, status_code=[200, 204]),
    ])
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed'] * 3
    log = graph_calls(graph.requests())
    assert [(e['method'], e['raw_path']) for e in log] == [
        ('PATCH', '/beta/' + IMAGES + '/Windows%2011%2022H1'),
        ('PATCH', '/beta/' + IMAGES + '/Windows%2011%2023H2'),
        ('PATCH', '/beta/' + IMAGES + '/Windows%2010%2022H2')]
    assert log[0]['body'] == body and log[1]['body'] == body and log[2]['body'] == {'availableUpdates': []}
    result = run.task('quoted by the caller')['result']
    assert result['status'] == 200 and result['response']['supportedArchitectures'] == ['x64'] and result['request_id']


def test_check_mode_sends_only_gets(ansible, graph):
    run = ansible([
        task('read', path=IMAGES + '/Windows%2011%2022H1'),
        task('write', method='PATCH', path=IMAGES + '/Windows%2011%2022H1', body={'supportedArchitectures': ['x86']}),
        task('delete', method='DELETE', path='deviceManagement/managedDevices/%s/deviceConfigurationStates/%s' % (DEVICE1, STATE1)),
    ], check=True)
    assert run.rc == 0, run.output
    assert run.statuses() == ['ok', 'changed', 'changed']
    assert [e['method'] for e in graph_calls(graph.requests())] == ['GET']
    assert not writes(graph.requests())
    write = run.task('write')['result']
    assert 'status' not in write and 'response' not in write
    assert write['msg'].startswith('check mode: PATCH ') and write['url'].endswith('/Windows%2011%2022H1')
    assert run.task('read')['result']['response']['supportedArchitectures'] == ['x64', 'arM64']


def test_errors_surface_without_traceback_and_expected_statuses_pass(ansible, graph):
    missing = IMAGES + '/Windows%2011%2099H9'
    run = ansible([
        dict(task('not found', path=missing), ignore_errors=True),
        task('expected 404', path=missing, status_code=[200, 404]),
        dict(task('write fails', method='DELETE', path=IMAGES + '/Windows%2011%2022H1'), ignore_errors=True),
    ])
    assert run.statuses() == ['failed', 'ok', 'failed'], run.output
    failed = run.task('not found')['result']
    log = graph_calls(graph.requests())
    assert failed['status'] == 404 and failed['error_code'] and failed['request_id'] == log[0]['request_id']
    assert 'Graph returned HTTP 404' in failed['msg'] and 'Windows%2011%2099H9' in failed['msg']
    assert 'Traceback' not in run.output and 'Traceback' not in json.dumps(failed)
    expected = run.task('expected 404')['result']
    assert expected['status'] == 404 and expected['changed'] is False
    assert expected['response']['error']['code'] == failed['error_code'] == expected['error_code']
    # Images cannot be deleted (the pages document no DELETE); Graph answers 400 as for an unknown route.
    write = run.task('write fails')['result']
    assert (write['status'], write['error_code'], write['changed']) == (400, 'BadRequest', False)
    assert [e['status'] for e in log] == [404, 404, 400]


def test_bad_input_fails_before_any_request(ansible, graph):
    cases = {
        'absolute URL': dict(path='https://graph.microsoft.com/beta/' + IMAGES),
        'dot dot': dict(path=IMAGES + '/../../users'),
        'encoded dot dot': dict(path=IMAGES + '/%2E%2E/x'),
        'version in path': dict(path='beta/' + IMAGES),
        'body with GET': dict(path=IMAGES, body={'a': 1}),
        'bad JSON body': dict(method='POST', path=IMAGES, body='{not json'),
        'all pages with a write': dict(method='POST', path=IMAGES, all_pages=True, body={}),
        'authorization header': dict(path=IMAGES, headers={'authorization': 'Bearer x'}),
    }
    run = ansible([dict(task(name, **args), ignore_errors=True) for name, args in cases.items()])
    assert run.statuses() == ['failed'] * len(cases), run.output
    messages = dict((name, run.task(name)['result']['msg']) for name in cases)
    assert 'not an absolute URL' in messages['absolute URL']
    assert "'.' or '..'" in messages['dot dot'] and "'.' or '..'" in messages['encoded dot dot']
    assert "drop 'beta/'" in messages['version in path']
    assert 'method is GET' in messages['body with GET']
    assert 'JSON' in messages['bad JSON body']
    assert 'all_pages needs method GET' in messages['all pages with a write']
    assert 'Authorization' in messages['authorization header']
    assert graph_calls(graph.requests()) == []


def test_adhoc_get(ansible, graph):
    run = ansible.adhoc(MODULE, 'path="%s/Windows 11 22H1"' % IMAGES)
    assert run.rc == 0, run.output
    assert '"changed": false' in run.stdout and '"arM64"' in run.stdout
    assert [e['raw_path'] for e in graph_calls(graph.requests())] == ['/beta/' + IMAGES + '/Windows%2011%2022H1']


def test_a_200_that_is_not_json_is_returned_as_content_with_a_warning(ansible, graph):
    page = '<html><body>Sign in to continue</body></html>'
    graph.add_fault(method='GET', path='/managedDeviceWindowsOSImages$', kind='status', status=200, body=page,
                    content_type='text/html', times=1)
    run = ansible([task('not JSON', path=IMAGES), task('JSON', path=IMAGES)])
    assert run.rc == 0, run.output
    text = run.task('not JSON')['result']
    assert text['content'] == page and 'response' not in text and text['status'] == 200
    assert 'returned as content' in run.output and 'not JSON (text/html' in run.output  # the warning
    parsed = run.task('JSON')['result']
    assert isinstance(parsed['response'], dict) and 'content' not in parsed
