"""Records (bản ghi): the YAML a clerk writes, read and checked against a template.

:func:`load` returns validated :class:`Record` objects or raises one
:class:`VanthuError` listing every problem as ``file:line: key: message``.
"""
import difflib
from dataclasses import dataclass, field, replace

from .. import yamlfile
from ..docnumber import DocumentNumber, make_symbol
from ..errors import Problem, VanthuError
from ..templates import TemplateLibrary
from ..vndate import VietnameseDate
from . import validate as v

_SIMPLE = {"text": v.text, "block": v.block, "code": v.code, "number": v.number, "date": v.date,
           "list": v.text_list, "phone": v.phone, "email": v.email, "bases": v.text_list,
           "recipients": v.recipient_groups, "lines": v.lines}
FIELD_PARTS = {  # the sub-keys of mapping-valued fields: name -> (checker, required, label)
    "issuer": {"parent": (v.text, False, "tên cơ quan chủ quản"), "name": (v.text, True, "tên cơ quan ban hành"),
               "code": (v.issuer_code, True, "viết tắt tên cơ quan")},
    "signer": {"authority": (v.authority, False, "quyền hạn ký"), "title": (v.text, True, "chức vụ người ký"),
               "name": (v.text, True, "họ tên người ký")},
    "meeting": {"event": (v.text, True, "tên cuộc họp (tới dự)"), "chair": (v.text, False, "người chủ trì"),
                "time": (v.text, True, "thời gian"), "venue": (v.text, True, "địa điểm")},
    "appendix": {"label": (v.text, False, "số phụ lục"), "title": (v.text, True, "tên phụ lục"),
                 "subject": (v.text, False, "trích yếu phụ lục"), "reference": (v.text, False, "dòng kèm theo"),
                 "body": (v.block, True, "nội dung phụ lục"), "separate": (v.flag, False, "tệp riêng (mẫu 2.2)")},
}


@dataclass
class Record:
    """A checked record (bản ghi hợp lệ): its template, clean values and origin."""

    template: object
    values: dict
    source: str = ""
    line: int = 1
    attachments: list = field(default_factory=list)

    def get(self, key, default=None):
        return self.values.get(key, default)

    @property
    def name(self):
        """Where it came from, for messages: ``file:line``."""
        return f"{self.source}:{self.line}"

    @property
    def issuer(self):
        return self.values.get("issuer") or {}

    @property
    def symbol(self):
        """Ký hiệu: ``SYT-VP``, ``QĐ-UBND``."""
        return make_symbol(self.issuer.get("code", ""), self.template.type_code, self.values.get("unit"))

    @property
    def number(self):
        """Số, ký hiệu (a draft has no number yet)."""
        return DocumentNumber(self.values.get("number"), self.symbol)

    @property
    def date(self):
        return self.values.get("date")

    @property
    def title(self):
        """Tên loại và trích yếu: ``Công văn V/v ...``, ``Quyết định Về việc ...``."""
        subject = self.values.get("subject", "")
        if self.template.type_code is None and not self.template.is_form:
            subject = f"V/v {subject}"
        return f"{self.template.title} {subject}".strip()

    def issued(self, number, date):
        """The same record with its number and date (khi ban hành)."""
        return replace(self, values={**self.values, "number": number, "date": VietnameseDate.of(date)})


class RecordReader:
    """Reads and checks records against a template library (thư viện mẫu)."""

    def __init__(self, library=None):
        self.library = library or TemplateLibrary()

    def load(self, path):
        """Every record of a file (one record, or a list of records); all must be good."""
        results = self.load_each(path)
        VanthuError.collect([p for r in results if isinstance(r, VanthuError) for p in r.problems])
        return results

    def load_each(self, path):
        """Like :meth:`load`, but a bad record gives its VanthuError in its place."""
        data = yamlfile.load(path)
        nodes = data if isinstance(data, list) else [data]
        if not nodes:
            raise VanthuError(Problem("tệp không có bản ghi nào", str(path), 1))
        return [self._attempt(node, str(path)) for node in nodes]

    def _attempt(self, node, source):
        try:
            return self.read(node, source)
        except VanthuError as error:
            return error

    def read(self, node, source):
        """Check one parsed record node; raise every problem at once."""
        problems = []
        record = _Checker(self, source, problems).record(node)
        VanthuError.collect(sorted(problems, key=lambda p: p.line))
        return record


