"""The document number and symbol (số, ký hiệu), a value type.

Nghị định 30 Phụ lục I §II.3: ``4482/SYT-VP`` for a công văn (issuer code,
drafting unit), ``12/QĐ-UBND`` for a typed document (type code, issuer code).
Numbers under 10 print as ``01``-``09``. The decree's mixed-case codes
(``TTr``, ``QyĐ``, ``PGD&ĐT``) are kept exactly as written: never upper-case a
symbol for display; only :attr:`DocumentNumber.key` folds case, for look-ups.
"""
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from .errors import VanthuError

MAX_NUMBER = 999_999_999  # the register stores 64-bit integers; no office issues a billion documents a year
DRAFT_BLANK = "      "  # a draft leaves room for the number written in by hand


def printed(number):
    """``01``...``09``, then the number as it is: numbers, arrival numbers, copies (Phụ lục I §II.3)."""
    return f"{number:02d}"


class ArrivalNumber(int):
    """Số đến: a received document's number in the year's arrival series; an int that prints ``01``."""

    def __str__(self):
        return printed(int(self))

    @property
    def file_part(self):
        """``0001``: four digits, so that a folder listing sorts in arrival order."""
        return f"{int(self):04d}"

    @classmethod
    def of(cls, value):
        return None if value is None else cls(value)


def make_symbol(issuer_code, type_code=None, unit=None):
    """The symbol (ký hiệu): ``QĐ-UBND`` for typed documents, ``SYT-VP`` for công văn."""
    if type_code:
        return f"{type_code}-{issuer_code}"
    return f"{issuer_code}-{unit}" if unit else issuer_code


def _nfc(text):
    return unicodedata.normalize("NFC", text)


def normalize_key(text):
    """The look-up form: NFC, upper case, no spaces, no leading zero on the number
    (``4482 /syt-vp`` -> ``4482/SYT-VP``; ``04/SYT-VP`` as printed -> ``4/SYT-VP``)."""
    return re.sub(r"^0+(\d)", r"\1", re.sub(r"\s+", "", _nfc(text)).upper())


_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\S.*?)\s*$")


@dataclass(frozen=True)
class DocumentNumber:
    """Số và ký hiệu văn bản: a number (None in a draft) and a symbol."""

    number: Optional[int]
    symbol: str

    def __post_init__(self):
        if self.number is not None and self.number < 1:
            raise VanthuError(f"số văn bản phải là số nguyên dương, không phải {self.number}")
        object.__setattr__(self, "symbol", _nfc(self.symbol).replace(" ", ""))

    @classmethod
    def parse(cls, text):
        """Read ``4482/SYT-VP`` (spaces around the slash allowed, as on scans)."""
        m = _PATTERN.match(_nfc(str(text)))
        if not m:
            raise VanthuError(f"'{text}' không phải số, ký hiệu văn bản (ví dụ 4482/SYT-VP)")
        return cls(int(m[1]), m[2])

    @property
    def is_draft(self):
        return self.number is None

    @property
    def printed_number(self):
        """``01``...``09``, then the number as it is; blank in a draft."""
        return DRAFT_BLANK if self.is_draft else printed(self.number)

    def __str__(self):
        return f"{self.printed_number}/{self.symbol}"

    @property
    def line(self):
        """The ô 3 line: ``Số: 4482/SYT-VP`` (``Số:      /SYT-VP`` in a draft)."""
        return f"Số: {self}"

    @property
    def key(self):
        """Case- and space-insensitive look-up key (``4482/SYT-VP``)."""
        return normalize_key(f"{self.number or ''}/{self.symbol}")

    def with_number(self, number):
        return DocumentNumber(number, self.symbol)
