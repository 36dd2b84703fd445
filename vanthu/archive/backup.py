"""Backup and restore (sao lưu, phục hồi dữ liệu; Phụ lục VI mục III.5.g).

``vanthu backup DIR`` copies a home while clerks keep issuing: the database
through SQLite's online backup (one consistent snapshot), then the stored
files *that snapshot* lists (stored files are never rewritten, and a committed
document's files are in place before its COMMIT, so each is there), the log
head of the snapshot, the office's other files (settings, keys, templates)
and, with ``--index``, the search index. Everything is written into a hidden
folder beside DIR, whose manifest (``vanthu-backup.json``: every file's
SHA-256 and size, the counts, the chain head, a seal over the manifest) is
written last; only then is the folder renamed to DIR. A backup killed midway
leaves no DIR, only a hidden folder that no restore accepts and the next
backup sweeps away.

``vanthu restore DIR`` only into an empty (or absent) home: every file of the
backup is copied into a hidden folder beside the home and hashed on the way;
any missing, extra or changed file, an edited manifest, or a database that
disagrees with the manifest (head, counts, stored files) refuses the restore
with nothing written. The copy is then verified as ``vanthu verify`` does;
only a clean copy is renamed into place, and its index rebuilt if the backup
had none.
"""
import contextlib
import datetime as _dt
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ..errors import VanthuError
from ..faults import checkpoint
from ..files import SCRATCH_LOCK, ScratchFolder, fsync_dir, private_files, sweep_scratch, write_atomic
from . import db, events
from .home import Home, opened
from .store import READ_ONLY

MANIFEST = "vanthu-backup.json"
FORMAT = 1
DATABASE, HEAD, INDEX = "vanthu.sqlite3", "log-head.json", "index"
# Not copied as they are: the database (snapshotted), its journals, the head (the snapshot's), the stored files
# (those the snapshot lists), staging (uncommitted batches), the index (only with --index, under its lock),
# cache/ (reading copies: rebuilt on the next click).
NOT_COPIED = {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal", HEAD, "files", "staging",
              INDEX, "index.lock", "index.stale", "cache"}
BACKUP_SCRATCH, RESTORE_SCRATCH = ".vanthu-sao-luu-", ".vanthu-phuc-hoi-"
KILL_POINTS = ("backup-index", "backup-database", "backup-files", "backup-manifest", "restore-copied")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Summary:
    """What a backup or a restore did (kết quả sao lưu / phục hồi)."""

    folder: Path
    documents: int
    files: int
    head: tuple
    index: bool
    logged: bool = True  # the backup is in the home's log (not when the home stayed busy, or is read-only)

    def line(self, verb):
        index = "có chỉ mục tìm kiếm" if self.index else "chỉ mục tìm kiếm dựng lại được từ kho"
        unlogged = "" if self.logged else " (chưa ghi được vào nhật ký của kho: kho đang bận hoặc chỉ đọc)"
        return (f"{verb} {self.folder}: {self.documents} văn bản, {self.files} tệp lưu trữ, nhật ký đến mục "
                f"{self.head[0]} (mã băm {self.head[1][:16]}); {index}.{unlogged}")


# --- backup -------------------------------------------------------------------

def backup(target, home=None, with_index=False, progress=None):
    """``vanthu backup DIR``: a consistent snapshot of the home in the new folder ``target``."""
    target = Path(target).absolute()
    source = Home.locate(home)
    _refuse_server(source)
    _refuse_backup_target(source, target)
    with opened(source.root) as archive:
        with private_files():
            sweep_scratch(target.parent, f".{target.name}{BACKUP_SCRATCH}")
            scratch = ScratchFolder(f".{target.name}{BACKUP_SCRATCH}", dir=target.parent)
            try:
                summary = _fill(archive, Path(scratch.name), with_index, progress)
                checkpoint("backup-manifest")
                _publish(Path(scratch.name), target)
            finally:
                scratch.cleanup()
        logged = _log_backup(archive, target, summary)
    return Summary(target, summary.documents, summary.files, summary.head, summary.index, logged)


