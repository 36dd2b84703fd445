"""Archived documents for the search tests: the seed dispatch and the real corpus.

The corpus texts (tests/data/corpus/, copied from shared/corpus) are real
documents of 2020 with their front matter; each becomes an incoming
document, the seed an outgoing one, as the archive would hand them over.
"""
import datetime as _dt
import re
from pathlib import Path

from vanthu import yamlfile
from vanthu.archive.document import INCOMING, OUTGOING, ArchivedDocument
from vanthu.docnumber import DocumentNumber
from vanthu.errors import VanthuError

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
_FRONT = re.compile(r'^(\w+): "(.*)"$', re.M)


def seed_document(doc_id=1):
    """The seed 4482/SYT-VP as the archive stores it after ``vanthu issue``."""
    record = yamlfile.load(DATA / "4482-SYT-VP.yaml")
    return ArchivedDocument(
        id=doc_id, direction=OUTGOING, number=DocumentNumber(record["number"], "SYT-VP"),
        date=record["date"] if isinstance(record["date"], _dt.date) else _dt.date.fromisoformat(record["date"]),
        type_name="Công văn", issuer_name=record["issuer"]["name"], issuer_code=record["issuer"]["code"],
        subject=record["subject"], body=record["body"], signer=record["signer"]["name"],
        signer_title=record["signer"]["title"], recipients=list(record["to"]))


def corpus_document(path, doc_id):
    """One corpus file as an incoming document (văn bản đến)."""
    _, front, text = path.read_text(encoding="utf-8").split("---", 2)
    meta = dict(_FRONT.findall(front))
    return ArchivedDocument(
        id=doc_id, direction=INCOMING, number=_number(meta["number"], doc_id),
        date=_dt.date.fromisoformat(meta["date"]), type_name=meta["doc_type"],
        issuer_name=meta["issuer"], subject=meta["subject"], body=text,
        signer=meta.get("signer_name", ""))


def _number(text, doc_id):
    try:
        return DocumentNumber.parse(text.split(",")[0])
    except VanthuError:  # the annexed forms carry no number
        return DocumentNumber(doc_id, "BM")


def corpus_documents(first_id=2):
    return [corpus_document(p, first_id + i) for i, p in enumerate(sorted(CORPUS.glob("*.txt")))]


def all_documents():
    return [seed_document(), *corpus_documents()]
