"""Segments of the bulk builder read back right through the reading codec."""
import random

from whoosh import fields
from whoosh.filedb.filestore import RamStorage
from whoosh.index import TOC

from vanthu.search.bulk import SegmentBuilder
from vanthu.search.schema import TermBag


def build(docs):
    """A one-field index of ``docs`` (lists of words) written by the bulk builder."""
    schema = fields.Schema(words=TermBag("meta"))
    storage = RamStorage()
    builder = SegmentBuilder(storage, schema)
    for words in docs:
        builder.add({"words": " ".join(words)})
    TOC(schema, [builder.finish()], 0).write(storage, "MAIN")
    return storage.open_index()


def test_postings_read_back_with_skips_and_frequencies():
    rng = random.Random(5)
    docs = [["lưu", "trữ"] * rng.randint(1, 4) if rng.random() < 0.7 else ["văn", "thư"] for _ in range(3000)]
    ix = build(docs)
    expected = [i for i, d in enumerate(docs) if "lưu" in d]
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_frequency("words", "luu") == len(expected)
        assert list(reader.postings("words", "luu").all_ids()) == expected
        targets = sorted(rng.sample(range(3000), 300))
        fast = reader.postings("words", "luu")
        for target in targets:
            if not fast.is_active():
                break
            fast.skip_to(target)
            if fast.is_active():
                assert fast.id() == next(i for i in expected if i >= target)
                assert fast.weight() == docs[fast.id()].count("lưu")


def test_field_lengths_read_from_memory_equal_whooshs_own():
    from whoosh.codec.whoosh3 import W3PerDocReader
    from vanthu.search.codec import _PerDocReader
    rng = random.Random(8)
    docs = [["lưu"] * rng.randint(0, 300) for _ in range(500)]  # 0 words too: W3 gives None, not the default
    ix = build(docs)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        segment, storage = reader.segment(), reader._storage
        assert isinstance(reader._perdoc, _PerDocReader)
        plain, cached = W3PerDocReader(storage, segment), _PerDocReader(storage, segment)
        for field in ("words", "no_such_field"):
            lengths = [cached.doc_field_length(d, field, 7) for d in range(len(docs) + 1)]
            assert lengths == [plain.doc_field_length(d, field, 7) for d in range(len(docs) + 1)]
        assert lengths == [7] * (len(docs) + 1)  # a field with no lengths gives the default
        assert cached.doc_field_length(3, "words") == plain.doc_field_length(3, "words") > 0
