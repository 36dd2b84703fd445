"""The register (sổ đăng ký văn bản đi / đến), Nghị định 30 Phụ lục IV.

On screen a readable table; as a file, a landscape A4 DOCX (Times New Roman)
with the model's cover lines and all ten columns, ready to print and bind
(Art. 16.2, 22.3), or its PDF.
"""
import dataclasses
import datetime as _dt
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ..docnumber import printed
from ..errors import VanthuError
from ..files import write_atomic
from ..vndate import checked_year, short_date
from . import catalog, events
from .document import INCOMING, OUTGOING
from .columns import COLUMNS
from .home import opened, refuse_output
from .numbering import COPIES, SECRET, is_copies_series, is_secret_series
from .registerdocx import to_docx
from .access import mark_line, record

OUT_COLUMNS = tuple(c.heading for c in COLUMNS[OUTGOING])  # the headings, as the decree words them
IN_COLUMNS = tuple(c.heading for c in COLUMNS[INCOMING])
TITLES = {OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI", INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"}
SECRET_TITLES = {OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐI", INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN"}
COPIES_TITLES = {False: "SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN", True: "SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN MẬT"}


@dataclass
class Register:
    """One year's register of one direction (sổ): cover lines and one entry a row."""

    direction: str
    year: int
    parent: str = ""
    body: str = ""
    entries: list = field(default_factory=list)
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
    secret: bool = False  # the book of secret documents (sổ văn bản mật), kept apart from the ordinary one
    print_mark: str = ""  # "In từ hệ thống vanthu bởi … lúc …" on a printout (Phụ lục VI III.6.k)
    copies: bool = False  # the book of copies (sổ bản sao: sao y, sao lục, trích sao), never in the ordinary one

    @property
    def title(self):
        if self.copies:
            return COPIES_TITLES[self.secret]
        return (SECRET_TITLES if self.secret else TITLES)[self.direction]

    @property
    def columns(self):
        """The :class:`~vanthu.archive.columns.Column` list of this direction."""
        return COLUMNS[self.direction]

    @property
    def headings(self):
        return tuple(c.heading for c in self.columns)

    @property
    def rows(self):
        """Every row as printed: ten texts."""
        return [tuple(c.cell(e) for c in self.columns) for e in self.entries]

    def cover(self):
        """The cover lines of Phụ lục IV."""
        return [self.parent.upper(), self.body.upper(), self.title, f"Năm: {self.year}",
                f"Từ ngày {self.first_date or '…'} đến ngày {self.last_date or '…'}",
                f"Từ số {self.first or '…'} đến số {self.last or '…'}", "Quyển số: 01"]


def build(home=None, year=None, direction=OUTGOING, issuer=None, secret=False, copies=False):
    """The register of ``year`` (default: the latest year with documents).

    An outgoing register belongs to one issuing body (``issuer``: its code,
    e.g. ``SYT``; default: the body with most documents that year); the
    incoming register is the keeping body's, whoever sent the documents.
    Secret documents are in their own book (``secret``), never in the
    ordinary one nor in its counts; so are copies (``copies``: the book of
    bản sao, numbered in their own series).
    """
    if direction not in TITLES:
        raise VanthuError(f"hướng sổ phải là out (đi) hoặc in (đến), không phải '{direction}'")
    checked_year(year)
    with opened(home) as archive:
        year = year or _latest_year(archive.conn, direction)
        bodies = _bodies(archive.conn, year, secret, copies)
        keeper = _keeper(bodies, issuer)
        entries = [e for e in catalog.entries(archive.conn, direction, year)
                   if is_secret_series(e.series) == secret and is_copies_series(e.series) == copies]
        chain = events.last(archive.conn)
    if direction == OUTGOING and keeper:
        entries = [e for e in entries if e.document.issuer_code == keeper]
    parent, body = bodies.get(keeper, ("", ""))[1:] if keeper else ("", "")
    register = Register(direction, year, parent, body, others=sorted(set(bodies) - {keeper}), chain=chain,
                        secret=secret, copies=copies)
    if direction == INCOMING:
        _attach_handling(home, entries)
    register.entries = entries
    _span(register, entries)
    return register


def _latest_year(conn, direction):
    row = conn.execute("SELECT MAX(year) FROM documents WHERE direction = ?", (direction,)).fetchone()
    if row[0] is None:
        raise VanthuError(f"sổ văn bản {'đi' if direction == OUTGOING else 'đến'} chưa có văn bản nào")
    return row[0]


