"""The archive home (thư mục kho): database, stored files, staging, search index.

``--home DIR``, else ``VANTHU_HOME``, else ``./vanthu-data``. Opening a home
creates it if needed, brings its schema up to date, and settles batches left
half-done by a process that died (see :mod:`vanthu.archive.store`).
"""
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import VanthuError
from . import db, events, settings, store
from .faults import checkpoint

DEFAULT = "vanthu-data"
ENV = "VANTHU_HOME"


@dataclass(frozen=True)
class Home:
    """Paths inside one archive home (thư mục dữ liệu)."""

    root: Path

    @classmethod
    def locate(cls, path=None):
        """``path``, else ``$VANTHU_HOME``, else ``./vanthu-data``."""
        return cls(Path(path or os.environ.get(ENV) or DEFAULT).absolute())

    @property
    def database(self):
        return self.root / "vanthu.sqlite3"

    @property
    def files(self):
        return self.root / "files"

    @property
    def staging(self):
        return self.root / "staging"

    @property
    def index(self):
        """The search index folder; owned by :mod:`vanthu.search`, rebuilt from the archive."""
        return self.root / "index"

    @property
    def settings(self):
        return self.root / "settings.yaml"

    @property
    def log_head(self):
        """Last event-log entry seen, kept outside the database: a deleted tail shows up."""
        return self.root / "log-head.json"

    def prepare(self):
        if self.root.exists() and not self.root.is_dir():
            raise VanthuError(f"{self.root} không phải thư mục, không dùng làm kho được")
        for folder in (self.root, self.files, self.staging):  # index/ is made by vanthu.search
            folder.mkdir(parents=True, exist_ok=True)
        settings.write_default(self.settings)


@dataclass
class Archive:
    """An open archive home: its paths, database connection and settings."""

    home: Home
    conn: object
    settings: settings.Settings

    def log(self, action, detail, checksum="", document_id=None):
        """Append to the event log (nhật ký), inside the current write transaction."""
        return events.append(self.conn, action, detail, checksum, document_id, events.read_head(self.home.log_head))

    def remember_log_head(self):
        """After a commit: save the newest log entry outside the database."""
        events.write_head(self.home.log_head, self.conn)

    def recover(self):
        """Settle dead batches; call it holding the write lock."""
        return store.recover(self.home, self._is_committed)

    def _is_committed(self, token):
        return self.conn.execute("SELECT 1 FROM documents WHERE batch = ? LIMIT 1", (token,)).fetchone() is not None

    @contextmanager
    def writing(self):
        """One all-or-nothing write with a file batch.

        Files are moved to their final paths before COMMIT, under the write
        lock, and removed again if anything fails before the commit.
        """
        self.conn.execute("BEGIN IMMEDIATE")
        batch = None
        try:
            self.recover()
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
        batch.close()


@contextmanager
def opened(path=None):
    """Open (creating if needed) the archive home at ``path``."""
    home = Home.locate(path)
    home.prepare()
    if not home.database.exists():
        db.forget(home.database)  # the home was removed and made again: a cached connection is stale
    conn = db.shared(home.database)
    archive = Archive(home, conn, settings.load(home.settings))
    _recover_if_needed(archive)
    yield archive


def _recover_if_needed(archive):
    if store.needs_recovery(archive.home):
        with db.write_transaction(archive.conn):
            archive.recover()
