"""What a clerk types, as a Whoosh query (cú pháp tìm kiếm).

* words: every word must appear, with or without diacritics; the words typed
  with their diacritics rank first (``bàn`` before ``bản``);
* ``"truy vết"``: a phrase, answered from syllable-pair terms;
* ``field:value`` or ``field:"a phrase"``: one field (names below, English or
  Vietnamese without diacritics);
* ``OR`` between two terms: either; ``NOT term`` or ``-term``: without it;
* a whole query that is a document number (``4482 /syt-vp``) looks up the number.
"""
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Optional

from whoosh import query as q
from whoosh.matching import ListMatcher, MultiMatcher, NullMatcher, WrappingMatcher

from ..docnumber import normalize_key
from ..errors import VanthuError
from ..vndate import parse_range
from . import matching, numbers, ranking  # noqa: F401  (matching: a fix to Whoosh's top-N search)
from .analysis import fold, folded_syllables, has_marks, syllables
from .issuers import is_abbreviation
from .schema import EXACT, FOLDED, PAIRS, date_value, keyword

_DAY = _dt.timedelta(days=1)

FIELDS = {  # what may be typed before ':' -> the field it searches
    "subject": "subject", "trichyeu": "subject",
    "issuer": "issuer", "coquan": "issuer",
    "signer": "signer", "nguoiky": "signer",
    "recipients": "recipients", "noinhan": "recipients",
    "type": "type", "loai": "type",
    "number": "number", "so": "number",
    "date": "date", "ngay": "date",
    "year": "year", "nam": "year",
    "direction": "direction", "huong": "direction",
    "confidentiality": "confidentiality", "domat": "confidentiality",
}
DIRECTIONS = {"out": "out", "di": "out", "in": "in", "den": "in"}
_NUMBER = re.compile(r"^\s*\d+\s*/\s*\S*[^\W\d_]\S*\s*$")  # a symbol has a letter
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_SYNTAX = re.compile(r'[:"]|(?:^|\s)(?:OR|NOT|-)(?:\s|$)|(?:^|\s)-\w')  # not a bare number then


@dataclass(frozen=True)
class Filters:
    """Restrictions from options (bộ lọc): dates, type, issuer."""

    date_from: Optional[str] = None
    date_to: Optional[str] = None
    type: Optional[str] = None
    issuer: Optional[str] = None

    def queries(self):
        found = []
        if self.date_from or self.date_to:
            low = parse_range(self.date_from)[0] if self.date_from else None
            high = parse_range(self.date_to)[1] if self.date_to else None
            if low and high and low > high:
                raise VanthuError(f"khoảng ngày trống: --from {self.date_from} sau --to {self.date_to}")
            found.append(_dates(low, high))
        if self.type:
            found.append(q.Or([q.Term("type_key", keyword(self.type)), ranking.type_match(syllables(self.type))])
                         if syllables(self.type) else q.Term("type_key", keyword(self.type)))
        if self.issuer:
            found.append(issuer_query(self.issuer))
        return found


@dataclass
class Parsed:
    """A parsed query: the Whoosh query and the syllables to highlight.

    ``fallback`` is the same query with words typed together taken one by
    one: it is run when the phrase reading finds nothing.
    """

    query: q.Query
    words: set = field(default_factory=set)  # folded syllables to mark in snippets
    is_number: bool = False
    number: Optional[q.Query] = None  # the query read as a number typed loosely, tried first
    fallback: Optional[q.Query] = None
    champion: Optional[q.Query] = None  # the same over champion lists, tried first
    phrases: tuple = ()           # phrases of 3+ syllables to check in the text of each result
    fallback_phrases: tuple = ()
    docset: Optional["DocSet"] = None  # the filters, when there are words too
    fill: bool = False  # a short page is filled from ``fallback`` (words of a trích yếu, not one word)


def looks_like_number(text):
    return bool(_NUMBER.match(text))


def parse(text, filters=Filters()):
    """The Whoosh query for what was typed, with the filters ANDed in."""
    text = (text or "").strip()
    parsed = _parse_words(text)
    typed = numbers.read(text) if not _SYNTAX.search(text) else None
    if typed:
        parsed.number, parsed.is_number = typed.query(), True
    extra = filters.queries()
    if extra:
        if parsed.query != q.Every():
            parsed.docset = DocSet(q.And(extra))
            extra = [parsed.docset]  # one list for every reading
        parsed.query = _with_filters(parsed.query, extra)
        parsed.fallback = parsed.fallback and _with_filters(parsed.fallback, extra)
        parsed.champion = parsed.champion and _with_filters(parsed.champion, extra)
        parsed.number = parsed.number and _with_filters(parsed.number, extra)
    return parsed


