"""Checking a clerk's own template (kiểm tra mẫu): ``vanthu templates check FILE.docx``.

A template made in Word fails in ways a clerk cannot see: a tag split across
runs, a field name mistyped, a block never closed. :func:`lint` finds them
before a render does, and each :class:`Finding` says where (part, paragraph,
a few words of it) and how to fix it.
"""
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.nodes

from .. import yamlfile
from ..errors import Problem, VanthuError
from ..templates import BUILTIN_DIR, TemplateLibrary, wordparts
from ..templates.schema import load_schema
from . import usage

STYLES = "word/styles.xml"
DOCXTPL_PREFIXES = {"%": ("p", "tr", "tc", "r"), "{": ("p", "tr", "tc", "r"), "#": ("p", "tr", "tc")}
JINJA_TAGS = {"for", "if", "elif", "else", "set", "with", "macro", "call", "filter", "block", "raw", "include",
              "import", "from", "extends", "autoescape", "print", "do", "colspan", "cellbg", "vm", "hm"}
_OPENERS = ("for", "if", "with", "macro", "call", "filter", "block", "raw", "autoescape")
_ENV = jinja2.Environment(autoescape=True)  # as the generator's, for parsing only
_FORM = re.compile(r"\{([{%#])([A-Za-z]+)\s+([A-Za-z_]\w*)")
_OPERATORS = ("if", "else", "and", "or", "not", "in", "is")
_PRINT_MARKUP = re.compile(r"^\{\{(p|r|tr|tc)\s+(.*?)\s*\}\}$", re.S)
_BLOCK = re.compile(r"^\{%-?\s*(?:(?:p|tr|tc|r)\s+)?(\w+)")
_STYLE_REF = re.compile(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"')


@dataclass(frozen=True)
class Finding:
    """One fault of a template (lỗi mẫu): where it is, what it is, how to fix it."""

    what: str
    fix: str
    where: str = ""   # "thân văn bản (word/document.xml), đoạn 12 «...»"; empty for the whole file
    file: str = ""    # the schema file, when the fault is there
    line: int = 0

    def problem(self, docx_path):
        """The finding as a :class:`Problem` for the command line."""
        message = ": ".join(filter(None, [self.where, self.what])) + f". Cách sửa: {self.fix}"
        return Problem(message, self.file or str(docx_path), self.line)


def lint(docx_path, schema_path=None):
    """Every fault found in a template ``.docx`` and its schema.

    The schema is ``schema_path``, else ``NAME.yaml`` beside ``NAME.docx``,
    else every schema of the folder whose ``layout:`` names this file.
    """
    docx_path = Path(docx_path)
    parts = wordparts.read_parts(docx_path)
    findings = []
    templates = _templates(docx_path, schema_path, findings)
    provisions = [usage.provision(t) for t in templates] or [_fallback_provision()]
    scan = _scan(docx_path, parts, set().union(*(p.markup for p in provisions)), findings)
    for template, provision in zip(templates, provisions) if scan.complete else ():
        findings += _usage_findings(template, provision, scan.used, scan.paragraphs)
        findings += _style_findings(parts, provision, scan.used)
    return list(dict.fromkeys(findings))  # a layout shared by several schemas: say each fault once


def check_files(paths, library=None):
    """``vanthu templates check``: a summary if every template is clean, else one error listing every finding.

    A path is a ``.docx``; anything else is taken as a template name in ``library``.
    """
    problems = [f.problem(docx) for path in paths for docx, schema in [_target(path, library)]
                for f in lint(docx, schema)]
    if problems:
        raise VanthuError(*problems, f"{len(problems)} lỗi trong {len(paths)} mẫu.")
    return f"{len(paths)} mẫu: không có lỗi."


def _target(path, library):
    if Path(path).suffix.lower() == ".docx" or library is None:
        return Path(path), None
    template = library.get(str(path))
    return template.docx_path, template.schema_path


@dataclass(frozen=True)
class _Scan:
    """What reading the Word parts found: their paragraphs, the paths used, whether all parsed."""

    paragraphs: list
    used: set
    complete: bool


def _scan(docx_path, parts, markup, findings):
    paragraphs, used, complete = [], set(), True
    for name in sorted(n for n in parts if wordparts.is_templated(n)):
        found = wordparts.paragraphs(name, parts[name])
        findings += _paragraph_findings(found, markup)
        findings += _cell_findings(found, wordparts.cells(parts[name]))
        ast = _parse(docx_path, name, parts[name], found, findings)
        complete = complete and ast is not None
        used |= usage.used_paths(ast, _ENV) if ast is not None else set()
        paragraphs += found
    return _Scan(paragraphs, used, complete)


# --- the schema -------------------------------------------------------------

def _templates(docx_path, schema_path, findings):
    """The templates whose layout this is (several when a ``.docx`` is shared); findings if none or bad."""
    schemas = [Path(schema_path)] if schema_path else schemas_for(docx_path)
    if not schemas:
        findings.append(_missing_schema(docx_path))
    return [t for t in (_template(s, findings) for s in schemas) if t]


def schemas_for(docx_path):
    """``NAME.yaml`` beside ``NAME.docx``, or the schemas naming it as their ``layout:``."""
    beside = docx_path.with_suffix(".yaml")
    if beside.is_file():
        return [beside]
    return [path for path in sorted(docx_path.parent.glob("*.yaml")) if _layout_of(path) == docx_path.name]


def _layout_of(schema_path):
    try:
        data = yamlfile.load(schema_path)
    except VanthuError:
        return None  # another template's broken schema: reported when that template is checked
    return data.get("layout") if isinstance(data, dict) else None


def _missing_schema(docx_path):
    name = docx_path.with_suffix(".yaml").name
    return Finding(f"thiếu lược đồ {name} bên cạnh {docx_path.name} (và không lược đồ nào cùng thư mục có "
                   f"layout: {docx_path.name})",
                   f"tạo {name} với name, title, kind (document hoặc form) và fields; văn bản hành chính thêm "
                   f"'extends: _document' để có sẵn các trường chung (xem {BUILTIN_DIR / 'cong-van.yaml'})")


def _template(schema_path, findings):
    """The template a schema describes, or None with findings saying what is wrong with it."""
    try:
        template = TemplateLibrary([schema_path.parent]).get(schema_path.stem)
    except VanthuError as error:
        findings += [Finding(p.message, "sửa lược đồ theo thông báo (cú pháp YAML, name, label, type, kind)",
                             file=p.file or str(schema_path), line=p.line) for p in error.problems]
        return None
    if template.name != schema_path.stem:
        findings.append(Finding(
            f"name: '{template.name}' khác tên tệp '{schema_path.stem}': vanthu tìm mẫu theo tên tệp",
            f"đặt name: {schema_path.stem}, hoặc đổi tên tệp thành {template.name}.yaml",
            file=str(schema_path)))
    return template


def _fallback_provision():
    """Without a schema, judge ``{{p }}`` tags by what a generic document is given."""
    return usage.provision(load_schema(BUILTIN_DIR / "_document.yaml", lambda name, referrer: {}))


# --- paragraph by paragraph -------------------------------------------------

def _paragraph_findings(paragraphs, markup):
    findings = []
    for paragraph in paragraphs:
        for tag in paragraph.tags():
            findings += [Finding(what, fix, paragraph.where) for what, fix in _tag_faults(tag, markup)]
        findings += [Finding(what, fix, paragraph.where) for what, fix in _lonely_faults(paragraph)]
        findings += [Finding(what, fix, paragraph.where) for what, fix in _open_at_the_end(paragraph)]
    return findings


def _tag_faults(tag, markup):
    """(what, fix) for each fault of one tag; ``markup``: the paths holding vanthu's own Word XML."""
    for check in (_split, _form, _safe_filter, _autoescape_off):
        yield from check(tag)
    yield from _raw_markup(tag, markup)
    yield from _markup_in_a_paragraph(tag, markup)


def _split(tag):
    if tag.runs > 1:
        yield (f"thẻ «{tag.text}» bị tách qua {tag.runs} đoạn định dạng (run) của Word; sửa thêm trong Word "
               "dễ làm hỏng hẳn",
               "xóa cả thẻ rồi gõ lại liền một lần, cùng một định dạng (hoặc dán bằng Paste Special > Unformatted "
               "Text); đừng định dạng riêng một phần của thẻ")


def _form(tag):
    """``{%x ...%}`` or ``{{x ...}}`` with a letter group docxtpl does not know (a ``{#`` comment is harmless)."""
    m = _FORM.match(tag.text)
    if not m or m.group(2) in DOCXTPL_PREFIXES.get(m.group(1), ()):
        return
    delimiter, word, following = m.groups()
    if delimiter == "%" and (word in JINJA_TAGS or word.startswith("end")):
        return  # {%if x %}: plain Jinja written without a space
    if delimiter == "{" and (word == "not" or following in _OPERATORS):
        return  # {{a if b else c}}: an expression
    if delimiter != "#":
        yield (f"thẻ «{tag.text}»: '{{{delimiter}{word}' không phải dạng thẻ docxtpl nào",
               "docxtpl chỉ có {%p, {%tr, {%tc, {%r và {{p, {{r, {{tr, {{tc (chữ dính liền dấu ngoặc, rồi một "
               "khoảng trắng); thẻ Jinja thường để khoảng trắng sau dấu ngoặc: {{ ten_truong }}, {% if ... %}")


def _safe_filter(tag):
    if re.search(r"\|\s*safe\b", tag.text):
        yield (f"thẻ «{tag.text}» dùng bộ lọc |safe: giá trị in ra không được thoát ký tự, một dấu < hay & trong "
               "bản ghi sẽ làm hỏng tệp hoặc chèn được mã Word", "bỏ |safe; vanthu tự thoát ký tự khi in")


def _autoescape_off(tag):
    if re.match(r"\{%-?\s*autoescape\s+(?!true\s*-?%\})", tag.text):
        yield (f"thẻ «{tag.text}» tắt thoát ký tự: mọi giá trị trong khối in ra như mã Word thô",
               "xóa cặp thẻ {% autoescape ... %} / {% endautoescape %}")


def _raw_markup(tag, markup):
    """``{{p x }}`` / ``{{r x }}`` insert ``x`` as Word XML: only vanthu's own paragraphs may go there."""
    m = _PRINT_MARKUP.match(tag.text)
    if not m or m.group(2) in markup:
        return
    prefix, name = m.groups()
    allowed = (f"chỉ {', '.join(sorted(markup))} mới dùng {{{{{prefix} ...}}}}" if markup
               else f"biểu mẫu không có khóa nào dùng {{{{{prefix} ...}}}}")
    yield (f"thẻ «{tag.text}» chèn '{name}' như mã Word thô, nhưng đó không phải mã Word do vanthu tạo; "
           "kết xuất ra tệp hỏng", f"viết {{{{ {name} }}}}; {allowed}")


def _markup_in_a_paragraph(tag, markup):
    plain = re.fullmatch(r"\{\{-?\s*([\w.]+)\s*-?\}\}", tag.text)
    if plain and plain.group(1) in markup:
        yield (f"thẻ «{tag.text}»: '{plain.group(1)}' là các đoạn văn do vanthu tạo, in bằng {{{{ }}}} trong một "
               "đoạn sẽ làm hỏng tệp", f"viết {{{{p {plain.group(1)} }}}}, một mình một đoạn")


def _lonely_faults(paragraph):
    """A ``{%p %}`` tag replaces its whole paragraph: other text there is lost."""
    tags = paragraph.tags()
    level = [t for t in tags if re.match(r"\{[{%#](p|tr|tc)\s", t.text)]
    rest = wordparts.TAG.sub("", paragraph.text).strip()
    if level and (rest or len(tags) > 1):
        kind = re.match(r"\{[{%#](p|tr|tc)", level[0].text).group(1)
        unit = {"p": "đoạn", "tr": "hàng bảng", "tc": "ô bảng"}[kind]
        yield (f"thẻ «{level[0].text}» thay cả {unit} chứa nó khi kết xuất, nên phần còn lại "
               f"«{paragraph.text.replace(level[0].text, '').strip()}» sẽ mất",
               f"để thẻ «{level[0].text}» một mình một {unit} (Enter trước và sau thẻ)")


def _open_at_the_end(paragraph):
    """A tag opened and not closed in its paragraph: it runs into the next one (an Enter typed inside it)."""
    m = re.search(r"\{[{%#].*", wordparts.TAG.sub("", paragraph.text), re.S)
    if m:
        yield (f"thẻ «{m.group()}» không đóng trong đoạn này mà kéo sang đoạn sau",
               "để cả thẻ trong một đoạn: xóa dấu xuống dòng (Enter) ở giữa thẻ")


def _cell_findings(paragraphs, cells):
    """A cell whose every paragraph may vanish at render time: Word calls such a file corrupt."""
    for numbers in cells:
        cell = [paragraphs[n - 1] for n in numbers]
        if cell and not _keeps_a_paragraph(cell):
            yield Finding("ô bảng này có thể không còn đoạn nào sau khi kết xuất (mọi đoạn đều là thẻ {%p ...%} "
                          "hoặc nằm trong khối {%p if %}); Word sẽ báo tệp hỏng",
                          "thêm một đoạn trống ở cuối ô, ngoài mọi khối {%p ... %}", cell[0].where)


def _keeps_a_paragraph(cell):
    depth = 0
    for paragraph in cell:
        m = re.fullmatch(r"\s*\{[%#{]p\s+(\w+).*?[%#}]\}\s*", paragraph.text, re.S)
        if m is None and depth == 0:
            return True
        word = m.group(1) if m else ""
        depth += (word in _OPENERS) - word.startswith("end")
    return False


# --- Jinja syntax -----------------------------------------------------------

def _parse(docx_path, name, xml, paragraphs, findings):
    """The part's Jinja syntax tree, or None with a finding at the paragraph of the error."""
    source = wordparts.patched(docx_path, xml)
    try:
        ast = _ENV.parse(source)
    except jinja2.TemplateSyntaxError as error:
        number = wordparts.paragraph_at(source, error.lineno)
        if "end of template" in error.message:
            number = _unclosed(paragraphs) or number
        where = paragraphs[number - 1].where if number else name
        if not any(f.where == where and "docxtpl" in f.what for f in findings):  # already said, more clearly
            findings.append(Finding(f"lỗi cú pháp Jinja: {_syntax_message(error.message)}", _syntax_fix(error.message),
                                    where))
        return None
    findings += _private_access(ast, source, paragraphs, name)
    return ast


def _private_access(ast, source, paragraphs, part):
    """``x.__class__``, ``x._hidden``, ``x['__init__']``, ``x|attr('_y')``: a way out to Python, refused at render."""
    found = {}  # (where, tag) -> private names, one finding per tag
    for node, attribute in _attributes(ast):
        if attribute.startswith("_"):
            number = wordparts.paragraph_at(source, node.lineno)
            paragraph = paragraphs[number - 1] if number else None
            tag = next((t.text for t in paragraph.tags() if attribute in t.text), "") if paragraph else ""
            found.setdefault((paragraph.where if paragraph else part, tag), set()).add(attribute)
    for (where, tag), names in found.items():
        listed = ", ".join(f"'{n}'" for n in sorted(names, key=lambda n: (tag.find(n), n)))
        yield Finding(f"thẻ «{tag}» truy cập {listed}, phần bên trong của chương trình chứ không phải trường nào; "
                      "mẫu không được chạy mã, vanthu sẽ từ chối kết xuất",
                      "xóa thẻ đó; mẫu chỉ in các trường của bản ghi ({{ v.ten_truong }}, {{ f.ten_truong }})", where)


def _attributes(ast):
    """Every attribute name a template reads, with its node."""
    for node in ast.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem, jinja2.nodes.Filter)):
        if isinstance(node, jinja2.nodes.Getattr):
            yield node, node.attr
        elif isinstance(node, jinja2.nodes.Getitem) and isinstance(node.arg, jinja2.nodes.Const):
            yield node, str(node.arg.value)
        elif isinstance(node, jinja2.nodes.Filter) and node.name == "attr" and node.args:
            if isinstance(node.args[0], jinja2.nodes.Const):
                yield node, str(node.args[0].value)


