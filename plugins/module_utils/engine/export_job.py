# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Intune report export jobs (deviceManagementExportJob): create, poll, download, read as a stream.

POST /deviceManagement/reports/exportJobs {reportName, filter, select, format: csv, ...} answers a
job (status notStarted); GET .../exportJobs('{id}') is polled, with backoff and never faster than
a Retry-After, until its status is completed (or failed); its url then names a zip on a storage
host outside Graph, valid until expirationDateTime, holding one CSV. The URL grants access by
itself: it is downloaded without the Graph token (transport/storage.py), never returned and
never part of a message.

Retried where that is safe: a poll (a GET) that fails with 429/5xx or a lost connection is
repeated, up to max_retries times in a row; a create whose answer was lost is sent again (a
second export job changes nothing in the tenant and expires on its own); a download refused
with 403 (expired URL) reads the job again for a fresh URL, then exports once more when this
run created the job; a truncated download, or one answered 429/5xx, is fetched once more. Anything else fails with a
message naming the report and the job id.
"""

from __future__ import annotations

import collections
import datetime
import os
import re
import tempfile
import time

from ansible_collections.graphops.intune.plugins.module_utils.transport.client import check_id, path, retry_after_seconds
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import GraphError, ModuleInputError, OutcomeUnknown
from ansible_collections.graphops.intune.plugins.module_utils.transport.storage import DownloadError, download
from ansible_collections.graphops.intune.plugins.module_utils.engine.report_csv import ArchiveProblem, AtomicCsv, csv_member, rows_of

EXPORT_JOBS = ('deviceManagement', 'reports', 'exportJobs')
LOCALIZATION_TYPES = ('localizedValuesAsAdditionalColumn', 'replaceLocalizableValues')  # Graph beta metadata
STATUSES = ('unknown', 'notStarted', 'inProgress', 'completed', 'failed')
POLL_DELAYS = (0, 1, 2, 4, 8, 15, 30)  # seconds before each poll; the last repeats
RETRIED_STATUSES = (0, 429, 500, 502, 503, 504)  # a failed poll with these (0: no answer) is polled again
SELECT_LIMIT = 256  # deviceManagementExportJob.select: at most 256 names of at most 1000 characters
TEXT_LIMIT = 2000  # reportName and filter
SNAPSHOT_LIMIT = 128
MB = 1024 * 1024
HIDDEN_JOB_KEYS = ('url',)
_IDENTIFIER = re.compile(r"'(?:[^']|'')*'|([A-Za-z_][A-Za-z0-9_]*)\s+(?:eq|ne|gt|ge|lt|le|in|has|contains|startswith)\b", re.I)
_COLUMN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


class ExportError(GraphError):
    """An export job that cannot deliver its report (failed, timed out, unreadable): a plain message."""

    def __str__(self):
        return self.message


class Report(object):
    """One report of Intune's export API, as Microsoft's "Intune reports and properties available using
    Graph API" page describes it: its columns, the columns it can be filtered on (and the ones it must
    be), the columns with a localized twin (<column>_loc), and the permissions it needs."""

    def __init__(self, name, columns, filters=(), required_filters=(), localizable=(), permissions=(), location=None, device_level=True):
        self.name = name
        self.columns = tuple(columns)
        self.filters = tuple(filters)
        self.required_filters = tuple(required_filters)
        self.localizable = tuple(localizable)
        self.permissions = tuple(permissions)
        self.location = location
        self.device_level = device_level

    def column(self, name):
        """The column's canonical casing (with a _loc twin), or None."""
        known = dict((column.lower(), column) for column in self.columns)
        known.update(('%s_loc' % column.lower(), '%s_loc' % column) for column in self.localizable)
        return known.get(str(name).lower())


def known_report(reports, name):
    """The Report named (any casing), or None."""
    by_name = dict((report.name.lower(), report) for report in reports)
    return by_name.get(str(name).strip().lower())


def odata_string(value):
    """A filter literal: 'it''s'."""
    return "'%s'" % str(value).replace("'", "''")


