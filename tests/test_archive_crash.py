"""Crash safety (an toàn khi sự cố): SIGKILL at each step of issuing and importing.

After the kill and a restart, verify is clean, no number is used twice, no
orphan file is visible, and the next issue takes the right number.
"""
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import archivekit as k
from vanthu.faults import ENV
from archivekit import issue_past as issue
from vanthu.archive.verify import verify

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

ISSUE = textwrap.dedent("""
    import sys
    import archivekit as k
    from archivekit import issue_past as issue
    issue([k.record(date="2021-04-02")], sys.argv[1], renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
""")
IMPORT = textwrap.dedent("""
    import sys
    from pathlib import Path
    import archivekit as k
    from vanthu.archive.importing import import_document
    incoming = Path(sys.argv[1]).parent / "den.docx"
    incoming.write_bytes(k.make_docx(["Công văn đến"]))
    import_document(incoming, "15/BYT-KH", "2021-04-01", "Bộ Y tế", sys.argv[1], received="2021-04-02")
""")
BEFORE_COMMIT = ("numbered", "staged", "published")
AFTER_COMMIT = ("committed", "done")


def killed_at(point, script, home):
    env = {**os.environ, ENV: point,
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", script, str(home)], env=env, capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()


def first_issue(home):
    issue([k.record(date="2021-04-01")], home, renderer=k.FakeRenderer(), to_pdf=k.fake_pdf)
    return k.stored_files(home)


@pytest.mark.parametrize("point", BEFORE_COMMIT + AFTER_COMMIT)
def test_issue_killed_leaves_a_consistent_archive(tmp_path, point):
    home = tmp_path / "home"
    files_before = first_issue(home)
    killed_at(point, ISSUE, home)
    if point == "published":  # the files were in place, uncommitted: recovery must take them away
        assert len(k.stored_files(home)) == 4

    report = verify(home)  # the restart: opening the home settles the dead batch
    assert report.problems == []
    committed = point in AFTER_COMMIT
    assert k.serials(home, year=2021) == ([1, 2] if committed else [1])
    new_files = ["files/2021/di/02-SYT-VP/02-SYT-VP.docx", "files/2021/di/02-SYT-VP/02-SYT-VP.pdf"]
    assert k.stored_files(home) == sorted(files_before + (new_files if committed else []))
    assert list((home / "staging").iterdir()) == []

    (following,) = issue([k.record(date="2021-04-03")], home, renderer=k.FakeRenderer())
    assert following.number.number == (3 if committed else 2)
    assert verify(home).problems == []


@pytest.mark.parametrize("point", BEFORE_COMMIT + AFTER_COMMIT)
def test_import_killed_leaves_a_consistent_archive(tmp_path, point):
    home = tmp_path / "home"
    first_issue(home)
    killed_at(point, IMPORT, home)
    assert verify(home).problems == []
    committed = point in AFTER_COMMIT
    assert k.serials(home, series="đến") == ([1] if committed else [])
    arrivals = [p for p in k.stored_files(home) if "/den/" in p]
    assert arrivals == (["files/2021/den/0001-15-BYT-KH/den.docx"] if committed else [])
