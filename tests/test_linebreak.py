"""The word-boundary component (ngắt dòng): compounds and codes kept whole, lines balanced."""
import pytest

from vanthu.generator import linebreak as lb
from vanthu.generator.measure import text_width
from vanthu.templates import layout as L

CELL = L.HEADER_LEFT - 2 * L.CELL_MARGIN


@pytest.mark.parametrize("text, wanted", [
    ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", ["PHÒNG", "GIÁO DỤC", "VÀ ĐÀO TẠO"]),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", ["ỦY BAN", "NHÂN DÂN", "THÀNH PHỐ", "HỒ CHÍ MINH"]),
    ("Sở Thông tin và Truyền thông", ["Sở", "Thông tin", "và Truyền thông"]),
    ("ứng dụng chữ ký số năm học 2020-2021", ["ứng dụng", "chữ ký số", "năm học", "2020-2021"]),
    ("số 30/2020/NĐ-CP.", ["số 30/2020/NĐ-CP."]),
    ("tỉnh Bà Rịa - Vũng Tàu", ["tỉnh", "Bà Rịa - Vũng Tàu"]),
])
def test_units_keep_compounds_and_codes_whole(text, wanted):
    assert lb.units(text) == wanted


def test_header_names_break_as_the_originals_do():
    assert lb.fitted("ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA", CELL, (13,))[1] == ["ỦY BAN NHÂN DÂN", "HUYỆN HIỆP HÒA"]
    assert lb.balanced("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", CELL, 13) == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]
    assert lb.balanced("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", CELL, 13, True) == ["SỞ THÔNG TIN", "VÀ TRUYỀN THÔNG"]


def test_a_name_that_fits_stays_on_one_line_and_12_pt_is_tried_before_breaking():
    assert lb.fitted("SỞ Y TẾ", CELL, (13, 12), True) == (13, ["SỞ Y TẾ"])
    name = "TRƯỜNG THPT HIỆP HÒA SỐ 1"  # a hair too wide at 13 pt, fits at 12
    assert text_width(name, 13, True) > CELL * lb.SAFETY >= text_width(name, 12, True)
    assert lb.fitted(name, CELL, (13, 12), True) == (12, [name])


def test_lines_fit_and_are_balanced():
    text = "V/v Triển khai Nghị định số 30/2020/NĐ-CP về công tác văn thư và ứng dụng chữ ký số năm học 2020-2021"
    lines = lb.balanced(text, CELL, 12)
    assert " ".join(lines) == text
    widths = [text_width(line, 12) for line in lines]
    assert max(widths) <= CELL
    parts = lb.units(text)  # no fewer lines can hold it
    measure = lambda i, j: text_width(" ".join(parts[i:j]), 12)
    assert lb._best_split(parts, len(lines) - 1, measure, CELL * lb.SAFETY) is None
    for before, after in zip(lines, lines[1:]):
        assert not lb.inside_compound(before, after)
        assert not before.endswith(("-", "/")) and before.split()[-1].casefold() not in lb.GLUE_NEXT


def test_a_record_forces_a_break_with_a_new_line():
    assert lb.balanced("ỦY BAN NHÂN DÂN\nHUYỆN HIỆP HÒA", 99999, 13) == ["ỦY BAN NHÂN DÂN", "HUYỆN HIỆP HÒA"]


def test_inside_compound_sees_a_split_word():
    assert lb.inside_compound("PHÒNG GIÁO DỤC VÀ ĐÀO", "TẠO")
    assert lb.inside_compound("ỦY BAN NHÂN DÂN THÀNH", "PHỐ HỒ CHÍ MINH")
    assert not lb.inside_compound("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH")


def test_a_record_line_break_reaches_the_docx(cli, tmp_path):
    from ruamel.yaml import YAML

    from layout import find, open_docx
    from test_document_types import EXAMPLES
    from vanthu import yamlfile
    record = yamlfile.load(EXAMPLES / "369-PGDDT.yaml")
    record["issuer"]["parent"] = "ỦY BAN NHÂN DÂN\nHUYỆN HIỆP HÒA"
    record["issuer"]["name"] = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    with open(tmp_path / "r.yaml", "w", encoding="utf-8") as f:
        YAML().dump(record, f)
    assert cli("render", tmp_path / "r.yaml", "-o", tmp_path / "r.docx").code == 0
    document = open_docx(tmp_path / "r.docx")
    assert find(document, "ỦY BAN NHÂN DÂN").text == "ỦY BAN NHÂN DÂN\nHUYỆN HIỆP HÒA"
    assert find(document, "PHÒNG GIÁO DỤC").text == "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
