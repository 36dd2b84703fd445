"""Issue 9, item 6: files only for their owner; verify reports looser modes and symlinks leading out."""
import os
import stat

import archivekit as k
import trustkit as t
from vanthu.archive.issuing import issue
from vanthu.archive.verify import verify


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def issued_home(tmp_path):
    home = tmp_path / "home"
    result = t.vanthu(home, "issue", t.write_record(tmp_path, 1), t.write_record(tmp_path, 2, "confidentiality: mật\n"),
                      "--no-pdf")
    assert result.code == 0, result.err
    assert t.vanthu(home, "search", "bluezone").code == 0
    return home


def test_a_new_home_is_for_its_owner_only(tmp_path):
    home = issued_home(tmp_path)
    assert mode(home) == 0o700
    for name in ("vanthu.sqlite3", "log-head.json", "index.lock", "settings.yaml"):
        assert mode(home / name) == 0o600, name
    for folder, dirs, files in os.walk(home):
        for name in dirs:
            assert mode(os.path.join(folder, name)) == 0o700, os.path.join(folder, name)
        for name in files:
            path = os.path.join(folder, name)
            assert mode(path) == (0o400 if "/files/" in path else 0o600), path
    assert verify(home).ok


def test_looser_modes_are_reported(tmp_path):
    home = issued_home(tmp_path)
    stored = next((home / "files").rglob("*.docx"))
    os.chmod(home, 0o755)
    os.chmod(home / "vanthu.sqlite3", 0o644)
    os.chmod(stored, 0o444)
    index_file = next((home / "index").iterdir())
    os.chmod(index_file, 0o640)
    result = t.vanthu(home, "verify")
    assert result.code == 1
    assert set(result.err_lines[:-1]) >= {
        "Lỗi: thư mục kho: quyền 0755 rộng hơn mức cho phép 0700 (người khác đọc được, hoặc tệp lưu trữ ghi được)",
        "Lỗi: vanthu.sqlite3: quyền 0644 rộng hơn mức cho phép 0600 (người khác đọc được, hoặc tệp lưu trữ ghi được)",
        f"Lỗi: {stored.relative_to(home)}: quyền 0444 rộng hơn mức cho phép 0400 (người khác đọc được, hoặc tệp lưu trữ "
        "ghi được)",
        f"Lỗi: {index_file.relative_to(home)}: quyền 0640 rộng hơn mức cho phép 0600 (người khác đọc được, hoặc tệp lưu "
        "trữ ghi được)",
        f"Lỗi: sửa bằng: chmod -R go-rwx {home}"}


def test_an_owner_writable_stored_file_is_reported(tmp_path):
    home = tmp_path / "home"
    issue([k.record()], home, renderer=k.FakeRenderer())
    stored = next((home / "files").rglob("*.docx"))
    os.chmod(stored, 0o600)
    assert verify(home).problems[0].startswith(f"{stored.relative_to(home)}: quyền 0600 rộng hơn mức cho phép 0400")


def test_symlinks_leading_out_of_the_home_are_reported(tmp_path):
    home = tmp_path / "home"
    issue([k.record()], home, renderer=k.FakeRenderer())
    (home / "index").mkdir(exist_ok=True, mode=0o700)
    (home / "index" / "ngoai").symlink_to("/etc/passwd")
    (home / "templates").symlink_to(tmp_path)
    problems = sorted(verify(home).problems)
    assert problems == ["liên kết index/ngoai trỏ ra ngoài kho (tới /etc/passwd)",
                        f"liên kết templates trỏ ra ngoài kho (tới {tmp_path})"]
