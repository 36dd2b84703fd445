"""A form's field values as printed (giá trị trên biểu mẫu): fill lines, dates, tables.

A form is printed blank or filled from one template: every field left out
becomes its dotted fill line (dòng chấm), a date its dotted day, month and
year, a table its empty rows, so that the applicant can write by hand.
"""
from dataclasses import dataclass

from markupsafe import Markup

from ..templates import layout as L
from ..vndate import VietnameseDate
from . import ooxml, text
from .measure import text_width

TABLE_TEXT_SIZE = 13        # VBTableText, VBTableHeader
TABLE_ROW_HEIGHT = 454      # 8 mm: room to write a mark by hand in an empty row
LINE_DOTS = 100             # a fill line longer than this runs on over the next line
DOT_GROUP = 10
ZERO_WIDTH_SPACE = "\u200b"


@dataclass(frozen=True)
class FormDate:
    """A date on a form (ngày tháng năm): each part its value or a dotted fill line."""

    day: str
    month: str
    year: str

    def __str__(self):
        return f"ngày {self.day} tháng {self.month} năm {self.year}"


def form_date(value, declared):
    """Day, month and year of ``value`` as the decree writes them (06, 8, 2020), or dots."""
    if value:
        return FormDate(*VietnameseDate.of(value).parts)
    dots = text.fill(None, declared.fill)
    return FormDate(dots, dots, declared.blank_year or dots)


def form_text(value, declared):
    """A text value (in capitals if the schema says so), or its fill line."""
    if value and declared.upper:
        value = value.upper()
    if not value and declared.fill > LINE_DOTS:
        return _wrappable(text.fill(None, declared.fill))
    return text.fill(value, declared.fill) if declared.fill else (value or "")


def _wrappable(dots):
    """Dots joined by zero-width spaces: the line may break there, at the margin.

    A plain space would not do: Unicode line breaking (UAX #14, LB13) forbids a
    break before a full stop even after a space, so the dots would all move down.
    """
    return ZERO_WIDTH_SPACE.join(dots[i:i + DOT_GROUP] for i in range(0, len(dots), DOT_GROUP))


def table_rows(value, declared):
    """Header labels, then the record's rows, or the rows to fill by hand."""
    header = [label for _, label in declared.columns]
    if value:
        rows = [[row.get(name, "") for name, _ in declared.columns] for row in value]
    elif declared.row_labels:
        rows = [[label] + [""] * (len(header) - 1) for label in declared.row_labels]
    else:
        rows = [[""] * len(header) for _ in range(declared.blank_rows)]
    return [header] + rows


def column_widths(rows, total=L.TEXT_WIDTH):
    """Each column as wide as its longest word (no word broken), the rest shared by header length."""
    least = [max(_widest_word(row[i], r == 0) for r, row in enumerate(rows)) + 2 * L.CELL_MARGIN
             for i in range(len(rows[0]))]
    spare = total - sum(least)
    if spare < 0:  # too many long words: shrink every column alike, words will break
        return _spread([w * total / sum(least) for w in least], total)
    weights = [len(label) for label in rows[0]]
    return _spread([w + spare * k / sum(weights) for w, k in zip(least, weights)], total)


def _widest_word(cell, bold):
    return max((text_width(word, TABLE_TEXT_SIZE, bold) for word in cell.split()), default=0)


def _spread(widths, total):
    widths = [int(w) for w in widths]
    widths[-1] += total - sum(widths)  # rounding: the table is exactly the text width
    return widths


def table(value, declared):
    """The table of a ``table`` field as WordprocessingML, for a ``{{p f.NAME }}`` tag."""
    rows = table_rows(value, declared)
    return Markup(ooxml.table(rows, widths=column_widths(rows), min_height=TABLE_ROW_HEIGHT))


def value(raw, declared):
    """What the template prints for one field of a form."""
    if declared.type == "date":
        return form_date(raw, declared)
    if declared.type == "table":
        return table(raw, declared)
    return form_text(raw, declared)
