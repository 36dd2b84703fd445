"""vanthu db move: a SQLite home's register copied to PostgreSQL, proved by verify and the chain head."""
import re

import pytest

import archivekit as k
from archivekit import issue_past as issue
from conftest import run_cli
from vanthu.archive import people
from vanthu.workflow import drafts


@pytest.fixture
def office(tmp_path, monkeypatch):
    """An office on SQLite: three dispatches with PDFs, a clerk, a draft; the log has every step."""
    monkeypatch.delenv("VANTHU_DB", raising=False)
    home = tmp_path / "home"
    issue([k.record(date=f"2021-02-0{day}") for day in (1, 2, 3)], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    issue([k.record(date="2021-02-04", code="UBND")], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    people.add("lan", "mat-khau-dai-12", ["van-thu"], home)
    drafts.create(k.SEED.read_text(encoding="utf-8"), "lan", home)
    return home


def lines_between(out, start, end):
    return out.split(start, 1)[1].split(end, 1)[0].strip()


def test_a_home_moves_to_postgresql_with_the_same_counts_and_chain_head_and_goes_on_there(office, pg_database):
    result = run_cli("--home", office, "db", "move", pg_database)
    assert result.code == 0, result.err
    before = lines_between(result.out, "Sổ trên SQLite:", "Tệp SQLite cũ")
    after = lines_between(result.out, "Sổ trên PostgreSQL:", "Sau khi chuyển")
    assert before == after and "documents 4" in before and "people 1" in before and "drafts 1" in before
    assert re.search(r"nhật ký: \d+ mục, mục cuối [0-9a-f]{16}", before)
    assert "Trước khi chuyển (SQLite): Kho toàn vẹn: 8 tệp" in result.out
    assert "Sau khi chuyển (PostgreSQL): Kho toàn vẹn: 8 tệp" in result.out
    assert not (office / "vanthu.sqlite3").exists() and (office / "vanthu.sqlite3.da-chuyen").exists()
    assert f'database: "{pg_database}"' in (office / "settings.yaml").read_text(encoding="utf-8")
    assert run_cli("--home", office, "db").out.startswith("Sổ trên máy chủ PostgreSQL")
    (done,) = issue([k.record(date="2021-02-05")], office, renderer=k.FakeRenderer())  # ids and numbers go on
    assert done.number.number == 4 and done.id == 5
    assert k.serials(office, "SYT", 2021) == [1, 2, 3, 4]
    shown = run_cli("--home", office, "show", "02/SYT-VP", "--year", "2021")
    assert shown.code == 0 and "02/SYT-VP" in shown.out
    assert run_cli("--home", office, "verify").code == 0
    assert [u.split("\t")[0] for u in run_cli("--home", office, "user", "list").out.splitlines()] == ["lan"]


def test_a_database_that_already_has_a_register_is_refused_and_the_home_is_left_as_it_was(office, pg_database, tmp_path,
                                                                                          monkeypatch):
    monkeypatch.setenv("VANTHU_DB", pg_database)
    issue([k.record(date="2021-03-01")], tmp_path / "other", renderer=k.FakeRenderer())  # another office's register
    monkeypatch.delenv("VANTHU_DB")
    settings = (office / "settings.yaml").read_text(encoding="utf-8")
    result = run_cli("--home", office, "db", "move", pg_database)
    assert result.code == 1 and "đã có dữ liệu" in result.err and "createdb" in result.err
    assert (office / "vanthu.sqlite3").exists() and (office / "settings.yaml").read_text(encoding="utf-8") == settings


def test_a_damaged_home_is_not_moved(office, pg_database):
    target = next((office / "files").rglob("*.pdf"))
    target.chmod(0o600)
    target.write_bytes(b"sua")
    result = run_cli("--home", office, "db", "move", pg_database)
    assert result.code == 1 and "kho chưa toàn vẹn, không chuyển" in result.err
    assert (office / "vanthu.sqlite3").exists()


def test_not_a_server_address_is_a_clear_error(office):
    result = run_cli("--home", office, "db", "move", "/tmp/khac.sqlite3")
    assert result.code == 1 and "postgresql://" in result.err


def test_backup_of_a_home_on_the_server_says_to_use_the_servers_tools(tmp_path, on_postgresql):
    issue([k.record(date="2021-03-01")], tmp_path / "home", renderer=k.FakeRenderer())
    result = run_cli("--home", tmp_path / "home", "backup", tmp_path / "sao-luu")
    assert result.code == 1 and "pg_dump" in result.err and not (tmp_path / "sao-luu").exists()


def test_a_withdrawn_document_is_frozen_on_the_server_too_and_moves_with_its_freeze(office, pg_database):
    from vanthu.archive import postgres
    from vanthu.workflow import withdrawal
    withdrawal.withdraw("02/SYT-VP", "ban hành nhầm", "lan", office, year=2021)
    assert run_cli("--home", office, "db", "move", pg_database).code == 0
    conn = postgres.connect(pg_database)  # the server's own triggers, not vanthu's code, refuse the change
    for statement in ("UPDATE documents SET subject = 'khác' WHERE number = 2 AND issuer_code = 'SYT'",
                      "DELETE FROM withdrawals", "INSERT INTO links (document_id, kind, target_id) "
                      "SELECT id, 'replaces', id FROM documents WHERE number = 2 AND issuer_code = 'SYT'"):
        with pytest.raises(conn.errors, match="đã thu hồi, đã đóng băng"):
            conn.execute(statement)
    conn.execute("UPDATE documents SET subject = 'vẫn sửa được' WHERE number = 3")  # others are not frozen
