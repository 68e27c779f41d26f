# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""intune_report_export through real ansible-playbook runs against the emulator's export jobs and storage host."""

from __future__ import annotations

import csv
import os

from conftest import READER_APP, READER_SECRET, WUFB_CONFIG
from emulator.reports import DEFAULT_PROFILES, configure

MODULE = 'graphops.intune.intune_report_export'
FEATURE = DEFAULT_PROFILES['feature'][0]['id']
QUALITY = DEFAULT_PROFILES['quality'][0]['id']
DEVICE_STATE = dict(report_name='FeatureUpdateDeviceState', filter={'PolicyId': FEATURE})


def task(name, **args):
    return {'name': name, MODULE: args, 'ignore_errors': True}


def storage_requests(graph):
    return [entry for entry in graph.requests() if entry['kind'] == 'storage']


def export_requests(graph):
    return [entry for entry in graph.requests() if entry['kind'] == 'graph' and '/reports/exportJobs' in entry['path']]


def test_rows_filter_select_and_counts(ansible, graph):
    run = ansible([task('export', select=['DeviceName', 'aggregatestate'], localization_type='REPLACELOCALIZABLEVALUES',
                        count_by=['AggregateState'], **DEVICE_STATE)], verbosity=3)
    result = run.task('export')['result']
    assert run.task('export')['status'] == 'ok', result
    assert result['changed'] is False
    assert result['status'] == 'completed' and result['report_name'] == 'FeatureUpdateDeviceState'
    assert result['columns'] == ['DeviceName', 'AggregateState']
    assert [row['DeviceName'] for row in result['rows']] == ['PC-0001', 'PC-0002']
    assert result['row_count'] == 2 and result['truncated'] is False
    assert sum(result['counts']['AggregateState'].values()) == 2
    assert 'url' not in result['job'] and 'reportexportstorage' not in run.output and 'sig=' not in run.output
    posts = [entry for entry in export_requests(graph) if entry['method'] == 'POST']
    assert [entry['body'] for entry in posts] == [{
        'reportName': 'FeatureUpdateDeviceState', 'format': 'csv', 'filter': "(PolicyId eq '%s')" % FEATURE,
        'select': ['DeviceName', 'AggregateState'], 'localizationType': 'replaceLocalizableValues'}]
    # The download: one request to the storage host, without any Authorization header, over https.
    [download] = storage_requests(graph)
    assert 'authorization' not in download['headers'], download['headers']
    assert download['status'] == 200
    assert result['polls'] == len([e for e in export_requests(graph) if e['method'] == 'GET'])


def test_dest_is_written_atomically_and_left_alone_when_the_same(ansible, graph, tmp_path):
    (tmp_path / 'out').mkdir()
    dest = str(tmp_path / 'out' / 'state.csv')
    args = dict(dest=dest, select=['DeviceName', 'AggregateState'], **DEVICE_STATE)
    run = ansible([task('first', **args), task('again', **args)])
    first, again = run.task('first')['result'], run.task('again')['result']
    assert first['dest_updated'] is True and again['dest_updated'] is False, (first, again)
    assert first['changed'] is False and 'rows' not in first
    with open(dest, newline='') as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ['DeviceName', 'AggregateState', 'AggregateState_loc'] and len(rows) == 3
    assert oct(os.stat(dest).st_mode & 0o777) == '0o600'
    assert sorted(os.listdir(str(tmp_path / 'out'))) == ['state.csv']  # no temporary file left


def test_check_mode_exports_but_writes_no_dest(ansible, graph, tmp_path):
    dest = str(tmp_path / 'state.csv')
    run = ansible([task('check', dest=dest, **DEVICE_STATE)], check=True)
    result = run.task('check')['result']
    assert result['dest_updated'] is True and result['row_count'] == 2, result
    assert not os.path.exists(dest)


def test_job_id_picks_up_a_running_job(ansible, graph):
    tasks = [
        {'name': 'start', MODULE: dict(report_name='driverupdatepolicystatussummary', wait=False), 'register': 'start'},
        {'name': 'pick up', MODULE: {'job_id': '{{ start.job_id }}', 'count_by': ['PolicyName']}},
    ]
    run = ansible(tasks)
    start, result = run.task('start')['result'], run.task('pick up')['result']
    assert start['status'] == 'notStarted' and start['polls'] == 0 and 'rows' not in start
    assert run.task('pick up')['status'] == 'ok', result
    assert result['job_id'] == run.task('start')['result']['job_id']
    assert result['report_name'] == 'DriverUpdatePolicyStatusSummary'
    assert result['row_count'] == 1 and result['rows'][0]['PolicyName'] == 'Drivers - manual approval'
    assert len([e for e in export_requests(graph) if e['method'] == 'POST']) == 1


