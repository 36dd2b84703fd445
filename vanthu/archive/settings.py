"""The body's own numbering choices (cài đặt sổ), in ``settings.yaml`` in the home.

Art. 15.1.c of Nghị định 30 leaves it to the head of the body whether some
document types get a series of their own; the clerk edits this file.
"""
import functools
from dataclasses import dataclass, field

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

# Giá trị điền sẵn khi soạn trên ứng dụng web (cơ quan, địa danh, người ký, dòng Lưu), ví dụ:
# defaults:
#   issuer: {parent: UBND TỈNH ĐỒNG NAI, name: SỞ Y TẾ, code: SYT}
#   unit: VP
#   place: Đồng Nai
#   signer: {title: GIÁM ĐỐC, name: Phan Huy Anh Vũ}
#   cc: [Như trên, "Lưu: VT, VP"]
defaults: {}

# Vai trò được xem trích yếu, nội dung, tệp của văn bản mật trên ứng dụng web.
secret_roles: [van-thu, lanh-dao]

# Sổ, nhật ký, người dùng trên máy chủ PostgreSQL thay cho tệp vanthu.sqlite3 (tệp lưu vẫn ở thư mục này),
# ví dụ database: postgresql://vanthu@may-chu/so_van_thu  (mật khẩu để trong ~/.pgpass, không ghi ở đây).
# Chuyển kho có sẵn lên máy chủ: vanthu db move postgresql://...
database: ""
"""


@dataclass(frozen=True)
class Settings:
    """Numbering settings: types with their own series (sổ riêng), the body's OrganId."""

    separate_series: frozenset = frozenset()
    organ_id: str = ""
    defaults: dict = field(default_factory=dict)  # record values the web form starts from (giá trị mặc định)
    secret_roles: tuple = ("van-thu", "lanh-dao")  # who reads secret documents on the web app
    database: str = ""  # a PostgreSQL URL: the register on a server (máy chủ cơ sở dữ liệu)


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
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise VanthuError(Problem("defaults phải là bảng khóa: giá trị (các trường của bản ghi)", str(path), 0, "defaults"))
    roles = data.get("secret_roles") or ("van-thu", "lanh-dao")
    if not isinstance(roles, (list, tuple)):
        raise VanthuError(Problem("secret_roles phải là danh sách vai trò", str(path), 0, "secret_roles"))
    database = str(data.get("database") or "")
    if database and not database.startswith(("postgresql://", "postgres://")):
        raise VanthuError(Problem("database phải là địa chỉ postgresql://... (hoặc để trống: dùng tệp vanthu.sqlite3)",
                                  str(path), 0, "database"))
    return Settings(frozenset(str(t) for t in types), str(data.get("organ_id") or ""), _plain(defaults),
                    tuple(str(r) for r in roles), database)


def _plain(value):
    """ruamel's commented maps and lists as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
