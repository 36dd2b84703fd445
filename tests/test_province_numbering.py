"""Numbering at province scale on PostgreSQL (cấp số toàn tỉnh): many clerks, many issuers, at once.

Each issuer's series is locked by its own ``number_series`` row while a number
is taken, so clerks of one office queue and offices do not wait for each other;
a clerk killed mid-transaction leaves no gap and no reused number.
"""
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import archivekit as k
from vanthu.archive.verify import verify

pytestmark = pytest.mark.usefixtures("on_postgresql")
ISSUERS = ("SYT", "STC", "SGD", "SNV")  # four offices (sở) of one province

WORKER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import archivekit as k
    from archivekit import issue_past as issue
    from vanthu.faults import ENV
    home, go, code, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    die_after, die_at = int(sys.argv[5]), sys.argv[6]
    while not go.exists():
        time.sleep(0.01)
    for n in range(count):
        if n == die_after:
            os.environ[ENV] = die_at  # SIGKILL at this named point of this issue's transaction
        issue([k.record(date="2020-06-01", code=code)], home, renderer=k.BytesRenderer(), index=False)
""")


def env_with_tests():
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}


def start_workers(home, plan):
    """One process per ``(issuer, count, die_after, die_at)``; all start together."""
    go = Path(home).parent / "go"
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(home), str(go), code, str(count), str(after), at],
                                env=env_with_tests()) for code, count, after, at in plan]
    go.touch()
    return workers


def numbers_by_issuer(home):
    return {code: k.serials(home, code, 2020) for code in ISSUERS}


@pytest.mark.slow
def test_sixteen_processes_times_100_issues_across_four_issuers_take_1_to_n_exactly_once(tmp_path):
    home = tmp_path / "home"
    workers = start_workers(home, [(ISSUERS[i % 4], 100, -1, "") for i in range(16)])
    assert [w.wait(timeout=900) for w in workers] == [0] * 16
    assert numbers_by_issuer(home) == {code: list(range(1, 401)) for code in ISSUERS}
    assert len(k.stored_files(home)) == 1600
    assert verify(home).problems == []


@pytest.mark.slow
def test_clerks_killed_mid_transaction_leave_no_gap_and_no_reuse(tmp_path):
    """Six of sixteen clerks die by SIGKILL at a named point inside (or just after) an issue's transaction."""
    rng = random.Random(15)
    victims = set(rng.sample(range(16), 6))
    points = ("numbered", "staged", "published", "committed", "head-saved", "numbered")
    plan = [(ISSUERS[i % 4], 30, rng.randrange(1, 25) if i in victims else -1,
             points[sorted(victims).index(i)] if i in victims else "") for i in range(16)]
    home = tmp_path / "home"
    workers = start_workers(home, plan)
    codes = [w.wait(timeout=900) for w in workers]
    assert sorted(i for i, c in enumerate(codes) if c == -signal.SIGKILL) == sorted(victims)
    assert all(c == 0 for i, c in enumerate(codes) if i not in victims)
    committed_by_kill = sum(1 for i in victims if plan[i][3] in ("committed", "head-saved"))
    taken = numbers_by_issuer(home)
    for code, numbers in taken.items():
        assert numbers == list(range(1, len(numbers) + 1)), f"{code}: gap or reuse in {numbers}"
    expected = sum(30 if i not in victims else plan[i][2] for i in range(16)) + committed_by_kill
    assert sum(len(n) for n in taken.values()) == expected
    report = verify(home)  # settles the dead clerks' staged files, finds nothing amiss
    assert report.problems == []
    for code in ISSUERS:  # the next number follows on: nothing was reused, nothing skipped
        (done,) = k.issue_past([k.record(date="2020-06-02", code=code)], home, renderer=k.BytesRenderer(), index=False)
        assert done.number.number == len(taken[code]) + 1


class HeldRenderer:
    """Renders only once ``release`` exists: an issue that holds its transaction (a long PDF batch)."""

    def __init__(self, release):
        self.release = release

    def render(self, record):
        while not self.release.exists():
            time.sleep(0.02)
        return k.BytesRenderer().render(record)


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import archivekit as k
    from test_province_numbering import HeldRenderer
    home, release, code = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    (done,) = k.issue_past([k.record(date="2020-06-01", code=code)], home, renderer=HeldRenderer(release), index=False)
    print(done.number.number)
