"""Use of records (sử dụng văn bản, hồ sơ; Phụ lục VI III.6): who viewed, downloaded or printed what, and when.

Each use is an entry of the event log (``view``, ``download``, ``print``),
naming the person acting (the web app's logged-in person, the CLI's ``--as``
or ``VANTHU_USER``, else the operating-system account; :func:`events.actor`).
Entries of use never carry a row seal: a view must not re-seal a row edited
behind vanthu's back (verify would stop seeing the edit).

Reading a document must not wait minutes behind an issue that holds the
write lock while LibreOffice renders: the entry is written if the lock comes
within :data:`WAIT_MS`, else it is kept in ``HOME/access-spool/`` (one small
JSON file each, written atomically) and taken into the log, with its own
time, by the next use or ``verify``. History and statistics read both.
"""
import datetime as _dt
import json
import sqlite3
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import VanthuError
from ..files import private_files, write_atomic
from . import db, events

KINDS = {"view": "xem", "download": "tải về", "print": "in"}
SPOOL = "access-spool"
WAIT_MS = 1500
LABELS = {  # what the history calls each entry of the log
    "issue": "ban hành", "import": "vào sổ đến", "view": "xem", "download": "tải về", "print": "in",
    "withdraw": "thu hồi (đóng băng)", "recall": "thu hồi theo lệnh nơi gửi", "destroy-file": "hủy tệp",
    "seal": "niêm phong dòng sổ", "draft-state": "chuyển trạng thái dự thảo", "incoming-assign": "giao giải quyết",
    "incoming-reassign": "giao lại", "incoming-acknowledge": "nhận để giải quyết", "incoming-done": "báo đã giải quyết",
    "register-import": "nhập từ sổ cũ (Excel)",
}


@dataclass(frozen=True)
class Use:
    """One use of a document (một lượt sử dụng): what, by whom, when (UTC, ISO)."""

    kind: str
    person: str
    at: str
    document_id: object = None
    what: str = ""

    @property
    def month(self):
        return self.at[:7]


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


def _moment(text):
    """A log or spool time as a datetime, to merge the two in order."""
    try:
        moment = _dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)


def record(archive, kind, document_id=None, **detail):
    """Log one use; never fails the reading it records (a read-only home cannot log: False)."""
    if archive.read_only:
        return False
    entry = {"kind": kind, "at": _now(), "by": events.actor(), "document_id": document_id, **detail}
    try:
        with _short_wait(archive.conn), db.write_transaction(archive.conn):
            taken = _drain(archive)
            _append(archive, entry)
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        _spool(archive.home.root, entry)
        return True
    except VanthuError:  # a damaged log head: verify reports it; the reading goes on, the use is kept aside
        _spool(archive.home.root, entry)
        return True
    for path in taken:  # after the commit: a crash in between logs a use twice, never loses one
        path.unlink(missing_ok=True)
    archive.remember_log_head()
    return True


def note(home, kind, document_id=None, **detail):
    """:func:`record` for a skin holding no open archive (the web app's pages)."""
    from .home import opened
    with opened(home) as archive:
        return record(archive, kind, document_id, **detail)


