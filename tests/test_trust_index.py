"""Issue 9, item 4: the index always catches up with the archive's log.

Killed between the commit and the index, the index lock held by someone
else, an error after the commit, an index copied from another home, an old
database restored under a newer index: no issued document stays unsearchable,
and no issued number is reported as a failure.
"""
import fcntl
import json
import os
import shutil
import signal

import pytest

import trustkit as t
from vanthu.faults import ENV


def numbers_found(home, query="bluezone"):
    result = t.vanthu(home, "search", query, "--json", "--limit", "100")
    assert result.code == 0, result.err
    return sorted(json.loads(line)["number"] for line in result.out.splitlines()), result.err


def applied_event(home):
    return json.loads((home / "index" / "vanthu-applied.json").read_text())["event"]


def last_event(home):
    return int(t.sqlite(home, "SELECT max(id) FROM events").strip())


@pytest.mark.parametrize("point", ["committed", "head-saved", "index-committed"])
def test_killed_after_the_commit_the_next_search_finds_it(tmp_path, point):
    home = tmp_path / "home"
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0
    killed = t.vanthu(home, "issue", t.write_record(tmp_path, 2), "--no-pdf", env={ENV: point})
    assert killed.code == -signal.SIGKILL
    found, warnings = numbers_found(home)
    assert found == ["01/SYT-VP", "02/SYT-VP"] and warnings == ""
    assert t.vanthu(home, "verify").code == 0


def test_killed_after_the_commit_the_next_issue_catches_the_index_up(tmp_path):
    home = tmp_path / "home"
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 2), "--no-pdf", env={ENV: "committed"}).code < 0
    assert applied_event(home) == 1  # the index missed number 02
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 3), "--no-pdf").code == 0
    assert applied_event(home) == last_event(home) == 3  # caught up by the issue, before any search
    assert numbers_found(home)[0] == ["01/SYT-VP", "02/SYT-VP", "03/SYT-VP"]


def test_the_index_lock_held_the_number_stands_and_the_next_search_catches_up(tmp_path):
    home = tmp_path / "home"
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0
    with open(home / "index.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another command writing the index, for longer than the wait
        issued = t.vanthu(home, "issue", t.write_record(tmp_path, 2), "--no-pdf")
        assert issued.code == 0
        assert issued.out.startswith("Đã ban hành số 02/SYT-VP")
        assert issued.err_lines == ["Cảnh báo: đã lưu 02/SYT-VP vào sổ nhưng chưa cập nhật được chỉ mục tìm kiếm "
                                    "(chỉ mục tìm kiếm đang được một lệnh vanthu khác ghi (cấp số, nhập văn bản hoặc "
                                    "reindex); chờ lệnh đó xong rồi chạy lại); lần tìm kiếm hoặc ban hành sau sẽ tự "
                                    "cập nhật chỉ mục"]
        busy, warning = numbers_found(home)  # a search meanwhile answers from what is there, and says so
        assert busy == ["01/SYT-VP"] and "đang được một lệnh khác cập nhật" in warning
    assert numbers_found(home) == (["01/SYT-VP", "02/SYT-VP"], "")


def test_an_error_after_the_commit_never_reports_failure(cli, tmp_path, monkeypatch):
    from vanthu.archive import events
    from vanthu.search import index

    def full(*args):
        raise OSError(28, "No space left on device")
    update, write_head = index._update, events.write_head
    monkeypatch.setattr(index, "_update", full)
    monkeypatch.setattr(events, "write_head", full)
    assert cli("issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0  # the first: the index is built whole
    result = cli("issue", t.write_record(tmp_path, 2), "--no-pdf")
    assert result.code == 0 and result.out.startswith("Đã ban hành số 02/SYT-VP")
    assert result.err_lines == [
        "Cảnh báo: đã ban hành nhưng chưa ghi được tệp log-head.json ([Errno 28] No space left on device); "
        "lần ghi sau sẽ ghi lại",
        "Cảnh báo: đã lưu 02/SYT-VP vào sổ nhưng chưa cập nhật được chỉ mục tìm kiếm ([Errno 28] No space left on "
        "device); lần tìm kiếm hoặc ban hành sau sẽ tự cập nhật chỉ mục"]
    monkeypatch.setattr(index, "_update", update)  # the disk has room again
    monkeypatch.setattr(events, "write_head", write_head)
    found = cli("search", "bluezone", "--json")
    assert sorted(json.loads(line)["number"] for line in found.out.splitlines()) == ["01/SYT-VP", "02/SYT-VP"]
    assert cli("verify").code == 0
    assert cli("issue", t.write_record(tmp_path, 3), "--no-pdf").out.startswith("Đã ban hành số 03/SYT-VP")


def test_an_index_copied_from_another_home_is_rebuilt(tmp_path):
    other, home = tmp_path / "khac" / "home", tmp_path / "home"
    other.parent.mkdir()
    assert t.vanthu(other, "issue", t.write_record(other.parent, 1), t.write_record(other.parent, 2), "--no-pdf").code == 0
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0
    shutil.rmtree(home / "index")
    shutil.copytree(other / "index", home / "index")
    found, warning = numbers_found(home)
    assert found == ["01/SYT-VP"]
    assert warning.strip() == ("Cảnh báo: chỉ mục tìm kiếm là của một kho khác (được chép sang?); "
                               "đã dựng lại từ kho này")


def test_an_old_database_restored_under_a_newer_index_is_rebuilt(tmp_path):
    home = tmp_path / "home"
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf").code == 0
    t.sqlite(home, f".backup {tmp_path / 'sao-luu.sqlite3'}")
    assert t.vanthu(home, "issue", t.write_record(tmp_path, 2), "--no-pdf").code == 0
    for suffix in ("-wal", "-shm"):
        (home / f"vanthu.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "sao-luu.sqlite3", home / "vanthu.sqlite3")
    os.chmod(home / "vanthu.sqlite3", 0o600)
    t.sqlite(home, "INSERT INTO events (id, time, user, action, detail, checksum, prev_hash, hash)"
                   " VALUES (2, 'x', 'x', 'verify', '{}', '', 'x', 'khac')")  # entry 2 exists, but is another
    found, warning = numbers_found(home)
    assert found == ["01/SYT-VP"]  # the register is the truth, the index follows it
    assert "không khớp với nhật ký của kho (kho được khôi phục từ bản sao?); đã dựng lại" in warning
