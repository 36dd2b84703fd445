"""Number series (dãy số, sổ đăng ký) and allocation (cấp số).

Nghị định 30 Art. 15: one series per issuing body per year, from 01 on
1 January; secret documents on a series of their own; types with their own
series where the head of the body decides so (:mod:`settings`). Incoming
documents take arrival numbers (số đến), one series per year (Art. 22.2).

Numbers are taken inside the write transaction that stores the document, so
a failed issue leaves no number taken and the series has no gap.
"""
import datetime as _dt
from dataclasses import dataclass

from ..docnumber import DocumentNumber
from ..errors import VanthuError
from ..vndate import short_date
from .document import INCOMING, OUTGOING

SECRET = "mật"
ARRIVAL = "đến"


@dataclass(frozen=True)
class Series:
    """One number series of one year (dãy số): direction, year, key (``SYT``, ``SYT/mật``)."""

    direction: str
    year: int
    key: str

    @classmethod
    def outgoing(cls, year, issuer_code, secret=False, template=None):
        """The series a document of ``issuer_code`` takes its number from (``syt`` and ``SYT`` share one)."""
        issuer_code = issuer_code.upper()
        if secret:
            return cls(OUTGOING, year, f"{issuer_code}/{SECRET}")
        return cls(OUTGOING, year, f"{issuer_code}/{template}" if template else issuer_code)

    @classmethod
    def arrival(cls, year):
        return cls(INCOMING, year, ARRIVAL)

    def describe(self):
        """Vietnamese name for messages: ``sổ văn bản đi SYT năm 2020``."""
        if self.direction == INCOMING:
            return f"sổ văn bản đến năm {self.year}"
        issuer, _, part = self.key.partition("/")
        kind = "văn bản mật" if part == SECRET else (f"{part}" if part else "văn bản đi")
        return f"sổ {kind} {issuer} năm {self.year}"


def next_number(conn, series):
    """The next free number: one past the highest taken (numbers are never reused)."""
    row = conn.execute("SELECT COALESCE(MAX(serial), 0) FROM documents WHERE direction = ? AND year = ? AND series = ?",
                       (series.direction, series.year, series.key)).fetchone()
    return row[0] + 1


def holder(conn, series, number):
    """The document that already has ``number`` in ``series``, if any."""
    return conn.execute("SELECT id, number, symbol, date FROM documents WHERE direction = ? AND year = ? AND series = ? AND serial = ?",
                        (series.direction, series.year, series.key, number)).fetchone()


def take(conn, series, wanted=None):
    """Allocate a number in ``series``: ``wanted`` if it is free, else the next one.

    Must run inside the write transaction that inserts the document.
    """
    if wanted is None:
        return next_number(conn, series)
    taken = holder(conn, series, wanted)
    if taken:
        other = DocumentNumber(taken["number"], taken["symbol"])
        raise VanthuError(f"số {DocumentNumber(wanted, '').printed_number} đã cấp trong {series.describe()} "
                          f"cho văn bản {other} ngày {short_date(_dt.date.fromisoformat(taken['date']))}; "
                          "bỏ khóa number để lấy số tiếp theo")
    return wanted
