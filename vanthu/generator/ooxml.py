"""Small pieces of WordprocessingML the templates cannot hold themselves.

Runs and paragraphs come from docxtpl's RichText (which escapes text);
tables from python-docx's oxml. What is left here is geometry that depends on
the record: a rule as long as a name, a box as wide as a mark, a page break.
"""
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docxtpl import RichText, RichTextParagraph
from lxml import etree
from markupsafe import Markup

from ..templates import layout as L
from .measure import text_width


def paragraph(runs, style):
    """One paragraph of ``(text, bold, italic)`` runs in a template style."""
    rich = RichText()
    for text, bold, italic in runs:
        rich.add(text, bold=bold, italic=italic)
    result = RichTextParagraph()
    result.add(rich, parastyle=style)
    return result.xml


def _indented(style, left, right, extra=""):
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:ind w:left="{left}" w:right="{right}"/>'
            f"</w:pPr>{extra}</w:p>")


def rule(text, size, bold, cell_width, share):
    """A horizontal rule centred under ``text``: ``share`` of its (wrapped) line width."""
    length = min(text_width(text, size, bold), cell_width) * share
    side = int((cell_width - length) / 2)
    return Markup(_indented("VBRule", side, side))


def boxed(text, cell_width):
    """A mark in a single-line box (ô 10, 11): the box hugs the text, centred."""
    width = min(text_width(text, 13, True) + 340, cell_width)
    side = int((cell_width - width) / 2)
    rich = RichText(text)
    return _indented("VBMark", side, side, rich.xml)


def section_break(section_xml, restart):
    """End a section here (an attachment starts on a new page, numbered from 1 if ``restart``)."""
    if restart:
        section_xml = section_xml.replace("<w:titlePg/>", '<w:pgNumType w:start="1"/><w:titlePg/>')
    return f"<w:p><w:pPr>{section_xml}</w:pPr></w:p>"


def _wrap(xml):
    # RichTextParagraph gives "<w:p>..</w:p>"; parse its children with the w: namespace bound.
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return xml.replace("<w:p>", f"<w:p {ns}>", 1)


def _column_widths(rows, total):
    longest = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(len(rows[0]))]
    weights = [min(max(n, 4), 40) for n in longest]  # short columns keep room; long ones wrap
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def table(rows, header=True, total=L.TEXT_WIDTH):
    """A bordered table (bảng) that fits the text width; the header row is bold."""
    columns = max(len(r) for r in rows)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    widths = _column_widths(rows, total)
    tbl = CT_Tbl.new_tbl(len(rows), columns, total)
    _table_properties(tbl)
    for r, (tr, row) in enumerate(zip(tbl.tr_lst, rows)):
        for c, (tc, text) in enumerate(zip(tr.tc_lst, row)):
            tc.width = widths[c]
            tc.remove(tc.find(qn("w:p")))
            tc.append(etree.fromstring(_wrap(paragraph([(text, header and r == 0, False)],
                                                       "VBTableHeader" if header and r == 0 else "VBTableText"))))
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = width
    return etree.tostring(tbl, encoding="unicode")


def _table_properties(tbl):
    props = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    props.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
