"""PDF for signature (PDF để ký): DOCX documents to one PDF ready to sign.

:func:`build_pdf` converts DOCX documents with LibreOffice (a batch in one
process per core, see :mod:`.soffice`), merges them with pypdf into one file
with one bookmark per document, writes the metadata (optionally PDF/A-2b) and
puts an empty signature field over each signer's place (:mod:`.signing`).
A document LibreOffice cannot convert is reported, the others still make
the PDF.
"""
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from .. import environment
from ..errors import Problem, VanthuError
from ..files import ScratchFolder
from . import signing, soffice
from .pdfmeta import DocumentInfo, apply as apply_metadata

MIN_FILES_PER_WORKER = 3  # below this, a second LibreOffice start costs more than it saves

__all__ = ["DocumentInfo", "PdfPart", "PdfResult", "build_pdf", "docx_to_pdf"]


@dataclass(frozen=True)
class PdfPart:
    """One document to put in the PDF (một văn bản): its DOCX, its info, where it came from."""

    docx: bytes
    info: DocumentInfo
    source: str = ""  # ``file:line`` of its record, for messages


@dataclass
class PdfResult:
    """The merged PDF and what went into it (kết quả): titles done, problems of the others."""

    pdf: bytes = b""
    done: list = field(default_factory=list)
    pdfs: list = field(default_factory=list)  # single: one PDF per part (None where it failed)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def worker_count(file_count, cores=None):
    """LibreOffice processes for a batch: one per core, none idle for lack of files.

    ``VANTHU_PDF_WORKERS`` caps it (a shared server, a benchmark).
    """
    cores = cores or environment.current().workers or os.cpu_count() or 1
    return max(1, min(cores, file_count // MIN_FILES_PER_WORKER))


def convert_all(docx_list, *, pdfa=False, workers=None, timeout=None, progress=None, workdir=None, office=None):
    """PDF bytes for every DOCX (None where LibreOffice made nothing).

    ``office``: a :class:`soffice.Office` started earlier; without it, one is started now.
    """
    if not docx_list:
        return []
    if office is None:
        with soffice.Office(workdir=workdir, warm=False) as office:
            return convert_all(docx_list, pdfa=pdfa, workers=workers, timeout=timeout, progress=progress,
                               workdir=workdir, office=office)
    workers = workers or worker_count(len(docx_list))
    with ScratchFolder(soffice.FILES_PREFIX, soffice.scratch_root(workdir)) as scratch:
        inputs = []
        for index, data in enumerate(docx_list):
            inputs.append(Path(scratch, f"{index:05d}.docx"))
            inputs[-1].write_bytes(data)
        tick = (lambda done: progress(done, len(docx_list))) if progress else None
        outputs = office.convert(inputs, Path(scratch, "pdf"), options=soffice.ExportOptions(pdfa),
                                 workers=workers, timeout=timeout, progress=tick)
        return [p.read_bytes() if p else None for p in outputs]


def assemble(documents, *, pdfa=False):
    """One PDF of ``(pdf bytes, DocumentInfo)`` pairs: bookmarks, signature fields, metadata."""
    writer = PdfWriter()
    names = set()
    for data, info in documents:
        reader = PdfReader(io.BytesIO(data))
        _add_document(writer, reader, info, names)
        if pdfa and "/OutputIntents" not in writer.root_object:
            _copy_output_intents(reader, writer)
    writer.page_mode = "/UseOutlines"
    apply_metadata(writer, DocumentInfo.combine(info for _, info in documents), pdfa)
    writer.generate_file_identifiers()  # PDF/A and signing tools expect the trailer's /ID
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_document(writer, reader, info, names):
    """Append one document: its pages, its bookmark, its signature field."""
    first = len(writer.pages)
    writer.append(reader, import_outline=False)
    writer.add_outline_item(title=info.bookmark, page_number=first)
    pages = writer.pages[first:]
    index, box = signing.signer_place(pages, info.signer, info.signer_title)
    name = _unique(info.field or signing.field_name(info.subject), names)
    signing.add_signature_field(writer, pages[index], box, name)


def _unique(name, taken):
    """``name``, or ``name-2``, ``name-3``... if a field of the file already has it."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def _copy_output_intents(reader, writer):
    """PDF/A needs the output intent (the sRGB profile) LibreOffice put in the catalog."""
    intents = reader.trailer["/Root"].get("/OutputIntents")
    if intents is not None:
        writer.root_object[NameObject("/OutputIntents")] = intents.clone(writer)


def build_pdf(parts, *, pdfa=False, workers=None, timeout=None, progress=None, workdir=None, office=None,
              single=False):
    """Convert and merge ``parts`` (PdfPart) into one PDF (``single``: one PDF each); see :class:`PdfResult`.

    ``progress(done, total)`` is called as LibreOffice finishes documents.
    Raises VanthuError only when nothing at all could be made.
    """
    pdfs = convert_all([p.docx for p in parts], pdfa=pdfa, workers=workers, timeout=timeout,
                       progress=progress, workdir=workdir, office=office)
    result = PdfResult()
    good = []
    for part, data in zip(parts, pdfs):
        if data is None:
            result.problems.append(_problem(part, "LibreOffice không chuyển được văn bản này sang PDF"))
        else:
            good.append((data, part.info))
            result.done.append(part.info.title)
    if single:
        result.pdfs = [assemble([(data, part.info)], pdfa=pdfa) if data else None for part, data in zip(parts, pdfs)]
    elif good:
        result.pdf = assemble(good, pdfa=pdfa)
    if not good and result.problems:
        raise VanthuError(*result.problems)
    return result


def _problem(part, message):
    file, _, line = part.source.rpartition(":")
    if file and line.isdigit():
        return Problem(message, file, int(line))
    return Problem(message, part.source)


def docx_to_pdf(docx, info=None, *, pdfa=False, timeout=None):
    """One DOCX document (bytes) to PDF bytes, with its signature field and metadata."""
    result = build_pdf([PdfPart(docx, info or DocumentInfo(title=""))], pdfa=pdfa, timeout=timeout)
    return result.pdf
