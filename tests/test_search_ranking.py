"""Ranking by the parts of a document, numbers as clerks type them, issuers and types named, did you mean."""
import dataclasses
import datetime as _dt
from pathlib import Path

import pytest
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

import vanthu
from conftest import DATA
from searchkit import engine_for, seed_document
from vanthu import yamlfile
from vanthu.archive.document import INCOMING
from vanthu.docnumber import DocumentNumber
from vanthu.search import rebuild, search
from vanthu.search.index import INDEX_NAME, index_dir
from vanthu.search.analysis import fold
from vanthu.search.issuers import expand, initials
from vanthu.search.numbers import read
from vanthu.search.query import Filters
from vanthu.search.ranking import TYPE_NAMES

BASE = seed_document()
FILLER = "Đề nghị các đơn vị thực hiện nghiêm túc nội dung trên."


def doc(doc_id, number, symbol, *, year=2020, type_name="Công văn", issuer="Sở Y tế tỉnh Đồng Nai", code="SYT",
        subject="báo cáo công tác", body=FILLER):
    return dataclasses.replace(BASE, id=doc_id, number=DocumentNumber(number, symbol), date=_dt.date(year, 5, 4),
                               type_name=type_name, issuer_name=issuer, issuer_code=code, subject=subject,
                               body=body, direction=INCOMING)


DOCS = [
    doc(1, 166, "QĐ-PGD&ĐT", type_name="Quyết định", issuer="Phòng Giáo dục và Đào tạo huyện Hiệp Hòa",
        code="PGD&ĐT", subject="thành lập Ban tổ chức giải Cờ vua"),
    doc(2, 166, "QĐ-PGD&ĐT", year=2019, type_name="Quyết định", issuer="Phòng Giáo dục và Đào tạo huyện Hiệp Hòa",
        code="PGD&ĐT", subject="khen thưởng học sinh giỏi"),
    doc(3, 166, "QĐ-UBND", type_name="Quyết định", issuer="Ủy ban nhân dân huyện Hiệp Hòa", code="UBND"),
    doc(4, 3, "QĐ-SYT", type_name="Quyết định", subject="giao chỉ tiêu tiêm chủng vắc xin rubella"),
    doc(5, 4482, "SYT-VP", subject="triển khai ứng dụng BlueZone",
        body="Đề nghị cài đặt BlueZone để phục vụ truy vết."),
    doc(6, 4199, "BYT-VPB1", issuer="Bộ Y tế", code="",
        body="BlueZone BlueZone BlueZone: cài đặt BlueZone, dùng BlueZone, khai báo BlueZone."),
    doc(7, 12, "GM-SYT", type_name="Giấy mời", subject="họp giao ban tháng 5", body="Trân trọng kính mời dự họp."),
    doc(8, 13, "SYT-VP", subject="chuẩn bị cuộc họp",
        body="Giấy mời họp: Sở gửi giấy mời họp giao ban; giấy mời họp kèm theo; đề nghị nhận giấy mời họp."),
    doc(9, 30, "2020/NĐ-CP", type_name="Nghị định", issuer="Chính phủ", code="CP", subject="về công tác văn thư"),
    doc(10, 21, "SYT-VP", subject="tiêm chủng mở rộng", body=" ".join(["kế hoạch tuyển sinh"] * 2)),
    doc(11, 22, "KH-SYT", type_name="Kế hoạch", subject="tuyển sinh lớp điều dưỡng"),
]


class Ranked:
    """The ranking home, searched by one backend (Whoosh in the home, or PostgreSQL)."""

    def __init__(self, path, engine):
        self.path, self.engine = path, engine

    def search(self, text="", **options):
        return self.engine.search(self.path, text, all_documents=lambda: DOCS, **options)


@pytest.fixture(scope="module", params=["whoosh", "postgresql"])
def home(request, tmp_path_factory):
    home = Ranked(tmp_path_factory.mktemp("ranking"), engine_for(request, request.param))
    home.engine.rebuild(home.path, DOCS)
    return home


def found(home, text="", **filters):
    outcome = home.search(text, filters=Filters(**filters))
    return [(r.number, r.date.year) for r in outcome.results]


