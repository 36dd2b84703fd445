"""The template library (thư viện mẫu): built-in templates and the clerk's own.

A template is a ``NAME.docx`` (docxtpl tags, editable in Word or LibreOffice)
beside its schema ``NAME.yaml`` declaring its fields. A folder given by the
user is searched before the built-ins, so a clerk's ``cong-van.docx``
overrides ours by name, no Python needed.
"""
import difflib
from pathlib import Path

from ..errors import VanthuError
from .schema import Field, Template, load_schema

BUILTIN_DIR = Path(__file__).resolve().parent

__all__ = ["Field", "Template", "TemplateLibrary", "BUILTIN_DIR"]


class TemplateLibrary:
    """Finds templates by name, in the user's folders first, then the built-ins."""

    def __init__(self, folders=()):
        self.folders = [Path(f) for f in folders if f] + [BUILTIN_DIR]
        self._cache = {}

    def _schema_path(self, name):
        for folder in self.folders:
            path = folder / f"{name}.yaml"
            if path.is_file():
                return path
        return None

    def get(self, name):
        """The template called ``name`` (tên mẫu), or a VanthuError listing the known ones."""
        if name not in self._cache:
            path = self._schema_path(name) if _is_public(name) else None
            if path is None:
                raise VanthuError(f"không có mẫu '{name}'{_suggest(name, self.names())}; "
                                  "xem danh sách bằng lệnh: vanthu templates")
            template = load_schema(path, self._base_fields)
            if template.layout:  # a shared layout may be overridden alone, in a user folder
                template.layout_path = self._find(template.layout)
            self._cache[name] = template
        return self._cache[name]

    def _find(self, file_name):
        return next((f / file_name for f in self.folders if (f / file_name).is_file()), None)

    def names(self):
        found = {p.stem for folder in self.folders if folder.is_dir() for p in folder.glob("*.yaml")}
        return sorted(n for n in found if _is_public(n))

    def templates(self):
        return [self.get(name) for name in self.names()]

    def _base_fields(self, base_name, referrer):
        path = self._schema_path(base_name)
        if path is None:
            raise VanthuError(f"{referrer}: extends: không có lược đồ gốc '{base_name}'")
        return load_schema(path, self._base_fields).fields


def _suggest(name, names):
    close = difflib.get_close_matches(str(name), names, 3)
    return f" (có phải {', '.join(close)}?)" if close else ""


def _is_public(name):
    return not name.startswith("_")
