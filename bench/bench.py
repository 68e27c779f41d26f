# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks against the emulator: requests per run and wall time.

    .venv/bin/python bench/bench.py [--repeat N] [--output bench/results/latest.json]

What matters for speed against real Graph is round trips, so each scenario reports the
token requests, Graph GETs and writes the emulator saw, plus the median wall time of the
ansible-playbook run (which is dominated by Ansible's own start-up, not by us).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from emulator.control import EmulatorControl, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

POLICY = '9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11'
RING0 = 'a2c7637a-cda5-e59e-2385-972c4ee528d2'
CONFIG = 'b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01'


def scenarios():
    ring = {'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'ring_id': RING0, 'deferral_in_days': 5}}
    rings = [{'graphops.intune.windows_update_ring': {'policy_id': POLICY, 'display_name': 'Bench %d' % i,
                                                      'deferral_in_days': i}} for i in range(10)]
    states = [{'device_id': 'bench-device-%03d' % i, 'device_display_name': 'PC-%03d' % i, 'status': 'upToDate',
               'last_scan_date_time': '2026-11-01T10:00:00.1234567+01:00'} for i in range(100)]
    bulk = {'graphops.intune.device_update_state': {'device_configuration_id': CONFIG, 'states': states}}
    return [
        ('ring already as desired (by id)', [ring]),
        ('10 rings by display name', rings),
        ('100 device update states in bulk', [bulk]),
        ('demo playbook', os.path.join(REPO, 'playbooks', 'demo.yml')),
    ]


def run_playbook(tasks, env, workdir):
    if isinstance(tasks, str):
        playbook = tasks
    else:
        playbook = os.path.join(workdir, 'bench.yml')
        with open(playbook, 'w') as handle:
            yaml.safe_dump([{'name': 'bench', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], handle)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', 'ansible_python_interpreter=' + sys.executable, playbook]
    started = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit('bench playbook failed:\n' + proc.stdout[-3000:] + proc.stderr[-3000:])
    return elapsed


def count(log):
    graph = [e for e in log if e.get('kind') == 'graph' and not e.get('in_batch')]
    inner = [e for e in log if e.get('kind') == 'graph' and e.get('in_batch')]
    return {
        'token_requests': len([e for e in log if e.get('kind') == 'token']),
        'discovery_requests': len([e for e in log if e.get('kind') == 'discovery']),
        'http_requests_to_graph': len(graph),
        'gets': len([e for e in graph if e['method'] == 'GET']),
        'writes': len([e for e in graph + inner if e['method'] in ('POST', 'PATCH', 'DELETE') and not e['path'].endswith('$batch')]),
        'batch_posts': len([e for e in graph if e['path'].endswith('$batch')]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3, help='timed converged runs per scenario')
    parser.add_argument('--output', default=os.path.join(REPO, 'bench', 'results', 'latest.json'))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='graphops-bench-')
    collections = os.path.join(workdir, 'collections', 'ansible_collections', 'graphops')
    os.makedirs(collections)
    os.symlink(REPO, os.path.join(collections, 'intune'))
    emulator = start_emulator(os.path.join(REPO, 'tests', 'emulator', 'seed.yml'), os.path.join(workdir, 'emulator'))
    control = EmulatorControl(emulator.url, emulator.ca_bundle)
    results = []
    try:
        for name, tasks in scenarios():
            control.reset()
            cache = os.path.join(workdir, 'token_cache.json')
            if os.path.exists(cache):
                os.unlink(cache)
            env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, 'collections'), ANSIBLE_LOCALHOST_WARNING='false',
                       AZURE_TENANT_ID='11111111-1111-1111-1111-111111111111', AZURE_CLIENT_ID='22222222-2222-2222-2222-222222222222',
                       AZURE_CLIENT_SECRET='emulator-demo-secret', GRAPH_ENDPOINT=emulator.url, AZURE_AUTHORITY_HOST=emulator.url,
                       REQUESTS_CA_BUNDLE=emulator.ca_bundle, GRAPH_TOKEN_CACHE=cache)
            first_time = run_playbook(tasks, env, workdir)
            first = count(control.requests())
            times = []
            converged = None
            for dummy in range(args.repeat):
                control.clear_requests()
                times.append(run_playbook(tasks, env, workdir))
                converged = count(control.requests())
            results.append({'scenario': name, 'first_run': dict(first, seconds=round(first_time, 2)),
                            'converged_run': dict(converged, seconds_median=round(statistics.median(times), 2))})
    finally:
        emulator.stop()
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, 'w') as handle:
        json.dump(results, handle, indent=2)
    print('%-36s %-44s %s' % ('scenario', 'first run (token/GET/write/batch, s)', 'converged run'))
    for row in results:
        f, c = row['first_run'], row['converged_run']
        print('%-36s %d/%d/%d/%d %5.2fs%23s %d/%d/%d/%d %5.2fs' % (
            row['scenario'], f['token_requests'], f['gets'], f['writes'], f['batch_posts'], f['seconds'], '',
            c['token_requests'], c['gets'], c['writes'], c['batch_posts'], c['seconds_median']))


if __name__ == '__main__':
    main()
