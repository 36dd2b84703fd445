"""A template's schema (lược đồ mẫu): the fields it declares, read from YAML."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import yamlfile
from ..errors import Problem, VanthuError

FIELD_TYPES = ("text", "block", "code", "number", "date", "choice", "list", "issuer",
               "signer", "records", "phone", "email", "bases", "table", "recipients",
               "meeting", "appendices", "lines")
KINDS = ("document", "form")


@dataclass(frozen=True)
class Field:
    """One declared field (trường): name, Vietnamese label, type, required, help."""

    name: str
    label: str
    type: str = "text"
    required: bool = False
    help: str = ""
    choices: tuple = ()
    fill: int = 0  # forms: length of the dotted fill line printed when the field is left out
    upper: bool = False     # forms: printed in capitals (chữ in hoa)
    blank_year: str = ""    # forms, dates: the year printed when the date is left out (one intake's form)
    columns: tuple = ()     # tables: ((name, label), ...) in order (các cột)
    blank_rows: int = 0     # tables: empty rows printed when the field is left out (số dòng trống)
    row_labels: tuple = ()  # tables: first cells of the rows printed when left out (nhãn dòng)


@dataclass
class Template:
    """A template (mẫu văn bản): its schema, and the DOCX that lays it out."""

    name: str
    title: str
    kind: str
    schema_path: Path
    fields: dict = field(default_factory=dict)
    type_code: Optional[str] = None  # viết tắt tên loại: QĐ, TB, TTr; None for công văn
    model: str = ""                  # mẫu số in Phụ lục III, e.g. "1.5"
    heading: str = ""                # tên loại printed on top: QUYẾT ĐỊNH
    decides: str = ""                # the word before the articles: QUYẾT ĐỊNH:
    layout: str = ""                 # the .docx it fills, when shared with other types
    layout_path: Optional[Path] = None  # where the library found ``layout`` (a clerk's copy wins)

    @property
    def docx_path(self):
        """The DOCX it fills: the library's ``layout`` file if named, else ``NAME.docx`` beside the schema."""
        if self.layout:
            return self.layout_path or self.schema_path.with_name(self.layout)
        return self.schema_path.with_suffix(".docx")

    @property
    def is_form(self):
        return self.kind == "form"


def _problem(path, node, key, message):
    return Problem(message, str(path), yamlfile.line_of(node, key), key)


def _field(path, node, index, problems):
    if not isinstance(node, dict) or not node.get("name") or not node.get("label"):
        problems.append(_problem(path, node, None, f"fields[{index}]: cần có name và label"))
        return None
    kind = str(node.get("type", "text"))
    if kind not in FIELD_TYPES:
        problems.append(_problem(path, node, "type", f"kiểu '{kind}' không có; dùng: {', '.join(FIELD_TYPES)}"))
    return Field(str(node["name"]), str(node["label"]), kind, bool(node.get("required", False)),
                 str(node.get("help", "")), tuple(str(c) for c in node.get("choices") or ()), int(node.get("fill", 0)),
                 **_form_attributes(path, node, kind, problems))


def _form_attributes(path, node, kind, problems):
    """The attributes only forms use: capitals, a blank date's year, a table's columns and rows."""
    attributes = {"upper": bool(node.get("upper", False)), "blank_year": str(node.get("blank_year") or ""),
                  "blank_rows": int(node.get("blank_rows") or 0),
                  "row_labels": tuple(str(label) for label in node.get("row_labels") or ())}
    if kind == "table":
        attributes["columns"] = _columns(path, node, problems)
    return attributes


def _columns(path, node, problems):
    columns = node.get("columns")
    if not isinstance(columns, list) or not columns or not all(
            isinstance(c, dict) and c.get("name") and c.get("label") for c in columns):
        problems.append(_problem(path, node, "columns" if "columns" in node else "type",
                                 "kiểu table cần columns: danh sách {name: ..., label: ...}"))
        return ()
    return tuple((str(c["name"]), str(c["label"])) for c in columns)


def load_schema(path, base_fields):
    """Read ``NAME.yaml``; ``base_fields(name, path)`` resolves ``extends``."""
    data = yamlfile.load(path)
    if not isinstance(data, dict):
        raise VanthuError(Problem("lược đồ mẫu phải là một bảng khóa: giá trị", str(path), 1))
    problems = []
    fields = dict(base_fields(str(data["extends"]), path)) if data.get("extends") else {}
    for index, node in enumerate(data.get("fields") or []):
        f = _field(path, node, index, problems)
        if f:
            fields[f.name] = f
    kind = str(data.get("kind", "document"))
    if kind not in KINDS:
        problems.append(_problem(path, data, "kind", f"kind phải là {' hoặc '.join(KINDS)}"))
    VanthuError.collect(problems)
    return Template(str(data.get("name") or Path(path).stem), str(data.get("title", Path(path).stem)), kind,
                    Path(path), fields, data.get("type_code"), str(data.get("model", "")), str(data.get("heading", "")),
                    str(data.get("decides", "")), str(data.get("layout", "")))
