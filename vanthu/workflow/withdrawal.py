"""Thu hồi (withdrawal, Nghị định 30 Điều 18): the document keeps its number; the register,
search and the document page say it is withdrawn, why, by whom and when.

Replacement and correction (thay thế, đính chính) are links made when the
new document is issued (``--replaces`` / ``--corrects``); :func:`notes` reads
all three for the register's Ghi chú column and the document page.
"""
import datetime as _dt
from dataclasses import dataclass

from ..archive import catalog, db
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
        return f"Đã thu hồi ngày {self.at[8:10]}/{self.at[5:7]}/{self.at[:4]}: {self.reason}"


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


def all_withdrawn(conn):
    """document id -> :class:`Withdrawal`, for listings (register, search)."""
    ids = [r[0] for r in conn.execute("SELECT document_id FROM withdrawals")]
    return {i: withdrawn(conn, i) for i in ids}


def notes(conn, document_id):
    """Ghi chú lines of a document: withdrawn; replaced or corrected by a later document; replacing one."""
    lines = []
    if (w := withdrawn(conn, document_id)) is not None:
        lines.append(w.note)
    for kind, number, symbol, incoming in _links(conn, document_id):
        lines.append(_LINK_NOTES[(kind, incoming)].format(f"{_num(number)}/{symbol}"))
    return lines


_LINK_NOTES = {("replaces", False): "Thay thế văn bản số {}", ("corrects", False): "Đính chính văn bản số {}",
               ("replaces", True): "Bị thay thế bởi văn bản số {}", ("corrects", True): "Được đính chính bởi văn bản số {}"}


def _num(n):
    return f"{n:02d}"


def _links(conn, document_id):
    out = conn.execute("SELECT l.kind, d.number, d.symbol FROM links l JOIN documents d ON d.id = l.target_id"
                       " WHERE l.document_id = ?", (document_id,)).fetchall()
    back = conn.execute("SELECT l.kind, d.number, d.symbol FROM links l JOIN documents d ON d.id = l.document_id"
                        " WHERE l.target_id = ?", (document_id,)).fetchall()
    return [(r[0], r[1], r[2], False) for r in out] + [(r[0], r[1], r[2], True) for r in back]