def _bodies(conn, year, secret=False, copies=False):
    """Issuing bodies of the year's outgoing documents, of one book (ordinary, secret, copies): code -> (count, parent, name)."""
    rows = conn.execute("SELECT issuer_code, max(issuer_parent) AS issuer_parent, max(issuer_name) AS issuer_name, COUNT(*) AS n"
                        " FROM documents"
                        " WHERE direction = 'out' AND year = ? AND (series LIKE ?) = ?"
                        " AND (series LIKE ? OR series LIKE ?) = ? GROUP BY issuer_code ORDER BY n DESC, issuer_code",
                        (year, f"%/{SECRET}", secret, f"%/{COPIES}", f"%/{COPIES}/%", copies)).fetchall()
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
    if entries:  # one book: ordinary or secret, never both
        numbers = [e.document.serial for e in entries]
        register.first, register.last = printed(min(numbers)), printed(max(numbers))
    dates = sorted(e.document.arrival_date if register.direction == INCOMING else e.document.date for e in entries)
    if dates:
        register.first_date, register.last_date = short_date(dates[0]), short_date(dates[-1])


def _attach_handling(home, entries):
    """Each incoming entry with its receipt and handling (columns 7 to 10 of the incoming register)."""
    from . import receipt
    from .handling import handlings
    ids = [e.document.id for e in entries]
    with opened(home) as archive:
        received, handled = receipt.receipts(archive.conn, ids), handlings(archive.conn, ids)
    for e in entries:
        e.received, e.handling = received.get(e.document.id), handled.get(e.document.id)


def as_text(register):
    """The register as a table for the terminal (bảng trên màn hình)."""
    shown = [i for i, c in enumerate(register.columns) if c.screen_chars]
    widths = [register.columns[i].screen_chars for i in shown]
    lines = [f"{register.title} - NĂM {register.year}  ({register.body or 'chưa rõ cơ quan'})",
             f"Từ số {register.first or '…'} đến số {register.last or '…'}; {len(register.rows)} văn bản", ""]
    if register.others and register.direction == OUTGOING:
        lines.insert(2, f"Sổ của cơ quan khác: {', '.join(register.others)} (xem bằng --issuer)")
    lines += _table_lines([register.headings[i] for i in shown], widths)
    lines.append("-+-".join("-" * w for w in widths))
    for row in register.rows:
        lines += _table_lines([row[i] for i in shown], widths)
    return "\n".join(lines + ["", register.chain_line()])


def _table_lines(cells, widths):
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    return [" | ".join((col[i] if i < len(col) else "").ljust(w) for col, w in zip(wrapped, widths)).rstrip()
            for i in range(height)]


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
    dates = [i for i, c in enumerate(register.columns) if c.dates]  # date cells, to sort and filter
    cells = [[(c.value(e) or None) if c.dates else c.cell(e) for c in register.columns] for e in register.entries]
    intro = [line for line in register.cover() if line] + [register.chain_line(), ""]
    return write_xlsx(out, f"{register.title.title()} {register.year}", register.headings, cells,
                      [c.sheet_chars for c in register.columns], intro, date_columns=dates)


def _default_pdf(docx):
    from .pdfexport import docx_to_pdf
    return docx_to_pdf(docx)


def screen(home=None, year=None, direction=OUTGOING, issuer=None, secret=False, copies=False):
    """What ``vanthu register`` prints: the register as a table (``secret``: the secret documents' book;
    ``copies``: the book of copies)."""
    return as_text(build(home, year, direction, issuer, secret, copies))


def save(out, home=None, year=None, direction=OUTGOING, issuer=None, secret=False, copies=False):
    """What ``vanthu register -o OUT`` does: the register written to ``out`` (.docx or .pdf); its path."""
    refuse_output(home, out)
    spreadsheet = Path(out).suffix.lower() == ".xlsx"  # a copy to work on, not a printout: no mark
    with opened(home) as archive:  # logged first, so the printed chain head includes this very printing
        record(archive, "download" if spreadsheet else "print",
               what=f"sổ {'bản sao' if copies else 'đến' if direction == INCOMING else 'đi'}{' mật' if secret else ''}"
                    f" năm {year or 'mới nhất'}"
                    f" ra {Path(out).name}")
    book = build(home, year, direction, issuer, secret, copies)
    return write(book if spreadsheet else dataclasses.replace(book, print_mark=mark_line()), out)
