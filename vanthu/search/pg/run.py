"""Searching on PostgreSQL (tra cứu trên máy chủ): the same readings, in the same order, as :mod:`..searching`."""
import bisect
import re

from whoosh.support.levenshtein import levenshtein

from ..analysis import fold, has_marks, normalize
from ..issuers import is_abbreviation
from ..query import parse
from ..results import Outcome
from ..schema import CHAMPION_SIZE, EXACT, FOLDED
from ..searching import MAX_LIMIT, NARROW_FILTER, VERIFY_DEPTH, check_query, grouped, has_phrases, result_of
from ...errors import VanthuError
from . import plan as plans
from .rows import lexeme
from .store import connection, totals

# rows: a full reading of more would take over a second on a server (~50 µs a row scored)
BROAD_READING = 20_000

STORED = ("doc_id", "number", "date", "type_name", "issuer_name", "subject_text", "body", "people", "direction",
          "confidentiality")


def search(url, text, filters, limit, warnings=()):
    """Ranked results (:class:`Outcome`) from the tables at ``url`` (caught up by the caller)."""
    if limit < 1 or limit > MAX_LIMIT:
        raise VanthuError(f"--limit phải là số nguyên từ 1 đến {grouped(MAX_LIMIT)}")
    check_query(text)
    parsed = parse(text, filters)
    conn = connection(url)
    found = Searcher(conn).run(parsed, limit)
    results = [result_of(stored, score, parsed.words) for stored, score in found]
    hint = suggestion(conn, text) if parsed.words and not parsed.is_number else None
    return Outcome(results, list(warnings), hint)


