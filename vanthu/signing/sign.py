"""Signing an electronic document (ký số văn bản điện tử), Nghị định 30 Điều 13.7, 14–15, 17.

1. :func:`prepare`: the draft's PDF gets its number, date and signature fields (:mod:`.placement`).
2. :func:`leader_signs`: the leader's certification signature (PAdES, B-B; B-T with a
   timestamp server), admitting form filling only; the signature image is shown.
3. :func:`fill_fields`: at issue, the number and date as form filling, in the incremental
   update that 4. :func:`organisation_signs` closes with the organisation's signature, the
   seal and its information line.
5. :func:`sign_attachment`: an attachment in its own file, the information at its top right.

Each step takes and returns the PDF's bytes; earlier revisions stay byte for byte.
"""
import datetime as _dt
import io
from dataclasses import dataclass

from ..errors import VanthuError
from ..generator.signing import Box, field_widget
from ..vndate import long_date
from . import placement, stamps
from .certs import VIETNAM
from .placement import LEADER_FIELD, ORG_FIELD

DEFAULT_REASON = "Ký ban hành văn bản"


def now_vn():
    return _dt.datetime.now(VIETNAM).replace(microsecond=0)


def iso_time(moment):
    """``2020-08-06T10:15:00+07:00`` (ISO 8601, Vietnam time zone: II.8)."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


# --- 1. prepare ----------------------------------------------------------------------------

def prepare(pdf, image_size, seal_size):
    """The draft PDF (bytes, from the generator) with every field the later steps need."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    field, page_index = _generator_field(writer)
    room = _box(field["/Rect"])
    places = placement.locate(writer.pages[page_index], room, image_size, seal_size, page_index)
    page = writer.pages[page_index]
    _reshape(field, LEADER_FIELD, places.leader)
    _add_field(writer, page, ORG_FIELD, "/Sig", places.org)
    for name, box in places.text_boxes.items():
        _add_field(writer, page, name, "/Tx", box)
    _default_appearance(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _generator_field(writer):
    """The empty signature field the generator put over the signer's place (the first one)."""
    for index, page in enumerate(writer.pages):
        for annot in page.get("/Annots") or ():
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" and "/V" not in annot:
                return annot, index
    raise VanthuError("bản PDF của dự thảo không có ô chữ ký số giữa chức vụ và họ tên người ký")


def _box(rect):
    left, bottom, right, top = (float(v) for v in rect)
    return Box(left, bottom, right, top)


def _reshape(field, name, box):
    from pypdf.generic import FloatObject, NameObject, TextStringObject, ArrayObject
    field[NameObject("/T")] = TextStringObject(name)
    field[NameObject("/Rect")] = box.as_array()
    appearance = field["/AP"]["/N"].get_object()
    appearance[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(box.right - box.left), FloatObject(box.top - box.bottom)])


def _add_field(writer, page, name, kind, box):
    from pypdf.generic import NameObject, NumberObject, TextStringObject
    widget = field_widget(writer, page, box, name, kind)
    if kind == "/Tx":
        widget[NameObject("/Ff")] = NumberObject(1)  # read-only: only the clerk's system fills it
        widget[NameObject("/DA")] = TextStringObject("/Helv 0 Tf 0 g")
    reference = writer._add_object(widget)
    page[NameObject("/Annots")].get_object().append(reference)
    writer.root_object["/AcroForm"].get_object()["/Fields"].append(reference)