def build_filter(value):
    """The export job's filter string from the module's filter option.

    A string is sent as given. A dict {column: value or [values]} becomes
    "(Column eq 'value') and (Column eq 'a' or Column eq 'b')", every value quoted.
    """
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise ModuleInputError('filter must be a string (as Intune takes it) or a dict of column: value(s), got %s' % type(value).__name__)
    clauses = []
    for column, wanted in value.items():
        if not _COLUMN.match(str(column)):
            raise ModuleInputError('filter: %r is not a column name' % (column,))
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or any(isinstance(item, (dict, list)) or item is None for item in values):
            raise ModuleInputError('filter: the value of %s must be a string, a number or a list of them, got %r' % (column, wanted))
        words = ['%s eq %s' % (column, odata_string(str(item).lower() if isinstance(item, bool) else item)) for item in values]
        clauses.append('(%s)' % ' or '.join(words))
    return ' and '.join(clauses) or None


def filter_columns(text):
    """The column names a filter string compares (those followed by an operator), in order."""
    return [match.group(1) for match in _IDENTIFIER.finditer(text or '') if match.group(1)]


class ExportRequest(object):
    """A task's export, checked before any request: the job body, and the checks against a known report."""

    def __init__(self, params, reports):
        self.warnings = []
        name = params.get('report_name')
        self.job_id = params.get('job_id')
        if self.job_id is not None:
            check_id('job_id', self.job_id)
        if name is None and self.job_id is None:
            raise ModuleInputError('report_name is required unless job_id picks up a running export job')
        self.report = None
        if name is not None:
            name = name.strip()
            if not name or any(ord(char) < 32 for char in name) or len(name) > TEXT_LIMIT:
                raise ModuleInputError('report_name must be 1 to %d characters without control characters, got %r' % (TEXT_LIMIT, name[:80]))
            self.report = known_report(reports, name)
            if self.report is None:
                self.warnings.append('report_name %s is not one of the Windows update reports this collection knows (%s): it is '
                                     'exported as given, without checks of its filter and columns'
                                     % (name, ', '.join(sorted(report.name for report in reports))))
            else:
                name = self.report.name
        self.name = name
        self.filter = build_filter(params.get('filter'))
        if self.filter is not None and len(self.filter) > TEXT_LIMIT:
            raise ModuleInputError('filter must be at most %d characters, got %d' % (TEXT_LIMIT, len(self.filter)))
        self.select = self._select(params.get('select'))
        self.localization_type = self._localization(params.get('localization_type'))
        snapshot = params.get('snapshot_id')
        if snapshot is not None and (not snapshot.strip() or len(snapshot) > SNAPSHOT_LIMIT):
            raise ModuleInputError('snapshot_id must be 1 to %d characters' % SNAPSHOT_LIMIT)
        self.snapshot_id = snapshot
        if self.report is not None:
            self._check_filter()
        count_by = params.get('count_by') or []
        self.count_by = [self._column(column, 'count_by') for column in count_by]

    def _column(self, column, option):
        if not isinstance(column, str) or not _COLUMN.match(column):
            raise ModuleInputError('%s: %r is not a column name' % (option, column))
        if self.report is None:
            return column
        known = self.report.column(column)
        if known is None:
            self.warnings.append('%s: %s is not a column of %s on Microsoft\'s page (%s); it is used as given'
                                 % (option, column, self.report.name, ', '.join(self.report.columns)))
            return column
        return known

    def _select(self, select):
        if select is None:
            return None
        if not select:
            raise ModuleInputError('select must name at least one column when it is given')
        if len(select) > SELECT_LIMIT:
            raise ModuleInputError('select may name at most %d columns, got %d' % (SELECT_LIMIT, len(select)))
        columns = [self._column(column, 'select') for column in select]
        seen = set()
        twice = [column for column in columns if column.lower() in seen or seen.add(column.lower())]
        if twice:
            raise ModuleInputError('select names %s more than once' % ', '.join(twice))
        return columns

    @staticmethod
    def _localization(value):
        if value is None:
            return None
        for member in LOCALIZATION_TYPES:
            if member.lower() == str(value).strip().lower():
                return member
        raise ModuleInputError('localization_type: %r is not one of %s' % (value, ', '.join(LOCALIZATION_TYPES)))

    def _check_filter(self):
        report = self.report
        used = filter_columns(self.filter)
        for column in used:
            if column.lower() not in [name.lower() for name in report.filters]:
                self.warnings.append('filter: %s is not a filter column of %s on Microsoft\'s page (%s)'
                                     % (column, report.name, ', '.join(report.filters) or 'it has none'))
        for required in report.required_filters:
            if required.lower() not in [column.lower() for column in used]:
                raise ModuleInputError('%s needs a filter on %s (Intune refuses the export without it), for example '
                                       "filter: {%s: <id>}" % (report.name, required, required))

    def body(self):
        body = {'reportName': self.name, 'format': 'csv'}
        for key, value in (('filter', self.filter), ('select', self.select), ('localizationType', self.localization_type),
                           ('snapshotId', self.snapshot_id)):
            if value is not None:
                body[key] = value
        return body


