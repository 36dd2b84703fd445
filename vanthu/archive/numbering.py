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

from ..docnumber import DocumentNumber, printed
from ..errors import VanthuError
from ..vndate import short_date
from .document import INCOMING, OUTGOING
from .store import safe_name

SECRET = "mật"
ARRIVAL = "đến"
COPIES = "sao"  # the copies' series (bản sao): one per issuer and year, shared by SY, SL and TrS


@dataclass(frozen=True)
class Series:
    """One number series of one year (dãy số, sổ): outgoing per issuer, or the arrivals.

    An outgoing series belongs to an issuing body (``issuer``: its code),
    and is its secret series or a document type's own (``own``: the template
    name) or its main one, or the series of its copies (``copies``: sao y, sao
    lục, trích sao share it, Phụ lục I Phần II.1.c; secret copies apart).
    Stored as :attr:`key` (``SYT``, ``SYT/mật``, ``SYT/quyet-dinh``,
    ``SYT/sao``, ``SYT/sao/mật``; ``đến`` for arrivals), read back with :meth:`parse`.
    """

    direction: str
    year: int
    issuer: str = ""
    secret: bool = False
    own: str = ""
    copies: bool = False

    @classmethod
    def outgoing(cls, year, issuer_code, secret=False, template=None):
        """The series a document of ``issuer_code`` takes its number from (``syt`` and ``SYT`` share one)."""
        return cls(OUTGOING, year, issuer_code.upper(), secret, "" if secret else (template or ""))

    @classmethod
    def of_copies(cls, year, issuer_code, secret=False):
        """The copies' series of ``issuer_code`` (sổ bản sao): never the numbers of its documents."""
        return cls(OUTGOING, year, issuer_code.upper(), secret, copies=True)

    @classmethod
    def arrival(cls, year, secret=False):
        """Số đến of ``year``; secret documents are registered in a book of their own (Art. 22.4)."""
        return cls(INCOMING, year, "", secret)

    @classmethod
    def parse(cls, direction, year, key):
        """The series stored as ``key`` (the ``series`` column)."""
        if direction == INCOMING:
            return cls.arrival(year, is_secret_series(key))
        issuer, _, part = key.partition("/")
        if part == COPIES or part.startswith(COPIES + "/"):
            return cls.of_copies(year, issuer, part.endswith("/" + SECRET))
        return cls(OUTGOING, year, issuer, part == SECRET, "" if part == SECRET else part)

    @property
    def key(self):
        if self.direction == INCOMING:
            return f"{ARRIVAL}/{SECRET}" if self.secret else ARRIVAL
        if self.copies:
            return f"{self.issuer}/{COPIES}/{SECRET}" if self.secret else f"{self.issuer}/{COPIES}"
        part = SECRET if self.secret else self.own
        return f"{self.issuer}/{part}" if part else self.issuer

    @property
    def folder(self):
        """Where its files are kept: ``files/2020/di``, ``files/2020/di-mat``, ``files/2020/den``, ``files/2020/sao``."""
        if self.copies:
            return f"files/{self.year}/{'sao-mat' if self.secret else 'sao'}"
        kind = ("den-mat" if self.secret else "den") if self.direction == INCOMING else "di-mat" if self.secret else (
            f"di-{safe_name(self.own)}" if self.own else "di")
        return f"files/{self.year}/{kind}"

    @property
    def name(self):
        """``sổ mật SYT``, ``sổ SYT, loại quyet-dinh``: which book, for a document's card."""
        if self.direction == INCOMING:
            return f"sổ văn bản {'mật ' if self.secret else ''}đến"
        if self.copies:
            return f"sổ bản sao {'mật ' if self.secret else ''}{self.issuer}"
        return f"sổ {'mật ' if self.secret else ''}{self.issuer}{f', loại {self.own}' if self.own else ''}"

    @property
    def is_secret(self):
        return self.secret

    def describe(self):
        """Vietnamese name for messages: ``sổ văn bản đi SYT năm 2020``."""
        if self.direction == INCOMING:
            return f"sổ văn bản {'mật ' if self.secret else ''}đến năm {self.year}"
        if self.copies:
            return f"{self.name} năm {self.year}"
        kind = "văn bản mật" if self.secret else (self.own or "văn bản đi")
        return f"sổ {kind} {self.issuer} năm {self.year}"


def is_secret_series(key):
    """``SYT/mật``, ``đến/mật`` (or such a :class:`Series`): the series of secret documents (sổ văn bản mật)."""
    return getattr(key, "key", key).endswith("/" + SECRET)


def is_copies_series(key):
    """``SYT/sao``, ``SYT/sao/mật`` (or such a :class:`Series`): a series of copies, not of documents."""
    part = getattr(key, "key", key).partition("/")[2]
    return part == COPIES or part.startswith(COPIES + "/")


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

    Must run inside the write transaction that inserts the document. The series is locked first
    (on PostgreSQL its ``number_series`` row, until the commit): two clerks of one issuer queue here,
    other issuers go on. The number is then read as one past the highest committed: nothing to drift.
    """
    conn.lock_series(series.direction, series.year, series.key)
    if wanted is None:
        return next_number(conn, series)
    taken = holder(conn, series, wanted)
    if taken:
        other = DocumentNumber(taken["number"], taken["symbol"])
        raise VanthuError(f"số {printed(wanted)} đã cấp trong {series.describe()} "
                          f"cho văn bản {other} ngày {short_date(_dt.date.fromisoformat(taken['date']))}; "
                          "bỏ khóa number để lấy số tiếp theo")
    return wanted
