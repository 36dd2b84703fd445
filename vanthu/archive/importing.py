"""Importing (vào sổ văn bản đến): a received DOCX, PDF or scan gets its arrival number.

Nghị định 30 Art. 22: one arrival series (số đến) per year, in order of
receipt. The text is extracted for search (scanned pages and photos through
:mod:`.ocr`); the file is stored unchanged with its checksum, the OCR text
and searchable copy beside it. Phụ lục VI: the same number + symbol +
issuing body is refused.
"""
import datetime as _dt
import io
import os
import warnings
from pathlib import Path

from ..docnumber import ArrivalNumber, DocumentNumber, normalize_key
from ..errors import VanthuError
from ..generator import validate
from ..vndate import parse_range, short_date
from . import catalog, events, metadata, numbering, ocr, receipt
from .document import ArchivedDocument, INCOMING, SECRET_LEVELS
from .extract import MAX_CHARS, extract, pdf_risks
from ..faults import checkpoint
from .home import opened
from .issuing import Issued, after_commit, event_detail, files_checksum
from .store import safe_name

KINDS = {".docx": "docx", ".pdf": "pdf", **ocr.IMAGE_KINDS}
MAX_BYTES = 200 * 1024 * 1024  # bigger than any scanned dispatch; refuse before reading it all


def import_document(path, number, date, issuer, home=None, *, type_name="", subject="", received=None, warn=None,
                    progress=None, use_ocr=True, via="", confidentiality=None):
    """Register a received document; returns its :class:`Issued` (``arrival_number``: its số đến).

    ``received``: the day, or day and time, it arrived (default: now);
    ``via``: how (:data:`receipt.WAYS`). ``progress(page, pages)`` follows OCR
    of a scan; ``use_ocr=False`` stores a scan without reading it (with a
    warning: its content cannot be found). A secret one (``confidentiality``:
    mật, tối mật, tuyệt mật) takes a number in the secret arrival book, and its
    text is never read: neither the database nor the search index holds it.
    """
    path = Path(path)
    fields = checked_fields(number=number, issuer=issuer, type=type_name, subject=subject,
                            confidentiality=confidentiality)
    data, kind = _read(path)
    arrival_day, arrival_time = receipt.parse_received(received)
    way = receipt.check_way(via)
    document = ArchivedDocument(
        id=0, direction=INCOMING, number=fields["number"], date=one_day(date), type_name=fields["type"],
        issuer_name=fields["issuer"], subject=fields["subject"], body="", confidentiality=fields["confidentiality"],
        arrival_date=arrival_day)
    _check_dates(document, _dt.date.today())
    risks = _risks(data, kind, path)
    if document.is_secret:  # its text is never read
        reading = ocr.Reading("")
    else:
        reading = read_text(data, kind, path, progress=progress, use_ocr=use_ocr, warn=warn)  # OCR: after the checks
    document.body = _capped(reading, path, warn)
    for warning in _risk_warnings(risks, path):
        (warn or _library_warning)(warning)
    with opened(home) as archive:
        with archive.writing() as batch:
            issued = _file(archive, batch, document, data, kind, path.name, reading, risks)
            receipt.record_receipt(archive.conn, document.id, arrival_day, arrival_time, way, events.actor())
            checkpoint("staged")
        after_commit(archive, [document], warn)
    checkpoint("done")
    return issued


def checked_fields(number, issuer, type, subject, confidentiality):
    """The typed options, checked as strictly as a record's fields (control and invisible characters, lengths)."""
    clean, problems = {}, []
    for option, value, check in (("number", number, _number), ("issuer", issuer, validate.text),
                                 ("type", type, validate.text), ("subject", subject, validate.text),
                                 ("confidentiality", confidentiality, _confidentiality)):
        try:
            clean[option] = check(value if value is not None else "")
        except validate.Invalid as error:
            problems.append(f"--{option}: {error}")
    if not problems and not clean["issuer"]:
        problems.append("--issuer: thiếu tên cơ quan ban hành")
    VanthuError.collect(problems)
    return clean


def _number(text):
    try:
        number = DocumentNumber.parse(validate.text(text, 100))
    except VanthuError as error:
        raise validate.Invalid(error.problems[0].message) from None
    validate.number(number.number)
    return number


def _confidentiality(text):
    return validate.choice(text, SECRET_LEVELS) if str(text).strip() else None


def one_day(text):
    """A document date typed as ``2020-08-05`` or ``05/8/2020`` (one day, not a month)."""
    if isinstance(text, _dt.date):
        return text
    first, last = parse_range(str(text))
    if first != last:
        raise VanthuError(f"ngày văn bản phải là một ngày cụ thể, không phải '{text}'")
    return first


def _check_dates(document, today):
    """A document arrives after it is dated, and neither day is in the future."""
    date, arrival = document.date, document.arrival_date
    if date > today:
        raise VanthuError(f"--date: ngày văn bản {short_date(date)} chưa tới (hôm nay {short_date(today)})")
    if arrival > today:
        raise VanthuError(f"--received: ngày đến {short_date(arrival)} chưa tới (hôm nay {short_date(today)})")
    if arrival < date:
        raise VanthuError(f"--received: ngày đến {short_date(arrival)} trước ngày văn bản {short_date(date)}; "
                          "kiểm tra lại hai ngày")


