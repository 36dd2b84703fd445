"""Records to one PDF (kết xuất PDF): the core of ``vanthu render ... -o OUT.pdf``.

Every good record becomes one document of the merged PDF; every bad one is
reported with its ``file:line`` and problem, and does not stop the others.
Nothing is numbered or archived: these are drafts, like the DOCX ones.

LibreOffice takes about a second to start, so it is started first, and the
heavy modules (docxtpl, pypdf, ruamel) are imported inside the functions:
their import, the reading and the rendering of the records all happen while
LibreOffice starts, and a single document costs little more than LibreOffice.
"""
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, VanthuError
from ..files import write_atomic
from .soffice import Office

SIGNER_FIELDS = ("signer_name", "head_name")  # forms: the field holding who signs (người ký)


@dataclass
class PdfReport:
    """What ``render_pdf`` did (báo cáo): the file, the documents in it, the records refused."""

    output: Path
    titles: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # what was adjusted (columns left out, phones given their 0)
    written: list = field(default_factory=list)  # the files written
    withheld: bool = False  # a mail merge with bad rows wrote nothing (the clerk did not accept a partial result)

    @property
    def ok(self):
        return not self.problems


def info_of(record):
    """The PDF's view of a record: title, issuer, number, date, signer."""
    from .pdfmeta import DocumentInfo
    from .signing import field_name
    if record.template.is_form:
        return _form_info(record)
    numbered = not record.number.is_draft
    number = str(record.number) if numbered else ""
    signer = record.get("signer") or {}
    issuer = record.issuer
    return DocumentInfo(
        title=record.title, author=issuer.get("name", ""), subject=number,
        keywords=tuple(k for k in (record.template.title, number, issuer.get("code", "")) if k),
        date=record.date, signer=signer.get("name", ""), signer_title=signer.get("title", ""),
        field=field_name(number if numbered else f"du-thao-{record.symbol}"))


def _form_info(record):
    """A form has no number: its first filled field (the unit, the person) tells it apart."""
    from .pdfmeta import DocumentInfo
    from .signing import field_name
    first = next((v for v in record.values.values() if isinstance(v, str) and v), "")
    signer = next((record.get(name) for name in SIGNER_FIELDS if record.get(name)), "")
    return DocumentInfo(title=f"{record.title}: {first}" if first else record.title, author=first,
                        keywords=(record.template.title,), date=record.date, signer=signer,
                        field=field_name(record.template.name))


def load_records(paths, reader, data=None, notes=None):
    """Good records in order, and the problems of the bad ones (tệp:dòng)."""
    from . import mailmerge
    if data is not None:
        if len(paths) != 1:
            raise VanthuError("trộn thư (--data) cần đúng một tệp mẫu bản ghi")
        return _split(mailmerge.merge(paths[0], data, reader, notes))
    results = []
    for path in paths:
        try:
            results += reader.load_each(path)
        except VanthuError as error:  # the whole file is unreadable: report it, go on with the others
            results.append(error)
    return _split(results)


def _split(results):
    records = [r for r in results if not isinstance(r, VanthuError)]
    problems = [p for r in results if isinstance(r, VanthuError) for p in r.problems]
    return records, problems


def render_pdf(paths, output, *, library=None, data=None, pdfa=False, progress=None, workers=None,
               partial=False, each=False):
    """Render the records of ``paths`` (or the form ``paths[0]`` filled from ``data``) into one PDF.

    ``progress(done, total)`` follows the conversion. Writes ``output``
    (atomically) if at least one document was made; never raises for a bad
    record, only lists it in the report. A mail merge (``data``) with a bad
    row writes nothing unless ``partial``: a clerk would print 27 of 30
    letters without noticing. ``each``: ``output`` is a folder, one PDF per record.
    """
    with Office() as office:  # LibreOffice starts while the records are read and rendered
        from .pdf import build_pdf
        report = PdfReport(Path(output))
        records, report.problems = _records(paths, library, data, report.notes)
        report.withheld = bool(data is not None and report.problems and not partial)
        parts = [] if report.withheld else _render_docx(records, report.problems)
        if not parts:
            return report
        result = build_pdf(parts, pdfa=pdfa, workers=workers, progress=progress, office=office, single=each)
    report.problems += result.problems
    report.titles = result.done
    report.written = _write(result, parts, Path(output), each)
    return report


def _records(paths, library, data, notes):
    from .records import RecordReader
    return load_records([str(p) for p in paths], RecordReader(library), data, notes)


def _write(result, parts, output, each):
    if not each:
        return [write_atomic(output, result.pdf) or output] if result.pdf else []
    targets = [output / f"{n:03d}-{_stem(part)}.pdf" for n, part in enumerate(parts, 1)]
    for target, data in zip(targets, result.pdfs):
        if data:
            write_atomic(target, data)
    return [t for t, data in zip(targets, result.pdfs) if data]


def _stem(part):
    """A file name from the document (its number, or a form's first value), Vietnamese letters kept."""
    import re
    import unicodedata
    text = unicodedata.normalize("NFC", part.info.subject or part.info.author or "van-ban").replace("/", "-")
    return re.sub(r"[^\w.&-]+", "_", text).strip("._")[:60] or "van-ban"


def _render_docx(records, problems):
    from .pdf import PdfPart
    from .render import Renderer
    renderer, parts = Renderer(), []
    for record in records:
        try:
            parts.append(PdfPart(renderer.render(record), info_of(record), record.name))
        except VanthuError as error:
            problems += [p if p.file else Problem(p.message, record.source, record.line) for p in error.problems]
    return parts
