"""What a template sees (ngữ cảnh): a checked record turned into display text.

Templates only place text; every rule of the decree (capitals, the number's
zero, the date's zeros, list punctuation, ``V/v``) is applied here, once.
"""
from markupsafe import Markup

from ..templates import layout as L
from . import body, ooxml, text

_LEFT_CELL = L.HEADER_LEFT - 2 * L.CELL_MARGIN


def _upper(value):
    return (value or "").upper()


def _header(record):
    issuer = record.issuer
    name = _upper(issuer.get("name"))
    return {
        "parent": _upper(issuer.get("parent")),
        "issuer": name,
        "issuer_rule": ooxml.rule(name, 13, True, _LEFT_CELL, L.ISSUER_RULE_SHARE),
        "number_line": record.number.line,
        "place_date": text.place_and_date(record.get("place", ""), record.date),
        "marks": _marks(record),
    }


def _marks(record):
    """Ô 10a/10b: confidentiality and urgency marks, boxed, stacked."""
    marks = [record.get("confidentiality"), record.get("urgency")]
    return Markup("".join(ooxml.boxed(_upper(m), _LEFT_CELL) for m in marks if m))


def _recipients(record):
    to = record.get("to") or []
    return {"to_inline": text.addressed_inline(to) if to else "", "to_list": text.addressed_list(to)}


def _signature(record):
    signer = record.get("signer") or {}
    return {
        "authority": signer.get("authority") or [],
        "signer_title": _upper(signer.get("title")),
        "signer_name": signer.get("name", ""),
        "cc": text.distribution(record.get("cc") or []),
    }


def document_context(record):
    """Context of an administrative document (công văn, quyết định, ...)."""
    context = {**_header(record), **_recipients(record), **_signature(record)}
    template = record.template
    context["subject_line"] = text.cong_van_subject(record.get("subject", "")) if template.type_code is None else ""
    context["heading"] = template.heading or _upper(template.title)
    context["subject"] = record.get("subject", "")
    context["body"] = body.to_xml(body.parse(record.get("body", "")))
    return context


def form_context(record):
    """Context of a form (biểu mẫu): each field's value or its dotted fill line."""
    fields = {name: _form_value(record.get(name), f) for name, f in record.template.fields.items()}
    return {"f": fields, "place_date": text.form_date(record.get("place"), record.get("date"))}


def _form_value(value, declared):
    if declared.type == "date":
        return value
    return text.fill(value, declared.fill) if declared.fill else (value or "")


def context_of(record):
    return form_context(record) if record.template.is_form else document_context(record)
