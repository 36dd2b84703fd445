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


# --- both search backends ---------------------------------------------------------

class Engine:
    """One search backend for a test: the Whoosh index in the home (``url`` None) or the tables on PostgreSQL.

    On PostgreSQL the search is given a :class:`Source`: the documents, and a
    log position that moves when documents are indexed, as the archive's feed.
    """

    def __init__(self, url=None):
        self.url = url
        self.event, self.changes = 0, {}

    @property
    def name(self):
        return "postgresql" if self.url else "whoosh"

    def source(self, all_documents):
        return Source(self, all_documents) if self.url else all_documents

    def rebuild(self, home, docs):
        from vanthu.search import rebuild
        if not self.url:
            return rebuild(home, docs)
        from vanthu.search import pg
        self.event += 1
        self.changes.clear()
        return pg.rebuild(self.url, Source(self, lambda: list(docs)))

    def search(self, home, text="", all_documents=list, **options):
        from vanthu.search import search
        return search(home, text, all_documents=self.source(all_documents), **options)

    def index_documents(self, home, docs, all_documents):
        from vanthu.search import index_documents
        if self.url:
            self.event += 1
            self.changes[self.event] = list(docs)
        return index_documents(home, docs, self.source(all_documents))

    def position(self):
        from vanthu.search.position import Position
        return Position("test-home", self.event, f"h{self.event}")

    def changed_since(self, position):
        if position.home != "test-home" or position.event > self.event:
            return None
        changed = {}
        for event in range(position.event + 1, self.event + 1):
            if event not in self.changes:
                return None  # a rebuild since: rebuild again
            changed.update((doc.id, doc) for doc in self.changes[event])
        return list(changed.values())


class Source:
    """What the archive's feed gives the search, for a test: documents, log position, server."""

    def __init__(self, engine, all_documents):
        self.engine, self.all_documents = engine, all_documents

    def __call__(self):
        return iter(self.all_documents())

    def position(self):
        return self.engine.position()

    def changed_since(self, position):
        return self.engine.changed_since(position)

    def server(self):
        return self.engine.url


def engine_for(request, name):
    """An :class:`Engine` by name; on PostgreSQL a fresh database, dropped when ``request`` ends."""
    if name == "whoosh":
        return Engine()
    import pytest
    try:
        import pgkit
        server = request.getfixturevalue("pg_server")
    except (ImportError, pytest.FixtureLookupError):  # a checkout without the tests' PostgreSQL cluster
        pytest.skip("PostgreSQL test cluster not set up (tests/pgkit.py, pg_server)")
    url = pgkit.create_database(server)

    def drop():
        from vanthu.search.pg import store
        store.forget(url)
        pgkit.drop_database(server, url)
    request.addfinalizer(drop)
    return Engine(url)
