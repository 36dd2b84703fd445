"""The register and archive (sổ đăng ký và kho lưu trữ)."""


def documents(home=None, direction=None, year=None, after_id=0):
    """Every archived document (:class:`~vanthu.archive.document.ArchivedDocument`) of ``home``.

    What the search index is built from; see :func:`vanthu.archive.catalog.documents`.
    """
    from .catalog import documents as _documents  # keeps ``import vanthu.archive.document`` light
    return _documents(home, direction, year, after_id)
