# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""windows_os_image(_info) through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import datetime

from conftest import graph_calls, writes

MODULE = 'graphops.intune.windows_os_image'
INFO = 'graphops.intune.windows_os_image_info'
IMAGE = 'Windows 11 22H1'
QUOTED = '/beta/deviceManagement/managedDeviceWindowsOSImages/Windows%2011%2022H1'

# The seed's editions and updates of Windows 11 22H1, in another order and casing.
EDITIONS = [
    {'edition_type': 'EDUCATION', 'support_end_date': '2025-10-14'},
    # A YAML date (not a string): Ansible hands the module 2024-10-08; Graph's value is "2024-10-08".
    {'edition_type': 'ProfessionalN', 'support_end_date': datetime.date(2024, 10, 8)},
    {'edition_type': 'enterprise', 'support_end_date': '2025-10-14'},
]
UPDATES = [
    {'build_version': '10.0.22000.2836', 'release_month': 3, 'release_year': 2024},
    {'build_version': '10.0.22000.2899', 'release_month': 4, 'release_year': 2024},
]


def task(name, module=MODULE, **args):
    return {'name': name, module: args}


def graph_log(graph):
    return graph_calls(graph.requests())


def test_same_values_in_another_order_and_casing_then_adding_one_architecture(ansible, graph):
    run = ansible([
        task('same', id=IMAGE, supported_architectures=['ARM64', 'X64'], supported_editions=EDITIONS,
             available_updates=UPDATES),
        task('add x86', id=IMAGE, supported_architectures=['arm64', 'x64', 'X86']),
    ])
    assert run.rc == 0, run.output
    assert run.statuses() == ['ok', 'changed']
    log = graph_log(graph)
    # First task: exactly one GET, no write. Second: one GET and one PATCH.
    assert [e['method'] for e in log] == ['GET', 'GET', 'PATCH'], log
    # The id with spaces is quoted once in the URL and decoded by the server.
    assert all(e['raw_path'] == QUOTED for e in log), [e['raw_path'] for e in log]
    assert log[0]['path'] == '/beta/deviceManagement/managedDeviceWindowsOSImages/Windows 11 22H1'
    patch = log[2]['body']
    assert list(patch) == ['supportedArchitectures']
    assert sorted(patch['supportedArchitectures']) == ['arM64', 'x64', 'x86']  # Graph's casing
    image = run.task('add x86')['result']['os_image']
    assert sorted(image['supportedArchitectures']) == ['arM64', 'x64', 'x86']
    assert image['id'] == IMAGE and '@odata.type' not in image
    assert run.task('same')['result']['os_image']['supportedArchitectures'] == ['x64', 'arM64']


def test_editions_check_mode_diff_then_patch_then_ok(ansible, graph):
    editions = [{'edition_type': 'enterprise', 'support_end_date': '2026-10-13'},
                {'edition_type': 'professionaln', 'support_end_date': '2024-10-08'}]
    preview = ansible([task('editions', id=IMAGE, supported_editions=editions)], check=True, diff=True)
    assert preview.rc == 0, preview.output
    assert preview.last['status'] == 'changed'
    assert not writes(graph.requests())
    diff = preview.last['result']['diff']
    assert len(diff['before']['supportedEditions']) == 3
    assert diff['after']['supportedEditions'] == [{'editionType': 'enterprise', 'supportEndDate': '2026-10-13'},
                                                  {'editionType': 'professionalN', 'supportEndDate': '2024-10-08'}]
    assert '+            "supportEndDate": "2026-10-13"' in preview.stdout

    graph.clear_requests()
    run = ansible([task('apply', id=IMAGE, supported_editions=editions),
                   task('again', id=IMAGE, supported_editions=list(reversed(editions)))])
    assert run.rc == 0, run.output
    assert run.statuses() == ['changed', 'ok']
    patches = graph_calls(graph.requests(), 'PATCH')
    assert len(patches) == 1
    assert patches[0]['body'] == {'supportedEditions': [{'editionType': 'enterprise', 'supportEndDate': '2026-10-13'},
                                                        {'editionType': 'professionalN', 'supportEndDate': '2024-10-08'}]}
    stored = graph.state()
    assert 'Windows 11 22H1' in str(stored) and '2026-10-13' in str(stored)