class Searcher:
    """One search's look-ups on the server: statistics read once, frequencies as ``ts_rank`` values."""

    def __init__(self, conn):
        self.conn = conn
        self.docs, self.averages = totals(conn)
        self.df = {}
        self._ranks = _rank_table(conn)

    def run(self, parsed, limit):
        """``(stored fields, score)`` of the best ``limit`` documents (as ``searching._run``)."""
        if not (parsed.words or parsed.is_number):
            return self.newest(parsed.query, limit)
        if parsed.number is not None:
            found = self.search(parsed.number, limit, ())
            if found:
                return found
        if parsed.champion is not None and limit <= CHAMPION_SIZE // 2 and not self.narrow(parsed):
            found = self.search(parsed.champion, limit, parsed.phrases, champions=True)
            if len(found) == limit:
                return found
        elif limit <= CHAMPION_SIZE // 2 and (named := self.named(parsed)) is not None:
            found = self.search(named[0], limit, parsed.phrases, champions=True, also=named[1])
            if len(found) == limit:
                return found
        found = self.search(parsed.query, limit, parsed.phrases)
        if (not found or parsed.fill and len(found) < limit) and parsed.fallback is not None:
            found = self.search(parsed.fallback, limit, parsed.fallback_phrases) or found
        return found

    def narrow(self, parsed):
        if parsed.docset is None:
            return False
        return self.count(plans.where(parsed.docset, plans.Plan(None)), NARROW_FILTER) <= NARROW_FILTER

    def named(self, parsed):
        """``(champion tree, condition or None)`` for a word that also names a type or an issuer, else None.

        Its tree is ``Or([Bonus(type), Ranked(words)])``, which Whoosh scores over every document that
        has the word or the type: on a province's server most of a million rows. When the named type
        or issuer has few documents (``NARROW_FILTER``: ``luật``), the words are read from their
        champion lists beside every one of them, the same first page as the full reading. When the
        full reading would score more than ``BROAD_READING`` rows (``công văn``, ``quyết định`` at a
        province's size: tens of seconds), the champion lists alone are scored, the type's bonus
        included: the documents where the words weigh most, as for any other word. In between,
        the full reading, as Whoosh.
        """
        broad = _named_champion(parsed.query, phrases=True)
        if broad is None or parsed.docset is not None:
            return None
        found = _named_champion(parsed.query)  # one word: its champion lists hold every document it weighs most in
        if found is not None and self.count(condition := plans.where(found[1], plans.Plan(None)),
                                            NARROW_FILTER) <= NARROW_FILTER:
            return found[0], condition
        self._read_df(_lexemes(parsed.query))
        if _rows_at_least(parsed.query, self.df) > BROAD_READING:  # from the term statistics: no scan
            return broad[0], None
        return None

    def count(self, condition, most):
        """How many rows ``condition`` has, counted up to ``most + 1``."""
        return self.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM search_documents WHERE {condition}"
                                 f" LIMIT {most + 1}) s").fetchone()[0]

    def search(self, query, limit, phrases, champions=False, also=None):
        ranked = self.ranked(query, champions, also)
        hits = self.stored(ranked[:limit])
        if not phrases:
            return hits
        kept = [hit for hit in hits if has_phrases(hit[0], phrases)]
        if len(kept) < limit and len(hits) == limit:
            deeper = self.stored(ranked[:limit * VERIFY_DEPTH])
            kept = [hit for hit in deeper if has_phrases(hit[0], phrases)][:limit]
        return kept

    def ranked(self, query, champions=False, also=None):
        """``[(doc_id, score)]`` of every matching row (of the champion lists only, with ``champions``, and of
        the rows of the SQL condition ``also``), best first."""
        plan = self.plan(query, champions)
        if plan.champions is not None:
            plan.also = also
        score = plans.scorer(query, plan)
        condition = plans.where(query, plan)
        lexemes = list(plan.lexemes)
        # ts_rank of one lexeme is a function of its frequency alone (its positions: see rows.py)
        columns = ", ".join(f"ts_rank(t, {plans.sql_literal(plans.ts_lexeme(lex))}::tsquery)" for lex in lexemes) or "0"
        # ``terms || ''``: the row's tsvector decompressed once, not once per ts_rank (half the time at 1,000 rows)
        sql = (f"SELECT doc_id, lengths, (extract(year FROM date) * 10000 + extract(month FROM date) * 100"
               f" + extract(day FROM date))::int, ARRAY[{columns}]::real[] FROM (SELECT doc_id, lengths, date,"
               f" terms || ''::tsvector AS t FROM search_documents WHERE {condition} OFFSET 0) found")
        frequency = self.frequency
        scored = []
        for doc_id, lengths, date, ranks in self.conn.execute(sql):
            s = score([frequency(r) for r in ranks], lengths, date)
            if s is not None:
                scored.append((-s, doc_id))
        scored.sort()
        return [(doc_id, -s) for s, doc_id in scored]

    def plan(self, query, champions):
        self._read_df(_lexemes(query))
        stats = plans.Stats(self.docs, self.averages, self.df)
        if not champions:
            return plans.Plan(stats)
        terms = plans.champion_terms(query)
        lists = dict(self.conn.execute("SELECT lexeme, docs FROM search_champions WHERE lexeme = ANY(%s)",
                                       (terms,)).fetchall())
        # a term without a list is in few documents: all of them are looked at, as Whoosh does
        return plans.Plan(stats, lists if all(t in lists for t in terms) else None)

    def _read_df(self, wanted):
        missing = [x for x in dict.fromkeys(wanted) if x not in self.df]
        if missing:
            self.df.update(dict.fromkeys(missing, 0))
            self.df.update(self.conn.execute("SELECT lexeme, df FROM search_terms WHERE lexeme = ANY(%s)",
                                             (missing,)).fetchall())

    def frequency(self, rank, _cache={}):
        """The term frequency a ``ts_rank`` value stands for (0: absent)."""
        if not rank:
            return 0
        values, counts = self._ranks
        at = bisect.bisect_left(values, rank)
        if at < len(values) and values[at] == rank:
            return counts[at]
        return counts[min(at, len(values) - 1)]

    def stored(self, ranked):
        """``(stored fields, score)`` of these documents, in this order."""
        if not ranked:
            return []
        rows = self.conn.execute(f"SELECT {', '.join(STORED)} FROM search_documents WHERE doc_id = ANY(%s)",
                                 ([doc_id for doc_id, _ in ranked],)).fetchall()
        by_id = {row[0]: _fields(row) for row in rows}
        return [(by_id[doc_id], score) for doc_id, score in ranked if doc_id in by_id]

    def newest(self, query, limit):
        dates = plans.date_only(query)
        if dates is not None:
            rows = self.conn.execute(f"SELECT {', '.join(STORED)} FROM search_documents WHERE {dates}"
                                     " ORDER BY date DESC, doc_id DESC LIMIT %s", (limit,)).fetchall()
            return [(_fields(row), None) for row in rows]
        condition = plans.where(query, plans.Plan(None))
        # the matching rows listed from the GIN index first: walking the date index backwards for
        # them reads every row newer than the month asked (seconds at 100,000 documents)
        rows = self.conn.execute(f"WITH found AS MATERIALIZED (SELECT doc_id, date FROM search_documents WHERE"
                                 f" {condition}) SELECT {', '.join('d.' + c for c in STORED)} FROM"
                                 " (SELECT doc_id FROM found ORDER BY date DESC, doc_id DESC LIMIT %s) f"
                                 " JOIN search_documents d USING (doc_id) ORDER BY d.date DESC, d.doc_id DESC",
                                 (limit,)).fetchall()
        return [(_fields(row), None) for row in rows]


