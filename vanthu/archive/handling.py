"""Handling incoming documents (giải quyết văn bản đến), Nghị định 30 Điều 22–24, Phụ lục IV mục VII–VIII.

After its số đến, an incoming document goes to the leader, who writes the
instructions (ý kiến chỉ đạo) and gives it to a handler (chủ trì), with
co-handlers (phối hợp) and a deadline (hạn giải quyết). The handler
acknowledges it (ký nhận), then records what was done (kết quả) and the
number of the reply, if any. Each step is one write transaction and one
event in the hash-chained log; the follow-up book (sổ theo dõi) and the
overdue and due-soon lists are read from the same rows.
"""
import datetime as _dt
import json
import re
from dataclasses import dataclass

from . import catalog, db
from .home import opened
from ..docnumber import printed
from ..errors import VanthuError
from ..vndate import parse_day, short_date

ASSIGNED, WORKING, DONE = "giao", "dang-xu-ly", "xong"
STATUS_NAMES = {ASSIGNED: "Đã giao, chưa nhận", WORKING: "Đang giải quyết", DONE: "Đã giải quyết"}
DUE_SOON_DAYS = 3
MAX_TEXT = 4000
_USERNAME = re.compile(r"^[a-z0-9._-]+$")


@dataclass(frozen=True)
class Handling:
    """One incoming document's handling (phiếu giải quyết): who, until when, how far, with what result."""

    document_id: int
    arrival_number: int
    year: int
    title: str           # tên loại, số, ký hiệu, ngày và cơ quan ban hành (as the follow-up book prints it)
    handler: str
    handler_name: str
    co_handlers: tuple
    deadline: object     # datetime.date or None
    leader: str
    instructions: str
    assigned_at: str
    acknowledged_at: str
    status: str
    result: str
    reply: str
    done_at: str

    def overdue(self, today):
        """Quá hạn: not done and the deadline has passed."""
        return self.status != DONE and self.deadline is not None and self.deadline < today

    def due_soon(self, today, days=DUE_SOON_DAYS):
        """Sắp đến hạn: not done, due today or within ``days`` days."""
        return self.status != DONE and self.deadline is not None and today <= self.deadline <= today + _dt.timedelta(days)

    @property
    def status_name(self):
        return STATUS_NAMES[self.status]

    def progress(self, today):
        """Tiến độ giải quyết, in the clerk's words."""
        if self.status == DONE:
            return f"Đã giải quyết {_day_of(self.done_at)}: {self.result}"
        late = f"; QUÁ HẠN {(today - self.deadline).days} ngày" if self.overdue(today) else ""
        return f"{self.status_name}{late}"


# --- the leader's assignment, the handler's work --------------------------------

def assign(arrival_number, handler, home=None, *, year=None, co_handlers=(), deadline=None, instructions="",
           leader="", today=None):
    """Give the document số đến ``arrival_number`` to ``handler`` (a username or a unit) until ``deadline``."""
    today = today or _dt.date.today()
    with opened(home) as archive, db.write_transaction(archive.conn):
        document = _document(archive.conn, arrival_number, year or today.year)
        catalog.refuse_if_frozen(archive.conn, document["id"], "giao giải quyết")  # recalled by its sender
        current = _handling_row(archive.conn, document["id"])
        if current and current["status"] == DONE:
            raise VanthuError(f"văn bản đến số {printed(arrival_number)} đã giải quyết xong; không giao lại được")
        who = _person(archive.conn, handler, "--handler")
        others = [_person(archive.conn, name, "--co-handler")[0] for name in co_handlers]
        due = _deadline(deadline, document)
        values = (document["id"], _clean(leader, "--leader"), _clean(instructions, "--instructions"), who[0],
                  json.dumps(others, ensure_ascii=False), due.isoformat() if due else "", _now(), ASSIGNED)
        archive.conn.execute(_ASSIGN, values)
        archive.log("incoming-assign" if not current else "incoming-reassign",
                    {"arrival_number": arrival_number, "handler": who[0], "co_handlers": others,
                     "deadline": values[5], "instructions": values[2]}, document_id=document["id"])
    archive.remember_log_head()
    return get(arrival_number, home, year=year or today.year)


