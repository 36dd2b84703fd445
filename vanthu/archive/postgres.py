"""The PostgreSQL backend (máy chủ cơ sở dữ liệu): the archive's SQL on a server, through psycopg 3.

:func:`connect` returns an object that answers the few calls the archive
makes of a ``sqlite3`` connection (``execute`` with ``?`` placeholders, rows
read by position or by name, ``in_transaction``), so the same core runs on
both. What differs between the two engines lives in :class:`Dialect`
methods here and in :mod:`.db` (``SqliteConnection``); the SQL itself is
written once, in the subset both understand.

Writers do not take one lock for the whole database, as SQLite's ``BEGIN
IMMEDIATE`` does: a number series is locked by its row in ``number_series``
(:meth:`PostgresConnection.lock_series`), the event chain by an advisory
lock taken when the first entry of a transaction is appended.
"""
import re

from ..errors import VanthuError

SCHEMES = ("postgresql://", "postgres://")
CHAIN_LOCK = 0x76616E7468  # "vanth": the advisory lock of the event chain (one per database)
HOME_LOCK = CHAIN_LOCK + 1  # shared by every writer, exclusive for verify and migrations
_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%")


def is_url(target):
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(SCHEMES)


def _translate(sql, cache={}):
    """``?`` -> ``%s`` and ``%`` -> ``%%`` outside quoted text; ``BEGIN IMMEDIATE`` -> ``BEGIN``."""
    done = cache.get(sql)
    if done is None:
        done = _PLACEHOLDER.sub(lambda m: {"?": "%s", "%": "%%"}.get(m.group(0), m.group(0)), sql)
        done = cache[sql] = "BEGIN" if done.strip().upper() == "BEGIN IMMEDIATE" else done
    return done


def _plain(sql):
    """A statement without parameters goes as written (psycopg leaves ``%`` alone then)."""
    return "BEGIN" if sql.strip().upper() == "BEGIN IMMEDIATE" else sql


class Row(tuple):
    """A result row read like ``sqlite3.Row``: ``row[0]``, ``row["number"]``, ``row.keys()``, ``dict(row)``."""

    __slots__ = ()
    names = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self.positions[key])
        return tuple.__getitem__(self, key)

    def keys(self):
        return list(self.names)


def _row_factory(cursor, kinds={}):
    names = tuple(c.name for c in cursor.description or ())
    kind = kinds.get(names)
    if kind is None:
        kind = kinds[names] = type("Row", (Row,), {"names": names, "positions": {n: i for i, n in enumerate(names)}})
    return lambda values: tuple.__new__(kind, values)


class Cursor:
    """The result of one statement: ``fetchone``, ``fetchall``, iteration."""

    def __init__(self, cursor, conn=None):
        self._cursor, self._conn = cursor, conn

    @property
    def lastrowid(self):
        """The id the last INSERT took from its sequence in this session (``INSERT ... RETURNING id`` is better)."""
        return self._conn.execute("SELECT lastval()").fetchone()[0]

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self):
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self):
        return self._cursor.rowcount


