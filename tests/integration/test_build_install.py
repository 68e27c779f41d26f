# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: ansible-galaxy build, install into a clean path, run the demo from
there, and the execution environment definition and collection-level EE metadata around it."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tarfile

import pytest
import yaml

from conftest import BIN, REPO, tool_env

# Development state that must never ship; the tarball is compared with what git would commit.
NEVER_SHIPPED_PARTS = {'.git', '.venv', '.venv-sanity', '.ansible', '.emulator', '.pytest_cache', '__pycache__'}
NEVER_SHIPPED_PREFIXES = ('tests/output/', 'bench/results/', 'docs/build/', 'build/', 'report/')
MUST_SHIP = (
    'meta/runtime.yml', 'meta/execution-environment.yml', 'requirements.txt', 'bindep.txt',
    'LICENSES/GPL-3.0-or-later.txt', 'changelogs/changelog.yaml', 'changelogs/config.yaml', 'CHANGELOG.md',
    'playbooks/demo.yml', 'plugins/doc_fragments/graph.py', 'plugins/module_utils/graph_module.py',
    'plugins/modules/windows_update_ring.py', 'extensions/awx/credential_type_graph.yml',
    'docs/docsite/links.yml', 'docs/docsite/extra-docs.yml',
)
SHIPPED_TREES = ('plugins/', 'roles/', 'playbooks/', 'meta/', 'docs/', 'extensions/', 'changelogs/')
# Development only: committed, never shipped (galaxy.yml build_ignore).
DEV_ONLY = ('bench/', 'scripts/', 'requirements-dev.in', 'requirements-dev.txt', 'changelogs/fragments/',
            'tests/integration/', 'tests/emulator/', 'tests/sanity/', 'tests/report_browser.py', 'COPYING')


def build_ignored(path):
    """Whether galaxy.yml's build_ignore leaves `path` (or a directory above it) out of the tarball."""
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        patterns = yaml.safe_load(handle)['build_ignore']
    parts = path.split('/')
    prefixes = ['/'.join(parts[:n]) for n in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)


def git_files():
    """Tracked files and new files git does not ignore, that exist: what a commit would hold."""
    out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd=REPO,
                         capture_output=True, check=True).stdout.decode('utf-8')
    return {path for path in out.split('\0') if path and os.path.isfile(os.path.join(REPO, path))}


@pytest.fixture(scope='module')
def build(tmp_path_factory):
    """A fresh build, with what git would commit listed just before and just after it, since
    other work may add files to the tree meanwhile: files present both times must ship, and
    nothing may ship that was in neither list."""
    out = tmp_path_factory.mktemp('build-check')
    before = git_files()
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(out), REPO],
                          env=tool_env(out / 'home'), capture_output=True, text=True, timeout=300, check=False)
    after = git_files()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [tarball] = out.glob('graphops-intune-*.tar.gz')
    with tarfile.open(str(tarball)) as tar:
        members = {member.name: member for member in tar.getmembers()}
    return members, before & after, before | after, str(tarball)


@pytest.fixture(scope='module')
def tarball_members(build):
    return build[0]


def test_tarball_holds_what_git_would_commit_and_nothing_else(build):
    tarball_members, committed, maybe_committed = build[:3]
    files = {name for name, member in tarball_members.items() if member.isfile()} - {'MANIFEST.json', 'FILES.json'}

    def shipped(paths):
        # Top-level dot entries are development state; galaxy.yml becomes MANIFEST.json.
        return {path for path in paths if not path.startswith('.') and path != 'galaxy.yml' and not build_ignored(path)}

    expected = shipped(committed)
    missing = sorted(expected - files)
    extra = sorted(files - shipped(maybe_committed))
    assert not missing, 'files git would commit but the tarball lacks (galaxy.yml build_ignore?): %s' % missing[:40]
    assert not extra, 'files in the tarball that git ignores (add them to galaxy.yml build_ignore): %s' % extra[:40]
    for path in MUST_SHIP:
        assert path in files, path
    assert any(path.startswith('roles/') for path in files) == any(path.startswith('roles/') for path in expected)
    for tree in SHIPPED_TREES:
        assert {p for p in expected if p.startswith(tree)} <= files, tree
    assert any(path.startswith(DEV_ONLY) for path in committed)
    assert not [path for path in files if path.startswith(DEV_ONLY)]
    assert any(path.startswith('docs/') and path.endswith('.md') for path in files)  # what Galaxy shows as docs


