"""Running a search over the index (tra cứu)."""
import datetime as _dt
import heapq
import re

from whoosh import query as q

from ..docnumber import DocumentNumber
from ..errors import VanthuError
from .index import READ_DAMAGE, open_or_rebuild
from .query import Filters, parse
from .analysis import folded_syllables
from .results import SECRET_MARKS, Outcome, Result, Snippet, make_snippet
from .suggest import suggestion
from .schema import CHAMPION_SIZE

DEFAULT_LIMIT = 20
NARROW_FILTER = 2_000  # documents: fewer than this, champion lists would only cost
MAX_LIMIT = 1_000_000  # a guard against 2**63, not a policy: the heap holds only what matches
MAX_QUERY_WORDS = 64  # a long subject line is 30 words; 1,000 is a pasted page
MAX_QUERY_CHARS = 1_000
VERIFY_DEPTH = 5  # how many times ``limit`` hits are checked when phrases were found apart


def search(home, text="", filters=Filters(), limit=DEFAULT_LIMIT, *, all_documents):
    """Ranked results for a query; rebuilds a damaged index from ``all_documents()`` first."""
    if limit < 1 or limit > MAX_LIMIT:
        raise VanthuError(f"--limit phải là số nguyên từ 1 đến {_n(MAX_LIMIT)}")
    _check_query(text)
    parsed = parse(text, filters)
    ix, warnings = open_or_rebuild(home, all_documents)
    try:
        with ix.searcher() as searcher:
            found = _run(searcher, parsed, limit)
            return Outcome([_result(stored, score, parsed.words) for stored, score in found], warnings,
                           suggestion(searcher, text) if parsed.words and not parsed.is_number else None)
    except READ_DAMAGE as damage:
        raise VanthuError(f"chỉ mục tìm kiếm bị hỏng ({damage}); chạy 'vanthu reindex'") from damage


def _check_query(text):
    """A query is a few words: a pasted page would cost seconds and find nothing better."""
    words = len(text.split())
    if words > MAX_QUERY_WORDS or len(text) > MAX_QUERY_CHARS:
        raise VanthuError(f"câu tìm có {_n(words)} từ, {_n(len(text))} ký tự: quá giới hạn {MAX_QUERY_WORDS} từ hay "
                          f"{_n(MAX_QUERY_CHARS)} ký tự; hãy tìm bằng vài từ đặc trưng hoặc một cụm trong ngoặc kép")
    if bad := re.search(r"[\ud800-\udfff\x00-\x08\x0b-\x1f]", text):
        raise VanthuError(f"câu tìm có ký tự hỏng U+{ord(bad.group()):04X} (sai bảng mã?); hãy gõ lại")


def _n(number):
    return f"{number:,}".replace(",", ".")


def _run(searcher, parsed, limit):
    """``(stored fields, score)`` of the best ``limit`` documents."""
    if not (parsed.words or parsed.is_number):
        return _newest(searcher, parsed.query, limit)
    if parsed.number is not None:  # a number typed as clerks do: that document, else the words
        found = _search(searcher, parsed.number, limit, ())
        if found:
            return found
    if parsed.champion is not None and limit <= CHAMPION_SIZE // 2 and not _narrow(searcher, parsed):
        found = _search(searcher, parsed.champion, limit, parsed.phrases)
        if len(found) == limit:
            return found
    found = _search(searcher, parsed.query, limit, parsed.phrases)
    if (not found or parsed.fill and len(found) < limit) and parsed.fallback is not None:
        # a short page: the words apart too (a superset, the phrase still ranks first)
        found = _search(searcher, parsed.fallback, limit, parsed.fallback_phrases) or found
    return found


def _narrow(searcher, parsed):
    """Whether the filters leave so few documents that scoring them all is quick."""
    return parsed.docset is not None and parsed.docset.count(searcher) <= NARROW_FILTER


def _search(searcher, query, limit, phrases):
    """The best hits; with long phrases, only those whose text has them (pairs may be apart)."""
    hits = _pairs(searcher.search(query, limit=limit))
    if not phrases:
        return hits
    kept = [hit for hit in hits if _has_phrases(hit[0], phrases)]
    if len(kept) < limit and len(hits) == limit:  # some were dropped: look deeper, once
        deeper = _pairs(searcher.search(query, limit=limit * VERIFY_DEPTH))
        kept = [hit for hit in deeper if _has_phrases(hit[0], phrases)][:limit]
    return kept


def _has_phrases(stored, phrases):
    """Whether the indexed text of a document holds each phrase, syllables in a row
    (or its subject has every word of it: see ``ranking.in_subject``)."""
    text = " ".join(stored.get(name) or "" for name in ("number", "type_name", "issuer_name", "subject_text",
                                                         "people", "body"))
    folded = f" {' '.join(folded_syllables(text))} "
    subject = set(folded_syllables(stored.get("subject_text") or ""))
    return all(f" {' '.join(phrase)} " in folded or apart and subject.issuperset(phrase) for phrase, apart in phrases)


def _pairs(hits):
    return [(hit.fields(), hit.score) for hit in hits]


def _newest(searcher, query, limit):
    """Filters only: the most recent documents first, read off the date column."""
    if not searcher.doc_count():
        return []
    dates = searcher.reader().column_reader("date")
    newest = heapq.nlargest(limit, query.docs(searcher), key=lambda docnum: (dates[docnum], docnum))
    return [(searcher.stored_fields(docnum), None) for docnum in newest]


def _result(stored, score, words):
    text = stored.get("body") or stored.get("subject_text", "")
    return Result(
        number=stored["number"], date=_date(stored["date"]), type_name=stored.get("type_name", ""),
        subject=stored.get("subject_text", ""), issuer=stored.get("issuer_name", ""),
        direction=stored.get("direction", ""), snippet=make_snippet(text, words) if text else Snippet(()),
        score=score, doc_id=int(stored["doc_id"]), confidentiality=_secrecy(stored.get("confidentiality")))


def _secrecy(stored):
    return SECRET_MARKS.get(stored, stored) if stored else None


def _date(value):
    return _dt.date(value // 10000, value // 100 % 100, value % 100)


def citations(home, number, all_documents):
    """``(cites, cited_by)`` of a document number, from the index."""
    key = DocumentNumber.parse(number).key if isinstance(number, str) else number.key
    ix, _ = open_or_rebuild(home, all_documents)
    with ix.searcher() as searcher:
        own = searcher.document(number_key=key) or {}
        citing = searcher.search(q.Term("cites", key), limit=None, sortedby="date")
        return list(own.get("cited", [])), [hit["number"] for hit in citing]


# The same checks, verification and results for the PostgreSQL backend (vanthu.search.pg), which runs these readings.
check_query, has_phrases, result_of, grouped = _check_query, _has_phrases, _result, _n
