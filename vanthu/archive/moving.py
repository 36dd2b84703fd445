"""Moving a home's register to a server (chuyển sổ lên máy chủ): SQLite -> PostgreSQL, proved.

``vanthu db move postgresql://...`` checks the home (``verify``), copies every
row of every table into an empty PostgreSQL database in one transaction while
holding the SQLite write lock (no clerk can issue meanwhile), compares the
counts and the event chain's head on both sides, verifies again on the server,
and only then points the home at the server (``database:`` in settings.yaml)
and keeps the old SQLite file beside it as ``vanthu.sqlite3.da-chuyen``.
Stored files stay where they are, with their hashes.
"""
import os
import re
from dataclasses import dataclass

from ..errors import VanthuError
from . import db, events
from .home import Home, opened

MOVED_SUFFIX = ".da-chuyen"  # the SQLite file after its register went to a server, kept as a backup
SKIPPED = {"schema_version"}  # each backend keeps its own version mark


@dataclass(frozen=True)
class Snapshot:
    """What must be the same on both sides: rows per table and the chain's newest entry."""

    counts: dict
    head: tuple

    def lines(self):
        rows = ", ".join(f"{table} {count}" for table, count in sorted(self.counts.items()))
        return [f"  số dòng: {rows}", f"  nhật ký: {self.head[0]} mục, mục cuối {self.head[1][:16]}…"]


def where(home=None):
    """Which backend the home uses, in a clerk's words."""
    from . import settings
    from .home import database_of
    located = Home.locate(home)
    target = database_of(located, settings.load(located.settings))
    if db.is_server(target):
        return f"Sổ trên máy chủ PostgreSQL: {db.redacted(target)} (tệp lưu: {located.files})"
    return f"Sổ trong tệp SQLite: {target}"


def snapshot(conn, tables):
    return Snapshot({t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}, events.last(conn))


def move(url, home=None, say=print):
    """Copy the home's SQLite register into the empty database at ``url``; prove it; switch the home to it."""
    from .verify import verify
    target = _check_target(url, Home.locate(home))
    before = verify(home)
    if not before.ok:
        raise VanthuError(*before.problems, "kho chưa toàn vẹn, không chuyển: xử lý các vấn đề trên rồi chạy lại")
    say(f"Trước khi chuyển (SQLite): {before.summary()}")
    with opened(home) as archive:
        source, server = archive.conn, db.connect(url)
        try:
            db.migrate(server)
            copied = _copy_all(source, server, archive.home)
        finally:
            server.close()
    for line in ["Sổ trên SQLite:", *copied.lines()]:
        say(line)
    after = _switch(archive.home, url, copied, say)
    say(f"Sau khi chuyển (PostgreSQL): {after.summary()}")
    _refuse_late_writes(archive.home, copied)
    return after


def _check_target(url, home):
    if not db.is_server(url):
        raise VanthuError(f"{url}: cần địa chỉ máy chủ dạng postgresql://người-dùng@máy-chủ/tên-cơ-sở-dữ-liệu")
    if not home.database.exists():
        raise VanthuError(f"kho {home.root} không có tệp vanthu.sqlite3 để chuyển (kho đã ở trên máy chủ, hoặc chưa có kho)")
    from .. import environment
    if environment.current().database:
        raise VanthuError("bỏ --db / VANTHU_DB khi chuyển: lệnh đọc kho SQLite và ghi vào địa chỉ đã cho")
    conn = db.connect(url)
    try:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")]
        filled = [t for t in tables if t not in SKIPPED and conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  and t != "meta"]
    finally:
        conn.close()
    if filled:
        raise VanthuError(f"cơ sở dữ liệu {db.redacted(url)} đã có dữ liệu (bảng {', '.join(sorted(filled))}); "
                          "chỉ chuyển vào cơ sở dữ liệu trống (createdb tên-mới)")
    return url


