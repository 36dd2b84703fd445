"""Issue 11: models 1.3 and 1.6-1.10 of Phụ lục III, structure (DOCX) and measured layout (PDF positions).

Each record is the model filled in; each document is read back as the model
shows it: the lines in the model's order, the centred lines centred, the
attached text of 1.3 with its own header, the 1.10 confirmation box under
Nơi nhận.
"""
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from ruamel.yaml import YAML

from layout import all_paragraphs, find, look, open_docx, para_property
from pdfkit import pages_of_outline, reader_of
from readback import docx_paragraphs, fold
from vanthu.generator.pdfrender import render_pdf
from vanthu.generator.signing import find_line, text_lines

COMMON = {"issuer": {"parent": "UBND TỈNH ĐỒNG NAI", "name": "SỞ Y TẾ", "code": "SYT"}, "number": 12,
          "place": "Đồng Nai", "date": "2021-03-15", "signer": {"title": "GIÁM ĐỐC", "name": "Phan Huy Anh Vũ"},
          "cc": ["Như trên", "Lưu: VT"]}
RECORDS = {
    "1.3": {"type": "quyet-dinh-ban-hanh", "subject": "Ban hành Quy chế làm việc của Sở Y tế",
            "authority": "GIÁM ĐỐC SỞ Y TẾ", "bases": ["Căn cứ Nghị định số 30/2020/NĐ-CP"],
            "body": "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Sở Y tế.\n"
                    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            "appendices": [{"title": "Quy chế", "subject": "Làm việc của Sở Y tế",
                            "body": "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n"
                                    "Quy chế này quy định lề lối làm việc của Sở.\nMục 1\nGIÁM ĐỐC SỞ\n"
                                    "Điều 2. Trách nhiệm của Giám đốc\nGiám đốc chịu trách nhiệm chung./."}]},
    "1.6": {"type": "cong-dien", "subject": "Về việc chủ động phòng, chống dịch bệnh",
            "to": ["Giám đốc các bệnh viện", "Giám đốc Trung tâm Y tế các huyện"],
            "body": "Để chủ động phòng, chống dịch bệnh, Giám đốc Sở Y tế yêu cầu các đơn vị thực hiện ngay./."},
    "1.7": {"type": "giay-moi", "subject": "Họp giao ban quý I", "inviter": "Sở Y tế",
            "to": ["Ông Nguyễn Văn An, Giám đốc Bệnh viện Đa khoa tỉnh"],
            "meeting": {"event": "Họp giao ban quý I năm 2021", "chair": "Giám đốc Sở Y tế",
                        "time": "8 giờ 00, ngày 20 tháng 3 năm 2021", "venue": "Hội trường Sở Y tế"},
            "body": "Đề nghị đại biểu đến đúng giờ./."},
    "1.8": {"type": "giay-gioi-thieu", "introducer": "Sở Y tế tỉnh Đồng Nai", "person": "Nguyễn Thị Bình",
            "position": "Chuyên viên", "destination": "Bộ Y tế", "purpose": "Liên hệ công tác",
            "valid_until": "2021-04-30"},
    "1.9": {"type": "bien-ban", "subject": "Họp Hội đồng thi đua", "secretary": "Lê Văn Cường",
            "start_time": "8 giờ 00, ngày 15 tháng 3 năm 2021", "venue": "Phòng họp Sở Y tế",
            "attendees": "Các thành viên Hội đồng", "body": "Hội đồng thống nhất đề nghị khen thưởng.",
            "end_time": "10 giờ 30, ngày 15 tháng 3 năm 2021"},
    "1.10": {"type": "giay-nghi-phep", "grantor": "Giám đốc Sở Y tế", "person": "Trần Văn Dũng",
             "position": "Chuyên viên", "request_date": "2021-03-01", "days": 10, "from_date": "2021-03-20",
             "to_date": "2021-03-31", "leave_place": "Thành phố Hồ Chí Minh"},
    "hop-dong": {"type": "hop-dong", "subject": "Về việc cung cấp dịch vụ chữ ký số",
                 "body": "Điều 1. Nội dung hợp đồng\nBên B cung cấp cho Bên A dịch vụ chữ ký số./.",
                 "counterpart": {"title": "Tổng giám đốc", "name": "Lê Thị Hoa"}},
}
MODEL_LINES = {  # the fixed lines each model prints, in its order
    "1.6": ["SỞ Y TẾ điện:", "- Giám đốc các bệnh viện;", "- Giám đốc Trung tâm Y tế các huyện."],
    "1.7": ["Sở Y tế trân trọng kính mời: Ông Nguyễn Văn An, Giám đốc Bệnh viện Đa khoa tỉnh",
            "Tới dự: Họp giao ban quý I năm 2021", "Chủ trì: Giám đốc Sở Y tế",
            "Thời gian: 8 giờ 00, ngày 20 tháng 3 năm 2021", "Địa điểm: Hội trường Sở Y tế"],
    "1.8": ["Sở Y tế tỉnh Đồng Nai trân trọng giới thiệu:", "Ông (bà) Nguyễn Thị Bình", "Chức vụ: Chuyên viên",
            "Được cử đến: Bộ Y tế", "Về việc: Liên hệ công tác",
            "Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.",
            "Giấy này có giá trị đến hết ngày 30/4/2021./."],
    "1.9": ["Thời gian bắt đầu: 8 giờ 00, ngày 15 tháng 3 năm 2021", "Địa điểm: Phòng họp Sở Y tế",
            "Thành phần tham dự: Các thành viên Hội đồng", "Chủ trì (chủ tọa): Phan Huy Anh Vũ",
            "Thư ký (người ghi biên bản): Lê Văn Cường", "Nội dung (theo diễn biến cuộc họp/hội nghị/hội thảo):",
            "Hội đồng thống nhất đề nghị khen thưởng.",
            "Cuộc họp (hội nghị, hội thảo) kết thúc vào 10 giờ 30, ngày 15 tháng 3 năm 2021./."],
    "1.10": ["Xét Đơn đề nghị nghỉ phép ngày 01/3/2021 của ông (bà) Trần Văn Dũng,",
             "Giám đốc Sở Y tế cấp cho:", "Ông (bà): Trần Văn Dũng", "Chức vụ: Chuyên viên",
             "Được nghỉ phép trong thời gian 10 ngày, kể từ ngày 20/3/2021 đến hết ngày 31/3/2021 tại "
             "Thành phố Hồ Chí Minh.",
             "Số ngày nghỉ phép nêu trên được tính vào thời gian nghỉ phép năm./.",
             "Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép (nếu cần)", "(Chữ ký, dấu)"],
}
CENTRED = {"1.6": "SỞ Y TẾ điện:", "1.8": "Sở Y tế tỉnh Đồng Nai trân trọng giới thiệu:"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """model: its DOCX path, and the PDF of all of them (one LibreOffice batch)."""
    from conftest import run_cli
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for model, values in RECORDS.items():
        paths[model] = folder / f"{model}.yaml"
        with open(paths[model], "w", encoding="utf-8") as f:
            YAML().dump({**COMMON, **values}, f)
        result = run_cli("render", paths[model], "-o", folder / f"{model}.docx")
        assert result.code == 0, result.err
    return folder


@pytest.fixture(scope="module")
def pdf(rendered, private_tmp):
    report = render_pdf([rendered / f"{m}.yaml" for m in RECORDS], rendered / "all.pdf")
    assert report.ok, report.problems
    reader = reader_of(rendered / "all.pdf")
    return {m: [text_lines(reader.pages[i]) for i in range(start, end)] + [reader.pages[start]]
            for m, (_, start, end) in zip(RECORDS, pages_of_outline(reader))}


@pytest.mark.parametrize("model", sorted(MODEL_LINES))
def test_fixed_lines_in_the_models_order(rendered, model):
    paragraphs = [fold(p) for p in docx_paragraphs(rendered / f"{model}.docx")]
    positions = [paragraphs.index(fold(line)) for line in MODEL_LINES[model]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("model", sorted(CENTRED))
def test_the_senders_line_is_centred(rendered, model):
    document = open_docx(rendered / f"{model}.docx")
    p = find(document, CENTRED[model])
    assert para_property(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert look(document, p)[2] == {False}


def test_a_telegrams_sender_defaults_to_the_issuer_and_can_be_given(tmp_path):
    from conftest import run_cli
    record = {**COMMON, **RECORDS["1.6"], "sender": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"}
    with open(tmp_path / "cd.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    assert run_cli("render", tmp_path / "cd.yaml", "-o", tmp_path / "cd.docx").code == 0
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:" in docx_paragraphs(tmp_path / "cd.docx")


def test_1_3_attached_text_has_its_own_header_and_the_decrees_headings(rendered):
    document = open_docx(rendered / "1.3.docx")
    tables = [t for t in document.tables if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t._tbl.xml]
    assert len(tables) == 2  # the decision's and the attached text's
    attached = tables[1]
    assert len(attached.rows) == 1 and "SỞ Y TẾ" in attached.rows[0].cells[0].text
    assert "Số:" not in attached._tbl.xml  # no number or date of its own
    for text, align, bold in [("QUY CHẾ", WD_ALIGN_PARAGRAPH.CENTER, {True}),
                              ("Chương I", WD_ALIGN_PARAGRAPH.CENTER, {True}),
                              ("NHỮNG QUY ĐỊNH CHUNG", WD_ALIGN_PARAGRAPH.CENTER, {True}),
                              ("Mục 1", WD_ALIGN_PARAGRAPH.CENTER, {True}),
                              ("GIÁM ĐỐC SỞ", WD_ALIGN_PARAGRAPH.CENTER, {True}),
                              ("Điều 1. Phạm vi điều chỉnh", WD_ALIGN_PARAGRAPH.JUSTIFY, {True})]:
        p = next(p for p in all_paragraphs(document) if p.text == text)
        assert para_property(p, "alignment") == align and look(document, p)[2] == bold, text
        assert text == "QUY CHẾ" or para_property(p, "keep_with_next"), text  # a heading never ends a page
    reference = find(document, "(Kèm theo Quyết định số 12/QĐ-SYT")
    assert look(document, reference)[3] == {True}
    content = find(document, "Điều 1. Ban hành kèm theo")  # the decision's own article: only its label bold
    assert [r.bold for r in content.runs if r.text.strip()][:2] == [True, None]


def test_1_3_attached_text_header_prints_as_the_decisions(pdf):
    *pages, first = pdf["1.3"]
    attached = next(lines for lines in pages[1:] if find_line(lines, "QUY CHẾ"))
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ Y TẾ", "UBND TỈNH ĐỒNG NAI"):
        assert abs(top_line(attached, text).y - top_line(pages[0], text).y) < 0.5, text
        assert abs(top_line(attached, text).x - top_line(pages[0], text).x) < 0.5, text
    assert find_line(attached, "QUY CHẾ").y < find_line(attached, "CỘNG HÒA").y


def top_line(lines, text):
    return max((line for line in lines if line.text == text), key=lambda line: line.y)


def test_centred_lines_print_centred(pdf):
    for model, text in CENTRED.items():
        *pages, page = pdf[model]
        line = find_line(pages[0], text)
        left, right = 30 / 25.4 * 72, float(page.mediabox.width) - 15 / 25.4 * 72
        assert line.x > left + 40, (model, line)  # not at the first-line indent
        assert abs((left + right) / 2 - line.center) < 40, (model, line)


def test_1_9_secretary_and_chair_sign_level(pdf):
    *pages, _ = pdf["1.9"]
    secretary, chair = find_line(pages[-1], "THƯ KÝ"), find_line(pages[-1], "GIÁM ĐỐC")
    assert abs(secretary.y - chair.y) < 0.5 and secretary.x < chair.x


def test_both_parties_sign_level(pdf, rendered):
    *pages, _ = pdf["hop-dong"]
    lines = pages[-1]
    a, b = find_line(lines, "ĐẠI DIỆN BÊN A"), find_line(lines, "ĐẠI DIỆN BÊN B")
    ours, theirs = find_line(lines, "Phan Huy Anh Vũ"), find_line(lines, "Lê Thị Hoa")
    assert abs(a.y - b.y) < 0.5 and a.x < b.x and abs(ours.y - theirs.y) < 0.5 and ours.x < theirs.x
    assert find_line(lines, "TỔNG GIÁM ĐỐC").y > theirs.y
    assert "Số: 12/HĐ-SYT" in docx_paragraphs(rendered / "hop-dong.docx")


def test_1_10_confirmation_box_under_noi_nhan(pdf):
    *pages, _ = pdf["1.10"]
    lines = pages[-1]
    noi_nhan, box = find_line(lines, "Nơi nhận:"), find_line(lines, "(Chữ ký, dấu)")
    name = find_line(lines, "Phan Huy Anh Vũ")
    assert box.y < noi_nhan.y and box.x < name.x
