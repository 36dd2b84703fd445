"""The archive database (cơ sở dữ liệu sổ đăng ký): schema, migrations, and the two backends.

SQLite by default: one file in the archive home. A PostgreSQL URL (the home's
``database:`` setting, ``--db`` or ``VANTHU_DB``) puts the same tables on a
server instead (:mod:`.postgres`); the same migrations make both, with the
few words that differ swapped by the connection's :meth:`ddl`.

On SQLite: WAL lets readers (search, show) run while a
clerk issues; every write goes through :func:`write_transaction`, which takes
the write lock up front (``BEGIN IMMEDIATE``) so that two ``vanthu issue``
processes queue instead of both reading the same "next number".
"""
import os
import sqlite3
import threading
import urllib.parse
from contextlib import contextmanager

from ..docnumber import DocumentNumber
from ..errors import VanthuError

LOCK_WAIT_SECONDS = 600  # a batch with PDF may hold the lock for minutes; wait, never fail

# Each entry moves the schema one version up; PRAGMA user_version says where a home is.
MIGRATIONS = (
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
        year INTEGER NOT NULL,
        series TEXT NOT NULL,
        serial INTEGER NOT NULL CHECK (serial > 0),  -- the number in our series: số đi, or số đến
        number INTEGER NOT NULL CHECK (number > 0),
        symbol TEXT NOT NULL,
        number_key TEXT NOT NULL,
        date TEXT NOT NULL,
        template TEXT NOT NULL DEFAULT '',
        type_name TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        issuer_name TEXT NOT NULL DEFAULT '',
        issuer_key TEXT NOT NULL DEFAULT '',
        issuer_code TEXT NOT NULL DEFAULT '',
        issuer_parent TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        signer TEXT NOT NULL DEFAULT '',
        signer_title TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '[]',
        copy_holders TEXT NOT NULL DEFAULT '',
        confidentiality TEXT,
        urgency TEXT,
        arrival_number INTEGER,
        arrival_date TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        batch TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (direction, year, series, serial)
    );
    CREATE INDEX documents_key ON documents (number_key);
    CREATE INDEX documents_batch ON documents (batch);
    CREATE UNIQUE INDEX incoming_once ON documents (substr(date, 1, 4), number_key, issuer_key) WHERE direction = 'in';
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id),
        role TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL
    );
    CREATE TABLE links (
        document_id INTEGER NOT NULL REFERENCES documents (id),
        kind TEXT NOT NULL CHECK (kind IN ('replaces', 'corrects')),
        target_id INTEGER NOT NULL REFERENCES documents (id),
        PRIMARY KEY (document_id, kind, target_id)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        document_id INTEGER REFERENCES documents (id),
        detail TEXT NOT NULL,
        checksum TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    """,
    # 2: people (người dùng) of the web app, and drafts (dự thảo) before they are issued
    """
    CREATE TABLE people (
        username TEXT PRIMARY KEY,
        full_name TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        roles TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        template TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        record TEXT NOT NULL,
        state TEXT NOT NULL,
        owner TEXT NOT NULL,
        document_id INTEGER REFERENCES documents (id),
        revision INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_state ON drafts (state);
    CREATE INDEX drafts_owner ON drafts (owner)
    """,
    # 3 (issue 9): the hash of what a record says (all but number and date), so the same content is not issued twice.
    """
    ALTER TABLE documents ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
    CREATE INDEX documents_content ON documents (content_hash) WHERE content_hash != '';
    """,
    # 4 (issue 9): the home's identity (an index copied from another home is told apart), look-ups of
    # the log by action and document, and a seal for each row issued before rows were sealed.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('home_id', lower(hex(randomblob(16))));
    CREATE INDEX events_action ON events (action, id);
    CREATE INDEX events_document ON events (document_id, id);
    """,
    # 5: trình ký (the sign-off route of a draft), the leader's signed PDF, withdrawals (thu hồi)
    """
    CREATE TABLE signoff_steps (
        id INTEGER PRIMARY KEY,
        draft_id INTEGER NOT NULL REFERENCES drafts (id),
        round INTEGER NOT NULL,
        position INTEGER NOT NULL,
        person TEXT NOT NULL,
        duty TEXT NOT NULL CHECK (duty IN ('duyet', 'ky')),
        state TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        acted_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX signoff_waiting ON signoff_steps (person, state);
    CREATE TABLE signed_drafts (
        draft_id INTEGER PRIMARY KEY REFERENCES drafts (id),
        pdf BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        signer TEXT NOT NULL,
        signed_at TEXT NOT NULL
    );
    CREATE TABLE withdrawals (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id),
        reason TEXT NOT NULL,
        person TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    # 6 (issue 14): how an incoming document arrived, and its handling (giải quyết văn bản đến, Điều 24)
    """
    CREATE TABLE receipts (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id),
        received_at TEXT NOT NULL,
        arrived_by TEXT NOT NULL DEFAULT '',
        received_by TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE handling (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id),
        leader TEXT NOT NULL DEFAULT '',
        instructions TEXT NOT NULL DEFAULT '',
        handler TEXT NOT NULL,
        co_handlers TEXT NOT NULL DEFAULT '[]',
        deadline TEXT NOT NULL DEFAULT '',
        assigned_at TEXT NOT NULL,
        acknowledged_at TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('giao', 'dang-xu-ly', 'xong')),
        result TEXT NOT NULL DEFAULT '',
        reply TEXT NOT NULL DEFAULT '',
        done_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX handling_open ON handling (deadline) WHERE status != 'xong'
    """,
    # 7 (issue 10): số lượng bản in a column of its own, no longer only inside the Phụ lục VI metadata.
    """
    ALTER TABLE documents ADD COLUMN copies INTEGER;
    UPDATE documents SET copies = json_extract(metadata, '$.IssuedAmount') WHERE direction = 'out'
    """,
    # 8 (issue 16, use of records and withdrawal): saved searches (Phụ lục VI III.6.e), and the stored files
    # destroyed on a sender's recall (III.8.b): the files row, its checksum and the events stay.
    """
    CREATE TABLE saved_searches (
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        query TEXT NOT NULL DEFAULT '',
        filters TEXT NOT NULL DEFAULT '{}',
        columns TEXT NOT NULL DEFAULT '[]',
        saved_at TEXT NOT NULL,
        PRIMARY KEY (owner, name)
    );
    CREATE TABLE destroyed_files (
        file_id INTEGER PRIMARY KEY REFERENCES files (id),
        reason TEXT NOT NULL,
        person TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    # 9 (issue 16, withdrawal): a withdrawn document frozen by triggers (FREEZE_TRIGGERS, made by AFTER[9])
    "",
    # 10 (issue 11): a copy (bản sao y, sao lục, trích sao) is linked to the document it copies. SQLite cannot
    # change a CHECK, so the links table is made again with the new kind; its rows (and the seals over them) are kept,
    # and AFTER[10] makes its freeze trigger again (dropping a table drops its triggers).
    """
    CREATE TABLE links_new (
        document_id INTEGER NOT NULL REFERENCES documents (id),
        kind TEXT NOT NULL CHECK (kind IN ('replaces', 'corrects', 'copies')),
        target_id INTEGER NOT NULL REFERENCES documents (id),
        PRIMARY KEY (document_id, kind, target_id)
    );
    INSERT INTO links_new (document_id, kind, target_id) SELECT document_id, kind, target_id FROM links;
    DROP TABLE links;
    ALTER TABLE links_new RENAME TO links
    """,
    # 11 (issue 16): Danh mục hồ sơ (the year's file plan), hồ sơ (case files) and the documents filed in them
    # (one document in several hồ sơ without a copy: a row here, not a file). See vanthu.archive.dossiers.
    """
    CREATE TABLE dossier_plans (
        year INTEGER PRIMARY KEY,
        organ_name TEXT NOT NULL DEFAULT '',
        parent_name TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL DEFAULT '',
        numbering TEXT NOT NULL CHECK (numbering IN ('toan-danh-muc', 'de-muc')),
        copied_from INTEGER,
        state TEXT NOT NULL CHECK (state IN ('du-thao', 'da-duyet')),
        approved_by TEXT NOT NULL DEFAULT '',
        approved_at TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE TABLE dossier_headings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the log names rows by id
        year INTEGER NOT NULL REFERENCES dossier_plans (year),
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        parent_id INTEGER REFERENCES dossier_headings (id),
        UNIQUE (year, position)
    );
    CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        year INTEGER NOT NULL,
        code TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        heading_id INTEGER REFERENCES dossier_headings (id),
        in_plan INTEGER NOT NULL DEFAULT 0,
        title TEXT NOT NULL,
        retention TEXT NOT NULL,
        keeper TEXT NOT NULL DEFAULT '',
        rights TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('ke-hoach', 'dang-lap', 'da-dong', 'da-nop-luu')),
        opened_at TEXT NOT NULL DEFAULT '',
        closed_at TEXT NOT NULL DEFAULT '',
        transferred_at TEXT NOT NULL DEFAULT '',
        package TEXT NOT NULL DEFAULT '',
        UNIQUE (year, code)
    );
    CREATE TABLE dossier_items (
        dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
        ordinal INTEGER NOT NULL CHECK (ordinal > 0),
        document_id INTEGER REFERENCES documents (id),
        draft_id INTEGER REFERENCES drafts (id),
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        CHECK ((document_id IS NULL) != (draft_id IS NULL)),
        PRIMARY KEY (dossier_id, ordinal),
        UNIQUE (dossier_id, document_id),
        UNIQUE (dossier_id, draft_id)
    );
    CREATE INDEX dossier_items_document ON dossier_items (document_id)
    """,
    # 12 (issue 12): a document's files and the later documents that replace or correct it, found without reading
    # the whole table (every search result's status and the web's "Mở PDF" ask for them)
    """
    CREATE INDEX IF NOT EXISTS files_document ON files (document_id);
    CREATE INDEX IF NOT EXISTS links_target ON links (target_id)
    """,
    # 13 (issue 15): one row per number series, locked (SELECT ... FOR UPDATE) while a number is taken on
    # PostgreSQL, so clerks of one issuer queue and other issuers do not; SQLite's one write lock needs none.
    """
    CREATE TABLE number_series (
        direction TEXT NOT NULL,
        year INTEGER NOT NULL,
        series TEXT NOT NULL,
        PRIMARY KEY (direction, year, series)
    )
    """,
)


class SqliteConnection(sqlite3.Connection):
    """A SQLite connection with the few calls whose SQL differs on PostgreSQL (:mod:`.postgres`)."""

    dialect = "sqlite"
    defers_events = False  # one writer at a time: log entries are chained as they come

    @property
    def path(self):
        return self.execute("PRAGMA database_list").fetchone()[2]

    def lock_series(self, direction, year, series):
        """BEGIN IMMEDIATE already holds the one write lock: nothing more to take."""

    def lock_chain(self):
        """BEGIN IMMEDIATE already holds the one write lock: nothing more to take."""

    def schema_version(self):
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, number):
        self.execute(f"PRAGMA user_version = {int(number)}")

    def lock_home(self, exclusive=False):
        """BEGIN IMMEDIATE already holds the one write lock: nothing more to take."""

    def ddl(self, statement):
        return statement

    errors = (sqlite3.Error,)