def _with_filters(query, extra):
    if query == q.Every():
        return q.And(extra)
    return q.And([query, extra[0] if isinstance(extra[0], DocSet) else DocSet(q.And(extra))])


class DocSet(q.Query):
    """The documents of the filters, listed once per segment (liệt kê một lần).

    Whoosh intersects by skipping each side to the other's next document: a
    short list on one side means few skips in the long posting lists of the
    words, and only the documents left are scored. The list is kept, so the
    champion, full and fallback readings of one search share it.
    """

    def __init__(self, query):
        self.query = query
        self._lists = {}

    def __eq__(self, other):
        return type(other) is DocSet and other.query == self.query

    def __hash__(self):
        return hash(("DocSet", self.query))

    def __repr__(self):
        return f"DocSet({self.query!r})"

    def __str__(self):
        return f"[{self.query}]"

    def estimate_size(self, ixreader):
        return 1  # small: Whoosh lets the smallest side lead

    def matcher(self, searcher, context=None):
        if not searcher.is_atomic():
            subs = searcher.subsearchers
            return MultiMatcher([self.matcher(sub, context) for sub, _ in subs], [offset for _, offset in subs])
        ids = self._listed(searcher)
        return ListMatcher(ids, all_weights=1.0) if ids else NullMatcher()

    def _listed(self, searcher):
        reader = searcher.reader()
        if reader not in self._lists:
            self._lists[reader] = sorted(self.query.docs(searcher))
        return self._lists[reader]

    def count(self, searcher):
        """How many documents pass the filters (listing them, for the search to come)."""
        subs = [searcher] if searcher.is_atomic() else [sub for sub, _ in searcher.subsearchers]
        return sum(len(self._listed(sub)) for sub in subs)


def _parse_words(text):
    words, phrases, split_phrases = set(), [], []
    tokens = _runs(list(_tokens(text)))
    query = _build(tokens, words, phrases)
    split = _build(tokens, set(), split_phrases, loose=True)
    champion = None
    if len(tokens) == 1 and _one_run(tokens[0]):
        champion = content_query(tokens[0][2], set(), champions=True, literal=tokens[0][3])
    # Two syllables are mostly one word ("đơn vị"), found only in a row; three or
    # more are words of a trích yếu, found apart too when in a row gives a short page.
    fill = any(_is_plain(t) and len(syllables(t[2])) >= 3 for t in tokens)
    return Parsed(query, words, fallback=None if split == query else split, champion=champion,
                  phrases=tuple(phrases), fallback_phrases=tuple(split_phrases), fill=fill)


def _tokens(text):
    """(negated, field, value, quoted) for each term; "OR" and "NOT" as themselves."""
    for match in _TOKEN.finditer(text):
        minus, name, phrase, bare = match.groups()
        if name is None and phrase is None and bare in ("OR", "NOT"):
            yield bare
        else:
            yield (bool(minus), name, phrase if phrase is not None else bare, phrase is not None)


def _is_plain(token):
    return isinstance(token, tuple) and not token[0] and token[1] is None and not token[3]


def _one_run(token):
    """Whether a token is one run of words (or a quoted phrase) naming no type or issuer."""
    if not isinstance(token, tuple) or token[0] or token[1] is not None:
        return False
    return token[3] or not _recognised(token[2])


def _recognised(value):
    """Whether plain words name a type or an issuer (then they are not scored from champion lists)."""
    return is_abbreviation(value) or bool(ranking.read_run(syllables(value)).facets)


def _joins(token):
    """Whether a plain word joins the words typed before it into a phrase."""
    return _is_plain(token) and not looks_like_number(token[2]) and not is_abbreviation(token[2])


def _runs(tokens):
    """Plain words typed one after another become one phrase: ``truy vết``.

    An operator takes only the one word after it: ``NOT bàn hoà`` is
    "without bàn, with hoà".
    """
    merged, sealed = [], True
    for token in tokens:
        if _joins(token) and not sealed and _joins(merged[-1]):
            merged[-1] = (False, None, f"{merged[-1][2]} {token[2]}", False)
        else:
            sealed = merged[-1] in ("OR", "NOT") if merged else False
            merged.append(token)
            sealed = sealed or token in ("OR", "NOT")
    return merged


