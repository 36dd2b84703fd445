"""The search index on disk (chỉ mục tìm kiếm): ``<home>/index/``.

The index is a cache of the archive, never the source of truth: it can be
rebuilt from the archive at any time, and is, with a warning, when it cannot
be opened or a file of it has been cut short. One writer at a time holds
``<home>/index.lock``; a second writer is refused with a clear message.
Indexing errors are raised, never logged and skipped.
"""
import fcntl
import json
import os
import pickle
import shutil
import struct
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

from ..faults import checkpoint
from .position import Position
from ..errors import VanthuError
from ..files import private_files, write_atomic
from .schema import SCHEMA, fields_of

INDEX_NAME = "MAIN"
MANIFEST = "vanthu-manifest-{}.json"
LOCK_WAIT_SECONDS = 5.0   # a writer waits this long for another to finish

# What a damaged index file raises when Whoosh reads it.
DAMAGE = (whoosh_index.IndexError, OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError,
          ValueError, KeyError, IndexError, TypeError, AttributeError, ImportError)


# What reading a damaged file raises in a search (a bug raises something else).
READ_DAMAGE = (whoosh_index.IndexError, OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)


def index_dir(home):
    return Path(home) / "index"


def _stale_marker(home):
    """Present while the archive holds documents a failed update left out of the index."""
    return Path(home) / "index.stale"


STALE_WARNING = ("chỉ mục tìm kiếm thiếu văn bản do lần cập nhật trước bị lỗi; "
                 "đã dựng lại từ kho lưu trữ")


class WriterBusy(VanthuError):
    """Another command is writing the index (chỉ mục đang được ghi)."""


