"""Dates the Vietnamese way (ngày tháng năm), per Nghị định 30 Phụ lục I §II.4.b.

Days 1-9 and months 1-2 take a leading zero so that nobody can turn them into
11 or 12 by hand; months 3-12 never do.
"""
import datetime as _dt
import re

from .errors import VanthuError


DRAFT_LONG = "ngày      tháng      năm"  # a draft's date, left for the hand that signs


class VietnameseDate(_dt.date):
    """Ngày tháng năm: a date that prints itself the decree's way (06/8/2020)."""

    @classmethod
    def of(cls, day):
        """``day`` (any date, or None) as a VietnameseDate."""
        if day is None or type(day) is cls:
            return day
        return cls(day.year, day.month, day.day)

    @property
    def parts(self):
        """``("06", "8", "2020")``: day, month, year as printed."""
        return f"{self.day:02d}", f"{self.month:02d}" if self.month <= 2 else str(self.month), str(self.year)

    @property
    def short(self):
        """``06/8/2020``: the form used in citations and registers."""
        return "/".join(self.parts)

    @property
    def long(self):
        """``ngày 06 tháng 8 năm 2020`` (ngày tháng năm, in words)."""
        day, month, year = self.parts
        return f"ngày {day} tháng {month} năm {year}"


def short_date(d):
    """``06/8/2020`` for any date (see :class:`VietnameseDate`)."""
    return VietnameseDate.of(d).short


def long_date(d):
    """``ngày 06 tháng 8 năm 2020`` for any date; the blank draft form for None."""
    return VietnameseDate.of(d).long if d else DRAFT_LONG


_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DMY_OTHER = re.compile(r"^(\d{1,2})([.\-])(\d{1,2})\2(\d{4})$")  # 05.8.2020, 05-08-2020: also typed by clerks
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}$")
DAY_FORMS = "06/8/2020, 6/8/2020 hoặc 2020-08-06"
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_Y = re.compile(r"^(\d{4})$")


def _make(y, m, d, text):
    try:
        return VietnameseDate(int(y), int(m), int(d))
    except ValueError:
        raise VanthuError(f"ngày {text} không tồn tại") from None


def parse_range(text):
    """A typed date as the inclusive range it means (khoảng ngày).

    ``2020-08-05`` and ``05/8/2020`` are one day, ``8/2020`` a month, ``2020`` a year.
    """
    text = text.strip()
    if _FULL.match(text) or _DMY.match(text) or _DMY_OTHER.match(text):
        day = parse_day(text)
        return day, day
    if m := _MY.match(text):
        first = _make(m[2], m[1], 1, text)
        return first, _month_end(first)
    if m := _Y.match(text):
        return VietnameseDate(int(m[1]), 1, 1), VietnameseDate(int(m[1]), 12, 31)
    raise VanthuError(f"không hiểu ngày '{text}': viết 2020-08-05, 05/8/2020, 8/2020 hoặc 2020")


def parse_day(text):
    """One typed day (một ngày): ``06/8/2020``, ``6/8/2020``, ``06/08/2020``, ``2020-08-06``.

    Day first, as Vietnamese offices write it (never the US month first);
    ``06.8.2020`` and ``06-08-2020`` too. A two-digit year is refused: 20 could be 1920.
    """
    if isinstance(text, _dt.date):
        return VietnameseDate.of(text.date() if isinstance(text, _dt.datetime) else text)
    text = str(text).strip()
    if m := _FULL.match(text):
        return _make(*m.groups(), text)
    if m := _DMY.match(text) or _DMY_OTHER.match(text):
        day, month, year = (m[1], m[2], m[3]) if m.re is _DMY else (m[1], m[3], m[4])
        return _make(year, month, day, text)
    if _SHORT_YEAR.match(text):
        raise VanthuError(f"ngày '{text}': hãy viết năm đủ 4 chữ số, ví dụ 06/8/2020")
    raise VanthuError(f"không hiểu ngày '{text}': viết {DAY_FORMS}")


def _month_end(first):
    following = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return following - _dt.timedelta(days=1)


def checked_year(year):
    """A year typed as an option (``--year``): one the register can hold, else a clear error."""
    if year is not None and not 1 <= year <= 9999:
        raise VanthuError(f"--year: năm {year} không hợp lệ (từ 1 đến 9999)")
    return year