def _refuse_backup_target(source, target):
    if not source.database.exists():
        raise VanthuError(f"không có kho ở {source.root} (chưa có {DATABASE}); không có gì để sao lưu")
    source.refuse_output(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VanthuError(f"{target}: đã có và không trống; sao lưu vào một thư mục mới (ví dụ thêm ngày vào tên)")
    if not target.parent.is_dir():
        raise VanthuError(f"{target}: không có thư mục {target.parent}")


def _fill(archive, scratch, with_index, progress):
    """Everything of the backup into ``scratch``: index, snapshot, its files, other files, head, manifest."""
    head = events.read_head(archive.home.log_head)  # read before the snapshot: the head never runs ahead of it
    if with_index:
        _copy_index(archive.home.root, scratch)
    snapshot = _snapshot(archive.conn, scratch / DATABASE)
    try:
        _refuse_inconsistent(snapshot, head)
        stored = stored_files(snapshot)
        _copy_stored(archive.home.root, scratch, stored, progress)
        checkpoint("backup-files")
        _copy_others(archive.home.root, scratch)
        newest = events.last(snapshot)
        write_atomic(scratch / HEAD, json.dumps({"id": newest[0], "hash": newest[1]}), mode=0o600)
        summary = Summary(scratch, _count(snapshot, "documents"), len(stored), newest, with_index)
        _write_manifest(scratch, snapshot, summary)
    finally:
        snapshot.close()
    return summary


def _copy_index(root, scratch):
    """The index as one writer left it: copied under the index's writer lock (no half-written segment)."""
    from ..search.index import index_dir, writer_lock
    if not index_dir(root).is_dir():
        return
    with writer_lock(root, wait=600):
        shutil.copytree(index_dir(root), scratch / INDEX, copy_function=shutil.copy2)
    checkpoint("backup-index")


def _snapshot(conn, path):
    """SQLite's online backup: one read transaction, so one consistent state while others write."""
    target = sqlite3.connect(str(path), isolation_level=None)
    conn.backup(target)
    target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file; restore turns WAL on again
    target.row_factory = sqlite3.Row
    checkpoint("backup-database")
    return target


def _refuse_inconsistent(snapshot, head):
    mismatch = events.head_mismatch(snapshot, head)
    if mismatch:
        raise VanthuError(f"kho không nhất quán ({mismatch}); không sao lưu. Chạy 'vanthu verify'")


def stored_files(conn):
    """``{path: (sha256, size)}`` of the stored files of a register (those destroyed on a recall are gone)."""
    destroyed = _destroyed_paths(conn)
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT path, sha256, size FROM files ORDER BY path")
            if r[0] not in destroyed}


def _destroyed_paths(conn):
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'destroyed_files'").fetchone()
    if not exists:
        return set()
    return {r[0] for r in conn.execute("SELECT f.path FROM destroyed_files x JOIN files f ON f.id = x.file_id")}


def _copy_stored(root, scratch, stored, progress):
    """Each stored file the snapshot lists, hashed as it is copied: a changed or missing one stops the backup."""
    problems = []
    for done, (relative, (digest, _)) in enumerate(sorted(stored.items()), 1):
        try:
            copied = _copy_file(root / relative, scratch / relative, READ_ONLY)
        except FileNotFoundError:
            problems.append(f"thiếu tệp {relative}")
            continue
        if copied[0] != digest:
            problems.append(f"tệp {relative} đã bị thay đổi (mã băm không khớp với sổ)")
        if progress:
            progress(done, len(stored))
    if problems:
        raise VanthuError(*problems, "kho có tệp hỏng hoặc thiếu; không sao lưu. Chạy 'vanthu verify' rồi "
                                     "khôi phục các tệp đó từ bản sao lưu trước")


def _copy_file(source, target, mode):
    """Copy with fsync; returns ``(sha256, size)`` of the bytes copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as original, open(target, "xb") as copy:
        for chunk in iter(lambda: original.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            copy.write(chunk)
        copy.flush()
        os.fsync(copy.fileno())
    os.chmod(target, mode)
    return digest.hexdigest(), size


def _copy_others(root, scratch):
    """The office's other files (settings.yaml, keys/, templates/): as they are, symlinks not followed."""
    for relative, full, info in _walk(root):
        if relative.split("/", 1)[0] in NOT_COPIED:
            continue
        if stat.S_ISDIR(info.st_mode):
            (scratch / relative).mkdir(parents=True, exist_ok=True)
        elif stat.S_ISREG(info.st_mode):
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile (a spooled entry taken into the log)
                _copy_file(Path(full), scratch / relative, stat.S_IMODE(info.st_mode) & 0o700)


def _walk(root):
    """Every entry under ``root`` but hidden ones (temporary files being written, the scratch folder's lock)."""
    from .permissions import entries
    return sorted(e for e in entries(root) if not any(part.startswith(".") for part in e[0].split("/")))


