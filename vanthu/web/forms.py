"""A template's schema as an HTML form, and the form's answers as a record (biểu mẫu soạn thảo).

One input per record key, named as the key (``subject``, ``issuer.name``,
``signer.title``); lists are textareas, one item a line; dates are typed
dd/mm/yyyy; choices are selects. The answers become the same record data a
YAML file holds, and are checked by the core (the CLI's messages, beside the
field they are about).
"""
import datetime as _dt
import re
from dataclasses import dataclass, field

from ..errors import VanthuError
from ..generator.records import FIELD_PARTS
from ..vndate import parse_day, short_date

LIST_TYPES = ("list", "bases", "lines", "recipients")
_DMY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")
_GROUP_HEAD = re.compile(r"^(?P<label>[^:\[\]]+):\s*(?:\[(?P<items>.*)\])?$")  # "Bản điện tử:" or "Bản điện tử: [A, B]"
_DASH = re.compile(r"^[-+•]\s*")
RECIPIENTS_HELP = ("mỗi dòng một nơi nhận; một nhóm (ví dụ Bản điện tử): dòng 'Bản điện tử:' rồi mỗi nơi một dòng "
                   "bắt đầu bằng '- '")
MAX_APPENDICES = 50
APPENDIX_HELP = "bỏ trống nếu không có; nhiều phụ lục: bấm \"Thêm phụ lục\""


@dataclass
class Input:
    """One input of the form (ô nhập): its name, label, widget, help, choices, value, error."""

    name: str
    label: str
    widget: str            # text, number, date, select, textarea, lines, checkboxes
    required: bool = False
    help: str = ""
    choices: tuple = ()
    value: object = ""
    rows: int = 3
    error: str = ""


@dataclass
class Group:
    """Inputs that make one field (issuer, signer, a table, …)."""

    name: str
    label: str
    help: str
    inputs: list = field(default_factory=list)
    required: bool = False
    number: int = None     # the appendix's place (1, 2, …), for its "Bỏ" button

    @property
    def error(self):
        return ""


def _simple(f, value):
    widget = {"block": "textarea", "number": "number", "date": "date", "choice": "select", "table": "lines"}.get(
        f.type, "lines" if f.type in LIST_TYPES else "text")
    help_text = f.help
    if f.type == "table":
        help_text = f"mỗi dòng một hàng, các ô cách nhau bằng dấu | theo thứ tự: {' | '.join(l for _, l in f.columns)}"
    elif f.type == "recipients":
        help_text = RECIPIENTS_HELP
    elif widget == "lines":
        help_text = "mỗi dòng một mục" + (f"; {f.help}" if f.help else "")
    elif widget == "date":
        help_text = "ngày/tháng/năm, ví dụ 06/8/2020" + ("; bỏ trống thì lấy ngày ban hành" if f.name == "date" else "")
    return Input(f.name, f.label, widget, f.required, help_text, f.choices, value,
                 12 if f.type == "block" else 4)


def build(template, values, forms=()):
    """The form of ``template`` filled with ``values`` (form strings by input name)."""
    items = []
    for f in template.fields.values():
        if f.type in FIELD_PARTS:
            items.append(_group(f.name, f.label, "", f.type, values, f.required))  # each part has its own label
        elif f.type == "appendices":
            items.extend(_appendices(f.label, values))
        elif f.type == "records":
            choices = tuple((t.name, t.title) for t in forms)
            items.append(Input(f.name, f.label, "checkboxes", False, "biểu mẫu gửi kèm (in trống, sau văn bản)",
                               choices, values.get(f.name, [])))
        else:
            items.append(_simple(f, values.get(f.name, "")))
    return items


def _appendices(label, values):
    """One group per appendix (phụ lục), at least one (left empty when there is none)."""
    count = appendix_count(values)
    return [_group(f"appendices.{n}", f"{label} {n}" if count > 1 else label, APPENDIX_HELP if n == count else "",
                   "appendix", values, number=n) for n in range(1, count + 1)]


