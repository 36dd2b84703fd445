"""The register (sổ đăng ký văn bản đi / đến), Nghị định 30 Phụ lục IV.

On screen a readable table; as a file, a landscape A4 DOCX (Times New Roman)
with the model's cover lines and all ten columns, ready to print and bind
(Art. 16.2, 22.3), or its PDF.
"""
import datetime as _dt
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VanthuError
from ..files import write_atomic
from ..vndate import short_date
from . import catalog, events
from .document import INCOMING, OUTGOING
from .home import opened, refuse_output
from .numbering import SECRET
from .registerdocx import to_docx

OUT_COLUMNS = ("Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
               "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú")
IN_COLUMNS = ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
              "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú")
TITLES = {OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI", INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"}
SCREEN_COLUMNS = {OUTGOING: (0, 1, 2, 3, 4, 5, 9), INCOMING: (0, 1, 2, 3, 4, 5, 9)}
SCREEN_WIDTHS = {OUTGOING: (14, 10, 40, 18, 30, 10, 16), INCOMING: (10, 6, 18, 16, 10, 44, 16)}


@dataclass
class Register:
    """One year's register of one direction (sổ): cover lines and rows of ten cells."""

    direction: str
    year: int
    parent: str = ""
    body: str = ""
    rows: list = field(default_factory=list)
    first: str = ""
    last: str = ""
    first_date: str = ""
    last_date: str = ""
    others: list = field(default_factory=list)  # other issuing bodies with a register that year
    chain: tuple = (0, "")  # the log's head when printed: (entries, hash); anchors the database on paper

    def chain_line(self):
        """Footer of every printed page: the bound book pins the database's log at this point."""
        entries, digest = self.chain
        return f"Nhật ký kho: {entries} mục, mã băm mục cuối {digest[:16]} (đối chiếu bằng 'vanthu verify')"

    @property
    def title(self):
        return TITLES[self.direction]

    @property
    def columns(self):
        return OUT_COLUMNS if self.direction == OUTGOING else IN_COLUMNS

    def cover(self):
        """The cover lines of Phụ lục IV."""
        return [self.parent.upper(), self.body.upper(), self.title, f"Năm: {self.year}",
                f"Từ ngày {self.first_date or '…'} đến ngày {self.last_date or '…'}",
                f"Từ số {self.first or '…'} đến số {self.last or '…'}", "Quyển số: 01"]


def build(home=None, year=None, direction=OUTGOING, issuer=None):
    """The register of ``year`` (default: the latest year with documents).

    An outgoing register belongs to one issuing body (``issuer``: its code,
    e.g. ``SYT``; default: the body with most documents that year); the
    incoming register is the keeping body's, whoever sent the documents.
    """
    if direction not in TITLES:
        raise VanthuError(f"hướng sổ phải là out (đi) hoặc in (đến), không phải '{direction}'")
    with opened(home) as archive:
        year = year or _latest_year(archive.conn, direction)
        bodies = _bodies(archive.conn, year)
        keeper = _keeper(bodies, issuer)
        entries = catalog.entries(archive.conn, direction, year)
        chain = events.last(archive.conn)
    if direction == OUTGOING and keeper:
        entries = [e for e in entries if e.document.issuer_code == keeper]
    parent, body = bodies.get(keeper, ("", ""))[1:] if keeper else ("", "")
    register = Register(direction, year, parent, body, others=sorted(set(bodies) - {keeper}), chain=chain)
    handled = _handled(home, entries) if direction == INCOMING else {}
    register.rows = [_out_row(e) if direction == OUTGOING else _in_row(e, *handled.get(e.document.id, (None, None)))
                     for e in entries]
    _span(register, entries)
    return register


def _latest_year(conn, direction):
    row = conn.execute("SELECT MAX(year) FROM documents WHERE direction = ?", (direction,)).fetchone()
    if row[0] is None:
        raise VanthuError(f"sổ văn bản {'đi' if direction == OUTGOING else 'đến'} chưa có văn bản nào")
    return row[0]


def _bodies(conn, year):
    """Issuing bodies of the year's outgoing documents: code -> (count, parent, name)."""
    rows = conn.execute("SELECT issuer_code, issuer_parent, issuer_name, COUNT(*) AS n FROM documents"
                        " WHERE direction = 'out' AND year = ? GROUP BY issuer_code ORDER BY n DESC, issuer_code",
                        (year,)).fetchall()
    return {r["issuer_code"]: (r["n"], r["issuer_parent"], r["issuer_name"]) for r in rows}


def _keeper(bodies, issuer):
    """The body whose register this is (cơ quan giữ sổ)."""
    if issuer is None:
        return next(iter(bodies), None)
    issuer = next((code for code in bodies if code.upper() == issuer.strip().upper()), issuer)  # syt is SYT
    if issuer not in bodies:
        have = ", ".join(bodies) or "không có"
        raise VanthuError(f"không có văn bản đi của cơ quan '{issuer}' trong năm; các cơ quan có: {have}")
    return issuer


def _span(register, entries):
    main = [e for e in entries if not e.series.endswith("/" + SECRET)] or entries
    if main:
        numbers = [e.document.arrival_number if register.direction == INCOMING else e.document.number.number for e in main]
        register.first, register.last = f"{min(numbers):02d}", f"{max(numbers):02d}"
    dates = sorted(e.document.arrival_date if register.direction == INCOMING else e.document.date for e in entries)
    if dates:
        register.first_date, register.last_date = short_date(dates[0]), short_date(dates[-1])


