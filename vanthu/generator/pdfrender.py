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


def load_records(paths, reader, data=None):
    """Good records in order, and the problems of the bad ones (tệp:dòng)."""
    from . import mailmerge
    if data is not None:
        if len(paths) != 1:
            raise VanthuError("trộn thư (--data) cần đúng một tệp mẫu bản ghi")
        return _split(mailmerge.merge(paths[0], data, reader))
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


def render_pdf(paths, output, *, library=None, data=None, pdfa=False, progress=None, workers=None):
    """Render the records of ``paths`` (or the form ``paths[0]`` filled from ``data``) into one PDF.

    ``progress(done, total)`` follows the conversion. Writes ``output``
    (atomically) if at least one document was made; never raises for a bad
    record, only lists it in the report.
    """
    with Office() as office:  # LibreOffice starts while the records are read and rendered
        from .pdf import build_pdf
        from .records import RecordReader
        records, problems = load_records([str(p) for p in paths], RecordReader(library), data)
        parts = _render_docx(records, problems)
        report = PdfReport(Path(output), problems=problems)
        if not parts:
            return report
        result = build_pdf(parts, pdfa=pdfa, workers=workers, progress=progress, office=office)
    report.problems += result.problems
    report.titles = result.done
    if result.pdf:
        write_atomic(output, result.pdf)
    return report


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
