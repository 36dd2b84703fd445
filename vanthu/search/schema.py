"""The index schema (lược đồ chỉ mục) and the map from an archived document to it.

The index is a cache of the archive: :func:`fields_of` is the only place that
decides what of an :class:`~vanthu.archive.document.ArchivedDocument` is
searchable. A secret document (văn bản mật) gives its metadata only: its body
is never written to the index, not even compressed for snippets.
"""
from whoosh import fields, formats

from ..citations import cited_numbers
from ..docnumber import normalize_key
from . import issuers, numbers
from .analysis import TermCounts, exact_terms, fold, meta_terms

# Content views (nội dung): every word of the document, in three forms.
EXACT, FOLDED, PAIRS = "text", "fold", "pair"
# Champion lists (danh sách hàng đầu): per term, only the documents where it
# weighs most, so that a common word is ranked without scoring every document.
CHAMPIONS = {f"{name}_top": name for name in (EXACT, FOLDED, PAIRS)}
CHAMPION_SIZE = 64
# The subject field each content view is ranked by: champion lists keep its documents too.
SUBJECT_OF = {EXACT: "subject_exact", FOLDED: "subject", PAIRS: "subject"}
# Metadata text fields: folded syllables and folded pairs in one field.
META_FIELDS = ("subject", "issuer", "signer", "recipients", "type")
# Bumped whenever what a field holds changes: an index of another version is
# rebuilt from the archive on the next search (its field names differ).
VERSION = 3


class TermBag(fields.FieldType):
    """A field whose terms are counted by :mod:`.analysis`, not by a Whoosh analyzer.

    ``view`` picks the terms: ``exact``, ``folded``, ``pairs`` of a
    :class:`TermCounts`, ``meta`` (folded syllables plus pairs of a short
    text) or ``keys`` (a list of exact values). Weights are term frequencies; no positions are kept, phrases are
    answered from pair terms.
    """

    def __init__(self, view, champions_of=None):
        self.view = view
        self.champions_of = champions_of  # the full field, for a champion-list field
        self.format = formats.Existence()
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def term_counts(self, value):
        """``{term: frequency}`` for a value (a :class:`TermCounts` or a short text)."""
        if self.view == "meta":
            return meta_terms(value)
        if self.view == "keys":
            return dict.fromkeys(value, 1)
        if self.view == "exact_meta":
            return exact_terms(value)
        return getattr(value, self.view)

    def index(self, value, **kwargs):
        return ((term.encode("utf-8"), n, float(n), b"")
                for term, n in sorted(self.term_counts(value).items()))

    def process_text(self, qstring, mode="", **kwargs):
        return iter(TermCounts(qstring).folded)

    def self_parsing(self):
        return False


def keyword(text):
    """A folded key for exact-value filters: ``Công văn`` -> ``cong-van``."""
    return "-".join(fold(text).split())


def date_value(day):
    """A date as the integer ``YYYYMMDD`` the date field holds."""
    return day.year * 10000 + day.month * 100 + day.day


def make_schema():
    return fields.Schema(
        doc_id=fields.ID(stored=True, unique=True),
        number_key=fields.ID(),
        number_parts=TermBag("keys"),  # the number as clerks type it: see numbers.py
        number=fields.STORED(),
        # signed: Whoosh 2.7 splits some ranges of unsigned 32-bit fields wrongly
        date=fields.NUMERIC(int, bits=32, signed=True, stored=True, sortable=True),
        year=fields.ID(),
        month=fields.ID(),  # "2020-08": a month is one term
        issuer=TermBag("meta"),
        issuer_code=fields.ID(),
        issuer_name=fields.STORED(),
        type=TermBag("meta"),
        type_key=fields.ID(),
        type_name=fields.STORED(),
        subject=TermBag("meta"),
        subject_exact=TermBag("exact_meta"),  # so that a subject typed with diacritics ranks first
        subject_text=fields.STORED(),
        signer=TermBag("meta"),
        recipients=TermBag("meta"),
        direction=fields.ID(stored=True),
        confidentiality=fields.ID(stored=True),
        text=TermBag("exact"),
        fold=TermBag("folded"),
        pair=TermBag("pairs"),
        text_top=TermBag("exact", champions_of=EXACT),
        fold_top=TermBag("folded", champions_of=FOLDED),
        pair_top=TermBag("pairs", champions_of=PAIRS),
        body=fields.STORED(),  # for snippets; Whoosh compresses stored fields
        people=fields.STORED(),  # signer and recipients, to check long phrases
        cites=TermBag("keys"),  # number keys of the documents its text cites
        cited=fields.STORED(),  # the same numbers as written
        **{f"version_{VERSION}": fields.STORED()},
    )


SCHEMA = make_schema()


def searchable_text(doc):
    """What the content fields hold: metadata always, the body only if not secret."""
    parts = [str(doc.number), doc.type_name, doc.issuer_name, doc.issuer_code,
             doc.subject, doc.signer, " ".join(doc.recipients)]
    if not doc.is_secret:
        parts.append(doc.body)
    return "\n".join(p for p in parts if p)


def _citations(doc):
    """The documents a (non-secret) body cites: a secret body gives away nothing."""
    cited = [] if doc.is_secret else cited_numbers(doc.body, own=doc.number)
    return {"cites": [n.key for n in cited], "cited": [str(n) for n in cited]} if cited else {}


def fields_of(doc):
    """The index fields of one archived document (the one mapping archive -> index)."""
    counts = TermCounts(searchable_text(doc))
    values = {
        "doc_id": str(doc.id),
        "number_key": doc.number.key,
        "number_parts": numbers.index_terms(doc.number),
        "number": str(doc.number),
        "date": date_value(doc.date),
        "year": str(doc.year),
        "month": f"{doc.date:%Y-%m}",
        "issuer": f"{doc.issuer_name} {doc.issuer_code} {issuers.index_terms(doc.issuer_name, doc.issuer_code)}",
        "issuer_code": normalize_key(doc.issuer_code) if doc.issuer_code else None,
        "issuer_name": doc.issuer_name,
        "type": doc.type_name,
        "type_key": keyword(doc.type_name),
        "type_name": doc.type_name,
        "subject": doc.subject,
        "subject_exact": doc.subject,
        "subject_text": doc.subject,
        "signer": doc.signer,
        "recipients": " ; ".join(doc.recipients),
        "direction": doc.direction,
        "confidentiality": keyword(doc.confidentiality) if doc.confidentiality else None,
        # a document added one at a time is a champion for all its terms,
        # until the next rebuild (reindex) keeps only the best of each term
        **{name: counts for name in (EXACT, FOLDED, PAIRS, *CHAMPIONS)},
        "body": None if doc.is_secret else doc.body,
        "people": " ; ".join([doc.signer, *doc.recipients]),
        **_citations(doc),
    }
    return {name: value for name, value in values.items() if value not in (None, "")}
