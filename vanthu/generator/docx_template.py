"""A DOCX template parsed once and filled many times (mẫu đã biên dịch).

docxtpl does the hard part, turning a Word file with ``{{ }}`` and ``{%p %}``
tags into a Jinja template (:meth:`DocxTemplate.patch_xml`). It does that on
every render; here it is done once per template, and each render only runs the
compiled Jinja template and zips the parts. That is what makes a batch fast.

Jinja runs with autoescape and StrictUndefined: a record's values are data,
printed as typed, never evaluated. A template is a clerk's file, so it runs in
Jinja's immutable sandbox: no private or dunder attribute, no mutating method,
so ``{{ cycler.__init__.__globals__ }}`` cannot reach Python.
"""
import re
import zipfile
from io import BytesIO

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from docxtpl import DocxTemplate

from ..errors import VanthuError

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same input, same bytes: golden files and checksums stay stable
_SECTION = re.compile(r"<w:sectPr[ >].*?</w:sectPr>", re.S)
_ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


class CompiledTemplate:
    """One ``.docx`` template: its parts kept as bytes, its templated parts compiled."""

    def __init__(self, path):
        self.path = str(path)
        self._docx = DocxTemplate(self.path)  # kept for resolve_listing
        with zipfile.ZipFile(self.path) as z:
            self.parts = {info.filename: z.read(info) for info in z.infolist()}
        self.compiled = {name: self._compile(name) for name in self.parts if _is_templated(name)}

    def _compile(self, name):
        xml = self._docx.patch_xml(self.parts[name].decode("utf-8"))
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
        try:
            return _ENV.from_string(xml)
        except jinja2.TemplateSyntaxError as e:
            raise VanthuError(f"mẫu {self.path}: lỗi cú pháp Jinja ({e.message}) ở phần {name}") from None

    def render_parts(self, context):
        """The filled XML of every templated part, by part name."""
        return {name: self._render(name, template, context) for name, template in self.compiled.items()}

    def _render(self, name, template, context):
        try:
            xml = template.render(context)
        except SecurityError as e:
            raise VanthuError(f"mẫu {self.path}: thẻ bị chặn vì truy cập phần bên trong của chương trình ({e}); "
                              "mẫu chỉ được in các trường; chạy 'vanthu templates check' để thấy thẻ đó") from None
        except jinja2.UndefinedError as e:
            raise VanthuError(f"mẫu {self.path}: {e.message} (trường chưa khai báo trong lược đồ?)") from None
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        return self._docx.resolve_listing(xml) if "\n" in xml else xml

    def write(self, rendered, core_xml=None):
        """A DOCX file's bytes: the rendered parts, the core properties, the rest as it was."""
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                if name in rendered:
                    data = rendered[name].encode("utf-8")
                elif name == CORE and core_xml:
                    data = core_xml.encode("utf-8")
                z.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
        return out.getvalue()


def _is_templated(name):
    return name == DOCUMENT or re.fullmatch(r"word/(header|footer)\d*\.xml", name) is not None


def body_of(document_xml):
    """The content of ``<w:body>`` without its final section properties (to append elsewhere)."""
    start = document_xml.index(">", document_xml.index("<w:body")) + 1
    end = document_xml.rindex("<w:sectPr")
    return document_xml[start:end]


NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)


def header_row(document_xml):
    """The document's header table with its first row only (issuer | national name), for an attached text.

    Empty when no table holds the national name (a clerk's own layout).
    """
    found = next((t for t in _TABLE.findall(body_of(document_xml)) if NATIONAL_NAME in t), None)
    rows = _ROW.findall(found) if found else []
    if not rows:
        return ""
    start, end = found.index(rows[0]), found.rindex(rows[-1]) + len(rows[-1])
    return found[:start] + rows[0] + found[end:]


_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_RULE_INDENT = re.compile(r'(<w:pStyle w:val="VBRule"/>(?:(?!</w:p>).)*?<w:ind w:left=")(\d+)(" w:right=")(\d+)(")', re.S)


def widen_header(document_xml, widen, left, right):
    """Every header table (the one holding the national name) with its left column ``widen`` twips wider
    and its right one as much narrower, the motto's rule kept centred; None if no table has the
    ``left`` | ``right`` grid (a clerk's own layout: the caller fits the issuer to it instead)."""
    found = []

    def patch(match):
        table = match.group(0)
        grid = f'<w:gridCol w:w="{left}"/><w:gridCol w:w="{right}"/>'
        if NATIONAL_NAME not in table or grid not in table:
            return table
        found.append(True)
        table = table.replace(grid, f'<w:gridCol w:w="{left + widen}"/><w:gridCol w:w="{right - widen}"/>')
        return _CELL.sub(lambda cell: _narrowed(cell.group(0), left, right, widen), table)
    patched = _TABLE.sub(patch, document_xml)
    return patched if found else None


def _narrowed(cell, left, right, widen):
    """One header cell with its new width; a right cell's rule (under the motto) moved in by half on each side."""
    width = 'w:type="dxa" w:w="{}"/>'
    if width.format(right) not in cell:
        return cell.replace(width.format(left), width.format(left + widen))
    cell = cell.replace(width.format(right), width.format(right - widen))
    return _RULE_INDENT.sub(lambda m: f"{m[1]}{_less(m[2], widen)}{m[3]}{_less(m[4], widen)}{m[5]}", cell)


def _less(indent, widen):
    return max(0, int(indent) - widen // 2)


def replace_body(document_xml, body, section_break):
    """The document with ``body`` as its whole content, in a section of its own (numbered from 1, no ô 13)."""
    start = document_xml.index(">", document_xml.index("<w:body")) + 1
    section = final_section(document_xml)
    last = section_break(section, restart=True)[len("<w:p><w:pPr>"):-len("</w:pPr></w:p>")]
    return document_xml[:start] + body + last + document_xml[document_xml.rindex("</w:body>"):]


def final_section(document_xml):
    """The document's last ``<w:sectPr>``: page size, margins, header references."""
    return _SECTION.findall(document_xml)[-1]


def append_sections(document_xml, bodies, section_break):
    """Append each body as a new section (on a new page) before the final ``<w:sectPr>``."""
    section = final_section(document_xml)
    end = document_xml.rindex("<w:sectPr")
    bodies = [str(body) for body in bodies]  # plain text: joining with Markup would escape the breaks
    breaks = [section_break(section, restart=i > 0) for i in range(len(bodies))]
    inserted = "".join(b + body for b, body in zip(breaks, bodies))
    last = section_break(section, restart=True)[len("<w:p><w:pPr>"):-len("</w:pPr></w:p>")]
    return document_xml[:end] + inserted + last + document_xml[end + len(section):]
