"""Copies (bản sao: sao y, sao lục, trích sao), Nghị định 30 Điều 25, Phụ lục I Phần II, Phụ lục III mẫu 3.1.

The paper form (mẫu 3.1) is the copied pages as they are, then the copy block
(thành phần thể thức bản sao) "ngay sau phần cuối cùng của văn bản cần sao dưới
một đường kẻ nét liền, kéo dài hết chiều ngang của vùng trình bày văn bản"
(II.2.a): on the last page when the block fits under its last line, else on a
page of its own. The block is a template (``templates/blocks/ban-sao.docx``) filled
like any document and converted by the same LibreOffice batch; pypdf lays the
converted block onto the page, so the copied pages are never re-rendered.
"""
import functools
import io
import re
from dataclasses import dataclass

from ..docnumber import DocumentNumber
from ..errors import VanthuError
from ..templates import BUILTIN_DIR, layout as L
from . import linebreak, ooxml, text
from .context import place_date_paragraph
from .signing import text_lines

POINTS_PER_TWIP = 1 / 20
GAP = 24.0            # points from the last copied line's baseline down to the rule: a blank line
DESCENT = 0.3         # of a line's size below its baseline (the block's last line, the signer's name)
_LEFT_CELL = L.HEADER_LEFT - 2 * L.CELL_MARGIN


@dataclass(frozen=True)
class CopyKind:
    """One form of copy (hình thức sao): its printed name, its symbol (Phụ lục III §I) and its type name."""

    key: str       # sao-y, sao-luc, trich-sao (the command's --kind)
    form: str      # SAO Y: printed in the block, in capitals
    symbol: str    # SY, SL, TrS: the copy's ký hiệu
    type_name: str  # Bản sao y: the register's tên loại


KINDS = {k.key: k for k in (CopyKind("sao-y", "SAO Y", "SY", "Bản sao y"),
                            CopyKind("sao-luc", "SAO LỤC", "SL", "Bản sao lục"),
                            CopyKind("trich-sao", "TRÍCH SAO", "TrS", "Bản trích sao"))}


def kind_of(key):
    """The :class:`CopyKind` named ``key``, or a clear error listing the three."""
    found = KINDS.get(str(key).strip().lower())
    if found is None:
        raise VanthuError(f"hình thức sao '{key}' không có; chọn một trong: {', '.join(KINDS)}")
    return found


def copy_number(serial, kind, issuer_code):
    """Số, ký hiệu bản sao (II.1.c): ``05/SY-SYT``: the copies' serial, the kind, the copying body."""
    return DocumentNumber(serial, f"{kind.symbol}-{issuer_code}")


@dataclass(frozen=True)
class CopyBlock:
    """What the copy block prints (ô 1-7 of the copy's diagram, Phụ lục I Phần II.3)."""

    kind: CopyKind
    issuer: str             # tên cơ quan, tổ chức sao văn bản
    number: DocumentNumber  # số, ký hiệu bản sao
    place: str
    date: object
    authority: tuple = ()   # TL. GIÁM ĐỐC ...
    signer_title: str = ""
    signer_name: str = ""
    cc: tuple = ("Lưu: VT",)


def context(block):
    """The template's fields, with the header's rules: the issuer in balanced lines at 13 or 12 pt."""
    size, lines = linebreak.fitted(block.issuer.upper(), _LEFT_CELL, (13, 12), bold=True)
    return {
        "issuer_paragraph": ooxml.sized_paragraph(lines, "VBIssuer", size, 13),
        "issuer_rule": ooxml.rule(max(lines, key=len), size, True, _LEFT_CELL, L.ISSUER_RULE_SHARE),
        "form": block.kind.form,
        "number_line": f"Số: {block.number}",
        "place_date_paragraph": place_date_paragraph(text.place_and_date(block.place, block.date)),
        "authority": list(block.authority),
        "signer_title": block.signer_title.upper(),
        "signer_name": block.signer_name,
        "cc": text.distribution(list(block.cc)),
        "drafter_line": "",
    }


@functools.lru_cache(maxsize=1)
def _template():
    from .docx_template import CompiledTemplate
    return CompiledTemplate(BUILTIN_DIR / "blocks" / "ban-sao.docx")


def block_docx(block):
    """The copy block as a DOCX (one page, the decree's margins and styles)."""
    template = _template()
    return template.write(template.render_parts(context(block)))


# --- pages --------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")


