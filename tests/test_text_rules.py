"""The rules of the text, one small function each (Nghị định 30 Phụ lục I)."""
import datetime as dt

import pytest

from vanthu.docnumber import DocumentNumber, make_symbol
from vanthu.errors import VanthuError
from vanthu.generator import body, text
from vanthu.vndate import long_date, parse_range, short_date


@pytest.mark.parametrize("day,expected", [
    (dt.date(2020, 8, 6), "ngày 06 tháng 8 năm 2020"),
    (dt.date(2021, 2, 5), "ngày 05 tháng 02 năm 2021"),
    (dt.date(2020, 1, 15), "ngày 15 tháng 01 năm 2020"),
    (dt.date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
    (dt.date(2020, 3, 3), "ngày 03 tháng 3 năm 2020"),
    (dt.date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
])
def test_long_date_pads_days_below_10_and_months_below_3(day, expected):
    assert long_date(day) == expected


def test_short_date():
    assert short_date(dt.date(2020, 8, 6)) == "06/8/2020"
    assert short_date(dt.date(2020, 2, 16)) == "16/02/2020"


@pytest.mark.parametrize("typed,first,last", [
    ("2020-08-05", dt.date(2020, 8, 5), dt.date(2020, 8, 5)),
    ("05/8/2020", dt.date(2020, 8, 5), dt.date(2020, 8, 5)),
    ("8/2020", dt.date(2020, 8, 1), dt.date(2020, 8, 31)),
    ("2/2020", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
])
def test_date_ranges_as_typed(typed, first, last):
    assert parse_range(typed) == (first, last)


@pytest.mark.parametrize("typed", ["2020-02-30", "31/4/2020", "hôm qua", "13/2020"])
def test_bad_dates_are_refused(typed):
    with pytest.raises(VanthuError):
        parse_range(typed)


@pytest.mark.parametrize("number,symbol,line", [
    (4482, "SYT-VP", "Số: 4482/SYT-VP"),
    (5, "TTr-SYT", "Số: 05/TTr-SYT"),
    (12, "QĐ-UBND", "Số: 12/QĐ-UBND"),
    (369, "PGD&ĐT", "Số: 369/PGD&ĐT"),
    (7, "QyĐ-BNV", "Số: 07/QyĐ-BNV"),
    (None, "SYT-VP", "Số:       /SYT-VP"),
])
def test_number_line_keeps_mixed_case_codes(number, symbol, line):
    assert DocumentNumber(number, symbol).line == line


def test_symbols_of_cong_van_and_typed_documents():
    assert make_symbol("SYT", None, "VP") == "SYT-VP"
    assert make_symbol("UBND", "QĐ") == "QĐ-UBND"
    assert make_symbol("PGD&ĐT") == "PGD&ĐT"


def test_number_key_is_tolerant_of_spacing_and_case():
    assert DocumentNumber.parse("4482 /syt-vp").key == DocumentNumber(4482, "SYT-VP").key == "4482/SYT-VP"
    assert str(DocumentNumber.parse("4482/SYT-VP")) == "4482/SYT-VP"
    for bad in ("abc", "/SYT", "0/SYT-VP"):
        with pytest.raises(VanthuError):
            DocumentNumber.parse(bad)


def test_list_punctuation_replaces_what_was_typed():
    assert text.punctuated(["Như trên;", "- Lưu: VT, VP"]) == ["- Như trên;", "- Lưu: VT, VP."]
    assert text.punctuated(["A.", "B;", "C"]) == ["- A;", "- B;", "- C."]


def test_one_recipient_inline_several_as_a_list():
    assert text.addressed_inline(["Bộ Nội vụ"]) == "Bộ Nội vụ."
    assert text.addressed_list(["Bộ Nội vụ"]) == []
    assert text.addressed_list(["A", "B."]) == ["- A;", "- B."]


def test_cong_van_subject_gets_one_v_v():
    assert text.cong_van_subject("triển khai BlueZone") == "V/v triển khai BlueZone"
    assert text.cong_van_subject("V/v triển khai BlueZone") == "V/v triển khai BlueZone"


def test_body_markup():
    blocks = body.parse("Mở đầu **đậm** và *nghiêng*.\n\n- gạch\n+ cộng\nĐiều 2. Hiệu lực\nII. NHIỆM VỤ\nChương I\n"
                        "| STT | Tên |\n|---|---|\n| 1 | A |\nKết {{ 7*7 }}")
    kinds = [getattr(b, "kind", "table") for b in blocks]
    assert kinds == ["body", "body", "body", "article", "heading", "part", "table", "body"]
    assert blocks[0].runs == [("Mở đầu ", False, False), ("đậm", True, False), (" và ", False, False),
                              ("nghiêng", False, True), (".", False, False)]
    assert blocks[1].runs[0][0] == "- gạch" and blocks[2].runs[0][0] == "+ cộng"
    assert blocks[3].runs == [("Điều 2. Hiệu lực", True, False)]  # an article's title is bold (Phụ lục I §II.6.d)
    content = body.parse("Điều 1. Thành lập Ban tổ chức gồm các ông (bà) có tên sau:")[0]
    assert content.runs[0] == ("Điều 1.", True, False) and content.runs[1][1] is False  # content: only the label
    assert blocks[6].rows == [["STT", "Tên"], ["1", "A"]]
    assert blocks[7].runs == [("Kết {{ 7*7 }}", False, False)]


def test_lone_stars_are_literal():
    assert body.inline("5 * 3 * 2") == [("5 * 3 * 2", False, False)]


def test_distribution_groups():
    lines = text.distribution(["Như trên;", "Lưu: VT", ("Bản điện tử", ["Như kính gửi", "Lãnh đạo."])])
    assert lines == ["- Như trên;", "- Lưu: VT.", "Bản điện tử:", "- Như kính gửi;", "- Lãnh đạo."]
    assert text.distribution(["A", "B"]) == text.punctuated(["A", "B"])


def test_a_number_is_found_as_printed_with_its_zero():
    from vanthu.docnumber import normalize_key
    assert normalize_key("04/SYT-VP") == normalize_key(" 4 / syt-vp") == DocumentNumber(4, "SYT-VP").key
    assert normalize_key("PGD&ĐT") == "PGD&ĐT"