@contextmanager
def writer_lock(home, wait=LOCK_WAIT_SECONDS):
    """Hold the one writer's lock (khóa ghi) of the index for the block."""
    Path(home).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(home) / "index.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        _acquire(fd, wait)
        with private_files():  # the index holds document text: for the owner only
            yield
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(fd, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriterBusy("chỉ mục tìm kiếm đang được một lệnh vanthu khác ghi "
                                 "(cấp số, nhập văn bản hoặc reindex); chờ lệnh đó xong rồi chạy lại") from None
            time.sleep(0.1)


# --- opening ---------------------------------------------------------------

def open_index(home):
    """The Whoosh index of ``home``, checked whole; raises ``DAMAGE`` if it is not."""
    directory = index_dir(home)
    if not whoosh_index.exists_in(str(directory), INDEX_NAME):
        raise whoosh_index.EmptyIndexError(f"no index in {directory}")
    ix = whoosh_index.open_dir(str(directory), INDEX_NAME)
    if set(ix.schema.names()) != set(SCHEMA.names()):  # schema.VERSION: made by another vanthu
        raise whoosh_index.IndexError("lập bởi phiên bản vanthu khác")
    _check_manifest(directory, ix.latest_generation())
    return ix


def _check_manifest(directory, generation):
    """Every file written at the last commit is still there, at its size."""
    path = directory / MANIFEST.format(generation)
    if not path.exists():  # a writer between its commit and its manifest
        return
    for name, size in json.loads(path.read_text(encoding="utf-8")).items():
        file = directory / name
        if not file.exists() or file.stat().st_size != size:
            raise whoosh_index.IndexError(f"{name} has changed since it was written")


def _write_manifest(directory, generation):
    sizes = {f.name: f.stat().st_size for f in directory.iterdir()
             if f.is_file() and not f.name.startswith(("vanthu-", ".")) and not f.name.endswith("LOCK")}
    target = directory / MANIFEST.format(generation)
    write_atomic(target, json.dumps(sizes, sort_keys=True), mode=0o600)
    for old in directory.glob(MANIFEST.format("*")):
        if old != target:
            old.unlink()


def open_or_rebuild(home, all_documents):
    """The index, rebuilt from ``all_documents()`` first if it is missing or damaged.

    Given the archive's feed (:class:`vanthu.archive.feed.Feed`), the index
    first catches up with the archive's log. Returns ``(index, warnings)``:
    the warnings are for the clerk.
    """
    if Path(home).is_dir() and not os.access(home, os.W_OK):
        return _read_only(home, all_documents)
    if hasattr(all_documents, "position"):
        return _open_caught_up(home, all_documents)
    if _stale_marker(home).exists():
        with writer_lock(home):
            if _stale_marker(home).exists():  # another command may have rebuilt it meanwhile
                warnings = _rebuild_locked(home, all_documents(), None, [STALE_WARNING])
                return open_index(home), warnings
    try:
        return open_index(home), []
    except DAMAGE:
        with writer_lock(home):
            try:  # a writer may have been between its commit and its manifest
                return open_index(home), []
            except DAMAGE as damage:
                warnings = _rebuild_locked(home, all_documents(), None, _warning(home, damage))
        return open_index(home), warnings


# --- catching up with the archive's log --------------------------------------

APPLIED = "vanthu-applied.json"  # the log entry the index has applied: {"home", "event", "hash"}
COPIED_WARNING = "chỉ mục tìm kiếm là của một kho khác (được chép sang?); đã dựng lại từ kho này"
BEHIND_WARNING = "chỉ mục tìm kiếm không khớp với nhật ký của kho (kho được khôi phục từ bản sao?); đã dựng lại"
BUSY_WARNING = ("chỉ mục tìm kiếm đang được một lệnh khác cập nhật; kết quả có thể chưa có các văn bản vừa "
                "ban hành (tìm lại sau ít giây)")


def applied(home):
    """The archive position the index has applied, or None (none recorded, or unreadable)."""
    try:
        return Position.from_dict(json.loads((index_dir(home) / APPLIED).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _record_applied(directory, position):
    write_atomic(directory / APPLIED, json.dumps(position.as_dict()), mode=0o600)


def catch_up(home, feed, wait=LOCK_WAIT_SECONDS):
    """Apply to the index what the archive's log has and the index has not (or rebuild); warnings.

    Cheap when level: one look at the log, no lock. Raises :class:`WriterBusy`
    when another writer holds the index longer than ``wait``.
    """
    if not _stale_marker(home).exists() and applied(home) == feed.position():
        return []  # a missing or damaged index is found when it is opened, and rebuilt then
    with writer_lock(home, wait):
        return _catch_up_locked(home, feed)


def _exists(home):
    return whoosh_index.exists_in(str(index_dir(home)), INDEX_NAME)


def _catch_up_locked(home, feed):
    position, done = feed.position(), applied(home)
    if _stale_marker(home).exists():
        return _rebuild_locked(home, feed(), None, [STALE_WARNING], position)
    try:
        ix = open_index(home)
    except DAMAGE as damage:  # the documents are read after ``position``: nothing is missed
        return _rebuild_locked(home, feed(), None, _warning(home, damage), position)
    if done == position:
        return []
    if done is None or done.home != position.home:
        return _rebuild_locked(home, feed(), None, [COPIED_WARNING] if done else [], position)
    docs = feed.changed_since(done)
    if docs is None:
        return _rebuild_locked(home, feed(), None, [BEHIND_WARNING], position)
    _apply(home, ix, docs)
    checkpoint("index-committed")  # a kill here: the next catch-up applies the same documents again
    _record_applied(index_dir(home), position)
    return []


def _apply(home, ix, docs):
    try:
        _update(ix, docs)
    except BaseException:
        _stale_marker(home).touch()  # the next search or commit rebuilds
        raise
    _write_manifest(index_dir(home), ix.latest_generation())


def _open_caught_up(home, feed):
    """The index level with the archive's log; one damaged after its last update is rebuilt."""
    warnings = _catch_up_for_reading(home, feed)
    try:
        return open_index(home), warnings
    except DAMAGE:
        with writer_lock(home):
            try:  # another command may have rebuilt it meanwhile
                return open_index(home), warnings
            except DAMAGE as damage:
                position = feed.position()  # read before the documents
                warnings += _rebuild_locked(home, feed(), None, _warning(home, damage), position)
        return open_index(home), warnings


def _catch_up_for_reading(home, feed):
    """A search catches up first; if another writer is busy, it searches what is there, with a warning."""
    try:
        return catch_up(home, feed)
    except WriterBusy:
        if not _exists(home):
            raise
        return [BUSY_WARNING]
    except OSError as error:  # a read-only home: search what is there
        if not _exists(home):
            raise
        return [f"không cập nhật được chỉ mục tìm kiếm ({error}); kết quả có thể thiếu văn bản mới nhất"]


def _read_only(home, all_documents):
    """A home that cannot be written: its index as it is, else one built in memory for this search."""
    level = not hasattr(all_documents, "position") or applied(home) == all_documents.position()
    if level and not _stale_marker(home).exists():
        try:
            return open_index(home), []
        except DAMAGE:
            pass
    from .build import build_index
    storage = RamStorage()
    build_index(storage, SCHEMA, INDEX_NAME, all_documents(), None)
    return storage.open_index(INDEX_NAME), [READ_ONLY_WARNING]


READ_ONLY_WARNING = "kho chỉ đọc: chỉ mục tìm kiếm được dựng tạm trong bộ nhớ cho lần tìm này"


# --- writing ---------------------------------------------------------------

def add_documents(home, docs, all_documents):
    """Index new or changed archived documents; returns warnings (cảnh báo).

    ``all_documents()`` lists the whole archive, for the rebuild of an index
    that is missing or damaged. Given the archive's feed instead, the index
    catches up with the archive's log: ``docs`` and whatever an earlier
    command left out.
    """
    with writer_lock(home):
        if hasattr(all_documents, "position"):
            return _catch_up_locked(home, all_documents)
        if _stale_marker(home).exists():
            return _rebuild_locked(home, all_documents(), None, [STALE_WARNING])
        try:
            ix = open_index(home)
        except DAMAGE as damage:
            return _rebuild_locked(home, all_documents(), None, _warning(home, damage))
        # The documents are in the archive already: a failure marks the index stale, so that
        # the next search or commit rebuilds it, then reaches the caller.
        _apply(home, ix, docs)
    return []


def _update(ix, docs):
    writer = ix.writer()
    try:
        for doc in docs:
            writer.update_document(**fields_of(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _warning(home, damage):
    if not index_dir(home).exists():
        return []
    return [f"chỉ mục tìm kiếm hỏng hoặc không mở được ({damage}); đã dựng lại từ kho lưu trữ"]


def rebuild(home, docs, progress=None, feed=None):
    """Rebuild the index from these archived documents (the whole archive).

    ``feed``: the archive's (:class:`vanthu.archive.feed.Feed`); ``docs`` then
    defaults to all of it, and the index records the log entry it was built at.
    """
    with writer_lock(home):
        position = feed.position() if feed is not None else None  # read before the documents
        return _rebuild_locked(home, feed() if docs is None else docs, progress, [], position)


def _rebuild_locked(home, docs, progress, warnings, position=None):
    from .build import build_index

    final = index_dir(home)
    fresh = final.with_name("index.new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    build_index(FileStorage(str(fresh)), SCHEMA, INDEX_NAME, docs, progress)
    _write_manifest(fresh, 0)
    if position is not None:
        _record_applied(fresh, position)
    _swap(fresh, final)
    _stale_marker(home).unlink(missing_ok=True)
    return warnings


def _swap(fresh, final):
    """Put the new index in place of the old one (one rename each)."""
    old = final.with_name("index.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(fresh, final)
    shutil.rmtree(old, ignore_errors=True)
