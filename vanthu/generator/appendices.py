"""Appendices (phụ lục): texts annexed to a document, each from a new page.

Phụ lục I §III.1.đ: ``Phụ lục I`` (bold, centred), the title in capitals, the
subject, the italic ``(Kèm theo ...)`` line, a short rule, then the text.
Each appendix is its own section, so its pages are numbered from 1.
"""
from markupsafe import Markup

from ..templates import layout as L
from . import body, linebreak, ooxml, text


ATTACHED_TEXT_MODELS = {"1.3"}  # quyết định ban hành: the attached text (quy chế...) is a document of its own


def appendix_xml(record, appendix, header=""):
    """The paragraphs of one appendix, ready to be appended as a section.

    For model 1.3 the text issued with the decision has its own header (``header``:
    the issuer and the national name, no number or date), its type name and
    subject in the title block, then the ``(Kèm theo ...)`` line.
    """
    attached = record.template.model in ATTACHED_TEXT_MODELS
    title_style = "VBTypeTitle" if attached else "VBTypeSubject"
    subject = linebreak.balanced(appendix.get("subject") or "", L.TEXT_WIDTH, 14, bold=True)
    heading = [(None if attached else appendix.get("label"), "VBTypeTitle"), (appendix["title"].upper(), title_style),
               ("\n".join(subject), "VBTypeSubject"),
               (_reference(record, appendix), "VBSignNote")]
    parts = [header] if attached else []
    parts += [ooxml.paragraph([(line, False, False)], style) for line, style in heading if line]
    last = max(subject, key=len) if subject else appendix["title"]
    parts.append(ooxml.rule(last, 14, True, L.TEXT_WIDTH, L.ISSUER_RULE_SHARE))
    parts.append(body.to_xml(body.parse(appendix["body"])))
    return Markup("".join(parts))


def _reference(record, appendix):
    """The ``(Kèm theo ...)`` line, in balanced lines that never split a word or a number."""
    line = appendix.get("reference") or text.appendix_reference(record)
    return "\n".join(linebreak.balanced(line, L.TEXT_WIDTH, 14, italic=True))


def appendices_xml(record, header="", split=False):
    """The appendices printed after the document; with ``split``, not those in a file of their own."""
    return [appendix_xml(record, a, header) for a in record.get("appendices") or []
            if not (split and a.get("separate"))]


def separate_appendices(record):
    """Model 2.2: the appendices in a file of their own (``separate: true``), as (index, paragraphs)."""
    return [(i, appendix_xml(record, a)) for i, a in enumerate(record.get("appendices") or [], 1) if a.get("separate")]