def _seal_existing(conn):
    """Version 4: log a seal for each row already in the register (issued before seals existed)."""
    from . import events, seal
    for row in conn.execute("SELECT id, number, symbol FROM documents ORDER BY id").fetchall():
        detail = {"number": str(DocumentNumber(row["number"], row["symbol"])), "row": seal.of_document(conn, row["id"]),
                  "seal": seal.VERSION}
        events.append(conn, "seal", detail, document_id=row["id"])


def _upgrade_home(conn):
    """Version 4 also makes an older home owner-only (issue 9), and seals its rows."""
    from .permissions import tighten
    path = conn.path
    if path:
        tighten(os.path.dirname(path))
    _seal_existing(conn)


FROZEN = "SELECT 1 FROM withdrawals WHERE document_id = {}"
# 9: a withdrawn (thu hồi) document is frozen in the database itself (Phụ lục VI III.8.a, IV.1.g): its row, its
# files' rows and the withdrawal cannot change or go, whatever code (or a later module) tries. One statement each:
# a trigger's body has semicolons, which the migration scripts' splitting would cut.
FREEZE_TRIGGERS = tuple(
    f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN EXISTS ({FROZEN.format(key)}) "
    f"BEGIN SELECT RAISE(ABORT, 'vanthu: văn bản đã thu hồi, đã đóng băng'); END"
    for name, event, table, key in (
        ("withdrawn_row_frozen", "UPDATE", "documents", "OLD.id"),
        ("withdrawn_row_kept", "DELETE", "documents", "OLD.id"),
        ("withdrawn_files_frozen", "UPDATE", "files", "OLD.document_id"),
        ("withdrawn_files_kept", "DELETE", "files", "OLD.document_id"),
        ("withdrawn_no_new_files", "INSERT", "files", "NEW.document_id"),
        ("withdrawn_no_new_links", "INSERT", "links", "NEW.document_id"),
        ("withdrawal_fixed", "UPDATE", "withdrawals", "OLD.document_id"),
        ("withdrawal_kept", "DELETE", "withdrawals", "OLD.document_id"),
    )) + tuple(
    f"CREATE TRIGGER destroyed_files_{verb} BEFORE {verb.upper()} ON destroyed_files "
    f"BEGIN SELECT RAISE(ABORT, 'vanthu: bản ghi hủy tệp không sửa, không xóa được'); END" for verb in ("update", "delete"))


