# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""engine/export_job.py and engine/report_csv.py: the export job life cycle, the zip checks, the streamed CSV."""

from __future__ import annotations

import datetime
import io
import os
import struct
import zipfile

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.engine import export_job
from ansible_collections.graphops.intune.plugins.module_utils.engine.export_job import (
    ExportError, ExportRequest, ReportExport, build_filter, filter_columns, parse_instant, shown_job)
from ansible_collections.graphops.intune.plugins.module_utils.engine.report_csv import (
    ArchiveProblem, AtomicCsv, csv_member, rows_of, unsafe_member_name)
from ansible_collections.graphops.intune.plugins.module_utils.entities.reports import WINDOWS_UPDATE_REPORTS
from ansible_collections.graphops.intune.plugins.module_utils.transport.client import Response
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.storage import DownloadError

POLICY = '5d7c4f2e-1a3b-4c5d-8e9f-0a1b2c3d4e5f'
URL = 'https://storage.example/c/job.zip?sv=1&se=2099-01-01T00%3A00%3A00Z&sig=SECRETSIG'


def params(**overrides):
    base = dict(report_name='FeatureUpdateDeviceState', filter={'PolicyId': POLICY}, select=None, localization_type=None,
                snapshot_id=None, dest=None, max_rows=1000, count_by=None, wait=True, wait_timeout=600, job_id=None, max_size_mb=2048)
    base.update(overrides)
    return base


def zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


CSV = '\ufeff"DeviceName","AggregateState"\r\n"PC-1","Success"\r\n"PC-2","Error"\r\n"PC-3","Success"\r\n'.encode('utf-8')


# -- the request, checked before any call ----------------------------------------------------------
def test_filter_dict_becomes_quoted_clauses():
    assert build_filter({'PolicyId': "it's", 'AggregateState': ['Error', 'Cancelled']}) == (
        "(PolicyId eq 'it''s') and (AggregateState eq 'Error' or AggregateState eq 'Cancelled')")
    assert build_filter("(PolicyId eq 'x')") == "(PolicyId eq 'x')"
    assert build_filter({'Flag': True}) == "(Flag eq 'true')"
    for bad in ({'PolicyId': {'a': 1}}, {'PolicyId': []}, {'Policy Id': 'x'}, 3):
        with pytest.raises(ModuleInputError):
            build_filter(bad)


def test_filter_columns_skip_quoted_text():
    assert filter_columns("(PolicyId eq 'AggregateState eq x') and (OwnerType ne '1')") == ['PolicyId', 'OwnerType']


def test_known_report_in_any_casing_with_canonical_columns():
    request = ExportRequest(params(report_name='featureupdatedevicestate', select=['devicename', 'AGGREGATESTATE_LOC'],
                                   localization_type='REPLACELOCALIZABLEVALUES'), WINDOWS_UPDATE_REPORTS)
    assert request.body() == {'reportName': 'FeatureUpdateDeviceState', 'format': 'csv', 'filter': "(PolicyId eq '%s')" % POLICY,
                              'select': ['DeviceName', 'AggregateState_loc'], 'localizationType': 'replaceLocalizableValues'}
    assert request.warnings == []


def test_unknown_report_and_unknown_columns_are_warnings():
    request = ExportRequest(params(report_name='Devices', filter=None), WINDOWS_UPDATE_REPORTS)
    assert request.name == 'Devices' and 'not one of the Windows update reports' in request.warnings[0]
    request = ExportRequest(params(select=['DeviceName', 'NewColumn'], filter="(PolicyId eq 'x') and (Build eq '1')"), WINDOWS_UPDATE_REPORTS)
    assert any('NewColumn is not a column' in warning for warning in request.warnings)
    assert any('Build is not a filter column' in warning for warning in request.warnings)


@pytest.mark.parametrize('overrides, words', [
    (dict(filter=None), 'needs a filter on PolicyId'),
    (dict(filter="(AggregateState eq 'Error')"), 'needs a filter on PolicyId'),
    (dict(localization_type='french'), "'french' is not one of"),
    (dict(select=[]), 'at least one column'),
    (dict(select=['DeviceName', 'devicename']), 'more than once'),
    (dict(report_name=None), 'report_name is required'),
    (dict(report_name='a\nb'), 'without control characters'),
    (dict(job_id='..'), "job_id is '..'"),
    (dict(snapshot_id='x' * 129), 'snapshot_id'),
    (dict(filter='x' * 2001), 'at most 2000'),
    (dict(count_by=['no spaces allowed']), 'is not a column name'),
])
def test_bad_requests(overrides, words):
    with pytest.raises(ModuleInputError) as caught:
        ExportRequest(params(**overrides), WINDOWS_UPDATE_REPORTS)
    assert words in str(caught.value)


