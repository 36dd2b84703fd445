"""Document numbers cited in a text (văn bản được viện dẫn).

"Thực hiện Công văn số 4199/BYT-VPB1 ngày 05/8/2020 của Bộ Y tế ..." cites
4199/BYT-VPB1. The archive stores these links when a document is issued or
imported, so that ``vanthu show`` lists what a document cites and what cites it.
"""
import re
import unicodedata

from .docnumber import DocumentNumber

# number / [year /] symbol: the symbol starts with a capital letter (so that a
# date such as 05/8/2020 is not a number) and runs over letters, digits, & . -
_CITED = re.compile(
    r"(?<![\w/])(\d{1,6})\s*/\s*((?:\d{4}/)?[A-ZĐÂĂÊÔƠƯ][\w&.\-]*(?:/[A-ZĐ][\w&\-]*)?)")


def cited_numbers(text, own=None):
    """The document numbers cited in ``text``, in order, each once; never ``own``."""
    text = unicodedata.normalize("NFC", text or "")
    seen, found = {own.key} if own else set(), []
    for match in _CITED.finditer(text):
        number = DocumentNumber(int(match[1]), match[2].rstrip(".-"))
        if int(match[1]) > 0 and number.key not in seen:
            seen.add(number.key)
            found.append(number)
    return found
