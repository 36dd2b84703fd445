"""Copying (sao văn bản): a registered copy of an archived document, Nghị định 30 Điều 25–27.

``vanthu copy NUMBER --kind sao-y|sao-luc|trich-sao`` makes a copy of an
archived document and archives it like any document: its own number in the
copying body's series of copies (one series for the three kinds, from 01 each
year, Phụ lục I Phần II.1.c; never a number of the ordinary register), its
files with checksums, an event in the log, a link to the original, and the
search index. Two files: the paper form (mẫu 3.1: the copied pages, then the
copy block under a full-width rule) and the electronic form (mẫu 3.2: the
copied pages with the information line at ô 14, Times New Roman 10). The block
itself is kept as DOCX.

Refused before any number is taken: an unknown number, a withdrawn original,
a sao lục of anything but a bản sao y (Điều 25.2.b), a sao y or trích sao of a
copy, pages for a whole copy, pages out of range, and a secret original
without ``allow_secret`` (Điều 27.2: state secrets are copied only as that law
allows, by someone entitled to).
"""
import contextlib
import datetime as _dt
import io
from dataclasses import dataclass

from ..errors import VanthuError
from ..faults import checkpoint
from ..generator import copies, validate
from ..vndate import short_date
from . import catalog, metadata, numbering
from .document import ArchivedDocument, OUTGOING
from .home import opened
from .issuing import Issued, after_commit, event_detail, files_checksum, folder_of, page_count
from .store import safe_name

ACTION = "copy"   # the log's action for a copy made (nhật ký: sao văn bản)
LINK = "copies"   # the link from a copy to its original
DEFAULT_CC = ("Lưu: VT",)
_VIETNAM = _dt.timezone(_dt.timedelta(hours=7))  # the decree's time zone for the copy's date and ô 14 (certs.VIETNAM)


@dataclass(frozen=True)
class Copier:
    """Who copies (cơ quan sao, người ký bản sao) and where (địa danh)."""

    name: str
    code: str
    parent: str
    place: str
    authority: tuple
    title: str
    signer: str
    cc: tuple


def make_copy(number, kind, home=None, *, pages=None, signer=None, title=None, authority=(), place=None, cc=(),
              year=None, secret=None, allow_secret=False, today=None, now=None, to_pdf=None, warn=None, index=True,
              sign=False, pin=None):
    """Copy the archived document numbered ``number``; returns the copy's :class:`Issued`.

    ``kind``: sao-y, sao-luc or trich-sao; ``pages`` (trích sao only): ``1-2``,
    ``3``, ``1,3-4``. ``signer``, ``title``, ``authority``, ``place`` and ``cc``
    default to the home's ``defaults`` (settings.yaml). ``to_pdf(docx) -> pdf``
    converts the copy block (default: LibreOffice). ``sign``: the copying body's
    key (``vanthu key add --org CODE``, unlocked with ``pin``) signs the
    electronic form, its information line the signature's (no image); else the
    line is printed and the form is left for the body's own signing tool.
    """
    kind, now = copies.kind_of(kind), now or _dt.datetime.now(_VIETNAM)
    today = today or now.astimezone(_VIETNAM).date()  # the block's date and the line's time: one clock, Vietnam's
    with opened(home) as archive:
        original = catalog.find_one(archive.conn, number, year, direction=None, secret=secret)
        refuse(original, kind, allow_secret)
        source = source_pdf(archive.home, original)
        chosen = _pages(kind, pages, source, original)
        copier = copier_of(original, archive.settings.defaults, signer, title, authority, place, cc)
        with _organisation(archive.home.root, copier.code, sign, pin) as organisation, archive.writing() as batch:
            series = numbering.Series.of_copies(today.year, copier.code, original.document.is_secret)
            block = copies.CopyBlock(kind, copier.name, copies.copy_number(numbering.take(archive.conn, series), kind,
                                                                              copier.code),
                                     copier.place, today, copier.authority, copier.title, copier.signer, copier.cc)
            checkpoint("numbered")
            files = _files(block, source, chosen, copier, now, to_pdf, organisation)
            entry = _entry(block, series, original, copier, _body(original, source, chosen, pages))
            catalog.insert(archive.conn, entry, batch.token)
            done = _store(archive, batch, entry, files, original, kind, pages)
            checkpoint("staged")
        after_commit(archive, [entry.document], warn, index)
    return done



