# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: csv_to_dicts
short_description: Parse CSV text into a list of dicts
version_added: 0.1.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - Parses CSV text whose first row names the columns into one dict per row, keyed by the column names.
  - Made for files read on the controller with C(lookup('ansible.builtin.file', path)), since ansible-core has no CSV
    reader. The M(graphops.intune.device_update_state) bulk mode and the C(graphops.intune.device_update_states) role take
    rows whose columns are the module's option names.
  - A UTF-8 byte order mark (as spreadsheet programs write) is dropped, column names and values are stripped of
    surrounding spaces, and blank lines are skipped.
  - Quoting follows RFC 4180 (C(csv) module of Python, C(excel) dialect), so values can hold the delimiter, quotes and
    line breaks.
  - A row with more cells than the header has columns, an empty or repeated column name, and an unterminated quote fail
    with the line number.
options:
  _input:
    description: The CSV text, its first row being the header.
    type: str
    required: true
  delimiter:
    description: The one-character field delimiter.
    type: str
    default: ','
  keep_empty:
    description:
      - Keep empty cells (and cells missing at the end of a short row) as empty strings.
      - By default they are left out of the row's dict, so that the option they would set stays unset.
    type: bool
    default: false
seealso:
  - plugin: graphops.intune.dicts_to_csv
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Device update states from a CSV file, one dict per row
  ansible.builtin.set_fact:
    rows: "{{ lookup('ansible.builtin.file', 'states.csv') | graphops.intune.csv_to_dicts }}"

# states.csv:
#   device_id,status,quality_update_version
#   d1e2f3a4-0000-4000-8000-000000000001,upToDate,10.0.22631.3447
#   d1e2f3a4-0000-4000-8000-000000000002,pendingReboot,
# gives:
#   - {device_id: d1e2f3a4-0000-4000-8000-000000000001, status: upToDate, quality_update_version: 10.0.22631.3447}
#   - {device_id: d1e2f3a4-0000-4000-8000-000000000002, status: pendingReboot}

- name: Semicolon-separated values, empty cells kept
  ansible.builtin.debug:
    msg: "{{ 'a;b\n1;\n' | graphops.intune.csv_to_dicts(delimiter=';', keep_empty=true) }}"
  # [{a: '1', b: ''}]
'''

RETURN = r'''
_value:
  description: One dict per data row, in file order, with the column names as keys and the cells as strings.
  type: list
  elements: dict
'''

import csv
import io

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text


def csv_to_dicts(data, delimiter=',', keep_empty=False):
    """CSV text -> list of dicts; see DOCUMENTATION."""
    if data is None:
        return []
    if not isinstance(data, (str, bytes)):
        raise AnsibleFilterError('csv_to_dicts expects CSV text, got %s' % type(data).__name__)
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise AnsibleFilterError('csv_to_dicts: delimiter must be one character, got %r' % (delimiter,))
    text = to_text(data, errors='surrogate_or_strict')
    if text.startswith('\ufeff'):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter, strict=True)
    try:
        header = None
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank line
            if header is None:
                header = [cell.strip() for cell in cells]
                _check_header(header, reader.line_num)
                continue
            if len(cells) > len(header):
                raise AnsibleFilterError('csv_to_dicts: line %d has %d cells but the header has %d columns'
                                         % (reader.line_num, len(cells), len(header)))
            row = {}
            for name, cell in zip(header, cells + [''] * (len(header) - len(cells))):
                value = cell.strip()
                if value or keep_empty:
                    row[name] = value
            rows.append(row)
    except csv.Error as exc:
        raise AnsibleFilterError('csv_to_dicts: line %d: %s' % (reader.line_num, exc))
    return rows


def _check_header(header, line):
    seen = set()
    for position, name in enumerate(header, 1):
        if not name:
            raise AnsibleFilterError('csv_to_dicts: column %d of the header (line %d) has no name' % (position, line))
        if name in seen:
            raise AnsibleFilterError('csv_to_dicts: column %r appears twice in the header (line %d)' % (name, line))
        seen.add(name)


class FilterModule(object):
    def filters(self):
        return {'csv_to_dicts': csv_to_dicts}