def test_tarball_has_no_development_state(tarball_members):
    for name, member in tarball_members.items():
        parts = set(name.split('/'))
        assert not parts & NEVER_SHIPPED_PARTS, name
        assert not name.startswith(NEVER_SHIPPED_PREFIXES), name
        assert not name.endswith(('.pyc', '.tar.gz')), name
        assert not name.startswith('.'), name
        assert not member.issym() and not member.islnk(), '%s is a link' % name
    # No empty leftovers (scratch directories): every directory holds a shipped file.
    files = [name for name, member in tarball_members.items() if member.isfile()]
    for name, member in tarball_members.items():
        if member.isdir():
            assert any(f.startswith(name.rstrip('/') + '/') for f in files), 'empty directory %s' % name


def test_tarball_holds_no_file_twice_and_a_small_readme_image(build):
    """The licence text ships once (LICENSES/GPL-3.0-or-later.txt, not COPYING too), no other file is there twice,
    and the README's picture is compressed (it was half the tarball)."""
    import hashlib
    seen = {}
    with tarfile.open(build[3]) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.size >= 1024:
                digest = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
                seen.setdefault(digest, []).append(member.name)
        names = set(tar.getnames())
    assert [paths for paths in seen.values() if len(paths) > 1] == []
    assert 'LICENSES/GPL-3.0-or-later.txt' in names and 'COPYING' not in names
    assert os.path.isfile(os.path.join(REPO, 'COPYING'))  # still in the repository, for its readers and tools
    [image] = [member for member in build[0].values() if member.name == 'docs/images/update_report.png']
    assert image.size < 200 * 1024, image.size


def test_readme_named_by_galaxy_yml_ships(tarball_members):
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        galaxy = yaml.safe_load(handle)
    assert galaxy['readme'] in tarball_members, 'galaxy.yml readme %s is missing: Galaxy refuses such a collection' % galaxy['readme']


def test_installed_copy_is_the_collection(installed_collection):
    root = os.path.join(installed_collection, 'ansible_collections', 'graphops', 'intune')
    with open(os.path.join(root, 'MANIFEST.json')) as handle:
        info = json.load(handle)['collection_info']
    with open(os.path.join(REPO, 'galaxy.yml')) as handle:
        galaxy = yaml.safe_load(handle)
    assert (info['namespace'], info['name'], info['version']) == (galaxy['namespace'], galaxy['name'], galaxy['version'])
    env = tool_env(os.path.join(installed_collection, '.home'))
    env['ANSIBLE_COLLECTIONS_PATH'] = installed_collection
    proc = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'list', 'graphops.intune', '--format', 'json'],
                          env=env, capture_output=True, text=True, check=False, cwd=installed_collection)
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)
    assert list(listed) == [os.path.join(installed_collection, 'ansible_collections')], listed
    doc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '--json', 'graphops.intune.windows_update_ring'],
                         env=env, capture_output=True, text=True, check=False, cwd=installed_collection)
    assert doc.returncode == 0, doc.stderr
    options = json.loads(doc.stdout)['graphops.intune.windows_update_ring']['doc']['options']
    assert 'tenant_id' in options and 'policy_id' in options  # the doc fragment resolves from the installed copy


