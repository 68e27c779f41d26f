# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The persistent token cache (transport/token_cache.py)."""

from __future__ import annotations

import os
import stat

import msal
import pytest
from msal_extensions import PersistedTokenCache
from msal_extensions.persistence import PersistenceNotFound

from ansible_collections.graphops.intune.plugins.module_utils.transport import token_cache
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.token_cache import AtomicFilePersistence


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# -- token cache persistence ---------------------------------------------------------------
def test_persistence_creates_a_private_directory_and_file(tmp_path):
    location = tmp_path / 'cache' / 'graphops.intune' / 'msal_token_cache.json'
    persistence = AtomicFilePersistence(str(location))
    assert mode(location.parent) == 0o700
    with pytest.raises(PersistenceNotFound):
        persistence.load()
    persistence.save('{"AccessToken": {}}')
    assert mode(location) == 0o600
    assert persistence.load() == '{"AccessToken": {}}'
    assert persistence.get_location() == str(location)


def test_persistence_tightens_an_existing_readable_file(tmp_path):
    location = tmp_path / 'cache.json'
    location.write_text('{}')
    os.chmod(location, 0o644)
    AtomicFilePersistence(str(location))
    assert mode(location) == 0o600


def test_save_writes_a_temp_file_in_the_same_directory_and_renames_it(tmp_path, monkeypatch):
    location = tmp_path / 'cache.json'
    persistence = AtomicFilePersistence(str(location))
    persistence.save('old')
    renames = []
    real_replace = os.replace

    def replace(source, target):
        renames.append((source, target, open(source).read(), mode(source)))
        assert location.read_text() == 'old'  # readers still see the complete old content
        real_replace(source, target)
    monkeypatch.setattr(token_cache.os, 'replace', replace)
    persistence.save('new content')
    assert len(renames) == 1
    source, target, content, source_mode = renames[0]
    assert os.path.dirname(source) == str(tmp_path) and target == str(location)
    assert content == 'new content' and source_mode == 0o600
    assert location.read_text() == 'new content'
    assert sorted(os.listdir(tmp_path)) == ['cache.json']  # no temp file left behind


def test_failed_save_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    location = tmp_path / 'cache.json'
    persistence = AtomicFilePersistence(str(location))
    persistence.save('old')

    def replace(source, target):
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr(token_cache.os, 'replace', replace)
    with pytest.raises(OSError):
        persistence.save('new')
    assert location.read_text() == 'old'
    assert sorted(os.listdir(tmp_path)) == ['cache.json']


def test_build_cache(tmp_path):
    assert isinstance(token_cache.build_cache(''), msal.TokenCache)
    assert not isinstance(token_cache.build_cache(''), PersistedTokenCache)
    assert isinstance(token_cache.build_cache(str(tmp_path / 'c' / 'cache.json')), PersistedTokenCache)
    blocker = tmp_path / 'file'
    blocker.write_text('')
    with pytest.raises(AuthError) as err:
        token_cache.build_cache(str(blocker / 'cache.json'))
    assert 'token_cache_path' in str(err.value)


def test_default_cache_path():
    assert token_cache.default_cache_path({'XDG_CACHE_HOME': '/x/cache'}) == '/x/cache/graphops.intune/msal_token_cache.json'


# -- forks at once (issue 22, item 3) -------------------------------------------------------------
def another_process_makes(monkeypatch, location, directory_mode):
    """os.makedirs as it goes when another fork creates location's directory (with directory_mode) a moment earlier."""
    real_makedirs = os.makedirs

    def raced(directory, mode=0o777, exist_ok=False):
        if directory != str(location.parent) or exist_ok:
            return real_makedirs(directory, mode, exist_ok)
        if not os.path.isdir(directory):
            real_makedirs(directory)
            os.chmod(directory, directory_mode)
        raise FileExistsError(17, 'File exists', directory)
    monkeypatch.setattr(token_cache.os, 'makedirs', raced)


def test_a_cache_directory_another_process_creates_at_the_same_moment_is_used(tmp_path, monkeypatch):
    """Ten forks create a new cache directory at once: the ones that lose the race use it."""
    location = tmp_path / 'new' / 'cache.json'
    another_process_makes(monkeypatch, location, 0o700)
    assert isinstance(token_cache.build_cache(str(location)), PersistedTokenCache)
    assert mode(location.parent) == 0o700


def test_a_cache_directory_made_meanwhile_by_another_user_is_refused(tmp_path, monkeypatch):
    """The trust checks run after the directory exists: a directory that appeared writable by others is refused."""
    location = tmp_path / 'new' / 'cache.json'
    another_process_makes(monkeypatch, location, 0o777)
    with pytest.raises(AuthError, match='writable by other users'):
        token_cache.build_cache(str(location))


def test_token_lock_excludes_and_waits_up_to_its_timeout(tmp_path):
    path = token_cache.token_lock_path(str(tmp_path / 'cache.json'), 'https://login', 'tenant', 'app')
    assert os.path.dirname(path) == str(tmp_path) and path.endswith('.lock')
    clock = iter(range(100)).__next__
    with token_cache.token_lock(path) as locked:
        assert locked is True and mode(path) == 0o600
        with token_cache.token_lock(path, timeout=3, clock=clock, sleep=lambda seconds: None) as again:
            assert again is False  # the wait ran out: the caller goes on without the lock
    with token_cache.token_lock(path) as locked:
        assert locked is True  # released, the file stays
    assert os.path.exists(path)


def test_token_lock_never_follows_a_symlink(tmp_path):
    target = tmp_path / 'elsewhere'
    target.write_text('')
    link = tmp_path / 'cache.json.token-x.lock'
    link.symlink_to(target)
    with token_cache.token_lock(str(link)) as locked:
        assert locked is False
    with token_cache.token_lock(None) as locked:
        assert locked is False