def chosen_pages(spec, count):
    """Page indexes (from 0) of ``spec`` (``1-2``, ``3``, ``1,3-4``) in a document of ``count`` pages."""
    if spec in (None, ""):
        return list(range(count))
    chosen = []
    for part in str(spec).split(","):
        m = _RANGE.match(part)
        if not m:
            raise VanthuError(f"--pages '{spec}': ghi trang hoặc khoảng trang, ví dụ 2 hoặc 1-3 hoặc 1,3-4")
        first, last = int(m[1]), int(m[2] or m[1])
        if first < 1 or last < first or last > count:
            raise VanthuError(f"--pages '{spec}': văn bản có {count} trang (từ trang 1 đến trang {count})")
        chosen += [i for i in range(first - 1, last) if i not in chosen]
    return chosen


# --- the paper form (mẫu 3.1) -----------------------------------------------------------------

def paper_copy(original, block_pdf, pages=None):
    """The copied ``pages`` of ``original`` (PDF bytes) and the copy block under their last line."""
    from pypdf import PdfReader, Transformation
    writer, block = _copied(original, pages), PdfReader(io.BytesIO(block_pdf)).pages[0]
    top, height = block_extent(block)
    room = last_line_y(writer.pages[-1])
    if room is not None and room - GAP - height >= L.MARGIN_BOTTOM * POINTS_PER_TWIP:
        writer.pages[-1].merge_transformed_page(block, Transformation().translate(0, room - GAP - top))
    else:  # no room, or a scan whose text cannot be read: the block on the back of the sheet
        writer.add_page(block)
    return _written(writer)


def pages_only(original, pages=None):
    """The copied ``pages`` alone (the electronic form, mẫu 3.2, before its information line)."""
    return _written(_copied(original, pages))


def _copied(original, pages):
    from pypdf import PdfReader, PdfWriter
    reader, writer = PdfReader(io.BytesIO(original)), PdfWriter()
    for index in pages if pages is not None else range(len(reader.pages)):
        flatten(writer.add_page(reader.pages[index]))
    return writer


def _written(writer):
    writer.generate_file_identifiers()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def block_extent(page):
    """(y of the rule at the block's top, height down to its last line) on the converted block's page."""
    top = float(page.mediabox.top) - L.MARGIN_TOP * POINTS_PER_TWIP
    lines = text_lines(page)
    if not lines:
        raise VanthuError("LibreOffice không trình bày được khối thể thức bản sao (trang trống)")
    bottom = min(line.y - DESCENT * line.size for line in lines)
    return top, top - bottom


def last_line_y(page):
    """The baseline of the page's lowest line of text above the bottom margin (ô 13 is below it); None if none."""
    floor = L.MARGIN_BOTTOM * POINTS_PER_TWIP
    found = [line.y for line in text_lines(page) if line.y > floor]
    return min(found) if found else None


def flatten(page):
    """Widgets drawn into the page and dropped: a signature's image stays on the copy, its dead field goes."""
    from pypdf import Transformation
    from pypdf.generic import NameObject
    for annot in [a.get_object() for a in page.get("/Annots") or ()]:
        sheet = _appearance_sheet(annot)
        if sheet is not None:
            sheet, matrix = sheet
            page.merge_transformed_page(sheet, Transformation(matrix))
    if "/Annots" in page:
        del page[NameObject("/Annots")]


def _appearance_sheet(annot):
    """A page holding the annotation's normal appearance, and where it goes (a matrix); None if invisible."""
    from pypdf import PageObject
    from pypdf.generic import NameObject
    appearance = (annot.get("/AP") or {}).get("/N")
    appearance = appearance.get_object() if appearance is not None else None
    if appearance is None or "/BBox" not in appearance or int(annot.get("/F", 0)) & 2:
        return None
    x0, y0, x1, y1 = _normal(appearance["/BBox"])  # pyHanko writes [0 h w 0]: any two opposite corners
    left, bottom, right, top = _normal(annot["/Rect"])
    if x1 <= x0 or y1 <= y0 or right <= left or top <= bottom:
        return None
    sheet = PageObject.create_blank_page(width=x1, height=y1)
    sheet[NameObject("/Resources")] = appearance.get("/Resources") or sheet["/Resources"]
    sheet[NameObject("/Contents")] = appearance
    sx, sy = (right - left) / (x1 - x0), (top - bottom) / (y1 - y0)
    return sheet, (sx, 0, 0, sy, left - x0 * sx, bottom - y0 * sy)



def _normal(rect):
    """``(left, bottom, right, top)`` of a PDF rectangle given by any two opposite corners."""
    a, b, c, d = (float(v) for v in rect)
    return min(a, c), min(b, d), max(a, c), max(b, d)
