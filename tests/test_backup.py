"""Issue 16 item 6: backup and restore (sao lưu, phục hồi; Phụ lục VI III.5.g).

A backup taken while another process issues in a loop restores into an empty
home that verifies clean, where search finds the documents and every number
of the backup's register is present with its files; a damaged or incomplete
backup is refused with nothing written; a backup killed at any named point
leaves nothing a restore accepts.
"""
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import archivekit as k
import trustkit as t
from vanthu.archive.backup import KILL_POINTS, MANIFEST
from vanthu.faults import ENV

LOOP = textwrap.dedent("""
    import sys
    import archivekit as k
    from archivekit import issue_past as issue
    for n in range(int(sys.argv[2])):
        issue([k.record(date="2021-04-02", subject=f"vòng lặp số {n} phòng chống dịch")], sys.argv[1],
              renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
""")
TESTS = str(Path(__file__).parent)


def env(**extra):
    return {**os.environ, "PYTHONPATH": os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")]), **extra}


def register(home):
    """``{number: (subject, [(path, sha256)])}`` read straight from a home's database."""
    conn = sqlite3.connect(str(Path(home) / "vanthu.sqlite3"))
    try:
        rows = conn.execute("SELECT id, number || '/' || symbol || '/' || year, subject FROM documents").fetchall()
        return {key: (subject, sorted(conn.execute("SELECT path, sha256 FROM files WHERE document_id = ?", (i,))))
                for i, key, subject in rows}
    finally:
        conn.close()


def issue_some(home, count=3):
    for n in range(count):
        k.issue_past([k.record(date="2021-03-01", subject=f"bản đầu {n} truy vết tiếp xúc")], home,
                     renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)


def nothing_beside(folder):
    """No hidden half-made backup or restore left next to ``folder``."""
    return [p.name for p in Path(folder).parent.iterdir() if p.name.startswith(f".{Path(folder).name}")]


def test_backup_during_concurrent_issues_restores_whole(tmp_path):
    home, copy, restored = tmp_path / "home", tmp_path / "sao-luu", tmp_path / "phuc-hoi"
    issue_some(home)
    loop = subprocess.Popen([sys.executable, "-c", LOOP, str(home), "60"], env=env(), stderr=subprocess.PIPE)
    try:
        while len(register(home)) < 8 and loop.poll() is None:
            time.sleep(0.05)
        started_with = len(register(home))
        made = t.vanthu(home, "backup", copy)
        still_issuing = loop.poll() is None
    finally:
        assert loop.wait(timeout=300) == 0, loop.stderr.read().decode()
    assert made.code == 0, made.err
    assert still_issuing, "the issuing loop ended before the backup: nothing concurrent was tested"
    backed_up = register(copy)
    live = register(home)
    assert started_with <= len(backed_up) <= len(live) == 63
    assert all(live[number] == entry for number, entry in backed_up.items()), "a backed-up document differs from the live one"
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["counts"]["documents"] == len(backed_up)
    assert manifest["counts"]["stored_files"] == sum(len(files) for _, files in backed_up.values())

    done = t.vanthu(restored, "restore", copy)
    assert done.code == 0, done.err
    assert f"{len(backed_up)} văn bản" in done.out
    assert register(restored) == backed_up  # every number of the backup, with its files, nothing else
    for _, files in backed_up.values():
        for path, digest in files:
            assert hashlib.sha256((restored / path).read_bytes()).hexdigest() == digest
    checked = t.vanthu(restored, "verify")
    assert checked.code == 0, checked.err
    assert "Kho toàn vẹn" in checked.out
    found = t.vanthu(restored, "search", "vong lap so 5", "--json")
    assert found.code == 0, found.err
    hits = [json.loads(line) for line in found.out.splitlines()]
    loop_numbers = [n for n, (subject, _) in backed_up.items() if subject.startswith("vòng lặp số 5")]
    assert loop_numbers and any(h["subject"].startswith("vòng lặp số 5") for h in hits)
    assert nothing_beside(copy) == [] and nothing_beside(restored) == []


def test_the_index_can_be_backed_up_and_is_used_as_it_is(tmp_path):
    home, copy, restored = tmp_path / "home", tmp_path / "sao-luu", tmp_path / "phuc-hoi"
    issue_some(home)
    assert t.vanthu(home, "search", "truy vet").code == 0  # the index is made
    made = t.vanthu(home, "backup", copy, "--index")
    assert made.code == 0 and "có chỉ mục tìm kiếm" in made.out, made.err
    assert (copy / "index").is_dir()
    assert t.vanthu(restored, "restore", copy).code == 0
    found = t.vanthu(restored, "search", "truy vet", "--json")
    assert found.code == 0 and len(found.out.splitlines()) == 3, found.err
    assert "dựng lại" not in found.err


def damage_missing(copy):
    next((copy / "files").rglob("*.pdf")).unlink()


def damage_byte(copy):
    target = next((copy / "files").rglob("*.docx"))
    os.chmod(target, 0o600)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))


def damage_database(copy):
    t.sqlite(copy, "UPDATE documents SET subject = 'sửa lén' WHERE id = 1")


def damage_manifest(copy):
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["counts"]["documents"] += 1
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def damage_manifest_resealed(copy):
    """A manifest rewritten with a fresh seal to hide a changed file: the database still tells."""
    from vanthu.archive import backup
    damage_byte(copy)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    target = next((copy / "files").rglob("*.docx")).relative_to(copy).as_posix()
    manifest["files"][target]["sha256"] = hashlib.sha256((copy / target).read_bytes()).hexdigest()
    body = {key: value for key, value in manifest.items() if key != "seal"}
    manifest["seal"] = backup._seal(body)
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def damage_no_manifest(copy):
    (copy / MANIFEST).unlink()