def _count(conn, table):
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _write_manifest(scratch, snapshot, summary):
    body = {"format": FORMAT, "made_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "made_by": events.actor(), "home_id": db.home_id(snapshot), "schema": db.schema_version(snapshot),
            "head": {"id": summary.head[0], "hash": summary.head[1]}, "index": summary.index,
            "counts": _counts(snapshot, summary.files), "files": _listing(scratch)}
    write_atomic(scratch / MANIFEST, json.dumps({**body, "seal": _seal(body)}, ensure_ascii=False, indent=1),
                 mode=0o600)


def _counts(conn, files):
    rows = conn.execute("SELECT direction, COUNT(*) FROM documents GROUP BY direction").fetchall()
    by = {r[0]: r[1] for r in rows}
    return {"documents": sum(by.values()), "outgoing": by.get("out", 0), "incoming": by.get("in", 0),
            "stored_files": files, "events": _count(conn, "events")}


def _listing(folder):
    """``{relative path: {"sha256", "size"}}`` of every file under ``folder`` but the manifest."""
    found = {}
    for relative, full, info in _walk(folder):
        if stat.S_ISREG(info.st_mode) and relative != MANIFEST:
            found[relative] = {"sha256": _hash(full), "size": info.st_size}
    return found


def _hash(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _seal(body):
    """SHA-256 of the manifest's content: an edited manifest (a count, a checksum) is told at restore."""
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _publish(scratch, target):
    """The finished folder takes its name in one rename (onto an empty folder, if the clerk made one)."""
    (scratch / SCRATCH_LOCK).unlink()  # the descriptor still holds the lock; the folder is whole
    for folder, subfolders, _ in os.walk(scratch):
        fsync_dir(folder)
    os.rename(scratch, target)
    fsync_dir(target.parent)


LOG_WAIT_MS = 30_000  # the backup is already whole: it does not wait minutes behind a PDF batch to say so


def _log_backup(archive, target, summary):
    """A ``backup`` event in the home; False when it is read-only or its write lock stayed taken."""
    if archive.read_only:
        return False
    archive.conn.execute(f"PRAGMA busy_timeout = {LOG_WAIT_MS}")
    try:
        with db.write_transaction(archive.conn):
            archive.log("backup", {"to": str(target), "head": list(summary.head), "documents": summary.documents,
                                   "files": summary.files, "index": summary.index})
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        return False
    finally:
        archive.conn.execute(f"PRAGMA busy_timeout = {db.LOCK_WAIT_SECONDS * 1000}")
    archive.remember_log_head()
    return True


# --- restore ------------------------------------------------------------------

def _refuse_server(source):
    """A register on PostgreSQL is backed up by the server's own tools, with the files beside it."""
    from . import settings
    from .home import database_of
    if db.is_server(database_of(source, settings.load(source.settings))):
        raise VanthuError("sổ của kho này ở trên máy chủ PostgreSQL: sao lưu sổ bằng công cụ của máy chủ (pg_dump, "
                          "pg_basebackup), và thư mục tệp lưu (files/) bằng bản sao tệp; 'vanthu backup' chỉ sao lưu kho SQLite")


def restore(source, home=None, progress=None):
    """``vanthu restore DIR``: the backup ``source`` becomes the (empty or new) home; refused if damaged."""
    source, target = Path(source).absolute(), Home.locate(home)
    _refuse_restore_target(target.root)
    manifest = read_manifest(source)
    target.root.parent.mkdir(parents=True, exist_ok=True)
    with private_files():
        sweep_scratch(target.root.parent, f".{target.root.name}{RESTORE_SCRATCH}")
        scratch = ScratchFolder(f".{target.root.name}{RESTORE_SCRATCH}", dir=target.root.parent)
        try:
            _copy_checked(source, Path(scratch.name), manifest, progress)
            _check_database(Path(scratch.name), manifest)
            _settle(Path(scratch.name), source, manifest)
            checkpoint("restore-copied")
            _publish(Path(scratch.name), target.root)
        finally:
            scratch.cleanup()
    if not manifest["index"]:
        from .finding import reindex
        reindex(target.root)
    counts = manifest["counts"]
    return Summary(target.root, counts["documents"], counts["stored_files"],
                   (manifest["head"]["id"], manifest["head"]["hash"]), manifest["index"])


def _refuse_restore_target(root):
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise VanthuError(f"kho {root} không trống: chỉ phục hồi vào một kho trống hoặc chưa có "
                          "(để không ghi đè dữ liệu đang có); dùng --home THƯ-MỤC-MỚI")


DAMAGED = "bản sao lưu {} hỏng hoặc không đủ; không phục hồi gì (kho đích không bị ghi)"


def read_manifest(source):
    """The backup's manifest, its seal checked; a missing or edited one refuses the restore."""
    path = source / MANIFEST
    if not source.is_dir():
        raise VanthuError(f"không có bản sao lưu {source}")
    if BACKUP_SCRATCH in source.name or (source / SCRATCH_LOCK).exists():
        raise VanthuError(f"{source}: bản sao lưu đang làm dở hoặc bị ngắt giữa chừng", DAMAGED.format(source))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        body = {k: v for k, v in manifest.items() if k != "seal"}
        sealed = manifest["seal"] == _seal(body) and manifest["format"] == FORMAT
        files, head = manifest["files"], manifest["head"]
    except FileNotFoundError:
        raise VanthuError(f"{source}: không có {MANIFEST} (sao lưu chưa xong hoặc không phải bản sao lưu vanthu)",
                          DAMAGED.format(source)) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise VanthuError(f"{path.name}: hỏng, không đọc được", DAMAGED.format(source)) from None
    if not sealed or not isinstance(files, dict) or not isinstance(head, dict):
        raise VanthuError(f"{path.name}: bản kê đã bị sửa (mã niêm phong không khớp)", DAMAGED.format(source))
    return manifest


def _copy_checked(source, scratch, manifest, progress):
    """Copy every file of the backup, hashing as it goes; each difference from the manifest is named."""
    listed, found, problems = manifest["files"], {}, []
    for relative, full, info in _walk(source):
        if stat.S_ISREG(info.st_mode) and relative != MANIFEST:
            mode = READ_ONLY if relative.startswith("files/") else 0o600
            found[relative] = _copy_file(Path(full), scratch / relative, mode)
            if progress:
                progress(len(found), len(listed))
        elif stat.S_ISLNK(info.st_mode):
            problems.append(f"{relative}: liên kết (symlink) không có trong bản sao lưu vanthu")
    problems += _differences(listed, found)
    if problems:
        raise VanthuError(*problems, DAMAGED.format(source))


def _differences(listed, found):
    problems = [f"thiếu tệp {p}" for p in sorted(set(listed) - set(found))]
    problems += [f"tệp lạ {p} không có trong bản kê" for p in sorted(set(found) - set(listed))]
    for path in sorted(set(listed) & set(found)):
        entry = listed[path]
        if not isinstance(entry, dict) or (entry.get("sha256"), entry.get("size")) != found[path]:
            problems.append(f"tệp {path} đã bị thay đổi (mã băm khác bản kê)")
    return problems


def _check_database(scratch, manifest):
    """The database against the manifest: whole, same home, same head, same counts, same stored files."""
    try:
        conn = sqlite3.connect(f"file:{urllib.parse.quote(str(scratch / DATABASE))}?mode=ro", uri=True,
                               isolation_level=None)
        try:
            problems = _database_problems(conn, manifest)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        problems = [f"cơ sở dữ liệu trong bản sao lưu hỏng ({error})"]
    if problems:
        raise VanthuError(*problems, DAMAGED.format(scratch.name))


def _database_problems(conn, manifest):
    if [r[0] for r in conn.execute("PRAGMA integrity_check(5)")] != ["ok"]:
        return ["cơ sở dữ liệu trong bản sao lưu hỏng (PRAGMA integrity_check)"]
    problems = []
    if list(events.last(conn)) != [manifest["head"].get("id"), manifest["head"].get("hash")]:
        problems.append("nhật ký trong cơ sở dữ liệu không dừng ở mục bản kê ghi")
    if db.home_id(conn) != manifest.get("home_id"):
        problems.append("cơ sở dữ liệu là của kho khác với bản kê")
    if _count(conn, "documents") != manifest["counts"].get("documents"):
        problems.append("số văn bản trong cơ sở dữ liệu khác bản kê")
    stored = stored_files(conn)
    listed = {p: (e["sha256"], e["size"]) for p, e in manifest["files"].items() if p.startswith("files/")}
    if stored != listed:
        problems.append(f"tệp lưu trữ trong sổ ({len(stored)}) khác các tệp của bản sao lưu ({len(listed)})")
    return problems


def _settle(scratch, source, manifest):
    """Open the copy as a home (its schema brought up to date), log the restore, and verify it whole."""
    from .verify import verify
    with opened(scratch) as archive:
        with db.write_transaction(archive.conn):
            archive.log("restore", {"from": str(source), "manifest": manifest["seal"],
                                    "head": [manifest["head"]["id"], manifest["head"]["hash"]]})
        archive.remember_log_head()
    report = verify(scratch)
    db.forget(scratch / DATABASE)  # closed before the rename: its WAL is checkpointed into the file
    if not report.ok:
        raise VanthuError(*report.problems, DAMAGED.format(source))
