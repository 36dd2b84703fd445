"""Search over the seed dispatch and the real corpus: what a clerk types finds the right documents."""
import dataclasses
import datetime as _dt
import threading
import unicodedata

import pytest

from searchkit import Engine, all_documents, engine_for, seed_document
from vanthu.archive.document import ArchivedDocument, INCOMING
from vanthu.docnumber import DocumentNumber
from vanthu.errors import VanthuError
from vanthu.search import index_documents, rebuild, search
from vanthu.search.index import STALE_WARNING
from vanthu.search.analysis import folded_syllables, syllables
from vanthu.search.index import index_dir, writer_lock
from vanthu.search.query import Filters
from vanthu.search.schema import searchable_text

DOCS = all_documents()
SECRET = ArchivedDocument(
    id=100, direction=INCOMING, number=DocumentNumber(77, "BCA-A02"), date=_dt.date(2020, 8, 10),
    type_name="Công văn", issuer_name="Công an tỉnh Đồng Nai", issuer_code="CA",
    subject="phối hợp bảo vệ bí mật nhà nước", body="Phương án Hạc Trắng tại kho Bình Phước, mật mã xanh lam.",
    confidentiality="mật")


class Place:
    """A home searched by one backend (the Whoosh index in it, or the tables on PostgreSQL)."""

    def __init__(self, path, engine=None):
        self.path, self.engine = path, engine or Engine()

    def search(self, text="", **options):
        return self.engine.search(self.path, text, **options)


@pytest.fixture(scope="module", params=["whoosh", "postgresql"])
def home(request, tmp_path_factory):
    place = Place(tmp_path_factory.mktemp("home"), engine_for(request, request.param))
    place.engine.rebuild(place.path, DOCS + [SECRET])
    return place


@pytest.fixture(params=["whoosh", "postgresql"])
def engine(request):
    return engine_for(request, request.param)


def find(home, text="", **filters):
    place = home if isinstance(home, Place) else Place(home)
    outcome = place.search(text, filters=Filters(**filters), all_documents=lambda: DOCS + [SECRET])
    assert outcome.warnings == []
    return [r.number for r in outcome.results]


def having(phrase, split=folded_syllables):
    """Numbers of the documents whose syllables contain ``phrase``, computed from the texts."""
    wanted = split(phrase)
    found = []
    for doc in DOCS:
        words = split(searchable_text(doc))
        if any(words[i:i + len(wanted)] == wanted for i in range(len(words))):
            found.append(str(doc.number))
    return found


@pytest.mark.parametrize("typed", ["truy vet", "TRUY VẾT", unicodedata.normalize("NFD", "truy vết"),
                                   '"truy vết"', "Truy Vết"])
def test_truy_vet_typed_any_way_finds_the_seed(home, typed):
    assert find(home, typed) == ["4482/SYT-VP"] == having("truy vết")


def test_don_vi_finds_every_document_with_the_word(home):
    expected = having("đơn vị")
    assert len(expected) >= 4
    assert sorted(find(home, "don vi")) == sorted(expected)


def test_dieu_finds_documents_with_dieu_in_any_case_or_accent(home):
    expected = having("điều")
    assert len(expected) >= 3
    assert sorted(find(home, "dieu", )) == sorted(expected)


def test_a_number_typed_loosely_finds_that_document(home):
    assert find(home, "4482 /syt-vp") == ["4482/SYT-VP"]
    assert find(home, "166/qđ-pgd&đt") == ["166/QĐ-PGD&ĐT"]
    assert find(home, "so:4482/SYT-VP") == ["4482/SYT-VP"]


def test_date_range_includes_and_excludes_at_its_edges(home):
    # the seed is dated 06/8/2020, the Hiệp Hòa công văn 369 07/8/2020
    assert {"4482/SYT-VP", "369/PGD&ĐT"} <= set(find(home, date_from="2020-08-06", date_to="07/8/2020"))
    assert find(home, "bluezone", date_from="06/8/2020", date_to="06/8/2020") == ["4482/SYT-VP"]
    assert "4482/SYT-VP" not in find(home, "bluezone", date_from="2020-08-07")
    assert "4482/SYT-VP" not in find(home, "bluezone", date_to="2020-08-05")
    assert set(find(home, date_from="8/2020", date_to="8/2020")) == {"4482/SYT-VP", "369/PGD&ĐT", "77/BCA-A02"}
    assert "633/TB-UBND" in find(home, date_from="2020") and "633/TB-UBND" not in find(home, date_to="10/2020")


def test_filter_only_search_lists_most_recent_first(home):
    dates = [r.date for r in home.search(filters=Filters(date_from="2020"), all_documents=list).results]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(DOCS) + 1


