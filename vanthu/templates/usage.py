"""Which names a template uses, and which of them the generator provides (trường dùng trong mẫu).

A template never sees the record itself: it sees the context the generator
builds from it (``vanthu.generator.context``). Rather than keep a second list
of that context's keys here, we ask the generator: a sample record is filled
with every declared field, then each field is changed in turn, and the context
keys whose value changes are the ones that field feeds. New document types
and new context keys are so covered without touching this module.

Keys are *paths*: ``issuer``, ``place_date``, or ``f.phone`` for a form field.
"""
import datetime as dt
from dataclasses import dataclass

from jinja2 import meta, nodes
from markupsafe import Markup

_BODY_A = "Điều 1. Đoạn A **đậm**.\nI. Mục A\nPhần I\n| Cột A | Cột B |\n|---|---|\n| 1 | 2 |"
# Two clean values per field type, as the record checker would return them.
_SAMPLES = {
    "text": ("Mẫu A", "Mẫu B"), "code": ("MA", "MB"), "phone": ("0912 345 678", "0987 654 321"),
    "email": ("a@mau.gov.vn", "b@mau.gov.vn"), "block": (_BODY_A, "Đoạn B."), "number": (12, 34),
    "date": (dt.date(2020, 8, 6), dt.date(2021, 9, 17)),
    "list": (["Nơi A"], ["Nơi B", "Nơi C"]), "bases": (["Căn cứ A"], ["Căn cứ B", "Căn cứ C"]),
    "issuer": ({"parent": "Chủ quản A", "name": "Cơ quan A", "code": "CQA"},
               {"parent": "Chủ quản B", "name": "Cơ quan B", "code": "CQB"}),
    "signer": ({"authority": ["KT. GIÁM ĐỐC A"], "title": "Phó giám đốc A", "name": "Người A"},
               {"authority": ["TM. ỦY BAN B", "KT. CHỦ TỊCH B"], "title": "Phó chủ tịch B", "name": "Người B"}),
    "table": ([["Cột A", "Cột B"], ["1", "2"]], [["Cột C"], ["3"]]),
}
_NOT_IN_CONTEXT = ("records",)  # attachments: the renderer places them, the template does not


@dataclass(frozen=True)
class Provision:
    """What the generator gives a template of one schema (ngữ cảnh mẫu).

    ``values``: every context path and its sample value; ``fed``: for each
    declared field, the paths its value flows into; ``markup``: the paths that
    hold WordprocessingML made by vanthu (``body``, ``marks``...).
    """

    values: dict
    fed: dict

    @property
    def markup(self):
        return {path for path, value in self.values.items() if isinstance(value, Markup)}


def _samples(field):
    if field.type == "choice" and field.choices:
        return field.choices[0], (field.choices[1] if len(field.choices) > 1 else None)
    return _SAMPLES.get(field.type, _SAMPLES["text"])


def _paths(context):
    """Flatten a context one level: ``f`` and ``f.phone`` for a form's field map."""
    flat = {}
    for key, value in context.items():
        flat[key] = value
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
    return flat


def provision(template):
    """The context paths of ``template`` and the fields feeding each, found by changing each field."""
    from ..generator.context import context_of
    from ..generator.records import Record
    fields = {name: f for name, f in template.fields.items() if f.type not in _NOT_IN_CONTEXT}
    base = {name: _samples(f)[0] for name, f in fields.items()}
    values = _paths(context_of(Record(template, base)))
    fed = {}
    for name, f in fields.items():
        changed = _paths(context_of(Record(template, {**base, name: _samples(f)[1]})))
        fed[name] = {path for path in values.keys() | changed.keys() if values.get(path) != changed.get(path)}
    return Provision(values, fed)


def used_paths(ast, environment):
    """The context paths a parsed template reads: names, and ``name.attr`` for attribute access."""
    free = meta.find_undeclared_variables(ast) - set(environment.globals)
    used, consumed = set(), set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        key = _attribute(node)
        if isinstance(node.node, nodes.Name) and node.node.name in free and key:
            used.add(f"{node.node.name}.{key}")
            consumed.add(id(node.node))
    used |= {n.name for n in ast.find_all(nodes.Name)
             if n.ctx == "load" and n.name in free and id(n) not in consumed}
    return used


def _attribute(node):
    if isinstance(node, nodes.Getattr):
        return node.attr
    return node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None


def unused_fields(used, provision):
    """Declared fields that feed the context, none of whose paths the template reads."""
    return [name for name, paths in provision.fed.items()
            if paths and not (paths & used) and not _whole_map_used(paths, used)]


def _whole_map_used(paths, used):
    return any(path.split(".")[0] in used for path in paths if "." in path)
