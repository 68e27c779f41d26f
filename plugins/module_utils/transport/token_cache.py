# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The token cache shared by every process of one controller: msal-extensions persistence in a
0600 file (written atomically) in a 0700 directory, trusted only when it is this user's, and
the lock under which the first token of an app is asked for.

An untrusted cache (a symlink, another user's file, a directory others can write) is refused
when given as token_cache_path and bypassed (in-memory tokens, a warning) at the default path;
a corrupt one is set aside and rebuilt.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
import time
from contextlib import contextmanager

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - Ansible controllers are POSIX
    HAS_FCNTL = False

from ansible_collections.graphops.intune.plugins.module_utils.transport.errors import AuthError
from ansible_collections.graphops.intune.plugins.module_utils.transport.libraries import msal, msal_extensions, persistence_not_found

# How long a process waits for another one that is asking Entra for the same app's first token;
# after that it asks too (one more token request, never a failed host).
TOKEN_LOCK_TIMEOUT = 120.0
TOKEN_LOCK_POLL = 0.05


def default_cache_path(environ=None):
    environ = os.environ if environ is None else environ
    base = environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'graphops.intune', 'msal_token_cache.json')


def make_directory(directory):
    """Create the cache's directory 0700 (and its parents) unless it exists; several processes may do it at once."""
    try:
        os.makedirs(directory, mode=0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST or not os.path.isdir(directory):
            raise


def atomic_write(location, content):
    """Write a 0600 file by temp file + rename, so that no reader sees half of it."""
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(location), dir=os.path.dirname(location))  # mkstemp: 0600
    try:
        with os.fdopen(fd, 'w') as handle:
            handle.write(content)
        os.replace(tmp, location)
    except Exception:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class AtomicFilePersistence(object):
    """msal-extensions persistence that writes a 0600 file atomically (temp + rename).

    PersistedTokenCache serialises writers with its cross-process lock; the rename makes
    sure a concurrent reader never sees a half-written file.
    """

    is_encrypted = False  # a plain file, protected by its mode, like msal-extensions' FilePersistence

    def __init__(self, location):
        self._location = location
        make_directory(os.path.dirname(location))
        if os.path.exists(location) and os.stat(location).st_mode & 0o077:
            os.chmod(location, 0o600)

    def save(self, content):
        atomic_write(self._location, content)

    def load(self):
        try:
            with open(self._location, 'r') as handle:
                return handle.read()
        except (IOError, OSError):
            raise persistence_not_found(message='token cache %s not found' % self._location, location=self._location)

    def time_last_modified(self):
        try:
            return os.path.getmtime(self._location)
        except OSError:
            raise persistence_not_found(message='token cache %s not found' % self._location, location=self._location)

    def touch(self):
        with open(self._location, 'a'):
            os.utime(self._location, None)

    def get_location(self):
        return self._location


# The sections of msal's serialised cache: each maps keys to entries (dicts).
CACHE_SECTIONS = ('AccessToken', 'RefreshToken', 'IdToken', 'Account', 'AppMetadata')


def cache_location_problem(path):
    """Why the cache at path cannot be trusted (a symlink, another user's, in a directory others
    can write), or None. Checked before the file is opened, chmod-ed or written."""
    directory = os.path.dirname(path)
    try:
        info = os.stat(directory)  # the directory itself may be reached through a symlink (~/.cache)
    except OSError:
        info = None  # created 0700 by us (make_directory)
    if info is not None:
        if info.st_uid not in (os.geteuid(), 0):
            return 'its directory %s belongs to another user (uid %d)' % (directory, info.st_uid)
        if info.st_mode & 0o022:
            return 'its directory %s is writable by other users (mode %03o)' % (directory, stat.S_IMODE(info.st_mode))
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return 'it is a symlink (to %s)' % os.readlink(path)
    if not stat.S_ISREG(info.st_mode):
        return 'it is not a regular file'
    if info.st_uid != os.geteuid():
        return 'it belongs to another user (uid %d)' % info.st_uid
    return None


