"""Where things go on the page for an electronic document (vị trí trên văn bản điện tử).

Before the leader signs, the PDF gets every field the later steps fill, so
that the leader's certification (form filling only) admits them:

- ô 3 and ô 4: text fields over the blanks of ``Số:          /SYT-VP`` and
  ``ngày      tháng      năm`` (the number and the date, filled at issue);
- ô 7c: the leader's signature field, the image's shape, centred between the
  title and the name (II.7.d), in the room the generator left there;
- ô 8: the organisation's signature field, the seal at its real size covering
  about the left third of the leader's signature (II.8.a), the information
  line under it.

The positions are read from the text of the page (Liberation Serif widths).
"""
from dataclasses import dataclass

from ..docnumber import DocumentNumber
from ..errors import VanthuError
from ..generator.measure import text_width
from ..generator.signing import Box, find_line, text_lines

LEADER_FIELD = "chu-ky-lanh-dao"
ORG_FIELD = "chu-ky-co-quan"
NUMBER_FIELD, DAY_FIELD, MONTH_FIELD, YEAR_FIELD = "so", "ngay", "thang", "nam"
TEXT_FIELDS = (NUMBER_FIELD, DAY_FIELD, MONTH_FIELD, YEAR_FIELD)
SIGN_BLANK = " " * 10        # room for a five-digit number at 13 pt (a paper draft keeps six spaces)
SEAL_MM = 36.0               # a seal's usual diameter when its image gives no resolution
INFO_SIZE = 9                # points: the seal's information line
INFO_ROOM = 2.2 * INFO_SIZE + 2
MAX_SIGNATURE_HEIGHT = 60.0  # points: a handwritten signature's height on the page


class BlankNumber(DocumentNumber):
    """A draft number with room for the number the clerk's system fills in later."""

    @property
    def printed_number(self):
        return SIGN_BLANK


BASELINE = 0.25  # of the font size: a text field's bottom below the printed baseline


def points(text, size, italic=False):
    return text_width(text, size, italic=italic) / 20


@dataclass(frozen=True)
class Places:
    """Every field's place: page index and box."""

    page: int
    leader: Box
    org: Box
    number: Box
    day: Box
    month: Box
    year: Box

    @property
    def text_boxes(self):
        return dict(zip(TEXT_FIELDS, (self.number, self.day, self.month, self.year)))


def fit(room, width, height, max_height=MAX_SIGNATURE_HEIGHT):
    """A box of the image's shape, as large as fits in ``room`` (and ``max_height``), centred."""
    scale = min((room.right - room.left) / width, (room.top - room.bottom) / height, max_height / height)
    w, h = width * scale, height * scale
    cx, cy = (room.left + room.right) / 2, (room.bottom + room.top) / 2
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def seal_box(leader, seal_w, seal_h):
    """The seal over the left third of the signature, vertically centred on it, its line below."""
    right = leader.left + (leader.right - leader.left) / 3
    cy = (leader.bottom + leader.top) / 2
    return Box(right - seal_w, cy - seal_h / 2 - INFO_ROOM, right, cy + seal_h / 2)


def number_box(line):
    """The blank before ``/`` in ``Số:          /SYT-VP``."""
    head, slash, _ = line.text.partition("/")
    if not slash or not head.rstrip().endswith(":"):
        raise VanthuError(f"dòng số, ký hiệu '{line.text}' không có chỗ trống để điền số")
    start = line.x + points(head.rstrip() + " ", line.size)
    end = line.x + points(head, line.size)
    return Box(start, line.y - BASELINE * line.size, end, line.y + 0.85 * line.size)


def date_boxes(line):
    """The blanks after ``ngày``, ``tháng`` and ``năm`` of ô 4 (italic)."""
    text, size = line.text, line.size
    boxes = []
    for word, after in (("ngày", "tháng"), ("tháng", "năm")):
        start = text.rfind(word + " ")
        end = text.find(after, start)
        if start < 0 or end < 0:
            raise VanthuError(f"dòng ngày tháng '{text}' không có chỗ trống để điền ngày")
        left = line.x + points(text[:start + len(word) + 1], size, True)
        right = line.x + points(text[:end], size, True)
        boxes.append(Box(left, line.y - BASELINE * size, right - 0.2 * size, line.y + 0.85 * size))
    left = line.x + points(text.rstrip() + " ", size, True)
    boxes.append(Box(left, line.y - BASELINE * size, left + points("2020 ", size, True), line.y + 0.85 * size))
    return boxes


def locate(page, room, image_size, seal_size, page_index):
    """The places on the signing page (``room``: the generator's signature field box)."""
    lines = text_lines(page)
    number_line = _number_line(lines)
    date_line = _date_line(lines)
    leader = fit(room, *image_size)
    day, month, year = date_boxes(date_line)
    return Places(page_index, leader, seal_box(leader, *seal_size), number_box(number_line), day, month, year)


def _number_line(lines):
    for line in lines:
        if line.text.startswith("Số:") and "/" in line.text:
            return line
    raise VanthuError("văn bản không có dòng 'Số: .../...' (ô 3) để điền số khi ban hành")


def _date_line(lines):
    found = find_line(lines, "ngày tháng năm")
    if found is None:
        raise VanthuError("văn bản không có dòng ngày tháng để trống (ô 4) để điền ngày ban hành")
    return found


def image_size_points(path, default_mm=None):
    """An image's size on the page in points: from its resolution, else its pixels at 96 dpi
    (a seal without resolution gets ``default_mm`` across)."""
    from PIL import Image
    with Image.open(path) as image:
        w, h = image.size
        dpi = image.info.get("dpi")
    if dpi and dpi[0] > 1:
        return w / dpi[0] * 72, h / dpi[1] * 72
    if default_mm:
        side = default_mm / 25.4 * 72
        return side, side * h / w
    return w * 0.75, h * 0.75
