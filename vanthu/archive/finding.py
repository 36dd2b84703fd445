"""Finding archived documents (tìm văn bản trong kho): the search index, fed from this archive.

:mod:`vanthu.search` takes its documents from whoever calls it; here the
archive hands it its own (:func:`source`), so that a skin asks one function.
"""
from dataclasses import replace

from .. import search as index
from . import catalog
from .feed import Feed
from .home import Home, opened


def source(home=None):
    """What the search index reads from ``home``: every document, and where the log is (a :class:`Feed`)."""
    return Feed(Home.locate(home).root)


def search(home=None, text="", filters=None, limit=None):
    """What ``vanthu search`` does: ranked results (:class:`vanthu.search.results.Outcome`)."""
    options = {k: v for k, v in (("filters", filters), ("limit", limit)) if v is not None}
    root = Home.locate(home).root
    return _marked(root, index.search(root, text, all_documents=source(root), **options))


def _marked(root, outcome):
    """Each withdrawn, replaced or corrected document marked: the index does not know it, the register does."""
    if not outcome.results:
        return outcome
    with opened(root) as archive:
        notes = catalog.statuses(archive.conn, [r.doc_id for r in outcome.results])
    marked = [replace(r, status="; ".join(notes[r.doc_id])) if notes.get(r.doc_id) else r for r in outcome.results]
    return replace(outcome, results=marked)


def reindex(home=None, progress=None):
    """What ``vanthu reindex`` does: the index rebuilt from the whole archive; a summary line."""
    root = Home.locate(home).root
    return index.reindex(root, source(root), progress)


def citations(home, number):
    """``(cites, cited_by)`` of the document numbered ``number``, from the index."""
    root = Home.locate(home).root
    return index.citations(root, number, source(root))
