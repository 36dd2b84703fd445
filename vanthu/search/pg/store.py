"""The search tables on the archive's PostgreSQL server (bảng tìm kiếm trên máy chủ).

Like the Whoosh index, they are a cache of the archive: made on the first
search, rebuilt from the archive whenever they do not match its log, and
brought up to date with the log in one transaction (the documents and the
log position they reflect commit together, so nothing is half-applied).

* ``search_documents``: one row per document (:mod:`.rows`), a GIN index on
  its ``terms``;
* ``search_terms``: each lexeme's document frequency (BM25's idf), and the words of the vocabulary for did-you-mean (a
  ``pg_trgm`` index over the folded words);
* ``search_champions``: each common content term's champion list, as of the
  last rebuild (the documents added since are ``fresh`` and always looked at);
* ``search_state``: the log position applied, the totals (documents, field lengths).

A rebuild writes ``*_new`` tables and swaps them in: searches go on over the
old ones meanwhile.
"""
import json
import threading

from ...errors import VanthuError
from ..position import Position
from .rows import SCORED, Row, Statistics, COLUMNS

VERSION = 1  # bumped when what the tables hold changes: a search then rebuilds them
SEARCH_LOCK = 0x76616E7473  # "vants": one writer of the search tables at a time (advisory)
LOCK_WAIT = "5s"
TABLES = ("search_documents", "search_terms", "search_champions")

_DOCUMENTS = """CREATE TABLE {name} (
    doc_id BIGINT PRIMARY KEY, date DATE NOT NULL, terms TSVECTOR NOT NULL, lengths INTEGER[] NOT NULL,
    number TEXT, type_name TEXT, issuer_name TEXT, subject_text TEXT, body TEXT, people TEXT, cited TEXT,
    direction TEXT, confidentiality TEXT, fresh BOOLEAN NOT NULL DEFAULT FALSE)"""
_CHAMPIONS = "CREATE TABLE {name} (lexeme TEXT PRIMARY KEY, docs BIGINT[] NOT NULL)"
_TERMS = ("CREATE TABLE {name} (lexeme TEXT PRIMARY KEY, df BIGINT NOT NULL, cf BIGINT NOT NULL DEFAULT 0,"
          " kind TEXT, word TEXT, folded TEXT)")
_INDEXES = (
    "CREATE INDEX {documents}_terms ON {documents} USING gin (terms)",
    "CREATE INDEX {documents}_date ON {documents} (date, doc_id)",
    "CREATE INDEX {documents}_fresh ON {documents} (doc_id) WHERE fresh",
    "CREATE INDEX {terms}_words ON {terms} USING gin (word gin_trgm_ops) WHERE kind = 'f'",
    "CREATE INDEX {terms}_folded ON {terms} (folded) WHERE kind = 'x'",
)
_STATE = "CREATE TABLE IF NOT EXISTS search_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)"

_local = threading.local()


def connection(url):
    """This thread's connection to the server (autocommit; transactions are explicit)."""
    cache = _local.__dict__.setdefault("connections", {})
    conn = cache.get(url)
    if conn is None or conn.closed:
        import psycopg
        try:
            conn = cache[url] = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise VanthuError(f"không kết nối được máy chủ tìm kiếm: {str(error).strip().splitlines()[0]}") from None
    return conn


def forget(url):
    conn = _local.__dict__.get("connections", {}).pop(url, None)
    if conn is not None:
        conn.close()


# --- state ----------------------------------------------------------------------

def state(conn):
    """``{name: value}`` of search_state; empty if the tables were never made."""
    if not _exists(conn, "search_state"):
        return {}
    return {name: json.loads(value) for name, value in conn.execute("SELECT name, value FROM search_state")}


def _exists(conn, table):
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]


def applied(conn):
    """The log position the tables reflect, or None (never built, or built by another vanthu)."""
    found = state(conn)
    if found.get("version") != VERSION or "applied" not in found or not _exists(conn, "search_documents"):
        return None
    return Position.from_dict(found["applied"]) if found["applied"] else None