""")


def holding(home, release, code):
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(home), str(release), code], env=env_with_tests(),
                            stdout=subprocess.PIPE, text=True)


def wait_until(home, query, what):
    """Until ``query`` counts something in the server's lock table."""
    conn = k.database(home)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if conn.execute(query).fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError(what)


HOLDS_A_SERIES = ("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                  " WHERE c.relname = 'number_series' AND l.mode = 'RowShareLock' AND l.granted")
WAITS = "SELECT count(*) FROM pg_locks WHERE NOT granted"


def test_one_issuers_held_transaction_does_not_block_another_issuer_but_queues_its_own_clerks(tmp_path):
    home, release = tmp_path / "home", tmp_path / "release"
    k.issue_past([k.record(date="2020-05-01", code=c) for c in ("SYT", "STC")], home, renderer=k.BytesRenderer(), index=False)
    held = holding(home, release, "SYT")  # SYT's clerk has number 2 and is still rendering
    wait_until(home, HOLDS_A_SERIES, "the held clerk never took its number")
    started = time.monotonic()
    (other,) = k.issue_past([k.record(date="2020-06-01", code="STC")], home, renderer=k.BytesRenderer(), index=False)
    assert other.number.number == 2 and time.monotonic() - started < 15  # STC did not wait for SYT
    assert held.poll() is None  # ... which still holds its transaction
    (tmp_path / "at-once").touch()
    second = holding(home, tmp_path / "at-once", "SYT")  # another SYT clerk: must queue behind the first
    wait_until(home, WAITS, "a second clerk of the same issuer did not wait for the held transaction")
    assert second.poll() is None and held.poll() is None
    release.touch()
    first_number, second_number = held.communicate(timeout=120)[0].strip(), second.communicate(timeout=120)[0].strip()
    assert (first_number, second_number) == ("2", "3")
    assert k.serials(home, "SYT", 2020) == [1, 2, 3]


IMPORTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from vanthu.archive import catalog, importing
    home, release, source = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    insert_file = catalog.insert_file

    def held(*args, **kwargs):  # the arrival number taken, the transaction open: a clerk still storing a big scan
        while not release.exists():
            time.sleep(0.02)
        return insert_file(*args, **kwargs)

    catalog.insert_file = held
    done = importing.import_document(source, "15/BYT-KH", "2020-06-01", "Bộ Y tế", home, received="2020-06-02")
    print(done.arrival_number)
""")


def test_the_same_document_received_by_two_clerks_at_once_is_refused_in_words_not_a_database_error(tmp_path):
    """Both clerks look for it before either has filed it; the second is told when it gets the arrival book."""
    from vanthu.archive.importing import import_document
    from vanthu.errors import VanthuError
    home, release, source = tmp_path / "home", tmp_path / "release", tmp_path / "den.docx"
    source.write_bytes(k.make_docx(["BỘ Y TẾ", "Về việc truy vết người nghi nhiễm"]))
    k.issue_past([k.record(date="2020-05-01")], home, renderer=k.BytesRenderer(), index=False)  # the home exists
    first = subprocess.Popen([sys.executable, "-c", IMPORTER, str(home), str(release), str(source)],
                             env=env_with_tests(), stdout=subprocess.PIPE, text=True)
    wait_until(home, HOLDS_A_SERIES, "the first clerk never took an arrival number")
    def release_once_the_second_waits():
        wait_until(home, WAITS, "the second clerk never waited for the arrival book")
        release.touch()

    threading.Thread(target=release_once_the_second_waits, daemon=True).start()
    with pytest.raises(VanthuError, match=r"văn bản 15/BYT-KH của Bộ Y tế đã vào sổ đến: số đến 01 ngày 02/6/2020"):
        import_document(source, "15/BYT-KH", "2020-06-01", "Bộ Y tế", home, received="2020-06-02")
    assert first.communicate(timeout=120)[0].strip() == "01" and first.returncode == 0
    assert k.serials(home, series="đến", year=2020) == [1]
    assert verify(home).problems == []
