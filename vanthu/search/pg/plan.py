"""A parsed query (the Whoosh query tree of :mod:`vanthu.search.query`) run on PostgreSQL (kế hoạch truy vấn).

The query parser, the Vietnamese analysis and the ranking are the Whoosh
index's own: :func:`vanthu.search.query.parse` builds the same tree for both
backends. Here the tree is read twice:

* :func:`where`: which rows match, as one ``tsquery`` over the GIN-indexed
  ``terms`` (and a date range where one is not whole months or years);
* :func:`scorer`: the score of a matching row, as Whoosh computes it (BM25F
  of each term from its frequency, the document's field length and the
  archive's statistics; the fixed bonuses of :mod:`vanthu.search.ranking`;
  the sums of ``And``, ``Or``, ``AndMaybe``), from the frequencies the server
  returns for the rows that match.

In a champion plan (the query of :class:`vanthu.search.query.ChampionTerm`
terms) only the champion lists of its terms (:mod:`.rows`) and the documents
added since the last rebuild are looked at.
"""
import datetime as _dt
import math

from whoosh import query as q

from ..query import ChampionTerm, DocSet
from ..ranking import Bonus
from ..schema import SCHEMA
from .rows import CODES, SCORED, lexeme

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
_LENGTH_AT = {name: i for i, name in enumerate(SCORED)}


class Plan:
    """The leaves of one query: each lexeme whose frequency the server returns, by position."""

    def __init__(self, stats, champions=None):
        self.stats = stats            # :class:`Stats`
        self.champions = champions    # {lexeme: [document ids]} in a champion plan, else None
        self.also = None              # in a champion plan: an SQL condition of more rows looked at
        self.lexemes = {}

    def leaf(self, lex):
        return self.lexemes.setdefault(lex, len(self.lexemes))


class Stats:
    """The archive's statistics a query needs: documents, average field lengths, document frequencies."""

    def __init__(self, docs, averages, df):
        self.docs, self.averages, self.df = docs, averages, df

    def idf(self, lex):
        return math.log(max(self.docs, 1) / (self.df.get(lex, 0) + 1)) + 1


# --- which rows match -------------------------------------------------------------

def ts_lexeme(lex):
    return "'" + lex.replace("\\", "\\\\").replace("'", "''") + "'"


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def where(node, plan):
    """The SQL condition of the rows ``node`` matches."""
    kind, text = _match(node, plan)
    return restricted(f"terms @@ {sql_literal(text)}::tsquery" if kind == "ts" else text, plan)


def _match(node, plan):
    """``("ts", tsquery)`` or ``("sql", condition)``."""
    if isinstance(node, q.Term):
        return "ts", ts_lexeme(lexeme(node.fieldname, node.text))
    if isinstance(node, Bonus):
        return _match(node.child, plan)
    if isinstance(node, DocSet):
        return _match(node.query, plan)
    if isinstance(node, q.AndMaybe):
        return _match(node.a, plan)
    if isinstance(node, q.AndNot):
        return _combine("&", [_match(node.a, plan), _negated(_match(node.b, plan))])
    if isinstance(node, q.Not):
        return _negated(_match(node.query, plan))
    if isinstance(node, q.And):
        return _combine("&", [_match(n, plan) for n in node.subqueries])
    if isinstance(node, q.Or):
        return _combine("|", [_match(n, plan) for n in node.subqueries])
    if isinstance(node, q.Every):
        return "sql", "TRUE"
    if isinstance(node, q.NumericRange):
        return "sql", _date_range(node)
    if node is q.NullQuery or isinstance(node, type(q.NullQuery)):
        return "sql", "FALSE"
    raise TypeError(f"no PostgreSQL plan for {node!r}")


def _negated(found):
    kind, text = found
    return ("ts", f"!{text}") if kind == "ts" else ("sql", f"NOT ({text})")


def _combine(operator, parts):
    if not parts:
        return ("sql", "TRUE") if operator == "&" else ("sql", "FALSE")
    ts = [text for kind, text in parts if kind == "ts"]
    if len(ts) == len(parts):
        return "ts", ts[0] if len(ts) == 1 else "(" + f" {operator} ".join(ts) + ")"
    conditions = [f"terms @@ {sql_literal(t)}::tsquery" if k == "ts" else f"({t})" for k, t in parts]
    if operator == "&" and len(ts) > 1:  # one tsquery for the GIN index, the rest beside it
        conditions = [f"terms @@ {sql_literal('(' + ' & '.join(ts) + ')')}::tsquery"] + \
                     [f"({t})" for k, t in parts if k == "sql"]
    return "sql", (" AND " if operator == "&" else " OR ").join(conditions)