def first(home, text, **filters):
    return found(home, text, **filters)[0]


@pytest.mark.parametrize("typed", ["166/QĐ-PGD&ĐT", "166/QĐ-PGDĐT", "166/qd-pgddt", "166/QD-PGD&DT", "166 PGDĐT",
                                   "PGDĐT 166", "166 / QĐ - PGD & ĐT", "0166/QĐ-PGDĐT", "QĐ-PGDĐT 166"])
def test_a_number_typed_as_clerks_do_finds_it(home, typed):
    assert {n for n, _ in found(home, typed)} == {"166/QĐ-PGD&ĐT"}   # not 166/QĐ-UBND


def test_a_year_typed_with_the_number_ranks_that_year_first(home):
    assert first(home, "166/2020") == ("166/QĐ-PGD&ĐT", 2020)
    assert first(home, "166/2019") == ("166/QĐ-PGD&ĐT", 2019)
    assert {n for n, _ in found(home, "166")} == {"166/QĐ-PGD&ĐT", "166/QĐ-UBND"}
    assert {n for n, _ in found(home, "QD 166")} == {"166/QĐ-PGD&ĐT", "166/QĐ-UBND"}   # both are QĐ


@pytest.mark.parametrize("typed, number", [("03/QD-SYT", "03/QĐ-SYT"), ("3/qđ-syt", "03/QĐ-SYT"),
                                           ("4482 SYT", "4482/SYT-VP"), ("4482 /syt-vp", "4482/SYT-VP"),
                                           ("VP 4482", "4482/SYT-VP"), ("30/2020/ND-CP", "30/2020/NĐ-CP"),
                                           ("so:4482", "4482/SYT-VP")])
def test_number_forms(home, typed, number):
    assert [n for n, _ in found(home, typed)][:1] == [number]


def test_a_number_that_is_not_there_falls_back_to_words(home):
    assert found(home, "4482 bluezone")[:1] == [("4482/SYT-VP", 2020)]
    assert found(home, "999 SYT") == []


def test_reading_numbers():
    typed = read("166/QĐ-PGDĐT")
    assert (typed.number, typed.parts, typed.year) == (166, ("qd", "pgddt"), None)
    assert read("166/2020").year == "2020" and read("QD 166").parts == ("qd",)
    for words in ["cờ vua 2020", "truy vet", "12 13 14", "", "thành lập ban tổ chức giải cờ vua 2020"]:
        assert read(words) is None


def test_subject_ranks_above_body_frequency(home):
    assert first(home, "truy vet")[0] == "4482/SYT-VP"           # only in its body
    assert first(home, "ung dung bluezone")[0] == "4482/SYT-VP"  # its subject; 4199 says BlueZone six times
    assert first(home, "tuyen sinh")[0] == "22/KH-SYT"           # subject, not "kế hoạch tuyển sinh" twice in a body


def test_the_type_named_ranks_documents_of_that_type_first(home):
    assert first(home, "giay moi")[0] == "12/GM-SYT"             # 13/SYT-VP says "giấy mời" four times
    assert first(home, "giấy mời họp")[0] == "12/GM-SYT"
    assert first(home, "ke hoach tuyen sinh")[0] == "22/KH-SYT"
    assert first(home, "quyet dinh co vua")[0] == "166/QĐ-PGD&ĐT"
    assert [n for n, _ in found(home, "giay moi")][:2] == ["12/GM-SYT", "13/SYT-VP"]   # the words still match


def test_types_known_include_every_built_in_template():
    folder = Path(vanthu.__file__).parent / "templates"
    titles = {yamlfile.load(path)["title"] for path in folder.glob("[!_]*.yaml")
              if "type_code" in yamlfile.load(path)}
    assert len(titles) >= 25
    assert {tuple(fold(title).split()) for title in titles} <= TYPE_NAMES


@pytest.mark.parametrize("issuer, number", [("BYT", "4199/BYT-VPB1"), ("byt", "4199/BYT-VPB1"),
                                            ("Bộ Y tế", "4199/BYT-VPB1"), ("bo y te", "4199/BYT-VPB1")])