def run_installed_demo(ansible, installed_collection, cwd):
    """ansible-playbook graphops.intune.demo, the playbook resolved by FQCN from the installed copy only."""
    env = ansible.env({'ANSIBLE_COLLECTIONS_PATH': installed_collection})
    inventory = os.path.join(str(cwd), 'inventory.yml')
    with open(inventory, 'w') as handle:
        yaml.safe_dump({'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                        'ansible_python_interpreter': sys.executable}}}}, handle)
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', inventory, 'graphops.intune.demo'], env=env,
                          capture_output=True, text=True, timeout=600, check=False, cwd=str(cwd))
    records = []
    if os.path.exists(env['GRAPHOPS_RECORD']):
        with open(env['GRAPHOPS_RECORD']) as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        os.unlink(env['GRAPHOPS_RECORD'])
    return proc, records


def test_demo_runs_from_the_installed_copy(ansible, graph, installed_collection, tmp_path):
    first, first_records = run_installed_demo(ansible, installed_collection, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert [r for r in first_records if r['status'] == 'changed'], first.stdout
    assert not [r for r in first_records if r['status'] == 'failed'], first.stdout
    graph_modules = {r['action'] for r in first_records if r['action'].startswith('graphops.intune.')}
    assert {'graphops.intune.windows_update_ring', 'graphops.intune.windows_update_ring_info'} <= graph_modules
    second, second_records = run_installed_demo(ansible, installed_collection, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert [r['task'] for r in second_records if r['status'] == 'changed'] == [], second.stdout
    assert len(second_records) == len(first_records)
    assert graph.requests(), 'the demo did not reach the emulator'


def test_execution_environment_context(installed_collection, tmp_path):
    """scripts/ee.sh: ansible-builder create (no container engine here, so no build) from tests/ee."""
    context = tmp_path / 'context'
    proc = subprocess.run(['bash', os.path.join(REPO, 'scripts', 'ee.sh'), str(context)], env=tool_env(tmp_path / 'home'),
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / 'Containerfile').read_text()
    # The collection goes in from the galaxy requirements, and its requirements come in through
    # ansible-builder's introspection of the installed collections.
    assert 'ansible-galaxy collection install' in containerfile and '-r requirements.yml' in containerfile
    assert 'introspect.py introspect' in containerfile and 'install-from-bindep' in containerfile
    requirements = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    [entry] = requirements['collections']
    assert entry['type'] == 'file'
    with tarfile.open(str(context / '_build' / entry['name'])) as tar:
        manifest = json.load(tar.extractfile('MANIFEST.json'))
        names = tar.getnames()
    assert (manifest['collection_info']['namespace'], manifest['collection_info']['name']) == ('graphops', 'intune')
    assert {'meta/execution-environment.yml', 'requirements.txt', 'bindep.txt'} <= set(names)


def requirement_lines(path):
    with open(path) as handle:
        return [line.split('#', 1)[0].strip() for line in handle if line.split('#', 1)[0].strip()]


def test_collection_requirements_reach_the_execution_environment(installed_collection, tmp_path):
    """What ansible-builder's introspection (run inside the image build) takes from the installed collection."""
    root = os.path.join(installed_collection, 'ansible_collections', 'graphops', 'intune')
    with open(os.path.join(root, 'meta', 'execution-environment.yml')) as handle:
        ee_meta = yaml.safe_load(handle)
    assert ee_meta['dependencies'] == {'python': 'requirements.txt', 'system': 'bindep.txt'}
    pip_out, bindep_out = tmp_path / 'pip.txt', tmp_path / 'bindep.txt'
    proc = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'introspect', '--sanitize', '--write-pip', str(pip_out),
                           '--write-bindep', str(bindep_out), installed_collection],
                          env=tool_env(tmp_path / 'home'), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    introspected_pip = requirement_lines(str(pip_out))
    introspected_bindep = requirement_lines(str(bindep_out))
    python_requirements = requirement_lines(os.path.join(REPO, 'requirements.txt'))
    assert python_requirements and sorted(introspected_pip) == sorted(python_requirements)
    system_requirements = requirement_lines(os.path.join(REPO, 'bindep.txt'))
    assert system_requirements and sorted(introspected_bindep) == sorted(system_requirements)
    # The modules' documented requirements are what the EE installs.
    names = {line.split('>')[0].split('=')[0].split('<')[0].strip().lower() for line in python_requirements}
    assert {'msal', 'msal-extensions', 'requests'} <= names


def test_bindep_file_parses():
    from bindep.depends import Depends  # pylint: disable=import-outside-toplevel
    with open(os.path.join(REPO, 'bindep.txt')) as handle:
        depends = Depends(handle.read())
    profiles = depends.profiles()
    assert 'compile' in profiles
    rpm_runtime = [rule[0] for rule in depends.active_rules(['platform:rpm', 'platform:redhat', 'default'])]
    assert 'ca-certificates' in rpm_runtime and 'gcc' not in rpm_runtime
    rpm_compile = [rule[0] for rule in depends.active_rules(['platform:rpm', 'platform:redhat', 'compile'])]
    assert {'gcc', 'openssl-devel', 'libffi-devel'} <= set(rpm_compile)
