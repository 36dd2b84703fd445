"""Issue 16 item 5: withdrawal (thu hồi, Phụ lục VI III.8). A withdrawn outgoing document is frozen with its
metadata, in the database itself; a recalled incoming document's files are destroyed on the sender's order,
their checksums, the metadata and every event kept; verify accepts exactly the files the log destroyed.
"""
import json
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

import archivekit as k
import trustkit as t
from vanthu.archive import catalog, db
from vanthu.faults import ENV
from vanthu.web import create_app
from webkit import login, make_people

ORDER = "Công văn số 15/BYT-VP ngày 10/3/2021"


def issued(home, count=2):
    for n in range(count):
        k.issue_past([k.record(date="2021-03-01", subject=f"văn bản {n} phòng chống dịch")], home,
                     renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)


def received(home, tmp_path, number, words):
    scan = tmp_path / f"den-{number.split('/')[0]}.pdf"
    scan.write_bytes(k.text_pdf(words))
    done = t.vanthu(home, "import", scan, "--number", number, "--date", "01/3/2021", "--issuer", "Bộ Y tế",
                    "--received", "02/3/2021")
    assert done.code == 0, done.err
    return scan


def rows(home, sql, *args):
    conn = sqlite3.connect(str(Path(home) / "vanthu.sqlite3"))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def refused_by_sqlite(home, statement):
    done = subprocess.run(["sqlite3", str(Path(home) / "vanthu.sqlite3"), statement], capture_output=True, text=True)
    return "đã đóng băng" in done.stderr or "không sửa, không xóa được" in done.stderr


