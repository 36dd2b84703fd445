"""Thu hồi (withdrawal, Nghị định 30 Điều 18): the document keeps its number; the register,
search and the document page say it is withdrawn, why, by whom and when.

Replacement and correction (thay thế, đính chính) are links made when the
new document is issued (``--replaces`` / ``--corrects``, :mod:`vanthu.archive.catalog`);
a withdrawal is a row of its own, read by the register's Ghi chú and ``vanthu show``
(:class:`vanthu.archive.catalog.Entry`) and search results (:func:`vanthu.archive.finding.search`).
"""
import contextlib
import datetime as _dt
from dataclasses import dataclass

from ..archive import catalog, db, readingcopy
from ..archive.catalog import withdrawal_note
from ..archive.document import INCOMING, OUTGOING
from ..archive.home import opened
from ..errors import VanthuError
from ..faults import checkpoint
from ..files import fsync_dir, private_files


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn document (văn bản bị thu hồi)."""

    document_id: int
    number: object
    reason: str
    person: str
    at: str

    @property
    def note(self):
        return withdrawal_note(self.reason, self.at)


def withdraw(number, reason, by, home=None, year=None):
    """Withdraw the outgoing document numbered ``number``; refused if already withdrawn."""
    if not (reason or "").strip():
        raise VanthuError("thu hồi cần lý do (--reason)")
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            entry = catalog.find_one(archive.conn, number, year, OUTGOING)
            document = entry.document
            _refuse_twice(archive.conn, document)
            archive.conn.execute("INSERT INTO withdrawals (document_id, reason, person, at) VALUES (?, ?, ?, ?)",
                                 (document.id, reason.strip(), by, now))
            archive.log("withdraw", {"number": str(document.number), "reason": reason.strip(), "by": by},
                        document_id=document.id)
        archive.remember_log_head()
    return Withdrawal(document.id, document.number, reason.strip(), by, now)


def _refuse_twice(conn, document):
    """Refused if already withdrawn, or if it lies in a transferred (frozen) hồ sơ."""
    from ..archive import dossiers  # the agency archive holds it now: no withdrawal, no destruction here
    dossiers.refuse_if_frozen(conn, document.id, "thu hồi")
    row = conn.execute("SELECT at FROM withdrawals WHERE document_id = ?", (document.id,)).fetchone()
    if row:
        raise VanthuError(f"văn bản số {document.number} đã bị thu hồi ngày {row['at'][:10]}")


def withdrawn(conn, document_id):
    """The :class:`Withdrawal` of a document, or None."""
    row = conn.execute("SELECT w.*, d.number, d.symbol FROM withdrawals w JOIN documents d ON d.id = w.document_id"
                       " WHERE w.document_id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    from ..docnumber import DocumentNumber
    return Withdrawal(row["document_id"], DocumentNumber(row["number"], row["symbol"]), row["reason"],
                      row["person"], row["at"])


# --- a recalled incoming document (văn bản đến bị thu hồi; Phụ lục VI III.8.b, c) ----------------------------

@dataclass(frozen=True)
class Recall:
    """An incoming document recalled by its sender: its files destroyed, their checksums and the events kept."""

    document_id: int
    number: object
    arrival_number: object
    order: str
    destroyed: tuple  # paths of the files removed from the store
    finished: bool = False  # a recall whose files a crash had left: destroyed now


def recall(number, order, reason, by, home=None, year=None):
    """Destroy the files of the incoming document ``number`` on its sender's order (lệnh thu hồi).

    One transaction marks every file destroyed (``destroyed_files``), erases the
    text read from it (the body: the content goes with the file), freezes the row
    (a withdrawal) and logs a ``recall`` event naming each file and its SHA-256;
    the files are removed after the commit. A crash in between leaves files that
    ``verify`` reports, and running the recall again removes them.
    """
    order, reason = (order or "").strip(), (reason or "").strip()
    if not order:
        raise VanthuError("hủy văn bản đến bị thu hồi cần lệnh thu hồi của nơi gửi (--order \"Công văn số … ngày …\")")
    with opened(home) as archive:
        entry = catalog.find_one(archive.conn, number, year, INCOMING)
        if entry.destroyed:
            return _finish(archive, entry, order)
        with private_files(), db.write_transaction(archive.conn):
            files = _destroy_rows(archive, entry, order, reason, by)
        archive.remember_log_head()
        checkpoint("recall-committed")
        _remove(archive.home, files)
    return Recall(entry.document.id, entry.document.number, entry.document.arrival_number, order,
                  tuple(f.path for f in files))


def _destroy_rows(archive, entry, order, reason, by):
    conn, document = archive.conn, entry.document
    _refuse_twice(conn, document)
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    why = f"theo {order}" + (f": {reason}" if reason else "")
    conn.execute("UPDATE documents SET body = '' WHERE id = ?", (document.id,))
    for stored in entry.files:
        conn.execute("INSERT INTO destroyed_files (file_id, reason, person, at) SELECT id, ?, ?, ? FROM files"
                     " WHERE path = ?", (why, by, now, stored.path))
    conn.execute("INSERT INTO withdrawals (document_id, reason, person, at) VALUES (?, ?, ?, ?)",
                 (document.id, why, by, now))
    archive.log("recall", {"number": str(document.number), "arrival_number": int(document.arrival_number),
                           "order": order, "reason": reason, "by": by,
                           "destroyed": {f.path: f.sha256 for f in entry.files}}, document_id=document.id)
    return list(entry.files)


def _remove(home, files):
    readingcopy.forget(home, [f.sha256 for f in files])  # first: a crash after it still leaves files to finish
    for stored in files:
        path = home.root / stored.path
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the number's folder, once empty
        fsync_dir(path.parent if path.parent.exists() else path.parent.parent)


def _finish(archive, entry, order):
    """Run again after a crash: the files the log destroyed but the store still has go now."""
    left = [f for f in entry.destroyed if (archive.home.root / f.path).exists()]
    if not left:
        raise VanthuError(f"văn bản đến {entry.document.number} đã bị thu hồi, các tệp đã hủy: {entry.withdrawal}")
    _remove(archive.home, left)
    return Recall(entry.document.id, entry.document.number, entry.document.arrival_number, order,
                  tuple(f.path for f in left), finished=True)
