"""Rendering records to DOCX (kết xuất văn bản).

A :class:`Renderer` keeps each template compiled, so a batch parses every
template once. Attachments (văn bản gửi kèm) follow the main document, each in
its own section: a new page, page numbers from 1 again.
"""
import os
from xml.sax.saxutils import escape

from ..errors import VanthuError
from ..files import write_atomic
from ..templates import layout as L
from . import docx_template, ooxml, styles
from .appendices import appendices_xml, separate_appendices
from .context import context_of

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>"
    "<cp:keywords>{keywords}</cp:keywords><dc:language>vi-VN</dc:language>{created}"
    "</cp:coreProperties>"
)


def core_properties(record):
    """docProps/core.xml: title (type + subject), author (issuer), subject (number), created (date)."""
    number = "" if record.template.is_form or record.number.is_draft else str(record.number)
    created = (f'<dcterms:created xsi:type="dcterms:W3CDTF">{record.date.isoformat()}T00:00:00Z</dcterms:created>'
               if record.date else "")
    values = {"title": record.title, "subject": number, "creator": record.issuer.get("name", ""),
              "keywords": ", ".join(filter(None, [record.template.title, number, record.issuer.get("code")]))}
    return _CORE.format(created=created, **{k: escape(v) for k, v in values.items()})


class Renderer:
    """Renders checked records to DOCX bytes, each template compiled once."""

    def __init__(self):
        self._compiled = {}

    def compiled(self, template):
        path = str(template.docx_path)
        if path not in self._compiled:
            if not os.path.isfile(path):
                raise VanthuError(f"mẫu '{template.name}' thiếu tệp {path}")
            self._compiled[path] = docx_template.CompiledTemplate(path)
        return self._compiled[path]

    def _document_xml(self, record):
        return self.parts(self.compiled(record.template), record)

    @staticmethod
    def parts(compiled, record):
        """The rendered parts; the header's left column made wider when the issuer needs it
        (:func:`~vanthu.generator.context.issuer_lines`), if the layout has the built-in grid."""
        context = context_of(record)
        parts = compiled.render_parts(context)
        widen = context.get("header_widen", 0)
        if widen:
            wider = docx_template.widen_header(parts[docx_template.DOCUMENT], widen, L.HEADER_LEFT, L.HEADER_RIGHT)
            if wider is None:  # a clerk's own grid: the issuer fitted to its column instead
                return compiled.render_parts(context_of(record, widen=False))
            parts[docx_template.DOCUMENT] = wider
        return parts

    def render(self, record, split=False):
        """The DOCX of a record with its attachments, as bytes.

        With ``split`` the appendices marked ``separate`` are left out (see :meth:`render_appendix_files`);
        otherwise (a PDF, the archive's one file) they follow the document like the others.
        """
        compiled = self.compiled(record.template)
        parts = self.parts(compiled, record)
        header = docx_template.header_row(parts[docx_template.DOCUMENT])
        sections = appendices_xml(record, header, split) + [self._body(a) for a in record.attachments]
        if sections:
            main = parts[docx_template.DOCUMENT]
            parts[docx_template.DOCUMENT] = docx_template.append_sections(main, sections, ooxml.section_break)
        parts.update(styles.with_attachment_styles(compiled, [self.compiled(a.template) for a in record.attachments]))
        return compiled.write(parts, core_properties(record))

    def render_appendix_files(self, record):
        """Model 2.2: each appendix marked ``separate`` as a DOCX of its own, [(number, bytes)].

        Same page, styles and page numbers as the document; no header, no contact footer (ô 13).
        """
        files = []
        compiled = self.compiled(record.template)
        for index, xml in separate_appendices(record):
            parts = self.parts(compiled, record)
            parts[docx_template.DOCUMENT] = docx_template.replace_body(parts[docx_template.DOCUMENT], str(xml),
                                                                       ooxml.section_break)
            files.append((index, compiled.write(parts, core_properties(record))))
        return files

    def _body(self, attachment):
        """An attachment's own body, rendered with its own template."""
        return docx_template.body_of(self._document_xml(attachment)[docx_template.DOCUMENT])

    def render_to(self, record, path):
        """Write the DOCX atomically: a failed render leaves no half-written file."""
        write_atomic(path, self.render(record))