def _freeze_triggers(conn):
    from .postgres import FREEZE_TRIGGERS as ON_SERVER
    return FREEZE_TRIGGERS if conn.dialect == "sqlite" else ON_SERVER  # PL/pgSQL on the server


def _freeze(conn):
    for statement in _freeze_triggers(conn):
        conn.execute(statement)


def _refreeze_links(conn):
    """Version 10: the links table was made again; its triggers of version 9 with it."""
    for statement in _freeze_triggers(conn):
        if " ON links " in statement:
            conn.execute(statement)


AFTER = {4: _upgrade_home, 9: _freeze, 10: _refreeze_links}  # Python steps of a migration, run after its SQL


_OPEN = {}  # (process, thread, path or URL) -> connection: reused by later calls in the same thread


def shared(path):
    """This thread's connection to ``path`` (a SQLite file or a PostgreSQL URL), opened and migrated once.

    Closing a WAL database's last connection checkpoints and removes the
    log (several ms); a process issuing many documents keeps one open.
    A forked child gets its own: the key has the process id.
    """
    key = (os.getpid(), threading.get_ident(), str(path))
    conn = _OPEN.get(key)
    if conn is None:
        conn = connect(path)
        migrate(conn)
        _OPEN[key] = conn
    return conn


def is_server(target):
    """Whether ``target`` is a PostgreSQL URL (else a SQLite file)."""
    return str(target).startswith(("postgresql://", "postgres://"))


