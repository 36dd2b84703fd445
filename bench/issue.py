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
  index): the allocation path itself;
* ``pdf-each`` and ``signed``: SIGN_COUNT documents one at a time, either
  issued with a plain PDF (``vanthu issue x.yaml``), or signed and issued
  electronically (a submitted draft; timed: the leader signs with a PKCS#12
  key, the văn thư issues: number and date filled, the organisation signs).
  Time in LibreOffice (the PDF itself) is measured and taken out of both; the
  difference of the per-document medians is what signing and issuing add
  beyond the PDF (the goal: at most 0.3 s). The CPU time of the Python process
  is reported too: on a loaded machine it says more than the wall clock.

Search indexing is off unless ``--index`` (bench/search_corpus.py measures
the index). Prints issues/s and peak memory (ru_maxrss of the Python process; LibreOffice
separately). ``--json`` for machines.

    python bench/issue.py [--count 1000] [--pdf-count 1000] [--procs 4] [--sign-count 10]
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
    elif name in ("pdf-each", "signed"):
        return _one_by_one(name, home, records, index)
    seconds = time.perf_counter() - start
    return {"scenario": name, "count": count, "seconds": seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _one_by_one(name, home, records, index):
    """Per-document times (the first document warms LibreOffice and the fonts up, and is left out)."""
    import statistics
    from vanthu.archive.issuing import issue
    from vanthu.archive.pdfexport import convert
    from vanthu.generator.render import Renderer
    signed = _SignedPath(home, index) if name == "signed" else None
    times, beyond, renderer, pdf = [], [], Renderer(), _Stopwatch()
    convert_timed = pdf.timed(convert)
    if signed:
        from vanthu.signing import document
        document.draft_pdf = pdf.timed(document.draft_pdf)
    cpu = []
    for record in records:
        draft = signed.submitted() if signed else None  # drafting and trình ký are not signing: untimed
        start, started_cpu, pdf.seconds = time.perf_counter(), time.process_time(), 0.0
        if signed:
            signed.sign_and_issue(draft)
        else:
            issue([record], home, renderer=renderer, to_pdf=convert_timed, index=index, **SAME_RECORD_AGAIN)
        times.append(time.perf_counter() - start)
        beyond.append(times[-1] - pdf.seconds)
        cpu.append(time.process_time() - started_cpu)  # this process only: LibreOffice's CPU is its own
    kept, kept_beyond = times[1:] or times, beyond[1:] or beyond
    return {"scenario": name, "count": len(records), "seconds": sum(times), "median": statistics.median(kept),
            "beyond_pdf": statistics.median(kept_beyond), "cpu": statistics.median(cpu[1:] or cpu),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


class _Stopwatch:
    """Time spent making the PDF itself (LibreOffice), to tell it from the rest."""

    seconds = 0.0

    def timed(self, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        return wrapper


class _SignedPath:
    """An office with a test CA, a leader (PKCS#12), an organisation key and seal: the electronic path."""

    def __init__(self, home, index):
        sys.path.insert(0, str(ROOT / "tests"))
        import signkit
        from vanthu.archive import people
        from vanthu.signing import signers
        self.home, folder = Path(home), Path(home).parent / "keys-src"
        folder.mkdir(parents=True, exist_ok=True)
        root = signkit.make_root()
        for name, role, full in (("hoa", "chuyen-vien", "Trần Thị Hoa"), ("vu", "lanh-dao", "Phan Huy Anh Vũ"),
                                 ("lan", "van-thu", "Nguyễn Thị Lan")):
            people.add(name, "mat-khau-dai-1", [role], self.home, full)
        leader = signkit.make_user(root, "Phan Huy Anh Vũ").p12(folder / "vu.p12", ca=root)
        org = signkit.make_user(root, "Sở Y tế tỉnh Đồng Nai").p12(folder / "syt.p12", ca=root)
        self.home_root = self.home.absolute()
        signers.register(self.home_root, "user", "vu", signkit.PASSWORD, p12=leader,
                      picture=signkit.signature_png(folder / "vu.png"))
        signers.register(self.home_root, "org", "SYT", signkit.PASSWORD, p12=org, picture=signkit.seal_png(folder / "dau.png"))
        self.pin, self.n, self.index = signkit.PASSWORD, 0, index

    def submitted(self):
        """A new draft (each says something new: the same content is refused a second number), submitted."""
        from vanthu.workflow import drafts, signoff
        self.n += 1
        text = (SEED.read_text(encoding="utf-8").replace("number: 4482\n", "").replace("date: 2020-08-06\n", "")
                .replace("subject: ", f"subject: (đợt {self.n}) "))
        draft = drafts.create(text, "hoa", self.home, signoff._built_in_library())  # as the web app: one library
        signoff.submit(draft.id, "vu", (), "hoa", self.home)
        return draft

    def sign_and_issue(self, draft):
        """``vanthu sign`` (its PDF is the PDF itself) then ``vanthu issue ID``."""
        from vanthu.workflow import signoff
        signoff.sign(draft.id, "vu", self.pin, self.home)
        return signoff.issue(draft.id, "lan", self.pin, self.home, index=self.index)


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
    parser.add_argument("--sign-count", type=int, default=10)
    parser.add_argument("--only", help="run one scenario: docx-each, docx-batch, pdf-batch, alloc, signed "
                        "(with pdf-each)")
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
        if args.sign_count and (not args.only or args.only == "signed"):
            results += [run_single(name, args.sign_count, workdir, args.index) for name in ("pdf-each", "signed")]
    if args.json:
        print(json.dumps({"machine": machine(), "results": results}, ensure_ascii=False, indent=1))
        return
    print(machine())
    print(f"{'scenario':<12} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'peak MB':>8} {'LO peak MB':>10}")
    for r in results:
        print(f"{r['scenario']:<12} {r['count']:>6} {r['seconds']:>8.1f} {r['count'] / r['seconds']:>8.1f} "
              f"{r['peak_mb']:>8.0f} {r['children_peak_mb']:>10.0f}")
    beyond = {r["scenario"]: r for r in results if "beyond_pdf" in r}
    if len(beyond) == 2:
        plain, signed = beyond["pdf-each"], beyond["signed"]
        print(f"per document (median): plain PDF issue {plain['median']:.3f} s ({plain['beyond_pdf']:.3f} s besides "
              f"LibreOffice), signed path {signed['median']:.3f} s ({signed['beyond_pdf']:.3f} s besides LibreOffice); "
              f"signing and issuing add {signed['beyond_pdf'] - plain['beyond_pdf']:.3f} s beyond the PDF (goal <= 0.3 s); "
              f"CPU of this process (LibreOffice not counted): {plain['cpu']:.3f} s vs {signed['cpu']:.3f} s, "
              f"+{signed['cpu'] - plain['cpu']:.3f} s")


if __name__ == "__main__":
    main()
