# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Memory of intune_report_export on a large report: the module process's peak RSS.

    .venv/bin/python bench/report_export.py [--rows 500000] [--max-rss-mb 150] [--output bench/results/report_export.json]

The emulator generates a FeatureUpdateDeviceState report of --rows devices (every column, localized
values as additional columns); the real module runs it through ansible-playbook twice, once writing
dest and once returning rows (max_rows 1000) with counts by state. The module's Python is started
through a small wrapper that records the peak RSS of that process alone (getrusage of its child), so
Ansible's own controller process is not counted. Exits 1 when a run goes over --max-rss-mb.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from emulator.control import start_emulator  # noqa: E402  pylint: disable=wrong-import-position
from emulator.reports import DEFAULT_PROFILES, configure  # noqa: E402  pylint: disable=wrong-import-position

FEATURE = DEFAULT_PROFILES['feature'][0]['id']
WRAPPER = '''#!%(python)s
import json, os, resource, subprocess, sys
code = subprocess.call([%(python)r] + sys.argv[1:])
with open(%(record)r, "a") as handle:
    handle.write(json.dumps({"max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}) + "\\n")
sys.exit(code)
'''


def run(tasks, env, workdir, python):
    playbook = os.path.join(workdir, 'bench.yml')
    with open(playbook, 'w') as handle:
        yaml.safe_dump([{'name': 'bench', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], handle)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', 'ansible_python_interpreter=' + python, playbook]
    started = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        raise SystemExit('ansible-playbook failed:\n' + proc.stdout[-4000:] + proc.stderr[-4000:])
    return time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--rows', type=int, default=500000)
    parser.add_argument('--max-rss-mb', type=float, default=150)
    parser.add_argument('--output', help='write the results as JSON here')
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix='graphops-bench-export-')
    collections = os.path.join(workdir, 'collections', 'ansible_collections', 'graphops')
    os.makedirs(collections)
    os.symlink(REPO, os.path.join(collections, 'intune'))
    record = os.path.join(workdir, 'rss.jsonl')
    python = os.path.join(workdir, 'python-rss')
    with open(python, 'w') as handle:
        handle.write(WRAPPER % {'python': sys.executable, 'record': record})
    os.chmod(python, 0o700)
    results = []
    with start_emulator(os.path.join(REPO, 'tests', 'emulator', 'seed.yml'), os.path.join(workdir, 'emulator')) as emulator:
        control = emulator.control()
        configure(control, synthetic_rows=args.rows, polls_in_progress=0)
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_')))
        env.update({'ANSIBLE_COLLECTIONS_PATH': os.path.join(workdir, 'collections'), 'ANSIBLE_NOCOLOR': '1',
                    'ANSIBLE_LOCALHOST_WARNING': 'false', 'ANSIBLE_HOME': os.path.join(workdir, 'home'),
                    'AZURE_TENANT_ID': '11111111-1111-1111-1111-111111111111', 'AZURE_CLIENT_ID': '22222222-2222-2222-2222-222222222222',
                    'AZURE_CLIENT_SECRET': 'emulator-demo-secret', 'GRAPH_ENDPOINT': emulator.url, 'AZURE_AUTHORITY_HOST': emulator.url,
                    'REQUESTS_CA_BUNDLE': emulator.ca_bundle, 'GRAPH_TOKEN_CACHE': ''})
        base = {'report_name': 'FeatureUpdateDeviceState', 'filter': {'PolicyId': FEATURE}, 'wait_timeout': 3600, 'timeout': 600}
        scenarios = [
            ('dest (the whole report to a CSV file)', dict(base, dest=os.path.join(workdir, 'report.csv'))),
            ('rows (max_rows 1000) with counts by state', dict(base, max_rows=1000, count_by=['AggregateState', 'FeatureUpdateVersion'])),
        ]
        for name, module_args in scenarios:
            if os.path.exists(record):
                os.remove(record)
            seconds = run([{'graphops.intune.intune_report_export': module_args}], env, workdir, python)
            with open(record) as handle:
                rss_mb = max(json.loads(line)['max_rss_kb'] for line in handle if line.strip()) / 1024.0
            results.append({'scenario': name, 'rows': args.rows, 'seconds': round(seconds, 1), 'module_max_rss_mb': round(rss_mb, 1)})
            sys.stdout.write('%-45s %8d rows  %7.1f s  module peak RSS %6.1f MB\n' % (name, args.rows, seconds, rss_mb))
    bench_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if args.output:
        with open(args.output, 'w') as handle:
            json.dump({'results': results, 'limit_mb': args.max_rss_mb, 'bench_process_rss_mb': round(bench_rss, 1)}, handle, indent=2)
    over = [result for result in results if result['module_max_rss_mb'] > args.max_rss_mb]
    if over:
        sys.stdout.write('over the limit of %s MB: %s\n' % (args.max_rss_mb, ', '.join(result['scenario'] for result in over)))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
