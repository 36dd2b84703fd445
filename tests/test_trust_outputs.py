"""Issue 9, item 1: nothing writes inside the home but the archive itself (every -o is checked)."""
import os

import pytest

import trustkit as t

STORED = "files/{year}/di/{n:02d}-SYT-VP/{n:02d}-SYT-VP.docx"


@pytest.fixture
def issued(cli, tmp_path):
    """One document issued by the CLI (DOCX only); returns (home, stored path, its bytes)."""
    result = cli("issue", t.write_record(tmp_path, 1), "--no-pdf")
    assert result.code == 0, result.err
    home = tmp_path / "home"
    (stored,) = (home / "files").rglob("*.docx")
    return home, stored, stored.read_bytes()


def assert_untouched(cli, stored, original):
    assert stored.read_bytes() == original
    assert cli("verify").code == 0


@pytest.mark.parametrize("how", ["direct", "through-a-symlinked-folder", "dangling-symlink"])
def test_show_o_cannot_overwrite_an_archived_original(cli, issued, tmp_path, how):
    home, stored, original = issued
    target = stored
    if how == "through-a-symlinked-folder":
        (tmp_path / "ra-ngoai").symlink_to(stored.parent)
        target = tmp_path / "ra-ngoai" / stored.name
    elif how == "dangling-symlink":
        (tmp_path / "ban-sao.docx").symlink_to(home / "files" / "moi.docx")
        target = tmp_path / "ban-sao.docx"
    result = cli("show", "01/SYT-VP", "-o", target)
    assert result.code == 1
    assert result.err_lines[0].startswith(f"Lỗi: {target}: nằm trong thư mục kho {home}; chỉ vanthu được ghi vào kho")
    assert not (home / "files" / "moi.docx").exists()
    assert_untouched(cli, stored, original)


def test_show_o_into_the_stored_folder_is_refused(cli, issued):
    home, stored, original = issued
    result = cli("show", "01/SYT-VP", "-o", stored.parent)
    assert result.code == 1 and "nằm trong thư mục kho" in result.err
    assert sorted(p.name for p in stored.parent.iterdir()) == [stored.name]
    assert_untouched(cli, stored, original)


@pytest.mark.parametrize("command", [
    ("register", "-o", "{home}/files/so.docx"),
    ("register", "-o", "{home}/vanthu.sqlite3.docx"),
    ("render", "{record}", "-o", "{stored}"),
    ("render", "{record}", "-o", "{home}/files"),
    ("new", "cong-van", "-o", "{home}/settings.yaml"),
])
def test_no_command_writes_into_the_home(cli, issued, tmp_path, command):
    home, stored, original = issued
    settings = (home / "settings.yaml").read_bytes()
    record = t.write_record(tmp_path, 2)
    args = [a.format(home=home, stored=stored, record=record) for a in command]
    result = cli(*args)
    assert result.code == 1 and "nằm trong thư mục kho" in result.err, result.err
    assert not (home / "files/so.docx").exists() and not (home / "vanthu.sqlite3.docx").exists()
    assert (home / "settings.yaml").read_bytes() == settings
    assert_untouched(cli, stored, original)


def test_show_o_rehashes_and_refuses_a_changed_original(cli, issued, tmp_path):
    home, stored, original = issued
    os.chmod(stored, 0o600)
    stored.write_bytes(original[:-10] + b"0123456789")
    os.chmod(stored, 0o400)
    result = cli("show", "01/SYT-VP", "-o", tmp_path / "ban-sao.docx")
    assert result.code == 1
    assert result.err_lines == [f"Lỗi: tệp lưu trữ {stored.relative_to(home)} đã bị thay đổi (mã băm không khớp với sổ); "
                                "không chép ra. Chạy 'vanthu verify' và khôi phục tệp từ bản sao lưu"]
    assert not (tmp_path / "ban-sao.docx").exists()
    assert cli("verify").code == 1


def test_outputs_outside_the_home_still_work(cli, issued, tmp_path):
    home, stored, original = issued
    assert cli("show", "01/SYT-VP", "-o", tmp_path / "ban-sao.docx").code == 0
    assert (tmp_path / "ban-sao.docx").read_bytes() == original
    assert cli("register", "-o", tmp_path / "so.docx").code == 0
