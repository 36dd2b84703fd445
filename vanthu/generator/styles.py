"""Style definitions across templates (kiểu đoạn văn): an attachment keeps its look.

An attachment (văn bản gửi kèm) is rendered with its own template, then its
body is spliced into the main document, whose ``styles.xml`` is the only one
Word reads. A clerk's form may use styles our templates lack; their
definitions are copied over, or its paragraphs would fall back to Normal.
A style both define keeps the main document's definition.
"""
import copy
import functools

from lxml import etree

STYLES = "word/styles.xml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style_id(style):
    return style.get(W + "styleId")


def missing_styles(main_root, other_xml):
    """The ``<w:style>`` elements of ``other_xml`` whose id the main styles (a parsed root) lack."""
    have = {_style_id(s) for s in main_root.iter(W + "style")}
    return [s for s in etree.fromstring(other_xml).iter(W + "style") if _style_id(s) not in have]


def with_attachment_styles(main, attachments):
    """``{STYLES: xml}`` for the main document with the styles its attachments add; ``{}`` if none.

    ``main`` and ``attachments`` are compiled templates (their ``parts`` by name).
    Nothing changes when nothing is missing, so outputs stay byte-for-byte stable.
    """
    return dict(_merged(main, tuple(attachments)))


@functools.lru_cache(maxsize=64)
def _merged(main, attachments):
    # Templates are compiled once and never change: merge once per combination, not per render.
    if STYLES not in main.parts:
        return {}
    root = etree.fromstring(main.parts[STYLES])
    added = 0
    for attachment in (a for a in attachments if STYLES in a.parts):
        for style in missing_styles(root, attachment.parts[STYLES]):
            root.append(copy.deepcopy(style))
            added += 1
    if not added:
        return {}
    return {STYLES: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")}
