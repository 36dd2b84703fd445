"""The relevance test set (bộ truy vấn đánh giá xếp hạng): real documents, clerks' queries.

The real documents are the numbered records of ``examples/`` (as the archive
stores them once issued, outgoing) and the corpus texts of ``tests/data/corpus``
(as received, incoming): the same document may be there twice, once each way,
so the expected document of a query is named by its number as printed.
``tests/data/relevance.yaml`` holds the queries. Distractors come from the
benchmark's generator (``bench/search_corpus.py``), borrowing runs of words
from the real documents, numbered 1, 2, 3... as a real register is.
"""
import sys
from pathlib import Path

from vanthu import yamlfile
from vanthu.archive.document import OUTGOING, ArchivedDocument
from vanthu.archive.issuing import recipients
from vanthu.generator import records

from searchkit import corpus_documents

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).parent / "data" / "relevance.yaml"
DEPTH = 10  # MRR@10: a document found below the first page counts nothing


def example_documents(first_id=1):
    """The numbered examples as archived documents (văn bản đi)."""
    docs = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        record = records.load(path)[0]
        if record.get("number") is None:
            continue  # the forms carry no number
        signer = record.get("signer") or {}
        docs.append(ArchivedDocument(
            id=first_id + len(docs), direction=OUTGOING, number=record.number, date=record.date,
            type_name=record.template.title, issuer_name=record.issuer.get("name", ""),
            issuer_code=record.issuer.get("code", ""), subject=record.get("subject", ""),
            body=record.get("body", ""), signer=signer.get("name", ""), recipients=recipients(record)))
    return docs


def real_documents():
    examples = example_documents()
    return examples + corpus_documents(first_id=len(examples) + 1)


def distractors(n, first_id, borrowed):
    sys.path.insert(0, str(ROOT / "bench"))
    from search_corpus import Corpus
    return Corpus(n, seed=17, syllables=250, borrowed=borrowed, first_id=first_id)


def queries():
    """``(query, expected number)`` pairs."""
    return [(item["q"], item["expect"]) for item in yamlfile.load(QUERIES)]


def measure(ranks):
    """``(MRR@10, success@1)`` of the ranks (None: not on the first page)."""
    reciprocal = [1 / r if r else 0.0 for r in ranks]
    return sum(reciprocal) / len(ranks), sum(r == 1 for r in ranks) / len(ranks)


def same(number, expected):
    """The document expected: ``998/SGDĐT-GDTrH,GDTX`` is ``998/SGDĐT-GDTrH`` as received."""
    return number == expected or number.split(",")[0] == expected


def build(home, distractor_count=0, engine=None):
    """An index of the real documents, hidden among ``distractor_count`` generated ones
    (in the home, or on the PostgreSQL server of a ``searchkit.Engine``)."""
    from searchkit import Engine
    real = real_documents()
    docs = list(real)
    if distractor_count:
        docs += distractors(distractor_count, len(real) + 1, [d.subject + " " + d.body for d in real])
    (engine or Engine()).rebuild(home, docs)
    return docs


def ranks(home, docs, engine=None):
    """``{query: rank}`` of the expected document (None: not in the first ``DEPTH``)."""
    from searchkit import Engine
    engine = engine or Engine()
    found = {}
    for text, expected in queries():
        numbers = [r.number for r in engine.search(home, text, limit=DEPTH, all_documents=lambda: docs).results]
        found[text] = next((rank for rank, n in enumerate(numbers, 1) if same(n, expected)), None)
    return found
