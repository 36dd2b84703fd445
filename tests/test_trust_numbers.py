"""Issue 9, item 3: no number is ever given twice; issue refuses while the home is inconsistent."""
import shutil

import trustkit as t


def issue_three(tmp_path):
    home = tmp_path / "home"
    first = t.vanthu(home, "issue", t.write_record(tmp_path, 1), "--no-pdf")
    assert first.code == 0, first.err
    t.sqlite(home, f".backup {tmp_path / 'sao-luu.sqlite3'}")  # the nightly backup, taken after number 01
    backup_head = (home / "log-head.json").read_bytes()
    for n in (2, 3):
        assert t.vanthu(home, "issue", t.write_record(tmp_path, n), "--no-pdf").code == 0
    return home, backup_head


def restore(home, backup):
    for suffix in ("-wal", "-shm"):
        (home / f"vanthu.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, home / "vanthu.sqlite3")


def files_of(home):
    return sorted(p.relative_to(home).as_posix() for p in (home / "files").rglob("*") if p.is_file())


def test_a_restored_old_database_gives_no_number_twice(tmp_path):
    home, _ = issue_three(tmp_path)
    before = files_of(home)
    restore(home, tmp_path / "sao-luu.sqlite3")

    refused = t.vanthu(home, "issue", t.write_record(tmp_path, 4), "--no-pdf")
    assert refused.code == 1 and refused.out == ""
    assert refused.err_lines == [
        "Lỗi: kho không nhất quán, không cấp số (để không cấp trùng số): nhật ký trong cơ sở dữ liệu dừng ở mục 1, "
        "nhưng log-head.json ghi đã có mục 3: cơ sở dữ liệu cũ hơn các lần ghi sau cùng (khôi phục từ bản sao cũ?) "
        "hoặc mục cuối đã bị xóa. Chạy 'vanthu verify' để xem chi tiết; khi đã khôi phục đúng bản sao lưu hoặc xác "
        "nhận tình trạng, người phụ trách chạy 'vanthu recover-head' (được ghi vào nhật ký)"]
    assert files_of(home) == before
    report = t.vanthu(home, "verify")
    assert report.code == 1
    assert "Lỗi: nhật ký: thiếu mục 2 đến 3 ở cuối (đã bị xóa)" in report.err_lines
    assert f"Lỗi: tệp lạ {before[1]} không có trong sổ" in report.err_lines

    # Even when the person accepts the old database, the newer files keep number 02 from being given again.
    assert t.vanthu(home, "recover-head").code == 0
    again = t.vanthu(home, "issue", t.write_record(tmp_path, 4), "--no-pdf")
    assert again.code == 1 and "kho không nhất quán" in again.err
    assert files_of(home) == before


def test_a_restored_database_and_head_still_gives_no_number_twice(tmp_path):
    home, backup_head = issue_three(tmp_path)
    before = files_of(home)
    restore(home, tmp_path / "sao-luu.sqlite3")
    (home / "log-head.json").write_bytes(backup_head)  # the whole backup put back, over newer files

    refused = t.vanthu(home, "issue", t.write_record(tmp_path, 4), "--no-pdf")
    assert refused.code == 1 and refused.out == ""
    year_folder = before[1].rsplit("/", 1)[0]
    assert refused.err_lines == [
        f"Lỗi: kho không nhất quán, không cấp số (để không cấp trùng số): đã có thư mục {year_folder} của số này nhưng "
        "sổ chưa ghi số đó (tệp mới hơn cơ sở dữ liệu: cơ sở dữ liệu được khôi phục từ bản sao cũ?). Chạy 'vanthu verify'"]
    assert files_of(home) == before
    assert t.sqlite(home, "SELECT serial FROM documents").split() == ["1"]


def test_a_failed_verify_blocks_issuing_until_verify_is_clean(tmp_path):
    home, _ = issue_three(tmp_path)
    stored = home / files_of(home)[0]
    original = stored.read_bytes()
    stored.chmod(0o600)
    stored.write_bytes(b"sua")
    stored.chmod(0o400)
    assert t.vanthu(home, "verify").code == 1

    refused = t.vanthu(home, "issue", t.write_record(tmp_path, 4), "--no-pdf")
    assert refused.code == 1
    assert refused.err_lines[0].startswith("Lỗi: kho không nhất quán, không cấp số (để không cấp trùng số): lần kiểm tra "
                                           "gần nhất ('vanthu verify', nhật ký mục 4, ")
    assert "phát hiện 1 vấn đề" in refused.err and "chạy lại 'vanthu verify'" in refused.err

    stored.write_bytes(original)  # restored from the backup
    stored.chmod(0o400)
    assert t.vanthu(home, "verify").code == 0
    issued = t.vanthu(home, "issue", t.write_record(tmp_path, 4), "--no-pdf")
    assert issued.code == 0 and issued.out.startswith("Đã ban hành số 04/SYT-VP"), issued.err


def test_import_refuses_too(tmp_path):
    import archivekit as k
    home, _ = issue_three(tmp_path)
    (home / "log-head.json").write_text('{"id": 99, "hash": "00"}')
    (tmp_path / "den.docx").write_bytes(k.make_docx(["Công văn đến"]))
    refused = t.vanthu(home, "import", tmp_path / "den.docx", "--number", "15/BYT-KH", "--date", "2020-04-01",
                       "--issuer", "Bộ Y tế")
    assert refused.code == 1 and "kho không nhất quán" in refused.err
    assert "/den/" not in " ".join(files_of(home))
