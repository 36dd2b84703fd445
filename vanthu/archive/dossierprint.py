"""``vanthu dossier print``: the Danh mục hồ sơ of a year, or a hồ sơ's Mục lục văn bản, to DOCX or PDF.

The rows are made here from the archive's values; :mod:`.dossierdocx` lays
them out per the Phụ lục V models; a PDF goes through the same LibreOffice
path as the printed register (:mod:`.pdfexport`).
"""
import re
from pathlib import Path

from ..errors import VanthuError
from ..files import write_atomic
from . import access, dossierdocx, dossierplan, dossiers
from .home import opened, refuse_output

_YEAR = re.compile(r"^\d{4}$")


def index_rows(dossier):
    """Seven texts per document of the Mục lục văn bản: STT, số ký hiệu, ngày, tên loại và trích yếu, tác giả, trang, ghi chú."""
    starts = dossiers.page_starts(dossier)
    rows = []
    for item in dossier.documents:
        d = item.entry.document
        kind = f"{d.type_name} " if d.type_name else ""
        note = "; ".join(n for n in (item.entry.withdrawal, "văn bản đến" if d.direction == "in" else "") if n)
        rows.append([f"{item.ordinal:02d}", str(d.number), d.date.short, f"{kind}{d.subject}".strip(),
                     d.issuer_name, str(starts[item.ordinal]), note])
    return rows


def transfer_rows(found):
    """Seven texts per hồ sơ of the Mục lục hồ sơ nộp lưu."""
    rows = []
    for number, d in enumerate(found, start=1):
        span = f"{d.start_date.short} - {d.end_date.short}" if d.start_date and d.end_date else ""
        rows.append([f"{number:02d}", d.code, d.title, span, d.retention.printed, f"{d.page_total} trang",
                     f"{len(d.documents)} văn bản"])
    return rows


def render(target, home=None, year=None, mark=""):
    """DOCX bytes and a short name: ``target`` a year (Danh mục hồ sơ) or a hồ sơ code (Mục lục văn bản)."""
    text = str(target).strip()
    with opened(home) as archive:
        if _YEAR.match(text):
            plan = dossierplan.plan_of(archive.conn, int(text))
            return dossierdocx.plan_docx(plan, mark), f"Danh mục hồ sơ năm {text}"
        dossier = dossiers.to_dossier(archive.conn, dossiers.find_row(archive.conn, text, year))
    if not dossier.documents:
        raise VanthuError(f"hồ sơ {dossier.code} chưa có văn bản nào: chưa có Mục lục văn bản để in")
    return dossierdocx.index_docx(dossier, index_rows(dossier), mark), f"Mục lục văn bản hồ sơ {dossier.code} năm {dossier.year}"


def save(target, out, home=None, year=None):
    """``vanthu dossier print TARGET -o OUT.docx|.pdf``: the path written and what it is."""
    out = Path(out)
    if out.suffix.lower() not in (".docx", ".pdf"):
        raise VanthuError(f"{out}: tệp in phải có đuôi .docx hoặc .pdf")
    refuse_output(home, out)
    render(target, home, year)  # a wrong target is refused before the printing is logged
    with opened(home) as archive:
        access.record(archive, "print", what=f"{target} ra {out.name}")
    data, what = render(target, home, year, access.mark_line())
    write_atomic(out, to_pdf(data) if out.suffix.lower() == ".pdf" else data)
    return out, what


def to_pdf(data):
    from .pdfexport import docx_to_pdf
    return docx_to_pdf(data)


_UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def in_words(number):
    """A count in Vietnamese words (viết bằng chữ): 21 -> ``hai mươi mốt``, 105 -> ``một trăm linh năm``."""
    if not 0 <= number < 1_000_000:
        raise VanthuError(f"{number}: quá lớn để viết bằng chữ")
    thousands, rest = divmod(number, 1000)
    if not thousands:
        return _below_thousand(rest, full=False)
    words = f"{_below_thousand(thousands, full=False)} nghìn"
    return f"{words} {_below_thousand(rest, full=True)}" if rest else words


def _below_thousand(number, full):
    hundreds, rest = divmod(number, 100)
    if not hundreds and not full:
        return _below_hundred(rest, alone=True)
    words = f"{_UNITS[hundreds]} trăm"
    if not rest:
        return words
    return f"{words} linh {_UNITS[rest]}" if rest < 10 else f"{words} {_below_hundred(rest, alone=False)}"


def _below_hundred(number, alone):
    tens, unit = divmod(number, 10)
    if tens == 0:
        return _UNITS[unit]
    head = "mười" if tens == 1 else f"{_UNITS[tens]} mươi"
    if unit == 0:
        return head
    tail = {1: "mốt" if tens > 1 else "một", 4: "tư" if tens > 1 else "bốn", 5: "lăm"}.get(unit, _UNITS[unit])
    return f"{head} {tail}"
