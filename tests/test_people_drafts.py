"""The people store (vanthu user ...) and the drafts store, read back from the archive database."""
import datetime as _dt
import sqlite3

import archivekit as k

import pytest

from vanthu.archive import people
from vanthu.archive.events import acting_as
from vanthu.errors import VanthuError
from vanthu.workflow import drafts, signoff

from conftest import DATA, run_cli

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

SEED = (DATA / "4482-SYT-VP.yaml").read_text(encoding="utf-8")


def events(home):
    conn = k.database(home)
    return conn.execute("SELECT \"user\", action, detail FROM events ORDER BY id").fetchall()


def test_user_add_list_passwd_disable_through_the_cli(tmp_path, monkeypatch):
    home = tmp_path / "kho"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("mat-khau-1\n"))
    r = run_cli("--home", home, "user", "add", "lan", "--role", "van-thu", "--full-name", "Nguyễn Thị Lan",
                "--password-stdin")
    assert r.code == 0, r.err
    assert "lan" in run_cli("--home", home, "user", "list").out
    assert people.authenticate("lan", "mat-khau-1", home).roles == ("van-thu",)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("mat-khau-2\n"))
    assert run_cli("--home", home, "user", "passwd", "lan", "--password-stdin").code == 0
    with pytest.raises(people.LoginRefused):
        people.authenticate("lan", "mat-khau-1", home)
    assert people.authenticate("lan", "mat-khau-2", home)
    assert run_cli("--home", home, "user", "disable", "lan").code == 0
    with pytest.raises(people.LoginRefused):
        people.authenticate("lan", "mat-khau-2", home)
    assert "(đã khóa)" in run_cli("--home", home, "user", "list").out
    actions = [a for _, a, _ in events(home)]
    assert actions[:1] == ["user-add"] and "user-passwd" in actions and "user-disable" in actions


def test_bad_user_input_is_refused_with_nothing_written(tmp_path, monkeypatch):
    home = tmp_path / "kho"
    for args, stdin, words in ((["Lan Anh", "--role", "van-thu"], "mat-khau-1\n", "tên đăng nhập"),
                               (["lan", "--role", "thu-ky"], "mat-khau-1\n", "vai trò"),
                               (["lan", "--role", "van-thu"], "ngan\n", "ít nhất 8")):
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(stdin))
        r = run_cli("--home", home, "user", "add", *args, "--password-stdin")
        assert r.code == 1 and words in r.err, r.err
    assert people.everyone(home) == []


def test_password_is_stored_as_argon2_only(tmp_path):
    people.add("vu", "bi-mat-rat-dai", ["lanh-dao"], tmp_path)
    row = k.database(tmp_path).execute("SELECT password_hash FROM people").fetchone()
    assert row[0].startswith("$argon2id$") and "bi-mat-rat-dai" not in row[0]


def test_repeated_failures_lock_the_account_even_for_the_right_password(tmp_path):
    people.add("lan", "mat-khau-1", ["van-thu"], tmp_path)
    for _ in range(people.FREE_FAILURES):
        with pytest.raises(people.LoginRefused, match="sai tên đăng nhập"):
            people.authenticate("lan", "sai-mat-khau", tmp_path)
    with pytest.raises(people.LoginRefused, match="thử lại sau"):
        people.authenticate("lan", "mat-khau-1", tmp_path)
    assert people.lock_seconds(people.FREE_FAILURES + 3) > people.lock_seconds(people.FREE_FAILURES)


def test_a_draft_is_saved_updated_copied_and_logged_with_the_person(tmp_path):
    with acting_as("hoa"):
        draft = drafts.create(SEED, "hoa", tmp_path)
    assert draft.state == drafts.DRAFT and draft.template == "cong-van" and draft.owner == "hoa"
    assert drafts.check(draft.text).number.number == 4482
    changed = drafts.update(draft.id, SEED.replace("BlueZone\n", "BlueZone mới\n", 1), "hoa", tmp_path,
                            revision=draft.revision)
    assert changed.revision == 2
    with pytest.raises(VanthuError, match="vừa được người khác sửa"):
        drafts.update(draft.id, SEED, "hoa", tmp_path, revision=1)
    twin = drafts.copy(draft.id, "minh", tmp_path)
    assert twin.id != draft.id and "number" not in twin.data and twin.owner == "minh"
    assert [d.id for d in drafts.listing(tmp_path, owner="hoa")] == [draft.id]
    logged = events(tmp_path)
    assert ("hoa", "draft-create") == logged[0][:2]


def test_a_bad_record_is_not_saved(tmp_path):
    with pytest.raises(VanthuError) as error:
        drafts.create(SEED.replace("subject:", "subjekt:"), "hoa", tmp_path)
    assert any(p.key == "subject" for p in error.value.problems)
    assert drafts.listing(tmp_path) == []


def test_issuing_a_draft_takes_one_number_and_marks_it_issued(tmp_path):
    for name, role in (("hoa", "chuyen-vien"), ("vu", "lanh-dao"), ("lan", "van-thu")):
        people.add(name, "mat-khau-dai-1", [role], tmp_path)
    draft = drafts.create(SEED, "hoa", tmp_path)
    signoff.submit(draft.id, "vu", by="hoa", home=tmp_path)
    signoff.approve(draft.id, "vu", home=tmp_path)  # approved: the leader signs the paper by hand
    with acting_as("lan"):
        done = signoff.issue_on_paper(draft.id, "lan", tmp_path, pdf=False)
    assert str(done.number) == "4482/SYT-VP"
    after = drafts.get(draft.id, tmp_path)
    assert after.state == drafts.ISSUED and after.document_id == done.id
    with pytest.raises(VanthuError, match="đã được ban hành"):
        signoff.issue_on_paper(draft.id, "lan", tmp_path, pdf=False)
    issued = [e for e in events(tmp_path) if e[1] == "issue"]
    assert len(issued) == 1 and issued[0][0] == "lan"
