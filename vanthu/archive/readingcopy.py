"""Reading copies (bản xem PDF): a document kept only as DOCX, converted to PDF once, then cached.

LibreOffice takes seconds a conversion, so "Mở PDF" keeps the copy in
``HOME/cache/ban-xem/``, named by the DOCX's SHA-256: a changed DOCX has another
checksum, so another copy. Like the search index the folder is a cache: not
stored files, not in the register, the log, verify's count or a backup, and
deleting it loses nothing (the next click converts again). A copy's name also
carries its own checksum, so one damaged on disk is made again, never handed
out. Its modes are the home's (verify checks them: a secret text is in it),
and a recall removes the copies of the files it destroys.
"""
import contextlib
import hashlib
import threading

from ..files import private_files, write_atomic

FOLDER = ("cache", "ban-xem")
_LOCKS = tuple(threading.Lock() for _ in range(16))  # by checksum: a few, however many files


def folder(home):
    """``HOME/cache/ban-xem``."""
    return home.root.joinpath(*FOLDER)


def pdf_of(home, digest, docx):
    """The reading copy of ``docx`` (a stored file's re-hashed bytes, SHA-256 ``digest``): cached, else made now."""
    with _lock(digest):  # a double click converts once: the second waits, then finds the copy
        data = _cached(home, digest)
        if data is None:
            from ..generator import preview
            data = preview.reading_pdf(docx)
            _keep(home, digest, data)
        return data


def forget(home, digests):
    """Remove the reading copies of the DOCX files with these checksums (destroyed on a recall)."""
    for digest in digests:
        for path in folder(home).glob(f"{digest}-*.pdf"):
            path.unlink(missing_ok=True)


def _lock(digest):
    return _LOCKS[int(digest[:4], 16) % len(_LOCKS)]


def _cached(home, digest):
    for path in folder(home).glob(f"{digest}-*.pdf"):
        with contextlib.suppress(FileNotFoundError):  # removed meanwhile (the cache was cleared)
            data = path.read_bytes()
            if path.name == _name(digest, data):
                return data
            path.unlink()  # damaged on disk: made again
    return None


def _keep(home, digest, data):
    with contextlib.suppress(OSError):  # a home opened read-only (a backup copy): handed out, not kept
        with private_files():
            folder(home).mkdir(parents=True, exist_ok=True)
            write_atomic(folder(home) / _name(digest, data), data, mode=0o600)


def _name(digest, data):
    return f"{digest}-{hashlib.sha256(data).hexdigest()[:16]}.pdf"