def redacted(target):
    """The target for a message: a URL without its password."""
    from .postgres import redacted
    return redacted(str(target))


def shared_read_only(path):
    """This thread's read-only connection to ``path``: a home on a read-only disk (or without write permission)."""
    key = (os.getpid(), threading.get_ident(), str(path), "ro")
    conn = _OPEN.get(key)
    if conn is None:
        conn = _OPEN[key] = connect_read_only(path)
    return conn


def connect_read_only(path):
    """Open the database for reading only; SQLite cannot make its WAL index there, so it reads the file as it is."""
    if not os.path.exists(path):
        raise VanthuError(f"kho {os.path.dirname(path)} chỉ đọc và chưa có sổ (không có {os.path.basename(path)})")
    uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"
    try:
        conn = _open_uri(uri)
    except sqlite3.OperationalError:  # no -shm file and no right to make one: nobody can be writing either
        conn = _open_uri(uri + "&immutable=1")
    if schema_version(conn) != len(MIGRATIONS):
        raise VanthuError(f"kho chỉ đọc có phiên bản {schema_version(conn)}, chương trình cần {len(MIGRATIONS)}; "
                          "mở kho với quyền ghi một lần để nâng cấp")
    return conn


def _open_uri(uri):
    conn = sqlite3.connect(uri, uri=True, timeout=LOCK_WAIT_SECONDS, isolation_level=None, factory=SqliteConnection)
    conn.row_factory = sqlite3.Row
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # fails here, not later, if it cannot read
    return conn


def connect(path):
    """Open the database (file or URL) with the settings every connection needs."""
    if is_server(path):
        from . import postgres
        return postgres.connect(str(path))
    conn = sqlite3.connect(str(path), timeout=LOCK_WAIT_SECONDS, isolation_level=None, factory=SqliteConnection)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")  # a committed number survives a power cut
    return conn


def schema_version(conn):
    if isinstance(conn, sqlite3.Connection):  # ours, or a plain one (a backup's copy)
        return conn.execute("PRAGMA user_version").fetchone()[0]
    return conn.schema_version()


def migrate(conn):
    """Bring the schema up to date (all pending versions in one transaction)."""
    if schema_version(conn) == len(MIGRATIONS):
        return  # the usual case: no write lock needed
    with write_transaction(conn, exclusive=True):
        version = schema_version(conn)  # re-read under the lock: another process may have migrated
        if version > len(MIGRATIONS):
            raise VanthuError(f"kho dữ liệu có phiên bản {version}, mới hơn chương trình này; hãy cập nhật vanthu")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in _statements(script):
                conn.execute(conn.ddl(statement))
            if number in AFTER:
                AFTER[number](conn)
            conn.set_schema_version(number)


def _statements(script):
    return [s.strip() for s in script.split(";") if s.strip()]


@contextmanager
def write_transaction(conn, exclusive=False):
    """One all-or-nothing write, holding the write lock from the start.

    On PostgreSQL writers run side by side (``exclusive``: alone, for verify and migrations).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.lock_home(exclusive)
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def newest_event(conn):
    """``(id, hash)`` of the newest log entry, or None before the first (see :mod:`.events`)."""
    row = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def home_id(conn):
    """The random identity of this archive home, made when its database was created."""
    return conn.execute("SELECT value FROM meta WHERE key = 'home_id'").fetchone()[0]


def forget(path):
    """Drop this process's cached connections to ``path`` (its file is gone)."""
    for key in [k for k in _OPEN if k[2] == str(path)]:
        _OPEN.pop(key).close()