def cache_content_problem(text):
    """Why a cache file's content is not msal's cache shape, or None (an empty file is fine)."""
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        return 'not JSON (%s)' % exc
    if not isinstance(data, dict):
        return 'a JSON %s, not an object' % type(data).__name__
    for section in CACHE_SECTIONS:
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, dict) or not all(isinstance(entry, dict) for entry in entries.values()):
            return 'its "%s" section is not a map of entries' % section
    return None


def set_aside(path, warnings):
    """Move an unreadable cache out of the way (kept for inspection), so that it is rebuilt."""
    try:
        with open(path, 'r') as handle:
            problem = cache_content_problem(handle.read())
    except UnicodeDecodeError:
        problem = 'not text'
    except (IOError, OSError):
        return
    if problem:
        aside = '%s.corrupt-%d' % (path, int(time.time()))
        try:
            os.rename(path, aside)
        except OSError as exc:
            raise AuthError('token cache %s is unreadable (%s) and cannot be set aside: %s' % (path, problem, exc))
        warnings.append('token cache %s was unreadable (%s); it was set aside as %s and a new one is built' % (
            path, problem, aside))


def build_cache(path, warnings=None, is_default=False):
    """A token cache shared by every module process of a run ('' = in memory only).

    The cache is trusted only if it is a regular file of this user in a directory others
    cannot write; otherwise an explicit token_cache_path fails, and the default path is
    bypassed (in-memory cache) with a warning. A corrupt cache is set aside and rebuilt.
    """
    warnings = [] if warnings is None else warnings
    if not path:
        return msal.TokenCache()
    path = os.path.abspath(os.path.expanduser(path))
    try:
        # First, so that the trust check below also sees a directory that another process (a fork of the
        # same run) created a moment ago.
        make_directory(os.path.dirname(path))
    except OSError as exc:
        raise AuthError('token_cache_path %r cannot be used: %s (set token_cache_path to "" to disable the cache)' % (path, exc))
    problem = cache_location_problem(path)
    if problem:
        if is_default:
            warnings.append('the default token cache %s is not used: %s; tokens are kept in memory for this task '
                            '(set token_cache_path to a file of yours)' % (path, problem))
            return msal.TokenCache()
        raise AuthError('token_cache_path %s is refused: %s. Point it at a file of yours in a directory only you can '
                        'write, or set it to "" to disable the cache' % (path, problem))
    set_aside(path, warnings)
    try:
        return msal_extensions.PersistedTokenCache(AtomicFilePersistence(path))
    except (IOError, OSError) as exc:
        raise AuthError('token_cache_path %r cannot be used: %s (set token_cache_path to "" to disable the cache)' % (path, exc))


def is_persistent(cache):
    """True for a cache kept in a file (build_cache's PersistedTokenCache), False for one in memory."""
    return isinstance(cache, msal_extensions.PersistedTokenCache)


def token_lock_path(cache_path, *key):
    """The lock file of one app's first token (key: authority host, tenant, client id), beside the cache."""
    digest = hashlib.sha256('\n'.join((part or '').lower() for part in key).encode('utf-8')).hexdigest()[:16]
    return '%s.token-%s.lock' % (os.path.abspath(os.path.expanduser(cache_path)), digest)


@contextmanager
def token_lock(path, timeout=TOKEN_LOCK_TIMEOUT, clock=time.monotonic, sleep=time.sleep):
    """Hold an exclusive lock (fcntl.flock) shared by the processes of this controller, waiting up to `timeout`.

    Yields True when the lock is held; False when it could not be taken (no path, the file cannot
    be opened, or the wait ran out): the caller then goes on without it, which costs at most one
    more token request. The file stays after release, so every process locks the same inode; it
    is opened without following a symlink and used only when it is a regular file of this user.
    """
    fd = _open_lock(path) if path and HAS_FCNTL else None
    if fd is None:
        yield False
        return
    try:
        deadline = clock() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError) as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if clock() >= deadline:
                yield False
                return
            sleep(TOKEN_LOCK_POLL)
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _open_lock(path):
    flags = os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError:
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        os.close(fd)
        return None
    return fd