def _copy_all(source, server, home):
    """Every row, tables in foreign-key order, in one server transaction under SQLite's write lock."""
    tables = _tables_in_order(source)
    with db.write_transaction(source), db.write_transaction(server, exclusive=True):
        server.execute("DELETE FROM meta")  # the new database's own home_id gives way to the home's
        for table in tables:  # rows as they are, a withdrawn document's too: its freeze would refuse its files
            server.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for table in tables:
            columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            server.copy_rows(table, columns, rows)
        for table in tables:
            server.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        server.restart_sequences(tables)
        copied, landed = snapshot(source, tables), snapshot(server, tables)
        if copied != landed:
            raise VanthuError("bản chép trên máy chủ khác kho SQLite (số dòng hoặc mục nhật ký cuối); đã hủy, "
                              "máy chủ không giữ gì", *copied.lines(), *landed.lines())
    return copied


def _tables_in_order(conn):
    """The home's tables, each after the tables its foreign keys point to."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite%' ORDER BY name") if r[0] not in SKIPPED]
    needs = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({t})")} - {t} for t in names}
    ordered = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if not deps - set(ordered))
        if not ready:
            raise VanthuError(f"bảng trỏ vòng tròn, không sắp thứ tự được: {', '.join(sorted(needs))}")
        ordered += ready
        for t in ready:
            needs.pop(t)
    return ordered


def _switch(home, url, copied, say):
    """Point the home at the server, keep the SQLite file aside, verify there and compare."""
    from .verify import verify
    db.forget(home.database)
    _self_contained(home.database)
    _write_setting(home.settings, _without_password(url, say))
    kept = home.database.with_name(home.database.name + MOVED_SUFFIX)
    os.rename(home.database, kept)
    say(f"Tệp SQLite cũ giữ lại: {kept} (bản sao; kho giờ dùng máy chủ)")
    os.environ["VANTHU_DB"] = url  # this process keeps the password it was given; settings.yaml does not
    try:
        with opened(home.root) as archive:
            landed = snapshot(archive.conn, copied.counts)
        for line in ["Sổ trên PostgreSQL:", *landed.lines()]:
            say(line)
        if landed != copied:
            raise VanthuError("số dòng hoặc mục nhật ký cuối trên máy chủ khác kho SQLite", *copied.lines(), *landed.lines())
        report = verify(home.root)
    finally:
        del os.environ["VANTHU_DB"]
    if not report.ok:
        raise VanthuError(*report.problems, report.summary())
    return report


def _self_contained(path):
    """The WAL folded into the file and turned off: the kept copy is one file, read without -wal/-shm."""
    import sqlite3
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=db.LOCK_WAIT_SECONDS)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _refuse_late_writes(home, copied):
    """A clerk that was waiting on SQLite's lock during the move wrote into the old file: say so, loudly."""
    kept = home.database.with_name(home.database.name + MOVED_SUFFIX)
    conn = db.connect_read_only(kept)
    try:
        late = events.last(conn)
    finally:
        conn.close()
    if late != copied.head:
        raise VanthuError(f"trong lúc chuyển, có người vẫn ghi vào tệp SQLite cũ (nhật ký đến mục {late[0]}, "
                          f"đã chuyển đến mục {copied.head[0]}): các mục sau không có trên máy chủ. Dừng mọi người "
                          f"dùng kho, chuyển lại từ {kept.name} vào một cơ sở dữ liệu trống mới")


def _without_password(url, say):
    bare = re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", url)
    if bare != url:
        say("Mật khẩu không ghi vào settings.yaml: đặt nó trong ~/.pgpass (máy-chủ:cổng:cơ-sở-dữ-liệu:người-dùng:mật-khẩu) "
            "hoặc PGPASSWORD cho mọi người dùng kho")
    return bare


def _write_setting(path, url):
    """``database: URL`` in settings.yaml: the line replaced if there is one, else added."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f'database: "{url}"'
    if re.search(r"(?m)^database:.*$", text):
        text = re.sub(r"(?m)^database:.*$", lambda _: line, text)
    else:
        text = text.rstrip("\n") + f"\n\n# Sổ trên máy chủ PostgreSQL (vanthu db move).\n{line}\n"
    from ..files import write_atomic
    write_atomic(path, text, mode=0o600)
