"""Writing files safely (ghi tệp an toàn): whole or not at all, and on disk before we say so.

Every file vanthu writes outside the staged archive batches goes through
:func:`write_atomic`: a temporary file in the same folder, flushed and
fsynced, then renamed over the target and the folder fsynced. A crash leaves
the old file or the new one, never half of one (and never an empty one after
a power cut, which a rename without fsync allows).
"""
import errno
import fcntl
import os
import secrets
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import VanthuError

PRIVATE_UMASK = 0o077
DISK_FULL_ENV = "VANTHU_TEST_DISK_FULL"  # a named fault point, like VANTHU_TEST_KILL_AT


def disk_full_at(point, path):
    """Fail as a full disk would, if a test asked for it at ``point`` (write, publish)."""
    if os.environ.get(DISK_FULL_ENV) == point:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@contextmanager
def private_files():
    """Everything created in the block is for the owner only (umask 077).

    The umask belongs to the process: with several threads (the web app) the
    first block in sets it and the last one out restores it.
    """
    with _UMASK_LOCK:
        if _USERS[0] == 0:
            _USERS[1] = os.umask(PRIVATE_UMASK)
        _USERS[0] += 1
    try:
        yield
    finally:
        with _UMASK_LOCK:
            _USERS[0] -= 1
            if _USERS[0] == 0:
                os.umask(_USERS[1])


_UMASK_LOCK = threading.Lock()
_USERS = [0, None]  # blocks inside private_files() now, and the umask to restore after the last


def fsync_dir(path):
    """Make a rename or a new name in folder ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path, data, mode=None):
    """Write ``data`` (bytes or str, UTF-8) to ``path``, replacing it atomically; returns the path.

    ``mode``: the file's permission bits (default: what ``open()`` gives a new file, under the umask).
    """
    data = data.encode("utf-8") if isinstance(data, str) else data
    return _replace(Path(path), mode, lambda f: f.write(data))


def copy_atomic(source, target, mode=0o644):
    """A writable copy of ``source`` at ``target``, written whole or not at all."""
    with open(source, "rb") as original:
        return _replace(Path(target), mode, lambda f: shutil.copyfileobj(original, f))


def _replace(path, mode, fill):
    _check_target(path)
    disk_full_at("write", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp, fd = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise
    fsync_dir(path.parent)
    return path


def _temporary(path):
    """A new hidden file beside ``path``, created like ``open()`` would (the umask applies, unlike mkstemp)."""
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def _check_target(path):
    """Only a regular file is replaced: ``-o /dev/null`` must not swap a device (or a folder) for a file."""
    if path.exists() and not path.is_file() or path.is_symlink() and not path.resolve().is_file():
        raise VanthuError(f"{path}: không phải tệp thường (thư mục, thiết bị hay liên kết hỏng); ghi ra một tên tệp khác")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise VanthuError(f"{path}: {folder} không phải thư mục; ghi ra một thư mục có thật")
            return


def write_new(path, data, mode):
    """Create ``path`` (never over an existing file) with ``data``, fsynced, with ``mode``."""
    disk_full_at("write", path)
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, mode)


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


SCRATCH_LOCK = ".vanthu-lock"
STALE_SECONDS = 3600  # a scratch folder without its lock file (its owner died creating it) is stale after this


class ScratchFolder:
    """A temporary folder (thư mục tạm) locked by its owner for as long as the owner lives.

    A run killed with SIGKILL cannot remove its folder; the next run's
    :func:`sweep_scratch` sees the lock free and removes it. Works like
    ``tempfile.TemporaryDirectory`` (``.name``, ``cleanup()``, a context manager).
    """

    def __init__(self, prefix, dir=None):
        self.name = tempfile.mkdtemp(prefix=prefix, dir=dir)
        self._fd = os.open(os.path.join(self.name, SCRATCH_LOCK), os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def cleanup(self):
        if self._fd >= 0:
            shutil.rmtree(self.name, ignore_errors=True)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self):
        return self.name

    def __exit__(self, *exc):
        self.cleanup()
        return False


def sweep_scratch(folder, prefix):
    """Remove the ``prefix*`` scratch folders in ``folder`` left by killed runs; returns how many."""
    removed = 0
    for path in Path(folder).glob(f"{prefix}*"):
        if path.is_dir() and not path.is_symlink() and _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _abandoned(path):
    try:
        fd = os.open(path / SCRATCH_LOCK, os.O_RDWR)
    except FileNotFoundError:  # never locked (killed between mkdtemp and the lock), or not ours: only when old
        try:
            return time.time() - path.stat().st_mtime > STALE_SECONDS
        except FileNotFoundError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False  # alive
    finally:
        os.close(fd)
