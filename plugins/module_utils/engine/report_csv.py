# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""An exported report as a stream: the CSV member of its zip, read row by row, written atomically.

Nothing here holds the report whole: the zip is read from a file, its member is decompressed
as it is read (at most `limit` bytes), the CSV is parsed a row at a time, and a destination
file is written to a temporary file next to it that replaces it only at the end (and only
when its content differs).
"""

from __future__ import annotations

import csv
import filecmp
import io
import os
import posixpath
import tempfile
import zipfile

csv.field_size_limit(16 * 1024 * 1024)  # one cell of an alert message may be long; a bomb is capped by the member limit


class ArchiveProblem(ValueError):
    """The zip is not what an export holds (truncated, not a zip, a hostile member); the message says which."""

    def __init__(self, message, code):
        super(ArchiveProblem, self).__init__(message)
        self.code = code


def unsafe_member_name(name):
    """Why a member name is refused (an absolute path, '..', a drive, a backslash, control characters), or None."""
    if not name or any(ord(char) < 32 for char in name):
        return 'is empty or holds control characters'
    if name.startswith(('/', '\\')) or (len(name) > 1 and name[1] == ':'):
        return 'is an absolute path'
    if '\\' in name:
        return 'holds a backslash'
    if '..' in posixpath.normpath(name).split('/') or '..' in name.split('/'):
        return "climbs out of its folder ('..')"
    return None


def csv_member(archive_file, limit):
    """The one CSV member of the zip in archive_file (a seekable binary file), as a binary stream.

    Refuses a truncated or non-zip file, a member with a hostile name (any member: an archive
    holding one is not an export), a member larger than limit bytes once decompressed, and
    an archive holding no CSV or several.
    """
    try:
        archive = zipfile.ZipFile(archive_file)  # pylint: disable=consider-using-with  # closed with the member
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ArchiveProblem('the downloaded file is not a readable zip (truncated or not a zip: %s)' % exc, 'BadZip')
    for member in members:
        problem = unsafe_member_name(member.filename)
        if problem:
            raise ArchiveProblem('the zip holds a member whose name %s (%r); refusing it' % (problem, member.filename[:200]), 'UnsafeZipMember')
    files = [member for member in members if not member.is_dir()]
    csvs = [member for member in files if member.filename.lower().endswith('.csv')] or (files if len(files) == 1 else [])
    if len(csvs) != 1:
        raise ArchiveProblem('the zip holds %d CSV files (%s); an export holds exactly one'
                             % (len(csvs), ', '.join(repr(m.filename) for m in files[:5]) or 'no member'), 'UnexpectedZipContent')
    member = csvs[0]
    if member.file_size > limit:
        raise ArchiveProblem('the CSV %r is %d bytes once decompressed, more than the limit of %d bytes (a zip bomb, or raise '
                             'max_size_mb)' % (member.filename, member.file_size, limit), 'ZipMemberTooLarge')
    try:
        stream = archive.open(member)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        raise ArchiveProblem('the CSV %r of the zip cannot be read: %s' % (member.filename, exc), 'BadZip')
    return _Limited(stream, limit, member.filename, archive)


class _Limited(io.RawIOBase):
    """A member stream that stops with ArchiveProblem past `limit` bytes, or when the zip turns out broken."""

    def __init__(self, stream, limit, name, archive):
        super(_Limited, self).__init__()
        self.stream, self.limit, self.name, self.archive, self.count = stream, limit, name, archive, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        try:
            data = self.stream.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
            raise ArchiveProblem('the CSV %r of the zip is damaged (truncated download?): %s' % (self.name, exc), 'BadZip')
        self.count += len(data)
        if self.count > self.limit:
            raise ArchiveProblem('the CSV %r grows past the limit of %d bytes once decompressed' % (self.name, self.limit), 'ZipMemberTooLarge')
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        try:
            self.stream.close()
            self.archive.close()
        finally:
            super(_Limited, self).close()


def rows_of(binary):
    """(header, iterator of rows as lists) of a CSV binary stream (UTF-8, with or without a BOM)."""
    text = io.TextIOWrapper(io.BufferedReader(binary, 1024 * 1024), encoding='utf-8-sig', newline='')
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    except UnicodeDecodeError as exc:
        raise ArchiveProblem('the CSV is not UTF-8: %s' % exc, 'BadCsv')
    return header, _checked(reader)


def _checked(reader):
    try:
        for row in reader:
            if row:
                yield row
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ArchiveProblem('the CSV cannot be parsed at line %d: %s' % (reader.line_num, exc), 'BadCsv')


class AtomicCsv(object):
    """A CSV written to a temporary file beside dest, which replaces dest on commit() only when the content differs.

    A new file gets mode 0600 (a report names users and devices); an existing dest keeps its mode.
    """

    def __init__(self, dest):
        self.dest = os.path.abspath(dest)
        directory = os.path.dirname(self.dest)
        if not os.path.isdir(directory):
            raise OSError('the directory of dest does not exist: %s' % directory)
        handle, self.temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(self.dest), suffix='.part', dir=directory)
        self.file = os.fdopen(handle, 'w', encoding='utf-8', newline='')
        self.writer = csv.writer(self.file, lineterminator='\n')

    def write(self, row):
        self.writer.writerow(row)

    def commit(self, apply=True):
        """True when dest changed (or would change, with apply False); the temporary file is always gone after."""
        try:
            self.file.close()
            same = os.path.isfile(self.dest) and filecmp.cmp(self.temp, self.dest, shallow=False)
            if same or not apply:
                return not same
            if os.path.exists(self.dest):
                os.chmod(self.temp, os.stat(self.dest).st_mode & 0o7777)
            os.replace(self.temp, self.dest)
            return True
        finally:
            self.discard()

    def discard(self):
        if not self.file.closed:
            self.file.close()
        if os.path.exists(self.temp):
            os.unlink(self.temp)