def test_exact_diacritics_rank_first(home):
    ranked = find(home, "bàn")
    exact = having("bàn", syllables)
    assert exact and len(ranked) > len(exact)
    assert set(ranked[:len(exact)]) == set(exact)   # "bàn" before documents with only "bản", "ban"


def test_secret_body_never_found_nor_shown(home):
    for word in ["Hạc Trắng", "Bình Phước", "mật mã", "xanh lam", "phuong an"]:
        assert "77/BCA-A02" not in find(home, word)
    results = home.search("bảo vệ bí mật", all_documents=list).results
    assert [r.number for r in results][:1] == ["77/BCA-A02"]    # its metadata is searchable
    assert all(r.number != "77/BCA-A02" for r in results[1:])   # then documents with the words apart
    shown = results[0].snippet.plain
    assert "bảo vệ bí mật" in shown and "Hạc" not in shown and "Bình Phước" not in shown


def test_snippet_marks_the_words_found(home):
    [result] = home.search("truy vet", all_documents=list).results
    assert "«truy» «vết»" in result.snippet.text()
    assert result.date == _dt.date(2020, 8, 6) and result.type_name == "Công văn"


def test_query_syntax_or_not_fields_and_words_apart(home):
    assert set(find(home, 'bluezone OR "cờ vua"')) == set(having("bluezone")) | set(having("cờ vua"))
    assert set(find(home, "bluezone NOT covid")) == set(having("bluezone")) - set(having("covid"))
    assert find(home, "bluezone -covid") == find(home, "bluezone NOT covid")
    assert set(find(home, 'coquan:"hiệp hòa" type:"công văn"')) == {"369/PGD&ĐT", "458/PGD&ĐT"}
    # words typed together that are not a phrase anywhere: every word, anywhere
    assert find(home, "bluezone khẩn trương") == ["4482/SYT-VP"]
    with pytest.raises(VanthuError, match="không có trường 'color'"):
        find(home, "color:red")


def test_options_filter_by_type_and_issuer(home):
    assert set(find(home, type="Quyết định (cá biệt) kèm Danh sách")) == {"166/QĐ-PGD&ĐT"}
    assert find(home, "bluezone", issuer="SYT") == ["4482/SYT-VP"]
    assert set(find(home, "bluezone", issuer="hiệp hòa")) == {"369/PGD&ĐT"}


def test_new_documents_are_added_and_replaced(tmp_path, engine):
    place = Place(tmp_path, engine)
    engine.rebuild(tmp_path, DOCS)
    extra = dataclasses.replace(seed_document(50), number=DocumentNumber(4500, "SYT-VP"),
                                body="Về việc phòng chống lụt bão năm 2020.")
    assert engine.index_documents(tmp_path, [extra], all_documents=lambda: DOCS + [extra]) == []
    assert find(place, "lut bao") == ["4500/SYT-VP"]
    changed = dataclasses.replace(extra, body="Về việc phòng cháy chữa cháy.")
    engine.index_documents(tmp_path, [changed], all_documents=list)
    assert find(place, "lut bao") == [] and find(place, "chua chay") == ["4500/SYT-VP"]
    assert "369/PGD&ĐT" in find(place, "bluezone")   # the others are still there


def test_missing_index_is_built_from_the_archive_silently(tmp_path, engine):
    outcome = Place(tmp_path, engine).search("truy vet", all_documents=lambda: DOCS)
    assert [r.number for r in outcome.results] == ["4482/SYT-VP"] and outcome.warnings == []


@pytest.mark.parametrize("victim", [".trm", ".toc", "_stored.col"])
def test_truncated_index_file_is_rebuilt_on_the_next_search(tmp_path, victim):
    rebuild(tmp_path, DOCS)
    [path] = [p for p in index_dir(tmp_path).iterdir() if p.name.endswith(victim)]
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    outcome = search(tmp_path, "truy vet", all_documents=lambda: DOCS)
    assert [r.number for r in outcome.results] == ["4482/SYT-VP"]
    assert len(outcome.warnings) == 1 and "đã dựng lại" in outcome.warnings[0]
    assert search(tmp_path, "don vi", all_documents=list).warnings == []   # whole again


def test_a_second_writer_is_refused_clearly(tmp_path):
    rebuild(tmp_path, DOCS)
    held, release = threading.Event(), threading.Event()

    def first_writer():
        with writer_lock(tmp_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first_writer)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(VanthuError, match="đang được một lệnh vanthu khác ghi"):
            with writer_lock(tmp_path, wait=0.2):
                pass
    finally:
        release.set()
        thread.join()


