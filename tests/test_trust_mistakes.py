"""Issue 9, item 8: a clerk's usual slips are refused before a number is taken (sai sót bị chặn trước khi cấp số)."""
import datetime as dt
import os
import sqlite3

import archivekit as k
from vanthu.vndate import short_date
import pytest

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

def _record(folder, name="cv.yaml", date=None, number=None, code="SYT", subject=None):
    """The seed công văn as a clerk writes a new one: no number (vanthu takes it), the given date (else today) and code."""
    text = k.SEED.read_text(encoding="utf-8").replace("number: 4482\n", f"number: {number}\n" if number else "")
    date = date or dt.date.today()  # at use: a run may cross midnight
    text = text.replace("date: 2020-08-06", f"date: {date.isoformat()}").replace("  code: SYT", f'  code: "{code}"')
    if subject:
        text = text.replace("subject: triển khai cài đặt", f"subject: {subject}")
    (folder / name).write_text(text, encoding="utf-8")
    return name


def _numbers(home):
    if not os.environ.get("VANTHU_DB") and not (home / "vanthu.sqlite3").exists():
        return []
    db = k.database(home)
    if not db.execute("SELECT count(*) FROM " + ("pg_tables WHERE tablename" if os.environ.get("VANTHU_DB")
                                                  else "sqlite_master WHERE name") + " = 'documents'").fetchone()[0]:
        return []
    return [f"{n}/{s}" for n, s in db.execute("SELECT number, symbol FROM documents ORDER BY id")]


def test_the_same_record_issued_twice_is_refused_naming_the_first_number(cli, tmp_path, today):
    _record(tmp_path)
    assert cli("issue", "cv.yaml", "--no-pdf").out.startswith("Đã ban hành số 01/SYT-VP")

    again = cli("issue", "cv.yaml", "--no-pdf")
    assert again.code == 1
    assert again.err_lines == [f"cv.yaml:2: nội dung bản ghi này đã ban hành: số 01/SYT-VP ngày {short_date(today)}; "
                               "ban hành lại sẽ cấp thêm một số cho cùng văn bản. Nếu đúng là cần ban hành lại, "
                               "thêm --again"]
    _record(tmp_path, "other.yaml", subject="khác")
    twice = cli("issue", "other.yaml", "other.yaml", "--no-pdf")  # twice in one command, too
    assert twice.code == 1 and "trùng nội dung với một bản ghi trước nó trong cùng lệnh" in twice.err
    assert _numbers(tmp_path / "home") == ["1/SYT-VP"]

    forced = cli("issue", "cv.yaml", "--no-pdf", "--again")
    assert forced.code == 0 and forced.out.startswith("Đã ban hành số 02/SYT-VP")
    assert "--again" in cli("issue", "--help").out
    assert cli("verify").code == 0


def test_a_date_in_the_future_is_refused(cli, tmp_path, today):
    _record(tmp_path, date=today + dt.timedelta(days=1))
    _record(tmp_path, "numbered.yaml", date=today + dt.timedelta(days=400), number=7, subject="khác")
    for name in ("cv.yaml", "numbered.yaml"):
        result = cli("issue", name, "--no-pdf", "--other-year")
        assert result.code == 1
        assert "chưa tới" in result.err and "không ban hành văn bản đề ngày tương lai" in result.err
    assert _numbers(tmp_path / "home") == []


def test_another_year_needs_other_year_but_a_numbered_paper_document_is_accepted(cli, tmp_path, today):
    last_year = today.replace(year=today.year - 1, day=1)
    _record(tmp_path, date=last_year)
    refused = cli("issue", "cv.yaml", "--no-pdf")
    assert refused.code == 1
    assert refused.err_lines == [f"cv.yaml:2: date: ngày {short_date(last_year)} thuộc năm {last_year.year}, không phải "
                                 f"năm nay ({today.year}): vanthu sẽ cấp số tiếp theo trong sổ năm {last_year.year}; "
                                 "nếu đúng vậy, thêm --other-year"]
    assert _numbers(tmp_path / "home") == []
    assert cli("issue", "cv.yaml", "--no-pdf", "--other-year").code == 0

    # an already numbered paper document of a past year is registered as it is: its number checked free
    _record(tmp_path, "paper.yaml", date=last_year, number=57, subject="văn bản giấy")
    assert cli("issue", "paper.yaml", "--no-pdf").out.startswith(f"Đã ban hành số 57/SYT-VP ngày {short_date(last_year)}")
    _record(tmp_path, "paper2.yaml", date=last_year, number=57, subject="văn bản giấy khác")
    taken = cli("issue", "paper2.yaml", "--no-pdf")
    assert taken.code == 1 and f"số 57 đã cấp trong sổ văn bản đi SYT năm {last_year.year}" in taken.err
    assert cli("verify").code == 0


def test_issuer_codes_are_one_series_whatever_the_case_and_look_alikes_are_refused(cli, tmp_path, today):
    _record(tmp_path, "a.yaml", subject="một")
    _record(tmp_path, "b.yaml", code="syt", subject="hai")
    assert cli("issue", "a.yaml", "--no-pdf").code == 0
    second = cli("issue", "b.yaml", "--no-pdf")
    assert second.out.startswith("Đã ban hành số 02/SYT-VP")  # the same series, printed as the register has it
    assert "viết tắt 'syt' ghi theo cách viết đã có trong sổ" in second.err
    for code, why in (("SYT\u200b", "ký tự vô hình U+200B"), ("S YT", "'S YT' không hợp lệ (có khoảng trắng)"),
                      ("SY\\x07T", "ký tự điều khiển U+0007"), ("SY\x07T", "ký tự U+0007 không được phép trong YAML"),
                      ("SYT!", "chỉ gồm chữ, số và & . -")):
        _record(tmp_path, "bad.yaml", code=code, subject="ba")
        result = cli("issue", "bad.yaml", "--no-pdf")
        assert result.code == 1 and "Lỗi nội bộ" not in result.err
        [line] = result.err_lines
        assert line.startswith("bad.yaml:") and why in line, line
    assert _numbers(tmp_path / "home") == ["1/SYT-VP", "2/SYT-VP"]
    assert cli("verify").code == 0


def test_import_refuses_an_arrival_before_the_document_or_in_the_future(cli, tmp_path, today):
    (tmp_path / "den.docx").write_bytes(k.make_docx(["BỘ Y TẾ", "V/v triển khai"]))
    base = ("import", "den.docx", "--number", "12/BYT-VP", "--issuer", "Bộ Y tế")
    early = cli(*base, "--date", "05/8/2020", "--received", "04/8/2020")
    assert early.err_lines == ["Lỗi: --received: ngày đến 04/8/2020 trước ngày văn bản 05/8/2020; kiểm tra lại hai ngày"]
    future = today + dt.timedelta(days=2)
    late = cli(*base, "--date", "05/8/2020", "--received", future.isoformat())
    assert late.err_lines == [f"Lỗi: --received: ngày đến {short_date(future)} chưa tới (hôm nay {short_date(today)})"]
    dated = cli(*base, "--date", future.isoformat())
    assert dated.code == 1 and "ngày văn bản" in dated.err
    assert _numbers(tmp_path / "home") == []
    assert cli(*base, "--date", "05/8/2020", "--received", "06/8/2020").code == 0
