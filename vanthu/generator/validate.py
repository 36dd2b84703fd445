"""Checking one value against its declared field type (kiểm tra giá trị).

Each checker takes the raw YAML value and returns the clean value, or raises
:class:`Invalid` with a Vietnamese message. Records are data: every string is
NFC-normalised and control characters are refused, never passed to a template.
"""
import datetime as _dt
import re
import unicodedata

from ..docnumber import MAX_NUMBER

from .. import vndate
from ..errors import VanthuError

MAX_TEXT = 2_000
MAX_BLOCK = 200_000
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
_PARTY_FORMS = re.compile(r"^(T/M|K/T|T/L)\b")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Zero-width and direction marks: invisible, they make "SYT\u200b" a look-alike of "SYT" (a parallel series).
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CODE = re.compile(r"^[^\W_]+(?:[&.\-][^\W_]+)*$")  # SYT, PGD&ĐT, UBND-TP: letters and digits, joined by & . -
_PHONE_DIGITS = re.compile(r"^0[35789]\d{8}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


class Invalid(ValueError):
    """A value that does not fit its field; ``key`` narrows it (``signer.name``)."""

    def __init__(self, message, key=""):
        super().__init__(message)
        self.key = key


def _n(number):
    """1.234.567: thousands the Vietnamese way."""
    return f"{number:,}".replace(",", ".")


def kind_of(value):
    if isinstance(value, dict):
        return "một bảng khóa: giá trị"
    if isinstance(value, list):
        return "một danh sách"
    return f"'{value}'"


def text(value, max_length=MAX_TEXT, multiline=False):
    """A string (chuỗi): numbers are accepted as text, lists and maps are not."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"cần một chuỗi chữ, không phải {kind_of(value)}")
    value = unicodedata.normalize("NFC", str(value)).strip()
    if bad := re.search(r"[\ud800-\udfff]", value):
        raise Invalid(f"có ký tự hỏng U+{ord(bad.group()):04X} (nửa cặp UTF-16, không phải chữ); hãy gõ lại")
    if bad := _CONTROL.search(value if multiline else value.replace("\n", " ")):
        raise Invalid(f"có ký tự điều khiển U+{ord(bad.group()):04X} không in được; hãy xóa nó")
    if not multiline and (bad := _INVISIBLE.search(value)):
        raise Invalid(f"có ký tự vô hình U+{ord(bad.group()):04X} (khoảng trắng độ rộng 0, dấu hướng chữ); hãy xóa nó")
    if len(value) > max_length:
        raise Invalid(f"dài {_n(len(value))} ký tự, quá giới hạn {_n(max_length)}")
    return value


def flag(value):
    """Yes or no (có/không): true/false in YAML."""
    if not isinstance(value, bool):
        raise Invalid(f"cần true hoặc false, không phải {kind_of(value)}")
    return value


def block(value):
    """A block of text (nội dung nhiều dòng)."""
    return text(value, MAX_BLOCK, multiline=True)


def code(value):
    """An abbreviation (viết tắt): SYT, VP, PGD&ĐT; kept exactly as written."""
    value = text(value, 40)
    if not value or "/" in value:
        raise Invalid(f"viết tắt '{value}' không hợp lệ (không để trống, không có dấu /)")
    return value


def issuer_code(value):
    """The issuer's abbreviation (viết tắt tên cơ quan): one word of letters and digits, SYT, PGD&ĐT.

    Kept as written; the series compares it without regard to case (``syt`` is ``SYT``).
    """
    value = code(value)
    if not _CODE.match(value):
        shown = "có khoảng trắng" if re.search(r"\s", value) else "chỉ gồm chữ, số và & . - giữa các chữ"
        raise Invalid(f"viết tắt tên cơ quan '{value}' không hợp lệ ({shown}); viết liền, ví dụ SYT, PGD&ĐT")
    return value


def number(value):
    """A positive whole number (số nguyên dương)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"số phải là số nguyên dương, không phải {kind_of(value)}")
    if value > MAX_NUMBER:
        raise Invalid(f"số {value} quá lớn (tối đa {_n(MAX_NUMBER)})")
    return value


