"""Stored files (tệp lưu trữ): written once, read-only, never rewritten.

A batch of files is first written to ``staging/<batch>/`` with a manifest of
where each file will live. The issuing transaction moves them to their final
paths *while it still holds the write lock*, then commits. If the process
dies anywhere in between, :func:`recover` (run under the write lock, before
any new number is taken) either finishes the move, when the batch committed,
or removes every file of it, when it did not. A live batch is never touched:
its owner holds an ``flock`` on it until it is done.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass, field

from ..errors import VanthuError
from ..files import disk_full_at, fsync_dir, write_atomic, write_new

READ_ONLY = 0o400  # read-only, and for the owner only (secret documents)
MANIFEST = "manifest.json"
LOCK = ".lock"
NEW, OLD = ".new-", ".old-"  # staging folders being created or deleted: nothing to recover in them
STALE_SECONDS = 3600
BUILDING_SECONDS = 60


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def safe_name(text):
    """A readable file-name part: ``4482/SYT-VP`` -> ``4482-SYT-VP`` (Vietnamese letters kept)."""
    text = unicodedata.normalize("NFC", str(text)).replace("/", "-")
    text = re.sub(r"[^\w.&-]+", "_", text).strip("._")
    return text[:80] or "van-ban"


@dataclass(frozen=True)
class StoredFile:
    """One stored file (tệp lưu): its role (docx, pdf, original), path under home, SHA-256."""

    role: str
    path: str
    sha256: str
    size: int

    @property
    def label(self):
        """The role as a clerk reads it: ``PDF``, ``DOCX``, ``PDF phụ lục 1 (tệp riêng)``."""
        if self.role.startswith(SEPARATE_APPENDIX):
            return f"PDF phụ lục {self.role[len(SEPARATE_APPENDIX):]} (tệp riêng)"
        return self.role.upper()


SEPARATE_APPENDIX = "phu-luc-"  # role prefix of an appendix in a file of its own, signed by the organisation


@dataclass
class Batch:
    """Files of one transaction, staged until the database commits (lô tệp)."""

    home: object
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    files: list = field(default_factory=list)
    published: list = field(default_factory=list)
    _lock_fd: int = -1

    @property
    def folder(self):
        return self.home.staging / self.token

    def open(self):
        """Create the staging folder, locked before anyone can see it, and hold the lock until :meth:`close`."""
        hidden = self.home.staging / f"{NEW}{self.token}"
        hidden.mkdir(parents=True)
        self._lock_fd = os.open(hidden / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        os.rename(hidden, self.folder)
        return self

    def close(self):
        """The batch is settled (published and committed, or discarded): drop the staging folder.

        It is first renamed out of recovery's sight, so nobody mistakes the
        half-deleted folder (its lock file gone) for a dead batch.
        """
        done = self.home.staging / f"{OLD}{self.token}"
        os.rename(self.folder, done)
        shutil.rmtree(done)
        os.close(self._lock_fd)

    def add(self, role, relative_path, data):
        """Stage one file; returns its :class:`StoredFile`."""
        _refuse_taken_folder(self.home, relative_path, self.files)
        stored = StoredFile(role, relative_path, sha256_bytes(data), len(data))
        write_new(self.folder / str(len(self.files)), data, READ_ONLY)
        self.files.append(stored)
        self._write_manifest()
        return stored

    def _write_manifest(self):
        manifest = json.dumps([[f.path, f.sha256] for f in self.files], ensure_ascii=False)
        write_atomic(self.folder / MANIFEST, manifest, mode=0o600)

    def publish(self):
        """Move every staged file to its final path; refuses to overwrite anything."""
        for index, stored in enumerate(self.files):
            _move(self.folder / str(index), self.home.root / stored.path)
            self.published.append(stored)

    def discard(self):
        """Undo :meth:`publish`; call it before the rollback, while holding the write lock.

        Only files this batch put in place go: a path that was taken (publish
        refused it) belongs to someone else.
        """
        _remove_published(self.home, [(f.path, f.sha256) for f in self.published])


def _refuse_taken_folder(home, relative_path, staged):
    """A new number's folder must not exist yet: if it does, the files are newer than the database."""
    folder = (home.root / relative_path).parent
    if folder.exists() and not any((home.root / f.path).parent == folder for f in staged):
        raise VanthuError(f"kho không nhất quán, không cấp số (để không cấp trùng số): đã có thư mục "
                          f"{folder.relative_to(home.root)} của số này nhưng sổ chưa ghi số đó (tệp mới hơn cơ sở dữ liệu: "
                          "cơ sở dữ liệu được khôi phục từ bản sao cũ?). Chạy 'vanthu verify'")


