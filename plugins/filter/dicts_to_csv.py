# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: dicts_to_csv
short_description: Write a list of dicts as CSV text
version_added: 0.1.0
author:
  - graphops.intune maintainers (@graphops)
description:
  - Turns a list of dicts into CSV text with a header row, quoted as RFC 4180 says (C(csv) module of Python, C(excel)
    dialect, C(\n) line ends), ready for C(ansible.builtin.copy) with C(content).
  - C(null) is written as an empty cell, booleans as C(true) and C(false), lists and dicts as JSON.
  - The output of this filter read back with P(graphops.intune.csv_to_dicts#filter) gives the same rows (strings, empty
    cells left out).
options:
  _input:
    description: The rows.
    type: list
    elements: dict
    required: true
  columns:
    description:
      - The columns, in order. A key of a row that is not listed is left out; a listed key that a row lacks is an empty
        cell.
      - By default, every key of the rows in the order in which they first appear.
    type: list
    elements: str
  delimiter:
    description: The one-character field delimiter.
    type: str
    default: ','
seealso:
  - plugin: graphops.intune.csv_to_dicts
    plugin_type: filter
'''

EXAMPLES = r'''
- name: The update states of a configuration as a CSV file
  ansible.builtin.copy:
    dest: /var/tmp/states.csv
    content: "{{ result.update_states | graphops.intune.dicts_to_csv(columns=['deviceId', 'deviceDisplayName', 'status']) }}"
    mode: '0644'
'''

RETURN = r'''
_value:
  description: The CSV text, header first, every line ended by C(\n). Only the header line when the list is empty and
    O(columns) is given; an empty string when neither gives a column.
  type: str
'''

import csv
import io
import json
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError


def _cell(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (str, int, float)):
        return str(value)
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError('dicts_to_csv: cannot write %r: %s' % (value, exc))


def dicts_to_csv(rows, columns=None, delimiter=','):
    """list of dicts -> CSV text; see DOCUMENTATION."""
    if rows is None:
        rows = []
    if isinstance(rows, (str, bytes, Mapping)) or not hasattr(rows, '__iter__'):
        raise AnsibleFilterError('dicts_to_csv expects a list of dicts, got %s' % type(rows).__name__)
    rows = list(rows)
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError('dicts_to_csv: item %d is a %s, not a dict' % (index, type(row).__name__))
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise AnsibleFilterError('dicts_to_csv: delimiter must be one character, got %r' % (delimiter,))
    if columns is None:
        columns = []
        for row in rows:
            columns.extend(str(key) for key in row if str(key) not in columns)
    else:
        columns = [str(column) for column in columns]
    if not columns:
        return ''
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator='\n')
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


class FilterModule(object):
    def filters(self):
        return {'dicts_to_csv': dicts_to_csv}