def shown_job(job):
    """The job as returned to the task: without its url (it grants access) and without @odata annotations."""
    return dict((key, value) for key, value in (job or {}).items() if key not in HIDDEN_JOB_KEYS and not key.startswith('@odata.'))


def parse_instant(text):
    """An Edm.DateTimeOffset as an aware datetime, or None (Graph's '0001-01-01T00:00:00Z' means unset)."""
    if not isinstance(text, str) or text.startswith('0001-'):
        return None
    match = re.match(r'^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$', text.strip())
    if not match:
        return None
    offset = '+00:00' if match.group(3) == 'Z' else match.group(3)
    micro = int((match.group(2) or '.0')[1:7].ljust(6, '0'))
    try:
        moment = datetime.datetime.strptime(match.group(1) + offset.replace(':', ''), '%Y-%m-%dT%H:%M:%S%z')
    except ValueError:
        return None
    return moment + datetime.timedelta(microseconds=micro)


class Rows(object):
    """Where the rows go: a destination file, or up to max_rows dicts; counted, and counted by columns."""

    def __init__(self, header, max_rows, count_by, dest_file):
        self.header = header
        self.max_rows = max_rows
        self.kept = []
        self.count = 0
        self.dest_file = dest_file
        positions = dict((name.lower(), index) for index, name in enumerate(header))
        self.count_by = [(column, positions.get(column.lower())) for column in count_by]
        self.counts = dict((column, collections.Counter()) for column in count_by)

    def add(self, row):
        self.count += 1
        if self.dest_file is not None:
            self.dest_file.write(row)
        elif len(self.kept) < self.max_rows:
            self.kept.append(dict(zip(self.header, row + [''] * (len(self.header) - len(row)))))
        for column, position in self.count_by:
            if position is not None:
                self.counts[column][row[position] if position < len(row) else ''] += 1


