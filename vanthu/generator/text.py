"""The rules of the text (quy tắc trình bày chữ), as small functions.

Everything here is plain text in, plain text out; where it lands on the page
is the template's business.
"""
import re

from ..docnumber import printed
from ..vndate import long_date

_TRAILING = re.compile(r"[\s;.,:]+$")
_LEADING_DASH = re.compile(r"^[-–—+•]\s*")
FILL = "."


def punctuated(items):
    """List items (danh sách nơi nhận): ``- `` before each, ``;`` after all but the last, ``.`` after it.

    Whatever punctuation the clerk typed is replaced, so the list always reads right.
    """
    cores = [_LEADING_DASH.sub("", _TRAILING.sub("", item)) for item in items]
    return [f"- {core}{';' if i < len(cores) - 1 else '.'}" for i, core in enumerate(cores)]


def distribution(items):
    """Nơi nhận lines: plain items punctuated as runs, each group as ``Label:`` then its own list.

    ``["Như trên", "Lưu: VT", ("Bản điện tử", ["A", "B"])]`` gives
    ``- Như trên;`` ``- Lưu: VT.`` ``Bản điện tử:`` ``- A;`` ``- B.``
    """
    lines, run = [], []
    for item in items + [None]:
        if isinstance(item, str):
            run.append(item)
            continue
        lines += punctuated(run)
        run = []
        if item is not None:
            label, members = item
            lines += [_TRAILING.sub("", label) + ":"] + punctuated(members)
    return lines


def bases(items):
    """Căn cứ: one a line, ``;`` after each and ``.`` after the last (no dash)."""
    cores = [_TRAILING.sub("", item) for item in items]
    return [f"{core}{';' if i < len(cores) - 1 else '.'}" for i, core in enumerate(cores)]


def drafter_line(drafter, copies):
    """Ô 12: the drafter's initials and the number of copies, ``PL.(300)``."""
    count = f"({printed(copies)})" if copies else ""
    return f"{drafter.upper()}.{count}" if drafter and count else (drafter or "").upper() or count


def meeting_lines(meeting):
    """Model 1.7's fixed lines: ``Tới dự``, ``Chủ trì``, ``Thời gian``, ``Địa điểm``."""
    labels = [("event", "Tới dự"), ("chair", "Chủ trì"), ("time", "Thời gian"), ("venue", "Địa điểm")]
    return [f"{label}: {meeting[key]}" for key, label in labels if meeting.get(key)]


def appendix_reference(record):
    """``(Kèm theo Quyết định số 166/QĐ-PGD&ĐT ngày 10 tháng 10 năm 2020 của ...)``; blanks in a draft."""
    when = long_date(record.date)
    issuer = record.issuer.get("name", "")
    return f"(Kèm theo {record.template.title} số {record.number} {when} của {issuer})"


def addressed_inline(recipients):
    """One recipient goes on the ``Kính gửi:`` line itself (``Kính gửi: Bộ Nội vụ.``)."""
    return _TRAILING.sub("", recipients[0]) + "." if len(recipients) == 1 else ""


def addressed_list(recipients):
    """Several recipients are a dash list under ``Kính gửi:``."""
    return punctuated(recipients) if len(recipients) > 1 else []


def cong_van_subject(subject):
    """Trích yếu công văn: ``V/v triển khai ...`` (the prefix is added here, not typed)."""
    subject = re.sub(r"^(V/v|v/v|V/V)\s*", "", subject.strip())
    return f"V/v {subject}"


def place_and_date(place, date):
    """Ô 4: ``Đồng Nai, ngày 06 tháng 8 năm 2020``; a draft leaves the date to be filled."""
    return f"{place}, {long_date(date)}"


def fill(value, length):
    """A form field's value, or its dotted fill line when left out (dòng chấm)."""
    return value if value not in (None, "") else FILL * max(length, 5)


def form_date(place, date):
    """A form's place-and-date line; blank parts become dotted fill lines."""
    place = fill(place, 20)
    if not date:
        return f"{place}, ngày {FILL * 5} tháng {FILL * 5} năm {FILL * 8}"
    return f"{place}, {long_date(date)}"
