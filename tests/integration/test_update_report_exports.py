# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The update_report role's sections fed by Intune's report exports (tasks/exports.yml), and playbooks/export_reports.yml."""

from __future__ import annotations

import csv
import json
import os
import re

import jinja2
from jinja2 import nodes

from conftest import REPO
from emulator.reports import DEFAULT_PROFILES, configure

FEATURE = DEFAULT_PROFILES['feature'][0]['id']
QUALITY = DEFAULT_PROFILES['quality'][0]['id']


def report_role(out, **extra):
    variables = dict(update_report_dir=str(out), update_report_exports=True, update_report_feature_update_profile_ids=[FEATURE],
                     update_report_quality_update_profile_ids=[QUALITY], update_report_os_images=False, update_report_wufb_profiles=False)
    variables.update(extra)
    return [{'name': 'run the role', 'ansible.builtin.include_role': {'name': 'graphops.intune.update_report'}, 'vars': variables}]


def read(out):
    with open(os.path.join(str(out), 'update-report.json')) as handle:
        data = json.load(handle)
    with open(os.path.join(str(out), 'update-report.html')) as handle:
        return data, handle.read()


def test_report_gains_the_exported_sections(ansible, graph, tmp_path):
    out = tmp_path / 'report'
    run = ansible(report_role(out))
    assert run.rc == 0, run.output
    data, html = read(out)
    exports = data['exports']
    [feature] = exports['feature_updates']
    assert feature['policy_id'] == FEATURE and feature['policy_name'] == 'Windows 11 24H2 - broad' and feature['row_count'] == 2
    assert feature['versions'] == {'Windows 11, version 24H2': 2}
    assert sorted(device['DeviceName'] for device in feature['devices']) == ['PC-0001', 'PC-0002']
    assert [policy['policy_name'] for policy in exports['quality_updates']] == ['Expedite 2024-04 B']
    quality = exports['quality_updates'][0]
    assert quality['total'] == quality['success'] + quality['in_progress'] + quality['error'] <= 2
    [expedite] = exports['expedite']
    assert expedite['row_count'] == 2 and sum(expedite['states'].values()) == 2
    assert exports['drivers'][0]['needs_review'] == 2
    assert data['summary']['feature_update_devices'] == 2
    for section in ('feature-update-state', 'quality-update-status', 'expedite-progress', 'driver-status'):
        assert 'id="%s"' % section in html
    assert 'PC-0001' in html and 'Windows 11, version 24H2' in html
    # Four export jobs, each downloaded once without the Graph token.
    storage = [entry for entry in graph.requests() if entry['kind'] == 'storage']
    assert len(storage) == 4 and all('authorization' not in entry['headers'] for entry in storage)


def test_empty_reports_and_unknown_columns_keep_the_report_correct(ansible, graph, tmp_path):
    configure(graph, synthetic_rows=0, extra_columns=['ColumnIntuneAdded'])
    out = tmp_path / 'report'
    run = ansible(report_role(out))
    assert run.rc == 0, run.output
    data, html = read(out)
    assert data['exports']['feature_updates'][0]['row_count'] == 0
    assert data['exports']['expedite'][0]['percent_done'] is None
    assert data['exports']['quality_updates'][0]['total'] == 0
    assert 'The report holds no device for this profile.' in html
    configure(graph, synthetic_rows=None)
    run = ansible(report_role(out))
    assert run.rc == 0, run.output
    data, html = read(out)
    device = data['exports']['feature_updates'][0]['devices'][0]
    assert device['ColumnIntuneAdded'] == 'Intune value' and 'ColumnIntuneAdded' not in html


def test_without_exports_the_report_has_no_such_section(ansible, graph, tmp_path):
    out = tmp_path / 'report'
    run = ansible(report_role(out, update_report_exports=False))
    assert run.rc == 0, run.output
    data, html = read(out)
    assert 'exports' not in data and 'feature-update-state' not in html
    assert not [entry for entry in graph.requests() if '/exportJobs' in entry['path']]


def test_exports_template_escapes_every_value():
    path = os.path.join(REPO, 'roles', 'update_report', 'templates', 'update_report_exports.html.j2')
    with open(path) as handle:
        tree = jinja2.Environment().parse(handle.read())
    unescaped = []
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData) or isinstance(node, nodes.Filter) and node.name in ('e', 'escape'):
                continue
            unescaped.append('line %d' % node.lineno)
    assert unescaped == []


def test_export_reports_playbook_writes_a_folder_with_one_line_per_report(ansible, graph, tmp_path):
    out = tmp_path / 'exports'
    playbook = os.path.join(REPO, 'playbooks', 'export_reports.yml')
    run = ansible(playbook, extra_args=['-e', json.dumps({
        'export_reports_dir': str(out),
        'export_reports': [{'name': 'FeatureUpdateDeviceState', 'filter': {'PolicyId': FEATURE}},
                           {'name': 'DriverUpdatePolicyStatusSummary'}]})])
    assert run.rc == 0, run.output
    assert sorted(os.listdir(str(out))) == ['DriverUpdatePolicyStatusSummary.csv', 'FeatureUpdateDeviceState.csv']
    with open(str(out / 'FeatureUpdateDeviceState.csv'), newline='') as handle:
        assert len(list(csv.reader(handle))) == 3
    lines = re.findall(r'"msg": "(\w+): (\d+) rows, ([0-9.]+) s', run.output)
    assert [(name, rows) for name, rows, dummy in lines] == [('FeatureUpdateDeviceState', '2'), ('DriverUpdatePolicyStatusSummary', '1')]