class PostgresConnection:
    """One session with the server, in autocommit mode: the archive says BEGIN and COMMIT itself."""

    dialect = "postgresql"
    path = None  # no home folder to tighten: the server keeps its own files

    def __init__(self, url):
        import psycopg
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise VanthuError(f"không kết nối được cơ sở dữ liệu {redacted(url)}: {_first_line(error)}") from None
        self._chain_locked = False
        self._at_commit = []

    defers_events = True  # log entries are chained at COMMIT (events.append)

    def at_commit(self, step):
        """Run ``step`` just before this transaction's COMMIT (dropped on ROLLBACK)."""
        self._at_commit.append(step)

    def execute(self, sql, params=()):
        params = tuple(params)
        text = _translate(sql) if params else _plain(sql)
        if text == "COMMIT":
            steps, self._at_commit = self._at_commit, []
            for step in steps:
                step()
        if text in ("BEGIN", "COMMIT", "ROLLBACK"):
            self._chain_locked, self._at_commit = False, []
        return Cursor(self._conn.execute(text, params or None), self._conn)

    def executemany(self, sql, rows):
        with self._conn.cursor() as cursor:
            cursor.executemany(_translate(sql), [tuple(r) for r in rows])

    @property
    def in_transaction(self):
        from psycopg.pq import TransactionStatus
        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def close(self):
        self._conn.close()

    def lock_series(self, direction, year, series):
        """Hold this series' row until the transaction ends: its next number is ours alone, other series go on."""
        self.execute("INSERT INTO number_series (direction, year, series) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     (direction, year, series))
        self.execute("SELECT 1 FROM number_series WHERE direction = ? AND year = ? AND series = ? FOR UPDATE",
                     (direction, year, series))

    def lock_chain(self):
        """Before appending to the event log: one writer at a time at its end, until commit."""
        if not self._chain_locked:
            self.execute("SELECT pg_advisory_xact_lock(?)", (CHAIN_LOCK,))
            self._chain_locked = True

    def schema_version(self):
        # pg_tables, not to_regclass: a name looked up before another session made the table stays
        # "missing" in this session's catalog cache until it locks a table, and an advisory lock does not.
        if not self.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
                            " AND tablename = 'schema_version'").fetchone()[0]:
            return 0  # a new, empty database
        return self.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    def set_schema_version(self, number):
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        self.execute("DELETE FROM schema_version")
        self.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))

    def lock_home(self, exclusive=False):
        """Writers share the home; ``verify`` and migrations have it alone (no batch moves files in meanwhile)."""
        self.execute(f"SELECT pg_advisory_xact_lock{'' if exclusive else '_shared'}(?)", (HOME_LOCK,))

    def copy_rows(self, table, columns, rows):
        """Load rows fast (COPY), inside the current transaction (``vanthu db move``)."""
        names = ", ".join(f'"{c}"' for c in columns)
        with self._conn.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row))

    def restart_sequences(self, tables):
        """After rows came with their ids: the next id made here follows the highest copied."""
        for table in tables:
            found = self.execute("SELECT pg_get_serial_sequence(table_name, column_name) FROM information_schema.columns"
                                 " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'",
                                 (table,)).fetchone()
            sequence = found[0] if found else None
            if sequence:
                self.execute(f"SELECT setval(?, max(id)) FROM {table} HAVING max(id) IS NOT NULL", (sequence,))

    def ddl(self, statement):
        """A migration statement in PostgreSQL's words where SQLite's differ."""
        for sqlite_words, postgres_words in DDL:
            statement = statement.replace(sqlite_words, postgres_words)
        return statement

    @property
    def errors(self):
        import psycopg
        return (psycopg.Error,)


# The only places the migrations need other words on PostgreSQL.
DDL = (
    ("id INTEGER PRIMARY KEY AUTOINCREMENT", "id BIGSERIAL PRIMARY KEY"),  # a sequence never reuses an id either
    ("id INTEGER PRIMARY KEY", "id BIGSERIAL PRIMARY KEY"),
    ("BLOB", "BYTEA"),
    ("\n        user TEXT NOT NULL,", '\n        "user" TEXT NOT NULL,'),  # a reserved word on PostgreSQL
    ("lower(hex(randomblob(16)))", "replace(gen_random_uuid()::text, '-', '')"),
    ("json_extract(metadata, '$.IssuedAmount')", "(metadata::jsonb ->> 'IssuedAmount')::integer"),
)


# Migration 9 on PostgreSQL: the withdrawn document frozen (db.FREEZE_TRIGGERS is SQLite's), in PL/pgSQL.
_FROZEN_FUNCTION = """
CREATE OR REPLACE FUNCTION vanthu_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key bigint := (to_jsonb(CASE WHEN TG_ARGV[0] = 'new' THEN NEW ELSE OLD END) ->> TG_ARGV[1])::bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM withdrawals WHERE document_id = key) THEN
        RAISE EXCEPTION 'vanthu: văn bản đã thu hồi, đã đóng băng';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$"""
_KEPT_FUNCTION = """
CREATE OR REPLACE FUNCTION vanthu_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'vanthu: bản ghi hủy tệp không sửa, không xóa được';
END $$"""
FREEZE_TRIGGERS = (_FROZEN_FUNCTION, _KEPT_FUNCTION) + tuple(
    f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION vanthu_frozen('{side}', '{column}')"
    for name, event, table, side, column in (
        ("withdrawn_row_frozen", "UPDATE", "documents", "old", "id"),
        ("withdrawn_row_kept", "DELETE", "documents", "old", "id"),
        ("withdrawn_files_frozen", "UPDATE", "files", "old", "document_id"),
        ("withdrawn_files_kept", "DELETE", "files", "old", "document_id"),
        ("withdrawn_no_new_files", "INSERT", "files", "new", "document_id"),
        ("withdrawn_no_new_links", "INSERT", "links", "new", "document_id"),
        ("withdrawal_fixed", "UPDATE", "withdrawals", "old", "document_id"),
        ("withdrawal_kept", "DELETE", "withdrawals", "old", "document_id"),
    )) + tuple(f"CREATE TRIGGER destroyed_files_{verb} BEFORE {verb.upper()} ON destroyed_files FOR EACH ROW"
               " EXECUTE FUNCTION vanthu_kept()" for verb in ("update", "delete"))


def redacted(url):
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def connect(url):
    return PostgresConnection(url)
