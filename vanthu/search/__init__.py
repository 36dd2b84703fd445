"""Search over the archive (tìm kiếm): a Whoosh index that is a cache of the archive.

The archive calls :func:`index_documents` after each register commit and
``vanthu reindex`` calls :func:`rebuild`; ``vanthu search`` calls
:func:`search`. Submodules are imported on use: ``vanthu`` starts fast.
"""


def index_documents(home, docs, all_documents=None):
    """Add newly archived documents to the index; returns warnings for the clerk."""
    from .index import add_documents
    from .searching import _archive
    return add_documents(home, docs, all_documents or _archive(home))


def rebuild(home, docs, progress=None):
    """Rebuild the index from these documents (the whole archive); returns warnings."""
    from .index import rebuild as _rebuild
    return _rebuild(home, docs, progress=progress)


def search(home, text="", **options):
    """Ranked results (an :class:`.results.Outcome`); see :func:`.searching.search`."""
    from ..workflow.withdrawal import mark_results
    from .searching import search as _search
    return mark_results(home, _search(home, text, **options))


def citations(home, number, all_documents=None):
    """What the document numbered ``number`` cites, and what cites it (viện dẫn).

    Returns ``(cites, cited_by)``: two lists of document numbers as written.
    ``cites`` names documents whether or not they are in the archive;
    ``cited_by`` lists archived documents. Read from the index (rebuilt from
    the archive if needed), for ``vanthu show``.
    """
    from .searching import citations as _citations
    return _citations(home, number, all_documents)


def reindex(home, progress=None):
    """``vanthu reindex``: the index rebuilt from the whole archive; a summary line."""
    import time
    from ..archive.feed import Feed
    from .index import rebuild as _rebuild
    started, counted, feed = time.perf_counter(), _Counter(progress), Feed(home)
    _rebuild(home, counted.through(feed()), feed=feed)
    return f"Đã dựng lại chỉ mục tìm kiếm: {counted.n} văn bản, {time.perf_counter() - started:.1f} giây."


class _Counter:
    """Counts documents on their way to the index, and reports progress."""

    def __init__(self, progress):
        self.n, self.progress = 0, progress

    def through(self, docs):
        for doc in docs:
            self.n += 1
            if self.progress and self.n % 500 == 0:
                self.progress(self.n)
            yield doc
