#!/usr/bin/env python3
"""Benchmark: PDF through LibreOffice, one document and a mail-merge batch, against bare soffice.

(a) One document end to end: ``vanthu render 4482-SYT-VP.yaml -o x.pdf`` as a
    new process (Python start, YAML, DOCX, LibreOffice, signature field and
    metadata), and the core ``docx_to_pdf`` alone, against one bare
    ``soffice --headless --convert-to pdf`` of the same DOCX (its default
    profile, warmed up first). Goal: at most 1.2x.
(b) A batch of N filled BlueZone forms, ``vanthu render mau.yaml --data
    rows.csv -o x.pdf`` with 1 and with one worker per core, seconds per
    document, against one bare soffice process per file (timed on a sample,
    per file). Goal: at least 15x faster, about 0.06 s per document on 2 cores.
Peak memory: the largest sum of RSS over the process tree (vanthu and its
soffice processes), sampled every 20 ms. Prints medians of several rounds.

    python bench/pdf.py [--count 200] [--rounds 3] [--bare-sample 12]
"""
import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanthu.generator.pdf import docx_to_pdf  # noqa: E402
from vanthu.generator.pdfrender import info_of  # noqa: E402
from vanthu import yamlfile  # noqa: E402
from vanthu.generator.records import RecordReader, load  # noqa: E402
from vanthu.generator.render import Renderer  # noqa: E402

SEED = ROOT / "examples" / "4482-SYT-VP.yaml"
FORM = "type: dang-ky-tai-khoan-bluezone\nfields:\n  place: Đồng Nai\n  date: 2020-08-06\n  head_name: Trần Văn Đức\n"
SETTLE = 0.5  # seconds between runs: a killed LibreOffice frees its memory after its parent returns
VANTHU = [sys.executable, "-c", "from vanthu.cli import main; main()"]


def machine():
    model = next((line.split(":", 1)[1].strip() for line in subprocess.run(
        ["lscpu"], capture_output=True, text=True).stdout.splitlines() if line.startswith("Model name")), "?")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    soffice = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores (nproc), {model}, {ram:.1f} GiB RAM, Python {platform.python_version()}, {soffice}"


class PeakMemory:
    """Largest total RSS of a process and its descendants while it runs."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, tree_rss(self.pid))

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def tree_rss(root):
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError):
                continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def timed(command, cwd, env=None):
    """Wall seconds and peak tree memory of one command; fails loudly."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    _, err = process.communicate()
    seconds, peak = time.perf_counter() - started, memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{err.decode(errors='replace')}")
    return seconds, peak


def bare(docx, outdir):
    return ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]


def one_document(work, rounds):
    (record,) = load(SEED)
    docx = work / "4482-SYT-VP.docx"
    docx.write_bytes(Renderer().render(record))
    timed(bare(docx, work / "bare"), work)  # warm the default profile and the disk cache
    timed(VANTHU + ["render", str(SEED), "-o", str(work / "warm.pdf")], work)
    rows = {"bare soffice": [], "vanthu render (new process)": [], "docx_to_pdf (core, in process)": []}
    for _ in range(rounds):
        rows["bare soffice"].append(timed(bare(docx, work / "bare"), work))
        time.sleep(SETTLE)
        rows["vanthu render (new process)"].append(
            timed(VANTHU + ["render", str(SEED), "-o", str(work / "one.pdf")], work))
        time.sleep(SETTLE)
        started = time.perf_counter()
        docx_to_pdf(docx.read_bytes(), info_of(record))
        rows["docx_to_pdf (core, in process)"].append((time.perf_counter() - started, 0))
        time.sleep(SETTLE)
    return rows


def form_rows(path, count):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organization", "manager_name", "position", "phone", "email"])
        for n in range(1, count + 1):
            out.writerow([f"Trung tâm Kiểm soát bệnh tật tỉnh số {n}", f"Nguyễn Thị Minh Hạnh {n}",
                          "Trưởng khoa Kiểm soát bệnh truyền nhiễm", "0912 345 678", f"cdc{n}@soyte.gov.vn"])


def batch(work, count, rounds, sample):
    """Rounds interleave the contenders, so that the machine's noise hits them all alike."""
    form, rows, docx = work / "mau.yaml", work / "rows.csv", work / "form.docx"
    form.write_text(FORM, encoding="utf-8")
    form_rows(rows, count)
    node = yamlfile.loads(FORM + "  organization: Trung tâm Kiểm soát bệnh tật tỉnh số 1\n")
    docx.write_bytes(Renderer().render(RecordReader().read(node, "bench")))
    command = VANTHU + ["render", str(form), "--data", str(rows), "-o", str(work / "b.pdf")]
    results = {}
    for _ in range(rounds):
        for workers in sorted({1, os.cpu_count() or 1}):
            env = {**os.environ, "VANTHU_PDF_WORKERS": str(workers)}
            results.setdefault(f"vanthu, {workers} worker(s)", []).append(timed(command, work, env))
        bare_runs = results.setdefault("bare soffice, one process per file", [])
        bare_runs += [timed(bare(docx, work / "bare"), work) for _ in range(max(1, sample // rounds))]
    return results


def median(pairs, index=0):
    return statistics.median(p[index] for p in pairs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bare-sample", type=int, default=12)
    args = parser.parse_args()
    if not shutil.which("soffice"):
        raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui fonts-liberation2")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-pdf-") as tmp:
        work = Path(tmp)
        single = one_document(work, max(args.rounds, 7))
        base = median(single["bare soffice"])
        print(f"\n(a) one document, 4482/SYT-VP with its attached form, medians of {max(args.rounds, 7)} runs")
        for name, runs in single.items():
            mem = f", peak {median(runs, 1) / 2**20:.0f} MiB" if median(runs, 1) else ""
            print(f"  {name:34s} {median(runs):6.2f} s  ({median(runs) / base:.2f}x bare){mem}")
        many = batch(work, args.count, args.rounds, args.bare_sample)
        per_file = median(many.pop("bare soffice, one process per file"))
        print(f"\n(b) {args.count} filled forms (mail merge), medians of {args.rounds} runs")
        print(f"  bare soffice, one process per file {per_file:6.3f} s/doc (median of {args.bare_sample} files)")
        for name, runs in many.items():
            seconds = median(runs)
            print(f"  {name:34s} {seconds:6.2f} s total, {seconds / args.count:6.3f} s/doc, "
                  f"{per_file / (seconds / args.count):5.1f}x faster, peak {median(runs, 1) / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
