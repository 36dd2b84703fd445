"""Issuing (ban hành): a checked record becomes a numbered, stored, unchangeable document.

One call is one transaction for all its records: take each number, stamp
the date, render DOCX (and PDF), stage the files, move them into place and
commit. A failure or a kill at any point leaves no number taken and no file
visible (see :meth:`vanthu.archive.home.Archive.writing`).
"""
import datetime as _dt
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from ..docnumber import DocumentNumber
from ..errors import Problem, VanthuError
from . import catalog, metadata, mistakes, numbering
from .document import ArchivedDocument, OUTGOING, SECRET_LEVELS
from ..faults import checkpoint
from .home import opened
from .store import safe_name

_KEEP_COPY = re.compile(r"^\s*Lưu\s*:?\s*(.*?)[\s.;]*$", re.IGNORECASE)
_AS_ABOVE = re.compile(r"^\s*Như\s+\S", re.IGNORECASE)  # "Như trên", "Như kính gửi", "Như Điều 3"


@dataclass(frozen=True)
class PdfFiles:
    """What a ``to_pdf`` hook may give for one record instead of bytes: the PDF, and files of their own
    stored beside it (phụ lục tệp riêng, each signed by the organisation): ``(role, name suffix, bytes)``."""

    pdf: bytes
    separate: tuple = ()


@dataclass(frozen=True)
class Issued:
    """A document just issued (văn bản đã ban hành): its number, date and stored files."""

    id: int
    number: DocumentNumber
    date: _dt.date
    series: str
    files: tuple
    arrival_number: int = None  # số đến, for an imported document

    @property
    def paths(self):
        return [f.path for f in self.files]


def issue(records, home=None, *, renderer=None, to_pdf=None, replaces=None, corrects=None, today=None, warn=None,
          index=True, inside=None, again=False, other_year=False):
    """Issue ``records`` (checked :class:`~vanthu.generator.records.Record`) into the archive.

    One call is one transaction: all records are issued, or none.
    ``to_pdf(records, list of DOCX bytes) -> list of PDF bytes`` converts in
    one batch (:func:`vanthu.archive.pdfexport.convert`); None stores DOCX only.
    ``replaces`` / ``corrects``: the number of an earlier document this one
    replaces or corrects (Art. 18). ``today``: the date for records without
    one. ``warn(text)`` hears what went wrong after the commit (the search
    index); ``index=False`` leaves indexing to ``vanthu reindex``.
    ``inside(archive, results)`` runs in the same transaction before the commit
    (a draft marked issued together with its number, or neither).

    Mistakes are refused before any number is taken (:mod:`.mistakes`): a
    date in the future; content already issued, unless ``again``; a date in
    another year than ``today`` when vanthu takes the number, unless ``other_year``.
    """
    records, today = list(records), today or _dt.date.today()
    _check_issuable(records)
    VanthuError.collect([p for r in records for p in mistakes.date_problems(r, today, other_year)])
    renderer = renderer or _default_renderer()
    with opened(home) as archive:
        with archive.writing() as batch:
            links = _link_targets(archive.conn, replaces, corrects)
            numbered = [_take_number(archive, record, today, batch.token, again, warn) for record in records]
            checkpoint("numbered")
            docx = [renderer.render(issued_record) for _, issued_record in numbered]
            pdfs = _convert(to_pdf, [r for _, r in numbered], docx)
            entries = [entry for entry, _ in numbered]
            results = [_store(archive, batch, e, files, links) for e, files in zip(entries, zip(docx, pdfs))]
            if inside:
                inside(archive, results)
            checkpoint("staged")
        after_commit(archive, [e.document for e in entries], warn, index)
    checkpoint("done")
    return results


def issue_files(paths, home=None, *, library=None, pdf=True, replaces=None, corrects=None, warn=None, again=False,
                other_year=False):
    """What ``vanthu issue`` does: check every record of every file, then issue them all at once."""
    from ..generator.records import RecordReader
    from .pdfexport import convert
    reader = RecordReader(library)
    records = [record for path in paths for record in reader.load(path)]
    return issue(records, home, to_pdf=convert if pdf else None, replaces=replaces, corrects=corrects, warn=warn,
                 again=again, other_year=other_year)


def _check_issuable(records):
    problems = []
    for record in records:
        if record.template.is_form:
            problems.append(Problem("biểu mẫu không ban hành riêng được; đính kèm nó vào một văn bản (attachments)",
                                    record.source, record.line, "type"))
    if not records:
        problems.append(Problem("không có bản ghi nào để ban hành"))
    VanthuError.collect(problems)


def _default_renderer():
    from ..generator.render import Renderer  # the generator is only needed when issuing
    return Renderer()


def _convert(to_pdf, records, docx):
    if to_pdf is None:
        return [None] * len(docx)
    pdfs = list(to_pdf(records, docx))
    if len(pdfs) != len(docx):
        raise RuntimeError(f"bộ chuyển PDF trả {len(pdfs)} tệp cho {len(docx)} văn bản")
    return pdfs


def _link_targets(conn, replaces, corrects):
    targets = []
    for kind, text in (("replaces", replaces), ("corrects", corrects)):
        if text:
            targets.append((kind, catalog.find_one(conn, text, direction=OUTGOING)))
    return targets


def series_of(record, year, settings):
    """The series a record takes its number from (sổ)."""
    secret = record.get("confidentiality") in SECRET_LEVELS
    own = record.template.name if record.template.name in settings.separate_series else None
    return numbering.Series.outgoing(year, record.issuer.get("code", ""), secret, own)