def _read(path):
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise VanthuError(f"{path}: chỉ nhận tệp .docx, .pdf hoặc ảnh quét .png, .jpg, .tif")
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise VanthuError(f"{path}: tệp lớn hơn {MAX_BYTES // 2**20} MB")
        return path.read_bytes(), kind
    except FileNotFoundError:
        raise VanthuError(f"{path}: không tìm thấy tệp") from None
    except IsADirectoryError:
        raise VanthuError(f"{path}: đây là thư mục, không phải tệp") from None


def read_text(data, kind, path="tệp", *, progress=None, use_ocr=True, warn=None):
    """The document's text as an :class:`ocr.Reading`: DOCX text, PDF text layer, OCR of scanned pages."""
    if kind == "docx":
        extracted = extract_text(data, kind, path)
        reading = ocr.Reading(extracted.text)
        reading.cut = extracted.cut
        return reading
    try:
        return ocr.read(data, kind, str(path), progress=progress, enabled=use_ocr, warn=warn)
    except VanthuError:
        raise
    except Exception as error:  # a damaged or disguised file: the clerk must know, not us
        raise VanthuError(f"{path}: không đọc được nội dung tệp {kind.upper()} ({error.__class__.__name__}: {error})") from error


def extract_text(data, kind, path="tệp"):
    """The document's :class:`~.extract.Extracted` text (nội dung), for search, read within bounds."""
    try:
        return extract(data, kind)
    except Exception as error:  # a damaged or disguised file: the clerk must know, not us
        raise VanthuError(f"{path}: không đọc được nội dung tệp {kind.upper()} ({error.__class__.__name__}: {error})") from error


def _capped(reading, path, warn):
    """At most :data:`MAX_CHARS` of text for search (a PDF's or a scan's text layer too); the clerk is told."""
    cut = getattr(reading, "cut", "")
    text = reading.text
    if len(text) > MAX_CHARS:
        text, cut = text[:MAX_CHARS], f"nội dung dài hơn {MAX_CHARS:,} ký tự".replace(",", ".")
    if cut:
        (warn or _library_warning)(f"{path}: chỉ lấy {MAX_CHARS:,} ký tự đầu của nội dung để tìm kiếm ({cut}); "
                                   "tệp gốc vẫn được lưu nguyên vẹn".replace(",", "."))
    return text


def _risks(data, kind, path):
    """What a received PDF carries besides its pages (JavaScript, embedded files); none for other kinds."""
    if kind != "pdf":
        return ()
    try:
        return pdf_risks(_pdf(data), data)
    except Exception as error:  # a damaged or disguised file: the clerk must know, not us
        raise VanthuError(f"{path}: không đọc được tệp PDF ({error.__class__.__name__}: {error})") from error


def _risk_warnings(risks, path):
    if risks:
        yield (f"{path}: tệp có {', '.join(risks)}; đừng mở bằng trình đọc cho chạy JavaScript hay mở tệp "
               "nhúng (đã ghi vào nhật ký)")


def _library_warning(text):
    warnings.warn(text, RuntimeWarning, stacklevel=3)  # a library caller without ``warn`` still hears it


def _pdf(data):
    from pypdf import PdfReader
    return PdfReader(io.BytesIO(data))


def _refuse_duplicate(conn, document):
    row = conn.execute("SELECT number, symbol, issuer_name, arrival_number, arrival_date FROM documents WHERE direction = 'in'"
                       " AND substr(date, 1, 4) = ? AND number_key = ? AND issuer_key = ?",
                       (document.date.isoformat()[:4], document.number.key, normalize_key(document.issuer_name))).fetchone()
    if row:
        raise VanthuError(f"văn bản {DocumentNumber(row['number'], row['symbol'])} của {row['issuer_name']} đã vào sổ đến: số đến "
                          f"{ArrivalNumber(row['arrival_number'])} ngày {short_date(_dt.date.fromisoformat(row['arrival_date']))}")


def _file(archive, batch, document, data, kind, original_name, reading, risks=()):
    series = numbering.Series.arrival(document.arrival_date.year, document.is_secret)
    document.arrival_number = ArrivalNumber(numbering.take(archive.conn, series))
    # only now, holding the arrival book: on a server another clerk may have filed it while we waited for the book
    _refuse_duplicate(archive.conn, document)
    archive.settle_after_wait()
    entry = catalog.Entry(document, series, "", f"{document.type_name} {document.subject}".strip())
    entry.metadata = metadata.incoming(document, archive.settings.organ_id, reading.pages or None)
    catalog.insert(archive.conn, entry, batch.token)
    checkpoint("numbered")
    folder = f"{series.folder}/{document.arrival_number.file_part}-{safe_name(str(document.number))}"
    stem = f"{folder}/{safe_name(Path(original_name).stem)}"
    stored = [batch.add(kind, f"{stem}.{kind}", data)]  # the original, byte for byte
    stored += [batch.add(role, f"{stem}.{suffix}", extra) for role, suffix, extra in reading.extras]
    for one in stored:
        catalog.insert_file(archive.conn, document.id, one)
    detail = {**event_detail(entry, stored), **({"risks": list(risks)} if risks else {})}
    archive.log("import", detail, files_checksum(stored), document.id)
    return Issued(document.id, document.number, document.date, series.key, tuple(stored), document.arrival_number)