class ReportExport(object):
    """One task of intune_report_export: module gives params, client, check_mode (and warn, hide: optional)."""

    def __init__(self, module, reports, sleep=time.sleep, clock=time.monotonic, now=None):
        self.module = module
        self.params = module.params
        self.reports = reports
        self.sleep = sleep
        self.clock = clock
        self.now = now or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self.hide = getattr(module, 'hide', None) or (lambda secret: None)
        self.polls = 0
        self.retry_after = None

    # -- the run --------------------------------------------------------------------------------------------------
    def run(self):
        started = self.clock()
        request = ExportRequest(self.params, self.reports)
        max_rows = self.params.get('max_rows')
        if max_rows is not None and max_rows < 0:
            raise ModuleInputError('max_rows must be 0 or more, got %s' % max_rows)
        wait_timeout = self.params.get('wait_timeout')
        if wait_timeout is not None and wait_timeout <= 0:
            raise ModuleInputError('wait_timeout must be a positive number of seconds, got %s' % wait_timeout)
        limit_mb = 2048 if self.params.get('max_size_mb') is None else self.params['max_size_mb']
        if limit_mb <= 0:
            raise ModuleInputError('max_size_mb must be a positive number of megabytes, got %s' % limit_mb)
        dest = self.params.get('dest')
        if dest is not None:
            folder = os.path.dirname(os.path.abspath(dest))
            if not os.path.isdir(folder):
                raise ModuleInputError('dest: the directory %s does not exist' % folder)
            if os.path.isdir(dest):
                raise ModuleInputError('dest: %s is a directory; give the path of the CSV file' % dest)
        client = self.module.client
        own_job = request.job_id is None
        job = self._create(client, request) if own_job else self._get(client, request.job_id, request.name or 'the report')
        if request.job_id is not None:
            self._check_picked_job(request, job)
        name = request.name or job.get('reportName') or 'the report'
        result = {'changed': False, 'report_name': name}
        if self.params.get('wait', True):
            job = self._wait(client, job, name, started + (wait_timeout or 600))
            job, read = self._fetch(client, request, job, name, own_job, dest, limit_mb * MB, 1000 if max_rows is None else max_rows)
            result.update(read)
        result['job_id'] = job.get('id')
        result['job'] = shown_job(job)
        result['status'] = job.get('status')
        result['polls'] = self.polls
        result['elapsed'] = round(self.clock() - started, 3)
        if request.warnings:
            result['warnings'] = request.warnings
        return result

    def _check_picked_job(self, request, job):
        theirs = job.get('reportName')
        if request.name and isinstance(theirs, str) and theirs.lower() != request.name.lower():
            raise ModuleInputError('job_id %s is an export of %s, not of report_name %s' % (request.job_id, theirs, request.name))
        if request.name is None and isinstance(theirs, str):
            request.report = known_report(self.reports, theirs)

    # -- Graph ----------------------------------------------------------------------------------------------------
    def _create(self, client, request):
        attempts = 0
        while True:
            error = None
            try:
                job = client.post(path(*EXPORT_JOBS), request.body())
                break
            except OutcomeUnknown as exc:
                error = GraphError(0, 'OutcomeUnknown', str(exc))
            except GraphError as exc:
                if exc.status not in RETRIED_STATUSES:
                    raise GraphError(exc.status, exc.code, 'creating an export job of %s: %s' % (request.name, exc.message), exc.request_id,
                                     exc.method, exc.url)
                error = exc
            attempts += 1
            if attempts > self.module.client.max_retries:
                raise ExportError(error.status, error.code, 'creating an export job of %s failed %d time(s): %s'
                                  % (request.name, attempts, error), error.request_id)
            self.sleep(client.backoff(attempts - 1))
        if not isinstance(job, dict) or not isinstance(job.get('id'), str) or not job['id']:
            raise ExportError(201, 'UnexpectedResponse', 'creating an export job of %s: the answer holds no job id (%s)'
                              % (request.name, sorted(job) if isinstance(job, dict) else type(job).__name__))
        self._hide_url(job)
        return job

    def _get(self, client, job_id, name):
        """The job (one GET, with the client's retries), or a GraphError naming the report and job."""
        self.polls += 1
        try:
            response = client.request('GET', path(*EXPORT_JOBS + (job_id,)))
            job = response.json_object('a JSON object (the export job)')
        except GraphError as exc:
            raise type(exc)(exc.status, exc.code, 'export job %s of %s: %s' % (job_id, name, exc.message), exc.request_id, exc.method, exc.url)
        self._hide_url(job)
        self.retry_after = retry_after_seconds(response.headers.get('retry-after'))
        return job

    def _hide_url(self, job):
        url = job.get('url') if isinstance(job, dict) else None
        if isinstance(url, str) and url:
            self.hide(url)

    def _wait(self, client, job, name, deadline):
        """Poll until completed; ExportError when failed or past the deadline."""
        job_id = job['id']
        attempt = 0
        failures = 0
        self.retry_after = None
        while True:
            status = job.get('status')
            if status == 'completed':
                return job
            if status == 'failed':
                raise ExportError(200, 'ExportJobFailed', 'Intune reports that export job %s of %s failed (status failed); run the task '
                                  'again to export anew' % (job_id, name))
            delay = POLL_DELAYS[min(attempt, len(POLL_DELAYS) - 1)]
            if self.retry_after is not None:
                delay = max(delay, self.retry_after)
            if self.clock() + delay > deadline:
                raise ExportError(0, 'ExportTimeout', 'export job %s of %s did not complete within wait_timeout (last status %s); run the '
                                  'task again with job_id=%s to pick it up' % (job_id, name, status, job_id))
            self.sleep(delay)
            attempt += 1
            try:
                job = self._get(client, job_id, name)
                failures = 0
            except GraphError as exc:
                failures += 1
                if exc.status not in RETRIED_STATUSES or failures > client.max_retries:
                    raise
                self.retry_after = None
                continue
            if job.get('id') not in (None, job_id):
                raise ExportError(200, 'UnexpectedResponse', 'export job %s of %s: the answer is job %s' % (job_id, name, job.get('id')))

    # -- storage --------------------------------------------------------------------------------------------------
    def _fetch(self, client, request, job, name, own_job, dest, limit, max_rows):
        """(the job read, its report) of the completed job; retried once per transient cause (see the module docstring)."""
        refreshed = recreated = retried = False
        while True:
            job_id = job['id']
            url = job.get('url')
            expires = parse_instant(job.get('expirationDateTime'))
            try:
                if not isinstance(url, str) or not url:
                    raise ExportError(200, 'UnexpectedResponse', 'export job %s of %s is completed but names no download url' % (job_id, name))
                if expires is not None and expires <= self.now():
                    raise DownloadError(403, 'StorageForbidden', 'the download URL expired at %s' % job.get('expirationDateTime'))
                return job, self._read(client, url, request, dest, limit, max_rows)
            except DownloadError as exc:
                if exc.code == 'StorageForbidden' and not refreshed:
                    refreshed = True
                    fresh = self._get(client, job_id, name)
                    if fresh.get('url') and fresh.get('url') != url and fresh.get('status') == 'completed':
                        job = fresh
                        continue
                if exc.code == 'StorageForbidden' and own_job and not recreated:
                    recreated = True
                    job = self._wait(client, self._create(client, request), name, self.clock() + (self.params.get('wait_timeout') or 600))
                    continue
                transient = exc.code in ('DownloadFailed', 'DownloadTruncated') or (exc.code == 'StorageError' and exc.status in RETRIED_STATUSES)
                if transient and not retried:
                    retried = True
                    continue
                raise ExportError(exc.status, exc.code, 'export job %s of %s: %s%s' % (
                    job_id, name, exc.message, '' if exc.code != 'StorageForbidden' or own_job else
                    '; run the task again without job_id for a new export'), exc.request_id)
            except ArchiveProblem as exc:
                if exc.code == 'BadZip' and not retried:
                    retried = True
                    continue
                raise ExportError(200, exc.code, 'export job %s of %s: %s' % (job_id, name, exc))
            except (OSError, IOError) as exc:
                raise ExportError(0, 'LocalFileError', 'export job %s of %s: %s' % (job_id, name, exc))

    def _read(self, client, url, request, dest, limit, max_rows):
        with tempfile.TemporaryFile(prefix='graphops-export-') as archive_file:
            size = download(client, url, archive_file, limit)
            archive_file.seek(0)
            member = csv_member(archive_file, limit)
            try:
                header, rows = rows_of(member)
                target = AtomicCsv(dest) if dest is not None else None
                try:
                    sink = Rows(header, max_rows, request.count_by, target)
                    if target is not None and header:
                        target.write(header)
                    for row in rows:
                        sink.add(row)
                    updated = target.commit(apply=not self.module.check_mode) if target is not None else None
                finally:
                    if target is not None:
                        target.discard()
            finally:
                member.close()
        result = {'row_count': sink.count, 'columns': header, 'download_bytes': size}
        missing = [column for column, position in sink.count_by if position is None]
        if missing:
            request.warnings.append('count_by: the export has no column %s (its columns: %s)' % (', '.join(missing), ', '.join(header)))
        if request.count_by:
            result['counts'] = dict((column, dict(counter)) for column, counter in sink.counts.items())
        if dest is not None:
            result['dest'] = dest
            result['dest_updated'] = updated
        else:
            result['rows'] = sink.kept
            result['truncated'] = sink.count > len(sink.kept)
        return result
