"""What a template sees (ngữ cảnh): a checked record turned into display text.

Templates only place text; every rule of the decree (capitals, the number's
zero, the date's zeros, list punctuation, ``V/v``) is applied here, once.
"""
import datetime as _dt
import math

from markupsafe import Markup

from ..templates import layout as L
from ..vndate import short_date
from . import body, formfields, linebreak, ooxml, text
from .measure import text_width

_LEFT_CELL = L.HEADER_LEFT - 2 * L.CELL_MARGIN
_RIGHT_CELL = L.HEADER_RIGHT - 2 * L.CELL_MARGIN


def _upper(value):
    return (value or "").upper()


def _header(record, widen=True):
    issuer = record.issuer
    name = _upper(issuer.get("name"))
    place_date = text.place_and_date(record.get("place", ""), record.date)
    wider, size, lines = issuer_lines(name, place_date) if widen else (0, *linebreak.fitted(
        name, _LEFT_CELL, (13, 12), bold=True))
    return {
        "parent": "\n".join(linebreak.balanced(_upper(issuer.get("parent")), _LEFT_CELL + wider, 13)),
        "issuer": "\n".join(lines),
        "issuer_paragraph": ooxml.sized_paragraph(lines, "VBIssuer", size, 13),
        "issuer_rule": ooxml.rule(max(lines, key=len), size, True, _LEFT_CELL + wider, L.ISSUER_RULE_SHARE),
        "header_widen": wider,
        "number_line": record.number.line,
        "place_date": place_date,
        "place_date_paragraph": place_date_paragraph(place_date),
        "marks": _marks(record),
    }


_NATIONAL_WIDTH = text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True)


def issuer_lines(name, place_date):
    """(twips the left column grows, size, lines) of the issuer (ô 2), in the order the decree allows:
    one line at 13, then 12 pt; then one line in a left column made wider by what the right one can
    spare (it keeps the national name at 12 pt and ô 4 at 14 pt on one line); else balanced lines.
    A line break the clerk wrote is kept as written."""
    size, lines = linebreak.fitted(name, _LEFT_CELL, (13, 12), bold=True)
    if len(lines) == 1 or linebreak.FORCED_BREAK in name:
        return 0, size, lines  # the usual case: nothing more to measure
    spare = _RIGHT_CELL - max(_NATIONAL_WIDTH, text_width(place_date, 14, italic=True)) / linebreak.SAFETY
    for wider_size in (13, 12):
        need = math.ceil(text_width(name, wider_size, True) / linebreak.SAFETY) + 1 - _LEFT_CELL
        if need <= spare:
            return need, wider_size, [name]
    return 0, size, lines


def place_date_paragraph(place_date):
    """Ô 4 on one line: 14 pt, else 13 pt (the decree's range), else into the cell's padding, else broken."""
    size, lines = linebreak.fitted(place_date, _RIGHT_CELL, (14, 13), italic=True)
    if len(lines) > 1 and linebreak.fits(place_date, _RIGHT_CELL + 2 * L.CELL_MARGIN, 13, italic=True):
        return ooxml.sized_paragraph([place_date], "VBPlaceDate", 13, 14, outdent=L.CELL_MARGIN)
    return ooxml.sized_paragraph(lines, "VBPlaceDate", size, 14)


# Stamp widths in mm. Urgency: Phụ lục I §III.2.b (8 mm tall, bright red). Confidentiality: the decree
# leaves the stamps to the state-secrets law; the same three widths per level are used, in red.
STAMP_MM = {"KHẨN": 20, "HỎA TỐC": 30, "HOẢ TỐC": 30, "THƯỢNG KHẨN": 40, "MẬT": 20, "TỐI MẬT": 30, "TUYỆT MẬT": 40}


def _stamp(mark, cell):
    text = _upper(mark)
    width = round(STAMP_MM[text] * L.TWIPS_PER_MM) if text in STAMP_MM else None
    return ooxml.boxed(text, cell, width, ooxml.RED if text in STAMP_MM else None)


def _marks(record):
    """Ô 10a/10b: confidentiality and urgency stamps, in the decree's sizes, red, stacked."""
    marks = [record.get("confidentiality"), record.get("urgency")]
    return Markup("".join(_stamp(m, _LEFT_CELL) for m in marks if m))