class _short_wait:
    """The connection waits :data:`WAIT_MS` for the write lock in the block, not its usual minutes."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        if self.conn.dialect == "sqlite":  # on PostgreSQL a reader's log entry waits only for commits (ms)
            self.conn.execute(f"PRAGMA busy_timeout = {WAIT_MS}")

    def __exit__(self, *exc):
        if self.conn.dialect == "sqlite":
            self.conn.execute(f"PRAGMA busy_timeout = {db.LOCK_WAIT_SECONDS * 1000}")


def _append(archive, entry):
    detail = {k: v for k, v in entry.items() if k not in ("kind", "document_id") and v not in (None, "")}
    events.append(archive.conn, entry["kind"], detail, document_id=entry["document_id"],
                  head=events.read_head(archive.home.log_head))


def _spool(root, entry):
    with private_files():
        write_atomic(Path(root) / SPOOL / f"{entry['at']}-{uuid.uuid4().hex}.json", json.dumps(entry, ensure_ascii=False),
                     mode=0o600)


def _spooled(root):
    folder = Path(root) / SPOOL
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            yield path, json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # taken by another process meanwhile, or being written


def _drain(archive):
    """Take every spooled use into the log, inside the write transaction; the files to remove after it."""
    taken = []
    for path, entry in list(_spooled(archive.home.root)):
        if entry.get("kind") in KINDS:
            _append(archive, entry)
        taken.append(path)
    return taken


def uses(conn, root, document_id=None):
    """Every use, from the log and the spool: :class:`Use` values, oldest first."""
    where, args = ("AND document_id = ?", [document_id]) if document_id is not None else ("", [])
    rows = conn.execute(f"SELECT action, \"user\", time, document_id, detail FROM events WHERE action IN "
                        f"('view', 'download', 'print') {where} ORDER BY id", args).fetchall()
    found = [_use(r["action"], r["document_id"], json.loads(r["detail"]), r["user"], r["time"]) for r in rows]
    return sorted(found + _spooled_uses(root, document_id), key=lambda u: _moment(u.at))


def _spooled_uses(root, document_id=None):
    return [_use(e["kind"], e.get("document_id"), e, e.get("by", "?"), e.get("at", ""))
            for _, e in _spooled(root) if e.get("kind") in KINDS
            and (document_id is None or e.get("document_id") == document_id)]


def _use(kind, document_id, detail, user, time):
    return Use(kind, detail.get("by") or user, detail.get("at") or time, document_id, detail.get("what", ""))


def history(conn, root, document_id):
    """``[(time, person, label, note)]``: every log entry about a document, and its spooled uses."""
    rows = conn.execute("SELECT time, \"user\", action, detail FROM events WHERE document_id = ? ORDER BY id",
                        (document_id,)).fetchall()
    found = [(_when(r), json.loads(r["detail"]).get("by") or r["user"], LABELS.get(r["action"], r["action"]),
              _note(json.loads(r["detail"]))) for r in rows]
    found += [(u.at, u.person, KINDS[u.kind], u.what) for u in _spooled_uses(root, document_id)]
    return sorted(found, key=lambda item: _moment(item[0]))  # stable: the log's order within one moment


def _when(row):
    return json.loads(row["detail"]).get("at") or row["time"]


def _note(detail):
    return "; ".join(str(detail[k]) for k in ("what", "order", "reason") if detail.get(k))


def stats(conn, root, by="document", year=None):
    """Access statistics (thống kê lượt truy cập): ``[(key, {kind: count}, total)]``, most used first."""
    key = {"document": lambda u: u.document_id, "person": lambda u: u.person, "month": lambda u: u.month}[by]
    counts = {}
    for use in uses(conn, root):
        if year and not use.at.startswith(str(year)):
            continue
        counts.setdefault(key(use), Counter())[use.kind] += 1
    rows = [(k, dict(c), sum(c.values())) for k, c in counts.items()]
    return sorted(rows, key=(lambda r: r[0] or "") if by == "month" else (lambda r: (-r[2], str(r[0]))))


def local_time(text):
    """``01/12/2026 23:40`` in the machine's time zone, for people to read."""
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    moment = moment.astimezone() if moment.tzinfo else moment
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"


def mark_line(person=None, at=None):
    """The line every printout carries (đánh dấu văn bản in ra từ Hệ thống, III.6.k)."""
    return (f"In từ hệ thống vanthu bởi {person or events.actor()} lúc "
            f"{local_time(at or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec='seconds'))}")


@dataclass(frozen=True)
class Table:
    """Access statistics ready to show: the archive's counts and one row per document, person or month."""

    outgoing: int
    incoming: int
    rows: list  # (label, {kind: count}, total, document id or None)

    @property
    def documents(self):
        return self.outgoing + self.incoming


def table(home=None, by="document", year=None):
    """The statistics of ``vanthu stats`` and the web's Thống kê page."""
    from .home import opened
    with opened(home) as archive:
        conn = archive.conn
        counts = dict(conn.execute("SELECT direction, COUNT(*) FROM documents GROUP BY direction").fetchall())
        rows = stats(conn, archive.home.root, by, year)
        names = _numbers(conn, [r[0] for r in rows]) if by == "document" else {}
    labelled = [(names.get(key, key) if key is not None else "(sổ, kết quả tìm kiếm)", kinds, total,
                 key if by == "document" else None) for key, kinds, total in rows]
    return Table(counts.get("out", 0), counts.get("in", 0), labelled)


def report(home=None, by="document", year=None):
    """What ``vanthu stats`` prints: the archive's counts, then the uses per document, person or month."""
    found = table(home, by, year)
    lines = [f"Kho có {found.documents} văn bản: {found.outgoing} văn bản đi, {found.incoming} văn bản đến.",
             f"Lượt sử dụng{f' năm {year}' if year else ''} theo {BY[by]}:"]
    lines += [f"  {label}\t{_counted(kinds)}\ttổng {total}" for label, kinds, total, _ in found.rows]
    return "\n".join(lines if found.rows else lines + ["  chưa có lượt nào"])


BY = {"document": "văn bản", "person": "người", "month": "tháng"}


def _counted(kinds):
    return ", ".join(f"{label} {kinds.get(kind, 0)}" for kind, label in KINDS.items())


def _numbers(conn, ids):
    from ..docnumber import DocumentNumber
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = conn.execute(f"SELECT id, number, symbol, year FROM documents WHERE id IN ({', '.join('?' * len(wanted))})",
                        wanted).fetchall()
    return {r["id"]: f"{DocumentNumber(r['number'], r['symbol'])} ({r['year']})" for r in rows}
