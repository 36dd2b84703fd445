"""Mail merge (trộn thư): one form record filled once per row of a table.

The rows come from a spreadsheet (.xlsx, .ods, .xls: :mod:`vanthu.sheets`),
from a UTF-8 CSV whose header row names the fields (Excel's "CSV UTF-8",
with its byte-order mark, is accepted) or from a YAML list of maps. A header
is a field's key or its Vietnamese label (``Số điện thoại`` or ``phone``,
with or without diacritics); STT and Ghi chú columns are left out with a
note. Each row gives one record; a bad row is reported by its file line, row
number and column name.
"""
import copy
import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import sheets, yamlfile
from ..errors import Problem, VanthuError

FORM_PREFIX = "fields."  # where a form record keeps its fields


@dataclass(frozen=True)
class Row:
    """One row of the data table (hàng dữ liệu): its values and where it is."""

    values: dict
    source: str
    number: int  # 1 for the first data row
    line: int    # line in the file
    lines: dict = None  # column -> line, when known (YAML)
    headers: dict = None  # field key -> the column's header as the clerk wrote it

    def problem(self, column, message):
        line = (self.lines or {}).get(column, self.line)
        return Problem(message, self.source, line, f"hàng {self.number}, cột {(self.headers or {}).get(column, column)}")


IGNORED = ("stt", "tt", "so tt", "so thu tu", "ghi chu")  # a clerk's own columns, not fields (folded)


def read_rows(path):
    """The rows of a spreadsheet, ``.csv`` or ``.yaml``/``.yml`` data file, cells as given."""
    suffix = Path(path).suffix.lower()
    if sheets.is_spreadsheet(path):
        return _sheet_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path)
    raise VanthuError(Problem("dữ liệu trộn thư phải là bảng tính (.xlsx, .ods, .xls), tệp .csv hoặc .yaml", str(path)))


def _sheet_rows(path):
    table = sheets.read_table(path)
    if not all(table.header):
        blank = sheets.column_letter(table.header.index(""))
        raise VanthuError(Problem(f"dòng tiêu đề có ô trống (cột {blank}): mỗi cột cần tên trường", str(path)))
    return [Row(dict(zip(table.header, cells)), str(path), number, line)
            for number, (line, cells) in enumerate(table.rows, 1)]