def test_issuer_option_by_name_or_abbreviation(home, issuer, number):
    assert {n for n, _ in found(home, "bluezone", issuer=issuer)} == {number}


@pytest.mark.parametrize("issuer", ["PGD&ĐT", "PGDĐT", "pgddt", "Phòng Giáo dục và Đào tạo", "phong GD&ĐT"])
def test_issuer_pgd_dt_any_way(home, issuer):
    assert {n for n, _ in found(home, issuer=issuer)} == {"166/QĐ-PGD&ĐT"}


def test_issuer_named_in_the_query_ranks_first(home):
    assert first(home, "bluezone SYT")[0] == "4482/SYT-VP"
    assert first(home, "bluezone bộ y tế")[0] == "4199/BYT-VPB1"
    assert first(home, "UBND quyết định")[0] == "166/QĐ-UBND"


def test_abbreviations_expand_to_names():
    assert expand("SYT") == "sở y tế" and expand("PGD&ĐT") == "phòng giáo dục và đào tạo"
    assert expand("UBND") == "ủy ban nhân dân" and expand("BYT") == "bộ y tế" and expand("bluezone") is None
    assert initials("Sở Giáo dục và Đào tạo tỉnh Bắc Giang") == "sgddt" and initials("Bộ Y tế") == "byt"


def test_exact_diacritics_still_rank_first(home):
    assert first(home, "họp")[0] in {"12/GM-SYT", "13/SYT-VP"}
    assert [n for n, _ in found(home, "tiêm chủng")][:2] == ["21/SYT-VP", "03/QĐ-SYT"] or \
        set(n for n, _ in found(home, "tiêm chủng")[:2]) == {"21/SYT-VP", "03/QĐ-SYT"}


@pytest.mark.parametrize("typed, meant", [("rubela", "rubella"), ("tiếm chủng", "tiêm chủng"),
                                          ("bluezon SYT", "bluezone SYT"), ("giay moii", "giay moi")])
def test_did_you_mean(home, typed, meant):
    assert home.search(typed).suggestion == meant


def test_no_suggestion_for_known_words(home):
    assert home.search("truy vết").suggestion is None
    assert home.search("4482 SYT").suggestion is None


def test_cli_prints_did_you_mean(cli):
    assert cli("issue", DATA / "4482-SYT-VP.yaml", "--no-pdf").code == 0
    result = cli("search", "bluezon", "truy", "vêt")
    assert result.code == 0 and "Có phải bạn muốn tìm: bluezone truy vết" in result.out
    assert "Có phải bạn muốn tìm: bluezone" in cli("search", "bluezon", "--json").err


def test_an_index_of_an_older_version_is_rebuilt_with_a_warning(tmp_path):
    old = whoosh_fields.Schema(doc_id=whoosh_fields.ID(stored=True, unique=True))
    index_dir(tmp_path).mkdir(parents=True)
    whoosh_index.create_in(str(index_dir(tmp_path)), old, indexname=INDEX_NAME)
    outcome = search(tmp_path, "truy vet", all_documents=lambda: DOCS)
    assert [r.number for r in outcome.results] == ["4482/SYT-VP"]
    assert len(outcome.warnings) == 1 and "phiên bản" in outcome.warnings[0]


def test_a_ranked_matcher_whose_required_side_is_replaced_is_a_new_one():
    """Whoosh resyncs an intersection only when a side's replace() gives a new matcher: the required
    side of ranking.Ranked may turn into one standing on a later document (a union into an AndMaybe)."""
    from whoosh.matching import IntersectionMatcher, ListMatcher, UnionMatcher
    from vanthu.search.ranking import RankedMatcher
    required = UnionMatcher(ListMatcher([1, 4], all_weights=1.0), ListMatcher([3, 4], all_weights=5.0))
    ranked = RankedMatcher(required, [(10.0, ListMatcher([4], all_weights=1.0))])
    both = IntersectionMatcher(ranked, ListMatcher([1, 4], all_weights=1.0)).replace(13.0)
    found = []
    while both.is_active():
        found.append((both.id(), both.score()))
        both.next()
    assert found == [(4, 17.0)]  # 3 is not on the other side