_COLUMNS = ("document_id", "leader", "instructions", "handler", "co_handlers", "deadline", "assigned_at", "status")
# A reassignment starts the handling afresh: every other column back to its default (as a replaced row would be).
_ASSIGN = (f"INSERT INTO handling ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
           " ON CONFLICT (document_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
           + ", acknowledged_at = '', result = '', reply = '', done_at = ''")


def acknowledge(arrival_number, home=None, *, year=None):
    """The handler has it (ký nhận): its status becomes ``đang giải quyết``."""
    return _step(arrival_number, home, year, "incoming-acknowledge", {ASSIGNED},
                 "UPDATE handling SET status = ?, acknowledged_at = ? WHERE document_id = ?", (WORKING, _now()))


def finish(arrival_number, result, home=None, *, year=None, reply=""):
    """What was done (kết quả giải quyết), and the reply's number if one was sent."""
    result = _clean(result, "--result")
    if not result:
        raise VanthuError("--result: hãy ghi kết quả giải quyết (đã làm gì)")
    return _step(arrival_number, home, year, "incoming-done", {ASSIGNED, WORKING},
                 "UPDATE handling SET status = ?, result = ?, reply = ?, done_at = ?,"
                 " acknowledged_at = CASE acknowledged_at WHEN '' THEN ? ELSE acknowledged_at END WHERE document_id = ?",
                 (DONE, result, _clean(reply, "--reply"), _now(), _now()), {"result": result, "reply": reply})


def _step(arrival_number, home, year, action, allowed, sql, args, detail=None):
    year = year or _dt.date.today().year
    with opened(home) as archive, db.write_transaction(archive.conn):
        document = _document(archive.conn, arrival_number, year)
        catalog.refuse_if_frozen(archive.conn, document["id"], "tiếp tục giải quyết")
        current = _handling_row(archive.conn, document["id"])
        if current is None:
            raise VanthuError(f"văn bản đến số {printed(arrival_number)} chưa được giao cho ai (vanthu incoming assign)")
        if current["status"] not in allowed:
            raise VanthuError(f"văn bản đến số {printed(arrival_number)} đang ở trạng thái "
                              f"'{STATUS_NAMES[current['status']]}'; không làm bước này được")
        archive.conn.execute(sql, (*args, document["id"]))
        archive.log(action, {"arrival_number": arrival_number, **(detail or {})}, document_id=document["id"])
    archive.remember_log_head()
    return get(arrival_number, home, year=year)


# --- reading -------------------------------------------------------------------

def get(arrival_number, home=None, *, year=None):
    """The handling of văn bản đến số ``arrival_number`` of ``year``."""
    with opened(home) as archive:
        document = _document(archive.conn, arrival_number, year or _dt.date.today().year)
        found = handlings(archive.conn, [document["id"]])
    if not found:
        raise VanthuError(f"văn bản đến số {printed(arrival_number)} chưa được giao cho ai")
    return found[document["id"]]


def listing(home=None, *, year=None, overdue=False, due_soon=None, handler=None, include_done=False, today=None):
    """Handlings in số đến order: all open ones, or the overdue, or those due within ``due_soon`` days."""
    today = today or _dt.date.today()
    with opened(home) as archive:
        ids = [r[0] for r in archive.conn.execute("SELECT document_id FROM handling")]
        items = sorted(handlings(archive.conn, ids).values(), key=lambda h: (h.year, h.arrival_number))
    keep = [h for h in items if (year is None or h.year == year) and (handler is None or handler in (h.handler, h.handler_name))]
    if overdue or due_soon is not None:
        return [h for h in keep if (overdue and h.overdue(today)) or (due_soon is not None and h.due_soon(today, due_soon))]
    return [h for h in keep if include_done or h.status != DONE]


