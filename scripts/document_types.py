"""The document types of Nghị định 30 (Điều 7, Phụ lục III) as built-in template schemas.

Each type is a small schema file ``vanthu/templates/NAME.yaml`` naming its
type code (for the number: ``12/QĐ-UBND``), its model and the shared layout it
fills. ``scripts/build_templates.py`` writes them from this table.
"""
import json

DECISION = [
    ("authority", "Thẩm quyền ban hành", "text", True,
     "chức danh người đứng đầu hoặc tên tập thể, in hoa đậm, ví dụ GIÁM ĐỐC SỞ Y TẾ"),
    ("bases", "Căn cứ ban hành", "bases", False, "mỗi mục một căn cứ (Căn cứ ..., Theo đề nghị của ...); in nghiêng"),
]
NOT_REQUIRED = {"subject", "body"}
TWO_PARTIES = [  # hợp đồng, bản ghi nhớ, bản thỏa thuận: both parties sign, side by side
    ("counterpart", "Người ký của bên kia (Bên B)", "signer", True,
     "authority, title, name của người ký bên B; người ký (signer) là bên A, bên trái"),
]

# name, title, type code, model, layout, the word before the articles, extra fields
TYPES = [
    ("nghi-quyet", "Nghị quyết", "NQ", "1.1", "van-ban", "QUYẾT NGHỊ:", DECISION),
    ("quyet-dinh", "Quyết định", "QĐ", "1.2", "van-ban", "QUYẾT ĐỊNH:", DECISION),
    ("quyet-dinh-ban-hanh", "Quyết định", "QĐ", "1.3", "van-ban", "QUYẾT ĐỊNH:", DECISION + [
        ("appendices", "Văn bản được ban hành kèm theo", "appendices", True,
         "văn bản được ban hành (quy chế, quy định...): title, subject, body; dòng (Kèm theo Quyết định số ...) tự sinh"),
    ]),
    ("chi-thi", "Chỉ thị", "CT", "1.4", "van-ban", "", []),
    ("quy-che", "Quy chế", "QC", "1.4", "van-ban", "", []),
    ("quy-dinh", "Quy định", "QyĐ", "1.4", "van-ban", "", []),
    ("thong-cao", "Thông cáo", "TC", "1.4", "van-ban", "", []),
    ("thong-bao", "Thông báo", "TB", "1.4", "van-ban", "", []),
    ("huong-dan", "Hướng dẫn", "HD", "1.4", "van-ban", "", []),
    ("chuong-trinh", "Chương trình", "CTr", "1.4", "van-ban", "", []),
    ("ke-hoach", "Kế hoạch", "KH", "1.4", "van-ban", "", []),
    ("phuong-an", "Phương án", "PA", "1.4", "van-ban", "", []),
    ("de-an", "Đề án", "ĐA", "1.4", "van-ban", "", []),
    ("du-an", "Dự án", "DA", "1.4", "van-ban", "", []),
    ("bao-cao", "Báo cáo", "BC", "1.4", "van-ban", "", []),
    ("to-trinh", "Tờ trình", "TTr", "1.4", "van-ban", "", []),
    ("hop-dong", "Hợp đồng", "HĐ", "", "hai-ben", "", TWO_PARTIES),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN", "", "hai-ben", "", TWO_PARTIES),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT", "", "hai-ben", "", TWO_PARTIES),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ", "1.4", "van-ban", "", []),
    ("phieu-gui", "Phiếu gửi", "PG", "1.4", "van-ban", "", []),
    ("phieu-chuyen", "Phiếu chuyển", "PC", "1.4", "van-ban", "", []),
    ("phieu-bao", "Phiếu báo", "PB", "1.4", "van-ban", "", []),
    ("cong-dien", "Công điện", "CĐ", "1.6", "cong-dien", "", [
        ("sender", "Người, cơ quan điện", "text", False,
         "dòng '... điện:'; bỏ trống: tên cơ quan ban hành, ví dụ CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"),
        ("to", "Nơi nhận công điện", "list", True, "danh sách nơi nhận, in gạch đầu dòng sau '... điện:'"),
    ]),
    ("giay-moi", "Giấy mời", "GM", "1.7", "giay-moi", "", [
        ("inviter", "Cơ quan mời", "text", True, "dòng '... trân trọng kính mời:', ví dụ Sở Y tế"),
        ("to", "Người được mời", "list", True, "một hoặc nhiều người, cơ quan được mời"),
        ("meeting", "Cuộc họp", "meeting", True, "event: tới dự; chair: chủ trì; time: thời gian; venue: địa điểm"),
    ]),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT", "1.8", "giay-gioi-thieu", "", [
        ("introducer", "Cơ quan giới thiệu", "text", True, "dòng '... trân trọng giới thiệu:'"),
        ("person", "Người được giới thiệu", "text", True, "ví dụ Nguyễn Văn A"),
        ("position", "Chức vụ", "text", False, ""),
        ("destination", "Được cử đến", "text", True, "cơ quan, đơn vị nơi đến"),
        ("purpose", "Về việc", "text", True, ""),
        ("valid_until", "Có giá trị đến hết ngày", "date", False, "dạng 31/12/2020 hoặc 2020-12-31"),
    ]),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP", "1.10", "giay-nghi-phep", "", [
        ("grantor", "Người cấp", "text", True, "dòng '... cấp cho:', ví dụ Giám đốc Sở Y tế"),
        ("person", "Người được nghỉ phép", "text", True, ""),
        ("position", "Chức vụ", "text", False, ""),
        ("unit_name", "Thuộc cơ quan, đơn vị", "text", False, ""),
        ("request_date", "Ngày đơn đề nghị", "date", False, "dạng 01/12/2020 hoặc 2020-12-01"),
        ("leave_kind", "Loại nghỉ phép", "text", False,
         "dòng 'được tính vào thời gian nghỉ phép ...'; mặc định: năm (nghỉ phép năm)"),
        ("days", "Số ngày nghỉ", "number", True, ""),
        ("from_date", "Từ ngày", "date", True, "dạng 21/12/2020 hoặc 2020-12-21"),
        ("to_date", "Đến hết ngày", "date", True, "dạng 31/12/2020 hoặc 2020-12-31"),
        ("leave_place", "Nơi nghỉ phép", "text", True, ""),
    ]),
    ("bien-ban", "Biên bản", "BB", "1.9", "bien-ban", "", [
        ("secretary", "Thư ký", "text", True, "họ tên thư ký, ký bên trái; người ký (signer) là chủ tọa"),
        ("start_time", "Thời gian bắt đầu", "text", False, "ví dụ 8 giờ 00, ngày 14 tháng 10 năm 2020"),
        ("venue", "Địa điểm", "text", False, ""),
        ("attendees", "Thành phần tham dự", "text", False, ""),
        ("end_time", "Kết thúc vào", "text", False, "dòng cuối 'Cuộc họp ... kết thúc vào ...', ví dụ 11 giờ 00, ngày 14 tháng 10 năm 2020"),
    ]),
]
SELF_CONTAINED = {"giay-gioi-thieu", "giay-nghi-phep"}  # the model's fixed lines are the content