def _named_champion(query, phrases=False):
    """``(tree, bonuses)``: ``Or([Bonus..., Ranked(required, b)])`` with ``required`` read from champion lists.

    ``phrases``: a type or issuer of several words too (``công văn``), its words in a row only (see
    ``_championed``); else None for those."""
    from whoosh import query as q
    from ..ranking import Bonus, Ranked
    if not isinstance(query, q.Or):
        return None
    ranked = [n for n in query.subqueries if isinstance(n, Ranked)]
    bonuses = [n for n in query.subqueries if isinstance(n, Bonus)]
    if len(ranked) != 1 or not bonuses or len(ranked) + len(bonuses) != len(query.subqueries):
        return None
    required = _championed(ranked[0].a, phrases)
    if required is None:
        return None
    return q.Or([*bonuses, Ranked(required, ranked[0].b)]), q.Or(bonuses)


def _championed(node, phrases=False):
    """The tree with its content terms read from champion lists; None if it holds anything else."""
    from whoosh import query as q
    from ..query import ChampionTerm
    from .rows import CONTENT
    if isinstance(node, q.Term):
        return ChampionTerm(node.fieldname, node.text, boost=node.boost) if node.fieldname in CONTENT else None
    if phrases and type(node) is q.Or:
        # the words in a row, or every word in the subject (ranking.in_subject): the champion reading keeps the
        # first only, as query._words does for any phrase; subject champion lists bring the subject's documents
        kept = [n for n in node.subqueries if not _in_subject(n)]
        node = kept[0] if len(kept) == 1 else q.Or(kept, boost=node.boost)
        if type(node) is not q.Or:
            return _championed(node, phrases)
    if type(node) in (q.And, q.Or):
        parts = [_championed(n, phrases) for n in node.subqueries]
        return None if None in parts else type(node)(parts, boost=node.boost)
    return None


def _rows_at_least(node, df):
    """A lower bound of the rows ``node`` matches, from the document frequencies ``df`` of its terms."""
    from whoosh import query as q
    from ..ranking import Bonus, Ranked
    if isinstance(node, q.Term):
        return df.get(lexeme(node.fieldname, node.text), 0)
    if isinstance(node, Ranked):
        return _rows_at_least(node.a, df)
    if isinstance(node, Bonus):
        return _rows_at_least(node.child, df)
    if type(node) is q.And and len(node.subqueries) == 1:
        return _rows_at_least(node.subqueries[0], df)
    if type(node) is q.Or:
        return max((_rows_at_least(n, df) for n in node.subqueries), default=0)
    return 0  # an And of several: fewer rows than any one of them, how many is not known


