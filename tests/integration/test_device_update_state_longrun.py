# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Long bulk runs (issue 23): the estimate of check mode, the progress file read while an async task runs, and a
10,000-state run killed part-way then run again. The emulator's throttle budget is scaled up so that they stay fast."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import yaml

from integration.conftest import BIN, writes
from integration.test_device_update_state_bulk import bulk, config_states, device, seed_with_states


def states_csv(path, count, status='failed'):
    path.write_text('device_id,status\n' + ''.join('%s,%s\n' % (device(number), status) for number in range(count)))
    return str(path)


def budget(graph, writes_per_second):
    graph.configure(throttle={'buckets': [{'scope': 'app', 'methods': 'write', 'limit': writes_per_second, 'window': 1}]})


def process_tree(pid):
    """pid and its descendants (by parent pid: Ansible's workers start their own session, so a process group misses them)."""
    parents = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as handle:
                    parents.setdefault(int(handle.read().rsplit(')', 1)[1].split()[1]), []).append(int(entry))
            except OSError:
                continue
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def _cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return handle.read().decode('utf-8', 'replace')
    except OSError:
        return ''


def kill_tree(pid):
    for member in process_tree(pid):
        try:
            os.kill(member, signal.SIGKILL)
        except OSError:
            pass


class Tail(threading.Thread):
    """Reads a file as `tail -f` does, while it grows: every complete line, and whether a read ever ended mid-line."""

    def __init__(self, path):
        super(Tail, self).__init__(daemon=True)
        self.path = path
        self.lines = []
        self.half_lines = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set() and not os.path.exists(self.path):
            time.sleep(0.01)
        handle = None
        while not self.stop.wait(0.005) or handle is not None:
            if handle is None:
                handle = open(self.path, 'rb')  # pylint: disable=consider-using-with
            chunk = handle.read()
            if chunk:
                if not chunk.endswith(b'\n'):
                    self.half_lines += 1
                    chunk += handle.readline()  # the rest of the line (what a reader that waits would get)
                self.lines.extend(json.loads(line) for line in chunk.decode('utf-8').splitlines())
            elif self.stop.is_set():
                handle.close()
                handle = None


def test_check_mode_says_how_long_at_the_published_budget(ansible, graph, tmp_path):
    seed_with_states(graph, 100)
    path = states_csv(tmp_path / 'states.csv', 300)  # 100 updates, 200 creates
    run = ansible([bulk(states_file=path), bulk('shared budget', states_file=path, max_rate=1)], check=True)
    assert run.rc == 0, run.output
    first, second = run.results[0]['result'], run.results[1]['result']
    assert first['planned'] == {'created': 200, 'updated': 100, 'deleted': 0} and first['estimated_seconds'] == 60
    assert first['msg'].startswith('300 writes (200 creates, 100 updates), about 60 s at 100 writes / 20 s')
    assert second['estimated_seconds'] == 300 and 'about 5 min at max_rate 1 writes / s' in second['msg']
    assert writes(graph.requests()) == []


def test_progress_file_of_an_async_task_read_from_another_process(ansible, graph, tmp_path):
    """The way AWX runs a long task (async + poll): a second reader follows the progress file as tail -f would."""
    seed_with_states(graph, 500)
    graph.set_page_size(1000)
    budget(graph, 150)  # 1,500 writes: about 10 s
    progress = str(tmp_path / 'progress.jsonl')
    tail = Tail(progress)
    tail.start()
    task = dict(bulk(states_file=states_csv(tmp_path / 'states.csv', 1500), progress_file=progress, max_concurrency=2),
                register='reconcile', **{'async': 300, 'poll': 1})
    try:
        run = ansible([task])
    finally:
        tail.stop.set()
        tail.join(10)
    assert run.rc == 0, run.output
    assert (run.last['result']['created'], run.last['result']['updated']) == (1000, 500)
    lines = tail.lines
    assert tail.half_lines == 0  # every read ended at the end of a line
    assert [line['event'] for line in (lines[0], lines[-1])] == ['start', 'done'] and len(lines) >= 77  # one per $batch answer
    assert lines[0]['planned'] == {'created': 1000, 'updated': 500, 'deleted': 0} and lines[0]['estimated_seconds'] == 300
    done = [line['done'] for line in lines]
    assert done == sorted(done) and done[-1] == 1500 and lines[-1]['remaining'] == 0 and lines[-1]['failed'] == 0
    assert all(line['done'] + line['remaining'] == 1500 for line in lines)
    writing = [line for line in lines if line['event'] == 'writing']
    assert all(line['pace'] > 0 for line in writing[1:]) and any(line['eta_seconds'] > 0 for line in writing)
    with open(progress) as handle:
        assert [json.loads(line) for line in handle] == lines  # what the reader saw is the file