def test_job_is_shown_without_url_and_instants_are_read():
    assert shown_job({'id': 'j', 'url': URL, '@odata.context': 'x', 'status': 'completed'}) == {'id': 'j', 'status': 'completed'}
    assert parse_instant('0001-01-01T00:00:00Z') is None and parse_instant('garbage') is None
    moment = parse_instant('2020-08-19T09:44:23.8540289Z')
    assert moment == datetime.datetime(2020, 8, 19, 9, 44, 23, 854028, tzinfo=datetime.timezone.utc)
    assert parse_instant('2020-08-19T11:44:23+02:00') == datetime.datetime(2020, 8, 19, 9, 44, 23, tzinfo=datetime.timezone.utc)


# -- the zip and the CSV ---------------------------------------------------------------------------------
@pytest.mark.parametrize('name', ['../evil.csv', 'a/../../evil.csv', '/etc/passwd', 'C:evil.csv', 'a\\b.csv', 'a\nb.csv', ''])
def test_hostile_member_names(name):
    assert unsafe_member_name(name)


def test_plain_member_names_are_fine():
    assert unsafe_member_name('FeatureUpdateDeviceState_05e6.csv') is None and unsafe_member_name('dir/a.csv') is None


def test_csv_member_is_streamed_with_its_header():
    member = csv_member(io.BytesIO(zip_of([('job.csv', CSV)])), 10 * 1024)
    header, rows = rows_of(member)
    assert header == ['DeviceName', 'AggregateState'] and list(rows) == [['PC-1', 'Success'], ['PC-2', 'Error'], ['PC-3', 'Success']]
    member.close()


def bomb():
    data = bytearray(zip_of([('bomb.csv', b'\0' * 4096)]))
    data[22:26] = struct.pack('<I', 0xFFFFFFF0)
    central = data.find(b'PK\x01\x02')
    data[central + 24:central + 28] = struct.pack('<I', 0xFFFFFFF0)
    return bytes(data)


@pytest.mark.parametrize('content, code', [
    (zip_of([('../../evil.csv', CSV)]), 'UnsafeZipMember'),
    (zip_of([('ok.csv', CSV), ('../x.txt', b'x')]), 'UnsafeZipMember'),
    (zip_of([('a.csv', CSV), ('b.csv', CSV)]), 'UnexpectedZipContent'),
    (zip_of([]), 'UnexpectedZipContent'),
    (bomb(), 'ZipMemberTooLarge'),
    (zip_of([('job.csv', CSV)])[:60], 'BadZip'),
    (b'<html>Sign in</html>', 'BadZip'),
])
def test_hostile_archives(content, code):
    with pytest.raises(ArchiveProblem) as caught:
        member = csv_member(io.BytesIO(content), 1024 * 1024)
        list(rows_of(member)[1])
    assert caught.value.code == code


def test_a_member_larger_than_the_limit_is_refused_before_it_is_read():
    with pytest.raises(ArchiveProblem) as caught:
        csv_member(io.BytesIO(zip_of([('job.csv', CSV * 100)])), len(CSV) * 10)
    assert caught.value.code == 'ZipMemberTooLarge' and 'max_size_mb' in str(caught.value)


def test_atomic_csv_keeps_an_unchanged_file_and_its_mode(tmp_path):
    dest = str(tmp_path / 'r.csv')
    first = AtomicCsv(dest)
    first.write(['a', 'b'])
    assert first.commit() is True
    assert oct(os.stat(dest).st_mode & 0o777) == '0o600'
    os.chmod(dest, 0o640)
    os.utime(dest, (1, 1))
    same = AtomicCsv(dest)
    same.write(['a', 'b'])
    assert same.commit() is False and os.stat(dest).st_mtime == 1
    other = AtomicCsv(dest)
    other.write(['a', 'c'])
    assert other.commit(apply=False) is True and os.stat(dest).st_mtime == 1  # check mode: would change, did not
    other = AtomicCsv(dest)
    other.write(['a', 'c'])
    assert other.commit() is True and oct(os.stat(dest).st_mode & 0o777) == '0o640'
    assert os.listdir(str(tmp_path)) == ['r.csv']


