"""Search on the archive's PostgreSQL server (tìm kiếm trên máy chủ PostgreSQL), for a province.

When a home's database is PostgreSQL (``--db``/``VANTHU_DB`` or
``database:`` in settings.yaml), the search index is a few tables beside the
register (:mod:`.store`) instead of the Whoosh folder; the query parser, the
Vietnamese analysis, the filters and the ranking are the same code
(:mod:`.plan` runs the Whoosh query tree), so both give the same results
for the same query on the same archive. The entry points mirror
:mod:`vanthu.search.index`: each takes the archive's
:class:`~vanthu.archive.feed.Feed`, whose ``server()`` names the database.
"""
from contextlib import contextmanager


def server(all_documents):
    """The PostgreSQL URL the archive behind ``all_documents`` is on, or None (SQLite: the Whoosh index)."""
    ask = getattr(all_documents, "server", None)
    return ask() if ask is not None else None


BUSY_WARNING = ("chỉ mục tìm kiếm đang được một lệnh khác cập nhật; kết quả có thể chưa có các văn bản vừa "
                "ban hành (tìm lại sau ít giây)")


def search(url, text, filters, limit, feed):
    from . import run
    return run.search(url, text, filters, limit, catch_up(url, feed, reading=True))


def citations(url, key, feed):
    from . import run, store
    catch_up(url, feed, reading=True)
    return run.citations(store.connection(url), key)


READ_ONLY_WARNING = ("máy chủ chỉ đọc (bản sao): chỉ mục tìm kiếm chưa được cập nhật theo nhật ký của kho; kết quả "
                     "có thể chưa có các văn bản vừa ban hành (tìm trên máy chủ chính để có đủ)")
NO_TABLES_READ_ONLY = ("máy chủ chỉ đọc (bản sao) chưa có chỉ mục tìm kiếm: chạy 'vanthu reindex' trên máy chủ chính "
                       "(bản sao nhận chỉ mục qua nhân bản) rồi tìm lại")


def catch_up(url, feed, reading=False):
    """Apply what the archive's log has and the tables have not (or rebuild them); warnings for the clerk.

    On a read-only server (a streaming replica, or ``default_transaction_read_only``) a search
    cannot write: it searches the tables as the primary last left them, with a warning.
    """
    from . import store
    conn, position = store.connection(url), feed.position()
    if store.applied(conn) == position:
        return []
    if reading and store.read_only(conn):
        if store.applied(conn) is None:
            raise VanthuError(NO_TABLES_READ_ONLY)
        return [READ_ONLY_WARNING]
    try:
        with writer(conn):
            return _catch_up_locked(conn, url, feed)
    except WriterBusy:
        if reading and store.applied(conn) is not None:
            return [BUSY_WARNING]
        raise


def _catch_up_locked(conn, url, feed):
    from . import store
    position, done = feed.position(), store.applied(conn)
    if done == position:
        return []
    docs = feed.changed_since(done) if done is not None and done.home == position.home else None
    if docs is None:
        store.rebuild(url, feed(), position)
        return [REBUILT_WARNING] if done is not None else []
    with conn.transaction():
        store.apply(conn, docs, position)
    return []


REBUILT_WARNING = "chỉ mục tìm kiếm trên máy chủ không khớp với nhật ký của kho; đã dựng lại"


def rebuild(url, feed, progress=None):
    """``vanthu reindex`` on the server: the tables rebuilt from the whole archive; the number of documents."""
    from . import store
    conn = store.connection(url)
    with writer(conn):
        position = feed.position()  # read before the documents: nothing is missed
        return store.rebuild(url, feed(), position, progress)


from ...errors import VanthuError  # noqa: E402


class WriterBusy(VanthuError):
    """Another command is writing the search tables (as :class:`vanthu.search.index.WriterBusy`)."""


@contextmanager
def writer(conn):
    """The one writer's lock of the search tables (a session advisory lock), waited for 5 s."""
    import psycopg
    from .store import SEARCH_LOCK
    conn.execute("SET lock_timeout = '5s'")
    try:
        conn.execute("SELECT pg_advisory_lock(%s)", (SEARCH_LOCK,))
    except psycopg.errors.LockNotAvailable:
        raise WriterBusy("chỉ mục tìm kiếm đang được một lệnh vanthu khác ghi (cấp số, nhập văn bản hoặc "
                         "reindex); chờ lệnh đó xong rồi chạy lại") from None
    finally:
        conn.execute("SET lock_timeout = 0")
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (SEARCH_LOCK,))