def _build(tokens, words, phrases=None, loose=False):
    """The query of the tokens; ``phrases`` gets the long phrases every result must have.

    ``loose``: words typed together need not be in a row (the phrase ranks first).
    """
    groups, required, pending_or, negate_next = [], [], False, False
    for token in tokens:
        if token in ("OR", "NOT"):
            pending_or, negate_next = token == "OR", token == "NOT"
            continue
        negated, name, value, quoted = token
        clause = _clause(name, value, words, quoted, loose)
        if clause is None:
            continue
        negated = negated or negate_next
        if negated:
            clause, negate_next = q.Not(clause), False
        if pending_or and groups:
            groups[-1], required[-1] = q.Or([groups[-1], clause]), None
        else:
            groups.append(clause)
            required.append(_long_phrases(name, value, quoted) if not (negated or loose and not quoted) else None)
        pending_or = False
    if phrases is not None:
        phrases.extend(p for group in required if group for p in group)
    return _combine(groups)


def _long_phrases(name, value, quoted):
    """The phrases of three syllables or more a value requires (pairs alone may be apart).

    A type or issuer named in plain words is not required as a phrase: the
    document may be of that type, or by that issuer, without the words.
    """
    if name is not None or looks_like_number(value):
        return []
    runs = [syllables(value)] if quoted else ranking.read_run(syllables(value)).runs
    # (syllables, whether the subject may have them apart instead: not for a quoted phrase)
    return [(folded, not quoted) for folded in (tuple(map(fold, run)) for run in runs) if len(folded) >= 3]


def _combine(groups):
    if not groups:
        return q.Every()
    if all(isinstance(g, q.Not) for g in groups):
        groups = [q.Every(), *groups]
    return groups[0] if len(groups) == 1 else q.And(groups)


def _clause(name, value, words, quoted=False, loose=False):
    if name is None:
        if looks_like_number(value):
            return _number_query(value)
        if not quoted and is_abbreviation(value):
            return ranking.facet(ranking.abbreviation_match(value), ranking.ISSUER_SCORE,
                                 content_query(value, words, recognise=False))
        return content_query(value, words, recognise=not quoted, loose=loose and not quoted, literal=quoted)
    target = FIELDS.get(fold(name))
    if target is None:
        known = ", ".join(sorted(set(FIELDS.values())))
        raise VanthuError(f"không có trường '{name}' để tìm; các trường: {known}")
    return _field_query(target, value, words)


def _number_query(value):
    typed = numbers.read(value)
    return typed.query() if typed else q.Term("number_key", normalize_key(value))


def content_query(text, words, champions=False, recognise=False, loose=False, literal=False):
    """Words or a phrase over the document's content, exact forms and subject boosted.

    With ``recognise``, a type or an issuer named in the words is a facet
    (see :mod:`.ranking`). With ``champions``, the required terms are read
    from the champion lists (the documents where each term weighs most): a
    quick first answer for one common word or pair, good when it gives a
    full page of results.
    """
    exact = syllables(text)
    if not exact:
        return None
    reading = ranking.read_run(exact) if recognise else None
    if reading and reading.facets:
        return _faceted(reading, words, loose)
    return _words(exact, words, champions, loose, literal)


def _faceted(reading, words, loose=False):
    """The plain runs, each required, and each facet: its documents, or its words."""
    clauses = [_words(run, words, loose=loose) for run in reading.runs]
    for kind, part in reading.facets:
        match, boost = ((ranking.type_match(part), ranking.TYPE_SCORE) if kind == "type"
                        else (ranking.issuer_match(part), ranking.ISSUER_SCORE))
        # the facet's own words rank by the facet, not again as words of the subject
        clauses.append(ranking.facet(match, boost, _words(part, words, loose=loose, bonuses=False)))
    return clauses[0] if len(clauses) == 1 else q.And(clauses)


def _words(exact, words, champions=False, loose=False, literal=False, bonuses=True):
    """Exact syllables in a row: their pairs required (the word for one); see :mod:`.ranking`.

    Or every word in the subject, unless ``literal`` (a quoted phrase).
    ``loose``: every word required, anywhere; the pairs in a row rank first.
    """
    folded = [fold(s) for s in exact]
    words.update(folded)
    term = ChampionTerm if champions else _FullTerm
    ranked = [*ranking.exact_bonus(exact), *(ranking.subject_boosts(exact) if bonuses else ())]
    if len(folded) == 1:
        # the exact form scored too: its champion list may hold documents the folded one lacks
        required = (q.Or([term(FOLDED, folded[0]), term(EXACT, exact[0])]) if has_marks(exact[0])
                    else term(FOLDED, folded[0]))
    else:
        in_a_row = q.And([term(PAIRS, f"{a} {b}") for a, b in zip(folded, folded[1:])])
        if loose:
            required = q.And([q.Term(FOLDED, f) for f in dict.fromkeys(folded)])
            ranked.append(ranking.Bonus(in_a_row, ranking.CONTENT_PHRASE)) if bonuses else None
        else:  # or every word in the trích yếu, in any order
            required = in_a_row if champions or literal else q.Or([in_a_row, ranking.in_subject(folded)])
    return ranking.Ranked(required, q.Or(ranked)) if ranked else required


