"""Small pieces of WordprocessingML the templates cannot hold themselves.

Runs and paragraphs come from docxtpl's RichText (which escapes text);
tables from python-docx's oxml. What is left here is geometry that depends on
the record: a rule as long as a name, a box as wide as a mark, a page break.
"""
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Twips
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
    if restart:  # pgNumType stands before cols in the schema's order
        section_xml = section_xml.replace("<w:cols ", '<w:pgNumType w:start="1"/><w:cols ', 1)
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
    tbl = CT_Tbl.new_tbl(len(rows), columns, Twips(total))
    _table_properties(tbl)
    for r, (tr, row) in enumerate(zip(tbl.tr_lst, rows)):
        for c, (tc, text) in enumerate(zip(tr.tc_lst, row)):
            tc.width = Twips(widths[c])  # python-docx lengths are EMU
            tc.remove(tc.find(qn("w:p")))
            tc.append(etree.fromstring(_wrap(paragraph([(text, header and r == 0, False)],
                                                       "VBTableHeader" if header and r == 0 else "VBTableText"))))
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = Twips(width)
    return etree.tostring(tbl, encoding="unicode")


# The schema fixes the order of a table's properties; Word refuses files that break it.
TABLE_PROPERTY_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                        "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                        "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"]


def set_table_property(props, element):
    """Put ``element`` into ``<w:tblPr>`` at its schema position, replacing one already there."""
    name = element.tag.split("}")[1]
    old = props.find(qn(f"w:{name}"))
    if old is not None:
        props.remove(old)
    later = TABLE_PROPERTY_ORDER[TABLE_PROPERTY_ORDER.index(name) + 1:]
    following = next((child for child in props if child.tag.split("}")[1] in later), None)
    if following is None:
        props.append(element)
    else:
        following.addprevious(element)


def table_borders(value, size="4"):
    """``<w:tblBorders>`` with every side and inside line set to ``value`` (single, nil)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), value)
        if value != "nil":
            for k, v in (("sz", size), ("space", "0"), ("color", "000000")):
                el.set(qn(f"w:{k}"), v)
        borders.append(el)
    return borders


def fixed_layout():
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    return layout


def _table_properties(tbl):
    set_table_property(tbl.tblPr, table_borders("single"))
    set_table_property(tbl.tblPr, fixed_layout())
