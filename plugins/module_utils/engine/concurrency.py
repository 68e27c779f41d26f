# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""Race safety of natural-key creates (internal to the engine).

Graph has no unique constraint on a natural key (a ring's displayName, a state's deviceId),
so two runs that both find a key missing both create it. Two defences:

- On one controller, runs serialise their find-and-create phase per tenant and Graph
  collection with CreateLock, a lock file beside the token cache (0600, in a 0700
  directory owned by the user), waited for up to a timeout.
- Across controllers, create-then-verify: after creating, the collection is read again;
  when more than one entity carries the key, every run agrees on the same winner
  (ranked by winner_first) and deletes only the entities it created itself.

Why not msal-extensions' CrossPlatLock: its wait is fixed at about 5 s, it creates the
file with the process umask, and it deletes the file on release (a second process can
then lock a different inode than a third). fcntl.flock on a file that stays is enough.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - Ansible controllers are POSIX
    HAS_FCNTL = False

from ansible_collections.graphops.intune.plugins.module_utils.engine.compare import parse_datetimeoffset
from ansible_collections.graphops.intune.plugins.module_utils.engine.fields import GuidField

DEFAULT_LOCK_TIMEOUT = 600.0
LOCK_TIMEOUT_ENV = 'GRAPH_LOCK_TIMEOUT'
POLL_INTERVAL = 0.1
ON_DUPLICATE_CHOICES = ('fail', 'keep_oldest')


class LockTimeout(Exception):
    """Another run held the create lock longer than the timeout."""


def lock_timeout(environ=None):
    environ = os.environ if environ is None else environ
    try:
        value = float(environ.get(LOCK_TIMEOUT_ENV) or DEFAULT_LOCK_TIMEOUT)
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if value > 0 else DEFAULT_LOCK_TIMEOUT


def lock_directory(cache_path, default_cache_path):
    """Where lock files live: a `locks` directory beside the token cache (or the default one)."""
    base = os.path.dirname(os.path.abspath(os.path.expanduser(cache_path or default_cache_path)))
    return os.path.join(base, 'locks')


def lock_name(tenant, base_url, collection_path):
    """One lock per tenant and Graph collection (the same collection of another tenant is another lock)."""
    digest = hashlib.sha256(('%s\n%s\n%s' % ((tenant or '').lower(), base_url or '', collection_path)).encode('utf-8'))
    return 'create-%s.lock' % digest.hexdigest()[:32]


def _safe_directory(directory):
    """Create the lock directory 0700; refuse one that is a symlink, foreign, or writable by others."""
    try:
        os.makedirs(directory, mode=0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.EPERM, 'lock directory %s is not a plain directory (a symlink?)' % directory)
    if info.st_uid != os.geteuid():
        raise OSError(errno.EPERM, 'lock directory %s belongs to another user (uid %d)' % (directory, info.st_uid))
    if info.st_mode & 0o022:
        raise OSError(errno.EPERM, 'lock directory %s is writable by other users (mode %o)' % (directory, info.st_mode & 0o777))


class CreateLock(object):
    """An exclusive, cross-process lock (fcntl.flock) on one file, waited for up to `timeout` seconds.

    The file stays in place after release, so every process locks the same inode.
    """

    def __init__(self, path, timeout=DEFAULT_LOCK_TIMEOUT, what='', clock=time.monotonic, sleep=time.sleep):
        self.path = path
        self.timeout = timeout
        self.what = what
        self._clock = clock
        self._sleep = sleep
        self._fd = None

    def acquire(self):
        if not HAS_FCNTL:  # pragma: no cover
            return
        _safe_directory(os.path.dirname(self.path))
        flags = os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                raise OSError(errno.EPERM, 'lock file %s is not a regular file of this user' % self.path)
            if info.st_mode & 0o077:
                os.fchmod(fd, 0o600)
            deadline = self._clock() + self.timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except (IOError, OSError) as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise
                if self._clock() >= deadline:
                    raise LockTimeout('another run held the create lock of %s for more than %d s (lock file %s%s); '
                                      'raise %s or remove a stale run' % (
                                          self.what or 'this collection', self.timeout, self.path, _holder(fd),
                                          LOCK_TIMEOUT_ENV))
                self._sleep(POLL_INTERVAL)
            os.ftruncate(fd, 0)
            os.write(fd, ('%d\n' % os.getpid()).encode('ascii'))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self):
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


def _holder(fd):
    try:
        pid = os.pread(fd, 32, 0).decode('ascii', 'replace').strip()
    except OSError:
        return ''
    return ', held by pid %s' % pid if pid.isdigit() else ''


def _created_ticks(entity):
    value = entity.get('createdDateTime')
    if not isinstance(value, str):
        return None
    try:
        return parse_datetimeoffset(value)
    except ValueError:
        return None


def winner_first(matches):
    """The entities that carry one natural key, the one every run keeps first.

    The oldest createdDateTime wins, then the smallest id. Entity types that carry no
    createdDateTime (a windowsUpdateState) keep Graph's listing order, which is creation
    order: every run reads the same order, so every run picks the same winner, and a run
    that comes late never keeps its younger copy.
    """
    matches = list(matches)
    stamps = [_created_ticks(item) for item in matches]
    if matches and all(stamp is not None for stamp in stamps):
        ranked = sorted(zip(stamps, [str(item.get('id')) for item in matches], range(len(matches))))
        return [matches[index] for dummy, dummy2, index in ranked]
    return matches


def key_is_an_id(entity):
    """True when the entity's natural key is an id (device_id, catalog_entry_id: a GUID), which
    Graph compares without case; a display name keeps its case."""
    field = entity.natural_field() if entity.natural_key else None
    if field is None:
        return False
    return isinstance(field, GuidField) or entity.natural_key.endswith('_id')


def fold_key(entity, value):
    """The natural key value as it is compared: an id without case (ABC and abc are one device)."""
    if isinstance(value, str) and key_is_an_id(entity):
        return value.lower()
    return value


def as_found(entity, desired, found):
    """desired with its natural key spelt as Graph holds it, when the two differ only in case (an id):
    the key found without case is not a change to send."""
    option = entity.natural_key
    if not option or found is None or desired.get(option) is None:
        return desired
    held = found.get(entity.natural_field().graph)
    if held != desired[option] and fold_key(entity, held) == fold_key(entity, desired[option]):
        return dict(desired, **{option: held})
    return desired
