"""Document numbers as clerks type them (số, ký hiệu gõ theo thói quen).

``166/QĐ-PGD&ĐT`` is typed ``166/QĐ-PGDĐT``, ``166/qd-pgddt``, ``166 PGDĐT``,
``QD 166``; ``03/QĐ-SYT`` as ``3/QD-SYT``; ``4482/SYT-VP`` as ``4482 SYT``.
The index keeps, for each document, its number (``n:166``) and each part of
its symbol compacted (``p:qd``, ``p:pgddt``: case, diacritics, ``Đ``/``D``
and ``&`` dropped). A typed number needs its number and every symbol part it
names, in any order; the number exactly as written (``number_key``) ranks
first, and a year typed with it (``166/2020``) is a hint that ranks that
year first.
"""
import re
from dataclasses import dataclass
from typing import Optional

from whoosh import query as q

from ..docnumber import normalize_key
from .issuers import compact

FIELD = "number_parts"
EXACT_BOOST, YEAR_BOOST = 8.0, 2.0
_PART = re.compile(r"[^\s/\-,;.:()]+")  # "166/QĐ-PGD&ĐT" -> 166, QĐ, PGD&ĐT
_SYMBOL_PART = re.compile(r"[A-Za-zĐđ&0-9]{1,12}")  # no tone marks: "cờ" is a word, not a code
_YEARS = range(1945, 2100)
MAX_PARTS = 6


def index_terms(number):
    """The terms a :class:`~vanthu.docnumber.DocumentNumber` is found by."""
    parts = [p for p in map(compact, _PART.findall(number.symbol)) if p]
    lead = [str(number.number)] if number.number is not None else []
    terms = [*(f"n:{n}" for n in lead), *(f"p:{p}" for p in parts)]
    return list(dict.fromkeys(terms))


@dataclass(frozen=True)
class TypedNumber:
    """A number as typed: the number, the symbol parts named, a year hint."""

    number: int
    parts: tuple
    year: Optional[str]
    exact: str   # the look-up key of the text as typed (``DocumentNumber.key``)

    def query(self):
        required = [q.Term(FIELD, f"n:{self.number}"), *(q.Term(FIELD, f"p:{p}") for p in self.parts)]
        ranked = [q.Term("number_key", self.exact, boost=EXACT_BOOST)]
        if self.year:
            ranked += [q.Term("year", self.year, boost=YEAR_BOOST), q.Term(FIELD, f"p:{self.year}", boost=YEAR_BOOST)]
        return q.AndMaybe(q.And(required) if len(required) > 1 else required[0], q.Or(ranked))


def read(text):
    """The :class:`TypedNumber` a query is, or None if it is not only a number and its codes."""
    parts = _PART.findall(text or "")
    if not 1 <= len(parts) <= MAX_PARTS or not all(_SYMBOL_PART.fullmatch(p) for p in parts):
        return None
    digits = [p for p in parts if p.isdigit()]
    if not digits or len(digits[0]) > 6:
        return None
    lead = parts.index(digits[0])
    rest = parts[:lead] + parts[lead + 1:]
    years = [p for p in rest if p.isdigit() and int(p) in _YEARS]
    if len([p for p in rest if p.isdigit()]) > len(years[:1]):
        return None  # two numbers: words, not a number
    symbol = [compact(p) for p in rest if not p.isdigit()]
    return TypedNumber(int(parts[lead]), tuple(dict.fromkeys(symbol)), years[0] if years else None,
                       normalize_key(text))
