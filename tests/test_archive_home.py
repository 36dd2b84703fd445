"""The archive home (thư mục kho): where it is, its database, its settings."""
import sqlite3

import pytest

from vanthu.archive import db
from vanthu.archive.home import Home, opened
from vanthu.errors import VanthuError

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL


def test_home_is_the_option_else_the_environment_else_vanthu_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VANTHU_HOME", raising=False)
    assert Home.locate().root == tmp_path / "vanthu-data"
    monkeypatch.setenv("VANTHU_HOME", str(tmp_path / "env"))
    assert Home.locate().root == tmp_path / "env"
    assert Home.locate(tmp_path / "opt").root == tmp_path / "opt"


@pytest.mark.sqlite_only
def test_a_new_home_has_a_wal_database_at_the_latest_schema_and_commented_settings(tmp_path):
    with opened(tmp_path / "home") as archive:
        assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.schema_version(archive.conn) == len(db.MIGRATIONS)
    settings = (tmp_path / "home/settings.yaml").read_text(encoding="utf-8")
    assert "separate_series: []" in settings and "# Loại văn bản có dãy số riêng" in settings
    assert sorted(p.name for p in (tmp_path / "home").iterdir() if p.is_dir()) == ["files", "staging"]


@pytest.mark.sqlite_only
def test_a_home_from_a_newer_vanthu_is_refused(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    conn = sqlite3.connect(str(path / "vanthu.sqlite3"))
    conn.execute(f"PRAGMA user_version = {len(db.MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(VanthuError, match="mới hơn chương trình này; hãy cập nhật vanthu"):
        with opened(path):
            pass


def test_foreign_keys_hold(tmp_path):
    with opened(tmp_path / "home") as archive:
        with pytest.raises(archive.conn.errors):  # sqlite3's or psycopg's IntegrityError
            archive.conn.execute("INSERT INTO files (document_id, role, path, sha256, size) VALUES (99, 'docx', 'x', 'y', 1)")


def test_bad_settings_say_where(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    (path / "settings.yaml").write_text("separate_series: quyet-dinh\n", encoding="utf-8")
    with pytest.raises(VanthuError, match="separate_series phải là danh sách tên mẫu"):
        with opened(path):
            pass


def test_a_file_in_place_of_the_home_is_refused(tmp_path):
    (tmp_path / "home").write_text("không phải thư mục")
    with pytest.raises(VanthuError, match="không phải thư mục"):
        with opened(tmp_path / "home"):
            pass