def _unclosed(paragraphs):
    """The paragraph of the innermost block tag never closed (``{% if %}`` without ``{% endif %}``)."""
    stack = []
    for paragraph in paragraphs:
        for tag in paragraph.tags():
            m = _BLOCK.match(tag.text)
            if m and m.group(1) in _OPENERS:
                stack.append(paragraph.number)
            elif m and m.group(1).startswith("end") and stack:
                stack.pop()
    return stack[-1] if stack else 0


_SYNTAX = [
    (r"Unexpected end of template", "khối lệnh mở mà chưa đóng",
     "thêm thẻ đóng tương ứng ({{%p endif %}}, {{%p endfor %}}) sau nội dung của khối"),
    (r"Encountered unknown tag '(end\w*)'", "thẻ đóng '{0}' không có thẻ mở tương ứng",
     "xóa thẻ đóng thừa, hoặc thêm thẻ mở ({{%p if ... %}}, {{%p for ... %}}) trước nó"),
    (r"Encountered unknown tag '(\w+)'", "không có lệnh '{0}'",
     "dùng lệnh Jinja: if, for, set...; ví dụ {{%p if ten_truong %}}"),
    (r"^unexpected '(.+?)'", "gặp '{0}' không đúng chỗ", "kiểm tra biểu thức trong thẻ, ví dụ {{{{ f.ten_truong }}}}"),
    (r"expected token 'end of print statement', got '(\w+)'", "trong {{{{ }}}} chỉ được một biểu thức, gặp thêm '{0}'",
     "viết {{{{ ten_truong }}}}; khi chèn đoạn văn do vanthu tạo, viết liền: {{{{p body }}}} (không có khoảng "
     "trắng giữa {{{{ và p)"),
]