def test_a_run_killed_part_way_resumes_with_only_what_it_had_not_done(ansible, graph, tmp_path):
    """10,000 writes (5,000 updates, 5,000 creates); the module and ansible-playbook are killed part-way, then the task
    is run again: it writes exactly what the first run had not applied, and creates no state twice."""
    seed_with_states(graph, 5000)
    graph.set_page_size(1000)
    budget(graph, 400)  # about 25 s for the whole run
    graph.clear_requests()
    progress = str(tmp_path / 'progress.jsonl')
    path = states_csv(tmp_path / 'states.csv', 10000)
    playbook = tmp_path / 'long.yml'
    playbook.write_text(yaml.safe_dump([{'name': 'long', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        bulk(states_file=path, progress_file=progress, max_concurrency=4)]}]))
    inventory = tmp_path / 'hosts.yml'
    inventory.write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': os.path.join(BIN, 'python')}}}}))
    proc = subprocess.Popen([os.path.join(BIN, 'ansible-playbook'), '-i', str(inventory), str(playbook)], env=ansible.env({}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        done = 0
        while done < 3000:  # part-way: some thousands of writes applied, most not
            assert proc.poll() is None and time.monotonic() < deadline, 'the run ended before it could be killed'
            time.sleep(0.2)
            if os.path.exists(progress):
                with open(progress) as handle:
                    last = handle.read().splitlines()[-1:]
                done = json.loads(last[0])['done'] if last else 0
    finally:
        module = [pid for pid in process_tree(proc.pid) if 'AnsiballZ_device_update_state' in _cmdline(pid)]
        kill_tree(proc.pid)  # ansible-playbook, its worker and the module
        proc.wait(30)
    assert module, 'the module process was not found'
    while any(os.path.exists('/proc/%d' % pid) and 'AnsiballZ' in _cmdline(pid) for pid in module):
        time.sleep(0.1)
    while graph.stats()['in_flight']:  # the batches the emulator was serving when the run died are applied
        time.sleep(0.2)
    with open(progress) as handle:
        last = json.loads(handle.read().splitlines()[-1])
    assert last['event'] == 'writing' and 3000 <= last['done'] < 10000  # killed: no 'done' line

    by_id = dict(('aaaaaaaa-0000-4000-8000-%012d' % number, device(number)) for number in range(5000))
    logged = set()
    for entry in writes(graph.requests()):
        if 200 <= entry['status'] < 300:
            logged.add((entry['method'], entry['body']['deviceId'] if entry['method'] == 'POST' else by_id[entry['path'].rsplit('/', 1)[-1]]))
    # What the first run applied, as the tenant holds it: the answered writes, and those of the $batch requests the
    # emulator was serving when the client died (applied, never answered, so not in the log).
    listed = set(device(number) for number in range(10000))
    after_kill = [s for s in config_states(graph) if s['deviceId'] in listed]
    applied = set(('POST' if s['id'] not in by_id else 'PATCH', s['deviceId']) for s in after_kill if s['status'] == 'failed')
    assert logged <= applied
    assert 3000 <= len(applied) < 10000

    graph.clear_requests()
    run = ansible([bulk(states_file=path, max_concurrency=4)])
    assert run.rc == 0, run.output
    second = run.last['result']
    assert second['created'] + second['updated'] == 10000 - len(applied) and second['unchanged'] == len(applied)
    sent = set()
    for entry in writes(graph.requests()):
        assert 200 <= entry['status'] < 300 or entry['status'] == 429
        if entry['status'] != 429:
            sent.add((entry['method'], entry['body']['deviceId'] if entry['method'] == 'POST' else by_id[entry['path'].rsplit('/', 1)[-1]]))
    everything = set(('PATCH', device(n)) for n in range(5000)) | set(('POST', device(n)) for n in range(5000, 10000))
    assert sent == everything - applied  # only what the first run had not done
    final = [s for s in config_states(graph) if s['deviceId'] in listed]
    assert len(final) == len(set(s['deviceId'] for s in final)) == 10000  # no duplicate create
    assert all(s['status'] == 'failed' for s in final)


def test_a_few_creates_in_a_large_collection_are_read_back_by_key(ansible, graph):
    """The verification of 5 creates in a collection of 7 pages: one $batch of 5 filtered GETs, not the 7 pages again."""
    seed_with_states(graph, 300)  # pages of 50
    graph.clear_requests()
    items = [{'device_id': device(number), 'status': 'upToDate'} for number in range(300, 305)]
    run = ansible([bulk(states=items)])
    assert run.rc == 0, run.output
    assert run.last['result']['created'] == 5
    log = graph.requests()
    pages = [e for e in log if e.get('kind') == 'graph' and e['method'] == 'GET' and not e.get('in_batch')]
    filtered = [e for e in log if e.get('kind') == 'graph' and e['method'] == 'GET' and e.get('in_batch')]
    assert len(pages) == 7  # the first read only
    assert sorted(str(e['query'].get('$filter')) for e in filtered) == ["deviceId eq '%s'" % device(n) for n in range(300, 305)]
    assert all(e['status'] == 200 for e in filtered)
    states = [s['deviceId'] for s in config_states(graph)]
    assert len(states) == len(set(states))