def _move(staged, final):
    disk_full_at("publish", final)
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(staged, final)  # unlike rename, fails if the final path is taken
    except FileExistsError:
        raise VanthuError(f"đã có tệp {final} không thuộc sổ, đúng chỗ lưu văn bản mới; không ghi đè. "
                          "Chạy 'vanthu verify' và chuyển tệp lạ đi nơi khác") from None
    os.unlink(staged)
    fsync_dir(final.parent)


def _remove_published(home, entries):
    """Remove files of an uncommitted batch from their final paths: ``(path, sha256)`` pairs.

    A file is removed only if it is the one the batch staged (same checksum).
    """
    for relative, digest in entries:
        final = home.root / relative
        if final.is_file() and sha256_file(final) == digest:
            final.unlink()
            _prune_empty(final.parent, home.files)


def _prune_empty(folder, top):
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def recover(home, is_committed):
    """Settle batches left by dead processes; ``is_committed(token)`` asks the database.

    Call it holding the database write lock, so no batch can commit meanwhile.
    Returns the number of batches settled.
    """
    settled = 0
    for folder in sorted(home.staging.iterdir()) if home.staging.is_dir() else ():
        if folder.name.startswith("."):
            _remove_if_abandoned(folder)
        else:
            settled += _recover_one(home, folder, is_committed)
    return settled


def _recover_one(home, folder, is_committed):
    try:
        fd = _try_lock(folder)
    except FileNotFoundError:
        return 0  # its owner settled it between our listing and now
    if fd is None:
        return 0  # its owner is alive and still working
    try:
        if not (folder / LOCK).exists():
            return 0  # another recoverer (a clerk of another issuer, on a server) settled it while we waited
        paths = _manifest(folder)
        if is_committed(folder.name):
            _finish_publish(home, folder, paths)
        else:
            _remove_published(home, paths)
        shutil.rmtree(folder)
        return 1
    finally:
        os.close(fd)


def _try_lock(folder):
    """The folder's lock if its owner is dead, else None. Visible batches always have a lock file."""
    fd = os.open(folder / LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _remove_if_abandoned(folder):
    """A folder being created or deleted: gone once its owner is dead (lock free) or long gone.

    A folder being created has its lock file a moment before its lock: on PostgreSQL, where writers of
    other series run at once, one just made is left alone (its maker needs microseconds, not a minute).
    """
    if folder.name.startswith(NEW) and _age(folder) < BUILDING_SECONDS:
        return
    try:
        fd = os.open(folder / LOCK, os.O_RDWR)
    except FileNotFoundError:  # its owner is deleting it, or died creating it
        with contextlib.suppress(FileNotFoundError):
            if time.time() - folder.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(folder)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with contextlib.suppress(FileNotFoundError):  # another recoverer removed it before we had the lock
            shutil.rmtree(folder)
    except BlockingIOError:
        pass  # alive: it removes the folder itself
    finally:
        os.close(fd)


def _age(folder):
    try:
        return time.time() - folder.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def needs_recovery(home):
    """Whether a dead process left a batch (cheap: no database lock taken)."""
    for folder in home.staging.iterdir():
        if folder.name.startswith("."):
            continue
        with contextlib.suppress(FileNotFoundError):  # settled meanwhile
            fd = _try_lock(folder)
            if fd is not None:
                os.close(fd)
                return True
    return False


def _manifest(folder):
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _finish_publish(home, folder, entries):
    for index, (relative, _) in enumerate(entries):
        staged, final = folder / str(index), home.root / relative
        if staged.exists() and not final.exists():
            _move(staged, final)
