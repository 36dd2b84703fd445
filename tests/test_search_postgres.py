"""The search tables on PostgreSQL (vanthu.search.pg): kept level with the archive, one commit at a time."""
import dataclasses
import datetime as dt
import threading

import psycopg
import pytest

from searchkit import engine_for
from vanthu.archive.document import OUTGOING, ArchivedDocument
from vanthu.docnumber import DocumentNumber
from vanthu.errors import VanthuError
from vanthu.search import pg
from vanthu.search.pg import store
from vanthu.search.pg.run import Searcher
from vanthu.search.query import Filters, parse
from vanthu.search.schema import CHAMPION_SIZE


def document(n, body=None, subject=None, day=None):
    return ArchivedDocument(id=n, direction=OUTGOING, number=DocumentNumber(n, "SYT-VP"),
                            date=day or dt.date(2020, 8, 6), type_name="Công văn", issuer_name="Sở Y tế",
                            issuer_code="SYT", subject=subject or f"việc số {n}",
                            body=body or f"triển khai truy vết lần thứ {n} tại các đơn vị",
                            signer="Phan Huy Anh Vũ", recipients=["Các đơn vị"])


@pytest.fixture
def engine(request):
    return engine_for(request, "postgresql")


def numbers(engine, path, text, docs, **options):
    outcome = engine.search(path, text, all_documents=lambda: docs, **options)
    assert outcome.warnings == []
    return [r.number for r in outcome.results]


def terms(url):
    conn = store.connection(url)
    return dict(conn.execute("SELECT lexeme, df FROM search_terms WHERE df <> 0").fetchall()), store.totals(conn)


def test_documents_added_one_commit_at_a_time_keep_the_statistics_of_a_rebuild(tmp_path, engine):
    docs = [document(n) for n in range(1, 4)]
    engine.rebuild(tmp_path, docs)
    for n in range(4, 12):
        docs.append(document(n))
        assert engine.index_documents(tmp_path, [docs[-1]], lambda: docs) == []
    docs[0] = dataclasses.replace(docs[0], subject="đổi trích yếu", body="phòng chống lụt bão")
    engine.index_documents(tmp_path, [docs[0]], lambda: docs)
    assert sorted(numbers(engine, tmp_path, "truy vết", docs, limit=100)) == sorted(str(d.number) for d in docs[1:])
    assert numbers(engine, tmp_path, "đổi trích yếu", docs) == ["01/SYT-VP"]
    updated = terms(engine.url)
    engine.rebuild(tmp_path, docs)
    assert terms(engine.url) == updated   # document frequencies, counts and lengths as a rebuild makes them


def test_a_failed_update_leaves_the_tables_as_they_were_and_the_next_search_applies_it(tmp_path, engine, monkeypatch):
    docs = [document(n) for n in range(1, 4)]
    engine.rebuild(tmp_path, docs)
    before = terms(engine.url)
    docs.append(document(4, body="phòng chống lụt bão"))
    real = store._add_terms
    monkeypatch.setattr(store, "_add_terms", lambda conn, change: (_ for _ in ()).throw(OSError("mất kết nối")))
    with pytest.raises(OSError):
        engine.index_documents(tmp_path, [docs[-1]], lambda: docs)
    monkeypatch.setattr(store, "_add_terms", real)
    assert terms(engine.url) == before   # one transaction: the row, the statistics and the position, or nothing
    assert numbers(engine, tmp_path, "lụt bão", docs) == ["04/SYT-VP"]   # the search caught up


def test_a_second_writer_is_refused_clearly(tmp_path, engine):
    docs = [document(1)]
    engine.rebuild(tmp_path, docs)
    held, release = threading.Event(), threading.Event()

    def first_writer():
        with psycopg.connect(engine.url, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s)", (store.SEARCH_LOCK,))
            held.set()
            release.wait(20)

    thread = threading.Thread(target=first_writer)
    thread.start()
    held.wait(10)
    try:
        docs.append(document(2))
        with pytest.raises(VanthuError, match="đang được một lệnh vanthu khác ghi"):
            engine.index_documents(tmp_path, [docs[-1]], lambda: docs)
        outcome = engine.search(tmp_path, "truy vết", all_documents=lambda: docs)   # a search goes on, and says so
        assert [r.number for r in outcome.results] == ["01/SYT-VP"] and outcome.warnings == [pg.BUSY_WARNING]
    finally:
        release.set()
        thread.join()
    assert sorted(numbers(engine, tmp_path, "truy vết", docs)) == ["01/SYT-VP", "02/SYT-VP"]   # then caught up


def common_word_archive(count=3 * CHAMPION_SIZE):
    return [document(i, subject="họp giao ban" if i % 9 else "bàn bạc kế hoạch", day=dt.date(2020, 1, 1) + dt.timedelta(i),
                     body=" ".join(["bàn bạc"] * (i % 7 + 1) + ["họp"] * (i % 5) + ["văn bản"] * (i % 3)))
            for i in range(1, count)]


def test_champion_lists_rank_a_common_word_as_every_document_does(tmp_path, engine):
    docs = common_word_archive()
    engine.rebuild(tmp_path, docs)
    searcher = Searcher(store.connection(engine.url))
    parsed = parse("bàn")
    champions = searcher.ranked(parsed.champion, champions=True)
    everything = searcher.ranked(parsed.query)
    assert len(champions) < len(everything) == len(docs)   # fewer documents scored
    assert champions[:10] == everything[:10]                # the same first page, the same scores
    assert numbers(engine, tmp_path, "bàn", docs, limit=10) == [str(DocumentNumber(i, "SYT-VP"))
                                                               for i, _ in everything[:10]]
    # a filter that leaves few documents: every one is scored
    early = numbers(engine, tmp_path, "bàn bạc", docs, filters=Filters(date_to="2020-01-04"))
    assert sorted(early) == ["01/SYT-VP", "02/SYT-VP", "03/SYT-VP"]