def _default_appearance(writer):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    form = writer.root_object["/AcroForm"].get_object()
    form[NameObject("/DA")] = TextStringObject("/Helv 0 Tf 0 g")
    form[NameObject("/DR")] = DictionaryObject({NameObject("/Font"): DictionaryObject({
        NameObject("/Helv"): writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica")}))})})


# --- 2. the leader ---------------------------------------------------------------------------

def _sign(pdf, signer, meta, style, text_params=None, field_spec=None, tsa_url=None, before=None):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    timestamper = _timestamper(tsa_url)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if before is not None:
        before(writer)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=field_spec,
                                   timestamper=timestamper)
    out = pdf_signer.sign_pdf(writer, existing_fields_only=field_spec is None, appearance_text_params=text_params)
    return out.getvalue()


def _timestamper(url):
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper
    return HTTPTimeStamper(url)


def _meta(field, name, reason, certify=False):
    from pyhanko.sign import fields, signers
    return signers.PdfSignatureMetadata(
        field_name=field, name=name, reason=reason, location="Việt Nam", md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS)


def leader_signs(pdf, signer, image, *, tsa_url=None, reason=DEFAULT_REASON):
    """The leader's certification signature, the signature image between title and name."""
    from .certs import common_name
    name = common_name(signer.signing_cert.subject)
    try:
        return _sign(pdf, signer, _meta(LEADER_FIELD, name, reason, certify=True), stamps.image_only(image),
                     tsa_url=tsa_url)
    except VanthuError:
        raise
    except Exception as error:
        raise VanthuError(f"không ký được văn bản: {type(error).__name__} {error}") from None


# --- 3. number and date ----------------------------------------------------------------------

@dataclass(frozen=True)
class Filling:
    """What the clerk's system writes into the blanks: the number and the three parts of the date."""

    number: str
    day: str
    month: str
    year: str

    @classmethod
    def of(cls, number, date):
        """``4482``, ``06``, ``8``, ``2020``: as the decree prints them (II.4.b)."""
        words = long_date(date).split()  # ngày 06 tháng 8 năm 2020
        return cls(number.printed_number, words[1], words[3], words[5])


def fill_fields(writer, filling):
    """The number and date written into the blank fields of ``writer`` (form filling)."""
    from pyhanko.pdf_utils.form_tools import populate_static_text_field
    number_style = stamps.text_style(13, align="right", baseline=placement.BASELINE * 13)
    date_style = stamps.text_style(14, "italic", align="center", baseline=placement.BASELINE * 14)
    year_style = stamps.text_style(14, "italic", align="left", baseline=placement.BASELINE * 14)
    values = ((placement.NUMBER_FIELD, number_style, filling.number), (placement.DAY_FIELD, date_style, filling.day),
              (placement.MONTH_FIELD, date_style, filling.month), (placement.YEAR_FIELD, year_style, filling.year))
    try:
        for name, style, text in values:
            populate_static_text_field(writer, name, style, text)
    except Exception as error:
        raise VanthuError(f"không điền được số và ngày vào văn bản đã ký: {error}") from None


def fill_number_and_date(pdf, filling):
    """The number and date alone, in an incremental update (the leader's signature admits it)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fill_fields(writer, filling)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- 4. the organisation ---------------------------------------------------------------------

def organisation_signs(pdf, signer, seal, *, filling=None, when=None, tsa_url=None):
    """The organisation's signature over the leader's: the seal, and ``organisation / ISO time``.

    With ``filling``, the number and date go into the same incremental update,
    before the organisation's signature and covered by it: one revision, and
    the leader's signature sees form filling and a signature, nothing else.
    """
    from .certs import common_name
    org = common_name(signer.signing_cert.subject)
    params = {"org": org, "when": iso_time(when or now_vn())}
    try:
        return _sign(pdf, signer, _meta(ORG_FIELD, org, "Ký số của cơ quan, tổ chức"), stamps.seal_with_line(seal),
                     params, tsa_url=tsa_url, before=(lambda w: fill_fields(w, filling)) if filling else None)
    except VanthuError:
        raise
    except Exception as error:
        raise VanthuError(f"không ký số của cơ quan được: {error}") from None


# --- 5. attachments in their own files ---------------------------------------------------------

ATTACHMENT_FIELD = "chu-ky-co-quan-kem-theo"


def attachment_box(page_width, page_height):
    """Top right of the first page (II.8.b), inside the margins: one line of 10 pt above the text."""
    right, top = page_width - 15 / 25.4 * 72, page_height - 8 / 25.4 * 72
    left = 30 / 25.4 * 72
    return Box(left, top - 14, right, top)


def sign_attachment(pdf, signer, number, *, when=None, tsa_url=None):
    """Sign an attachment that is a file of its own: no image, its information top right, TNR 10."""
    from pypdf import PdfReader
    from pyhanko.sign import fields
    from .certs import common_name
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    box = attachment_box(float(page.mediabox.width), float(page.mediabox.height))
    spec = fields.SigFieldSpec(ATTACHMENT_FIELD, on_page=0, box=tuple(int(round(v)) for v in
                                                                      (box.left, box.bottom, box.right, box.top)))
    org = common_name(signer.signing_cert.subject)
    params = {"org": org, "when": iso_time(when or now_vn()), "number": str(number)}
    try:
        return _sign(pdf, signer, _meta(ATTACHMENT_FIELD, org, "Ký số văn bản kèm theo"), stamps.info_line(),
                     params, field_spec=spec, tsa_url=tsa_url)
    except VanthuError:
        raise
    except Exception as error:
        raise VanthuError(f"không ký được văn bản kèm theo: {error}") from None


# --- 6. copies (bản sao điện tử, mẫu 3.2) ---------------------------------------------------------

COPY_FIELD = "chu-ky-co-quan-ban-sao"


def copy_line_text(form, organisation, moment):
    """Ô 14 of a copy: ``SAO Y; SỞ Y TẾ; 01/12/2026; 10:20:30 +07:00`` (form, body, date, time in Vietnam, ISO 8601 zone)."""
    moment = moment.astimezone(VIETNAM).replace(microsecond=0)
    return f"{form}; {organisation}; {moment:%d/%m/%Y}; {moment:%H:%M:%S} +07:00"


def sign_copy(pdf, signer, form, *, when=None, tsa_url=None):
    """The copying body's signature on an electronic copy (Phụ lục I Phần II.I.3): no image, the information
    line at ô 14 (top right of page 1, TNR 10): the form, the body (its certificate's name), the time."""
    from pypdf import PdfReader
    from pyhanko.sign import fields
    from .certs import common_name
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    box = attachment_box(float(page.mediabox.width), float(page.mediabox.height))
    spec = fields.SigFieldSpec(COPY_FIELD, on_page=0, box=tuple(int(round(v)) for v in
                                                                (box.left, box.bottom, box.right, box.top)))
    org = common_name(signer.signing_cert.subject)
    params = {"line": copy_line_text(form, org, when or now_vn())}
    try:
        return _sign(pdf, signer, _meta(COPY_FIELD, org, f"{form.capitalize()} văn bản"), stamps.line_only(),
                     params, field_spec=spec, tsa_url=tsa_url)
    except VanthuError:
        raise
    except Exception as error:
        raise VanthuError(f"không ký số được bản sao: {error}") from None