def _csv_rows(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return _parse_csv(f, str(path))
    except FileNotFoundError:
        raise VanthuError(Problem("không tìm thấy tệp", str(path))) from None
    except UnicodeDecodeError as e:
        raise VanthuError(Problem(f"tệp không phải UTF-8 (byte {e.start}); trong Excel hãy lưu "
                                  "dạng 'CSV UTF-8 (Comma delimited)'", str(path))) from None
    except csv.Error as e:
        raise VanthuError(Problem(f"CSV sai định dạng: {e}", str(path))) from None


def _parse_csv(f, source):
    reader = csv.DictReader(f)
    columns = [c.strip() for c in reader.fieldnames or []]
    if not columns or not all(columns):
        raise VanthuError(Problem("dòng đầu phải là dòng tiêu đề ghi tên các trường, không ô trống", source, 1))
    reader.fieldnames = columns
    rows = []
    for number, values in enumerate(reader, 1):
        line = reader.line_num  # where the row ends: its line, unless a quoted cell spans lines
        if None in values:
            raise VanthuError(Problem(f"nhiều ô hơn dòng tiêu đề ({len(columns)} cột)", source, line))
        cells = {k: v.strip() for k, v in values.items() if v is not None}
        if any(cells.values()):  # Excel leaves rows of empty cells (",,,") at the end
            rows.append(Row(cells, source, number, line))
    return rows


def _yaml_rows(path):
    data = yamlfile.load(path)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise VanthuError(Problem("dữ liệu trộn thư phải là một danh sách các bảng khóa: giá trị", str(path), 1))
    return [Row(dict(node), str(path), index + 1, yamlfile.line_of(node),
                {key: yamlfile.line_of(node, key) for key in node})
            for index, node in enumerate(data)]


def form_node(path):
    """The one record of a form file, as parsed YAML (with its line numbers)."""
    data = yamlfile.load(path)
    nodes = data if isinstance(data, list) else [data]
    if len(nodes) != 1 or not isinstance(nodes[0], dict):
        raise VanthuError(Problem("tệp mẫu trộn thư phải chứa đúng một bản ghi", str(path), 1))
    return nodes[0]


def filled(node, row, is_form):
    """The form record with the row's non-empty values put in (``a.b`` columns nest)."""
    node = copy.deepcopy(node)
    target = node.setdefault("fields", {}) if is_form else node
    for column, value in row.values.items():
        if value in ("", None):
            continue
        *parents, last = column.split(".")
        place = target
        for key in parents:
            place = place.setdefault(key, {})
        place[last] = value
    return node


def merge(form_path, data_path, reader, notes=None):
    """One checked record per row, or that row's VanthuError in its place; ``notes`` gets what was adjusted."""
    node = form_node(form_path)
    template = reader.library.get(str(node.get("type")))  # a bad type fails the whole merge
    rows = read_rows(data_path)
    if not rows:
        raise VanthuError(Problem("tệp dữ liệu không có hàng nào", str(data_path), 1))
    every = list(dict.fromkeys(c for row in rows for c in row.values))  # YAML rows may each have their own keys
    columns = column_map(every, template, rows[0].source, notes)
    cells = CellReader(template, notes, typed=sheets.is_spreadsheet(data_path))
    rows = [cells.convert(row, columns) for row in rows]
    cells.report()
    return [_record(node, row, template.is_form, reader, str(form_path)) for row in rows]


def fold(text):
    """A header as compared (so sánh tiêu đề): no diacritics, lower case, single spaces."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[*:]+$", "", text.strip()).split())


ALIASES = {"phone": ("sdt", "so dt", "dt", "dien thoai", "so dien thoai"), "email": ("email", "e-mail", "thu dien tu")}


def _names(field):
    label = field.label
    return {fold(field.name), fold(label), fold(re.sub(r"\s*\(.*?\)", "", label))}


def _known_names(template):
    known = {}
    for kind, aliases in ALIASES.items():  # SĐT, Điện thoại: when the template has one phone field
        of_kind = [f.name for f in template.fields.values() if f.type == kind]
        known.update({alias: of_kind[0] for alias in aliases} if len(of_kind) == 1 else {})
    known.update({name: field.name for field in template.fields.values() for name in _names(field)})
    return known


def column_map(columns, template, source, notes=None):
    """Each column's field key (``None``: left out), by key or Vietnamese label; unknown columns refused."""
    known = _known_names(template)
    mapping, unknown, ignored = {}, [], []
    for column in columns:
        head, dot, rest = column.partition(".")
        key = known.get(fold(column)) or (known.get(fold(head)) and f"{known[fold(head)]}.{rest}" if dot else None)
        if key is None and fold(column) in IGNORED:
            ignored.append(column)
        elif key is None:
            unknown.append(column)
        elif key in mapping.values():
            raise VanthuError(Problem(f"hai cột cùng là trường {key}: bỏ bớt một cột", source, 1))
        mapping[column] = key
    _refuse_unknown(unknown, template, source)
    if ignored and notes is not None:
        notes.append(f"{source}: bỏ qua cột {', '.join(ignored)} (không phải trường của mẫu)")
    return mapping


def _refuse_unknown(unknown, template, source):
    if unknown:
        fields = "; ".join(f"{f.label} ({f.name})" for f in template.fields.values())
        raise VanthuError(Problem(f"cột {', '.join(unknown)} không phải trường của mẫu {template.name}; "
                                  f"các trường: {fields}", source, 1))


class CellReader:
    """Turns spreadsheet cells into field values (chuyển ô): numbers, dates, phones that lost their 0."""

    def __init__(self, template, notes=None, typed=True):
        self.template, self.notes, self.restored, self.typed = template, notes, {}, typed

    def convert(self, row, columns):
        kept = [c for c in row.values if columns.get(c)]
        values = {columns[c]: self.cell(row, c, columns[c], row.values[c]) for c in kept}
        lines = {columns[c]: line for c, line in (row.lines or {}).items() if columns.get(c)}
        return Row(values, row.source, row.number, row.line, lines or None, {columns[c]: c for c in kept})

    def cell(self, row, column, key, value):
        if not self.typed:  # CSV and YAML say what they mean: text is text, a YAML number stays a number
            return value
        field = self.template.fields.get(key.split(".")[0])
        kind = field.type if field and "." not in key else "text"
        if isinstance(value, str) or value is None:
            return value.strip() if isinstance(value, str) else ""
        if kind == "phone" and isinstance(value, (int, float)):
            return self._phone(row, column, value)
        if kind == "number" and isinstance(value, float) and value.is_integer():
            return int(value)
        if kind == "date":
            return value
        return sheets.cell_text(value)

    def _phone(self, row, column, value):
        digits = sheets.cell_text(value)
        if len(digits) == 9 and digits[0] in "35789":  # Excel took 0912345678 for a number and dropped the 0
            self.restored.setdefault(column, []).append(row.number)
            return "0" + digits
        return digits

    def report(self):
        for column, numbers in self.restored.items():
            if self.notes is not None:
                self.notes.append(f"cột {column}: đã thêm số 0 đầu cho {len(numbers)} số điện thoại bị Excel bỏ mất "
                                  f"(hàng {_spans(numbers)})")


def _spans(numbers):
    """``1–3, 7``: row numbers as ranges."""
    spans, start = [], numbers[0]
    for previous, current in zip(numbers, numbers[1:] + [None]):
        if current != previous + 1:
            spans.append(f"{start}" if start == previous else f"{start}–{previous}")
            start = current
    return ", ".join(spans)


def _record(node, row, is_form, reader, form_source):
    try:
        return reader.read(filled(node, row, is_form), form_source)
    except VanthuError as error:
        return VanthuError(*[_locate(p, row, is_form) for p in error.problems])


def _locate(problem, row, is_form):
    """A problem caused by a cell points at its row and column; others stay on the form."""
    key = problem.key[len(FORM_PREFIX):] if is_form and problem.key.startswith(FORM_PREFIX) else problem.key
    column = next((c for c in row.values if key == c or key.startswith(c + ".")), None)
    return row.problem(column, problem.message) if column else problem
