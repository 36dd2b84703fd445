"""Issue 9, item 2: every register row is sealed; verify re-derives them and never repairs evidence."""
import json
import os
import sqlite3

import docx
import pytest

import archivekit as k
import trustkit as t
from vanthu.archive.issuing import issue
from vanthu.archive.verify import verify

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

SYMBOL = "SYT-VP"


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    for n in (1, 2, 3):  # one command each, dated today, as a clerk issues them
        issue([k.record(subject=f"thử nghiệm {n}")], home, renderer=k.FakeRenderer())
    return home


def events(home):
    conn = k.database(home)
    try:
        return conn.execute("SELECT id, action, document_id, hash FROM events ORDER BY id").fetchall()
    finally:
        conn.close()


def test_each_issue_event_carries_the_seal_of_its_row(home):
    conn = k.database(home)
    details = [json.loads(d) for (d,) in conn.execute("SELECT detail FROM events WHERE action = 'issue' ORDER BY id")]
    assert [d["number"] for d in details] == ["01/SYT-VP", "02/SYT-VP", "03/SYT-VP"]
    assert all(len(d["row"]) == 64 and d["seal"] == 1 for d in details)
    assert len({d["row"] for d in details}) == 3
    assert verify(home).ok


def test_a_row_edited_with_sqlite3_is_reported_naming_the_document(home, tmp_path):
    t.sqlite(home, "UPDATE documents SET number = 99, signer = 'Người Khác', confidentiality = NULL WHERE id = 2")
    result = t.vanthu(home, "verify")
    assert result.code == 1
    assert ("Lỗi: văn bản 99/SYT-VP (mục sổ 2, nhật ký ghi số 02/SYT-VP): nội dung trong sổ khác với nhật ký mục 2 "
            "(đã bị sửa ngoài vanthu)") in result.err_lines
    assert result.err_lines[-1].startswith("Lỗi: Phát hiện 1 vấn đề")
    again = t.vanthu(home, "verify")  # still reported: verify repairs nothing
    assert again.code == 1 and again.err_lines[:-1] == result.err_lines[:-1]


@pytest.mark.parametrize("change", [
    "UPDATE documents SET body = 'nội dung khác' WHERE id = 1",
    "UPDATE documents SET date = '2019-01-01' WHERE id = 1",
    "UPDATE documents SET confidentiality = 'mật' WHERE id = 1",
    "UPDATE files SET size = 1 WHERE document_id = 1",
    "INSERT INTO links (document_id, kind, target_id) VALUES (1, 'replaces', 2)",
])
def test_any_sealed_field_changed_is_reported(home, change):
    t.sqlite(home, change)
    problems = verify(home).problems
    assert problems == ["văn bản 01/SYT-VP (mục sổ 1): nội dung trong sổ khác với nhật ký mục 1 (đã bị sửa ngoài vanthu)"]


def test_a_row_added_behind_vanthus_back_is_reported(home):
    t.sqlite(home, "INSERT INTO documents (direction, year, series, serial, number, symbol, number_key, date, batch,"
                   " created_at) SELECT direction, year, series, 7, 7, symbol, number_key, date, 'x', created_at"
                   " FROM documents WHERE id = 1")
    assert verify(home).problems == ["văn bản 07/SYT-VP (mục sổ 4) không có mục nào trong nhật ký: "
                                     "được thêm vào sổ ngoài vanthu"]


def test_a_row_deleted_behind_vanthus_back_is_reported(home):
    t.sqlite(home, "DELETE FROM files WHERE document_id = 3", "DELETE FROM documents WHERE id = 3")
    problems = verify(home).problems
    assert "văn bản 03/SYT-VP (nhật ký mục 3) không còn trong sổ" in problems


@pytest.mark.sqlite_only
def test_sqlites_integrity_check_reports_a_damaged_index_page(home):
    t.sqlite(home, "PRAGMA wal_checkpoint(TRUNCATE)")
    database = home / "vanthu.sqlite3"
    conn = sqlite3.connect(str(database))
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents_key'").fetchone()[0]
    conn.close()
    from vanthu.archive import db
    db.forget(database)  # this test process's cached connection would not see the bytes change
    data = bytearray(database.read_bytes())
    data[root * size - 30:root * size] = bytes(30)  # the end of the index page: its cells
    database.write_bytes(bytes(data))
    problems = verify(home).problems
    assert "cơ sở dữ liệu hỏng: row 1 missing from index documents_key" in problems


def test_a_damaged_head_stays_reported_until_recover_head(home):
    (home / "log-head.json").write_text("{sửa tay")
    for _ in range(2):
        result = t.vanthu(home, "verify")
        assert result.code == 1
        assert "Lỗi: tệp log-head.json (mục nhật ký cuối) bị hỏng hoặc bị sửa; chạy 'vanthu verify'" in result.err_lines
    assert (home / "log-head.json").read_text() == "{sửa tay"
    refused = t.vanthu(home, "issue", t.write_record(home.parent, 9), "--no-pdf")
    assert refused.code == 1 and "vanthu recover-head" in refused.err and refused.out == ""

    recovered = t.vanthu(home, "recover-head")
    assert recovered.code == 0 and "được ghi vào nhật ký mục" in recovered.out
    (event_id, action, _, _) = events(home)[-1]
    assert action == "recover-head"
    conn = k.database(home)
    detail = json.loads(conn.execute("SELECT detail FROM events WHERE id = ?", (event_id,)).fetchone()[0])
    assert detail["old_head"] == "{sửa tay" and detail["problem"] == "log-head.json bị hỏng hoặc bị sửa"
    assert t.vanthu(home, "verify").code == 0  # the failed verify state ends with a clean run
    issued = t.vanthu(home, "issue", t.write_record(home.parent, 9), "--no-pdf")
    assert issued.code == 0 and issued.out.startswith("Đã ban hành số 04/SYT-VP"), issued.err


def test_recover_head_on_a_sound_head_changes_nothing(home):
    before = events(home)
    result = t.vanthu(home, "recover-head")
    assert result.code == 0 and result.out.strip() == "log-head.json khớp với nhật ký; không có gì cần khôi phục."
    assert events(home) == before


def test_the_head_is_fsynced(home, monkeypatch):
    synced = []
    real = os.fsync

    def spy(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)
    monkeypatch.setattr(os, "fsync", spy)
    issue([k.record(subject="thử nghiệm 4")], home, renderer=k.FakeRenderer())
    head_temps = [p for p in synced if os.path.basename(p).startswith(".log-head.json.")]
    assert head_temps and str(home) in synced  # the file, then the folder holding its new name


def test_the_printed_register_carries_the_chain_head(home, tmp_path):
    result = t.vanthu(home, "register", "-o", tmp_path / "so.docx")
    assert result.code == 0, result.err
    last_id, _, _, last_hash = events(home)[-1]
    footer = docx.Document(tmp_path / "so.docx").sections[0].footer.paragraphs[0].text
    assert footer == f"Nhật ký kho: {last_id} mục, mã băm mục cuối {last_hash[:16]} (đối chiếu bằng 'vanthu verify')"
    screen = t.vanthu(home, "register")
    assert screen.out.rstrip().endswith(f"mã băm mục cuối {last_hash[:16]} (đối chiếu bằng 'vanthu verify')")