def _set_state(conn, **values):
    conn.execute(_STATE)
    for name, value in values.items():
        conn.execute("INSERT INTO search_state (name, value) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE"
                     " SET value = EXCLUDED.value", (name, json.dumps(value)))


def totals(conn):
    """``(documents, {field: average length})`` for BM25F."""
    found = state(conn).get("totals") or {"docs": 0, "lengths": [0] * len(SCORED)}
    docs = max(found["docs"], 1)
    return found["docs"], {name: (total / docs) or 1.0 for name, total in zip(SCORED, found["lengths"])}


def read_only(conn):
    """Whether this connection cannot write: a hot standby (in recovery) or a read-only session."""
    return conn.execute("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'").fetchone()[0]


def lock(conn):
    """Inside a transaction: the writer's lock, waited for at most ``LOCK_WAIT``."""
    conn.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SEARCH_LOCK,))


# --- writing --------------------------------------------------------------------

def copy_rows(conn, table, rows, stats, progress=None):
    """COPY these :class:`Row` s into ``table``, counting their terms into ``stats``."""
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for n, row in enumerate(rows, 1):
                copy.write_row(row.record())
                stats.add(row)
                if progress and n % 500 == 0:
                    progress(500)


def write_terms(conn, table, stats, champions="search_champions_new"):
    """The statistics' lexemes into a new terms table, their champion lists into ``champions`` (COPY)."""
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {champions} (lexeme, docs) FROM STDIN") as copy:
            for lex, docs in stats.champion_lists():
                copy.write_row((lex, docs))
        with cursor.copy(f"COPY {table} (lexeme, df, cf, kind, word, folded) FROM STDIN") as copy:
            cf = stats.cf
            for lex, df in stats.df.items():
                if df > 0:
                    copy.write_row((lex, df, cf.get(lex[2:], 0) if lex.startswith("f:") else 0, *_word(lex)))


def _word(lex):
    """``(kind, word, folded)`` of a lexeme: the vocabulary of did-you-mean is its ``f:`` and ``x:`` words."""
    from ..analysis import fold
    code, _, word = lex.partition(":")
    if code == "f":
        return "f", word, None
    if code == "x":
        return "x", word, fold(word)
    return None, None, None


def make_tables(conn, suffix=""):
    """Empty documents and terms tables named with ``suffix`` (indexes come after the load)."""
    _extension(conn)
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}{suffix}")
    conn.execute(_DOCUMENTS.format(name=f"search_documents{suffix}"))
    conn.execute(_TERMS.format(name=f"search_terms{suffix}"))
    conn.execute(_CHAMPIONS.format(name=f"search_champions{suffix}"))
    # the terms kept in the row (compressed, not in the TOAST table): scoring reads them for every candidate,
    # and a TOAST fetch per row (index look-up, chunks) cost about as much again (bench/province_search.py)
    conn.execute(f"ALTER TABLE search_documents{suffix} ALTER COLUMN terms SET STORAGE MAIN")
    try:  # lz4 reads faster than pglz (PostgreSQL built with it, as Debian's is)
        conn.execute(f"ALTER TABLE search_documents{suffix} ALTER COLUMN terms SET COMPRESSION lz4")
    except Exception:  # noqa: BLE001 (a server without lz4 keeps its default)
        pass


def _extension(conn):
    """``pg_trgm`` (did-you-mean): a trusted extension, which the database's owner may create."""
    import psycopg
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except psycopg.Error as error:
        raise VanthuError("máy chủ PostgreSQL thiếu phần mở rộng pg_trgm (gói postgresql-contrib) hoặc người dùng "
                          f"không được tạo nó: {str(error).strip().splitlines()[0]}; nhờ quản trị chạy "
                          "CREATE EXTENSION pg_trgm trong cơ sở dữ liệu này") from None


