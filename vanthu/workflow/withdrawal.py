"""Thu hồi (withdrawal, Nghị định 30 Điều 18): the document keeps its number; the register,
search and the document page say it is withdrawn, why, by whom and when.

Replacement and correction (thay thế, đính chính) are links made when the
new document is issued (``--replaces`` / ``--corrects``, :mod:`vanthu.archive.catalog`);
a withdrawal is a row of its own, read by the register's Ghi chú and ``vanthu show``
(:class:`vanthu.archive.catalog.Entry`) and search results (:func:`vanthu.archive.finding.search`).
"""
import datetime as _dt
from dataclasses import dataclass

from ..archive import catalog, db
from ..archive.catalog import withdrawal_note
from ..archive.document import OUTGOING
from ..archive.home import opened
from ..errors import VanthuError


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
