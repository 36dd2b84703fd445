"""An archived document as a row of the PostgreSQL search table (hàng của bảng tìm kiếm).

The terms are those of the Whoosh index, computed by the same code
(:func:`vanthu.search.schema.fields_of` and the fields' ``term_counts``), so
the two backends find the same documents for the same query. They are put in
one ``tsvector``, each prefixed by its field's code (``f:ban`` folded, ``x:bàn``
exact, ``p:truy vet`` a pair, ``s:ban`` in the subject...), a term's frequency
as that many positions (read back with ``ts_rank``).

While rows are written, :class:`Statistics` counts each lexeme's documents
and keeps its champion list (danh sách hàng đầu), as the Whoosh rebuild does
(:func:`vanthu.search.bulk.champions`): the 64 documents where a content term
is most frequent, and the 64 most frequent of those whose subject has it
(the earlier document on a tie, where Whoosh keeps the newer: see :func:`_offer`).
"""
from collections import Counter
from heapq import heappush, heapreplace

from ..schema import CHAMPION_SIZE, SCHEMA, SUBJECT_OF, fields_of

CODES = {"text": "x", "fold": "f", "pair": "p", "subject": "s", "subject_exact": "e", "issuer": "i",
         "signer": "g", "recipients": "r", "type": "t", "number_parts": "n", "cites": "c", "number_key": "k",
         "year": "y", "month": "m", "issuer_code": "ic", "type_key": "ty", "direction": "d",
         "confidentiality": "cf"}
CONTENT = ("text", "fold", "pair")  # the fields with champion lists
SCORED = ("text", "fold", "pair", "subject", "subject_exact", "issuer", "signer", "recipients", "type",
          "number_parts", "cites")  # their lengths, in this order, for BM25F
MAX_FREQUENCY = 255  # as the Whoosh index keeps (bulk._FREQ_MAX)
STORED = ("number", "type_name", "issuer_name", "subject_text", "body", "people", "cited", "direction",
          "confidentiality")
COLUMNS = ("doc_id", "date", "terms", "lengths", *STORED)
_POSITIONS = [""] + [",".join(map(str, range(1, n + 1))) for n in range(1, MAX_FREQUENCY + 1)]
_DOC_BITS = 40  # a champion entry packs frequency << 40 | document id


def lexeme(fieldname, term):
    """The tsvector lexeme of a term of a field of the Whoosh schema."""
    return f"{CODES[fieldname]}:{term}"


def terms_of(values):
    """``({lexeme: frequency}, [lengths], {field: {term: frequency}})`` of a document's field values."""
    counts, lengths, per_field = {}, dict.fromkeys(SCORED, 0), {}
    for name, value in values.items():
        code = CODES.get(name)
        if code is None:
            continue
        field = SCHEMA[name]
        found = field.term_counts(value) if hasattr(field, "term_counts") else {value: 1}
        if max(found.values(), default=0) > MAX_FREQUENCY:
            found = {t: min(n, MAX_FREQUENCY) for t, n in found.items()}
        per_field[name] = found
        prefix = code + ":"
        counts.update(zip(map(prefix.__add__, found), found.values()))
        if name in lengths:
            lengths[name] = sum(found.values())
    return counts, [lengths[name] for name in SCORED], per_field


def tsvector_text(counts):
    """The tsvector's input text: each lexeme quoted, its frequency as positions 1..n."""
    return " ".join(f"'{_quoted(lex)}':{_POSITIONS[n]}" for lex, n in counts.items())


def _quoted(text):
    return text.replace("\\", "\\\\").replace("'", "''") if ("'" in text or "\\" in text) else text