def test_a_document_added_after_the_rebuild_is_looked_at_by_the_champion_search(tmp_path, engine):
    docs = common_word_archive()
    engine.rebuild(tmp_path, docs)
    best = document(500, subject="bàn bạc", body=" ".join(["bàn"] * 40))
    docs.append(best)
    engine.index_documents(tmp_path, [best], lambda: docs)
    assert numbers(engine, tmp_path, "bàn", docs, limit=5)[0] == "500/SYT-VP"


def test_a_secret_body_is_not_on_the_server(tmp_path, engine):
    secret = dataclasses.replace(document(1, body="Phương án Hạc Trắng"), confidentiality="mật")
    engine.rebuild(tmp_path, [secret, document(2)])
    conn = store.connection(engine.url)
    body, text = conn.execute("SELECT body, terms::text FROM search_documents WHERE doc_id = 1").fetchone()
    assert body is None and "hac" not in text and "trắng" not in text
    assert numbers(engine, tmp_path, "Hạc Trắng", [secret]) == []
    assert numbers(engine, tmp_path, "việc số 1", [secret])[:1] == ["01/SYT-VP"]   # its metadata is searchable


def read_only(engine):
    """The same database through a read-only session (as a streaming replica is), its log moved on by one event."""
    from searchkit import Engine
    reader = Engine(engine.url + "?options=-c%20default_transaction_read_only%3Don")
    reader.event = engine.event + 1
    return reader


def test_a_read_only_server_searches_what_it_has_and_says_so(tmp_path, engine):
    docs = [document(1), document(2)]
    engine.rebuild(tmp_path, docs)
    docs.append(document(3, body="phòng chống lụt bão"))   # in the archive, not yet in the search tables
    reader = read_only(engine)
    try:
        outcome = reader.search(tmp_path, "truy vết", all_documents=lambda: docs)
        assert sorted(r.number for r in outcome.results) == ["01/SYT-VP", "02/SYT-VP"]
        assert outcome.warnings == [pg.READ_ONLY_WARNING]
        assert reader.search(tmp_path, "lụt bão", all_documents=lambda: docs).results == []
        assert store.applied(store.connection(engine.url)) == engine.position()   # nothing written
    finally:
        store.forget(reader.url)
    engine.index_documents(tmp_path, [docs[-1]], lambda: docs)   # the primary catches up: then it is found
    assert numbers(engine, tmp_path, "lụt bão", docs) == ["03/SYT-VP"]


def test_a_read_only_server_without_search_tables_says_what_to_do(tmp_path, engine):
    reader = read_only(engine)
    try:
        with pytest.raises(VanthuError, match="chỉ đọc.*vanthu reindex' trên máy chủ chính"):
            reader.search(tmp_path, "truy vết", all_documents=lambda: [document(1)])
    finally:
        store.forget(reader.url)
    assert not store.state(store.connection(engine.url))   # no table made


def test_a_word_that_names_a_type_is_read_from_champion_lists_with_that_types_documents(tmp_path, engine):
    docs = [document(i, subject="họp giao ban", body=" ".join(["pháp luật"] * (i % 7 + 1) + ["họp"] * (i % 5)))
            for i in range(1, 3 * CHAMPION_SIZE)]
    docs[5] = dataclasses.replace(docs[5], type_name="Luật")   # one document of the type the word names
    engine.rebuild(tmp_path, docs)
    searcher = Searcher(store.connection(engine.url))
    parsed = parse("luật")
    assert parsed.champion is None and searcher.named(parsed) is not None   # the type's documents are few
    tree, condition = searcher.named(parsed)
    champions = searcher.ranked(tree, champions=True, also=condition)
    everything = searcher.ranked(parsed.query)
    assert len(champions) < len(everything) == len(docs)
    assert champions[:10] == everything[:10]   # the same first page, the same scores
    assert champions[0][0] == 6                # the document of type Luật first (its bonus)
    assert numbers(engine, tmp_path, "luật", docs)[:10] == [str(DocumentNumber(i, "SYT-VP")) for i, _ in everything[:10]]


def test_a_word_that_names_a_common_type_is_read_from_champion_lists_alone_past_a_broad_reading(
        tmp_path, engine, monkeypatch):
    from vanthu.search.pg import run
    docs = [dataclasses.replace(document(i, subject="họp giao ban", body=" ".join(["công văn"] * (i % 7 + 1) + ["họp"] * (i % 5))),
                                type_name="Công văn" if i % 2 else "Quyết định") for i in range(1, 3 * CHAMPION_SIZE)]
    engine.rebuild(tmp_path, docs)
    searcher = Searcher(store.connection(engine.url))
    parsed = parse("công văn")
    assert parsed.champion is None and searcher.named(parsed) is None   # 191 rows: the full reading, as Whoosh
    monkeypatch.setattr(run, "BROAD_READING", 100)                     # as if they were a province's million
    tree, condition = searcher.named(parsed)
    assert condition is None                                            # the type's documents are not added
    champions = searcher.ranked(tree, champions=True)
    everything = dict(searcher.ranked(parsed.query))
    assert len(docs) == len(everything) > len(champions) >= 10
    assert all(everything[doc_id] == score for doc_id, score in champions)   # each scored as in the full reading
    assert all(doc_id % 2 for doc_id, _ in champions[:10])                  # the type's documents first (its bonus)
    page = numbers(engine, tmp_path, "công văn", docs)   # the page the clerk sees: the champion reading's
    assert len(page) >= 10 and page == [str(DocumentNumber(i, "SYT-VP")) for i, _ in champions[:len(page)]]
