"""vanthu.files: every write is whole or absent, fsynced, never leaves a temporary file."""
import os
import stat

import pytest

from vanthu import files


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "a.docx"
    files.write_atomic(target, b"old")
    files.write_atomic(target, "mới")
    assert target.read_text(encoding="utf-8") == "mới"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.docx"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    files.write_atomic(target, b"old")

    def broken(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="disk full"):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_atomic_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(stat.S_ISDIR(os.fstat(fd).st_mode)), real(fd)))
    files.write_atomic(tmp_path / "a.txt", b"x")
    assert synced == [False, True]


def test_modes_new_file_default_and_read_only_copy(tmp_path):
    plain = files.write_atomic(tmp_path / "plain", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~mask  # as open() would make it, not mkstemp's 0600
    with files.private_files():
        private = files.write_atomic(tmp_path / "private", b"x")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600  # the home's private umask is kept
    stored = tmp_path / "stored"
    files.write_new(stored, b"data", 0o444)
    with pytest.raises(FileExistsError):
        files.write_new(stored, b"other", 0o444)
    copy = files.copy_atomic(stored, tmp_path / "copy")
    assert copy.read_bytes() == b"data" and stat.S_IMODE(copy.stat().st_mode) == 0o644