def appendix_count(values):
    """How many appendices the form shows: those typed (``appendices.N.…``), at least one, at most MAX_APPENDICES."""
    numbers = [_int(m.group(1)) for k in values if (m := re.match(r"^appendices\.(\d+)\.", k))]
    return max([1, *numbers, _int(values.get("appendices.count"))])


def _int(text):
    """A small count typed in the form (a hostile ``appendices.99999.title`` counts as nothing)."""
    return int(text) if str(text or "").isdigit() and int(text) <= MAX_APPENDICES else 0


def with_appendix(values):
    """The form's values with one more (empty) appendix: "Thêm phụ lục"."""
    return {**values, "appendices.count": str(min(MAX_APPENDICES, appendix_count(values) + 1))}


def without_appendix(values, number):
    """The form's values with appendix ``number`` taken out and those after it moved up: "Bỏ phụ lục N"."""
    count, number = appendix_count(values), _int(number)
    if not 1 <= number <= count:
        return values
    kept = {}
    for key, value in values.items():
        m = re.match(r"^appendices\.(\d+)\.(.+)$", key)
        if not m:
            kept[key] = value
        elif (n := int(m.group(1))) != number:
            kept[f"appendices.{n - 1 if n > number else n}.{m.group(2)}"] = value
    kept["appendices.count"] = str(max(1, count - 1))
    return kept


def _group(name, label, help_text, kind, values, required=False, number=None):
    group = Group(name, label, help_text, required=required, number=number)
    for key, (_check, need, sub_label) in FIELD_PARTS[kind].items():
        widget = "lines" if key == "authority" else ("textarea" if key == "body" else "text")
        widget = "checkbox" if _check.__name__ == "flag" else widget
        group.inputs.append(Input(f"{name}.{key}", sub_label[:1].upper() + sub_label[1:], widget, need and required,
                                  "mỗi dòng một cấp, ví dụ KT. GIÁM ĐỐC rồi PHÓ GIÁM ĐỐC" if key == "authority" else "",
                                  value=values.get(f"{name}.{key}", ""), rows=8 if key == "body" else 2))
    return group


def inputs(items):
    for item in items:
        yield from (item.inputs if isinstance(item, Group) else [item])


# --- answers -> record data ---------------------------------------------------

def record_data(template, form, previous=None):
    """The record (as YAML data) from the form's answers; ``previous``: the draft's data, to keep filled attachments."""
    values = {}
    for f in template.fields.values():
        value = _answer(f, form, previous or {})
        if value not in (None, "", [], {}):
            values[f.name] = value
    if template.is_form:
        return {"type": template.name, "fields": values}
    return {"type": template.name, **values}


def _text(form, name):
    return str(form.get(name, "") or "").replace("\r\n", "\n").strip()


def _lines(text):
    return [line.strip() for line in text.split("\n") if line.strip()]


def _answer(f, form, previous):
    if f.type in FIELD_PARTS:
        return _parts(f.name, f.type, form)
    if f.type == "appendices":
        found = [_parts(f"appendices.{n}", "appendix", form) for n in range(1, appendix_count(form) + 1)]
        return [one for one in found if one]
    if f.type == "records":
        return _attachments(form.getlist(f.name) if hasattr(form, "getlist") else form.get(f.name, []), previous)
    text = _text(form, f.name)
    if f.type == "recipients":
        return recipient_items(text)
    if f.type in LIST_TYPES:
        return _lines(text)
    if f.type == "table":
        return [_row(f.columns, line) for line in _lines(text)]
    if f.type == "number":
        return int(text) if text.isdigit() else text
    if f.type == "date":
        return iso_date(text)
    return text


def recipient_items(text):
    """Nơi nhận from the textarea: plain lines, and groups ``{"Bản điện tử": [...]}`` as the record writes them.

    A group is a line ``Bản điện tử:`` followed by its places, each on a line starting with ``-``;
    ``Bản điện tử: [A, B]`` on one line (the record's help) is read the same. The printed dash is dropped.
    """
    items, group = [], None
    for line in _lines(text):
        head = _GROUP_HEAD.match(line)
        if group is not None and _DASH.match(line):
            group.append(_DASH.sub("", line))
        elif head and head.group("items") is not None:
            items.append({head.group("label").strip(): [i.strip() for i in head.group("items").split(",") if i.strip()]})
            group = None
        elif head and line.endswith(":"):
            group = []
            items.append({head.group("label").strip(): group})
        else:
            items.append(_DASH.sub("", line))
            group = None
    return [f"{next(iter(i))}:" if isinstance(i, dict) and not next(iter(i.values())) else i for i in items]