def damage_extra(copy):
    (copy / "files" / "them.pdf").write_bytes(b"%PDF-1.4 not ours")


@pytest.mark.parametrize("damage, said", [
    (damage_missing, "thiếu tệp files/"),
    (damage_byte, "đã bị thay đổi"),
    (damage_database, "đã bị thay đổi"),
    (damage_manifest, "bản kê đã bị sửa"),
    (damage_manifest_resealed, "tệp lưu trữ trong sổ"),
    (damage_no_manifest, "không có vanthu-backup.json"),
    (damage_extra, "tệp lạ files/them.pdf"),
])
def test_a_damaged_or_incomplete_backup_is_refused_and_nothing_written(tmp_path, damage, said):
    home, copy, restored = tmp_path / "home", tmp_path / "sao-luu", tmp_path / "phuc-hoi"
    issue_some(home, 2)
    assert t.vanthu(home, "backup", copy).code == 0
    damage(copy)
    refused = t.vanthu(restored, "restore", copy)
    assert refused.code == 1
    assert any(said in line for line in refused.err_lines), refused.err
    assert refused.err_lines[-1].startswith("Lỗi: bản sao lưu") and "không phục hồi gì" in refused.err_lines[-1]
    assert not restored.exists() and nothing_beside(restored) == []
    assert "Traceback" not in refused.err


def test_restore_only_into_an_empty_home(tmp_path):
    home, copy = tmp_path / "home", tmp_path / "sao-luu"
    issue_some(home, 1)
    assert t.vanthu(home, "backup", copy).code == 0
    before = register(home)
    refused = t.vanthu(home, "restore", copy)
    assert refused.code == 1 and "không trống" in refused.err
    assert register(home) == before
    (tmp_path / "trong").mkdir()
    assert t.vanthu(tmp_path / "trong", "restore", copy).code == 0  # an empty folder made for it is fine


def test_a_backup_goes_only_into_a_new_folder_outside_the_home(tmp_path):
    home = tmp_path / "home"
    issue_some(home, 1)
    (tmp_path / "day").mkdir()
    (tmp_path / "day" / "x.txt").write_text("có sẵn")
    assert "không trống" in t.vanthu(home, "backup", tmp_path / "day").err
    assert "nằm trong thư mục kho" in t.vanthu(home, "backup", home / "sao-luu").err
    assert "không có kho" in t.vanthu(tmp_path / "chua-co", "backup", tmp_path / "b").err
    assert not (tmp_path / "chua-co").exists()


@pytest.mark.parametrize("point", [p for p in KILL_POINTS if p.startswith("backup")])
def test_a_backup_killed_midway_leaves_nothing_a_restore_accepts(tmp_path, point):
    home, copy = tmp_path / "home", tmp_path / "sao-luu"
    issue_some(home, 2)
    if point == "backup-index":
        assert t.vanthu(home, "search", "truy vet").code == 0
    killed = t.vanthu(home, "backup", copy, *(["--index"] if point == "backup-index" else []), env={ENV: point})
    assert killed.code == -signal.SIGKILL, killed.err
    assert not copy.exists()
    hidden = [tmp_path / name for name in nothing_beside(copy)]
    assert len(hidden) == 1
    for candidate in (copy, hidden[0]):
        refused = t.vanthu(tmp_path / f"phuc-hoi-{candidate.name}", "restore", candidate)
        assert refused.code == 1, refused.out
        assert not (tmp_path / f"phuc-hoi-{candidate.name}").exists()
    assert t.vanthu(home, "backup", copy).code == 0  # the next backup sweeps the dead one's folder
    assert nothing_beside(copy) == []
    assert t.vanthu(home, "verify").code == 0


def test_a_restore_killed_before_it_is_in_place_leaves_the_home_empty(tmp_path):
    home, copy, restored = tmp_path / "home", tmp_path / "sao-luu", tmp_path / "phuc-hoi"
    issue_some(home, 2)
    assert t.vanthu(home, "backup", copy).code == 0
    killed = t.vanthu(restored, "restore", copy, env={ENV: "restore-copied"})
    assert killed.code == -signal.SIGKILL
    assert not restored.exists()
    done = t.vanthu(restored, "restore", copy)
    assert done.code == 0, done.err
    assert nothing_beside(restored) == []
    assert register(restored) == register(copy)


def test_a_backup_does_not_wait_minutes_behind_a_held_write_lock_to_log_itself(tmp_path, monkeypatch):
    from vanthu.archive import backup
    home = tmp_path / "home"
    issue_some(home, 1)
    monkeypatch.setattr(backup, "LOG_WAIT_MS", 300)
    holder = sqlite3.connect(str(home / "vanthu.sqlite3"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as an issue rendering a PDF batch holds it
    try:
        done = backup.backup(tmp_path / "sao-luu", home)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not done.logged and "chưa ghi được vào nhật ký" in done.line("Đã sao lưu vào")
    assert t.vanthu(tmp_path / "phuc-hoi", "restore", tmp_path / "sao-luu").code == 0
    assert "backup" not in [a for (a,) in sqlite3.connect(str(home / "vanthu.sqlite3")).execute("SELECT action FROM events")]