def make_indexes(conn, suffix=""):
    for statement in _INDEXES:
        conn.execute(statement.format(documents=f"search_documents{suffix}", terms=f"search_terms{suffix}"))
    # VACUUM, not only ANALYZE: the visibility map set, so counting a filter's rows (``narrow``) need not
    # visit the table's pages
    conn.execute(f"VACUUM (ANALYZE) search_documents{suffix}")
    conn.execute(f"ANALYZE search_terms{suffix}")


def swap_in(conn, suffix, stats, position):
    """Put the ``suffix`` tables in place of the current ones, in one transaction."""
    with conn.transaction():
        lock(conn)
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"ALTER TABLE {table}{suffix} RENAME TO {table}")
        for new, old in zip(_index_names(suffix), _index_names("")):  # index names follow the tables'
            conn.execute(f"ALTER INDEX {new} RENAME TO {old}")
        _set_state(conn, version=VERSION, applied=position.as_dict() if position else None,
                   totals={"docs": stats.docs, "lengths": stats.lengths})


def rebuild(url, docs, position=None, progress=None):
    """The tables rebuilt from ``docs`` (the whole archive), as of ``position``; the number of documents."""
    conn = connection(url)
    suffix, stats = "_new", Statistics()
    make_tables(conn, suffix)
    with conn.transaction():
        copy_rows(conn, f"search_documents{suffix}", (Row(d) for d in docs), stats, progress)
        write_terms(conn, f"search_terms{suffix}", stats, f"search_champions{suffix}")
    make_indexes(conn, suffix)
    swap_in(conn, suffix, stats, position)
    return stats.docs


def _index_names(suffix):
    return [s.split()[2].format(documents=f"search_documents{suffix}", terms=f"search_terms{suffix}") for s in _INDEXES]


def apply(conn, docs, position):
    """Inside the writer's transaction: these documents' rows replaced, the statistics and position updated."""
    rows = [Row(d) for d in docs]
    change, ids = Statistics(keep_champions=False), [r.values["doc_id"] for r in rows]
    old = conn.execute("SELECT terms::text, lengths FROM search_documents WHERE doc_id = ANY(%s)",
                       ([int(i) for i in ids],)).fetchall()
    for text, lengths in old:
        change.add(_Old(text, lengths), -1)
    conn.execute("DELETE FROM search_documents WHERE doc_id = ANY(%s)", ([int(i) for i in ids],))
    copy_rows(conn, "search_documents", rows, change)
    conn.execute("UPDATE search_documents SET fresh = TRUE WHERE doc_id = ANY(%s)", ([int(i) for i in ids],))
    _add_terms(conn, change)
    found = state(conn).get("totals") or {"docs": 0, "lengths": [0] * len(SCORED)}
    _set_state(conn, applied=position.as_dict() if position else None,
               totals={"docs": found["docs"] + change.docs,
                       "lengths": [a + b for a, b in zip(found["lengths"], change.lengths)]})


class _Old:
    """A row as read back, for its lexemes to be counted out of the statistics."""

    def __init__(self, text, lengths):
        import re
        found = {m.group(1).replace("''", "'"): m.group(2) for m in re.finditer(r"'((?:[^']|'')*)'(?::([\d,]+))?", text)}
        self.counts = dict.fromkeys(found)
        self.fields = {"fold": {lex[2:]: positions.count(",") + 1 for lex, positions in found.items()
                                if lex.startswith("f:") and positions}}
        self.lengths = lengths


def _add_terms(conn, change):
    """Document frequencies changed by ``change``; rows in lexeme order (no deadlock between writers)."""
    cf = change.cf
    rows = sorted((lex, n, cf.get(lex[2:], 0) if lex.startswith("f:") else 0, *_word(lex))
                  for lex, n in change.df.items() if n or cf.get(lex[2:]))
    if not rows:
        return
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_terms (lexeme, df, cf, kind, word, folded) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (lexeme) DO UPDATE SET df = search_terms.df + EXCLUDED.df,"
            " cf = search_terms.cf + EXCLUDED.cf", rows)
