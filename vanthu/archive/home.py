"""The archive home (thư mục kho): database, stored files, staging, search index.

``--home DIR``, else ``VANTHU_HOME``, else ``./vanthu-data`` (:mod:`vanthu.environment`). Opening a home
creates it if needed, brings its schema up to date, and settles batches left
half-done by a process that died (see :mod:`vanthu.archive.store`).
"""
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import environment
from ..errors import VanthuError
from . import db, events, seal, store
from ..faults import checkpoint
from ..files import private_files


def _under(relative, doc=None):
    """A path inside the home, as a read-only attribute."""
    return property(lambda home: home.root / relative, doc=doc or f"``HOME/{relative}``")


@dataclass(frozen=True)
class Home:
    """Paths inside one archive home (thư mục dữ liệu)."""

    root: Path

    @classmethod
    def locate(cls, path=None):
        """``path``, else ``$VANTHU_HOME``, else ``./vanthu-data``."""
        return cls(Path(path or environment.current().home).absolute())

    database = _under("vanthu.sqlite3")
    files = _under("files", "Stored files (tệp lưu), read-only, by year and series.")
    staging = _under("staging", "Files of batches not yet committed (:mod:`vanthu.archive.store`).")
    settings = _under("settings.yaml", "The office's numbering settings, edited by the clerk.")
    log_head = _under("log-head.json", "Last event-log entry seen, kept outside the database: a deleted tail shows up.")
    # The search index (index/) is vanthu.search's: see vanthu.search.index.index_dir.

    def contains(self, path):
        """Whether ``path`` lies in this home once every symlink is resolved."""
        root, target = os.path.realpath(self.root), os.path.realpath(path)
        return os.path.commonpath([root, target]) == root

    def refuse_output(self, path):
        """Only the archive writes inside its home: an output path there (or linked there) is refused."""
        if self.contains(path):
            raise VanthuError(f"{path}: nằm trong thư mục kho {self.root}; chỉ vanthu được ghi vào kho "
                              "(tệp lưu trữ không được ghi đè). Chọn nơi ghi khác, ví dụ -o ~/ban-sao.pdf")

    @property
    def read_only(self):
        """An existing home this process cannot write (a read-only disk, a backup copy): it can still be read."""
        return self.root.is_dir() and not os.access(self.root, os.W_OK)

    def prepare(self):
        if self.root.exists() and not self.root.is_dir():
            raise VanthuError(f"{self.root} không phải thư mục, không dùng làm kho được")
        with private_files():  # a new home is 0700, its files 0600
            for folder in (self.root, self.files, self.staging):  # index/ is made by vanthu.search
                folder.mkdir(parents=True, exist_ok=True)
            from . import settings
            settings.write_default(self.settings)


@dataclass
class Archive:
    """An open archive home: its paths, database connection and settings."""

    home: Home
    conn: object
    settings: object  # settings.Settings (imported on open: ruamel.yaml is slow to import)
    read_only: bool = False

    def log(self, action, detail, checksum="", document_id=None):
        """Append to the event log (nhật ký), inside the current write transaction.

        An event about a document carries the seal of its row as it now stands.
        """
        if document_id is not None:
            detail = {**detail, "row": seal.of_document(self.conn, document_id), "seal": seal.VERSION}
        return events.append(self.conn, action, detail, checksum, document_id, events.read_head(self.home.log_head))

    def refuse_if_inconsistent(self):
        """No number while the home disagrees with itself: a damaged or newer head, a failed verify.

        Call it holding the write lock, before any number is taken.
        """
        try:
            head = events.read_head(self.home.log_head)
        except VanthuError:
            raise VanthuError(f"{INCONSISTENT}: tệp {events.HEAD_FILE} (mục nhật ký cuối) bị hỏng hoặc bị sửa. "
                              f"{HOW_TO_RECOVER}") from None
        mismatch = events.head_mismatch(self.conn, head)
        if mismatch:
            raise VanthuError(f"{INCONSISTENT}: {mismatch}. {HOW_TO_RECOVER}")
        failed = verify_failed(self.conn)
        if failed:
            raise VanthuError(f"{INCONSISTENT}: {failed}. Xử lý các vấn đề đó (khôi phục tệp, cơ sở dữ liệu từ bản sao "
                              "lưu) rồi chạy lại 'vanthu verify'; khi kiểm tra sạch mới cấp số tiếp")

    def remember_log_head(self):
        """After a commit: save the newest log entry outside the database."""
        events.write_head(self.home.log_head, self.conn)

    def recover(self):
        """Settle dead batches; call it holding the write lock."""
        return store.recover(self.home, self._is_committed)

    def settle_after_wait(self):
        """After a series lock: on PostgreSQL its holder may have died while we waited (on SQLite nobody else
        was writing): settle the batch it left, so none of its files sits where our number's files go."""
        if self.conn.dialect != "sqlite":
            self.recover()

    def _is_committed(self, token):
        return self.conn.execute("SELECT 1 FROM documents WHERE batch = ? LIMIT 1", (token,)).fetchone() is not None

    @contextmanager
    def writing(self):
        """One all-or-nothing write with a file batch.

        Files are moved to their final paths before COMMIT, under the write
        lock, and removed again if anything fails before the commit.
        """
        if self.read_only:
            raise VanthuError(f"kho {self.home.root} chỉ đọc: xem, in sổ, tìm và kiểm tra được, nhưng không ban hành "
                              "hay vào sổ được; dùng kho có quyền ghi")
        with private_files():
            yield from self._writing()

    def _writing(self):
        self.conn.execute("BEGIN IMMEDIATE")
        batch = None
        try:
            self.conn.lock_home()
            self.recover()
            self.refuse_if_inconsistent()
            batch = store.Batch(self.home).open()
            yield batch
            batch.publish()
            checkpoint("published")
            self.conn.execute("COMMIT")
        except BaseException:
            if batch is not None:
                batch.discard()
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if batch is not None:
                batch.close()
            raise
        checkpoint("committed")
        try:
            batch.close()
        except OSError:
            pass  # committed: the next open settles the left-over staging folder (never fail an issued number)


