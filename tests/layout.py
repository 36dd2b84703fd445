"""Measuring a DOCX's layout from its XML, for the tests (python-docx)."""
import docx
from docx.oxml.ns import qn

from vanthu.generator.measure import text_width

EMU_PER_TWIP = 635


def open_docx(path):
    return docx.Document(str(path))


def all_paragraphs(container):
    for block in container.iter_inner_content() if hasattr(container, "iter_inner_content") else container.paragraphs:
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    yield from all_paragraphs(cell)
        else:
            yield block


def find(document, prefix):
    """The first paragraph (in body or table) whose text starts with ``prefix``."""
    for p in all_paragraphs(document):
        if p.text.strip().startswith(prefix):
            return p
    raise AssertionError(f"no paragraph starts with {prefix!r}")


def _chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _default(document, tag):
    rpr = document.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    return None if rpr is None else rpr.find(qn(tag))


def run_property(document, paragraph, run, attr):
    """A run property as Word applies it: run, run style, paragraph styles, defaults."""
    for font in [run.font] + [s.font for s in _chain(paragraph.style)]:
        value = getattr(font, attr)
        if value is not None:
            return value.pt if attr == "size" else value
    if attr == "size":
        return int(_default(document, "w:sz").get(qn("w:val"))) / 2
    if attr == "name":
        return _default(document, "w:rFonts").get(qn("w:ascii"))
    return False


def para_property(paragraph, attr):
    value = getattr(paragraph.paragraph_format, attr)
    for style in _chain(paragraph.style):
        if value is not None:
            break
        value = getattr(style.paragraph_format, attr)
    return value


def look(document, paragraph):
    """(font, sizes, bold, italic) over the paragraph's runs that carry text."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    assert runs, f"paragraph {paragraph.text!r} has no text runs"
    props = lambda attr: {run_property(document, paragraph, r, attr) for r in runs}
    return props("name"), props("size"), props("bold"), props("italic")


def twips(length):
    return 0 if length is None else length / EMU_PER_TWIP


def has_bottom_border(paragraph):
    for p in [paragraph._p.pPr] + [s.element.pPr for s in _chain(paragraph.style)]:
        if p is not None and p.find(qn("w:pBdr") + "/" + qn("w:bottom")) is not None:
            return True
    return False


def cell_width(paragraph):
    """Width of the table cell holding the paragraph, less Word's default padding."""
    tc = paragraph._p.getparent()
    assert tc.tag == qn("w:tc"), "the paragraph is not in a table cell"
    return int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) - 2 * 108


def rule_length(paragraph):
    """Length of a rule paragraph: its cell's width less both indents, in twips."""
    pf = paragraph.paragraph_format
    return cell_width(paragraph) - twips(pf.left_indent) - twips(pf.right_indent)


def width_of(paragraph, size, bold):
    """Width of the paragraph's longest line (its explicit line breaks read as new lines)."""
    return max(text_width(line.strip(), size, bold) for line in paragraph.text.split("\n"))
