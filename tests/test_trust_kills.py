"""Issue 9: kill -9 at random moments of issue, batch issue with PDF, import and reindex (at least 30 kills).

Afterwards: verify is clean, every series runs 1..N with no number twice and
no gap, every number a finished command printed is in the register, and every
document of the register is found by search, without a reindex.
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import archivekit as k
import trustkit as t
from pdfkit import assert_no_soffice
from vanthu.archive.finding import search  # the archive feeds the index
from vanthu.search.query import Filters

KILLS = 30
BUDGET_SECONDS = 170
pytestmark = [pytest.mark.slow, pytest.mark.pdf]


def children(pid):
    """Every descendant of ``pid`` (LibreOffice runs in its own session, so a group kill misses it)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]), []).append(
                    int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process):
    """SIGKILL the command and everything it started, as a power cut would (only our own processes)."""
    try:
        os.kill(process.pid, signal.SIGSTOP)  # frozen, it starts nothing new while we look
    except ProcessLookupError:
        return
    for pid in [process.pid] + children(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


class Office:
    """A home and the commands a clerk's office runs on it, each in its own process."""

    def __init__(self, folder):
        self.folder, self.home, self.n = folder, folder / "home", 0
        self.env = {**os.environ, "VANTHU_HOME": str(self.home), "TMPDIR": str(folder / "tmp")}
        (folder / "tmp").mkdir()
        self.printed = []  # numbers finished commands reported
        self.took = {}  # kind -> seconds, from its first run (not killed)

    def command(self, kind):
        self.n += 1
        if kind == "issue":
            return ["issue", t.write_record(self.folder, self.n), "--no-pdf"]
        if kind == "batch-pdf":
            return ["issue", *[t.write_record(self.folder, f"{self.n}-{i}") for i in range(3)]]
        if kind == "import":
            path = self.folder / f"den-{self.n}.docx"
            path.write_bytes(k.make_docx([f"Công văn đến số {self.n} về BlueZone"]))
            return ["import", path, "--number", f"{self.n}/BYT-KH", "--date", "01/12/2026", "--issuer", "Bộ Y tế",
                    "--subject", f"BlueZone đợt {self.n}", "--received", "01/12/2026"]
        return ["reindex"]

    def start(self, args):
        return subprocess.Popen([sys.executable, "-m", "vanthu.cli", *map(str, args)], cwd=self.folder, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, kind, rng):
        """One command, killed at a random moment of its run unless it finishes first; True if it was killed.

        The first run of each kind is not killed: it measures how long the kind takes.
        """
        process, begun = self.start(self.command(kind)), time.monotonic()
        deadline = begun + (rng.uniform(0.1, 1.1) * self.took[kind] if kind in self.took else 600)
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if process.poll() is None:
            kill_tree(process)
            process.communicate()
            return True
        out, err = process.communicate()
        assert process.returncode == 0, err
        self.took.setdefault(kind, time.monotonic() - begun)
        self.printed += [line.split()[4] for line in out.splitlines() if line.startswith("Đã ban hành số")]
        return False


def register(home):
    conn = sqlite3.connect(str(home / "vanthu.sqlite3"))
    try:
        return conn.execute("SELECT id, direction, year, series, serial, number, symbol FROM documents").fetchall()
    finally:
        conn.close()


def test_random_kills_leave_a_whole_archive_and_a_whole_index(tmp_path):
    seed = int(os.environ.get("VANTHU_KILL_SEED", time.time()))
    rng, office, kills, started = random.Random(seed), Office(tmp_path), [], time.monotonic()
    kinds = ["issue"] * 4 + ["batch-pdf"] * 2 + ["import"] * 2 + ["reindex"] * 2
    for kind in dict.fromkeys(kinds):
        assert office.run(kind, rng) is False  # measures each kind
    while len(kills) < KILLS and time.monotonic() - started < BUDGET_SECONDS:
        kind = rng.choice(kinds)
        if office.run(kind, rng):
            kills.append(kind)
    print(f"seed {seed}: {len(kills)} kills {sorted((k, kills.count(k)) for k in set(kills))}, took {office.took}")
    assert len(kills) >= KILLS, f"seed {seed}: only {len(kills)} kills in {BUDGET_SECONDS} s: {kills}"
    assert {"issue", "batch-pdf", "import", "reindex"} <= set(kills), kills
    assert_no_soffice(str(tmp_path / "tmp"))

    report = t.vanthu(office.home, "verify")
    assert report.code == 0, report.err
    rows = register(office.home)
    for series in {(r[1], r[2], r[3]) for r in rows}:
        serials = sorted(r[4] for r in rows if (r[1], r[2], r[3]) == series)
        assert serials == list(range(1, len(serials) + 1)), (series, serials)  # none twice, no gap
    numbers = {f"{r[5]:02d}/{r[6]}" for r in rows if r[1] == "out"}
    assert set(office.printed) <= numbers
    found = search(office.home, filters=Filters(date_from="2000"), limit=100_000).results
    assert sorted(r.doc_id for r in found) == sorted(r[0] for r in rows)