def test_a_withdrawn_outgoing_document_is_frozen_with_its_metadata(tmp_path):
    home = tmp_path / "home"
    issued(home)
    done = t.vanthu(home, "withdraw", "01/SYT-VP", "--reason", "Ban hành nhầm", "--as", "lan")
    assert done.code == 0 and "đã đóng băng" in done.out, done.err
    before = rows(home, "SELECT * FROM documents WHERE id = 1"), rows(home, "SELECT * FROM files WHERE document_id = 1")
    for statement in ("UPDATE documents SET subject = 'khác' WHERE id = 1",
                      "UPDATE documents SET metadata = '{}' WHERE id = 1",
                      "DELETE FROM documents WHERE id = 1",
                      "UPDATE files SET sha256 = 'x' WHERE document_id = 1",
                      "DELETE FROM files WHERE document_id = 1",
                      "INSERT INTO files (document_id, role, path, sha256, size) VALUES (1, 'pdf', 'x.pdf', 'x', 1)",
                      "INSERT INTO links (document_id, kind, target_id) VALUES (1, 'corrects', 2)",
                      "DELETE FROM withdrawals", "UPDATE withdrawals SET reason = 'khác'"):
        assert refused_by_sqlite(home, statement), statement
    assert (rows(home, "SELECT * FROM documents WHERE id = 1"), rows(home, "SELECT * FROM files WHERE document_id = 1")) == before
    assert rows(home, "UPDATE documents SET subject = 'vẫn sửa được' WHERE id = 2 RETURNING id") == [(2,)]  # others are not
    conn = db.connect(home / "vanthu.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        catalog.set_metadata(conn, catalog.to_entry(conn, conn.execute("SELECT * FROM documents WHERE id = 1").fetchone()))
    with pytest.raises(Exception, match="đã đóng băng: không thêm vào hồ sơ được"):
        catalog.refuse_if_frozen(conn, 1, "thêm vào hồ sơ")
    conn.close()
    assert "đã bị thu hồi" in t.vanthu(home, "withdraw", "01/SYT-VP", "--reason", "lần hai").err

    shown = t.vanthu(home, "show", "01/SYT-VP").out
    assert "Tình trạng: Đã thu hồi ngày" in shown and "Ban hành nhầm (đã đóng băng" in shown
    found = t.vanthu(home, "search", "van ban 0 phong chong dich", "--json").out.splitlines()
    assert json.loads(found[0])["status"].startswith("Đã thu hồi ngày")
    assert "Đã thu hồi ngày" in t.vanthu(home, "register", "--year", "2021").out


def test_a_recalled_incoming_documents_files_are_destroyed_and_the_rest_kept(tmp_path):
    home = tmp_path / "home"
    received(home, tmp_path, "4199/BYT-VPB1", "Cong van den ve tiem chung rubella")
    received(home, tmp_path, "4200/BYT-VPB1", "Cong van den ve phong chong sot xuat huyet")
    stored = rows(home, "SELECT path, sha256 FROM files WHERE document_id = 1")
    assert t.vanthu(home, "search", "rubella").out.startswith("1. 4199/BYT-VPB1")
    assert "lệnh thu hồi của nơi gửi" in t.vanthu(home, "withdraw", "4199/BYT-VPB1", "--incoming").err
    done = t.vanthu(home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", ORDER, "--reason", "gửi nhầm",
                    "--as", "lan")
    assert done.code == 0, done.err
    assert f"Văn bản đến số 01 (4199/BYT-VPB1) bị thu hồi theo {ORDER}: Đã hủy {len(stored)} tệp" in done.out
    assert all(not (home / path).exists() for path, _ in stored)
    assert rows(home, "SELECT path, sha256 FROM files WHERE document_id = 1") == stored  # checksums kept
    assert rows(home, "SELECT number, subject FROM documents WHERE id = 1") == [(4199, "")]
    assert [a for (a,) in rows(home, "SELECT action FROM events WHERE document_id = 1 ORDER BY id")] == ["import", "recall"]
    (detail,) = rows(home, "SELECT detail FROM events WHERE action = 'recall'")
    assert json.loads(detail[0])["destroyed"] == dict(stored) and json.loads(detail[0])["order"] == ORDER

    checked = t.vanthu(home, "verify")
    assert checked.code == 0, checked.err
    assert f"({len(stored)} tệp đã hủy theo lệnh thu hồi, đúng như nhật ký)" in checked.out
    shown = t.vanthu(home, "show", "4199/BYT-VPB1", "--history").out
    assert f"đã hủy theo lệnh thu hồi: {stored[0][0]} (SHA-256 {stored[0][1]}" in shown
    assert "thu hồi theo lệnh nơi gửi" in shown and ORDER in shown
    assert "đã bị hủy theo lệnh thu hồi" in t.vanthu(home, "show", "4199/BYT-VPB1", "-o", tmp_path / "x.pdf").err
    assert "Không tìm thấy" in t.vanthu(home, "search", "rubella").out  # its content went with the file
    assert "Đã thu hồi" in t.vanthu(home, "search", "4199/BYT-VPB1").out  # its number and metadata did not
    refused = t.vanthu(home, "incoming", "assign", "1", "--handler", "Phòng Nghiệp vụ", "--year", "2021")
    assert refused.code == 1 and "đã đóng băng: không giao giải quyết được" in refused.err

    other = rows(home, "SELECT path FROM files WHERE document_id = 2")[0][0]
    (home / other).unlink()  # any other missing file is still flagged
    flagged = t.vanthu(home, "verify")
    assert flagged.code == 1 and f"thiếu tệp {other}" in flagged.err


def test_a_file_marked_destroyed_behind_vanthus_back_is_flagged(tmp_path):
    home = tmp_path / "home"
    received(home, tmp_path, "4199/BYT-VPB1", "Cong van den ve viec phong chong dich benh")
    (path,) = [p for (p,) in rows(home, "SELECT path FROM files")]
    t.sqlite(home, "INSERT INTO destroyed_files (file_id, reason, person, at) VALUES (1, 'giấu', 'x', '2021-01-01')")
    (home / path).unlink()
    checked = t.vanthu(home, "verify")
    assert checked.code == 1
    assert f"tệp {path} được ghi là đã hủy, nhưng nhật ký không có lệnh thu hồi nào hủy tệp đó" in checked.err


def test_a_recall_killed_after_its_commit_is_reported_and_finished_by_running_it_again(tmp_path):
    home = tmp_path / "home"
    received(home, tmp_path, "4199/BYT-VPB1", "Cong van den ve viec phong chong dich benh")
    killed = t.vanthu(home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", ORDER, env={ENV: "recall-committed"})
    assert killed.code == -signal.SIGKILL
    checked = t.vanthu(home, "verify")
    assert checked.code == 1 and "vẫn còn trong kho" in checked.err
    again = t.vanthu(home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", ORDER)
    assert again.code == 0 and "Đã hủy nốt 1 tệp" in again.out, again.err
    assert t.vanthu(home, "verify").code == 0


def test_a_backup_after_a_recall_restores_and_verifies_clean(tmp_path):
    home = tmp_path / "home"
    issued(home, 1)
    received(home, tmp_path, "4199/BYT-VPB1", "Cong van den ve viec phong chong dich benh")
    assert t.vanthu(home, "withdraw", "4199/BYT-VPB1", "--incoming", "--order", ORDER).code == 0
    assert t.vanthu(home, "backup", tmp_path / "b").code == 0
    assert t.vanthu(tmp_path / "r", "restore", tmp_path / "b").code == 0
    checked = t.vanthu(tmp_path / "r", "verify")
    assert checked.code == 0 and "1 tệp đã hủy theo lệnh thu hồi" in checked.out, checked.err


def test_the_clerk_recalls_an_incoming_document_on_the_web(tmp_path):
    home = tmp_path / "kho"
    make_people(home)
    received(home, tmp_path, "4199/BYT-VPB1", "Cong van den ve viec phong chong dich benh")
    app = create_app(home)
    clerk = app.test_client()
    assert login(clerk, "clerk").status_code == 302
    page = clerk.get("/van-ban/1").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert "Nơi gửi thu hồi văn bản này" in page
    drafter = app.test_client()
    assert login(drafter, "drafter").status_code == 302
    assert drafter.post("/van-ban/1/thu-hoi-den", data={"order": ORDER, "csrf_token": token}).status_code in (302, 400, 403)
    assert rows(home, "SELECT COUNT(*) FROM destroyed_files") == [(0,)]
    done = clerk.post("/van-ban/1/thu-hoi-den", data={"order": ORDER, "csrf_token": token})
    assert done.status_code == 302
    page = clerk.get("/van-ban/1").get_data(as_text=True)
    assert "đã hủy theo lệnh thu hồi" in page and "(đã đóng băng)" in page
    assert rows(home, "SELECT COUNT(*) FROM destroyed_files") == [(1,)]
    assert clerk.get("/van-ban/1/tep/pdf").status_code == 404
