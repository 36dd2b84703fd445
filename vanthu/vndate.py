"""Dates the Vietnamese way (ngày tháng năm), per Nghị định 30 Phụ lục I §II.4.b.

Days 1-9 and months 1-2 take a leading zero so that nobody can turn them into
11 or 12 by hand; months 3-12 never do.
"""
import datetime as _dt
import re

from .errors import VanthuError


def _day(d):
    return f"{d.day:02d}"


def _month(d):
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def long_date(d):
    """``ngày 06 tháng 8 năm 2020`` (ngày tháng năm, in words)."""
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


def short_date(d):
    """``06/8/2020``: the form used in citations and registers."""
    return f"{_day(d)}/{_month(d)}/{d.year}"


def place_date(place, d):
    """The ô 4 line: ``Đồng Nai, ngày 06 tháng 8 năm 2020``."""
    return f"{place}, {long_date(d)}"


_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_Y = re.compile(r"^(\d{4})$")


def _make(y, m, d, text):
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        raise VanthuError(f"ngày {text} không tồn tại") from None


def parse_range(text):
    """A typed date as the inclusive range it means (khoảng ngày).

    ``2020-08-05`` and ``05/8/2020`` are one day, ``8/2020`` a month, ``2020`` a year.
    """
    text = text.strip()
    if m := _FULL.match(text):
        day = _make(*m.groups(), text)
        return day, day
    if m := _DMY.match(text):
        day = _make(m[3], m[2], m[1], text)
        return day, day
    if m := _MY.match(text):
        first = _make(m[2], m[1], 1, text)
        return first, _month_end(first)
    if m := _Y.match(text):
        return _dt.date(int(m[1]), 1, 1), _dt.date(int(m[1]), 12, 31)
    raise VanthuError(f"không hiểu ngày '{text}': viết 2020-08-05, 05/8/2020, 8/2020 hoặc 2020")


def _month_end(first):
    following = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return following - _dt.timedelta(days=1)
