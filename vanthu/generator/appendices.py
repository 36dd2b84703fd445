"""Appendices (phụ lục): texts annexed to a document, each from a new page.

Phụ lục I §III.1.đ: ``Phụ lục I`` (bold, centred), the title in capitals, the
subject, the italic ``(Kèm theo ...)`` line, a short rule, then the text.
Each appendix is its own section, so its pages are numbered from 1.
"""
from markupsafe import Markup

from ..templates import layout as L
from . import body, ooxml, text


def appendix_xml(record, appendix):
    """The paragraphs of one appendix, ready to be appended as a section."""
    heading = [(appendix.get("label"), "VBTypeTitle"), (appendix["title"].upper(), "VBTypeSubject"),
               (appendix.get("subject"), "VBTypeSubject"),
               (appendix.get("reference") or text.appendix_reference(record), "VBSignNote")]
    parts = [ooxml.paragraph([(line, False, False)], style) for line, style in heading if line]
    last = appendix.get("subject") or appendix["title"]
    parts.append(ooxml.rule(last, 14, True, L.TEXT_WIDTH, L.ISSUER_RULE_SHARE))
    parts.append(body.to_xml(body.parse(appendix["body"])))
    return Markup("".join(parts))


def appendices_xml(record):
    return [appendix_xml(record, a) for a in record.get("appendices") or []]
