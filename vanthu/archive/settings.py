"""The body's own numbering choices (cài đặt sổ), in ``settings.yaml`` in the home.

Art. 15.1.c of Nghị định 30 leaves it to the head of the body whether some
document types get a series of their own; the clerk edits this file.
"""
import functools
from dataclasses import dataclass

from .. import yamlfile
from ..errors import Problem, VanthuError

TEMPLATE = """\
# Cài đặt kho văn thư (vanthu). Sửa tệp này bằng trình soạn thảo văn bản.
#
# Loại văn bản có dãy số riêng theo quyết định của thủ trưởng cơ quan
# (Điều 15.1.c Nghị định 30/2020/NĐ-CP). Ghi tên mẫu, ví dụ:
#   separate_series: [quyet-dinh, thong-bao]
# Để trống thì mọi văn bản hành chính của một cơ quan dùng chung một dãy số.
# Văn bản mật luôn có dãy số riêng.
separate_series: []

# Mã định danh cơ quan (OrganId, 13 ký tự, Phụ lục VI); để trống nếu chưa có.
organ_id: ""
"""


@dataclass(frozen=True)
class Settings:
    """Numbering settings: types with their own series (sổ riêng), the body's OrganId."""

    separate_series: frozenset = frozenset()
    organ_id: str = ""


def write_default(path):
    if not path.exists():
        path.write_text(TEMPLATE, encoding="utf-8")


def load(path):
    """The settings in ``path``; read again only when the file changed."""
    try:
        stamp = path.stat()
    except FileNotFoundError:
        return Settings()
    return _load(path, stamp.st_mtime_ns, stamp.st_size)


@functools.lru_cache(maxsize=16)
def _load(path, mtime_ns, size):
    data = yamlfile.load(path) or {}
    if not isinstance(data, dict):
        raise VanthuError(Problem("tệp cài đặt phải là một bảng khóa: giá trị", str(path), 1))
    types = data.get("separate_series") or []
    if not isinstance(types, list):
        raise VanthuError(Problem("separate_series phải là danh sách tên mẫu", str(path), 0, "separate_series"))
    return Settings(frozenset(str(t) for t in types), str(data.get("organ_id") or ""))