def _recipients(record):
    to = record.get("to") or []
    inline = text.addressed_inline(to) if to else ""
    # to_named: the one recipient inside a sentence (model 1.7 "... trân trọng kính mời: Ông A"), no final stop
    return {"to_inline": inline, "to_named": inline[:-1], "to_list": text.addressed_list(to)}


def _signature(record):
    signer = record.get("signer") or {}
    return {
        "authority": signer.get("authority") or [],
        "signer_title": _upper(signer.get("title")),
        "signer_name": signer.get("name", ""),
        "cc": text.distribution(record.get("cc") or []),
    }


def _counterpart(record):
    """Hợp đồng, bản ghi nhớ, bản thỏa thuận: the other party's signer (Bên B)."""
    other = record.get("counterpart") or {}
    authority = other.get("authority") or []
    return {"counterpart_authority": [authority] if isinstance(authority, str) else authority,
            "counterpart_title": _upper(other.get("title")), "counterpart_name": other.get("name", "")}


def _title_block(record):
    """Ô 5: ``V/v ...`` under the number for công văn; else the type's name, the subject, a rule."""
    template, subject = record.template, record.get("subject", "")
    if template.type_code is None:  # công văn: the V/v line under the number, no title block
        lines = linebreak.balanced(text.cong_van_subject(subject), _LEFT_CELL, 12)
        return {"subject_line": "\n".join(lines), "heading": template.heading or _upper(template.title),
                "subject": subject, "subject_rule": ""}
    lines = linebreak.balanced(subject, L.TEXT_WIDTH, 14, bold=True) or [template.title]
    return {
        "subject_line": "",
        "heading": template.heading or _upper(template.title),
        "subject": "\n".join(lines) if subject else "",
        "subject_rule": ooxml.rule(max(lines, key=len), 14, True, L.TEXT_WIDTH, L.ISSUER_RULE_SHARE),
    }


def _decision(record):
    """Quyết định, nghị quyết: the deciding authority, the italic legal bases, ``QUYẾT ĐỊNH:``."""
    return {
        "decision_authority": _upper(record.get("authority")),
        "bases": text.bases(record.get("bases") or []),
        "decides": record.template.decides,
    }


def _extras(record):
    """Ô 11, 12, 13 and the meeting lines of a giấy mời."""
    meeting = record.get("meeting") or {}
    return {
        "circulation": _circulation(record.get("circulation")),
        "drafter_line": text.drafter_line(record.get("drafter"), record.get("copies")),
        "contact": record.get("contact") or [],
        "meeting": text.meeting_lines(meeting) if meeting else [],
    }


def _circulation(mark):
    """Ô 11: in the top margin above ô 1 (58-85 % of the text width), out of the flow: ô 1-4 stay put."""
    if not mark:
        return ""
    text = _upper(mark)
    width = ooxml.text_width(text, 13, True) + 340
    centre = int(L.TEXT_WIDTH * 0.715)
    return Markup(ooxml.framed(text, width, centre - width // 2, L.CIRCULATION_TOP))


def _display(value):
    if isinstance(value, _dt.date):
        return short_date(value)
    return value if isinstance(value, (str, int)) else ""


def document_context(record, widen=True):
    """Context of an administrative document (công văn, quyết định, ...).

    ``v`` holds every declared field as display text, for templates with fields of their own.
    ``widen=False``: the issuer is fitted to the template's own left column (a layout whose grid
    :func:`~vanthu.generator.docx_template.widen_header` cannot change).
    """
    context = {**_header(record, widen), **_recipients(record), **_signature(record), **_counterpart(record),
               **_title_block(record),
               **_decision(record), **_extras(record)}
    context["body"] = body.to_xml(body.parse(record.get("body", "")), keep_last=True)
    context["v"] = {name: _display(record.get(name, "")) for name in record.template.fields}
    _defaults(context)
    return context


def _defaults(context):
    """What a clerk expects left out: a công điện's sender is the issuing body (model 1.6, note 6)."""
    v = context["v"]
    if "sender" in v and not v["sender"]:
        v["sender"] = context["issuer"].replace("\n", " ")


def form_context(record):
    """Context of a form (biểu mẫu): each field's value or its dotted fill line."""
    fields = {name: _form_value(record.get(name), f) for name, f in record.template.fields.items()}
    return {"f": fields, "place_date": text.form_date(record.get("place"), record.get("date"))}


def _form_value(value, declared):
    return formfields.value(value, declared)


def context_of(record, widen=True):
    return form_context(record) if record.template.is_form else document_context(record, widen)
