"""Which names a template uses, and which of them the generator provides (trường dùng trong mẫu).

A template never sees the record itself: it sees the context the generator
builds from it (``vanthu.generator.context``). Rather than keep a second list
of that context's keys here, we ask the generator: a sample record is filled
with every declared field, then each field is changed in turn, and the context
keys whose value changes are the ones that field feeds. New document types
and new context keys are so covered without touching this module.

Keys are *paths*: ``issuer``, ``place_date``, or ``f.phone`` for a form field.
"""
import re
from dataclasses import dataclass

from jinja2 import meta, nodes
from markupsafe import Markup

from ..errors import VanthuError
from .context import context_of
from .records import RecordReader

_BODY_A = "Điều 1. Đoạn A **đậm**.\nI. Mục A\nPhần I\n| Cột A | Cột B |\n|---|---|\n| 1 | 2 |"
_TEXT = ("Mẫu A", "Mẫu B")
_LIST = (["Nơi A"], ["Nơi B", "Nơi C"])
# Two raw values per field type, as a clerk would write them; the record checker
# cleans them, so the context code gets exactly the shapes it expects.
_SAMPLES = {
    "text": [_TEXT], "code": [("MA", "MB")], "phone": [("0912 345 678", "0987 654 321")],
    "email": [("a@mau.gov.vn", "b@mau.gov.vn")], "block": [(_BODY_A, "Đoạn B.")], "number": [(12, 34)],
    "date": [("2020-08-06", "2021-09-17")], "list": [_LIST], "bases": [_LIST], "recipients": [_LIST],
    "issuer": [({"parent": "Chủ quản A", "name": "Cơ quan A", "code": "CQA"},
                {"parent": "Chủ quản B", "name": "Cơ quan B", "code": "CQB"})],
    "signer": [({"authority": "KT. GIÁM ĐỐC A", "title": "Phó giám đốc A", "name": "Người A"},
                {"authority": ["TM. ỦY BAN B", "KT. CHỦ TỊCH B"], "title": "Phó chủ tịch B", "name": "Người B"})],
    "meeting": [({"event": "Họp A", "chair": "Chủ trì A", "time": "8 giờ A", "venue": "Phòng A"},
                 {"event": "Họp B", "chair": "Chủ trì B", "time": "9 giờ B", "venue": "Phòng B"})],
    "appendices": [([{"title": "Phụ lục A", "body": "Nội dung A."}],
                    [{"label": "Phụ lục II", "title": "Phụ lục B", "reference": "Kèm theo B", "body": "Nội dung B."}])],
    "lines": [(["Dòng A"], ["Dòng B", "Dòng C"])],
}
# Types added later: try text, then a list, then leave the field out (if it may be left out).
_FALLBACK = [_TEXT, _LIST, (None, None)]
_NOT_IN_CONTEXT = ("records",)  # attachments: the renderer places them, the template does not


@dataclass(frozen=True)
class Provision:
    """What the generator gives a template of one schema (ngữ cảnh mẫu).

    ``values``: every context path and its sample value; ``fed``: for each
    declared field, the paths its value flows into.
    """

    values: dict
    fed: dict

    @property
    def markup(self):
        """Paths holding WordprocessingML made by vanthu (``body``, ``marks``...)."""
        return {path for path, value in self.values.items() if isinstance(value, Markup)}


class _OneTemplate:
    """A library of one template, for the record checker."""

    def __init__(self, template):
        self.template = template

    def get(self, name):
        return self.template


class _Sampler:
    """Fills a template's fields with sample values the record checker accepts."""

    def __init__(self, template):
        self.template, self.reader = template, RecordReader(_OneTemplate(template))
        self.fields = {n: f for n, f in template.fields.items() if f.type not in _NOT_IN_CONTEXT}
        self.pairs = {n: self._candidates(f)[0] for n, f in self.fields.items()}
        self._settle()

    def _candidates(self, field):
        if field.type == "choice" and field.choices:
            return [(field.choices[0], field.choices[-1])]
        if field.type == "table":  # rows by column name
            row = lambda text: {name: text for name, _ in field.columns}  # noqa: E731
            return [([row("Ô A")], [row("Ô B"), row("Ô C")])]
        return _SAMPLES.get(field.type, _FALLBACK)

    def _settle(self):
        """Swap in the next candidate for every field the checker refuses, until all pass."""
        for _ in range(len(_FALLBACK)):
            refused = self._refused({n: pair[0] for n, pair in self.pairs.items()})
            if not refused:
                return
            for name in refused:
                options = self._candidates(self.fields[name])
                self.pairs[name] = options[min(options.index(self.pairs[name]) + 1, len(options) - 1)]
        self.record({n: pair[0] for n, pair in self.pairs.items()})  # still refused: say why

    def _refused(self, values):
        try:
            self.record(values)
            return set()
        except VanthuError as error:
            # keys read fields.phone, signer.name, appendices[1].title: the field is the first name
            names = {re.match(r"[^.\[]*", p.key.removeprefix("fields.")).group() for p in error.problems}
            return names & set(self.fields)

    def record(self, values):
        values = {n: v for n, v in values.items() if v is not None}
        node = {"type": self.template.name, **({"fields": values} if self.template.is_form else values)}
        return self.reader.read(node, str(self.template.schema_path))

    def variant(self, name=None):
        """The sample record, with field ``name`` given its second value."""
        values = {n: pair[0] for n, pair in self.pairs.items()}
        if name:
            values[name] = self.pairs[name][1]
        return self.record(values)


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
    sampler = _Sampler(template)
    values = _paths(context_of(sampler.variant()))
    fed = {}
    for name in sampler.fields:
        changed = _paths(context_of(sampler.variant(name)))
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
    return [name for name, paths in provision.fed.items() if paths and not paths & used]
