"""The archive as the search index sees it (nguồn cho chỉ mục): every document, and what changed since.

The index records the log entry it has applied (:class:`Position`). Each
search and each issue compares it with the archive's newest entry and applies
the documents of the entries in between, or rebuilds: so no kill, lock
timeout or error after a commit leaves an issued document unsearchable.
"""
import os
from pathlib import Path

from ..search.position import Position
from . import db

GENESIS = "0" * 64  # events.GENESIS: the position of a log without entries

USES = ("view", "download", "print")  # reading a document changes nothing the index holds (vanthu.archive.access)
MAX_CHANGES = 5_000  # more documents than this behind: rebuilding is faster than updating one by one


class Feed:
    """What the index reads from the archive of ``home``; called, it yields every document."""

    def __init__(self, home):
        self.home = home

    def __call__(self):
        from . import catalog
        return catalog.documents(self.home)

    def position(self):
        """Where the archive's log is now. Every search asks: two small queries, few imports."""
        database = os.environ.get("VANTHU_DB") or (  # environment.VARIABLES["database"]; this path stays light
            Path(self.home or os.environ.get("VANTHU_HOME") or "vanthu-data") / "vanthu.sqlite3")
        if not db.is_server(database) and not database.exists():
            from .home import opened
            with opened(self.home) as archive:  # a new home: made as any command makes it
                return self._at(archive.conn)
        return self._at(db.shared(database))

    @staticmethod
    def _at(conn):
        return Position(db.home_id(conn), *(db.newest_event(conn) or (0, GENESIS)))

    def server(self):
        """The PostgreSQL URL of this home's database, or None (its SQLite file, searched by Whoosh)."""
        from .home import Home
        home = Home.locate(self.home)
        try:
            from .home import database_of
        except ImportError:  # an archive on SQLite only
            return None
        from . import settings
        target = database_of(home, settings.load(home.settings))
        return target if db.is_server(target) else None

    def changed_since(self, position):
        """Documents touched by the entries after ``position``; None if the log there is not the same
        (an old database restored, another home) or if so much changed that a rebuild is better."""
        from .home import opened
        with opened(self.home) as archive:
            conn = archive.conn
            if position.home != db.home_id(conn) or _hash_at(conn, position.event) != position.hash:
                return None
            ids = [r[0] for r in conn.execute("SELECT DISTINCT document_id FROM events WHERE id > ?"
                                              " AND document_id IS NOT NULL AND action NOT IN (?, ?, ?)",
                                              (position.event, *USES))]
            if len(ids) > MAX_CHANGES:
                return None
            from . import catalog
            return catalog.documents_by_id(conn, ids)


def _hash_at(conn, event_id):
    if event_id == 0:
        return GENESIS
    row = conn.execute("SELECT hash FROM events WHERE id = ?", (event_id,)).fetchone()
    return row["hash"] if row else None