def _quoted(text):
    return json.dumps(text, ensure_ascii=False)


def schema_text(name, title, code, model, layout, decides, extra):
    head = [f"# {title}" + (f" (mẫu {model}, Phụ lục III Nghị định 30/2020/NĐ-CP)" if model else
                            " (Nghị định 30/2020/NĐ-CP chưa có mẫu; dùng thể thức chung)"),
            "# Sinh bởi scripts/build_templates.py; sửa bảng trong scripts/document_types.py.",
            f"name: {name}", f"title: {_quoted(title)}", "kind: document", f"model: {_quoted(model)}",
            "extends: _document", f"type_code: {_quoted(code)}", f"layout: {layout}.docx"]
    if decides:
        head.append(f"decides: {_quoted(decides)}")
    fields = [(f, label, kind, req, hlp) for f, label, kind, req, hlp in extra]
    if name in SELF_CONTAINED:
        fields += [("subject", "Trích yếu nội dung", "text", False, "thường bỏ trống"),
                   ("body", "Nội dung thêm", "block", False, "in sau các dòng cố định của mẫu")]
    lines = head + ["fields:"] if fields else head
    for field, label, kind, required, help_text in fields:
        lines += [f"  - name: {field}", f"    label: {_quoted(label)}", f"    type: {kind}",
                  f"    required: {'true' if required else 'false'}"]
        if help_text:
            lines.append(f"    help: {_quoted(help_text)}")
    return "\n".join(lines) + "\n"


def write_schemas(folder):
    for row in TYPES:
        path = folder / f"{row[0]}.yaml"
        path.write_text(schema_text(*row), encoding="utf-8")
        print(path.name)