def test_available_updates_change_sends_only_updates(ansible, graph):
    updates = UPDATES + [{'build_version': '10.0.22000.2960', 'release_month': 5, 'release_year': 2024}]
    run = ansible([task('updates', id='Windows 10 22H2', available_updates=updates, supported_architectures=['x86', 'x64', 'arm64'])])
    assert run.rc == 0, run.output
    assert run.last['status'] == 'changed'
    patches = graph_calls(graph.requests(), 'PATCH')
    assert len(patches) == 1 and patches[0]['raw_path'].endswith('/Windows%2010%2022H2')
    assert list(patches[0]['body']) == ['availableUpdates']
    assert len(patches[0]['body']['availableUpdates']) == 3
    assert run.last['result']['os_image']['availableUpdates'][2]['buildVersion'] == '10.0.22000.2960'


def test_missing_image_and_bad_values_fail_clearly(ansible, graph):
    run = ansible([
        dict(task('bad enums', id=IMAGE, supported_architectures=['x64', 'ARM65'],
                  supported_editions=[{'edition_type': 'home', 'support_end_date': '2024-10-08'}]), ignore_errors=True),
        dict(task('bad date', id=IMAGE, supported_editions=[{'edition_type': 'enterprise', 'support_end_date': '2024-13-01'}]),
             ignore_errors=True),
        dict(task('missing', id='Windows 11 99H9', supported_architectures=['x64']), ignore_errors=True),
    ])
    assert run.statuses() == ['failed', 'failed', 'failed'], run.output
    bad = run.task('bad enums')['result']['msg']
    assert "'ARM65' is not one of unknown, x86, x64, arm, arM64" in bad
    assert "supported_editions[0].edition_type: 'home' is not one of" in bad
    assert run.task('bad date')['result']['msg'] == "supported_editions[0].support_end_date: '2024-13-01' is not a valid date"
    missing = run.task('missing')['result']
    assert missing['msg'] == 'Windows OS image Windows 11 99H9 was not found; Graph offers no way to create it'
    assert 'Traceback' not in run.output and 'Traceback' not in str(missing)
    log = graph_log(graph)
    # The bad values never reached Graph; the missing image cost one GET (404) and no write.
    assert [(e['method'], e['raw_path'], e['status']) for e in log] == [
        ('GET', '/beta/deviceManagement/managedDeviceWindowsOSImages/Windows%2011%2099H9', 404)]


def test_info_lists_all_pages_gets_one_and_filters(ansible, graph):
    graph.set_page_size(2)
    run = ansible([
        task('all', INFO),
        task('one', INFO, id=IMAGE),
        task('x86', INFO, supported_architecture='X86'),
        task('none', INFO, id='Windows 11 99H9'),
        dict(task('bad', INFO, supported_architecture='sparc'), ignore_errors=True),
    ])
    assert run.statuses() == ['ok', 'ok', 'ok', 'ok', 'failed'], run.output
    ids = [image['id'] for image in run.task('all')['result']['os_images']]
    assert sorted(ids) == ['Windows 10 22H2', 'Windows 11 22H1', 'Windows 11 23H2']
    one = run.task('one')['result']['os_images']
    assert len(one) == 1 and one[0]['supportedArchitectures'] == ['x64', 'arM64'] and '@odata.context' not in one[0]
    assert [image['id'] for image in run.task('x86')['result']['os_images']] == ['Windows 10 22H2']
    assert run.task('none')['result']['os_images'] == []
    assert "'sparc' is not one of" in run.task('bad')['result']['msg']
    log = graph_log(graph)
    # 'all' and 'x86' each page twice (2 + 1); 'one' and 'none' are one GET each; 'bad' sends nothing.
    assert len(log) == 6 and not writes(graph.requests())
    assert sum(1 for e in log if '$skiptoken' in e['raw_path'] or 'skip' in e['raw_path'].lower()) == 2, log
