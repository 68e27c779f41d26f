# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration fixtures: the emulator, and real ansible-playbook runs against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from emulator.control import EmulatorControl, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

SEED = os.path.join(REPO, 'tests', 'emulator', 'seed.yml')
BIN = os.path.dirname(sys.executable)

# Ids of tests/emulator/seed.yml
TENANT = '11111111-1111-1111-1111-111111111111'
DEMO_APP = '22222222-2222-2222-2222-222222222222'
DEMO_SECRET = 'emulator-demo-secret'
READER_APP = '33333333-3333-3333-3333-333333333333'
READER_SECRET = 'emulator-reader-secret'
POLICY = '9f3a5c1e-0b7d-4c2a-8e61-3d2f1a0b9c11'
EMPTY_POLICY = '0e5b7d21-6c3f-4a9e-b2d8-7f1c4e9a3b22'
RING0 = 'a2c7637a-cda5-e59e-2385-972c4ee528d2'
WUFB_CONFIG = 'b6f1a2d4-0d3b-4c2e-9a61-5e2f7c1d9e01'
OTHER_CONFIG = 'c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c'
DEVICE1 = 'd1e2f3a4-0000-4000-8000-000000000001'
USER1 = 'e5f6a7b8-0000-4000-8000-000000000001'


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    """ansible_collections/graphops/intune -> this checkout."""
    root = tmp_path_factory.mktemp('collections')
    namespace = root / 'ansible_collections' / 'graphops'
    namespace.mkdir(parents=True)
    (namespace / 'intune').symlink_to(REPO)
    return str(root)


def tool_env(home):
    """Environment for ansible-galaxy and friends: this venv first, no inherited Ansible/Graph settings."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_')))
    env.update({'PATH': BIN + os.pathsep + env.get('PATH', ''), 'ANSIBLE_HOME': str(home), 'ANSIBLE_NOCOLOR': '1'})
    return env


@pytest.fixture(scope='session')
def collection_tarball(tmp_path_factory):
    """ansible-galaxy collection build of this working tree (what a release would publish)."""
    out = tmp_path_factory.mktemp('build')
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(out), REPO],
                          env=tool_env(out / 'home'), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [tarball] = out.glob('graphops-intune-*.tar.gz')
    return str(tarball)


@pytest.fixture(scope='session')
def installed_collection(tmp_path_factory, collection_tarball):
    """A clean collections path holding only the collection installed from the built tarball."""
    root = tmp_path_factory.mktemp('installed')
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--no-deps',
                           collection_tarball, '-p', str(root)],
                          env=tool_env(root.parent / (root.name + '-home')), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (root / 'ansible_collections' / 'graphops' / 'intune' / 'MANIFEST.json').is_file(), proc.stdout
    return str(root)


@pytest.fixture(scope='session')
def emulator_process(tmp_path_factory):
    process = start_emulator(SEED, str(tmp_path_factory.mktemp('emulator')))
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope='session')
def app_certificate():
    """(private key, self-signed certificate) for a certificate-credential app registration (RSA: msal signs with RS256)."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'graphops test app')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    return key, cert


@pytest.fixture
def graph(emulator_process):
    """A freshly seeded emulator (state, log and faults reset) and its control API."""
    control = EmulatorControl(emulator_process.url, emulator_process.ca_bundle)
    control.reset()
    return control


class Run(object):
    """One ansible-playbook (or ansible) run: rc, output, and the recorded task results."""

    def __init__(self, proc, records):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.results = records

    @property
    def output(self):
        return self.stdout + self.stderr

    def task(self, name):
        found = [r for r in self.results if r['task'] == name]
        assert found, 'no result for task %r in %s\n%s' % (name, [r['task'] for r in self.results], self.output)
        return found[-1]

    @property
    def last(self):
        assert self.results, self.output
        return self.results[-1]

    def statuses(self):
        return [r['status'] for r in self.results]