def _notes(entry):
    d, notes = entry.document, []
    if d.confidentiality:
        notes.append(f"Độ mật: {d.confidentiality}")
    if d.urgency:
        notes.append(f"Độ khẩn: {d.urgency}")
    notes += [f"{link.label} {link.other_number}" for link in entry.links]
    notes += [entry.withdrawal] if entry.withdrawal else []
    return "; ".join(notes)


def _out_row(entry):
    d = entry.document
    return (str(d.number), short_date(d.date), entry.title, d.signer, "; ".join(d.recipients),
            entry.copy_holders, str(entry.copies) if entry.copies else "", "", "", _notes(entry))


def _handled(home, entries):
    """document id -> (receipt, handling) of the incoming entries (columns 7 to 10)."""
    from . import receipt
    from .handling import handlings
    ids = [e.document.id for e in entries]
    with opened(home) as archive:
        received, handled = receipt.receipts(archive.conn, ids), handlings(archive.conn, ids)
    return {i: (received.get(i), handled.get(i)) for i in ids}


def _in_row(entry, received=None, handling=None):
    """Phụ lục IV mục VI: (7) who handles it, (8) the day it was passed on, (9) their acknowledgment, (10) notes."""
    from .handling import receivers
    d = entry.document
    passed = short_date(_dt.datetime.fromisoformat(handling.assigned_at).date()) if handling else ""
    signed = _acknowledged(handling)
    return (short_date(d.arrival_date), f"{d.arrival_number:02d}", d.issuer_name, str(d.number), short_date(d.date),
            entry.title, receivers(handling) if handling else "", passed, signed,
            "; ".join(n for n in (_arrival_notes(received), _handling_notes(handling), _notes(entry)) if n))


def _acknowledged(handling):
    if not handling or not handling.acknowledged_at:
        return ""
    at = _dt.datetime.fromisoformat(handling.acknowledged_at)
    return f"{handling.handler_name} đã nhận {at:%H:%M} {short_date(at.date())}"


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
    notes = [f"Hạn giải quyết: {short_date(handling.deadline)}"] if handling.deadline else []
    return "; ".join(notes + [handling.progress(_dt.date.today())])


def as_text(register):
    """The register as a table for the terminal (bảng trên màn hình)."""
    picks, widths = SCREEN_COLUMNS[register.direction], SCREEN_WIDTHS[register.direction]
    lines = [f"{register.title} - NĂM {register.year}  ({register.body or 'chưa rõ cơ quan'})",
             f"Từ số {register.first or '…'} đến số {register.last or '…'}; {len(register.rows)} văn bản", ""]
    if register.others and register.direction == OUTGOING:
        lines.insert(2, f"Sổ của cơ quan khác: {', '.join(register.others)} (xem bằng --issuer)")
    header = [register.columns[i] for i in picks]
    lines += _table_lines(header, widths)
    lines.append("-+-".join("-" * w for w in widths))
    for row in register.rows:
        lines += _table_lines([row[i] for i in picks], widths)
    return "\n".join(lines + ["", register.chain_line()])


def _table_lines(cells, widths):
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    return [" | ".join((col[i] if i < len(col) else "").ljust(w) for col, w in zip(wrapped, widths)).rstrip()
            for i in range(height)]


DATE_COLUMNS = {OUTGOING: (1, 7), INCOMING: (0, 4, 7)}  # written to Excel as date cells, to sort and filter
XLSX_WIDTHS = {OUTGOING: (16, 12, 50, 20, 36, 18, 8, 12, 12, 24), INCOMING: (12, 8, 24, 18, 12, 50, 26, 12, 12, 24)}


def write(register, out, to_pdf=None):
    """Write the register to ``out`` (.docx, .xlsx, or .pdf through ``to_pdf(docx bytes)``)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        return to_xlsx(register, out)
    if suffix not in (".docx", ".pdf"):
        raise VanthuError(f"{out}: tệp sổ phải có đuôi .docx, .pdf hoặc .xlsx")
    data = to_docx(register)
    if suffix == ".pdf":
        data = (to_pdf or _default_pdf)(data)
    write_atomic(out, data)
    return out


def to_xlsx(register, out):
    """The register as an Excel sheet: cover lines, the decree's ten headings, one row per document."""
    from ..sheets import write_xlsx
    dates = DATE_COLUMNS[register.direction]
    rows = [[_day_cell(c) if i in dates else c for i, c in enumerate(row)] for row in register.rows]
    intro = [line for line in register.cover() if line] + [register.chain_line(), ""]
    return write_xlsx(out, f"{register.title.title()} {register.year}", register.columns, rows,
                      XLSX_WIDTHS[register.direction], intro, date_columns=dates)


def _day_cell(text):
    from ..vndate import parse_day
    return parse_day(text) if text else None


def _default_pdf(docx):
    from .pdfexport import docx_to_pdf
    return docx_to_pdf(docx)


def produce(home=None, year=None, direction=OUTGOING, out=None, issuer=None):
    """What ``vanthu register`` does: the table text, or the written file's path."""
    if out:
        refuse_output(home, out)
    register = build(home, year, direction, issuer)
    return write(register, out) if out else as_text(register)
