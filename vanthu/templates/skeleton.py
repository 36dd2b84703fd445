"""Record skeletons (khung bản ghi): what ``vanthu new TYPE`` writes.

Every field of the template appears with its Vietnamese label and help as a
comment, empty, ready to fill in.
"""
import json
import os

from ..errors import VanthuError
from ..files import write_atomic

_PARTS = {
    "issuer": [("parent", "Tên cơ quan chủ quản (không bắt buộc), ví dụ UBND TỈNH ĐỒNG NAI"),
               ("name", "Tên cơ quan ban hành (bắt buộc), ví dụ SỞ Y TẾ"),
               ("code", "Viết tắt tên cơ quan (bắt buộc), dùng trong ký hiệu, ví dụ SYT")],
    "meeting": [("event", "Tới dự: tên cuộc họp (bắt buộc)"), ("chair", "Chủ trì (không bắt buộc)"),
                ("time", "Thời gian (bắt buộc), ví dụ 7 giờ 30 phút, ngày 14 tháng 10 năm 2020"),
                ("venue", "Địa điểm (bắt buộc)")],
    "signer": [("authority", "Quyền hạn ký: KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN... (bỏ trống nếu thủ trưởng ký)"),
               ("title", "Chức vụ người ký (bắt buộc), ví dụ GIÁM ĐỐC"),
               ("name", "Họ tên người ký (bắt buộc)")],
}
_EMPTY = {"list": "[]", "recipients": "[]", "appendices": "[]", "lines": "[]", "bases": "[]", "records": "[]", "block": "|", "number": "", "date": ""}


def _comment(field):
    need = "bắt buộc" if field.required else "không bắt buộc"
    extra = f"; {field.help}" if field.help else ""
    return f"# {field.label} ({need}){extra}"


def _field_lines(field, indent):
    lines = [indent + _comment(field)]
    if field.type in _PARTS:
        lines.append(f"{indent}{field.name}:")
        lines += [f"{indent}  {key}: \"\"  # {label}" for key, label in _PARTS[field.type]]
        return lines
    if field.type == "table":  # the clerk needs the column names to write a row
        columns = ", ".join(f"{name} ({label})" for name, label in field.columns)
        example = ", ".join(f"{name}: ..." for name, _ in field.columns[:2])
        lines.append(f"{indent}# các cột: {columns}; mỗi dòng viết: - {{{example}}}")
        lines.append(f"{indent}{field.name}: []")
        return lines
    empty = _EMPTY.get(field.type, '""')
    lines.append(f"{indent}{field.name}: {empty}".rstrip())
    return lines


def skeleton(template):
    """The YAML text of an empty record for ``template``, commented in Vietnamese."""
    head = [f"# {template.title}" + (f" (mẫu {template.model}, Phụ lục III Nghị định 30)" if template.model else ""),
            "# Khung bản ghi do vanthu tạo. Điền các trường rồi chạy: vanthu check <tệp>",
            f"type: {json.dumps(template.name, ensure_ascii=False)}"]
    if template.is_form:
        lines = head + ["fields:"]
        for field in template.fields.values():
            lines += _field_lines(field, "  ")
    else:
        lines = head[:]
        for field in template.fields.values():
            lines += _field_lines(field, "")
    return "\n".join(lines) + "\n"


def write_skeleton(template, path=None):
    """The skeleton's text, also written to ``path`` if given (never over an existing file)."""
    text = skeleton(template)
    if path:
        if os.path.exists(path):
            raise VanthuError(f"tệp {path} đã có; chọn tên khác để không ghi đè")
        write_atomic(path, text.encode("utf-8"))
    return text
