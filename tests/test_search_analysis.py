"""Vietnamese analysis: normalisation, tone placement, folding, pairs, citations."""
import unicodedata

import pytest

from vanthu.citations import cited_numbers
from vanthu.docnumber import DocumentNumber
from vanthu.search.analysis import TermCounts, fold, folded_syllables, normalize, pairs, syllables


@pytest.mark.parametrize("old, new", [("hòa", "hoà"), ("thủy", "thuỷ"), ("òa", "oà"), ("óe", "oé"),
                                      ("ùy", "uỳ"), ("HÓA", "hoá"), ("Ủy ban", "uỷ ban"), ("khỏe", "khoẻ")])
def test_old_and_new_tone_placement_are_one_syllable(old, new):
    assert syllables(old) == syllables(new) == new.lower().split()


@pytest.mark.parametrize("word", ["hoàng", "thuyết", "khuya", "toán", "quý", "của", "mùa"])
def test_closed_syllables_keep_their_tone_mark(word):
    assert normalize(word) == word


def test_decomposed_input_reads_as_composed():
    nfd = unicodedata.normalize("NFD", "Truy vết người nghi nhiễm")
    assert nfd != "Truy vết người nghi nhiễm"
    assert syllables(nfd) == ["truy", "vết", "người", "nghi", "nhiễm"]


def test_folding_removes_every_mark_and_crosses_d():
    assert fold("Đơn vị ĐIỀU Chỉnh ưu tiên ở") == "don vi dieu chinh uu tien o"
    assert folded_syllables("THUỶ lợi, thủy sản") == ["thuy", "loi", "thuy", "san"]


def test_no_stop_words_and_one_letter_syllables_kept():
    text = "an toàn, can thiệp, to lớn, may mặc, ý kiến, ở đâu, a"
    assert syllables(text) == ["an", "toàn", "can", "thiệp", "to", "lớn", "may", "mặc",
                               "ý", "kiến", "ở", "đâu", "a"]


def test_term_counts_give_exact_folded_and_pair_terms():
    counts = TermCounts("Đơn vị trực thuộc; các đơn vị")
    assert counts.exact == {"đơn": 2, "vị": 2, "trực": 1, "thuộc": 1, "các": 1}
    assert counts.folded["don"] == 2
    assert counts.pairs == {"don vi": 2, "vi truc": 1, "truc thuoc": 1, "thuoc cac": 1, "cac don": 1}
    assert pairs(["truy", "vet"]) == ["truy vet"]


def test_cited_numbers_found_in_text_without_dates_or_own_number():
    text = ("Số: 4482 /SYT-VP. Thực hiện Công văn số 4199/BYT-VPB1 ngày 05/8/2020 của Bộ Y tế; "
            "Nghị định số 30/2020/NĐ-CP; Quyết định 166/QĐ-PGD&ĐT; Covid-19 từ 01/7/2020; lại 4199/BYT-VPB1.")
    found = cited_numbers(text, own=DocumentNumber.parse("4482/SYT-VP"))
    assert [str(n) for n in found] == ["4199/BYT-VPB1", "30/2020/NĐ-CP", "166/QĐ-PGD&ĐT"]
    assert found[0].key == DocumentNumber.parse("4199 / byt-vpb1").key
