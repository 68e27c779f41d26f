# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Table-driven hostile inputs and injected faults (issue 12, item 7); the tables are hostile_cases.py.

Many cases run as the tasks of one ansible-playbook run (ignore_errors), so the suite stays fast.
"""

from __future__ import annotations

import pytest

from integration import hostile_cases as cases
from integration.conftest import POLICY, WUFB_CONFIG

P = 'graphops.intune.'


def problems_of(result, fragments, case):
    """What is wrong with a case's result (empty when it failed with a clear, one-line message)."""
    if result is None:
        return ['%s: no result' % case]
    message = result['result'].get('msg', '')
    problems = []
    if result['status'] != 'failed':
        problems.append('%s: expected a failure, got %s %s' % (case, result['status'], message))
    problems += ['%s: %r not in %r' % (case, fragment, message) for fragment in fragments if fragment not in message]
    if '\n' in message or '\r' in message:
        problems.append('%s: the message is not one line: %r' % (case, message))
    if 'HTTP 0' in message or 'Traceback' in message or 'object has no attribute' in message:
        problems.append('%s: %r' % (case, message))
    if 'MODULE FAILURE' in message or 'exception' in result['result'] and 'Traceback' in str(result['result']['exception']):
        problems.append('%s: crashed: %s' % (case, result['result'].get('exception')))
    return problems


def test_the_tables_are_big_enough_and_the_readme_table_is_true():
    assert len(cases.BAD_INPUTS) >= 100
    assert cases.fault_count() >= 50
    assert len(set(case[1] for case in cases.BAD_INPUTS)) == len(cases.BAD_INPUTS)
    modules = set(case[2] for case in cases.BAD_INPUTS)
    assert len(modules) >= 11
    assert cases.readme_table() == cases.render_table(), (
        'README.md does not hold the table of tests/integration/hostile_cases.py; replace its block with:\n'
        + cases.render_table())


@pytest.mark.parametrize('module', sorted(set(case[2] for case in cases.BAD_INPUTS)))
def test_every_bad_input_fails_clearly_before_any_request(ansible, graph, module):
    # One ansible-playbook run per module: each stays far under its timeout on a loaded machine,
    # and xdist spreads the runs over its workers.
    mine = [case for case in cases.BAD_INPUTS if case[2] == module]
    tasks = [{'name': case, P + module: args, 'ignore_errors': True} for dummy, case, dummy1, args, dummy2 in mine]
    run = ansible(tasks)
    assert run.rc == 0, run.output  # ignore_errors: the play itself completes
    assert 'Traceback' not in run.output
    by_name = dict((record['task'], record) for record in run.results)
    problems = []
    for dummy, case, dummy1, dummy2, fragment in mine:
        problems += problems_of(by_name.get(case), [fragment], case)
    assert problems == []
    # Not one request of any kind (Graph, token, discovery) for all of them.
    assert graph.requests() == []


def group_task(group, number, case):
    name = '%s: %s' % (group, case[1])
    common = {'max_retries': 0}
    if group in ('get', 'list'):
        args = dict(common, policy_id=POLICY, **({'ring_id': cases.RING0} if group == 'get' else {}))
        if case[2].get('kind') == 'latency':
            args['timeout'] = 1
        return {'name': name, P + 'windows_update_ring_info': args, 'ignore_errors': True}
    if group == 'patch':
        args = dict(common, policy_id=POLICY, ring_id=cases.RING0, description='fault case %d' % number)
        return {'name': name, P + 'windows_update_ring': args, 'ignore_errors': True}
    if group == 'post':
        args = dict(common, policy_id=cases.EMPTY_POLICY, display_name='fault case %d' % number)
        return {'name': name, P + 'windows_update_ring': args, 'ignore_errors': True}
    if group == 'batch':
        device = 'd1e2f3a4-0000-4000-8000-00000000f%03d' % number
        args = dict(common, device_configuration_id=WUFB_CONFIG, states=[{'device_id': device, 'status': 'upToDate'}])
        return {'name': name, P + 'device_update_state': args, 'ignore_errors': True}
    return {'name': name, P + 'windows_update_ring_info': dict(common, policy_id=POLICY, token_cache_path=''), 'ignore_errors': True}


@pytest.mark.parametrize('group', sorted(cases.FAULT_GROUPS))
def test_injected_faults_end_in_one_clear_line(ansible, graph, group):
    faults, method, path = cases.FAULT_GROUPS[group]
    injected = []
    for dummy, dummy2, fault, dummy3 in faults:
        spec = dict(fault)
        spec.setdefault('method', method)
        spec.setdefault('path', path)
        injected.append(graph.add_fault(times=1, **spec))
    run = ansible([group_task(group, number, case) for number, case in enumerate(faults)])
    assert 'Traceback' not in run.output
    by_name = dict((record['task'], record) for record in run.results)
    problems = []
    for dummy, case, dummy2, fragments in faults:
        problems += problems_of(by_name.get('%s: %s' % (group, case)), fragments, case)
    assert problems == []
    hits = dict((fault['id'], fault['hits']) for fault in graph.faults())
    assert [hits[fault_id] for fault_id in injected] == [1] * len(injected), 'each fault must be hit by its own task'


def test_transient_faults_are_recovered_by_the_retries(ansible, graph):
    injected = [graph.add_fault(times=1, **fault) for dummy, dummy2, fault, dummy3 in cases.RECOVERED_FAULTS]
    tasks = []
    for dummy, case, fault, target in cases.RECOVERED_FAULTS:
        if target.startswith('Windows'):
            tasks.append({'name': case, P + 'windows_os_image_info': {'id': target, 'max_retries': 2}})
        else:
            tasks.append({'name': case, P + 'windows_update_ring_info': {'policy_id': POLICY, 'max_retries': 2,
                                                                         'token_cache_path': ''}})
    run = ansible(tasks)
    assert run.rc == 0, run.output
    assert [record['status'] for record in run.results] == ['ok'] * len(tasks)
    assert [r['result']['os_images'][0]['id'] for r in run.results[:3]] == ['Windows 11 22H1', 'Windows 11 23H2', 'Windows 10 22H2']
    hits = dict((fault['id'], fault['hits']) for fault in graph.faults())
    assert [hits[fault_id] for fault_id in injected] == [1] * len(injected)
