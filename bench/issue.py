#!/usr/bin/env python3
"""Benchmark: issuing into the archive (ban hành vào kho), and number allocation under concurrency.

Each scenario runs in a fresh process and a fresh archive home:

* ``docx-each``: COUNT issues of the seed dispatch, one ``issue()`` call (one
  transaction, as ``vanthu issue`` does) per document, real DOCX renderer;
* ``docx-batch``: the same COUNT documents in one ``issue()`` call;
* ``pdf-batch``: PDF_COUNT documents, DOCX + PDF, in one call (one LibreOffice
  batch, a process per core);
* ``alloc-4``: PROCS processes each taking COUNT/PROCS numbers at once, one
  transaction per number, storing a tiny file per document (no rendering, no
  index): the allocation path itself.

Search indexing is off unless ``--index`` (bench/search_corpus.py measures
the index). Prints issues/s and peak memory (ru_maxrss of the Python process; LibreOffice
separately). ``--json`` for machines.

    python bench/issue.py [--count 1000] [--pdf-count 1000] [--procs 4]
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "data" / "4482-SYT-VP.yaml"
SAME_RECORD_AGAIN = {"again": True, "other_year": True}  # the seed (dated 2020) issued again and again, on purpose


def _records(count):
    from vanthu.generator.records import load
    seed = load(SEED)[0]
    values = {k: v for k, v in seed.values.items() if k != "number"}
    return [type(seed)(seed.template, values, seed.source, seed.line, seed.attachments) for _ in range(count)]


class _TinyRenderer:
    def render(self, record):
        return f"{record.number.line}\n".encode("utf-8")


def scenario(name, home, count, go=None, index=False):
    """Run one scenario in this process; returns its measurements."""
    from vanthu.archive.issuing import issue
    from vanthu.archive.pdfexport import convert
    from vanthu.generator.render import Renderer
    records = _records(count)
    if go:  # concurrent workers start together
        while not Path(go).exists():
            time.sleep(0.005)
    start = time.perf_counter()
    if name == "docx-each":
        renderer = Renderer()
        for record in records:
            issue([record], home, renderer=renderer, index=index, **SAME_RECORD_AGAIN)
    elif name == "docx-batch":
        issue(records, home, renderer=Renderer(), index=index, **SAME_RECORD_AGAIN)
    elif name == "pdf-batch":
        issue(records, home, renderer=Renderer(), to_pdf=convert, index=index, **SAME_RECORD_AGAIN)
    elif name == "alloc":
        for record in records:
            issue([record], home, renderer=_TinyRenderer(), index=False, **SAME_RECORD_AGAIN)
    seconds = time.perf_counter() - start
    return {"scenario": name, "count": count, "seconds": seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _child(name, home, count, go=None, index=False):
    command = [sys.executable, __file__, "--child", name, "--home", str(home), "--count", str(count)]
    if index:
        command.append("--index")
    if go:
        command += ["--go", str(go)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _result(process):
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"worker failed ({process.returncode})")
    return json.loads(out)


def run_single(name, count, workdir, index):
    return _result(_child(name, Path(workdir) / name, count, index=index))


def run_concurrent(procs, count, workdir):
    home, go = Path(workdir) / "alloc", Path(workdir) / "go"
    workers = [_child("alloc", home, count // procs, go) for _ in range(procs)]
    time.sleep(1.0)  # let every worker import and wait at the line
    go.touch()
    start = time.perf_counter()
    results = [_result(w) for w in workers]
    wall = time.perf_counter() - start
    numbers = _numbers(home)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == procs * (count // procs), "numbering broken"
    return {"scenario": f"alloc-{procs}", "count": len(numbers), "seconds": wall,
            "peak_mb": max(r["peak_mb"] for r in results), "children_peak_mb": 0.0}


def _numbers(home):
    import sqlite3
    conn = sqlite3.connect(str(home / "vanthu.sqlite3"))
    return sorted(r[0] for r in conn.execute("SELECT serial FROM documents"))


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--pdf-count", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--only", help="run one scenario: docx-each, docx-batch, pdf-batch, alloc")
    parser.add_argument("--index", action="store_true", help="also update the search index after each commit")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--go", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scenario(args.child, args.home, args.count, args.go, args.index)))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-") as workdir:
        plan = [("docx-each", args.count), ("docx-batch", args.count), ("pdf-batch", args.pdf_count)]
        for name, count in plan:
            if count and (not args.only or args.only == name):
                results.append(run_single(name, count, workdir, args.index))
        if not args.only or args.only == "alloc":
            results.append(run_concurrent(args.procs, args.count, workdir))
    if args.json:
        print(json.dumps({"machine": machine(), "results": results}, ensure_ascii=False, indent=1))
        return
    print(machine())
    print(f"{'scenario':<12} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'peak MB':>8} {'LO peak MB':>10}")
    for r in results:
        print(f"{r['scenario']:<12} {r['count']:>6} {r['seconds']:>8.1f} {r['count'] / r['seconds']:>8.1f} "
              f"{r['peak_mb']:>8.0f} {r['children_peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