class Row:
    """One document's row: the COPY record, its lexemes, its content terms (for the statistics)."""

    __slots__ = ("values", "counts", "lengths", "fields", "doc_id")

    def __init__(self, doc):
        self.values = fields_of(doc)
        self.doc_id = int(self.values["doc_id"])
        self.counts, self.lengths, self.fields = terms_of(self.values)

    def record(self):
        """The row as a tuple of the table's columns (for COPY)."""
        v = self.values
        stored = [v.get(name) for name in STORED[:-3]]
        cited = "\n".join(v["cited"]) if v.get("cited") else None
        return (self.doc_id, _day(v["date"]), tsvector_text(self.counts), self.lengths, *stored, cited,
                v.get("direction"), v.get("confidentiality"))


def _day(value):
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


class Statistics:
    """Document frequencies of lexemes, totals and champion lists, gathered while rows are written.

    ``cf``: how often each folded word occurs in all (did-you-mean prefers the most frequent, as Whoosh).
    ``champions``: with ``keep_champions``, per content lexeme, heaps of packed (frequency, document).
    """

    def __init__(self, keep_champions=True):
        self.df, self.cf, self.docs, self.lengths = Counter(), Counter(), 0, [0] * len(SCORED)
        # per content field, per term: a heap of packed entries, and its floor once full
        self.best = {name: ({}, {}) for name in CONTENT} if keep_champions else None
        self.favoured = {name: ({}, {}) for name in CONTENT} if keep_champions else None

    def add(self, row, sign=1):
        if sign > 0:
            self.df.update(row.counts.keys())
            self.cf.update(row.fields.get("fold", {}))
        else:
            self.df.subtract(row.counts.keys())
            self.cf.subtract(row.fields.get("fold", {}))
        self.docs += sign
        self.lengths = [a + sign * b for a, b in zip(self.lengths, row.lengths)]
        if self.best is not None and sign > 0:
            self._champions(row)

    def _champions(self, row):
        doc, fields = row.doc_id, row.fields
        for name in CONTENT:
            found, subject = fields.get(name, {}), fields.get(SUBJECT_OF[name], {})
            _offer(*self.best[name], found.items(), doc)
            if subject:
                _offer(*self.favoured[name], ((t, found[t]) for t in subject.keys() & found.keys()), doc)

    def merge(self, other):
        self.df.update(other.df)
        self.cf.update(other.cf)
        self.docs += other.docs
        self.lengths = [a + b for a, b in zip(self.lengths, other.lengths)]
        for mine, theirs in ((self.best, other.best), (self.favoured, other.favoured)):
            for name in CONTENT:
                heaps, floors = mine[name]
                for term, heap in theirs[name][0].items():
                    for packed in heap:
                        _push(heaps, floors, term, packed)

    def champion_lists(self):
        """``(lexeme, [document ids])`` of each content lexeme in more than CHAMPION_SIZE documents."""
        for name in CONTENT:
            prefix, favoured = CODES[name] + ":", self.favoured[name][0]
            for term, heap in self.best[name][0].items():
                if self.df.get(prefix + term, 0) > CHAMPION_SIZE:
                    docs = {p & _DOC_MASK for p in heap} | {p & _DOC_MASK for p in favoured.get(term, ())}
                    yield prefix + term, sorted(docs)


_DOC_MASK = (1 << _DOC_BITS) - 1


def _offer(heaps, floors, items, doc):
    """Each term's entry into its heap of the CHAMPION_SIZE most frequent.

    On a tie the earlier document stays (Whoosh keeps the newest): the strict
    test lets a full heap be passed by with one look-up, which a rebuild of a
    million documents needs.
    """
    get = floors.get
    for term, n in items:
        floor = get(term)
        if floor is not None and n <= floor:
            continue
        _push(heaps, floors, term, n << _DOC_BITS | doc)


def _push(heaps, floors, term, packed):
    heap = heaps.get(term)
    if heap is None:
        heap = heaps[term] = [packed]
    elif len(heap) < CHAMPION_SIZE:
        heappush(heap, packed)
    elif packed > heap[0]:
        heapreplace(heap, packed)
    else:
        return
    if len(heap) == CHAMPION_SIZE:
        floors[term] = heap[0] >> _DOC_BITS
