"""Ranking by the parts of a document (xếp hạng theo thành phần văn bản).

Which documents match is decided by their content (metadata and body); what
comes first is decided by where the words are:

* the subject (trích yếu): each word typed, with its diacritics if it was
  typed with them, and the words typed together as a phrase of the subject;
* the type (tên loại) when the query names one at its start or end
  (``giấy mời họp``, ``kế hoạch tuyển sinh``): a document of that type, or
  one whose text has those words, matches; the type itself ranks first;
* the issuer (cơ quan ban hành) when the query names one (``sở y tế``) or
  writes its abbreviation (``SYT``, ``PGDĐT``, ``UBND``): likewise.

Each of these adds a fixed score (:class:`Bonus`), so the order is
one a clerk can predict, in tiers: the words exactly as typed (with their
diacritics) first, then the type or issuer named, then the subject (the
words in a row, then each word), then the words in a row in the text;
body frequency (BM25F over the content) orders documents within a tier.
All of it is ordinary Whoosh queries over BM25F; the bonuses of a run are
added by :class:`Ranked`, a flat ``AndMaybe`` that looks a bonus up only for a
document that could still reach the first page.
"""
from dataclasses import dataclass, field

from whoosh import query as q
from whoosh.matching import Matcher, NullMatcher, NullMatcherClass, ReadTooFar
from whoosh.matching.wrappers import ConstantScoreWrapperMatcher
from whoosh.query.wrappers import WrappingQuery

from ..docnumber import normalize_key
from . import issuers
from .analysis import fold, has_marks
from .numbers import FIELD as NUMBER_PARTS

# Scores added (BM25F of the content is some 5-60 a word).
EXACT_SCORE = 1000.0   # every word typed with diacritics is in the document as typed
TYPE_SCORE = 300.0     # the document is of the type the query names
ISSUER_SCORE = 300.0   # the document is by the issuer the query names
SUBJECT_PHRASE = 80.0  # the words typed together, in a row in the subject
SUBJECT_WORD = 15.0    # each typed word found in the subject
ISSUER_WORD = 10.0     # each two typed words found together in the issuer's name ("Hiệp Hòa")
CONTENT_PHRASE = 40.0  # words found apart: those in a row in the text first

# The type names of Nghị định 30 (Điều 7) and those received from others,
# folded: a query that starts or ends with one names the type.
TYPE_NAMES = {tuple(fold(name).split()) for name in (
    "công văn", "nghị quyết", "quyết định", "chỉ thị", "quy chế", "quy định", "thông cáo", "thông báo",
    "hướng dẫn", "chương trình", "kế hoạch", "phương án", "đề án", "dự án", "báo cáo", "biên bản",
    "tờ trình", "hợp đồng", "công điện", "bản ghi nhớ", "bản thỏa thuận", "giấy ủy quyền", "giấy mời",
    "giấy giới thiệu", "giấy nghỉ phép", "phiếu gửi", "phiếu chuyển", "phiếu báo", "thư công",
    "nghị định", "thông tư", "luật", "pháp lệnh", "thông tư liên tịch")}
_LONGEST_TYPE = max(map(len, TYPE_NAMES))


class Bonus(WrappingQuery):
    """A fixed score for the documents of a query (điểm cộng cố định).

    Whoosh's ``ConstantScoreQuery`` reads every document of its query into a
    list first (all the postings of a common subject word, on every search)
    and gives up the constant when its parent needs the current document;
    this wraps the query's own matcher, read only as far as the search goes.
    """

    def __init__(self, child, score):
        super().__init__(child)
        self.score = score

    def __eq__(self, other):
        return type(other) is Bonus and other.child == self.child and other.score == self.score

    def __hash__(self):
        return hash(("Bonus", self.child, self.score))

    def _rewrap(self, child):
        return Bonus(child, self.score)

    def matcher(self, searcher, context=None):
        found = self.child.matcher(searcher, context)
        return found if isinstance(found, NullMatcherClass) else ConstantScoreWrapperMatcher(found, self.score)


