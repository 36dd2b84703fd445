"""Mistakes refused before a number is taken (sai sót thường gặp khi ban hành).

A number once given is never taken back (Nghị định 30 Art. 15), so the
clerk's usual slips are caught first: the same record issued twice, a date
in the future, a date of another year when vanthu picks the number (it would
open or extend that year's series), and an issuer code typed in another case.
"""
import dataclasses
import datetime as _dt
import hashlib
import json

from ..docnumber import DocumentNumber
from ..errors import Problem, VanthuError
from ..vndate import short_date

AGAIN_OPTION = "--again"
OTHER_YEAR_OPTION = "--other-year"


def date_problems(record, today, other_year=False):
    """The record's date: not after ``today``; in ``today``'s year when vanthu takes the number."""
    day = record.date
    if day is None:
        return []
    if day > today:
        return [Problem(f"ngày {short_date(day)} chưa tới (hôm nay {short_date(today)}); không ban hành văn bản "
                        "đề ngày tương lai", record.source, record.line, "date")]
    if record.get("number") is None and day.year != today.year and not other_year:
        return [Problem(f"ngày {short_date(day)} thuộc năm {day.year}, không phải năm nay ({today.year}): vanthu sẽ "
                        f"cấp số tiếp theo trong sổ năm {day.year}; nếu đúng vậy, thêm {OTHER_YEAR_OPTION}",
                        record.source, record.line, "date")]
    return []


def content_hash(record):
    """SHA-256 of what the record says: template and every value but number and date, attachments included."""
    return hashlib.sha256(json.dumps(_content(record), sort_keys=True, default=str, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def _content(record):
    values = {k: v for k, v in record.values.items() if k not in ("number", "date")}
    return [record.template.name, values, [_content(a) for a in record.attachments]]


def refuse_reissue(conn, record, content, token):
    """Refuse a record whose content was already issued (or comes twice in this command)."""
    row = conn.execute("SELECT number, symbol, date, batch FROM documents WHERE content_hash = ? AND direction = 'out'"
                       " ORDER BY id LIMIT 1", (content,)).fetchone()
    if row is None:
        return
    if row["batch"] == token:
        message = "bản ghi này trùng nội dung với một bản ghi trước nó trong cùng lệnh"
    else:
        earlier = DocumentNumber(row["number"], row["symbol"])
        message = (f"nội dung bản ghi này đã ban hành: số {earlier} ngày "
                   f"{short_date(_dt.date.fromisoformat(row['date']))}")
    raise VanthuError(Problem(f"{message}; ban hành lại sẽ cấp thêm một số cho cùng văn bản. Nếu đúng là cần "
                              f"ban hành lại, thêm {AGAIN_OPTION}", record.source, record.line))


def same_spelling(conn, record, series, warn=None):
    """``syt`` is ``SYT``: a code already in this year's register keeps the spelling it has there."""
    code = record.issuer.get("code", "")
    issuer_key = series.issuer
    row = conn.execute("SELECT issuer_code FROM documents WHERE direction = 'out' AND year = ? AND"
                       " (series = ? OR (series >= ? || '/' AND series < ? || '0')) LIMIT 1",  # SYT and SYT/...
                       (series.year, issuer_key, issuer_key, issuer_key)).fetchone()
    if row is None or row["issuer_code"] == code:
        return record
    if warn:
        warn(f"{record.name}: viết tắt '{code}' ghi theo cách viết đã có trong sổ năm {series.year}: "
             f"{row['issuer_code']}")
    return dataclasses.replace(record, values={**record.values, "issuer": {**record.issuer, "code": row["issuer_code"]}})