def _in_subject(node):
    from whoosh import query as q
    return type(node) is q.And and all(isinstance(n, q.Term) and n.fieldname == "subject" for n in node.subqueries)


def _lexemes(node):
    from whoosh import query as q
    found = [lexeme(node.fieldname, node.text)] if isinstance(node, q.Term) else []
    for child in node.children():
        found += _lexemes(child)
    return found


def _fields(row):
    stored = {name: value for name, value in zip(STORED, row) if value is not None}
    stored["doc_id"] = str(row[0])
    day = row[2]
    stored["date"] = day.year * 10000 + day.month * 100 + day.day
    return stored


_RANKS = {}


def _rank_table(conn):
    """``(sorted ts_rank values, their frequencies)`` of one lexeme 1..255 times, read once per server."""
    key = conn.info.dsn
    if key not in _RANKS:
        texts = ["'a':" + ",".join(map(str, range(1, n + 1))) for n in range(1, 256)]
        rows = conn.execute("SELECT n, ts_rank(t::tsvector, 'a'::tsquery) FROM unnest(%s::text[])"
                            " WITH ORDINALITY AS u(t, n)", (texts,)).fetchall()
        first = {}
        for n, value in rows:
            first.setdefault(value, n)
        values = sorted(first)
        _RANKS[key] = (values, [first[v] for v in values])
    return _RANKS[key]


# --- did you mean ---------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w:])[^\W\d_]{2,}(?![\w:])")
_OPERATORS = {"OR", "NOT"}


def suggestion(conn, text):
    """As :func:`vanthu.search.suggest.suggestion`, from the server's vocabulary (``pg_trgm``)."""
    pieces, at, changed = [], 0, False
    for match in _WORD.finditer(text or ""):
        word = match.group()
        better = None if word in _OPERATORS or is_abbreviation(word) else _better(conn, word)
        if better:
            pieces += [text[at:match.start()], better]
            at, changed = match.end(), True
    return "".join(pieces + [text[at:]]) if changed else None


def _better(conn, word):
    exact = normalize(word)
    folded = fold(exact)
    if not _has(conn, lexeme(FOLDED, folded)):
        # short words share few trigrams with their neighbours ("tiem", "diem": 0.25): a low threshold,
        # then the edit distance decides
        conn.execute("SET pg_trgm.similarity_threshold = 0.1")
        rows = conn.execute("SELECT word, cf FROM search_terms WHERE kind = 'f' AND word %% %s"
                            " ORDER BY similarity(word, %s) DESC LIMIT 200", (folded, folded)).fetchall()
        return _nearest(folded, rows)
    if has_marks(exact) and not _has(conn, lexeme(EXACT, exact)):
        rows = conn.execute("SELECT word, df FROM search_terms WHERE kind = 'x' AND folded = %s", (folded,)).fetchall()
        return _nearest(exact, rows)
    return None


def _has(conn, lex):
    return conn.execute("SELECT EXISTS (SELECT 1 FROM search_documents WHERE terms @@ %s::tsquery)",
                        (plans.ts_lexeme(lex),)).fetchone()[0]


def _nearest(text, rows):
    """One edit away first, then two; the most frequent first (Whoosh's corrector)."""
    for distance in (1, 2):
        found = sorted((-df, word) for word, df in rows if word != text and levenshtein(text, word, limit=2) <= distance)
        if found:
            return found[0][1]
    return None


# --- citations ----------------------------------------------------------------------

def citations(conn, key):
    """``(cites, cited_by)`` of a document number key, from the tables."""
    own = conn.execute("SELECT cited FROM search_documents WHERE terms @@ %s::tsquery ORDER BY doc_id LIMIT 1",
                       (plans.ts_lexeme(lexeme("number_key", key)),)).fetchone()
    citing = conn.execute("SELECT number FROM search_documents WHERE terms @@ %s::tsquery ORDER BY date, doc_id",
                          (plans.ts_lexeme(lexeme("cites", key)),)).fetchall()
    return (own[0].split("\n") if own and own[0] else []), [row[0] for row in citing]
