"""The register's columns (cột sổ đăng ký), Nghị định 30 Phụ lục IV: one list per direction.

Each column says once what every output needs: its heading, its cell's value
for an entry, its width on screen (characters; 0: not shown on screen), in
the printed book (cm) and in a spreadsheet (characters), and whether it is
centred or holds dates. The screen table, the DOCX/PDF book, the XLSX sheet
and the web page read these lists; a new column is one line here.
"""
import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from ..vndate import short_date
from .document import INCOMING, OUTGOING


@dataclass(frozen=True)
class Column:
    """One column of the register (cột): heading, value, widths, alignment."""

    heading: str
    value: Callable  # entry -> text, a number or a date ("" when the clerk fills it in by hand)
    print_cm: float
    sheet_chars: int
    screen_chars: int = 0
    centered: bool = False
    dates: bool = False  # a date column: date cells in a spreadsheet, to sort and filter

    def cell(self, entry):
        """The cell as printed: text, dates as ``06/8/2020``."""
        return as_text(self.value(entry))


def as_text(value):
    if isinstance(value, _dt.date):
        return short_date(value)
    return "" if value in (None, "") else str(value)


def notes(entry):
    """Ghi chú: confidentiality, urgency, links (replaces, corrects), a withdrawal (thu hồi)."""
    d, found = entry.document, []
    if d.confidentiality:
        found.append(f"Độ mật: {d.confidentiality}")
    if d.urgency:
        found.append(f"Độ khẩn: {d.urgency}")
    found += [f"{link.label} {link.other_number}" for link in entry.links]
    found += [entry.withdrawal] if entry.withdrawal else []
    return "; ".join(found)


def _blank(entry):
    return ""  # filled in by hand in the bound book


def receivers(entry):
    """(7) Đơn vị hoặc người nhận: the handler and co-handlers of an incoming document."""
    from .handling import receivers as named
    return named(entry.handling) if entry.handling else ""


def passed_on(entry):
    """(8) Ngày chuyển: the day the document was handed to its handler."""
    return _dt.datetime.fromisoformat(entry.handling.assigned_at).date() if entry.handling else ""


def acknowledged(entry):
    """(9) Ký nhận: who acknowledged it, and when."""
    handling = entry.handling
    if not handling or not handling.acknowledged_at:
        return ""
    at = _dt.datetime.fromisoformat(handling.acknowledged_at)
    return f"{handling.handler_name} đã nhận {at:%H:%M} {short_date(at.date())}"


def incoming_notes(entry):
    """(10) Ghi chú of an incoming document: how it arrived, its deadline and progress, then the common notes."""
    return "; ".join(n for n in (_arrival_notes(entry.received), _handling_notes(entry.handling), notes(entry)) if n)


def _arrival_notes(received):
    from .receipt import WAYS
    if not received:
        return ""
    at, way, _ = received
    hour = f"lúc {at[11:16]}" if len(at) > 10 else ""
    return " ".join(p for p in (f"Nhận qua {WAYS[way].lower()}" if way in WAYS else "", hour) if p)


def _handling_notes(handling):
    if not handling:
        return ""
    found = [f"Hạn giải quyết: {short_date(handling.deadline)}"] if handling.deadline else []
    return "; ".join(found + [handling.progress(_dt.date.today())])


# Widths in cm sum to the 25.7 cm text width of landscape A4 with 2 cm margins.
OUT = (
    Column("Số, ký hiệu văn bản", lambda e: e.document.number, 3.0, 16, 14, centered=True),
    Column("Ngày tháng văn bản", lambda e: e.document.date, 2.0, 12, 10, centered=True, dates=True),
    Column("Tên loại và trích yếu nội dung", lambda e: e.title, 5.2, 50, 40),
    Column("Người ký", lambda e: e.document.signer, 2.6, 20, 18),
    Column("Nơi nhận văn bản", lambda e: "; ".join(e.document.recipients), 4.0, 36, 30),
    Column("Đơn vị, người nhận bản lưu", lambda e: e.copy_holders, 2.3, 18, 10),
    Column("Số lượng bản", lambda e: e.copies or "", 1.4, 8, centered=True),
    Column("Ngày chuyển", _blank, 1.8, 12, dates=True),
    Column("Ký nhận", _blank, 1.8, 12),
    Column("Ghi chú", notes, 1.6, 24, 16),
)
IN = (
    Column("Ngày đến", lambda e: e.document.arrival_date, 1.9, 12, 10, centered=True, dates=True),
    Column("Số đến", lambda e: e.document.arrival_number, 1.4, 8, 6, centered=True),
    Column("Tác giả", lambda e: e.document.issuer_name, 3.2, 24, 18),
    Column("Số, ký hiệu văn bản", lambda e: e.document.number, 2.6, 18, 16),
    Column("Ngày tháng văn bản", lambda e: e.document.date, 1.9, 12, 10, centered=True, dates=True),
    Column("Tên loại và trích yếu nội dung", lambda e: e.title, 5.8, 50, 44),
    Column("Đơn vị hoặc người nhận", receivers, 3.2, 26),
    Column("Ngày chuyển", passed_on, 1.8, 12, dates=True),
    Column("Ký nhận", acknowledged, 1.8, 12),
    Column("Ghi chú", incoming_notes, 2.1, 24, 16),
)
COLUMNS = {OUTGOING: OUT, INCOMING: IN}
