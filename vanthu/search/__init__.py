"""Search over the archive (tìm kiếm): a Whoosh index that is a cache of the archive.

This package knows nothing of where documents are kept: every function that
may have to rebuild the index takes ``all_documents``, a callable returning
every archived document (:class:`~vanthu.archive.document.ArchivedDocument`
or anything with its fields). :mod:`vanthu.archive.finding` wires it to the
archive for the skins. Submodules are imported on use: ``vanthu`` starts fast.
"""


def index_documents(home, docs, all_documents):
    """Add newly archived documents to the index; returns warnings for the clerk.

    An archive on PostgreSQL (its feed's ``server()``) has its search there (:mod:`.pg`), else Whoosh's.
    """
    url = _server(all_documents)
    if url:
        from . import pg
        return pg.catch_up(url, all_documents)
    from .index import add_documents
    return add_documents(home, docs, all_documents)


def _server(all_documents):
    ask = getattr(all_documents, "server", None)
    return ask() if ask is not None else None


def rebuild(home, docs, progress=None):
    """Rebuild the index from these documents (the whole archive); returns warnings."""
    from .index import rebuild as _rebuild
    return _rebuild(home, docs, progress=progress)


def search(home, text="", **options):
    """Ranked results (an :class:`.results.Outcome`); see :func:`.searching.search` (or :mod:`.pg`)."""
    url = _server(options.get("all_documents"))
    if url:
        from . import pg
        from .query import Filters
        from .searching import DEFAULT_LIMIT
        return pg.search(url, text, options.get("filters") or Filters(), options.get("limit", DEFAULT_LIMIT),
                         options["all_documents"])
    from .searching import search as _search
    return _search(home, text, **options)


def citations(home, number, all_documents):
    """What the document numbered ``number`` cites, and what cites it (viện dẫn).

    Returns ``(cites, cited_by)``: two lists of document numbers as written.
    ``cites`` names documents whether or not they are in the archive;
    ``cited_by`` lists archived documents. Read from the index (rebuilt from
    ``all_documents()`` if needed), for ``vanthu show``.
    """
    url = _server(all_documents)
    if url:
        from . import pg
        from ..docnumber import DocumentNumber
        key = DocumentNumber.parse(number).key if isinstance(number, str) else number.key
        return pg.citations(url, key, all_documents)
    from .searching import citations as _citations
    return _citations(home, number, all_documents)


def reindex(home, feed, progress=None):
    """``vanthu reindex``: the index rebuilt from ``feed()`` (the whole archive); a summary line.

    ``feed`` is the archive's :class:`~vanthu.archive.feed.Feed`: the index
    also records the log position it has applied.
    """
    import time
    from .index import rebuild as _rebuild
    started, counted = time.perf_counter(), _Counter(progress)
    url = _server(feed)
    if url:  # the archive is on PostgreSQL: its search tables are rebuilt there
        from . import pg
        pg.rebuild(url, _Feeding(feed, counted))
    else:
        _rebuild(home, counted.through(feed()), feed=feed)
    return f"Đã dựng lại chỉ mục tìm kiếm: {counted.n} văn bản, {time.perf_counter() - started:.1f} giây."


class _Feeding:
    """A feed whose documents are counted on their way (for the server's rebuild)."""

    def __init__(self, feed, counter):
        self.feed, self.counter = feed, counter

    def position(self):
        return self.feed.position()

    def __call__(self):
        return self.counter.through(self.feed())


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
