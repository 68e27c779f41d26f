# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token cache trusts nothing it did not create (issue 12, item 5)."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.graphops.intune.plugins.module_utils.transport.clouds import Endpoints
from ansible_collections.graphops.intune.plugins.module_utils.transport.credentials import select_credential
from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.tokens import TokenProvider

TENANT = '11111111-1111-1111-1111-111111111111'
CLIENT = '22222222-2222-2222-2222-222222222222'
NOBODY = 65534

FOREIGN_SHAPES = {
    'not json': 'this is not json {',
    'json list': '[1, 2, 3]',
    'json string': '"a string"',
    'json number': '42',
    'section is a list': '{"AccessToken": []}',
    'entry is a string': '{"AccessToken": {"k": "v"}}',
    'binary': b'\x89PNG\r\n\x1a\n\x00\x00',
}


@pytest.fixture
def provider(entra, entra_http):
    def factory(cache_path, default=False):
        credential = select_credential({'tenant_id': TENANT, 'client_id': CLIENT, 'client_secret': 's'}, environ={})
        tokens = TokenProvider(credential, Endpoints(authority_host=entra.url), tenant_id=TENANT, client_id=CLIENT,
                               cache_path=cache_path, http_client=entra_http)
        tokens.cache_is_default = default
        return tokens
    return factory


def private_dir(tmp_path):
    directory = tmp_path / 'cache'
    directory.mkdir(mode=0o700)
    return directory


@pytest.mark.parametrize('shape', sorted(FOREIGN_SHAPES))
def test_a_corrupt_or_foreign_cache_is_set_aside_with_a_warning_and_rebuilt(provider, tmp_path, shape):
    path = private_dir(tmp_path) / 'cache.json'
    content = FOREIGN_SHAPES[shape]
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    tokens = provider(str(path))
    assert tokens.token() == 'entra-access-token-1'
    [warning] = tokens.warnings
    assert 'token cache %s was unreadable' % path in warning and 'set aside as' in warning
    aside = [p for p in path.parent.iterdir() if p.name.startswith('cache.json.corrupt-')]
    assert len(aside) == 1
    assert (aside[0].read_bytes() if isinstance(content, bytes) else aside[0].read_text()) == content
    assert 'entra-access-token-1' in path.read_text()


def test_a_symlinked_cache_is_refused_and_its_target_untouched(provider, tmp_path):
    target = tmp_path / 'precious.txt'
    target.write_text('not yours to chmod')
    os.chmod(str(target), 0o644)
    link = private_dir(tmp_path) / 'cache.json'
    link.symlink_to(target)
    with pytest.raises(AuthError) as error:
        provider(str(link)).token()
    assert 'is refused: it is a symlink' in str(error.value)
    assert stat.S_IMODE(os.stat(str(target)).st_mode) == 0o644 and target.read_text() == 'not yours to chmod'


def test_a_symlinked_default_cache_is_bypassed_with_a_warning(provider, tmp_path):
    target = tmp_path / 'precious.txt'
    target.write_text('x')
    link = private_dir(tmp_path) / 'cache.json'
    link.symlink_to(target)
    tokens = provider(str(link), default=True)
    assert tokens.token() == 'entra-access-token-1'
    assert 'the default token cache %s is not used: it is a symlink' % link in tokens.warnings[0]
    assert target.read_text() == 'x'


def test_a_cache_in_a_world_writable_directory_is_refused(provider, tmp_path):
    directory = tmp_path / 'shared'
    directory.mkdir()
    os.chmod(str(directory), 0o777)
    with pytest.raises(AuthError) as error:
        provider(str(directory / 'cache.json')).token()
    assert 'writable by other users (mode 777)' in str(error.value)
    assert list(directory.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason='needs root to give a file to another user')
def test_a_cache_of_another_user_is_refused(provider, tmp_path):
    path = private_dir(tmp_path) / 'cache.json'
    path.write_text('{}')
    os.chown(str(path), NOBODY, NOBODY)
    with pytest.raises(AuthError) as error:
        provider(str(path)).token()
    assert 'belongs to another user (uid %d)' % NOBODY in str(error.value)
    assert path.read_text() == '{}'
