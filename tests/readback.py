"""Reading rendered files back, for the tests: text in order, and layout.

This is the project's own version of the checks in ../shared/tools
(doccheck.py, layoutcheck.py), so that a fresh clone tests itself.
"""
import io
import re
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraphs(source):
    """Every paragraph's text, in document order (body, tables, text boxes)."""
    data = source if isinstance(source, bytes) else open(source, "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    return ["".join(_texts(p)) for p in root.iter(W + "p")]


def _texts(paragraph):
    for el in paragraph.iter():
        if el.tag == W + "t" and el.text:
            yield el.text
        elif el.tag in (W + "tab", W + "br"):
            yield " "


def pdf_text(path):
    """The PDF's text, page by page, without the printed page numbers at the top of each page
    (a paragraph that runs over a page break would otherwise have the number inside it)."""
    from pypdf import PdfReader
    pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    return "\n".join(re.sub(r"^\s*\d+\s*\n", "", text, count=1) for text in pages)


def fold(text):
    """NFC, one kind of dash, dotted fill lines as one '…', no white space."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"(\.|\u2026){2,}", "…", text)
    return re.sub(r"\s+", "", text)


def expected_lines(path):
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
    return [l for l in lines if l.strip() and not l.startswith("#")]


def missing_in_order(expected_path, raw_text):
    """Expected paragraphs not found (in order, except '~' lines); [] when all are there."""
    stream, pos, problems = fold(raw_text), 0, []
    if "{{" in raw_text or "{%" in raw_text:
        problems.append("template tags left in the output")
    for line in expected_lines(expected_path):
        if line.startswith("~"):
            if fold(line[1:]) not in stream:
                problems.append("missing: " + line)
            continue
        if line.startswith("re:"):
            m = re.compile(fold(line[3:])).search(stream, pos)
            where, end = (m.start(), m.end()) if m else (-1, -1)
        else:
            key = fold(line)
            where = stream.find(key, pos)
            end = where + len(key)
        if where < 0:
            problems.append("missing or out of order: " + line)
        else:
            pos = end
    return problems