@contextlib.contextmanager
def _organisation(root, code, sign, pin):
    """The copying body's signer, opened (a wrong PIN, an expired key: refused before a number is taken); None."""
    if not sign:
        yield None
        return
    from ..signing import keys, signers
    key = keys.find(root, "org", code)
    with signers.opened(key, pin) as signer:
        yield signer, keys.tsa_url(root)


def refuse(original, kind, allow_secret):
    """Every reason not to copy ``original`` as ``kind``, before a number is taken."""
    d, problems = original.document, []
    if original.withdrawal:
        problems.append(f"văn bản {d.number} đã bị thu hồi ({original.withdrawal}); không sao văn bản đã thu hồi")
    made_as = source_kind(original)
    if kind.key == "sao-luc" and made_as != "SY":
        problems.append(f"sao lục được thực hiện từ bản sao y (Điều 25.2.b); {d.number} không phải bản sao y. "
                        f"Sao y trước: vanthu copy {d.number} --kind sao-y, rồi sao lục bản sao y đó")
    if kind.key != "sao-luc" and made_as:
        problems.append(f"{d.number} là một bản sao; {kind.form.lower()} chỉ thực hiện từ bản gốc hoặc bản chính. "
                        "Sao tiếp từ bản sao y thì dùng --kind sao-luc")
    if (d.is_secret or numbering.is_secret_series(original.series)) and not allow_secret:
        problems.append(f"{d.number} là văn bản mật ({d.confidentiality or 'mật'}): việc sao theo pháp luật về bảo vệ "
                        "bí mật nhà nước (Điều 27.2); người có thẩm quyền cho sao thì thêm --secret")
    VanthuError.collect(problems)


def source_kind(entry):
    """``SY``, ``SL``, ``TrS`` when ``entry`` is itself a copy (made here, or received as one), else None."""
    symbol = entry.document.number.symbol
    found = next((k.symbol for k in copies.KINDS.values() if symbol.upper().startswith(k.symbol.upper() + "-")), None)
    return found if found or not numbering.is_copies_series(entry.series) else entry.template or "SY"


def source_pdf(home, entry):
    """The original's archived PDF, re-hashed (a file changed behind the archive's back is never copied)."""
    from .lookup import checked_bytes
    stored = next((f for f in entry.files if f.role == "pdf"), None)
    stored = stored or next((f for f in entry.files if f.path.lower().endswith(".pdf")), None)
    if stored is None:
        have = ", ".join(f.role for f in entry.files) or "không có tệp"
        raise VanthuError(f"văn bản {entry.document.number} không có bản PDF trong kho ({have}); "
                          "bản sao được làm từ bản PDF đã lưu")
    return checked_bytes(home.root, stored)


def _pages(kind, spec, source, original):
    from pypdf import PdfReader
    count = len(PdfReader(io.BytesIO(source)).pages)
    if spec not in (None, "") and kind.key != "trich-sao":
        raise VanthuError(f"--pages chỉ dùng cho trích sao; {kind.form.lower()} sao toàn văn {original.document.number} "
                          f"({count} trang)")
    return copies.chosen_pages(spec, count)


def copier_of(original, defaults, signer, title, authority, place, cc):
    """The copying body (the original's issuer, else ``defaults.issuer``), its signer, place and Nơi nhận."""
    d, issuer, person = original.document, defaults.get("issuer") or {}, defaults.get("signer") or {}
    own = d.direction == OUTGOING
    name, code = (d.issuer_name, d.issuer_code) if own else (issuer.get("name", ""), issuer.get("code", ""))
    values = {"signer": signer or person.get("name", ""), "title": title or person.get("title", ""),
              "place": place or defaults.get("place", "")}
    missing = [f"--{k}" for k, v in values.items() if not str(v).strip()]
    if not name or not code:
        missing.append("cơ quan sao (defaults.issuer: name, code trong settings.yaml)")
    if missing:
        raise VanthuError(f"thiếu {', '.join(missing)} để sao văn bản {d.number}; ghi trên dòng lệnh hoặc trong "
                          "defaults của settings.yaml (place, signer: title, name)")
    clean = {k: _text(k, v) for k, v in values.items()}
    given = authority or person.get("authority") or ()
    lines = (given,) if isinstance(given, str) else tuple(given)
    return Copier(name, code, original.issuer_parent if own else issuer.get("parent", ""), clean["place"],
                  tuple(_text("authority", a).upper() for a in lines), clean["title"], clean["signer"],
                  tuple(_text("cc", c) for c in cc) or DEFAULT_CC)


