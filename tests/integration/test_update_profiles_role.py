# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role update_profiles (feature, expedite and hotpatch kinds) through real ansible-playbook runs against the emulator.

The driver kind (roles/update_profiles/tasks/driver.yml) calls graphops.intune.windows_driver_update_profile; it is tested
here only when that module exists."""

from __future__ import annotations

import os

import pytest

from integration.conftest import writes

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
GROUP_A = '0b1c2d3e-0000-4000-8000-00000000a001'
GROUP_B = '0b1c2d3e-0000-4000-8000-00000000b001'

FEATURE = [{'display_name': '24H2 - Pilot', 'feature_update_version': 'Windows 11, version 24H2', 'rollout': {},
            'included_group_ids': [GROUP_A], 'excluded_group_ids': [GROUP_B]},
           {'display_name': '23H2 - Broad', 'feature_update_version': 'Windows 11, version 23H2', 'rollout': {'offer_start': '2031-01-06'}}]
EXPEDITE = [{'display_name': 'Expedite - Pilot', 'quality_update_release': 'latest_security', 'days_until_forced_reboot': 1,
             'included_group_ids': [GROUP_A]}]
HOTPATCH = [{'display_name': 'Hotpatch - Pilot', 'hotpatch_enabled': True, 'all_devices': True}]


def role(**variables):
    return [{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.update_profiles'}, 'vars': variables}]


def graph_log(graph):
    return [(e['method'], e['path'].split('/beta/')[-1]) for e in graph.requests() if e['kind'] == 'graph']


def names(graph, collection):
    return sorted(p['displayName'] for p in graph.state()['deviceManagement'].get(collection) or [])


def test_declare_every_kind_then_second_run_reads_only(ansible, graph):
    first = ansible(role(update_profiles_feature=FEATURE, update_profiles_expedite=EXPEDITE, update_profiles_hotpatch=HOTPATCH))
    assert first.rc == 0, first.output
    assert names(graph, 'windowsFeatureUpdateProfiles') == ['23H2 - Broad', '24H2 - Pilot']
    assert names(graph, 'windowsQualityUpdateProfiles') == ['Expedite - Pilot']
    assert 'Hotpatch - Pilot' in names(graph, 'windowsQualityUpdatePolicies')
    [pilot] = [p for p in graph.state()['deviceManagement']['windowsFeatureUpdateProfiles'] if p['displayName'] == '24H2 - Pilot']
    assert sorted(a['target']['groupId'] for a in pilot['assignments']) == [GROUP_A, GROUP_B]

    graph.clear_requests()
    second = ansible(role(update_profiles_feature=FEATURE, update_profiles_expedite=EXPEDITE, update_profiles_hotpatch=HOTPATCH))
    assert second.rc == 0, second.output
    assert not [r for r in second.results if r['status'] == 'changed']
    assert not writes(graph.requests())
    # no driver kind declared: nothing of it is read
    assert not [p for _m, p in graph_log(graph) if 'Driver' in p]


def test_check_mode_writes_nothing(ansible, graph):
    run = ansible(role(update_profiles_feature=FEATURE, update_profiles_expedite=EXPEDITE, update_profiles_purge=True), check=True)
    assert run.rc == 0, run.output
    assert [r for r in run.results if r['status'] == 'changed']
    assert not writes(graph.requests())


def test_purge_deletes_only_undeclared_profiles_of_managed_kinds(ansible, graph):
    assert ansible(role(update_profiles_feature=FEATURE, update_profiles_expedite=EXPEDITE)).rc == 0
    graph.clear_requests()
    run = ansible(role(update_profiles_feature=FEATURE[1:], update_profiles_purge=True))
    assert run.rc == 0, run.output
    deletes = [p for m, p in graph_log(graph) if m == 'DELETE']
    assert len(deletes) == 1 and deletes[0].startswith('deviceManagement/windowsFeatureUpdateProfiles/')
    assert names(graph, 'windowsFeatureUpdateProfiles') == ['23H2 - Broad']
    assert names(graph, 'windowsQualityUpdateProfiles') == ['Expedite - Pilot']  # a kind not listed is not managed


def test_bad_input_fails_before_any_request(ansible, graph):
    unknown = ansible(role(update_profiles_feature=[{'display_name': 'P', 'version': '24H2'}]))
    assert unknown.rc != 0 and 'version' in unknown.output
    twice = ansible(role(update_profiles_expedite=[{'display_name': 'P'}, {'display_name': 'P', 'days_until_forced_reboot': 1}]))
    assert twice.rc != 0 and 'repeated: expedite P' in twice.output
    assert not [e for e in graph.requests() if e['kind'] == 'graph']


@pytest.mark.skipif(not os.path.exists(os.path.join(REPO, 'plugins', 'modules', 'windows_driver_update_profile.py')),
                    reason='graphops.intune.windows_driver_update_profile is not in this tree (the drivers branch adds it)')
def test_driver_profiles_declared_then_ok(ansible, graph):
    drivers = [{'display_name': 'Drivers - Pilot', 'approval_type': 'manual', 'included_group_ids': [GROUP_A]}]
    first = ansible(role(update_profiles_driver=drivers))
    assert first.rc == 0, first.output
    graph.clear_requests()
    second = ansible(role(update_profiles_driver=drivers))
    assert second.rc == 0 and not writes(graph.requests()), second.output
