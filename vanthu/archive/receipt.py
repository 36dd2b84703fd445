"""How an incoming document was received (tiếp nhận văn bản đến): day and time, way, receiving clerk.

Nghị định 30 Điều 20–21: the văn thư receives, checks and stamps "ĐẾN" with
the day (and, for urgent mail, the hour). One row per incoming document,
written in the import's own transaction.
"""
import datetime as _dt
import re

from ..errors import VanthuError
from ..vndate import parse_day

WAYS = {"buu-dien": "Bưu điện", "lien-thong": "Trục liên thông", "email": "Thư điện tử", "truc-tiep": "Trực tiếp",
        "fax": "Fax", "he-thong": "Hệ thống quản lý văn bản"}  # cách nhận (how it arrived)
_DAY_TIME = re.compile(r"^(?P<day>[\d/.\-]+)(?:[ T]+(?P<hour>\d{1,2})[:h](?P<minute>\d{2}))?$")


def check_way(text):
    """How it arrived (cách nhận): a key of :data:`WAYS` or its Vietnamese name; '' when not said."""
    text = (text or "").strip()
    if not text:
        return ""
    for key, name in WAYS.items():
        if text.lower() in (key, name.lower()):
            return key
    raise VanthuError(f"--via: '{text}' không phải cách nhận; dùng một trong: "
                      + ", ".join(f"{k} ({n})" for k, n in WAYS.items()))


def parse_received(text, today=None):
    """The day and time it arrived (ngày giờ đến): ``07/8/2020 08:30``, ``07/8/2020``; (date, "HH:MM" or "")."""
    if text is None or str(text).strip() == "":
        now = _dt.datetime.now()
        return (today or now.date()), ("" if today else now.strftime("%H:%M"))
    if isinstance(text, _dt.date):
        return text, ""
    m = _DAY_TIME.match(str(text).strip())
    if not m:
        raise VanthuError(f"--received: không hiểu '{text}'; viết ngày (07/8/2020) hoặc ngày giờ (07/8/2020 08:30)")
    hour, minute = int(m["hour"] or 0), int(m["minute"] or 0)
    if hour > 23 or minute > 59:
        raise VanthuError(f"--received: giờ {m['hour']}:{m['minute']} không tồn tại")
    return parse_day(m["day"]), f"{hour:02d}:{minute:02d}" if m["hour"] else ""


def record_receipt(conn, document_id, day, time, way, receiver):
    """Store when, how and by whom a document was received; inside the import's transaction."""
    at = f"{day.isoformat()}T{time}" if time else day.isoformat()
    conn.execute("INSERT INTO receipts (document_id, received_at, arrived_by, received_by) VALUES (?, ?, ?, ?)",
                 (document_id, at, way, receiver))


def receipts(conn, ids):
    """document id -> (received_at, way, receiver) of ``ids``."""
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT * FROM receipts WHERE document_id IN ({marks})", list(ids)).fetchall() if ids else []
    return {r["document_id"]: (r["received_at"], r["arrived_by"], r["received_by"]) for r in rows}
