"""Writing files safely (ghi tệp an toàn): whole or not at all, and on disk before we say so.

Every file vanthu writes outside the staged archive batches goes through
:func:`write_atomic`: a temporary file in the same folder, flushed and
fsynced, then renamed over the target and the folder fsynced. A crash leaves
the old file or the new one, never half of one (and never an empty one after
a power cut, which a rename without fsync allows).
"""
import os
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

PRIVATE_UMASK = 0o077


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


def write_new(path, data, mode):
    """Create ``path`` (never over an existing file) with ``data``, fsynced, with ``mode``."""
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