def _date_range(node):
    if node.fieldname != "date":
        raise TypeError(f"no PostgreSQL plan for a range of {node.fieldname}")
    parts = []
    if node.start is not None:
        parts.append(f"date {'>' if node.startexcl else '>='} '{_day(node.start)}'::date")
    if node.end is not None:
        parts.append(f"date {'<' if node.endexcl else '<='} '{_day(node.end)}'::date")
    return " AND ".join(parts) or "TRUE"


def _day(value):
    return _dt.date(value // 10000, value // 100 % 100, value % 100).isoformat()


def date_only(node):
    """The SQL ``date`` condition of a tree of dates alone (months, years, ranges), else None.

    A filter of dates alone is read from the date index, newest first, rather than from the
    months' lexemes: the first page of a month is then ten rows, not the month's.
    """
    if isinstance(node, q.Term) and node.fieldname in ("month", "year"):
        first = _dt.date.fromisoformat(f"{node.text}-01" if node.fieldname == "month" else f"{node.text}-01-01")
        after = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1) if node.fieldname == "month" \
            else first.replace(year=first.year + 1)
        return f"(date >= '{first.isoformat()}'::date AND date < '{after.isoformat()}'::date)"
    if isinstance(node, q.NumericRange) and node.fieldname == "date":
        return f"({_date_range(node)})"
    if isinstance(node, (q.And, q.Or)) and node.subqueries:
        parts = [date_only(n) for n in node.subqueries]
        if None in parts:
            return None
        return "(" + (" AND " if isinstance(node, q.And) else " OR ").join(parts) + ")"
    return None


# --- champion lists ---------------------------------------------------------------

def champion_terms(node):
    """The lexemes of every :class:`ChampionTerm` in a tree."""
    found = []
    if isinstance(node, ChampionTerm):
        found.append(lexeme(node.fieldname, node.text))
    for child in node.children():
        found += champion_terms(child)
    return found


def restricted(condition, plan):
    """In a champion plan, ``condition`` over the champions of its terms and the documents added since."""
    if plan.champions is None:
        return condition
    docs = sorted(set().union(*plan.champions.values())) if plan.champions else []
    also = f" OR ({plan.also})" if plan.also else ""
    return f"(doc_id = ANY('{{{','.join(map(str, docs))}}}'::bigint[]) OR fresh{also}) AND {condition}"


# --- scores -------------------------------------------------------------------

def scorer(node, plan):
    """``score(frequencies, lengths, date)``: the row's score, None if it does not match."""
    if isinstance(node, q.Term):
        return _term(node, plan)
    if isinstance(node, Bonus):
        child, constant = scorer(node.child, plan), node.score
        return lambda f, l, d: None if child(f, l, d) is None else constant
    if isinstance(node, DocSet):
        # the filters: always required (query.parse ANDs them on), so every row the condition returns
        # has them; their lexemes are not read back
        return lambda f, l, d: 1.0
    if isinstance(node, q.AndMaybe):
        return _and_maybe(scorer(node.a, plan), scorer(node.b, plan))
    if isinstance(node, q.AndNot):
        return _and([scorer(node.a, plan), _not(scorer(node.b, plan))])
    if isinstance(node, q.Not):
        return _not(scorer(node.query, plan))
    if isinstance(node, q.And):
        return _and([scorer(n, plan) for n in node.subqueries])
    if isinstance(node, q.Or):
        return _or([scorer(n, plan) for n in node.subqueries])
    if isinstance(node, q.Every):
        return lambda f, l, d: 1.0
    if isinstance(node, q.NumericRange):
        low, high = node.start or 0, node.end or 99999999
        return lambda f, l, d: 1.0 if low <= d <= high else None
    return lambda f, l, d: None


def _term(node, plan):
    lex = lexeme(node.fieldname, node.text)
    at, boost = plan.leaf(lex), node.boost
    if not SCHEMA[node.fieldname].scorable:
        return lambda f, l, d: boost if f[at] else None
    idf, length_at = plan.stats.idf(lex), _LENGTH_AT[node.fieldname]
    average = plan.stats.averages[node.fieldname]

    def score(f, l, d):
        tf = f[at]
        if not tf:
            return None
        return boost * idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * l[length_at] / average))
    return score


def _and(parts):
    def score(f, l, d):
        total = 0.0
        for part in parts:
            s = part(f, l, d)
            if s is None:
                return None
            total += s
        return total
    return score


def _or(parts):
    def score(f, l, d):
        found = [s for s in (part(f, l, d) for part in parts) if s is not None]
        return sum(found) if found else None
    return score


def _and_maybe(required, optional):
    def score(f, l, d):
        s = required(f, l, d)
        if s is None:
            return None
        extra = optional(f, l, d)
        return s + extra if extra is not None else s
    return score


def _not(child):
    return lambda f, l, d: 0.0 if child(f, l, d) is None else None


assert set(CODES) >= {"text", "fold", "pair"}
