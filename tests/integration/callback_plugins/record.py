# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: write every task result of a run to $GRAPHOPS_RECORD as JSON lines."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r'''
name: record
type: aggregate
short_description: write task results to a JSON lines file (tests only)
description:
  - Writes one JSON object per task result to the file named by GRAPHOPS_RECORD.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record'
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, status):
        target = os.environ.get('GRAPHOPS_RECORD')
        if not target:
            return
        data = dict(result._result)
        entry = {'task': result._task.get_name(), 'host': result._host.get_name(), 'status': status,
                 'action': result._task.action, 'result': data}
        with open(target, 'a') as handle:
            handle.write(json.dumps(entry, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._write(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._write(result, 'skipped')