# -- the life cycle, with a scripted Graph ----------------------------------------------------------------
class FakeClient(object):
    max_retries = 2
    verify = True
    timeout = 30
    session = None

    def __init__(self, polls, post_failures=()):
        self.polls = list(polls)  # each: a job dict, or an exception, answered by the next GET
        self.post_failures = list(post_failures)
        self.posts = []
        self.gets = 0

    @staticmethod
    def backoff(attempt, retry_after=None):
        return 0.5

    def post(self, relative, body):
        self.posts.append(body)
        if self.post_failures:
            raise self.post_failures.pop(0)
        return {'id': 'FeatureUpdateDeviceState_%d' % len(self.posts), 'status': 'notStarted', 'reportName': body['reportName']}

    def request(self, method, relative, **kwargs):
        self.gets += 1
        answer = self.polls.pop(0)
        if isinstance(answer, Exception):
            raise answer
        headers = answer.pop('_headers', {})
        return Response(200, answer, headers)


class FakeModule(object):
    def __init__(self, client, check_mode=False, **overrides):
        self.params = params(**overrides)
        self.client = client
        self.check_mode = check_mode
        self.hidden = []

    def hide(self, secret):
        self.hidden.append(secret)


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


def completed(job_id='FeatureUpdateDeviceState_1', url=URL, expires='2099-01-01T00:00:00Z'):
    return {'id': job_id, 'status': 'completed', 'url': url, 'expirationDateTime': expires, 'reportName': 'FeatureUpdateDeviceState'}


def running(status='inProgress', job_id='FeatureUpdateDeviceState_1', retry_after=None):
    job = {'id': job_id, 'status': status}
    if retry_after is not None:
        job['_headers'] = {'Retry-After': str(retry_after)}
    return job


@pytest.fixture
def downloads(monkeypatch):
    """Scripted downloads: each an exception, or bytes written to the sink."""
    script = []

    def fake(client, url, sink, limit, timeout=None):
        answer = script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        sink.write(answer)
        return len(answer)
    monkeypatch.setattr(export_job, 'download', fake)
    return script


def export(client, clock, **overrides):
    module = FakeModule(client, **overrides)
    return ReportExport(module, WINDOWS_UPDATE_REPORTS, sleep=clock.sleep, clock=clock), module


def test_polls_back_off_and_never_faster_than_retry_after(downloads):
    downloads.append(zip_of([('job.csv', CSV)]))
    client = FakeClient([running(retry_after=3), running(), running(), completed()])
    clock = Clock()
    runner, module = export(client, clock, count_by=['AggregateState'], max_rows=2)
    result = runner.run()
    assert clock.sleeps == [0, 3, 2, 4]  # the second delay would be 1 s: Retry-After 3 wins
    assert result['row_count'] == 3 and result['truncated'] is True and len(result['rows']) == 2
    assert result['counts'] == {'AggregateState': {'Success': 2, 'Error': 1}}
    assert result['changed'] is False and 'url' not in result['job'] and URL not in str(result)
    assert module.hidden == [URL] and result['polls'] == 4


def test_failed_job_and_timeout_name_the_report_and_job(downloads):
    with pytest.raises(ExportError) as caught:
        export(FakeClient([running(), running(status='failed')]), Clock())[0].run()
    assert caught.value.code == 'ExportJobFailed' and 'FeatureUpdateDeviceState_1 of FeatureUpdateDeviceState' in str(caught.value)
    with pytest.raises(ExportError) as caught:
        export(FakeClient([running()] * 50), Clock(), wait_timeout=20)[0].run()
    assert caught.value.code == 'ExportTimeout' and 'job_id=FeatureUpdateDeviceState_1' in str(caught.value)


def test_transient_poll_failures_are_retried_up_to_max_retries(downloads):
    downloads.append(zip_of([('job.csv', CSV)]))
    flaky = [GraphError(500, 'InternalServerError', 'boom'), GraphError(0, 'ConnectionError', 'reset')]
    result = export(FakeClient(flaky + [completed()]), Clock())[0].run()
    assert result['row_count'] == 3
    with pytest.raises(GraphError) as caught:
        export(FakeClient([GraphError(500, 'InternalServerError', 'boom')] * 3), Clock())[0].run()
    assert 'export job FeatureUpdateDeviceState_1 of FeatureUpdateDeviceState' in str(caught.value)
    with pytest.raises(GraphError) as caught:
        export(FakeClient([GraphError(404, 'ResourceNotFound', 'gone')]), Clock())[0].run()
    assert caught.value.status == 404


def test_a_lost_create_is_sent_again(downloads):
    downloads.append(zip_of([('job.csv', CSV)]))
    client = FakeClient([completed(job_id='FeatureUpdateDeviceState_2')], post_failures=[OutcomeUnknown('POST', 'x', 'reset')])
    result = export(client, Clock())[0].run()
    assert len(client.posts) == 2 and result['job_id'] == 'FeatureUpdateDeviceState_2'


