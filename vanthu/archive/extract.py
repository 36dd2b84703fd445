"""A received file's text (trích nội dung văn bản đến), within bounds, and what in it is risky.

The text only feeds search, so a hostile file must not cost minutes or
gigabytes: a DOCX is read as a stream of paragraphs (never a whole object
tree), a PDF page by page, and reading stops at :data:`MAX_CHARS` characters
(as much as a record's body may hold) or :data:`MAX_SECONDS`. The file itself
is stored whole; only the searchable text is cut, and the clerk is told.
"""
import io
import time
import zipfile
from dataclasses import dataclass

MAX_CHARS = 200_000     # = a record's body (validate.MAX_BLOCK): the index never holds more for one document
MAX_PARAGRAPHS = 50_000  # empty paragraphs cost time but add no text
MAX_SECONDS = 15.0
MAX_PAGES_SCANNED = 500
_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_PDF_RISKS = ((b"/JavaScript", "JavaScript"), (b"/JS", "JavaScript"), (b"/EmbeddedFile", "tệp nhúng bên trong"),
              (b"/Launch", "lệnh mở chương trình (/Launch)"))


@dataclass(frozen=True)
class Extracted:
    """The text read, why it was cut (empty if whole), and the risky parts found (JavaScript, embedded files)."""

    text: str
    cut: str = ""
    risks: tuple = ()


class _Budget:
    """Counts characters, paragraphs and seconds; says why reading must stop."""

    def __init__(self, clock=time.monotonic):
        self.clock, self.start, self.chars, self.parts, self.cut = clock, clock(), 0, 0, ""

    def take(self, text):
        """``text`` as far as the budget allows; sets :attr:`cut` once it is spent."""
        self.parts += 1
        if self.chars + len(text) + 1 > MAX_CHARS:  # + 1: the line break after it
            text, self.cut = text[:MAX_CHARS - self.chars - 1], f"nội dung dài hơn {MAX_CHARS:,} ký tự".replace(",", ".")
        elif self.parts > MAX_PARAGRAPHS:
            text, self.cut = "", f"hơn {MAX_PARAGRAPHS:,} đoạn".replace(",", ".")
        elif self.clock() - self.start > MAX_SECONDS:
            text, self.cut = "", f"đọc quá {MAX_SECONDS:g} giây"
        self.chars += len(text) + 1
        return text


def extract(data, kind, clock=time.monotonic):
    """The :class:`Extracted` text of a DOCX or PDF file's bytes."""
    budget = _Budget(clock)
    if kind == "docx":
        return Extracted(_lines(_docx_paragraphs(data), budget), budget.cut)
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    return Extracted(_lines((page.extract_text() or "" for page in reader.pages), budget), budget.cut,
                     pdf_risks(reader, data))


def _lines(texts, budget):
    lines = []
    for text in texts:
        text = budget.take(text.strip())
        if text:
            lines.append(text)
        if budget.cut:
            break
    return "\n".join(lines)


def _docx_paragraphs(data):
    """Each paragraph's text in document order (table cells included), parsed as a stream."""
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as package, package.open("word/document.xml") as xml:
        for _, paragraph in etree.iterparse(xml, events=("end",), tag=_W_P, resolve_entities=False, no_network=True):
            yield "".join(t.text or "" for t in paragraph.iter(_W_T))
            paragraph.clear()  # a stream: what was read is dropped, memory stays flat
            while paragraph.getprevious() is not None:
                del paragraph.getparent()[0]


def pdf_risks(reader, data):
    """What a PDF carries besides pages: JavaScript, embedded files, launch actions (a received file may be hostile)."""
    found = [label for marker, label in _PDF_RISKS if marker in data]
    try:
        names = reader.trailer["/Root"].get("/Names", {})
        found += ["JavaScript"] * ("/JavaScript" in names) + ["tệp nhúng bên trong"] * ("/EmbeddedFiles" in names)
        found += ["JavaScript"] * any(_runs_script(page) for page in reader.pages[:MAX_PAGES_SCANNED])
    except Exception:  # a damaged catalogue: the byte scan above already had its say
        pass
    return tuple(dict.fromkeys(found))


def _runs_script(page):
    """A page's links and fields whose action is JavaScript (hidden in compressed object streams from the byte scan)."""
    for annotation in page.get("/Annots") or []:
        action = annotation.get_object().get("/A") or {}
        if action.get("/S") == "/JavaScript":
            return True
    return False