@pytest.fixture
def ansible(graph, emulator_process, collections_path, tmp_path):
    """ansible(tasks | playbook path, check=False, diff=False, env={}, verbosity=0) -> Run.

    Runs real ansible-playbook on localhost with the venv's Python pinned, the emulator's
    endpoints and CA, and the demo app's credentials in the environment (the common options' variables).
    """
    cache = str(tmp_path / 'token_cache.json')

    def environment(extra):
        env = dict(os.environ)
        for name in list(env):
            if name.startswith(('AZURE_', 'GRAPH_', 'ANSIBLE_')):
                del env[name]
        env.update({
            'PATH': BIN + os.pathsep + env.get('PATH', ''),
            'ANSIBLE_COLLECTIONS_PATH': collections_path,
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'record',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_HOME': str(tmp_path / 'ansible-home'),
            'AZURE_TENANT_ID': TENANT,
            'AZURE_CLIENT_ID': DEMO_APP,
            'AZURE_CLIENT_SECRET': DEMO_SECRET,
            'GRAPH_ENDPOINT': emulator_process.url,
            'AZURE_AUTHORITY_HOST': emulator_process.url,
            'REQUESTS_CA_BUNDLE': emulator_process.ca_bundle,
            'GRAPH_TOKEN_CACHE': cache,
            'GRAPHOPS_RECORD': str(tmp_path / 'record.jsonl'),
        })
        for name, value in (extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def inventory():
        path = tmp_path / 'inventory.yml'
        path.write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}}))
        return str(path)

    def collect(proc):
        # No run of the suite may print a deprecation warning, on any ansible-core release it runs on.
        assert 'DEPRECATION' not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
        record = tmp_path / 'record.jsonl'
        records = []
        if record.exists():
            records = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
            record.unlink()
        return Run(proc, records)

    def run(tasks, check=False, diff=False, env=None, verbosity=0, extra_args=()):
        if isinstance(tasks, str) and os.path.exists(tasks):
            playbook = tasks
        else:
            if isinstance(tasks, str):
                tasks = yaml.safe_load(textwrap.dedent(tasks))
            playbook = str(tmp_path / 'playbook.yml')
            with open(playbook, 'w') as handle:
                yaml.safe_dump([{'name': 'test', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], handle)
        args = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory(), playbook]
        if check:
            args.append('--check')
        if diff:
            args.append('--diff')
        if verbosity:
            args.append('-' + 'v' * verbosity)
        args.extend(extra_args)
        proc = subprocess.run(args, env=environment(env), capture_output=True, text=True, timeout=300, check=False)
        return collect(proc)

    def adhoc(module, module_args, env=None, check=False, verbosity=0):
        args = [os.path.join(BIN, 'ansible'), 'localhost', '-i', inventory(), '-m', module, '-a', module_args]
        if check:
            args.append('--check')
        if verbosity:
            args.append('-' + 'v' * verbosity)
        extra = {'ANSIBLE_LOAD_CALLBACK_PLUGINS': '1'}
        extra.update(env or {})
        proc = subprocess.run(args, env=environment(extra), capture_output=True, text=True, timeout=300, check=False)
        return collect(proc)

    run.adhoc = adhoc
    run.env = environment
    run.token_cache = cache
    return run


def graph_calls(log, method=None, path_contains=None):
    """Requests to Graph (not token/discovery) from an emulator log, optionally filtered."""
    out = []
    for entry in log:
        if entry.get('kind') != 'graph' or entry.get('in_batch'):
            continue
        if method and entry['method'] != method:
            continue
        if path_contains and path_contains not in entry['path']:
            continue
        out.append(entry)
    return out


def writes(log):
    """Write requests, top-level and inside $batch."""
    return [e for e in log if e.get('kind') == 'graph' and e['method'] in ('POST', 'PATCH', 'DELETE', 'PUT')
            and not e['path'].endswith('/$batch')]
