"""A template's Word parts as the clerk sees them (đoạn văn và thẻ), for the linter.

Word stores a paragraph as runs (``<w:r>``), one per stretch of uniform
formatting; editing in Word splits runs freely, and a ``{{ tag }}`` typed in
two goes may land in several. Here each paragraph keeps its runs, so a tag
can be traced to the runs it spans, and each paragraph has a number, so a
finding can say where it is.
"""
import re
import zipfile
from dataclasses import dataclass

from lxml import etree
from docxtpl import DocxTemplate

from ..errors import Problem, VanthuError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_MARKER = re.compile(r"<!--vanthu:p(\d+)-->")
_LABELS = {"document": "thân văn bản", "header": "đầu trang", "footer": "chân trang"}


@dataclass(frozen=True)
class Tag:
    """One ``{{ }}``, ``{% %}`` or ``{# #}`` tag of a paragraph, and how many runs it spans."""

    text: str
    runs: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (đoạn) of a part: its number in the part and the text of each run."""

    part: str
    number: int
    runs: tuple

    @property
    def text(self):
        return "".join(self.runs)

    def excerpt(self, width=60):
        text = " ".join(self.text.split())
        return text if len(text) <= width else text[:width - 1] + "…"

    def tags(self):
        owner = [i for i, run in enumerate(self.runs) for _ in run]
        return [Tag(m.group(), len(set(owner[m.start():m.end()]))) for m in TAG.finditer(self.text)]

    @property
    def where(self):
        kind = re.match(r"word/([a-z]+)", self.part).group(1)
        return f"{_LABELS.get(kind, self.part)} ({self.part}), đoạn {self.number} «{self.excerpt()}»"


def is_templated(name):
    """The parts the generator fills: the body, the headers, the footers."""
    return name == "word/document.xml" or re.fullmatch(r"word/(header|footer)\d*\.xml", name) is not None


def read_parts(path):
    """Every part of a ``.docx`` by name; a clear error for a missing or broken file."""
    try:
        with zipfile.ZipFile(path) as z:
            return {info.filename: z.read(info) for info in z.infolist()}
    except FileNotFoundError:
        raise VanthuError(Problem("không tìm thấy tệp", str(path))) from None
    except (zipfile.BadZipFile, IsADirectoryError):
        raise VanthuError(Problem("không phải tệp .docx (Word 2007 trở lên)", str(path))) from None


def paragraphs(name, xml):
    """The paragraphs of one part, numbered from 1 in document order (tables included)."""
    root = etree.fromstring(xml)
    return [Paragraph(name, n, tuple(_run_texts(p))) for n, p in enumerate(root.iter(W + "p"), 1)]


def cells(xml):
    """For each table cell (ô bảng), the numbers of the paragraphs directly in it."""
    root = etree.fromstring(xml)
    number = {p: n for n, p in enumerate(root.iter(W + "p"), 1)}
    return [[number[p] for p in tc.findall(W + "p")] for tc in root.iter(W + "tc")]


def _run_texts(paragraph):
    texts, last = [], None
    for t in paragraph.iter(W + "t"):
        if _paragraph_of(t) is not paragraph:
            continue  # a text box's paragraph nested in this one: numbered on its own
        run = t.getparent()
        if run is last:
            texts[-1] += t.text or ""
        else:
            texts.append(t.text or "")
        last = run
    return texts


def _paragraph_of(element):
    element = element.getparent()
    while element is not None and element.tag != W + "p":
        element = element.getparent()
    return element


def patched(docx_path, xml):
    """The Jinja source docxtpl makes of a part, each paragraph's start marked with its number.

    Paragraph-level tags (``{%p %}``) replace their paragraph, but the mark
    before it stays, so a Jinja error's line leads back to a paragraph.
    """
    count = iter(range(1, 1 << 30))
    marked = re.sub(r"<w:p([ >])", lambda m: f"\n<!--vanthu:p{next(count)}--><w:p{m.group(1)}", xml.decode("utf-8"))
    return DocxTemplate(str(docx_path)).patch_xml(marked)


def paragraph_at(source, line):
    """The number of the paragraph a line of :func:`patched` output belongs to (0: before the first)."""
    numbers = _MARKER.findall("\n".join(source.split("\n")[:line]))
    return int(numbers[-1]) if numbers else 0
