"""Relevance: clerks' queries over the real documents, alone and hidden among 5,000 generated ones.

The figures are in docs/search.md; the floors below are the levels reached
(a change that ranks worse fails here). The index of 5,000 distractors is
built once per session by the bulk builder (a few seconds).
"""
import pytest
import relevancekit as kit
from whoosh import query as whoosh_query
from vanthu.search.index import open_index
from vanthu.search.query import parse
from vanthu.search.ranking import Ranked

DISTRACTORS = 5_000
FLOOR = {  # (MRR@10, success@1), as reached by the ranking of issue 17
    "alone": (1.0, 1.0),
    "hidden": (0.88, 0.83),
}


@pytest.fixture(scope="session")
def indexes(tmp_path_factory):
    built = {}
    for name, count in (("alone", 0), ("hidden", DISTRACTORS)):
        home = tmp_path_factory.mktemp(f"relevance-{name}")
        built[name] = (home, kit.build(home, count))
    return built


def test_the_set_is_large_enough(indexes):
    assert len(kit.queries()) >= 40
    assert len(indexes["hidden"][1]) >= DISTRACTORS + len(kit.real_documents())
    expected = {e for _, e in kit.queries()}
    numbers = {str(d.number) for d in kit.real_documents()}
    assert all(any(kit.same(n, e) for n in numbers) for e in expected)   # every expected document is real


@pytest.mark.parametrize("name", ["alone", "hidden"])
def test_mrr_and_success_at_one_hold(indexes, name):
    home, docs = indexes[name]
    ranks = kit.ranks(home, docs)
    mrr, success = kit.measure(list(ranks.values()))
    missed = {q: r for q, r in ranks.items() if r != 1}
    floor_mrr, floor_success = FLOOR[name]
    assert mrr >= floor_mrr and success >= floor_success, (
        f"{name}: MRR@10 {mrr:.3f} (floor {floor_mrr}), success@1 {success:.3f} (floor {floor_success}); "
        f"not first: {missed}")


def test_the_first_page_is_the_first_page_of_the_full_ranking(indexes):
    """Whoosh's top-N search skips what cannot make the page: it must not skip what does."""
    home, _ = indexes["hidden"]
    with open_index(home).searcher() as searcher:
        for text, _ in kit.queries():
            query = parse(text).fallback or parse(text).query
            page = [round(hit.score, 6) for hit in searcher.search(query, limit=kit.DEPTH)]
            full = [round(hit.score, 6) for hit in searcher.search(query, limit=None)][:kit.DEPTH]   # all scored
            assert page == full, text


def _as_whoosh(node):
    """Whoosh's own AndMaybe in place of :class:`Ranked` (which looks bonuses up lazily)."""
    return whoosh_query.AndMaybe(node.a, node.b) if type(node) is Ranked else node


@pytest.mark.parametrize("limit", [1, 3, kit.DEPTH])
def test_lazy_bonuses_give_the_page_of_whooshs_full_ranking(indexes, limit):
    """Ranked skips the bonus look-ups that cannot change the page: same documents, same scores,
    as every document scored by Whoosh's AndMaybe(required, Or(bonuses))."""
    home, _ = indexes["hidden"]
    ranked = 0
    with open_index(home).searcher() as searcher:
        for text, _ in kit.queries():
            for query in filter(None, (parse(text).query, parse(text).fallback, parse(text).champion)):
                plain = query.accept(_as_whoosh)
                ranked += "Ranked(" in repr(query)
                page = [(hit.docnum, round(hit.score, 6)) for hit in searcher.search(query, limit=limit)]
                full = [(hit.docnum, round(hit.score, 6)) for hit in searcher.search(plain, limit=None)][:limit]
                assert page == full, text
    assert ranked >= len(kit.queries())  # most queries have a run of words, so bonuses
