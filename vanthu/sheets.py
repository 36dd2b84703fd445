"""Spreadsheets (bảng tính): Excel and LibreOffice files read as tables, registers written as .xlsx.

Reading uses python-calamine (one Rust reader for .xlsx, .xlsm, .xls and
.ods, several times faster than openpyxl); writing uses openpyxl, which
calamine cannot do. A cell keeps the type the spreadsheet gave it (float,
date, datetime, bool, text); turning it into a field's value is the caller's
business, because only the caller knows whether 912345678.0 is a phone number.
"""
import datetime as _dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, VanthuError

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class Table:
    """The first sheet's table (bảng): its header cells and data rows, with sheet row numbers."""

    source: str
    sheet: str
    header: list
    rows: list  # [(row number in the sheet, [cells])], empty rows left out


def is_spreadsheet(path):
    return Path(path).suffix.lower() in SUFFIXES


def read_table(path):
    """The first non-empty sheet of ``path``; its header is the first row of two or more cells
    (a title such as ``DANH SÁCH ĐĂNG KÝ`` above it is one merged cell, and is skipped)."""
    path = str(path)
    for name, cells in _sheets(path):
        numbered = [(i + 1, row) for i, row in enumerate(cells) if any(_filled(c) for c in row)]
        if numbered:
            at = next((n for n, (_, row) in enumerate(numbered) if sum(map(_filled, row)) >= 2), 0)
            (_, header), *rows = numbered[at:]
            width = _width(header, rows)
            return Table(path, name, [_header_text(c) for c in header[:width]], [(n, r[:width]) for n, r in rows])
    raise VanthuError(Problem("bảng tính không có dữ liệu (mọi trang tính đều trống)", path))


def _width(header, rows):
    """Columns up to the last one with a header or a value (Excel's used range often runs further)."""
    used = [i for i, c in enumerate(header) if _filled(c)] + [i for _, r in rows for i, c in enumerate(r) if _filled(c)]
    return max(used) + 1


def _sheets(path):
    from python_calamine import CalamineWorkbook
    try:
        book = CalamineWorkbook.from_path(path)
        visible = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")] or book.sheet_names
        return [_sheet(book, name) for name in visible]
    except FileNotFoundError:
        raise VanthuError(Problem("không tìm thấy tệp", path)) from None
    except Exception as error:  # calamine's errors: a damaged, encrypted or disguised file
        raise VanthuError(Problem(f"không đọc được bảng tính ({error.__class__.__name__}: {error}); "
                                  "hãy mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx", path)) from None


def _sheet(book, name):
    return name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)  # from A1: row numbers are the sheet's


def _filled(cell):
    return not (cell is None or (isinstance(cell, str) and not cell.strip()))


def _header_text(cell):
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFC", str(cell if cell is not None else "")).strip()


def cell_text(cell):
    """A cell as the text a clerk sees: 12.0 → ``12``, a date → ``06/8/2020``."""
    from .vndate import short_date
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "có" if cell else "không"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, _dt.datetime) and cell.time() == _dt.time():
        return short_date(cell.date())
    if isinstance(cell, _dt.date) and not isinstance(cell, _dt.datetime):
        return short_date(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def column_letter(index):
    """``A`` for column 0, ``AA`` for 26: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path, title, headings, rows, widths=None, intro=(), date_columns=()):
    """An .xlsx of one sheet: ``intro`` lines, then bold headings (frozen, repeated on print), then rows;
    ``date_columns`` shown as 06/08/2020 (Excel's cell formats cannot drop the month's zero)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet name
    for line in intro:
        sheet.append([line])
    sheet.append(list(headings))
    head = sheet.max_row
    for cell in sheet[head]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        sheet.append(list(row))
        for index in date_columns:
            sheet.cell(sheet.max_row, index + 1).number_format = "dd/mm/yyyy"
    for index, width in enumerate(widths or ()):
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.freeze_panes, sheet.print_title_rows = f"A{head + 1}", f"{head}:{head}"
    _save(book, Path(path))
    return Path(path)


def _save(book, path):
    import io
    from .files import write_atomic
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
