"""The body markup of a record (nội dung), turned into paragraphs and tables.

The record format's rules: every non-empty line is a paragraph; ``- `` and
``+ `` items keep their mark; ``Điều n.`` has its label in bold; section
headings (``I. ...``, ``Phần I``, ``Chương I``, ``Mục 1``) are bold; lines
starting with ``|`` form a table; ``**bold**``, ``*italic*`` and ``***both***``
are the only inline markup. Everything else is literal text.
"""
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from . import ooxml

_ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)(.*)$")
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\.\s+\S")
_PART = re.compile(r"^(Phần|Chương|Mục|Tiểu mục)\s+([IVXLC]+|\d+)\b")
_INLINE = re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*|\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=\S)([^*]+?)(?<=\S)\*")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


@dataclass
class Paragraph:
    """One paragraph: its kind (body, article, heading, part) and its runs."""

    kind: str
    runs: list = field(default_factory=list)  # (text, bold, italic)


@dataclass
class Table:
    """A pipe table: rows of cell texts; the first row is the header."""

    rows: list


def inline(text, bold=False):
    """Split ``***both***``, ``**bold**`` and ``*italic*`` into runs; the rest is literal."""
    runs, pos = [], 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append((text[pos:m.start()], bold, False))
        both, strong, emphasis = m.groups()
        runs.append((both, True, True) if both is not None else (strong, True, False) if strong is not None
                    else (emphasis, bold, True))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], bold, False))
    return runs


def _is_title(text):
    """An article's title (``Phạm vi điều chỉnh``), not its content: short, no closing punctuation."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 20 and not text.endswith((".", ":", ";", ","))


def _line(text, previous=None):
    if m := _ARTICLE.match(text):
        if _is_title(m[2]):  # Phụ lục I §II.6.d: "Điều", its number and its title, bold
            return Paragraph("article", inline(text, bold=True))
        return Paragraph("article", [(m[1], True, False)] + inline(m[2]))
    if _PART.match(text):
        return Paragraph("part", inline(text, bold=True))
    if previous is not None and previous.kind == "part" and text == text.upper():
        return Paragraph("part", inline(text, bold=True))  # the part's title, under its number, centred
    if _ROMAN_HEADING.match(text):
        return Paragraph("heading", inline(text, bold=True))
    return Paragraph("body", inline(text))


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse(text):
    """The blocks of a body text, in order."""
    blocks, table = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            if not _SEPARATOR.match(line):
                table = table or Table([])
                table.rows.append(_cells(line))
                if table not in blocks:
                    blocks.append(table)
            continue
        table = None
        if line:
            previous = blocks[-1] if blocks and isinstance(blocks[-1], Paragraph) else None
            blocks.append(_line(line, previous))
    return blocks


STYLE = {"body": "VBBody", "article": "VBBody", "heading": "VBBody", "part": "VBBodyCenter"}
HEADINGS = {"article", "heading", "part"}  # Điều, I/II/III, Phần/Chương/Mục: never the last line of a page


def to_xml(blocks, style=STYLE, keep_last=False):
    """WordprocessingML for the blocks, ready for a ``{{p body }}`` tag.

    Headings are kept with the paragraph after them; with ``keep_last`` the last
    paragraph is kept with what follows (the signature block never stands alone).
    """
    parts = []
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            parts.append(ooxml.table(block.rows))
            continue
        keep = block.kind in HEADINGS or (keep_last and i == len(blocks) - 1)
        parts.append(ooxml.paragraph(block.runs, style[block.kind], keep_with_next=keep))
    return Markup("".join(parts))


def plain_text(text):
    """The body as a reader sees it, without markup (for search and checks)."""
    return "\n".join(_plain(b) for b in parse(text))


def _plain(block):
    if isinstance(block, Table):
        return "\n".join(" | ".join(row) for row in block.rows)
    return "".join(run[0] for run in block.runs)