def _FullTerm(fieldname, text, boost=1.0):
    return q.Term(fieldname, text, boost=boost)


class ChampionTerm(q.Term):
    """A term read from its champion list in a segment that has one, else in full.

    A rebuild writes a champion list (``<field>_top``) for the terms of a
    segment found in more than ``CHAMPION_SIZE`` documents. The documents are
    scored with the full field's statistics, so scores are those of the full
    field, only fewer documents are looked at.
    """

    def __init__(self, fieldname, text, boost=1.0):
        super().__init__(fieldname, text, boost=boost)

    def matcher(self, searcher, context=None):
        if not searcher.is_atomic():  # searches ask one segment at a time; others may not
            subs = searcher.subsearchers
            return MultiMatcher([self.matcher(sub, context) for sub, _ in subs], [offset for _, offset in subs])
        reader, btext = searcher.reader(), self.text.encode("utf-8")
        source = f"{self.fieldname}_top"
        if (source, btext) not in reader:
            source = self.fieldname
            if (source, btext) not in reader:
                return NullMatcher()
        weighting = context.weighting if context is not None else searcher.weighting
        scorer = weighting.scorer(searcher, self.fieldname, self.text)
        matcher = reader.postings(source, btext, scorer=scorer)
        return WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher


def meta_query(fieldname, text, words):
    """Words or a phrase in one metadata field (folded syllables and pairs)."""
    folded = folded_syllables(text)
    words.update(folded)
    if not folded:
        return None
    if len(folded) == 1:
        return q.Term(fieldname, folded[0])
    return q.And([q.Term(fieldname, f"{a} {b}") for a, b in zip(folded, folded[1:])])


def _field_query(target, value, words):
    if target in ("subject", "issuer", "signer", "recipients", "type"):
        return meta_query(target, value, words)
    if target == "number":
        return _number_query(value)
    if target == "date":
        low, high = parse_range(value)
        return _dates(low, high)
    if target == "year":
        return q.Term("year", value.strip())
    if target == "direction":
        if fold(value) not in DIRECTIONS:
            raise VanthuError(f"hướng '{value}' không rõ: viết đi (out) hoặc đến (in)")
        return q.Term("direction", DIRECTIONS[fold(value)])
    return q.Term("confidentiality", keyword(value))


def _dates(low, high):
    """A date range: whole years and months as one term each, the rest by day.

    A month is one posting list; the same month as a numeric range is some
    thirty trie terms, each looked up and merged.
    """
    if low is None or high is None:
        return q.NumericRange("date", low and date_value(low), high and date_value(high))
    parts = []
    while low <= high:
        part, low = _first_part(low, high)
        parts.append(part)
    return parts[0] if len(parts) == 1 else q.Or(parts)


def _first_part(low, high):
    """The largest whole year, whole month or run of days starting at ``low``."""
    year_end, month_end = _dt.date(low.year, 12, 31), _month_end(low)
    if (low.month, low.day) == (1, 1) and year_end <= high:
        return q.Term("year", str(low.year)), year_end + _DAY
    if low.day == 1 and month_end <= high:
        return q.Term("month", f"{low:%Y-%m}"), month_end + _DAY
    end = min(month_end, high)
    return q.NumericRange("date", date_value(low), date_value(end)), end + _DAY


def _month_end(day):
    following = (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return following - _DAY


def issuer_query(text):
    """An issuer by its code (``SYT``) or by words of its name (``sở y tế``)."""
    by_name = meta_query("issuer", text, set())
    if not re.search(r"[^\W_]", text):
        raise VanthuError(f"--issuer: '{text}' không phải viết tắt (SYT) hay tên cơ quan (\"Sở Y tế\") nào")
    if " " in text.strip():
        return q.Or([by_name, ranking.issuer_match(syllables(text))])
    options = [q.Term("issuer_code", normalize_key(text)), by_name]
    if is_abbreviation(text):
        options.append(ranking.abbreviation_match(text))
    return q.Or(options)

