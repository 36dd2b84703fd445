"""Small pieces of WordprocessingML the templates cannot hold themselves.

Runs and paragraphs come from docxtpl's RichText (which escapes text);
tables from python-docx's oxml. What is left here is geometry that depends on
the record: a rule as long as a name, a box as wide as a mark, a page break.
"""
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Twips
from docxtpl import RichText, RichTextParagraph
from lxml import etree
from markupsafe import Markup

from ..templates import layout as L
from .measure import text_width


_STYLE_TAG = re.compile(r'(<w:pStyle w:val="[^"]*"/>)')


def paragraph(runs, style, keep_with_next=False):
    """One paragraph of ``(text, bold, italic)`` runs in a template style (kept with the next if asked)."""
    rich = RichText()
    for text, bold, italic in runs:
        rich.add(text, bold=bold, italic=italic)
    result = RichTextParagraph()
    result.add(rich, parastyle=style)
    return keep_next(result.xml) if keep_with_next else result.xml


def keep_next(paragraph_xml):
    """``<w:keepNext/>`` right after the paragraph's style, where the schema puts it."""
    return _STYLE_TAG.sub(r"\1<w:keepNext/>", paragraph_xml, count=1)


def sized_paragraph(lines, style, size, style_size, outdent=0):
    """A paragraph of explicit lines (Word line breaks) in ``style``, at ``size`` pt when not the style's own;
    ``outdent`` (twips) lets a long line use the cell's padding."""
    rich = RichText("\n".join(lines), size=2 * size if size != style_size else None)
    indent = f'<w:ind w:left="-{outdent}" w:right="-{outdent}"/>' if outdent else ""
    return Markup(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{indent}</w:pPr>{rich.xml}</w:p>')


def _indented(style, left, right, extra="", props=""):
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{props}<w:ind w:left="{left}" w:right="{right}"/>'
            f"</w:pPr>{extra}</w:p>")


def rule(text, size, bold, cell_width, share):
    """A horizontal rule centred under ``text``: ``share`` of its (wrapped) line width."""
    length = min(text_width(text, size, bold), cell_width) * share
    side = int((cell_width - length) / 2)
    return Markup(_indented("VBRule", side, side))


RED = "FF0000"  # "mực ... màu đỏ tươi": the urgency stamp's bright red
STAMP_HEIGHT = round(8 * L.TWIPS_PER_MM)  # 8 mm
_BORDER = 8  # eighths of a point: a 1 pt single line
_PADDING_PT = 1  # border-to-text space, points
_FRAME = 20 * _PADDING_PT + 20 * _BORDER // 8  # twips a frame side adds outside the text


def boxed(text, cell_width, width=None, color=None):
    """A mark in a single-line box (ô 10, 11), centred in ``cell_width``.

    ``width`` (twips) is the stamp's size from the decree (the box hugs the text
    otherwise); the box is 8 mm tall; ``color`` (hex) colours text and frame.
    """
    width = min(width or text_width(text, 13, True) + 340, cell_width)
    side = int((cell_width - width) / 2) + _FRAME  # the frame is drawn outside the indents
    return _indented("VBMark", side, side, _stamp_run(text, color), _stamp_props(color))


def framed(text, width, x, y):
    """A mark in a single-line box taken out of the text flow (ô 11, in the top margin): it moves nothing.

    ``x`` from the left margin, ``y`` from the top of the page, twips.
    """
    frame = (f'<w:framePr w:w="{width}" w:h="{STAMP_HEIGHT}" w:hRule="exact" w:wrap="around" '
             f'w:hAnchor="margin" w:vAnchor="page" w:x="{x}" w:y="{y}"/>')
    return _indented("VBMark", 0, 0, _stamp_run(text, None), frame + _stamp_props(None, before=0))


def _stamp_props(color, before=None):
    """The box's frame and an exact line height that makes it 8 mm tall with the frame."""
    line = STAMP_HEIGHT - 2 * _FRAME
    sides = "".join(f'<w:{side} w:val="single" w:sz="{_BORDER}" w:space="{_PADDING_PT}" w:color="{color or "000000"}"/>'
                    for side in ("top", "left", "bottom", "right"))
    space = "" if before is None else f'w:before="{before}" '
    return f'<w:pBdr>{sides}</w:pBdr><w:spacing {space}w:line="{line}" w:lineRule="exact"/>'


def _stamp_run(text, color):
    rich = RichText(text, color=color) if color else RichText(text)
    return rich.xml


_FOOTER = re.compile(r'<w:footerReference w:type="(default|first)" r:id="([^"]+)"/>')


def section_break(section_xml, restart):
    """End a section here; with ``restart`` the section it ends is an appended one
    (appendix, attachment): numbered from 1, and without page 1's contact footer (ô 13)."""
    if restart:  # pgNumType stands before cols in the schema's order
        section_xml = section_xml.replace("<w:cols ", '<w:pgNumType w:start="1"/><w:cols ', 1)
        footers = dict(_FOOTER.findall(section_xml))
        if "first" in footers and "default" in footers:
            section_xml = section_xml.replace(f'r:id="{footers["first"]}"', f'r:id="{footers["default"]}"')
    return f"<w:p><w:pPr>{section_xml}</w:pPr></w:p>"


def _wrap(xml):
    # RichTextParagraph gives "<w:p>..</w:p>"; parse its children with the w: namespace bound.
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return xml.replace("<w:p>", f"<w:p {ns}>", 1)


_PADDING = 2 * L.CELL_MARGIN + 60


def _needs(rows, column):
    """(narrowest, widest) a column can be: its longest word, its longest cell, in twips."""
    cells = [(row[column], r == 0) for r, row in enumerate(rows)]
    words = [text_width(w, 13, bold) for text, bold in cells for w in text.split()] or [0]
    lines = [text_width(text, 13, bold) for text, bold in cells] or [0]
    return max(words) + _PADDING, max(lines) + _PADDING


def _column_widths(rows, total):
    """Widths that never break a word: each column gets its longest word, the rest
    of the text width goes where the text is long."""
    needs = [_needs(rows, c) for c in range(len(rows[0]))]
    narrow = [n for n, _ in needs]
    room = total - sum(narrow)
    extra = [w - n for n, w in needs]
    if room <= 0 or not sum(extra):
        widths = [int(total * n / sum(narrow)) for n in narrow]
    else:
        widths = [int(n + room * e / sum(extra)) for n, e in zip(narrow, extra)]
    widths[-1] += total - sum(widths)
    return widths


def table(rows, header=True, total=L.TEXT_WIDTH, widths=None, min_height=0):
    """A bordered table (bảng) that fits the text width; the header row is bold.

    ``widths`` (twips) overrides the column widths; ``min_height`` (twips) makes
    every row at least that tall, room to write in by hand.
    """
    columns = max(len(r) for r in rows)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    widths = widths or _column_widths(rows, total)
    tbl = CT_Tbl.new_tbl(len(rows), columns, Twips(sum(widths)))
    _table_properties(tbl)
    for r, (tr, row) in enumerate(zip(tbl.tr_lst, rows)):
        if min_height:
            tr.get_or_add_trPr().trHeight_val = Twips(min_height)
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
