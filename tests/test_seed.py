"""The seed dispatch 4482/SYT-VP and its form, rendered through the CLI and read back."""
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from layout import (all_paragraphs, cell_width, find, has_bottom_border, look, open_docx, para_property,
                    rule_length, twips, width_of)
from readback import docx_paragraphs, missing_in_order

SEEDS = ["4482-SYT-VP", "dang-ky-tai-khoan-bluezone"]


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    from conftest import DATA, render_all
    out = tmp_path_factory.mktemp("seed")
    render_all(DATA, SEEDS, out)
    return out


@pytest.mark.parametrize("name", SEEDS)
def test_text_in_order(seed_docx, data, name):
    text = "\n".join(docx_paragraphs(seed_docx / f"{name}.docx"))
    assert missing_in_order(data / f"{name}.expected.txt", text) == []


def test_dispatch_carries_the_blank_form_after_it(seed_docx, data):
    text = "\n".join(docx_paragraphs(seed_docx / "4482-SYT-VP.docx"))
    body_end = text.index("theo sự chỉ đạo./.")
    form = text.index("BẢNG ĐĂNG KÝ TÀI KHOẢN")
    assert body_end < form
    assert "1. Tên CDC/Trung tâm Y tế dự phòng tỉnh, thành phố: ....." in text


@pytest.fixture(scope="module")
def dispatch(seed_docx):
    return open_docx(seed_docx / "4482-SYT-VP.docx")


def test_page_is_a4_with_the_decree_margins(dispatch):
    for section in dispatch.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
        assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20


def test_every_run_is_times_new_roman(dispatch):
    for p in all_paragraphs(dispatch):
        if p.text.strip():
            fonts = look(dispatch, p)[0]
            assert fonts == {"Times New Roman"}, p.text


# prefix, sizes allowed, bold, italic, all capitals (Nghị định 30 Phụ lục I, spec §3)
ELEMENTS = [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (12, 13), True, False, True),
    ("Độc lập - Tự do - Hạnh phúc", (13, 14), True, False, False),
    ("UBND TỈNH ĐỒNG NAI", (12, 13), False, False, True),
    ("SỞ Y TẾ", (12, 13), True, False, True),
    ("Số: 4482/SYT-VP", (13, 13), False, False, False),
    ("Đồng Nai, ngày 06 tháng 8 năm 2020", (13, 14), False, True, False),
    ("V/v triển khai", (12, 13), False, False, False),
    ("Kính gửi:", (13, 14), False, False, False),
    ("- Các đơn vị trực thuộc Sở Y tế;", (13, 14), False, False, False),
    ("Thực hiện Công văn số 4199", (13, 14), False, False, False),
    ("Nơi nhận:", (12, 12), True, True, False),
    ("- Như trên;", (11, 11), False, False, False),
    ("- Lưu: VT, VP.", (11, 11), False, False, False),
    ("GIÁM ĐỐC", (13, 14), True, False, True),
    ("Phan Huy Anh Vũ", (13, 14), True, False, False),
]


@pytest.mark.parametrize("prefix,sizes,bold,italic,upper", ELEMENTS, ids=[e[0][:20] for e in ELEMENTS])
def test_element_typography(dispatch, prefix, sizes, bold, italic, upper):
    p = find(dispatch, prefix)
    _, size, b, i = look(dispatch, p)
    assert len(size) == 1 and sizes[0] <= size.pop() <= sizes[1]
    assert b == {bold} and i == {italic}
    if upper:
        assert p.text == p.text.upper()


def test_header_is_a_borderless_two_column_table(dispatch):
    table = dispatch.tables[0]
    assert len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    left, right = table.rows[0].cells
    assert "SỞ Y TẾ" in left.text and "CỘNG HÒA" in right.text
    assert "Số: 4482/SYT-VP" in table.rows[1].cells[0].text and "Đồng Nai, ngày" in table.rows[1].cells[1].text


def _rule_after(document, prefix):
    paragraphs = list(all_paragraphs(document))
    index = next(i for i, p in enumerate(paragraphs) if p.text.strip().startswith(prefix))
    rule = paragraphs[index + 1]
    assert rule.text == "" and has_bottom_border(rule), "a rule is a bordered empty paragraph, never underscores"
    return rule


def test_rule_under_the_issuer_is_a_third_to_a_half_of_its_line(dispatch):
    name = find(dispatch, "SỞ Y TẾ")
    ratio = rule_length(_rule_after(dispatch, "SỞ Y TẾ")) / min(width_of(name, 13, True), cell_width(name))
    assert 1 / 3 <= ratio <= 1 / 2


def test_rule_under_the_motto_is_as_long_as_the_motto(dispatch):
    motto = find(dispatch, "Độc lập")
    ratio = rule_length(_rule_after(dispatch, "Độc lập")) / width_of(motto, 13, True)
    assert 0.97 <= ratio <= 1.03


def test_no_underscore_rules(seed_docx):
    assert not any("___" in p for p in docx_paragraphs(seed_docx / "4482-SYT-VP.docx"))


@pytest.mark.parametrize("prefix", ["Thực hiện Công văn", "1. Các đơn vị", "- Đề nghị bệnh nhân", "Đề nghị các đơn vị"])
def test_body_is_justified_indented_and_spaced(dispatch, prefix):
    p = find(dispatch, prefix)
    assert para_property(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 567 <= twips(para_property(p, "first_line_indent")) <= 720  # 1 to 1.27 cm
    assert para_property(p, "space_before").pt >= 6


def test_page_numbers_centred_in_the_top_margin_from_page_2(dispatch):
    section = dispatch.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text.strip()
    header = section.header
    instr = [f.get(qn("w:instr")) for f in header._element.iter(qn("w:fldSimple"))]
    assert "PAGE" in instr
    assert para_property(header.paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_recipients_and_signature_side_by_side(dispatch):
    row = dispatch.tables[-1].rows[0] if len(dispatch.tables) == 2 else dispatch.tables[1].rows[0]
    left, right = row.cells
    assert left.text.strip().startswith("Nơi nhận:") and "GIÁM ĐỐC" in right.text and "Phan Huy Anh Vũ" in right.text


def test_attachment_starts_on_a_new_page_numbered_from_1(dispatch):
    assert len(dispatch.sections) == 2
    second = dispatch.sections[1]
    assert second.start_type == 2  # WD_SECTION.NEW_PAGE
    assert second._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    first_of_second = next(p for p in all_paragraphs(dispatch) if p.text.startswith("BẢNG ĐĂNG KÝ"))
    assert first_of_second.text.startswith("BẢNG ĐĂNG KÝ TÀI KHOẢN")