def _text(option, value):
    try:
        return validate.text(str(value), 200)
    except validate.Invalid as error:
        raise VanthuError(f"--{option}: {error}") from None


def _files(block, source, chosen, copier, now, to_pdf, organisation=None):
    """(block DOCX, paper form PDF, electronic form PDF)."""
    from ..signing import sign
    from ..signing.stamps import printed_line
    docx = copies.block_docx(block)
    block_pdf = (to_pdf or _default_pdf)(docx)
    paper = copies.paper_copy(source, block_pdf, chosen)
    pages = copies.pages_only(source, chosen)
    if organisation:
        signer, tsa_url = organisation
        return docx, paper, sign.sign_copy(pages, signer, block.kind.form, when=now, tsa_url=tsa_url)
    line = sign.copy_line_text(block.kind.form, copier.name, now)
    return docx, paper, printed_line(pages, line, _first_box(pages, sign.attachment_box))


def _first_box(pdf, place):
    from pypdf import PdfReader
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return place(float(page.mediabox.width), float(page.mediabox.height))


def _default_pdf(docx):
    from ..generator import pdf
    (data,) = pdf.convert_all([docx])
    if data is None:
        raise VanthuError("LibreOffice không chuyển được khối thể thức bản sao sang PDF; chưa cấp số bản sao")
    return data


def _body(original, source, chosen, spec):
    """What search finds the copy by: the original's text, or the chosen pages' (never a secret's)."""
    if original.document.is_secret:
        return ""
    if spec in (None, ""):
        return original.document.body
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(source))
    return "\n".join((reader.pages[i].extract_text() or "").strip() for i in chosen)


def _entry(block, series, original, copier, body):
    d = original.document
    document = ArchivedDocument(
        id=0, direction=OUTGOING, number=block.number, date=block.date, type_name=block.kind.type_name,
        issuer_name=copier.name, issuer_code=copier.code, subject=d.subject, body=body, signer=copier.signer,
        signer_title=copier.title, recipients=[c for c in copier.cc if not c.lower().startswith("lưu")],
        confidentiality=d.confidentiality)
    title = f"{block.kind.type_name} {d.type_name.lower()} số {d.number} ngày {short_date(d.date)}" + (
        f": {d.subject}" if d.subject else "")
    holders = "; ".join(c.split(":", 1)[1].strip() for c in copier.cc if c.lower().startswith("lưu") and ":" in c)
    return catalog.Entry(document, series, block.kind.symbol, title, copier.parent, holders)


def _store(archive, batch, entry, files, original, kind, pages):
    document, (docx, paper, electronic) = entry.document, files
    folder, stem = folder_of(document, entry.series), safe_name(str(document.number))
    stored = [batch.add("docx", f"{folder}/{stem}.docx", docx), batch.add("pdf", f"{folder}/{stem}.pdf", paper),
              batch.add("pdf-dien-tu", f"{folder}/{stem}-dien-tu.pdf", electronic)]
    for f in stored:
        catalog.insert_file(archive.conn, document.id, f)
    catalog.insert_link(archive.conn, document.id, LINK, original.document.id)
    entry.metadata = metadata.outgoing(document, archive.settings.organ_id, page_count(paper))
    catalog.set_metadata(archive.conn, entry)
    detail = {**event_detail(entry, stored, [(LINK, original)]), "kind": kind.key, "pages": pages or ""}
    archive.log(ACTION, detail, files_checksum(stored), document.id)
    return Issued(document.id, document.number, document.date, entry.series.key, tuple(stored))