def _take_number(archive, record, today, token, again=False, warn=None):
    """Allocate the number and insert the row; returns (entry, record with number and date)."""
    day = record.date or today
    series = series_of(record, day.year, archive.settings)
    record = mistakes.same_spelling(archive.conn, record, series, warn)
    try:
        number = numbering.take(archive.conn, series, record.get("number"))
        archive.settle_after_wait()
    except VanthuError as error:
        raise VanthuError(*[Problem(p.message, record.source, record.line, "number") for p in error.problems]) from None
    content = mistakes.content_hash(record)
    if not again:
        mistakes.refuse_reissue(archive.conn, record, content, token)
    issued = record.issued(number, day)
    entry = _entry(issued, series, content)
    catalog.insert(archive.conn, entry, token)
    return entry, issued


def _entry(record, series, content_hash=""):
    signer = record.get("signer") or {}
    document = ArchivedDocument(
        id=0, direction=OUTGOING, number=record.number, date=record.date, type_name=record.template.title,
        issuer_name=record.issuer.get("name", ""), issuer_code=record.issuer.get("code", ""),
        subject=record.get("subject", ""), body=record.get("body", ""), signer=signer.get("name", ""),
        signer_title=signer.get("title", ""), recipients=recipients(record),
        confidentiality=record.get("confidentiality"), urgency=record.get("urgency"))
    return catalog.Entry(document, series, record.template.name, record.title, record.issuer.get("parent", ""),
                         copy_holders(record), record.get("copies"), content_hash=content_hash)


def cc_lines(record):
    """Every Nơi nhận line, groups (``{Bản điện tử: [...]}``) flattened."""
    for item in record.get("cc") or []:
        if isinstance(item, str):
            yield item
        else:
            _label, items = item
            yield from items


def recipients(record):
    """Nơi nhận: the Kính gửi list, else the Nơi nhận lines other than "Như ..." and "Lưu"."""
    if record.get("to"):
        return list(record.get("to"))
    return [c for c in cc_lines(record) if not _AS_ABOVE.match(c) and not _KEEP_COPY.match(c)]


def copy_holders(record):
    """Đơn vị, người nhận bản lưu: ``VT, VP`` from the ``Lưu: VT, VP`` line."""
    return "; ".join(m[1] for c in cc_lines(record) if (m := _KEEP_COPY.match(c)))


def folder_of(document, series):
    """``files/2020/di/4482-SYT-VP``: year, series, number and symbol, readable by a clerk."""
    return f"{series.folder}/{safe_name(str(document.number))}"


def _store(archive, batch, entry, files, links):
    document, (docx, pdf) = entry.document, files
    pdf, separate = (pdf.pdf, pdf.separate) if isinstance(pdf, PdfFiles) else (pdf, ())
    folder, stem = folder_of(document, entry.series), safe_name(str(document.number))
    stored = [batch.add("docx", f"{folder}/{stem}.docx", docx)]
    if pdf is not None:
        stored.append(batch.add("pdf", f"{folder}/{stem}.pdf", pdf))
    stored += [batch.add(role, f"{folder}/{stem}-{suffix}", data) for role, suffix, data in separate]
    for f in stored:
        catalog.insert_file(archive.conn, document.id, f)
    for kind, target in links:
        catalog.insert_link(archive.conn, document.id, kind, target.document.id)
    entry.metadata = metadata.outgoing(document, archive.settings.organ_id, page_count(pdf), entry.copies)
    catalog.set_metadata(archive.conn, entry)
    archive.log("issue", event_detail(entry, stored, links), files_checksum(stored), document.id)
    return Issued(document.id, document.number, document.date, entry.series.key, tuple(stored))


def page_count(pdf):
    if pdf is None:
        return None
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(pdf)).pages)


def files_checksum(stored):
    """One checksum for a document's files: SHA-256 over ``path sha256`` lines."""
    lines = "".join(f"{f.path} {f.sha256}\n" for f in sorted(stored, key=lambda f: f.path))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def event_detail(entry, stored, links=()):
    d = entry.document
    return {"number": str(d.number), "year": d.date.year, "series": entry.series.key,
            "files": {f.path: f.sha256 for f in stored},
            "links": {kind: str(t.document.number) for kind, t in links}}


def after_commit(archive, documents, warn=None, index=True):
    """What follows a commit: the log head saved, the index caught up. Never raises: the numbers are issued.

    A head left behind is allowed (it may lag, never lead); an index left
    behind catches up at the next search or issue.
    """
    try:
        archive.remember_log_head()
    except Exception as error:  # disk full, a read-only file: the clerk hears it, the number stands
        _warn_to(warn)(f"đã ban hành nhưng chưa ghi được tệp log-head.json ({error}); lần ghi sau sẽ ghi lại")
    checkpoint("head-saved")
    if index:
        notify_search(archive.home, documents, warn)


def _warn_to(warn):
    return warn or _no_warning_sink


def notify_search(home, documents, warn=None):
    """Hand new documents to the search index, once they are committed.

    The index (:mod:`vanthu.search.index`) is derived data and the documents
    are issued whatever happens here: a failure marks the index stale (the next
    search rebuilds it) and reaches the clerk as a warning, not as an error that
    would make them issue the same record twice.
    """
    if not documents:
        return
    from .. import search
    from .feed import Feed
    try:
        problems = search.index_documents(home.root, documents, Feed(home.root))
    except Exception as error:  # reported to the clerk: the index catches up with the log later
        numbers = ", ".join(str(d.number) for d in documents)
        problems = [f"đã lưu {numbers} vào sổ nhưng chưa cập nhật được chỉ mục tìm kiếm ({error}); "
                    "lần tìm kiếm hoặc ban hành sau sẽ tự cập nhật chỉ mục"]
    for warning in problems or ():
        _warn_to(warn)(warning)


def _no_warning_sink(warning):
    warnings.warn(warning, RuntimeWarning, stacklevel=4)  # a library caller without ``warn`` still hears it
