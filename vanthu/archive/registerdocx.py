"""The printed register (sổ in): landscape A4, Times New Roman, cover page then the table.

Built with python-docx from the :class:`~vanthu.archive.register.Register`
value; the header rows repeat on every page so a bound book reads anywhere.
"""
import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"


def to_docx(register):
    """DOCX bytes of the register, ready to print and bind."""
    document = docx.Document()
    _page(document.sections[0])
    _font(document.styles["Normal"], 13)
    _cover(document, register)
    _table(document, register)
    _footer(document.sections[0], register.chain_line())
    drop_styles_with_effects(document)
    if register.print_mark:
        _footer_line(document.sections[0], register.print_mark)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(section):
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)


def _footer(section, text):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size, run.italic = Pt(9), True


def drop_styles_with_effects(document):
    """python-docx's blank document carries Word 2010's stylesWithEffects part, which lacks the footer's
    styles once a footer is made: Word then repairs the file (openxml-audit). Word does without the part."""
    part = document.part
    for key, relation in list(part.rels.items()):
        if relation.reltype.endswith("/stylesWithEffects"):
            del part.rels[key]


def _footer_line(section, text):
    paragraph = section.footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size, run.italic = Pt(9), True


def _font(style, size):
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)  # Word picks this slot for some Vietnamese letters


def _line(document, text, size=13, bold=False, before=0):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    return paragraph


def _cover(document, register):
    parent, body, title, *details = register.cover()
    _line(document, parent or "TÊN CƠ QUAN CHỦ QUẢN TRỰC TIẾP", 13)
    _line(document, body or "TÊN CƠ QUAN/ĐƠN VỊ", 13, bold=True)
    _line(document, title, 20, bold=True, before=120)
    for index, text in enumerate(details):
        _line(document, text, 14, before=36 if index == 0 else 6)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(document, register):
    widths = [c.print_cm for c in register.columns]
    table = document.add_table(rows=2, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the grid: LibreOffice lays out by it, Word by the cells
    fill_row(table.rows[0], register.headings, widths, bold=True)
    fill_row(table.rows[1], [f"({i})" for i in range(1, len(widths) + 1)], widths, italic=True)
    for header in table.rows[:2]:
        _repeat_as_header(header)
    centered = {i for i, c in enumerate(register.columns) if c.centered}
    for cells in register.rows:
        fill_row(table.add_row(), cells, widths, center=centered)


def fill_row(row, texts, widths, bold=False, italic=False, center=None, size=11):
    """One table row of ``texts`` (also the dossier lists' rows, at 12 pt)."""
    for index, (cell, text, width) in enumerate(zip(row.cells, texts, widths)):
        cell.width = Cm(width)
        paragraph = cell.paragraphs[0]
        if center is None or index in center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic


def _repeat_as_header(row):
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "on")  # ST_OnOff of Office 2016's schema: 'true' makes Word repair the file
    properties.append(flag)
