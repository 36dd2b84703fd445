"""Reading YAML with line numbers (tệp YAML). The only module that parses YAML.

Records, template schemas and mail-merge rows all come through :func:`load`,
so every message can point at ``file:line``.
"""
import os

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from .errors import Problem, VanthuError

MAX_DEPTH = 64  # a record nests three or four levels; the parser recurses once per level
MAX_BYTES = 4 * 1024 * 1024  # a record is a page of text; bigger is a mistake, not a document


class _Constructor(RoundTripConstructor):
    """Dates stay text: the validator reads them, so that 2020-02-30 gets a clear message."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _parser():
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def _read_text(path):
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise VanthuError(Problem(f"tệp {size / 1e6:.1f} MB, quá giới hạn {MAX_BYTES // 2**20} MB của một bản ghi", str(path), 1))
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise VanthuError(Problem("không tìm thấy tệp", str(path))) from None
    except IsADirectoryError:
        raise VanthuError(Problem("đây là thư mục, không phải tệp YAML", str(path))) from None
    except UnicodeDecodeError as e:
        raise VanthuError(Problem(f"tệp không phải UTF-8 (byte {e.start})", str(path))) from None


def load(path):
    """Parse a YAML file; its maps and lists remember their line numbers."""
    return loads(_read_text(path), str(path))


def loads(text, name="<văn bản>"):
    _refuse_deep_nesting(text, name)
    try:
        return _parser().load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        raise VanthuError(Problem(f"YAML sai cú pháp: {e.problem or e.context}", name, line)) from None
    except RecursionError:  # [[[[...]]]] thousands deep: a hostile file, not a record
        raise VanthuError(Problem(_TOO_DEEP, name, 1)) from None
    except ReaderError as e:  # a character YAML does not allow (a control character pasted in)
        line = text.count("\n", 0, e.position) + 1
        raise VanthuError(Problem(f"có ký tự U+{e.character:04X} không được phép trong YAML; hãy xóa nó", name, line)) from None
    except YAMLError as e:
        raise VanthuError(Problem(f"YAML sai cú pháp: {' '.join(str(e).split())}", name)) from None


def dumps(data):
    """YAML text of plain data (a record made by the web app), multi-line text as ``|`` blocks."""
    import io
    from ruamel.yaml.scalarstring import LiteralScalarString
    yaml = YAML(typ="rt")
    yaml.width = 4096  # one paragraph a line, as a clerk writes it
    out = io.StringIO()
    yaml.dump(_literal_blocks(data, LiteralScalarString), out)
    return out.getvalue()


def _literal_blocks(value, literal):
    if isinstance(value, dict):
        return {k: _literal_blocks(v, literal) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(v, literal) for v in value]
    if isinstance(value, str) and "\n" in value:
        return literal(value.replace("\r\n", "\n").rstrip("\n") + "\n")
    return value


def _refuse_deep_nesting(text, name):
    """``[[[[...]]]]`` thousands deep costs the parser seconds before it fails: refuse it at a glance."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise VanthuError(Problem(_TOO_DEEP, name, text.count("\n", 0, index) + 1))
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char in "#\n" and depth == 0:
            quote = "\n" if char == "#" else ""  # a comment runs to the end of its line


_TOO_DEEP = "YAML lồng quá sâu (danh sách hoặc bảng lồng nhau hàng trăm cấp); một bản ghi không cần như vậy"


def line_of(node, key=None, default=1):
    """1-based line of ``node[key]`` (or of ``node`` itself); ``default`` if unknown."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if key is None:
            return lc.line + 1
        return (lc.key(key) if isinstance(key, str) else lc.item(key))[0] + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return lc.line + 1 if lc.line is not None else default