def date(value):
    """A day that exists in the calendar (ngày): ``06/8/2020``, ``6/8/2020`` or ``2020-08-06``."""
    if isinstance(value, _dt.date):
        return vndate.parse_day(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Invalid(f"ngày phải viết dạng {vndate.DAY_FORMS}, không phải {kind_of(value)}")
    try:
        return vndate.parse_day(value)
    except VanthuError as error:
        raise Invalid(error.problems[0].message) from None


def choice(value, choices):
    """One of the listed values (giá trị cho phép), matched without regard to case."""
    clean = text(value).lower().replace("hoả", "hỏa")
    if clean not in choices:
        raise Invalid(f"'{value}' không hợp lệ; dùng một trong: {', '.join(choices)}")
    return clean


def text_list(value):
    """A list of strings (danh sách)."""
    if not isinstance(value, list):
        raise Invalid(f"cần một danh sách (mỗi mục một dòng bắt đầu bằng '- '), không phải {kind_of(value)}")
    return [_item(v, i) for i, v in enumerate(value)]


def _item(value, index):
    try:
        return text(value)
    except Invalid as e:
        raise Invalid(f"mục {index + 1}: {e}") from None


def recipient_groups(value):
    """Nơi nhận: a list of recipients, where an item may be a group ``{Bản điện tử: [...]}``."""
    if not isinstance(value, list):
        raise Invalid(f"cần một danh sách (mỗi mục một dòng bắt đầu bằng '- '), không phải {kind_of(value)}")
    return [_group(v, i) if isinstance(v, dict) else _item(v, i) for i, v in enumerate(value)]


def _group(value, index):
    if len(value) != 1:
        raise Invalid(f"mục {index + 1}: một nhóm nơi nhận viết 'Tên nhóm: [danh sách]'")
    (label, items), = value.items()
    return text(label), text_list(items)


def listed(value):
    """A list as such (danh sách), whatever its items."""
    if not isinstance(value, list):
        raise Invalid(f"cần một danh sách (mỗi mục một dòng bắt đầu bằng '- '), không phải {kind_of(value)}")
    return value


def lines(value):
    """One line of text or several (một hoặc nhiều dòng)."""
    return text_list(value) if isinstance(value, list) else [text(value)]


def phone(value):
    """A Vietnamese mobile number (số di động): 10 digits, typed plain or spaced."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid("hãy viết số điện thoại trong ngoặc kép, ví dụ \"0912 345 678\", để giữ số 0 đầu")
    shown = text(value, 30)
    digits = re.sub(r"[\s.\-]", "", shown)
    digits = "0" + digits[3:] if digits.startswith("+84") else digits
    if not _PHONE_DIGITS.match(digits):
        raise Invalid(f"'{shown}' không phải số di động Việt Nam (10 chữ số, bắt đầu 03, 05, 07, 08 hoặc 09)")
    return shown


def email(value):
    """An e-mail address (địa chỉ thư điện tử)."""
    shown = text(value, 254)
    if not _EMAIL.match(shown):
        raise Invalid(f"'{shown}' không phải địa chỉ email hợp lệ (ví dụ cdc@dongnai.gov.vn)")
    return shown


def authority(value):
    """Signature authority lines (quyền hạn ký): each starts TM., KT., TL., TUQ. or Q."""
    lines = text_list(value) if isinstance(value, list) else [text(value)]
    for line in lines:
        if _PARTY_FORMS.match(line):
            raise Invalid(f"'{line}': văn bản hành chính viết TM., KT., TL. (không dùng T/M, K/T, T/L của Đảng)")
        if not line.startswith(AUTHORITY_PREFIXES):
            raise Invalid(f"'{line}' phải bắt đầu bằng một trong {', '.join(AUTHORITY_PREFIXES)}")
    return [line.upper() for line in lines]


def table_rows(value):
    """The rows of a form's table (các dòng bảng): a list of mappings ``column: value``."""
    if not isinstance(value, list):
        raise Invalid(f"cần một danh sách dòng (mỗi dòng '- {{cột: giá trị, ...}}'), không phải {kind_of(value)}")
    for index, row in enumerate(value):
        if not isinstance(row, dict):
            raise Invalid(f"dòng {index + 1}: cần các cột dạng {{cột: giá trị, ...}}, không phải {kind_of(row)}")
    return value


def table_cell(value):
    """One cell of a form's table (ô bảng); a decimal typed as 9.2 is printed the Vietnamese way, 9,2."""
    if isinstance(value, float):
        value = f"{value:g}".replace(".", ",")
    return text(value, 500)
