# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""README.md's "Try it" section and its ad-hoc examples, run verbatim as a newcomer would.

`bash scripts/try.sh start` is run as the README says; its `export` lines are the only set-up the
other commands get (a clean environment: no venv on PATH, no AZURE_/GRAPH_/ANSIBLE_ variables, a
fresh HOME and working directory). Every command of the section's bash blocks, then every
`ansible localhost` command found anywhere in the README, then every YAML example of the README
(tasks, plays, the inventory file) must succeed against that tenant; `try.sh stop` must stop the
emulator. Edit the README and this test reads the new text."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import yaml

from conftest import BIN, REPO

README = os.path.join(REPO, 'README.md')
START = 'bash scripts/try.sh start'
STOP = 'bash scripts/try.sh stop'


def logical_lines(block):
    """A bash block's commands: continuation lines joined, blank and comment-only lines left out."""
    out, current = [], ''
    for line in block.splitlines():
        if line.rstrip().endswith('\\'):
            current += line.rstrip()[:-1] + ' '
            continue
        current += line
        if current.strip() and not current.strip().startswith('#'):
            out.append(current.strip())
        current = ''
    return out


def bash_blocks(text):
    return re.findall(r'^```bash\n(.*?)^```', text, flags=re.S | re.M)


def readme_commands():
    """(the Try it section's commands, the README's other `ansible localhost` commands)."""
    with open(README) as handle:
        text = handle.read()
    found = re.search(r'^## Try it.*?(?=^## )', text, flags=re.S | re.M)
    assert found, 'README.md has no "## Try it" section'
    section = found.group(0)
    tried = [command for block in bash_blocks(section) for command in logical_lines(block)]
    others = [command for block in bash_blocks(text.replace(section, '')) for command in logical_lines(block)
              if command.startswith('ansible localhost ')]
    return tried, others


# What the README's YAML examples leave to the reader (variables in {{ }} and the states.csv file the role example
# names), filled in with ids of the showcase tenant that `try.sh start` sets up.
EXAMPLE_VARS = {
    'policy_id': '9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11',
    'ring_id': 'c4e9859c-efc7-4a7b-95a7-b94e6aa74af4',  # Ring2 - Broad, not paused: the lookup example's query runs
    'lab_devices': [{'device_id': 'd1e2f3a4-0000-4000-8000-000000000001', 'status': 'upToDate'},
                    {'device_id': 'd1e2f3a4-0000-4000-8000-000000000002', 'status': 'pendingReboot'}],
    'vault_graph_client_id': '22222222-2222-2222-2222-222222222222',
    'vault_graph_client_secret': 'emulator-demo-secret',
}
EXAMPLE_FILES = {'states.csv': 'device_id,status\nd1e2f3a4-0000-4000-8000-000000000003,upToDate\n'}


# Marks the one README example not run here: async/poll in the Try it shell ends 'could not find job' on
# ansible-core 2.21 (under investigation); the same async/poll task runs in test_device_update_state_longrun.py.
NOT_RUN = '# (not run by test_readme.py)'


def yaml_examples():
    """(kind, text) of each ```yaml block of the README: 'inventory' (a plugin's file), 'plays' or 'tasks'."""
    with open(README) as handle:
        text = handle.read()
    out = []
    for block in re.findall(r'^```yaml\n(.*?)^```', text, flags=re.S | re.M):
        if NOT_RUN in block:
            continue  # an async task: covered by test_device_update_state_longrun.py (see the marker's comment)
        data = yaml.safe_load(block)
        if isinstance(data, dict) and 'plugin' in data:
            out.append(('inventory', block))
        elif isinstance(data, list) and data and all(isinstance(item, dict) and 'hosts' in item for item in data):
            out.append(('plays', block))
        else:
            assert isinstance(data, list) and all(isinstance(item, dict) for item in data), block
            out.append(('tasks', block))
    return out


