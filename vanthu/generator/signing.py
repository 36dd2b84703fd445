"""The empty signature field (ô chữ ký số) over the signer's place.

Nghị định 30 leaves room for the signature between the signer's title
(``GIÁM ĐỐC``) and name. The field goes exactly there, found from the text
positions on the page, so a USB-token tool or pyHanko signs into the field
without anyone moving it. Without a readable name (a blank form), the field
sits under the signer's title, or else at the bottom right of the last page.
"""
import re
import unicodedata
from dataclasses import dataclass

from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject,
                           StreamObject, TextStringObject)

FIELD_WIDTH = 200.0    # points, about 7 cm: a signature and a seal fit
FIELD_HEIGHT = 70.0    # points, when nothing above bounds the room
GAP = 2.0              # points kept clear of the printed text
PRINT_FLAG = 4         # annotation flag: printed (PDF/A forbids hidden widgets)


@dataclass(frozen=True)
class TextLine:
    """A run of text on a page and its baseline position (dòng chữ)."""

    text: str
    x: float
    y: float
    size: float

    @property
    def center(self):
        # A serif capital-and-lowercase line is about half an em wide per character.
        return self.x + 0.25 * self.size * len(self.text)


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in points, lower left to upper right."""

    left: float
    bottom: float
    right: float
    top: float

    def as_array(self):
        return ArrayObject(FloatObject(round(v, 2)) for v in (self.left, self.bottom, self.right, self.top))


def _key(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


def text_lines(page):
    """Every text run of ``page`` with its baseline, in page coordinates."""
    lines = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[3] * cm[3]) or 1.0
            lines.append(TextLine(text.strip(), x, y, abs(size * scale)))

    page.extract_text(visitor_text=visit)
    return lines


def find_line(lines, text):
    """The last run holding ``text`` (whitespace and case ignored), or None."""
    wanted = _key(text)
    hits = [line for line in lines if wanted and wanted in _key(line.text)]
    return hits[-1] if hits else None


def box_above_name(lines, name_line, page_top):
    """The room between the name and the nearest text above it in the same column."""
    center = name_line.center
    bottom = name_line.y + name_line.size + GAP
    above = [line.y for line in lines
             if line.y > bottom and abs(line.center - center) < FIELD_WIDTH / 2]
    top = min(above) - GAP if above else bottom + FIELD_HEIGHT
    top = min(top, bottom + 2 * FIELD_HEIGHT, page_top)
    if top - bottom < FIELD_HEIGHT / 3:  # squeezed (e.g. title and name on adjacent lines)
        top = bottom + FIELD_HEIGHT
    return Box(center - FIELD_WIDTH / 2, bottom, center + FIELD_WIDTH / 2, top)


def box_below_title(title_line):
    center, top = title_line.center, title_line.y - title_line.size / 2 - GAP
    return Box(center - FIELD_WIDTH / 2, top - FIELD_HEIGHT, center + FIELD_WIDTH / 2, top)


def corner_box(page):
    """Bottom right of the page, above a 2 cm margin: the signer's side in Nghị định 30."""
    box = page.mediabox
    right = float(box.right) - 57
    bottom = float(box.bottom) + 57
    return Box(right - FIELD_WIDTH, bottom, right, bottom + FIELD_HEIGHT)


def signer_place(pages, signer, signer_title=""):
    """Where the signature goes: (page index, Box), searching from the last page back.

    The signer's name on a page fixes the place; an attachment after the
    signature page (a blank form) does not move it.
    """
    for index in range(len(pages) - 1, -1, -1):
        lines = text_lines(pages[index])
        if signer and (name := find_line(lines, signer)):
            return index, box_above_name(lines, name, float(pages[index].mediabox.top))
    last = len(pages) - 1
    if signer_title and (title := find_line(text_lines(pages[last]), signer_title)):
        return last, box_below_title(title)
    return last, corner_box(pages[last])


def field_name(text, fallback="chu-ky"):
    """A safe field name (tên ô ký) from a document number: ASCII, no dots or slashes.

    ``4482/SYT-VP`` -> ``4482-SYT-VP``, ``12/QĐ-UBND`` -> ``12-QD-UBND``.
    """
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", plain).strip("-")
    return safe or fallback


def add_signature_field(writer, page, box, name):
    """Add an empty ``/Sig`` field with its widget on ``page`` (a page of ``writer``)."""
    reference = writer._add_object(field_widget(writer, page, box, name))
    page.setdefault(NameObject("/Annots"), ArrayObject()).get_object().append(reference)
    _fields(writer).append(reference)
    return reference


def field_widget(writer, page, box, name, kind="/Sig"):
    """The widget dictionary of a form field ``name`` of ``kind`` (``/Sig``, ``/Tx``) over ``box`` on ``page``."""
    appearance = StreamObject()  # PDF/A wants an appearance even for an empty widget
    appearance.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                                         FloatObject(box.right - box.left),
                                                         FloatObject(box.top - box.bottom)])})
    widget = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject(kind), NameObject("/T"): TextStringObject(name),
        NameObject("/F"): NumberObject(PRINT_FLAG), NameObject("/Rect"): box.as_array(),
        NameObject("/P"): page.indirect_reference,
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
    })
    return widget


def _fields(writer):
    root = writer.root_object
    if "/AcroForm" not in root:
        root[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({NameObject("/Fields"): ArrayObject()}))
    return root["/AcroForm"].get_object().setdefault(NameObject("/Fields"), ArrayObject())
