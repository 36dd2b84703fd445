"""Helpers for the archive tests: a fast stand-in renderer and record makers."""
import datetime as _dt
import functools
import io
from pathlib import Path

import docx

from vanthu.generator.records import load

DATA = Path(__file__).parent / "data"
SEED = DATA / "4482-SYT-VP.yaml"


class FakeRenderer:
    """Renders the number line, date and subject only: the archive tests need bytes, not layout."""

    def render(self, record):
        doc = docx.Document()
        doc.add_paragraph(record.number.line)
        doc.add_paragraph(record.date.isoformat())
        doc.add_paragraph(record.title)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def fake_pdf(records, docx_list):
    """Stand-in PDF converter: a minimal one-page PDF per document."""
    return [minimal_pdf(f"PDF {len(d)}") for d in docx_list]


def minimal_pdf(text):
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.lru_cache(maxsize=None)
def _seed():
    return load(SEED)[0]


def seed():
    """The seed dispatch 4482/SYT-VP, read once per process (records are never changed in place)."""
    return _seed()


def record(number=None, date=None, confidentiality=None, code="SYT", subject="thử nghiệm", template=None):
    """The seed record with another number, date, secrecy or issuer code."""
    base = seed() if template is None else template
    values = {**base.values, "subject": subject, "issuer": {**base.values["issuer"], "code": code}}
    values.pop("number", None)
    values.pop("date", None)
    if number is not None:
        values["number"] = number
    if date is not None:
        values["date"] = date if isinstance(date, _dt.date) else _dt.date.fromisoformat(date)
    if confidentiality:
        values["confidentiality"] = confidentiality
    return type(base)(base.template, values, base.source, base.line, [])


def make_docx(lines):
    doc = docx.Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class BytesRenderer:
    """The cheapest stand-in: the number line as bytes (concurrency and benchmarks of numbering)."""

    def render(self, record):
        return f"{record.number.line}\n{record.date.isoformat()}\n{record.title}\n".encode("utf-8")


def serials(home, series="SYT", year=None):
    """Numbers taken in a series, read back from the database (the home's backend: SQLite or VANTHU_DB)."""
    from vanthu.archive.home import opened
    with opened(home) as archive:
        query, args = "SELECT serial FROM documents WHERE series = ?", [series]
        if year:
            query += " AND year = ?"
            args.append(year)
        return sorted(row[0] for row in archive.conn.execute(query, args))


def database(home):
    """A plain connection to the home's database, behind vanthu's back (to damage it as an intruder would):
    its SQLite file, or the PostgreSQL database the test runs on (VANTHU_DB)."""
    import os
    import sqlite3
    from vanthu.archive import postgres
    url = os.environ.get("VANTHU_DB")
    if url:
        conn = postgres.connect(url)
        conn.execute("SET session_replication_role = replica")  # a superuser's edit: no foreign key stops it
        return conn
    return sqlite3.connect(str(Path(home) / "vanthu.sqlite3"), isolation_level=None)


def stored_files(home):
    """Every file under the home's files/ folder, as paths relative to the home."""
    root = Path(home)
    return sorted(p.relative_to(root).as_posix() for p in (root / "files").rglob("*") if p.is_file())


def text_pdf(text):
    """A one-page PDF showing ASCII ``text`` in Helvetica, built by hand (no LibreOffice needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def issue_past(records, home=None, **options):
    """``issue`` for the tests of the archive's mechanics, which issue the same record many times, dated in past years.

    The refusals of those two mistakes (``again``, ``other_year``) are tested in ``test_trust_mistakes.py``.
    """
    from vanthu.archive.issuing import issue
    return issue(records, home, **{"again": True, "other_year": True, **options})
