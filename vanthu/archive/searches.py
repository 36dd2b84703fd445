"""Searches kept and results handed out (Phụ lục VI III.6.đ, e, h): columns to choose, saved searches,
results exported to DOCX/PDF with the printout's mark (III.6.k).

A saved search belongs to its person (the web app's login, the CLI's
``--as``/``VANTHU_USER``, else the OS account) and keeps the query, the
filters and the chosen columns. The export is a python-docx table in Times
New Roman (landscape past five columns), PDF through LibreOffice; its footer
says who printed it from the system and when, and the export is logged
(``print``).
"""
import datetime as _dt
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import VanthuError
from ..files import write_atomic
from ..vndate import short_date
from . import db, events
from .access import mark_line, record
from .home import opened


@dataclass(frozen=True)
class ResultColumn:
    """One column a clerk may choose for search results (trường hiển thị trong kết quả tìm kiếm)."""

    key: str
    alias: str       # the Vietnamese key, as in the query syntax (so, ngay, trichyeu, ...)
    heading: str
    value: object    # Result -> str
    width_cm: float


def _kind(result):
    return "đến" if result.direction == "in" else "đi"


COLUMNS = (
    ResultColumn("number", "so", "Số, ký hiệu", lambda r: f"{r.number}{r.mark}", 3.2),
    ResultColumn("date", "ngay", "Ngày", lambda r: short_date(r.date), 2.2),
    ResultColumn("type", "loai", "Tên loại", lambda r: r.type_name, 2.6),
    ResultColumn("subject", "trichyeu", "Trích yếu nội dung", lambda r: r.subject, 7.0),
    ResultColumn("issuer", "coquan", "Cơ quan ban hành", lambda r: r.issuer, 3.6),
    ResultColumn("direction", "huong", "Đi/đến", _kind, 1.5),
    ResultColumn("status", "tinhtrang", "Tình trạng", lambda r: r.status, 3.5),
    ResultColumn("confidentiality", "domat", "Độ mật", lambda r: r.confidentiality or "", 1.8),
    ResultColumn("snippet", "doan", "Đoạn trích", lambda r: r.snippet.plain, 6.0),
)
DEFAULT = ("number", "date", "type", "subject", "issuer", "status")
_BY_NAME = {name: c for c in COLUMNS for name in (c.key, c.alias)}


def columns(text=None):
    """The chosen columns from ``so,ngay,trichyeu`` (or English keys); the default ones for None."""
    if not text:
        return [_BY_NAME[k] for k in DEFAULT]
    names = [n.strip().lower() for n in str(text).split(",") if n.strip()]
    unknown = [n for n in names if n not in _BY_NAME]
    if unknown or not names:
        choices = ", ".join(f"{c.alias} ({c.key})" for c in COLUMNS)
        raise VanthuError(f"cột không có: {', '.join(unknown) or '(trống)'}; chọn trong: {choices}")
    return list(dict.fromkeys(_BY_NAME[n] for n in names))


def table(results, chosen):
    """The results as rows of text for the chosen columns (the screen, the web, the export)."""
    return [[c.value(r) or "" for c in chosen] for r in results]


# --- saved searches (lưu yêu cầu tìm kiếm) ------------------------------------

@dataclass(frozen=True)
class SavedSearch:
    """A search kept under a name by its person."""

    owner: str
    name: str
    query: str
    filters: dict
    columns: list
    saved_at: str = ""


def save(saved, home=None):
    """Keep ``saved`` (replacing the same person's search of that name)."""
    name = saved.name.strip()
    if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
        raise VanthuError("tên tìm kiếm lưu: 1 đến 100 ký tự, không có ký tự điều khiển")
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            archive.conn.execute("INSERT INTO saved_searches (owner, name, query, filters, columns, saved_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, name) DO UPDATE SET query = excluded.query,"
                                 " filters = excluded.filters, columns = excluded.columns, saved_at = excluded.saved_at",
                                 (saved.owner, name, saved.query,
                                                                json.dumps(saved.filters, ensure_ascii=False),
                                                                json.dumps(saved.columns), now))
    return SavedSearch(saved.owner, name, saved.query, saved.filters, saved.columns, now)


