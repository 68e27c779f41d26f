# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Bulk items read from a file as a stream (CSV with a header row, or JSON lines), one dict at a
time, checked as Ansible's argument_spec checks the items of a list option: known keys only,
scalar values as strings, choices, required keys. Nothing of the file is kept whole.
"""

from __future__ import annotations

import csv
import io
import json

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import ModuleInputError

FORMATS = ('csv', 'jsonl')
EXTENSIONS = {'.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl'}


def file_format(path, fmt='auto'):
    if fmt and fmt != 'auto':
        return fmt
    lowered = path.lower()
    for extension, name in EXTENSIONS.items():
        if lowered.endswith(extension):
            return name
    raise ModuleInputError('%s: cannot tell its format from its name; use .csv, .jsonl or .ndjson (JSON lines), '
                           'or set states_file_format' % path)


class ItemSpec(object):
    """What one item may hold: options (all strings), their choices, the required ones, and the
    columns that are read but not options (e.g. the role's device_configuration_id)."""

    def __init__(self, options, choices=None, required=(), extra=()):
        self.options = frozenset(options)
        self.choices = dict(choices or {})
        self.required = tuple(required)
        self.extra = frozenset(extra)


def _scalar(value, label, key):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise ModuleInputError('%s: %s must be a string, got %s' % (label, key, type(value).__name__))
    return str(value)


def check_row(row, spec, label):
    """The row as an item dict: empty values left out, extra columns kept aside; raises ModuleInputError."""
    unknown = sorted(key for key in row if key not in spec.options and key not in spec.extra)
    if unknown:
        raise ModuleInputError('%s: unsupported parameters: %s' % (label, ', '.join(str(k) for k in unknown)))
    item = {}
    for key, value in row.items():
        value = _scalar(value, label, key)
        if value is None or value == '':
            continue
        allowed = spec.choices.get(key)
        if allowed and value not in allowed:
            raise ModuleInputError('%s: %s must be one of %s, got %r' % (label, key, ', '.join(allowed), value))
        item[key] = value
    missing = [key for key in spec.required if key not in item]
    if missing:
        raise ModuleInputError('%s: missing required %s' % (label, ', '.join(missing)))
    return item


def _open(path):
    try:
        return io.open(path, 'r', encoding='utf-8-sig', newline='')
    except (IOError, OSError) as exc:
        raise ModuleInputError('cannot read states_file %s: %s' % (path, exc.strerror or exc))


def _csv_rows(handle, path):
    reader = csv.reader(handle, strict=True)
    header = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if '' in header or len(set(header)) != len(header):
                    raise ModuleInputError('%s line %d: the header has an empty or repeated column name' % (path, reader.line_num))
                continue
            if len(cells) > len(header):
                raise ModuleInputError('%s line %d: %d cells for %d columns' % (path, reader.line_num, len(cells), len(header)))
            yield reader.line_num, dict((name, cell.strip()) for name, cell in zip(header, cells))
    except csv.Error as exc:
        raise ModuleInputError('%s line %d: %s' % (path, reader.line_num, exc))


def _jsonl_rows(handle, path):
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ModuleInputError('%s line %d: not JSON (%s)' % (path, number, exc))
        if not isinstance(row, dict):
            raise ModuleInputError('%s line %d: each line must be a JSON object, got %s' % (path, number, type(row).__name__))
        yield number, row


def read_items(path, spec, fmt='auto', keep=None):
    """Yield (line number, item dict) for each row of the file, in order.

    keep(row) -> bool, called with the checked row (extra columns included) before they are
    dropped, selects the rows of this task (e.g. of one configuration).
    """
    fmt = file_format(path, fmt)
    if fmt not in FORMATS:
        raise ModuleInputError('states_file_format must be one of %s' % ', '.join(FORMATS))
    handle = _open(path)
    try:
        rows = _csv_rows(handle, path) if fmt == 'csv' else _jsonl_rows(handle, path)
        for number, row in rows:
            item = check_row(row, spec, '%s line %d' % (path, number))
            if keep is not None and not keep(item):
                continue
            for key in spec.extra:
                item.pop(key, None)
            yield number, item
    except UnicodeDecodeError as exc:
        raise ModuleInputError('%s is not UTF-8 text: %s' % (path, exc))
    finally:
        handle.close()
