"""Mail merge (trộn thư): one form record filled once per row of a table.

The rows come from a UTF-8 CSV whose header row names the fields (Excel's
"CSV UTF-8", with its byte-order mark, is accepted) or from a YAML list of
maps. Each row gives one record; a bad row is reported by its file line, row
number and column name, and the other rows still make their documents.
"""
import copy
import csv
from dataclasses import dataclass
from pathlib import Path

from .. import yamlfile
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

    def problem(self, column, message):
        line = (self.lines or {}).get(column, self.line)
        return Problem(message, self.source, line, f"hàng {self.number}, cột {column}")


def read_rows(path):
    """The rows of a ``.csv`` or ``.yaml``/``.yml`` data file."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path)
    raise VanthuError(Problem("dữ liệu trộn thư phải là tệp .csv hoặc .yaml", str(path)))


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


def merge(form_path, data_path, reader):
    """One checked record per row, or that row's VanthuError in its place."""
    node = form_node(form_path)
    template = reader.library.get(str(node.get("type")))  # a bad type fails the whole merge
    rows = read_rows(data_path)
    if not rows:
        raise VanthuError(Problem("tệp dữ liệu không có hàng nào", str(data_path), 1))
    _check_columns(rows[0], template)
    return [_record(node, row, template.is_form, reader, str(form_path)) for row in rows]


def _check_columns(row, template):
    unknown = [c for c in row.values if c.split(".")[0] not in template.fields]
    if unknown:
        raise VanthuError(Problem(f"cột {', '.join(unknown)} không phải trường của mẫu {template.name}; "
                                  f"các trường: {', '.join(template.fields)}", row.source, 1))


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
