"""Issue 9: a home made before rows were sealed is upgraded once: its rows sealed, its modes tightened (logged)."""
import json
import os
import sqlite3
import stat
import tarfile
from pathlib import Path

import trustkit as t
from vanthu.archive.verify import verify

OLD_HOME = Path(__file__).parent / "data" / "home-before-issue-9.tar.gz"


def old_home(tmp_path):
    with tarfile.open(OLD_HOME) as archive:
        archive.extractall(tmp_path)
    return tmp_path / "home"


def test_an_older_home_is_sealed_and_tightened_on_first_open(tmp_path):
    home = old_home(tmp_path)
    assert stat.S_IMODE(os.stat(home / "vanthu.sqlite3").st_mode) == 0o644
    report = verify(home)
    assert report.ok, report.problems
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    stored = home / "files/2020/di/4482-SYT-VP/4482-SYT-VP.docx"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o400
    conn = sqlite3.connect(str(home / "vanthu.sqlite3"))
    (action, detail), = conn.execute("SELECT action, detail FROM events WHERE document_id = 1 AND action = 'seal'")
    assert json.loads(detail)["number"] == "4482/SYT-VP"
    conn.close()

    t.sqlite(home, "UPDATE documents SET signer = 'Người Khác'")
    assert verify(home).problems == ["văn bản 4482/SYT-VP (mục sổ 1): nội dung trong sổ khác với nhật ký mục 2 "
                                     "(đã bị sửa ngoài vanthu)"]
