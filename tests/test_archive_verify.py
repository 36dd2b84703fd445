"""verify (kiểm tra): changed, missing and untracked files; edited and deleted log rows."""
import os
import sqlite3

import pytest

import archivekit as k
from archivekit import issue_past as issue
from vanthu.archive.verify import verify

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    issue([k.record(date=f"2021-02-0{day}") for day in (1, 2, 3)], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    return home


database = k.database


def test_a_fresh_archive_verifies_clean_and_the_run_is_logged(home):
    report = verify(home)
    assert report.ok and report.files == 6 and report.events == 3
    assert "6 tệp khớp mã băm" in report.summary()
    assert [row[0] for row in database(home).execute("SELECT action FROM events ORDER BY id")] == ["issue"] * 3 + ["verify"]


def test_stored_files_are_read_only(home):
    for path in k.stored_files(home):
        assert oct((home / path).stat().st_mode & 0o777) == "0o400"


def test_a_changed_byte_is_reported(home):
    target = home / "files/2021/di/02-SYT-VP/02-SYT-VP.pdf"
    os.chmod(target, 0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    os.chmod(target, 0o400)  # a careful forger puts the mode back
    assert verify(home).problems == [
        "tệp files/2021/di/02-SYT-VP/02-SYT-VP.pdf đã bị thay đổi (văn bản 02/SYT-VP): mã băm không khớp"]


def test_a_deleted_file_is_reported(home):
    (home / "files/2021/di/01-SYT-VP/01-SYT-VP.docx").unlink()
    assert verify(home).problems == ["thiếu tệp files/2021/di/01-SYT-VP/01-SYT-VP.docx (văn bản 01/SYT-VP)"]


def test_an_extra_file_is_reported(home):
    (home / "files/2021/di/01-SYT-VP/ghi-chu.txt").write_text("thêm")
    os.chmod(home / "files/2021/di/01-SYT-VP/ghi-chu.txt", 0o400)
    assert verify(home).problems == ["tệp lạ files/2021/di/01-SYT-VP/ghi-chu.txt không có trong sổ"]


def test_an_edited_log_row_is_reported(home):
    database(home).execute("UPDATE events SET \"user\" = 'ai-do' WHERE id = 2")
    problems = verify(home).problems
    assert len(problems) == 1 and problems[0].startswith("nhật ký: mục 2 (issue, ") and problems[0].endswith("đã bị sửa")


def test_an_edited_row_with_its_hash_recomputed_breaks_the_chain(home):
    from vanthu.archive.events import Event
    conn = database(home)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM events WHERE id = 2").fetchone())
    row["user"] = "ai-do"
    forged = Event(*(row[name] for name in ("id", "time", "user", "action", "document_id", "detail", "checksum", "prev_hash")))
    conn.execute("UPDATE events SET \"user\" = ?, hash = ? WHERE id = 2", (row["user"], forged.digest()))
    assert verify(home).problems == ["nhật ký: mục 3 không nối với mục trước (chuỗi băm đứt, có mục bị sửa)"]


def test_a_deleted_log_row_is_reported(home):
    database(home).execute("DELETE FROM events WHERE id = 2")
    assert "nhật ký: thiếu mục 2 (đã bị xóa)" in verify(home).problems


def test_a_deleted_last_log_row_is_reported_now_and_later(home):
    database(home).execute("DELETE FROM events WHERE id = 3")
    problems = verify(home).problems
    assert "nhật ký: thiếu mục 3 ở cuối (đã bị xóa)" in problems
    assert "tệp files/2021/di/03-SYT-VP/03-SYT-VP.docx không có mục ban hành hoặc vào sổ trong nhật ký" in problems
    assert "nhật ký: thiếu mục 3 (đã bị xóa)" in verify(home).problems  # the gap stays in the chain


def test_a_checksum_rewritten_in_the_database_is_reported(home):
    target = home / "files/2021/di/01-SYT-VP/01-SYT-VP.docx"
    os.chmod(target, 0o644)
    target.write_bytes(b"gia mao")
    os.chmod(target, 0o400)
    from vanthu.archive.store import sha256_file
    database(home).execute("UPDATE files SET sha256 = ?, size = 7 WHERE path = ?",
                           (sha256_file(target), "files/2021/di/01-SYT-VP/01-SYT-VP.docx"))
    assert verify(home).problems == [
        "mã băm của files/2021/di/01-SYT-VP/01-SYT-VP.docx trong sổ khác với mã ghi trong nhật ký lúc lưu",
        "văn bản 01/SYT-VP (mục sổ 1): nội dung trong sổ khác với nhật ký mục 1 (đã bị sửa ngoài vanthu)"]


def test_a_document_row_deleted_from_the_register_is_reported(home):
    conn = database(home)
    conn.execute("DELETE FROM files WHERE document_id = 2")
    conn.execute("DELETE FROM documents WHERE id = 2")
    problems = verify(home).problems
    assert "văn bản 02/SYT-VP (nhật ký mục 2) không còn trong sổ" in problems
    assert "tệp lạ files/2021/di/02-SYT-VP/02-SYT-VP.docx không có trong sổ" in problems


def test_a_damaged_log_head_is_reported_and_blocks_issuing(home):
    (home / "log-head.json").write_text("{sửa tay")
    assert verify(home).problems == ["tệp log-head.json (mục nhật ký cuối) bị hỏng hoặc bị sửa; chạy 'vanthu verify'"]
    from vanthu.errors import VanthuError
    (home / "log-head.json").write_text("{sửa tay")
    with pytest.raises(VanthuError, match="log-head.json"):
        issue([k.record(date="2021-02-09")], home, renderer=k.FakeRenderer())
    assert k.serials(home) == [1, 2, 3]
