# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode of every resource module, table-driven (check_mode_cases.py): changes pending, no write, the diff shown."""

from __future__ import annotations

from integration import check_mode_cases as cases
from conftest import writes

P = 'graphops.intune.'


def test_every_resource_module_in_check_mode_sends_no_write_and_reports_the_diff(ansible, graph):
    tasks = [{'name': case, P + module: args} for case, module, args, dummy in cases.CHECK_MODE_CASES]
    run = ansible(tasks, check=True, diff=True)
    assert run.rc == 0, run.output
    problems = []
    for case, module, dummy, (name, value) in cases.CHECK_MODE_CASES:
        record = run.task(case)
        result = record['result']
        if record['status'] != 'changed':
            problems.append('%s: %s, not changed: %s' % (case, record['status'], result.get('msg')))
            continue
        diff = result.get('diff') or {}
        if diff.get('before') == diff.get('after'):
            problems.append('%s: the diff shows no change' % case)
        if (diff.get('after') or {}).get(name) != value:
            problems.append('%s: the diff does not show %s=%r: %r' % (case, name, value, diff.get('after')))
    assert problems == []
    log = graph.requests()
    assert writes(log) == []
    assert not [entry for entry in log if entry.get('kind') == 'graph' and entry['path'].endswith('/$batch')]