def refuse_output(home, path):
    """The ``-o`` guard of every command: refuse ``path`` if it resolves into the archive home."""
    Home.locate(home).refuse_output(path)


INCONSISTENT = "kho không nhất quán, không cấp số (để không cấp trùng số)"
HOW_TO_RECOVER = ("Chạy 'vanthu verify' để xem chi tiết; khi đã khôi phục đúng bản sao lưu hoặc xác nhận tình trạng, "
                  "người phụ trách chạy 'vanthu recover-head' (được ghi vào nhật ký)")


def verify_failed(conn):
    """The last ``vanthu verify`` found problems: what it said, else None."""
    row = conn.execute("SELECT id, time, detail FROM events WHERE action = 'verify' ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    problems = json.loads(row["detail"]).get("problems", 0)
    if not problems:
        return None
    return f"lần kiểm tra gần nhất ('vanthu verify', nhật ký mục {row['id']}, {row['time'][:19]}) phát hiện {problems} vấn đề"


def settings_of(path=None):
    """The home's settings (settings.yaml), without opening its database."""
    from . import settings
    return settings.load(Home.locate(path).settings)


@contextmanager
def opened(path=None):
    """Open (creating if needed) the archive home at ``path``; a read-only home is opened for reading."""
    from . import settings
    home = Home.locate(path)
    if home.read_only:  # show, register, search and verify still work; a write fails with a clear message
        chosen = settings.load(home.settings)
        target = database_of(home, chosen)
        conn = db.shared(target) if db.is_server(target) else db.shared_read_only(target)
        yield Archive(home, conn, chosen, read_only=True)
        return
    home.prepare()
    chosen = settings.load(home.settings)
    target = database_of(home, chosen)
    if not db.is_server(target) and not home.database.exists():
        db.forget(home.database)  # the home was removed and made again: a cached connection is stale
    with private_files():  # SQLite gives its -wal and -shm files the database's mode
        conn = db.shared(target)
    archive = Archive(home, conn, chosen)
    _recover_if_needed(archive)
    yield archive


def database_of(home, chosen):
    """Where this home's register is: ``--db`` / ``VANTHU_DB``, else ``database:`` in settings.yaml, else its SQLite file."""
    target = environment.current().database or chosen.database
    if not target:
        return home.database
    if not db.is_server(target):
        raise VanthuError(f"VANTHU_DB={target}: cần địa chỉ postgresql://... (hoặc bỏ trống để dùng tệp vanthu.sqlite3)")
    if home.database.exists() and not environment.current().database:
        raise VanthuError(f"kho {home.root} có cả tệp vanthu.sqlite3 và database: {db.redacted(target)} trong "
                          "settings.yaml; chỉ được dùng một nơi. Chuyển kho bằng 'vanthu db move', hoặc xóa dòng database:")
    return target


def _recover_if_needed(archive):
    if store.needs_recovery(archive.home):
        with db.write_transaction(archive.conn):
            archive.recover()