def _parts(name, kind, form):
    found = {}
    for key in FIELD_PARTS[kind]:
        if key == "separate":  # a check box: ticked or not there
            if form.get(f"{name}.{key}"):
                found[key] = True
            continue
        text = _text(form, f"{name}.{key}")
        if text:
            lines = _lines(text)
            found[key] = lines if key == "authority" and len(lines) > 1 else (text if key == "body" else " ".join(lines))
    return found


def _attachments(names, previous):
    kept = {a.get("type"): a for a in previous.get("attachments") or [] if isinstance(a, dict)}
    return [kept.get(name) or {"type": name, "fields": {}} for name in dict.fromkeys(names) if name]


def _row(columns, line):
    cells = [c.strip() for c in line.split("|")]
    return {name: cell for (name, _), cell in zip(columns, cells) if cell}


def iso_date(text):
    """``06/8/2020`` -> ``2020-08-06``; anything else is left for the core's message."""
    m = _DMY.match(text)
    if m:
        day, month, year = map(int, m.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


# --- record data -> answers (to edit a draft, or start from the office defaults) ------------

def answers(template, data):
    """Form strings by input name, from record data."""
    values = (data.get("fields") or {}) if template.is_form else data
    out = {}
    for f in template.fields.values():
        raw = values.get(f.name)
        if raw in (None, "", [], {}):
            continue
        if f.type in FIELD_PARTS and isinstance(raw, dict):
            out.update({f"{f.name}.{k}": _shown(v) for k, v in raw.items()})
        elif f.type == "appendices" and isinstance(raw, list):
            for n, one in enumerate((a for a in raw if isinstance(a, dict)), 1):
                out.update({f"appendices.{n}.{k}": "1" if v is True else _shown(v) for k, v in one.items()})
        elif f.type == "records":
            out[f.name] = [a.get("type") for a in raw if isinstance(a, dict)]
        elif f.type == "table" and isinstance(raw, list):
            out[f.name] = "\n".join(" | ".join(str(r.get(n, "")) for n, _ in f.columns) for r in raw if isinstance(r, dict))
        else:
            out[f.name] = _shown(raw, f.type)
    return out


def _shown(value, kind=""):
    if isinstance(value, list):
        return "\n".join(_group_line(v) for v in value)
    if kind == "date" or isinstance(value, _dt.date):
        try:
            return short_date(parse_day(value))
        except VanthuError:
            return str(value)
    return str(value)


def _group_line(item):
    if isinstance(item, dict):  # a Nơi nhận group: its name, then its places as the printout shows them
        return "\n".join(f"{label}:\n" + "\n".join(f"- {v}" for v in (places if isinstance(places, list) else [places]))
                         for label, places in item.items())
    return str(item)


# --- problems -> beside their inputs ---------------------------------------

def place_errors(items, problems):
    """Put each problem's message beside its input; returns the messages that fit no input."""
    by_name = {i.name: i for i in inputs(items)}
    groups = {g.name: g for g in items if isinstance(g, Group)}
    left = []
    for problem in problems:
        target = _target(problem.key, by_name, groups)
        if target is None:
            left.append(f"{problem.key}: {problem.message}" if problem.key else problem.message)
        else:
            target.error = f"{target.error}; {problem.message}" if target.error else problem.message
    return left


def _target(key, by_name, groups):
    key = re.sub(r"^(?:fields\.)?appendices\[(\d+)\]", r"appendices.\1", key or "")  # each appendix its own group
    key = re.sub(r"\[\d+\]", "", key)
    key = key[len("fields."):] if key.startswith("fields.") else key
    while key:
        if key in by_name:
            return by_name[key]
        if key in groups:
            return groups[key].inputs[0] if groups[key].inputs else None
        key = key.rpartition(".")[0]
    return None