def test_expired_url_reads_the_job_again_then_exports_anew(downloads):
    forbidden = DownloadError(403, 'StorageForbidden', 'refused')
    downloads.extend([forbidden, forbidden, zip_of([('job.csv', CSV)])])
    fresh = completed(url=URL.replace('SECRETSIG', 'OTHER'))
    client = FakeClient([completed(), fresh, completed(job_id='FeatureUpdateDeviceState_2')])
    result = export(client, Clock())[0].run()
    assert result['row_count'] == 3 and len(client.posts) == 2
    # Picked-up job (job_id): no new export; the message says what to do.
    downloads[:] = [forbidden, forbidden]
    with pytest.raises(ExportError) as caught:
        export(FakeClient([completed(), completed()]), Clock(), job_id='FeatureUpdateDeviceState_1')[0].run()
    assert 'without job_id' in str(caught.value) and 'SECRETSIG' not in str(caught.value)


def test_an_expired_job_is_not_downloaded(downloads):
    downloads.append(zip_of([('job.csv', CSV)]))
    client = FakeClient([completed(expires='2001-01-01T00:00:00Z'), completed(expires='2001-01-01T00:00:00Z'),
                         completed(job_id='FeatureUpdateDeviceState_2')])
    result = export(client, Clock())[0].run()
    assert len(client.posts) == 2 and result['job_id'] == 'FeatureUpdateDeviceState_2' and downloads == []


def test_truncated_download_is_fetched_once_more_then_fails(downloads):
    good = zip_of([('job.csv', CSV)])
    downloads.extend([good[:40], good])
    assert export(FakeClient([completed()]), Clock())[0].run()['row_count'] == 3
    downloads.extend([good[:40], good[:40]])
    with pytest.raises(ExportError) as caught:
        export(FakeClient([completed()]), Clock())[0].run()
    assert caught.value.code == 'BadZip' and 'FeatureUpdateDeviceState_1' in str(caught.value)


@pytest.mark.parametrize('overrides, words', [
    (dict(max_size_mb=0), 'max_size_mb must be a positive'),
    (dict(max_rows=-1), 'max_rows must be 0 or more'),
    (dict(wait_timeout=0), 'wait_timeout must be a positive'),
    (dict(dest='/nonexistent/dir/out.csv'), 'does not exist'),
])
def test_bad_options_fail_before_any_request(downloads, overrides, words):
    client = FakeClient([])
    with pytest.raises(ModuleInputError) as caught:
        export(client, Clock(), **overrides)[0].run()
    assert words in str(caught.value) and client.posts == [] and client.gets == 0


def test_storage_5xx_is_fetched_once_more_then_fails(downloads):
    unavailable = DownloadError(503, 'StorageError', 'the storage host store.example answered HTTP 503 ServerBusy')
    downloads.extend([unavailable, zip_of([('job.csv', CSV)])])
    assert export(FakeClient([completed()]), Clock())[0].run()['row_count'] == 3
    downloads.extend([unavailable, unavailable])
    with pytest.raises(ExportError) as caught:
        export(FakeClient([completed()]), Clock())[0].run()
    assert 'HTTP 503' in str(caught.value) and 'FeatureUpdateDeviceState_1' in str(caught.value)
    downloads[:] = [DownloadError(404, 'StorageError', 'BlobNotFound')]
    with pytest.raises(ExportError):
        export(FakeClient([completed()]), Clock())[0].run()
    assert downloads == []


def test_wait_false_returns_the_job_at_once(downloads):
    client = FakeClient([])
    result = export(client, Clock(), wait=False)[0].run()
    assert result['status'] == 'notStarted' and result['job_id'] == 'FeatureUpdateDeviceState_1' and client.gets == 0


def test_picked_up_job_of_another_report_is_refused(downloads):
    with pytest.raises(ModuleInputError):
        export(FakeClient([dict(completed(), reportName='Devices')]), Clock(), job_id='x')[0].run()


def test_dest_in_check_mode_is_not_written(downloads, tmp_path):
    downloads.append(zip_of([('job.csv', CSV)]))
    dest = str(tmp_path / 'out.csv')
    module = FakeModule(FakeClient([completed()]), check_mode=True, dest=dest)
    result = ReportExport(module, WINDOWS_UPDATE_REPORTS, sleep=Clock().sleep).run()
    assert result['dest_updated'] is True and not os.path.exists(dest) and os.listdir(str(tmp_path)) == []