def test_unknown_report_is_exported_with_a_warning(ansible, graph):
    run = ansible([task('devices', report_name='Devices', max_rows=1)])
    result = run.task('devices')['result']
    assert result['row_count'] == 2 and len(result['rows']) == 1 and result['truncated'] is True
    assert any('is not one of the Windows update reports' in warning for warning in result.get('warnings', [])), result


def test_polling_honours_retry_after_and_recovers_from_429_and_500(ansible, graph):
    configure(graph, polls_in_progress=2, retry_after=1)
    graph.add_fault(method='GET', path='/exportJobs', status=429, retry_after=0, times=1)
    graph.add_fault(method='GET', path='/exportJobs', status=500, times=1)
    run = ansible([task('export', max_retries=2, **DEVICE_STATE)])
    result = run.task('export')['result']
    assert run.task('export')['status'] == 'ok', result
    gets = [e for e in export_requests(graph) if e['method'] == 'GET']
    assert [e['status'] for e in gets][:2] == [429, 500]
    assert result['row_count'] == 2


def test_failed_job_names_report_and_job(ansible, graph):
    configure(graph, fail_reports=['FeatureUpdateDeviceState'])
    run = ansible([task('export', **DEVICE_STATE)])
    result = run.task('export')['result']
    assert run.task('export')['status'] == 'failed'
    assert 'FeatureUpdateDeviceState' in result['msg'] and 'failed' in result['msg'] and 'FeatureUpdateDeviceState_' in result['msg']
    assert result['error_code'] == 'ExportJobFailed'


def test_expired_url_is_refreshed_by_a_new_export(ansible, graph):
    configure(graph, storage_fault='expired', storage_fault_times=1)
    run = ansible([task('export', **DEVICE_STATE)])
    result = run.task('export')['result']
    assert run.task('export')['status'] == 'ok', result
    assert [e['status'] for e in storage_requests(graph)] == [403, 200]
    assert len([e for e in export_requests(graph) if e['method'] == 'POST']) == 2


def test_storage_faults_fail_clearly_without_the_url(ansible, graph):
    cases = [('expired', 'refused the download URL (HTTP 403 AuthenticationFailed)'), ('truncated', 'not a readable zip'),
             ('zip_bomb', 'more than the limit'), ('traversal', "climbs out of its folder ('..')"), ('two_csv', 'holds 2 CSV files')]
    for fault, fragment in cases:
        configure(graph, storage_fault=fault, storage_fault_times=-1)
        run = ansible([task(fault, **DEVICE_STATE)])
        result = run.task(fault)['result']
        assert run.task(fault)['status'] == 'failed', (fault, result)
        assert fragment in result['msg'], (fault, result['msg'])
        assert 'FeatureUpdateDeviceState' in result['msg'] and 'sig=' not in run.output and 'reportexportstorage' not in run.output
        assert '\n' not in result['msg']
    assert all('authorization' not in entry['headers'] for entry in storage_requests(graph))


def test_reader_without_device_permission_is_refused_on_device_reports(ansible, graph):
    env = {'AZURE_CLIENT_ID': READER_APP, 'AZURE_CLIENT_SECRET': READER_SECRET}
    run = ansible([task('device level', **DEVICE_STATE), task('summary', report_name='FeatureUpdatePolicyStatusSummary')], env=env)
    assert run.task('device level')['status'] == 'failed'
    assert 'DeviceManagementManagedDevices.Read.All' in run.task('device level')['result']['msg']
    assert run.task('summary')['status'] == 'ok', run.task('summary')['result']


def test_wufb_profile_status_from_the_update_states(ansible, graph):
    run = ansible([task('per device', report_name='WindowsUpdatePerPolicyPerDeviceStatus', count_by=['PolicyId'])])
    result = run.task('per device')['result']
    assert result['counts']['PolicyId'] == {WUFB_CONFIG: 2}, result