def load(owner, name, home=None):
    """The person's saved search ``name``; a clear error naming the ones they have."""
    with opened(home) as archive:
        row = archive.conn.execute("SELECT * FROM saved_searches WHERE owner = ? AND name = ?",
                                   (owner, name.strip())).fetchone()
    if row is None:
        have = ", ".join(s.name for s in saved_of(owner, home)) or "chưa có"
        raise VanthuError(f"{owner} không có tìm kiếm lưu tên «{name}» (đã lưu: {have})")
    return _saved(row)


def saved_of(owner, home=None):
    """The person's saved searches, by name."""
    with opened(home) as archive:
        rows = archive.conn.execute("SELECT * FROM saved_searches WHERE owner = ? ORDER BY name", (owner,)).fetchall()
    return [_saved(r) for r in rows]


def _saved(row):
    return SavedSearch(row["owner"], row["name"], row["query"], json.loads(row["filters"]), json.loads(row["columns"]),
                       row["saved_at"])


def forget(owner, name, home=None):
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            gone = archive.conn.execute("DELETE FROM saved_searches WHERE owner = ? AND name = ?", (owner, name)).rowcount
    if not gone:
        raise VanthuError(f"{owner} không có tìm kiếm lưu tên «{name}»")


# --- export (kết xuất kết quả tìm kiếm) ------------------------------------------

def export(out, outcome, chosen, asked, home=None, to_pdf=None, person=None):
    """Write the results to ``out`` (.docx or .pdf), marked as printed by ``person`` (else the acting one); logged."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise VanthuError(f"{out}: kết quả tìm kiếm ghi ra tệp .docx hoặc .pdf")
    with opened(home) as archive:
        archive.home.refuse_output(out)
        mark = mark_line(person)
        data = results_docx(outcome.results, chosen, asked, mark)
        if suffix == ".pdf":
            data = (to_pdf or _default_pdf)(data)
        write_atomic(out, data)
        record(archive, "print", what=f"kết quả tìm kiếm «{asked}» ({len(outcome.results)} văn bản) ra {out.name}")
    return out


def _default_pdf(docx):
    from .pdfexport import docx_to_pdf
    return docx_to_pdf(docx)


def results_docx(results, chosen, asked, mark):
    """DOCX bytes: a heading, what was asked, the table (STT + chosen columns), the mark in every footer."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    from .registerdocx import FONT, drop_styles_with_effects
    document = docx.Document()
    section = document.sections[0]
    wide = sum(c.width_cm for c in chosen) + 1.2 > 17
    if wide:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.0)
    _normal_font(document, FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("KẾT QUẢ TÌM KIẾM VĂN BẢN")
    run.bold, run.font.size = True, Pt(14)
    document.add_paragraph(f"Yêu cầu tìm kiếm: {asked or '(tất cả)'}; {len(results)} văn bản.")
    _results_table(document, results, chosen, Cm, Pt)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark_run = footer.add_run(mark)
    mark_run.font.size, mark_run.italic = Pt(9), True
    drop_styles_with_effects(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _normal_font(document, font):
    from docx.oxml.ns import qn
    from docx.shared import Pt
    style = document.styles["Normal"]
    style.font.name, style.font.size = font, Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _results_table(document, results, chosen, Cm, Pt):
    grid = document.add_table(rows=1, cols=len(chosen) + 1)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, ["STT"] + [c.heading for c in chosen]):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for rank, row in enumerate(table(results, chosen), 1):
        for cell, text in zip(grid.add_row().cells, [str(rank)] + row):
            cell.text = text
    for column, width in zip(grid.columns, [1.2] + [c.width_cm for c in chosen]):
        for cell in column.cells:
            cell.width = Cm(width)


def describe_saved(saved):
    """One line for ``search --list-saved``."""
    filters = ", ".join(f"{k}={v}" for k, v in saved.filters.items() if v)
    cols = ",".join(saved.columns) if saved.columns else "mặc định"
    return f"{saved.name}\t{saved.query or '(không từ khóa)'}\t{filters or 'không lọc'}\tcột: {cols}"


def filters_dict(filters):
    """The :class:`vanthu.search.query.Filters` as a plain mapping (kept with a saved search)."""
    return {k: v for k, v in asdict(filters).items() if v}


def acting():
    return events.actor()
