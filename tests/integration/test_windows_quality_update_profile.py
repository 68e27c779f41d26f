# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_quality_update_profile(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

from integration.conftest import graph_calls, writes

MODULE = 'graphops.intune.windows_quality_update_profile'
INFO = 'graphops.intune.windows_quality_update_profile_info'
PROFILE_TYPE = '#microsoft.graph.windowsQualityUpdateProfile'
SETTINGS_TYPE = '#microsoft.graph.expeditedWindowsQualityUpdateSettings'
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'
# The newest security quality update of tests/emulator/seed.yml's catalog.
NEWEST_SECURITY = 'c1dec151-0000-4000-8000-000000202404'


def task(name='profile', **args):
    return {'name': name, MODULE: args}


def graph_log(graph):
    return [(e['method'], e['path'].split('/beta/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def newest_security_release(graph):
    entries = graph.state()['windowsUpdates']['catalog']['entries']
    [entry] = [e for e in entries if e['id'] == NEWEST_SECURITY]
    return entry['releaseDateTime'][:10] + 'T00:00:00Z'


def test_latest_security_is_resolved_from_the_catalog_then_ok(ansible, graph):
    release = newest_security_release(graph)
    first = ansible([task(display_name='Expedite - Pilot', quality_update_release='latest_security', days_until_forced_reboot=1,
                          included_group_ids=[GROUP_A], excluded_group_ids=[GROUP_B])])
    assert first.rc == 0 and first.last['status'] == 'changed', first.output
    result = first.last['result']
    assert result['resolved']['quality_update_release']['release'] == release
    assert result['resolved']['quality_update_release']['catalog_entry']['id'] == NEWEST_SECURITY
    assert result['profile']['expeditedUpdateSettings']['qualityUpdateRelease'] == release
    assert result['profile']['releaseDateDisplayName']
    log = graph_log(graph)
    # the catalog (quality entries), the profiles, the create, the race check, the assignments, one assign
    assert log[0][1].startswith('admin/windows/updates/catalog/entries'), log
    assert [m for m, _p in log[1:]] == ['GET', 'POST', 'GET', 'GET', 'POST'], log
    post = graph_calls(graph.requests(), 'POST')[0]
    assert post['body'] == {'@odata.type': PROFILE_TYPE, 'displayName': 'Expedite - Pilot',
                            'expeditedUpdateSettings': {'@odata.type': SETTINGS_TYPE, 'qualityUpdateRelease': release,
                                                        'daysUntilForcedReboot': 1}}

    graph.clear_requests()
    second = ansible([task(display_name='Expedite - Pilot', quality_update_release='latest_security', days_until_forced_reboot=1,
                           included_group_ids=[GROUP_A], excluded_group_ids=[GROUP_B])])
    assert second.rc == 0 and second.last['status'] == 'ok', second.output
    assert not writes(graph.requests())


def test_changing_the_reboot_deadline_carries_the_release_over(ansible, graph):
    created = ansible([task(display_name='Expedite - April', quality_update_release='2024-04-09', days_until_forced_reboot=2)]).last
    assert created['status'] == 'changed', created
    profile_id = created['result']['profile']['id']
    graph.clear_requests()
    run = ansible([task('deadline', profile_id=profile_id, days_until_forced_reboot=0),
                   task('same release as a date-time', profile_id=profile_id, quality_update_release='2024-04-09T00:00:00.0000000Z')])
    assert run.statuses() == ['changed', 'ok'], run.output
    [patch] = graph_calls(graph.requests(), 'PATCH')
    assert patch['body'] == {'expeditedUpdateSettings': {'@odata.type': SETTINGS_TYPE, 'qualityUpdateRelease': '2024-04-09T00:00:00Z',
                                                         'daysUntilForcedReboot': 0}}


def test_check_mode_resolves_and_writes_nothing(ansible, graph):
    run = ansible([task(display_name='Expedite - Check', quality_update_release='latest_security', included_group_ids=[GROUP_A])],
                  check=True, diff=True)
    assert run.rc == 0 and run.last['status'] == 'changed', run.output
    assert run.last['result']['resolved']['quality_update_release']['release'] == newest_security_release(graph)
    assert not writes(graph.requests())


def test_info_and_delete(ansible, graph):
    assert ansible([task(display_name='Expedite - April', quality_update_release='2024-04-09', included_group_ids=[GROUP_A])]).rc == 0
    run = ansible([{'name': 'all', INFO: {'include_assignments': True}}, {'name': 'none', INFO: {'display_name': 'nope'}}])
    [one] = run.task('all')['result']['profiles']
    assert one['displayName'] == 'Expedite - April' and [a['target']['groupId'] for a in one['assignments']] == [GROUP_A]
    assert run.task('none')['result']['profiles'] == []
    gone = ansible([task('delete', display_name='Expedite - April', state='absent'), task('again', display_name='Expedite - April', state='absent')])
    assert gone.statuses() == ['changed', 'ok'], gone.output


def test_bad_input_fails_before_any_request(ansible, graph):
    run = ansible([dict(task('reboot 3', display_name='P', days_until_forced_reboot=3), ignore_errors=True),
                   dict(task('release', display_name='P', quality_update_release='newest'), ignore_errors=True)])
    first, second = (record['result'] for record in run.results)
    assert 'days_until_forced_reboot must be between 0 and 2, got 3' in first['msg']
    assert "'newest' is neither a release date" in second['msg']
    assert graph.requests() == []