def _syntax_message(message):
    for pattern, text, _ in _SYNTAX:
        if m := re.search(pattern, message):
            return f"{text.format(*m.groups())} ({message})"
    return message


def _syntax_fix(message):
    for pattern, _, fix in _SYNTAX:
        if m := re.search(pattern, message):
            return fix.format(*m.groups())
    return "kiểm tra cặp dấu ngoặc {{ }} và {% %}, tên trường và thẻ đóng mở"


# --- fields: used and declared ----------------------------------------------

def _usage_findings(template, provision, used, paragraphs):
    findings = [_undeclared(template, provision, path, paragraphs) for path in sorted(used - provision.values.keys())]
    own = _own_fields(template.schema_path)
    # Only the schema's own fields: a model inherits every common field through
    # extends, shown or not (a biên bản has no Kính gửi, only công văn has a unit).
    for name in (n for n in usage.unused_fields(used, provision) if n in own):
        printable = [p for p in sorted(provision.fed[name]) if p in _printable(provision)]
        shown = " hoặc ".join(_print_form(p, provision) for p in printable)
        findings.append(Finding(f"trường '{name}' ({template.fields[name].label}) được khai báo nhưng mẫu không in ra",
                                f"in nó trong mẫu bằng {shown}, hoặc bỏ trường khỏi fields: của lược đồ",
                                file=str(template.schema_path), line=own[name]))
    return findings