class _Checker:
    """Walks one record node, collecting problems instead of stopping at the first."""

    def __init__(self, reader, source, problems):
        self.reader, self.source, self.problems = reader, source, problems

    def problem(self, node, key, message, label=None):
        self.problems.append(Problem(message, self.source, yamlfile.line_of(node, key), label or str(key or "")))

    def record(self, node):
        if not isinstance(node, dict):
            self.problem(node, None, f"một bản ghi phải là bảng khóa: giá trị, không phải {v.kind_of(node)}", "type")
            return None
        template = self.template(node)
        if template is None:
            return None
        values = self.form_values(node, template) if template.is_form else self.values(node, node, template, "")
        attachments = [self.record(n) for n in node.get("attachments") or []] if not template.is_form else []
        return Record(template, values, self.source, yamlfile.line_of(node), [a for a in attachments if a])

    def template(self, node):
        name = node.get("type")
        if not name:
            self.problem(node, None, "thiếu khóa type (tên mẫu, ví dụ cong-van)", "type")
            return None
        try:
            return self.reader.library.get(str(name))
        except VanthuError as error:
            self.problem(node, "type", error.problems[0].message, "type")
            return None

    def form_values(self, node, template):
        self.unknown(node, {"type", "fields"}, "")
        fields = node.get("fields") or {}
        if not isinstance(fields, dict):
            self.problem(node, "fields", "fields phải là bảng khóa: giá trị", "fields")
            return {}
        return self.values(fields, node, template, "fields.")

    def values(self, mapping, parent, template, prefix):
        known = set(template.fields) | ({"type"} if not prefix else set())
        self.unknown(mapping, known, prefix)
        clean = {}
        for name, declared in template.fields.items():
            if mapping.get(name) in (None, "", [], {}):
                if declared.required:
                    where, key = (mapping, name) if name in mapping else (mapping or parent, None)
                    self.problem(where, key, f"thiếu {declared.label.lower()} (bắt buộc)", prefix + name)
                continue
            if declared.type != "records":
                value = self.value(mapping, name, declared, prefix + name)
                if value is not None:
                    clean[name] = value
        return clean

    def unknown(self, mapping, known, prefix):
        for key in mapping:
            if key not in known and key != "attachments":
                hint = difflib.get_close_matches(str(key), sorted(known), 1)
                more = f"; có phải '{hint[0]}'?" if hint else ""
                self.problem(mapping, key, f"khóa không có trong mẫu{more}", prefix + str(key))

    def value(self, mapping, name, declared, label):
        raw = mapping[name]
        try:
            if declared.type == "table":
                return self.table(raw, declared.columns, label)
            if declared.type in FIELD_PARTS:
                return self.parts(raw, declared.type, label)
            if declared.type == "appendices":
                return [self.parts(item, "appendix", f"{label}[{i + 1}]") for i, item in enumerate(v.listed(raw))]
            if declared.type == "choice":
                return v.choice(raw, declared.choices)
            return _SIMPLE[declared.type](raw)
        except v.Invalid as error:
            self.problem(mapping, name, str(error), label + (f".{error.key}" if error.key else ""))
            return None

    def parts(self, raw, kind, label):
        if not isinstance(raw, dict):
            raise v.Invalid(f"cần các khóa {', '.join(FIELD_PARTS[kind])}, không phải {v.kind_of(raw)}")
        self.unknown(raw, set(FIELD_PARTS[kind]), label + ".")
        clean = {}
        for key, (check, required, name) in FIELD_PARTS[kind].items():
            if raw.get(key) in (None, "", []):
                if required:
                    self.problem(raw, key if key in raw else None, f"thiếu {name} (bắt buộc)", f"{label}.{key}")
                continue
            try:
                clean[key] = check(raw[key])
            except v.Invalid as error:
                self.problem(raw, key, str(error), f"{label}.{key}")
        return clean

    def table(self, raw, columns, label):
        """A form's table: rows by column name; a column left out of a row prints empty."""
        names, clean = [name for name, _ in columns], []
        for index, row in enumerate(v.table_rows(raw)):
            where = f"{label}[{index + 1}]"
            self.unknown(row, set(names), where + ".")
            clean.append({name: self.cell(row, name, f"{where}.{name}") for name in names
                          if row.get(name) not in (None, "")})
        return clean

    def cell(self, row, name, label):
        try:
            return v.table_cell(row[name])
        except v.Invalid as error:
            self.problem(row, name, str(error), label)
            return ""


def load(path, library=None):
    """Checked records of one YAML file (a record or a list of records)."""
    return RecordReader(library).load(path)