class Ranked(q.AndMaybe):
    """``required`` scored, plus each :class:`Bonus` of ``bonuses`` (an ``Or``) it has (điểm cộng).

    The same documents and scores as Whoosh's ``AndMaybe(required, Or(bonuses))``,
    found with less work: Whoosh moves every bonus's matcher, through a tree of
    unions, to every document required; here a bonus is looked up only when
    the document's score is asked, biggest bonus first, and not at all once the
    document cannot beat the N-th best found so far.
    """

    def matcher(self, searcher, context=None):
        required = self.a.matcher(searcher, context)
        if not required.is_active():
            return NullMatcher()
        parts = self.b.subqueries if isinstance(self.b, q.Or) else [self.b]
        if not all(isinstance(part, Bonus) for part in parts):
            return super().matcher(searcher, context)
        found = [(part.score, part.child.matcher(searcher, context)) for part in parts]
        bonuses = sorted(((s, m) for s, m in found if m.is_active()), key=lambda b: -b[0])
        return RankedMatcher(required, bonuses) if bonuses else required


class RankedMatcher(Matcher):
    """The matcher of :class:`Ranked`: ``required``'s documents, bonuses looked up lazily.

    ``bonuses`` is a list of ``(score, matcher)``, biggest first; a bonus's
    matcher only moves forward, to the document being scored. ``floor`` is
    the score the N-th best document has (told by ``replace``): a document
    that cannot beat it even with every bonus left is not looked up further,
    since Whoosh keeps only those scoring above it.
    """

    def __init__(self, required, bonuses, floor=0.0):
        self.required, self.bonuses, self.floor = required, bonuses, floor
        self.most = sum(score for score, _ in bonuses)

    def is_active(self):
        return self.required.is_active()

    def id(self):
        return self.required.id()

    def next(self):
        return self.required.next()

    def skip_to(self, docnum):
        return self.required.skip_to(docnum)

    def reset(self):
        self.required.reset()
        for _, bonus in self.bonuses:
            bonus.reset()

    def copy(self):
        return RankedMatcher(self.required.copy(), [(s, m.copy()) for s, m in self.bonuses], self.floor)

    def children(self):
        return [self.required] + [m for _, m in self.bonuses]

    def score(self):
        docnum, got = self.required.id(), self.required.score()
        left = self.most
        for score, bonus in self.bonuses:
            if got + left <= self.floor:
                break  # it cannot enter the first page: its exact score does not matter
            left -= score
            if _has(bonus, docnum):
                got += score
        return got

    def weight(self):
        return self.required.weight()

    def supports(self, astype):
        return self.required.supports(astype)

    def value(self):
        return self.required.value()

    def value_as(self, astype):
        return self.required.value_as(astype)

    def spans(self):
        return self.required.spans()

    def supports_block_quality(self):
        return self.required.supports_block_quality()

    def max_quality(self):
        return self.required.max_quality() + self.most

    def block_quality(self):
        return self.required.block_quality() + self.most

    def skip_to_quality(self, minquality):
        if not self.required.is_active():
            raise ReadTooFar
        return self.required.skip_to_quality(minquality - self.most)

    def replace(self, minquality=0):
        if not self.required.is_active():
            return NullMatcher()
        if minquality and self.max_quality() < minquality:
            return NullMatcher()
        required = self.required.replace(max(0, minquality - self.most) if minquality else 0)
        if not required.is_active():
            return NullMatcher()
        if required is not self.required:  # a new matcher may stand elsewhere: a new one, so parents resync
            return RankedMatcher(required, self.bonuses, minquality or 0)
        self.floor = minquality or 0
        return self


def _has(matcher, docnum):
    """Whether a forward-only matcher has ``docnum`` (moved to it, or past it)."""
    if not matcher.is_active():
        return False
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
        if not matcher.is_active():
            return False
    return matcher.id() == docnum