def run_yaml_example(kind, block, work, script_head, env):
    """Run one YAML example of the README in the Try it environment; returns (command, CompletedProcess)."""
    if kind == 'inventory':
        found = re.match(r'#\s*(\S+managed_devices\.yml)', block)
        assert found, 'the inventory example names no file: %s' % block
        path = work / found.group(1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block)
        command = 'ansible-inventory -i %s --graph' % found.group(1)
    else:
        playbook = work / 'example.yml'
        if kind == 'tasks':
            plays = [{'name': 'README example', 'hosts': 'localhost', 'gather_facts': False, 'tasks': yaml.safe_load(block)}]
            playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
        else:
            playbook.write_text(block)
        command = "ansible-playbook example.yml -e '%s'" % json.dumps(EXAMPLE_VARS)
    proc = subprocess.run(['bash', '-c', script_head + '\n' + command + '\n'], cwd=str(work), env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    return command, proc


def alive(pid):
    """Whether process `pid` runs (a zombie waiting for its parent does not)."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def test_readme_yaml_examples_parse():
    kinds = [example[0] for example in yaml_examples()]
    assert kinds.count('inventory') == 1 and kinds.count('plays') >= 2 and kinds.count('tasks') >= 6, kinds


def test_readme_commands_parse():
    tried, others = readme_commands()
    assert tried[0] == START and tried[-1] == STOP
    assert sum(c.startswith('ansible localhost -m graphops.intune.') for c in tried) >= 3
    assert any(c.startswith('ansible-playbook graphops.intune.report ') for c in tried)
    assert len(others) >= 2  # the pause example and the per-cloud one


def test_try_it_and_every_adhoc_example_work_verbatim(tmp_path):
    tried, others = readme_commands()
    home = tmp_path / 'home'
    work = tmp_path / 'work'
    home.mkdir()
    work.mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_', 'GRAPHOPS_', 'REQUESTS_', 'VIRTUAL_ENV'))}
    path = [p for p in env.get('PATH', '/usr/bin:/bin').split(os.pathsep) if os.path.abspath(p) != BIN]
    env.update({'HOME': str(home), 'PATH': os.pathsep.join(path), 'ANSIBLE_NOCOLOR': '1',
                # Only where the emulator keeps its state and which venv is used: a test must not touch .try/.
                'GRAPHOPS_EMULATOR_DIR': str(tmp_path / 'try'), 'GRAPHOPS_VENV': os.path.dirname(BIN)})
    probe = subprocess.run(['bash', '-c', 'command -v ansible'], env=env, capture_output=True, text=True, check=False)
    assert os.path.dirname(probe.stdout.strip()) != BIN  # without the exports, the venv's ansible is not found

    start = subprocess.run(['bash', '-c', tried[0]], cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
                           check=False)
    assert start.returncode == 0, start.stdout + start.stderr
    try:
        exports = start.stdout
        assert 'Paste these lines' in start.stderr
        names = set(re.findall(r'^export ([A-Z_]+)=', exports, flags=re.M))
        assert {'GRAPH_ENDPOINT', 'AZURE_AUTHORITY_HOST', 'REQUESTS_CA_BUNDLE', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID',
                'AZURE_CLIENT_SECRET', 'GRAPH_TOKEN_CACHE', 'ANSIBLE_COLLECTIONS_PATH', 'PATH'} <= names, exports
        outputs = []
        for command in tried[1:-1] + others:
            script = exports + '\n' + command + '\n'
            proc = subprocess.run(['bash', '-c', script], cwd=str(work), env=env, capture_output=True, text=True,
                                  timeout=300, check=False)
            outputs.append(proc.stdout)
            assert proc.returncode == 0, '%s\n%s%s' % (command, proc.stdout, proc.stderr)
            assert 'WARNING' not in proc.stdout + proc.stderr, '%s\n%s%s' % (command, proc.stdout, proc.stderr)
            if command.startswith('ansible localhost '):
                assert re.search(r'^localhost \| (SUCCESS|CHANGED) =>', proc.stdout, flags=re.M), proc.stdout
            else:
                assert re.search(r'^localhost +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0', proc.stdout, flags=re.M)
        outputs = '\n'.join(outputs)
        # What the section promises: the rings, a check-mode diff, the failed devices and a report.
        assert '"displayName": "Ring0 - IT devices"' in outputs
        assert '-    "deferralInDays": 3,\n+    "deferralInDays": 5,' in outputs
        assert '"status": "failed"' in outputs
        assert (work / 'report' / 'update-report.html').is_file()

        # Every YAML example of the README, against the same tenant (after the commands above: they change it).
        for name, content in EXAMPLE_FILES.items():
            (work / name).write_text(content)
        for kind, block in yaml_examples():
            command, proc = run_yaml_example(kind, block, work, exports, env)
            shown = '%s\n%s\n%s%s' % (block, command, proc.stdout, proc.stderr)
            assert proc.returncode == 0, shown
            assert 'WARNING' not in proc.stdout + proc.stderr, shown
            if kind == 'inventory':
                assert 'CONTOSO-LT-0142' in proc.stdout and '@update_' in proc.stdout, shown
            else:
                assert re.search(r'^localhost +: ok=[1-9]\d* +changed=\d+ +unreachable=0 +failed=0', proc.stdout, flags=re.M), shown
    finally:
        pid_file = tmp_path / 'try' / 'pid'
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        stop = subprocess.run(['bash', '-c', tried[-1]], cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
                              check=False)
    assert stop.returncode == 0, stop.stderr
    assert pid is not None
    if alive(pid):  # try.sh stop returns once the emulator has exited
        os.kill(pid, signal.SIGKILL)
        raise AssertionError('try.sh stop returned with the emulator still running')


def clean_env(tmp_path):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_', 'GRAPHOPS_', 'REQUESTS_', 'VIRTUAL_ENV'))}
    env.update({'HOME': str(tmp_path), 'GRAPHOPS_EMULATOR_DIR': str(tmp_path / 'try'), 'GRAPHOPS_VENV': os.path.dirname(BIN)})
    return env


def test_try_stop_returns_once_the_emulator_has_exited(tmp_path):
    """`try.sh stop` waits (bounded) for the emulator to exit: right after it returns, the process is gone."""
    env = clean_env(tmp_path)
    start = subprocess.run(['bash', 'scripts/try.sh', 'start'], cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
                           check=False)
    assert start.returncode == 0, start.stdout + start.stderr
    pid = int((tmp_path / 'try' / 'pid').read_text())
    assert alive(pid)
    began = time.monotonic()
    stop = subprocess.run(['bash', 'scripts/try.sh', 'stop'], cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    took = time.monotonic() - began
    gone = not alive(pid)
    if not gone:
        os.kill(pid, signal.SIGKILL)
    assert stop.returncode == 0, stop.stderr
    assert gone, 'try.sh stop returned after %.1f s with the emulator still running' % took
    assert took < 30 and 'Emulator stopped.' in stop.stderr
    # Stopping again (nothing runs) is fine.
    again = subprocess.run(['bash', 'scripts/try.sh', 'stop'], cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
                           check=False)
    assert again.returncode == 0, again.stderr
