"""The event log (nhật ký): append-only, each entry chained to the previous by hash.

Every issue, import and verify adds an entry (time, OS user, action,
checksum). An entry's hash covers its own fields and the previous entry's
hash, so editing or deleting a row breaks the chain. The last entry seen is
also written to ``log-head.json`` outside the database, so a deleted tail is
noticed too.
"""
import contextvars
import datetime as _dt
import getpass
import hashlib
import json
import os
from dataclasses import dataclass

from ..errors import VanthuError
from ..files import write_atomic

GENESIS = "0" * 64
_ACTOR = contextvars.ContextVar("vanthu_actor", default=None)  # the web app's logged-in person


@dataclass(frozen=True)
class Event:
    """One log entry (mục nhật ký)."""

    id: int
    time: str
    user: str
    action: str
    document_id: object
    detail: str
    checksum: str
    prev_hash: str

    def digest(self):
        fields = [self.id, self.time, self.user, self.action, self.document_id, self.detail, self.checksum, self.prev_hash]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


class acting_as:
    """``with acting_as("lan"):`` every event logged inside names that person, not the OS account.

    A context variable, so each web request (thread) names its own person.
    """

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self._token = _ACTOR.set(self.name)
        return self

    def __exit__(self, *exc):
        _ACTOR.reset(self._token)


def actor():
    """Who is acting: the web app's person, else the operating-system account."""
    return _user()


def _user():
    if _ACTOR.get():
        return _ACTOR.get()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): the uid still says who
        return f"uid:{os.getuid()}"


def _last(conn):
    row = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def last(conn):
    """``(id, hash)`` of the newest entry in the database; ``(0, GENESIS)`` before the first."""
    return _last(conn)


def append(conn, action, detail, checksum="", document_id=None, head=None, now=False):
    """Add one entry; call inside the write transaction of the action it records.

    ``head`` is the saved (id, hash): numbering goes on after it, so rows
    deleted from the end stay visible as a gap in the ids. On PostgreSQL,
    where writers of other series run at once, the entry is chained just
    before the commit (unless ``now``), so the chain's lock is held for
    milliseconds, not for a batch's rendering; it then returns None.
    """
    text, stamp, user = json.dumps(detail, ensure_ascii=False, sort_keys=True), _now(), _user()
    if conn.defers_events and not now:
        conn.at_commit(lambda: _chain(conn, action, text, checksum, document_id, head, stamp, user))
        return None
    return _chain(conn, action, text, checksum, document_id, head, stamp, user)


def _chain(conn, action, text, checksum, document_id, head, stamp, user):
    conn.lock_chain()
    last_id, last_hash = _last(conn)
    last_id = max(last_id, head[0] if head else 0)
    event = Event(last_id + 1, stamp, user, action, document_id, text, checksum, last_hash)
    conn.execute("INSERT INTO events (id, time, \"user\", action, document_id, detail, checksum, prev_hash, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (event.id, event.time, event.user, event.action, event.document_id, event.detail,
                  event.checksum, event.prev_hash, event.digest()))
    return event


def _rows(conn):
    for row in conn.execute("SELECT * FROM events ORDER BY id"):
        yield Event(row["id"], row["time"], row["user"], row["action"], row["document_id"], row["detail"],
                    row["checksum"], row["prev_hash"]), row["hash"]


def chain_problems(conn, head=None):
    """Every break in the chain, in Vietnamese; ``head`` is the saved (id, hash), if any."""
    problems, previous, previous_id, seen = [], GENESIS, 0, {}
    for event, stored_hash in _rows(conn):
        if event.id != previous_id + 1:
            problems.append(f"nhật ký: thiếu mục {_span(previous_id + 1, event.id - 1)} (đã bị xóa)")
        elif event.prev_hash != previous:
            problems.append(f"nhật ký: mục {event.id} không nối với mục trước (chuỗi băm đứt, có mục bị sửa)")
        if event.digest() != stored_hash:
            problems.append(f"nhật ký: mục {event.id} ({event.action}, {event.time}) đã bị sửa")
        previous, previous_id, seen[event.id] = stored_hash, event.id, stored_hash
    problems += _head_problems(head, previous_id, seen)
    return problems, len(seen)


def _span(first, last):
    return str(first) if first == last else f"{first} đến {last}"


def _head_problems(head, last_id, seen):
    """Compare with the entry saved outside the database (a deleted or edited tail)."""
    if not head:
        return []
    head_id, head_hash = head
    if head_id > last_id:
        return [f"nhật ký: thiếu mục {_span(last_id + 1, head_id)} ở cuối (đã bị xóa)"]
    if seen.get(head_id) != head_hash:
        return [f"nhật ký: mục {head_id} khác với bản ghi nhận trước đây (đã bị sửa)"]
    return []


def read_head(path):
    """The saved (id, hash) of the newest entry, None before the first; damage is an error."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["id"]), str(data["hash"])
    except (ValueError, KeyError, TypeError):
        raise VanthuError(f"tệp {path.name} (mục nhật ký cuối) bị hỏng hoặc bị sửa; chạy 'vanthu verify'") from None


def head_mismatch(conn, head):
    """Why the database does not reach the saved head (a restored old copy, a cut tail), or None."""
    if not head:
        return None
    head_id, head_hash = head
    row = conn.execute("SELECT hash FROM events WHERE id = ?", (head_id,)).fetchone()
    if row is None:
        newest = _last(conn)[0]
        return (f"nhật ký trong cơ sở dữ liệu dừng ở mục {newest}, nhưng {HEAD_FILE} ghi đã có mục {head_id}: "
                "cơ sở dữ liệu cũ hơn các lần ghi sau cùng (khôi phục từ bản sao cũ?) hoặc mục cuối đã bị xóa")
    if row["hash"] != head_hash:
        return f"mục nhật ký {head_id} khác với bản ghi trong {HEAD_FILE} (cơ sở dữ liệu bị thay hoặc bị sửa)"
    return None


HEAD_FILE = "log-head.json"


def write_head(path, conn):
    """Remember the newest entry, durably; call after the commit. It may lag behind, never run ahead."""
    last_id, last_hash = _last(conn)
    if not last_id:
        return
    write_atomic(path, json.dumps({"id": last_id, "hash": last_hash}), mode=0o600)  # fsynced, file and folder


def parsed_detail(text):
    """An event's detail as a dict; ``{}`` for one that is not (an edited row: the chain check reports it)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