def handlings(conn, ids):
    """document id -> :class:`Handling` for the documents of ``ids`` that have one."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute("SELECT h.*, d.arrival_number, d.year, d.number, d.symbol, d.date, d.type_name, d.issuer_name,"
                        f" p.full_name FROM handling h JOIN documents d ON d.id = h.document_id"
                        f" LEFT JOIN people p ON p.username = h.handler WHERE h.document_id IN ({marks})", list(ids))
    return {r["document_id"]: _handling(r) for r in rows}


def _handling(row):
    number = f"{row['number']}/{row['symbol']}"
    title = f"{row['type_name'] or 'Văn bản'} số {number} ngày {short_date(_dt.date.fromisoformat(row['date']))} " \
            f"của {row['issuer_name']}"
    return Handling(row["document_id"], row["arrival_number"], row["year"], title, row["handler"],
                    row["full_name"] or row["handler"], tuple(json.loads(row["co_handlers"])),
                    _dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None, row["leader"],
                    row["instructions"], row["assigned_at"], row["acknowledged_at"], row["status"], row["result"],
                    row["reply"], row["done_at"])


FOLLOW_UP_COLUMNS = ("Số đến", "Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản",
                     "Đơn vị hoặc người nhận", "Thời hạn giải quyết", "Tiến độ giải quyết",
                     "Số, ký hiệu văn bản trả lời", "Ghi chú")  # Phụ lục IV mục VIII, 7 columns


def follow_up_rows(items, today=None):
    """Rows of the follow-up book (sổ theo dõi giải quyết văn bản đến)."""
    today = today or _dt.date.today()
    return [(printed(h.arrival_number), h.title, receivers(h), short_date(h.deadline) if h.deadline else "",
             h.progress(today), h.reply, h.instructions) for h in items]


SCREEN_WIDTHS = (6, 40, 24, 10, 30, 14, 24)


def follow_up_text(items, today=None):
    """The follow-up book as a table for the terminal; says so when nothing is listed."""
    import textwrap
    if not items:
        return "Không có văn bản đến nào trong danh sách này."
    lines = []
    for cells in [FOLLOW_UP_COLUMNS] + follow_up_rows(items, today):
        wrapped = [textwrap.wrap(str(c), w) or [""] for c, w in zip(cells, SCREEN_WIDTHS)]
        lines += [" | ".join((col[i] if i < len(col) else "").ljust(w) for col, w in zip(wrapped, SCREEN_WIDTHS)).rstrip()
                  for i in range(max(map(len, wrapped)))]
        lines.append("-+-".join("-" * w for w in SCREEN_WIDTHS) if len(lines) and cells is FOLLOW_UP_COLUMNS else "")
    return "\n".join(line for line in lines if line) + f"\n{len(items)} văn bản."


def receivers(handling):
    """Đơn vị hoặc người nhận: the handler (chủ trì), then the co-handlers (phối hợp)."""
    text = f"{handling.handler_name} (chủ trì)" if handling.co_handlers else handling.handler_name
    return text + (f"; phối hợp: {', '.join(handling.co_handlers)}" if handling.co_handlers else "")


# --- helpers -------------------------------------------------------------------

def _document(conn, arrival_number, year):
    row = conn.execute("SELECT * FROM documents WHERE direction = 'in' AND year = ? AND arrival_number = ?"
                       " ORDER BY series LIMIT 1", (year, arrival_number)).fetchone()
    if row is None:
        raise VanthuError(f"không có văn bản đến số {printed(arrival_number)} năm {year} (thêm --year nếu là năm khác)")
    return row


def _handling_row(conn, document_id):
    return conn.execute("SELECT * FROM handling WHERE document_id = ?", (document_id,)).fetchone()


def _person(conn, name, option):
    """(stored name, shown name): a user of the web app by username, or a unit or person written out."""
    name = _clean(name, option)
    if not name:
        raise VanthuError(f"{option}: thiếu người hoặc đơn vị giải quyết")
    row = conn.execute("SELECT username, full_name FROM people WHERE username = ?", (name,)).fetchone()
    if row:
        return row["username"], row["full_name"] or row["username"]
    if _USERNAME.match(name):  # looks like a login name: a typo must not become a new "unit"
        raise VanthuError(f"{option}: không có người dùng '{name}' (xem vanthu user list); một đơn vị thì viết tên "
                          "đầy đủ, ví dụ \"Phòng Nghiệp vụ Y\"")
    return name, name


def _deadline(text, document):
    if text in (None, ""):
        return None
    day = parse_day(text)
    if day < _dt.date.fromisoformat(document["arrival_date"]):
        raise VanthuError(f"--deadline: hạn {short_date(day)} trước ngày đến "
                          f"{short_date(_dt.date.fromisoformat(document['arrival_date']))}")
    return day


def _clean(text, option):
    from ..generator import validate
    try:
        return validate.text(text or "", MAX_TEXT)
    except validate.Invalid as error:
        raise VanthuError(f"{option}: {error}") from None


def _now():
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _day_of(stamp):
    return short_date(_dt.datetime.fromisoformat(stamp).date()) if stamp else ""
