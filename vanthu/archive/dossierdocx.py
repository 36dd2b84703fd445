"""The printed forms of Phụ lục V (mẫu in): Danh mục hồ sơ, Mục lục văn bản, Mục lục hồ sơ nộp lưu, Biên bản giao nhận.

Built with python-docx the way :mod:`.registerdocx` prints the register:
A4, Times New Roman, a table whose heading rows and column numbers (1), (2)…
repeat on every page. Headings and columns are the models' words
(:data:`PLAN_COLUMNS` and the others), the one source the tests read back.
"""
import io

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import registerdocx

FONT = "Times New Roman"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PLAN_TITLE, INDEX_TITLE = "DANH MỤC HỒ SƠ", "MỤC LỤC VĂN BẢN, TÀI LIỆU"
TRANSFER_TITLE, RECEIPT_TITLE = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", "BIÊN BẢN"
# (heading, width in cm, centred) of each model's table, Phụ lục V mục II, IV, III
PLAN_COLUMNS = (("Số và ký hiệu hồ sơ", 2.6, True), ("Tên đề mục và tiêu đề hồ sơ", 7.4, False),
                ("Thời hạn bảo quản", 2.4, True), ("Người lập hồ sơ", 2.8, True), ("Ghi chú", 1.8, False))
INDEX_COLUMNS = (("STT", 1.1, True), ("Số, ký hiệu văn bản", 2.6, True), ("Ngày tháng năm văn bản", 2.2, True),
                 ("Tên loại và trích yếu nội dung văn bản", 5.4, False), ("Tác giả văn bản", 2.6, False),
                 ("Tờ số/ Trang số", 1.5, True), ("Ghi chú", 1.6, False))
TRANSFER_COLUMNS = (("Số TT", 1.1, True), ("Số, ký hiệu hồ sơ", 2.3, True), ("Tiêu đề hồ sơ", 5.6, False),
                    ("Thời gian tài liệu", 2.4, True), ("Thời hạn bảo quản", 2.0, True),
                    ("Số tờ/ Số trang", 1.6, True), ("Ghi chú", 2.0, False))


def _document():
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    return document


def _bytes(document):
    # python-docx's default package carries a Word 2010 stylesWithEffects part that disagrees with its styles.xml
    # (Word then repairs the file); the part is optional, so it is left out.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _line(container, text, size=13, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _header(document, parent, organ, dated=""):
    """The two-column header: the body (chủ quản above, the body bold) and the national motto (quốc hiệu, tiêu ngữ)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10.0)
    _cell_lines(left, [(parent.upper() or "TÊN CQ, TC CHỦ QUẢN", False), (organ.upper() or "TÊN CƠ QUAN, TỔ CHỨC", True),
                       ("________", False)])
    lines = [(NATION[0], True), (NATION[1], True), ("______________________", False)]
    _cell_lines(right, lines)
    if dated:
        _line(right, dated, 13, italic=True, before=6)


def _cell_lines(cell, lines):
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    first = True
    for text, bold in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold = Pt(12 if not bold or text not in NATION else 12), bold
        first = False


def _grid(document, columns):
    """The model's table: headings, then the column numbers (1)…(n), both repeated on every page."""
    widths = [w for _, w, _ in columns]
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    _fill(table.rows[0], [h for h, _, _ in columns], widths, bold=True)
    _fill(table.rows[1], [f"({i})" for i in range(1, len(columns) + 1)], widths, italic=True)
    for row in table.rows[:2]:
        flag = OxmlElement("w:tblHeader")  # on by its presence (office2016 knows no val="true")
        row._tr.get_or_add_trPr().append(flag)
    return table


def _fill(row, texts, widths, bold=False, italic=False, centred=None):
    registerdocx.fill_row(row, texts, widths, bold=bold, italic=italic, center=centred, size=12)


def _add_row(table, columns, texts, bold=False):
    centred = {i for i, (_, _, c) in enumerate(columns) if c}
    _fill(table.add_row(), texts, [w for _, w, _ in columns], bold=bold, centred=centred)


def _signature(document, dated, role, hint):
    """The signer's block on the right: place and date, role, (ký và ghi rõ họ tên)."""
    table = document.add_table(rows=1, cols=2)
    right = table.rows[0].cells[1]
    right.paragraphs[0].add_run("")
    _line(right, dated, 13, italic=True)
    _line(right, role, 13, bold=True)
    _line(right, hint, 13, italic=True)


# --- Danh mục hồ sơ (Phụ lục V mục II) --------------------------------------------------------


def _mark(document, mark):
    """A printout's footer: printed from vanthu, by whom and when (Phụ lục VI III.6.k)."""
    if mark:
        paragraph = document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(mark)
        run.font.size, run.italic = Pt(9), True