@dataclass
class Reading:
    """A run of typed words split into plain runs and named facets (loại, cơ quan)."""

    runs: list = field(default_factory=list)    # lists of exact syllables
    facets: list = field(default_factory=list)  # (kind, exact syllables)


def read_run(exact):
    """Split a run of exact syllables: the type at its start or end, an issuer's name in it."""
    reading, exact = Reading(), list(exact)
    for at_start in (True, False):
        size = _type_at(exact, at_start)
        if size:
            part, exact = (exact[:size], exact[size:]) if at_start else (exact[-size:], exact[:-size])
            reading.facets.append(("type", part))
    span = issuers.name_in([fold(s) for s in exact])
    if span:
        start, end = span
        reading.facets.append(("issuer", exact[start:end]))
        reading.runs = [r for r in (exact[:start], exact[end:]) if r]
    else:
        reading.runs = [exact] if exact else []
    return reading


def _type_at(exact, at_start):
    folded = [fold(s) for s in exact]
    for size in range(min(_LONGEST_TYPE, len(folded)), 0, -1):
        part = folded[:size] if at_start else folded[-size:]
        if tuple(part) in TYPE_NAMES:
            return size
    return 0


def exact_bonus(exact):
    """Documents with every syllable typed with diacritics, as typed (``bàn``, not ``bản``)."""
    marked = [q.Term("text", s) for s in dict.fromkeys(exact) if has_marks(s)]
    if not marked:
        return []  # typed without diacritics: every form is meant
    return [Bonus(marked[0] if len(marked) == 1 else q.And(marked), EXACT_SCORE)]


def subject_boosts(exact):
    """The subject clauses of a run: its words, and the run as a phrase of the subject;
    and its pairs of words in the issuer's name (a place: "Hiệp Hòa")."""
    found = [Bonus(q.Term("subject_exact", s) if has_marks(s) else q.Term("subject", fold(s)),
                                SUBJECT_WORD) for s in dict.fromkeys(exact)]
    folded = [fold(s) for s in exact]
    pairs = list(dict.fromkeys(f"{a} {b}" for a, b in zip(folded, folded[1:])))
    if pairs:
        found.append(Bonus(q.And([q.Term("subject", p) for p in pairs]), SUBJECT_PHRASE))
    found += [Bonus(q.Term("issuer", p), ISSUER_WORD) for p in pairs]
    return found


def in_subject(folded):
    """Documents whose subject has every one of these folded syllables, in any order."""
    return q.And([q.Term("subject", f) for f in dict.fromkeys(folded)])


def _meta(fieldname, folded):
    if len(folded) == 1:
        return q.Term(fieldname, folded[0])
    return q.And([q.Term(fieldname, f"{a} {b}") for a, b in zip(folded, folded[1:])])


def type_match(exact):
    """Documents whose type name has these words (``giấy mời``)."""
    return _meta("type", [fold(s) for s in exact])


def issuer_match(exact):
    """Documents whose issuer has this name, or the abbreviation of it."""
    folded = [fold(s) for s in exact]
    options = [_meta("issuer", folded)]
    abbreviation = issuers.initials(" ".join(folded))
    if abbreviation:
        options.append(q.Term("issuer", abbreviation))
    return q.Or(options)


def abbreviation_match(word):
    """Documents of the issuer an abbreviation names (``SYT``): by code, initials, name or symbol."""
    key = issuers.compact(word)
    return q.Or([q.Term("issuer", key), q.Term("issuer_code", normalize_key(word)), q.Term(NUMBER_PARTS, f"p:{key}"),
                 _meta("issuer", [fold(s) for s in issuers.expand(word).split()])])


def facet(match, score, content):
    """A named facet: the documents it names rank first, those whose text has the words match too."""
    match = Bonus(match, score)
    return q.Or([match, content]) if content is not None else match