def _own_fields(schema_path):
    """The fields the schema declares itself (not through ``extends``), with their lines."""
    nodes = yamlfile.load(schema_path).get("fields") or []
    return {str(n["name"]): yamlfile.line_of(n) for n in nodes if isinstance(n, dict) and n.get("name")}


def _print_form(path, provision):
    return f"{{{{p {path} }}}}" if path in provision.markup else f"{{{{ {path} }}}}"


def _printable(provision):
    """The paths a template can print (a form's ``f`` is a map, only ``f.x`` prints)."""
    return sorted(path for path, value in provision.values.items() if not isinstance(value, dict))


def _undeclared(template, provision, path, paragraphs):
    word = path.split(".")[-1]
    where = next((p.where for p in paragraphs for t in p.tags() if re.search(rf"\b{re.escape(word)}\b", t.text)), "")
    names = _printable(provision)
    hint = difflib.get_close_matches(path, names, 1)
    if template.is_form:
        fix = f"sửa tên trong mẫu, hoặc thêm trường '{word}' vào fields: của {template.schema_path.name}"
    else:
        fix = f"sửa tên trong mẫu; văn bản hành chính có các khóa: {', '.join(names)}"
    return Finding(f"mẫu dùng '{path}' nhưng lược đồ không khai báo (kết xuất sẽ báo lỗi)",
                   (f"có phải '{hint[0]}'? " if hint else "") + fix, where)


# --- styles -----------------------------------------------------------------

def _style_findings(parts, provision, used):
    """vanthu's own paragraphs (body, marks, tables) name styles the template must define."""
    needed = {s for path in provision.markup & used for s in _STYLE_REF.findall(str(provision.values[path]))}
    defined = set(re.findall(r'w:styleId="([^"]+)"', parts.get(STYLES, b"").decode("utf-8")))
    missing = sorted(needed - defined)
    if not missing:
        return []
    return [Finding(f"mẫu thiếu kiểu (style) {', '.join(missing)} mà vanthu dùng cho nội dung nó tạo; "
                    "các đoạn đó sẽ mất định dạng", "làm mẫu từ bản sao một mẫu có sẵn (đường dẫn in bởi "
                    f"'vanthu templates cong-van'), hoặc tạo trong Word các kiểu đoạn văn tên {', '.join(missing)}",
                    f"kiểu chữ ({STYLES})")]