def plan_docx(plan, mark=""):
    """DOCX bytes of a year's Danh mục hồ sơ with its counts of permanent and limited-term files."""
    document = _document()
    _mark(document, mark)
    _header(document, plan.parent, plan.organ)
    _line(document, PLAN_TITLE, 14, bold=True, before=18)
    _line(document, f"Năm {plan.year}", 14, bold=True)
    _line(document, f"(Kèm theo {plan.decision})" if plan.decision else
          "(Kèm theo Quyết định số ….. ngày ….. tháng ….. năm …… của…… )", 13, italic=True)
    _line(document, "____________", 13)
    table = _grid(document, PLAN_COLUMNS)
    for heading in plan.headings:
        _add_row(table, PLAN_COLUMNS, ["", f"{heading.number} {heading.title.upper()}", "", "", ""], bold=True)
        _plan_dossiers(table, heading.dossiers)
        for section in heading.sections:
            _add_row(table, PLAN_COLUMNS, ["", f"{section.number} {section.title}", "", "", ""], bold=True)
            _plan_dossiers(table, section.dossiers)
    total, permanent, limited = plan.counts()
    left = WD_ALIGN_PARAGRAPH.LEFT
    _line(document, f"Danh mục hồ sơ này có {total:02d} hồ sơ, bao gồm:", align=left, before=12)
    _line(document, f"{permanent:02d} hồ sơ bảo quản vĩnh viễn;", align=left)
    _line(document, f"{limited:02d} hồ sơ bảo quản có thời hạn.", align=left)
    return _bytes(document)


def _plan_dossiers(table, planned):
    for d in planned:
        _add_row(table, PLAN_COLUMNS, [d.code, d.title, d.retention.printed, d.keeper, d.note])


# --- Mục lục văn bản, tài liệu trong hồ sơ (Phụ lục V mục IV) -----------------------------------


def index_docx(dossier, rows, mark=""):
    """DOCX bytes of a hồ sơ's Mục lục văn bản; ``rows``: seven texts per document (:func:`index_rows`)."""
    document = _document()
    _mark(document, mark)
    _line(document, INDEX_TITLE, 14, bold=True)
    _line(document, f"Số, ký hiệu hồ sơ: {dossier.code}", 14, bold=True)
    _line(document, f"Năm {dossier.year}", 14, bold=True)
    _line(document, "________", 13)
    _line(document, dossier.title, 13, italic=True, before=6)
    table = _grid(document, INDEX_COLUMNS)
    for texts in rows:
        _add_row(table, INDEX_COLUMNS, texts)
    return _bytes(document)


# --- Mục lục hồ sơ, tài liệu nộp lưu (Phụ lục V mục III) ----------------------------------------


def transfer_index_docx(parent, organ, unit, year, rows, count_words, dated):
    """DOCX bytes of the Mục lục hồ sơ nộp lưu; ``rows``: seven texts per hồ sơ."""
    document = _document()
    _header(document, parent, organ)
    _line(document, TRANSFER_TITLE, 14, bold=True, before=18)
    _line(document, unit, 14, bold=True)
    _line(document, f"Năm {year}", 14, bold=True)
    _line(document, "_____________", 13)
    table = _grid(document, TRANSFER_COLUMNS)
    for texts in rows:
        _add_row(table, TRANSFER_COLUMNS, texts)
    left = WD_ALIGN_PARAGRAPH.LEFT
    _line(document, f"Mục lục này gồm: {len(rows):02d} hồ sơ (đơn vị bảo quản).", align=left, before=12)
    _line(document, f"Viết bằng chữ: {count_words} hồ sơ (đơn vị bảo quản).", align=left)
    _signature(document, dated, "Người lập", "(Ký và ghi rõ họ và tên, chức vụ)")
    return _bytes(document)


# --- Biên bản giao nhận hồ sơ, tài liệu (Phụ lục V mục V) ---------------------------------------


def receipt_docx(parent, organ, dated, paragraphs):
    """DOCX bytes of the Biên bản giao nhận; ``paragraphs``: the model's lines, filled in."""
    document = _document()
    _header(document, parent, organ, dated)
    _line(document, RECEIPT_TITLE, 14, bold=True, before=18)
    _line(document, "Giao nhận hồ sơ, tài liệu", 14, bold=True)
    _line(document, "__________", 13)
    for text in paragraphs:
        paragraph = _line(document, text, 13, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6)
        paragraph.paragraph_format.first_line_indent = Cm(1.0)
    table = document.add_table(rows=1, cols=2)
    for cell, side in zip(table.rows[0].cells, ("ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN BÊN NHẬN")):
        _cell_lines(cell, [(side, True)])
        _line(cell, "(Ký và ghi rõ họ và tên)", 13, italic=True)
    return _bytes(document)
