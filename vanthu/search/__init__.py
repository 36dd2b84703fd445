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
    from .searching import search as _search
    return _search(home, text, **options)