def test_indexing_errors_are_raised_not_logged(tmp_path):
    rebuild(tmp_path, DOCS)
    broken = dataclasses.replace(seed_document(60), date=None)
    with pytest.raises(AttributeError):
        index_documents(tmp_path, [broken], all_documents=list)
    # nothing half-written; the index is marked stale and the next search rebuilds it, saying so
    outcome = search(tmp_path, "truy vet", filters=Filters(), all_documents=lambda: DOCS)
    assert [r.number for r in outcome.results] == ["4482/SYT-VP"]
    assert outcome.warnings == [STALE_WARNING]
    assert find(tmp_path, "truy vet") == ["4482/SYT-VP"]


def test_workers_build_the_same_index_as_one_process(tmp_path, monkeypatch):
    from vanthu.search import build
    monkeypatch.setattr(build, "SMALL", 3)
    monkeypatch.setattr(build, "BATCH_DOCS", 2)
    monkeypatch.setattr(build, "SEGMENT_DOCS", 3)
    rebuild(tmp_path, DOCS)
    assert len([p for p in index_dir(tmp_path).iterdir() if p.suffix == ".trm"]) >= 3
    for typed in ["don vi", "dieu", "bàn"]:
        assert sorted(find(tmp_path, typed)) == sorted(having(typed))
    assert find(tmp_path, "4482 /syt-vp") == ["4482/SYT-VP"]


def test_a_worker_error_is_raised_in_the_parent(tmp_path, monkeypatch):
    from vanthu.search import build
    monkeypatch.setattr(build, "SMALL", 3)
    monkeypatch.setattr(build, "BATCH_DOCS", 2)
    broken = dataclasses.replace(seed_document(60), date=None)
    with pytest.raises(RuntimeError, match="AttributeError"):
        rebuild(tmp_path, DOCS + [broken])
    assert not index_dir(tmp_path).exists()


def test_champion_lists_rank_a_common_word_as_the_full_index_does(tmp_path):
    from vanthu.search.index import open_index
    from vanthu.search.query import parse
    from vanthu.search.schema import CHAMPION_SIZE
    base = seed_document()
    docs = [dataclasses.replace(base, id=i, number=DocumentNumber(i, "SYT-VP"), date=_dt.date(2020, 1, 1) + _dt.timedelta(i),
                                body=" ".join(["bàn bạc"] * (i % 7 + 1) + ["họp"] * (i % 5) + ["văn bản"] * (i % 3)))
            for i in range(1, 3 * CHAMPION_SIZE)]
    rebuild(tmp_path, docs)
    top = search(tmp_path, "bàn", limit=10, all_documents=list).results
    with open_index(tmp_path).searcher() as searcher:
        full = [hit["number"] for hit in searcher.search(parse("bàn").query, limit=10)]
        champions = searcher.search(parse("bàn").champion, limit=None).scored_length()
    assert [r.number for r in top] == full and champions < len(docs)   # same ranking, fewer documents scored
    # a filter that leaves no champion: the full lists answer
    early = search(tmp_path, "bàn bạc", filters=Filters(date_to="2020-01-04"), all_documents=list).results
    assert sorted(r.number for r in early) == ["01/SYT-VP", "02/SYT-VP", "03/SYT-VP"]


def test_an_empty_archive_answers_nothing(tmp_path, engine):
    place = Place(tmp_path, engine)
    assert place.search("truy vet", all_documents=list).results == []
    assert place.search(filters=Filters(date_from="2020"), all_documents=list).results == []
    if engine.name == "whoosh":
        assert sorted(p.name for p in index_dir(tmp_path).iterdir()) == ["_MAIN_0.toc", "vanthu-manifest-0.json"]
    else:
        assert not index_dir(tmp_path).exists()   # the index is on the server


def test_a_long_phrase_needs_its_syllables_in_a_row(tmp_path, engine):
    base = seed_document()
    together = dataclasses.replace(base, id=1, body="Đề nghị cài đặt ứng dụng BlueZone.")
    apart = dataclasses.replace(base, id=2, number=DocumentNumber(2, "SYT-VP"), subject="phần mềm máy chủ",
                                body="Cài đặt phần mềm; đặt ứng dụng lên máy chủ.")   # "cài đặt" and "đặt ứng", apart
    engine.rebuild(tmp_path, [together, apart])
    place = Place(tmp_path, engine)
    assert find(place, '"cài đặt ứng dụng"') == ["4482/SYT-VP"]
    assert find(place, "cai dat ung") == ["4482/SYT-VP", "02/SYT-VP"]   # in a row first, then apart
    assert sorted(find(place, '"cài đặt" "đặt ứng"')) == ["02/SYT-VP", "4482/SYT-VP"]
    assert sorted(find(place, "Phan Huy Anh Vũ")) == ["02/SYT-VP", "4482/SYT-VP"]   # the signer, in metadata
