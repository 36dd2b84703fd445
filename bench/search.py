"""Benchmark of the search index: vanthu's against a naive Whoosh index, one run.

    python bench/search.py [--docs 100000] [--queries 40] [--out DIR]

Both indexes get the same generated archive (bench/search_corpus.py:
Vietnamese administrative vocabulary, about 300 syllables a document). The
naive one is what Whoosh gives by default: StandardAnalyzer with accent
folding, positions for phrases, no syllable pairs, the default writer.
Each build runs in its own process; its peak memory is the sum of the
resident memory of the process and its children, sampled every 0.1 s.
Query times are per query, on a warm searcher, as wall time and as CPU time
(``time.process_time``: on a shared machine the wall time is mostly waiting
for a core); the load average is printed at the start of each part. The whole
``vanthu search`` command is timed as a subprocess: the console script
installed beside this Python (not a version manager's shim), with bytecode
caching on as an installed package has it (one run first to write it), its
CPU time read from the children's resource usage. Prints a Markdown report.
"""
import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search_corpus import WORDS, Corpus  # noqa: E402  (bench/ is not a package)

GOALS = {"build_ratio": 3.0, "build_s": 90, "peak_mb": 400, "phrase2_p95_ms": 30, "phrase2_ratio": 50,
         "word_p95_ms": 20, "number_p95_ms": 1, "date_p95_ms": 10, "command_median_s": 0.4}


# --- building, each in a child process ---------------------------------------

def build_vanthu(home, n):
    from vanthu.search.index import rebuild
    rebuild(home, Corpus(n))


def naive_schema():
    from whoosh import fields
    from whoosh.analysis import CharsetFilter, StandardAnalyzer
    from whoosh.support.charset import accent_map
    analyzer = StandardAnalyzer() | CharsetFilter(accent_map)
    return fields.Schema(
        doc_id=fields.ID(stored=True, unique=True), number_key=fields.ID(), number=fields.STORED(),
        date=fields.NUMERIC(int, bits=32, stored=True, sortable=True), year=fields.ID(),
        issuer=fields.TEXT(analyzer=analyzer), issuer_code=fields.ID(), type_key=fields.ID(),
        subject=fields.TEXT(analyzer=analyzer, stored=True), signer=fields.TEXT(analyzer=analyzer),
        direction=fields.ID(stored=True), body=fields.TEXT(analyzer=analyzer, stored=True))


def build_naive(home, n):
    from whoosh import index
    from vanthu.search.schema import date_value, keyword
    os.makedirs(home, exist_ok=True)
    ix = index.create_in(home, naive_schema())
    writer = ix.writer()
    for d in Corpus(n):
        writer.add_document(
            doc_id=str(d.id), number_key=d.number.key, number=str(d.number), date=date_value(d.date),
            year=str(d.year), issuer=d.issuer_name, issuer_code=d.issuer_code, type_key=keyword(d.type_name),
            subject=d.subject, signer=d.signer, direction=d.direction,
            body=d.body if not d.is_secret else "")
    writer.commit()


def _rss_tree_mb(pid):
    """Resident memory of a process and all its descendants, in MB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 2**20


def timed_build(kind, home, n):
    """Wall time and peak memory (process tree) of one build, run as a child process."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import search; search.build_{kind}({str(home)!r}, {n})"
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code])
    peak, done = [0.0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_tree_mb(child.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = child.wait()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if code:
        raise SystemExit(f"{kind} build failed ({code})")
    return elapsed, peak[0], load


# --- queries ------------------------------------------------------------------

def pick_queries(count, seed=7):
    """Words, phrases and months drawn from the generated vocabulary."""
    rng = random.Random(seed)
    singles = sorted({s for w in WORDS for s in w.split()})
    twos = [w for w in WORDS if w.count(" ") == 1]
    threes = [" ".join(w.split()[:3]) for w in WORDS if w.count(" ") >= 2]
    months = [f"{m}/{y}" for y in range(2015, 2025) for m in range(1, 13)]
    return {
        "word": [rng.choice(singles) for _ in range(count)],
        "phrase2": [rng.choice(twos) for _ in range(count)],
        "phrase3": [rng.choice(threes) for _ in range(count)],
        "date": [rng.choice(months) for _ in range(count)],
        "combined": [(rng.choice(twos), rng.choice(months[:60]), rng.choice(["Công văn", "Quyết định"]))
                     for _ in range(count)],
    }


def _ms(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_vanthu(home, queries, numbers):
    from vanthu.search.index import open_index
    from vanthu.search.query import Filters, parse
    from vanthu.search.searching import _result, _run

    ix = open_index(home)
    out = {}
    with ix.searcher() as searcher:
        def run(text, filters=Filters()):
            parsed = parse(text, filters)
            hits = _run(searcher, parsed, 10)
            return [_result(stored, score, parsed.words) for stored, score in hits]

        run("khởi động")  # warm the caches once
        _timed(out, "word", run, queries["word"])
        _timed(out, "phrase2", run, [f'"{p}"' for p in queries["phrase2"]])
        _timed(out, "phrase3", run, [f'"{p}"' for p in queries["phrase3"]])
        _timed(out, "number", run, [n.lower().replace("/", " /") for n in numbers])
        _timed(out, "date", lambda m: run("", Filters(date_from=m, date_to=m)), queries["date"])
        _timed(out, "combined", lambda c: run(f'"{c[0]}"', Filters(date_from=c[1], date_to=c[1], type=c[2])),
               queries["combined"])
    return out


def _timed(out, kind, run, inputs):
    """Wall and CPU seconds of ``run`` on each input: ``out[kind]`` and ``out[kind + "_cpu"]``."""
    out[kind], out[f"{kind}_cpu"] = [], []
    for value in inputs:
        wall, cpu = time.perf_counter(), time.process_time()
        run(value)
        out[f"{kind}_cpu"].append(time.process_time() - cpu)
        out[kind].append(time.perf_counter() - wall)


def time_naive(home, queries, numbers):
    from whoosh import index
    from whoosh import query as q
    from whoosh.highlight import ContextFragmenter, UppercaseFormatter
    from vanthu.docnumber import normalize_key
    from vanthu.search.analysis import fold
    from vanthu.search.schema import date_value, keyword
    from vanthu.vndate import parse_range

    ix = index.open_dir(home)
    out = {}
    with ix.searcher() as searcher:
        def run(query, words=()):
            hits = searcher.search(query, limit=10)
            hits.fragmenter, hits.formatter = ContextFragmenter(), UppercaseFormatter()
            for hit in hits:
                hit.highlights("body") if words else hit["number"]

        def phrase(text):
            return q.Phrase("body", fold(text).split())

        def month(m):
            low, high = parse_range(m)
            return q.NumericRange("date", date_value(low), date_value(high))

        run(q.Term("body", "khoi"), True)
        _timed(out, "word", lambda w: run(q.Term("body", fold(w)), True), queries["word"])
        _timed(out, "phrase2", lambda p: run(phrase(p), True), queries["phrase2"])
        _timed(out, "phrase3", lambda p: run(phrase(p), True), queries["phrase3"])
        _timed(out, "number", lambda n: run(q.Term("number_key", normalize_key(n))), numbers)
        _timed(out, "date", lambda m: run(month(m)), queries["date"])
        _timed(out, "combined", lambda c: run(q.And([phrase(c[0]), month(c[1]), q.Term("type_key", keyword(c[2]))]), True),
               queries["combined"])
    return out


def sample_numbers(home, count, seed=11):
    from vanthu.search.index import open_index
    ix = open_index(home)
    with ix.searcher() as searcher:
        total = searcher.doc_count_all()
        rng = random.Random(seed)
        return [searcher.stored_fields(rng.randrange(total))["number"] for _ in range(count)]


def vanthu_command():
    """The ``vanthu`` console script of this Python; else whatever ``vanthu`` is on the PATH."""
    beside = Path(sys.executable).parent / "vanthu"
    return str(beside) if beside.exists() else "vanthu"


def time_command(home, runs=15):
    """The whole ``vanthu search`` command, from process start to exit:
    ``(median wall, max wall, median CPU)`` seconds."""
    from vanthu.archive.feed import Feed
    from vanthu.search.index import _record_applied, index_dir
    # the bench's home has no archive: record its (empty) log as applied, or the search would rebuild
    _record_applied(index_dir(home), Feed(home).position())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # installed: bytecode cached
    env["VANTHU_HOME"] = str(home)
    command = [vanthu_command(), "search", "truy vết", "--limit", "10"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # writes the bytecode, as pip does
    walls, cpus = [], []
    for i in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), max(walls), statistics.median(cpus)


# --- report -------------------------------------------------------------------

def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores, {model}, {mem} MB RAM, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f} at start"


def report(n, build, times, command, sizes, loads):
    lines = [f"Archive: {n:,} generated documents. Machine: {machine()}.",
             "Load average (1 min) at the start of: " + ", ".join(f"{k} {v:.1f}" for k, v in loads.items()) + ".", "",
             "| | vanthu | naive Whoosh | ratio | goal |", "|---|---|---|---|---|"]
    (vt, vm, vl), (nt, nm, nl) = build["vanthu"], build["naive"]
    lines.append(f"| build time (load average at its start) | {vt:.0f} s ({vl:.1f}) | {nt:.0f} s ({nl:.1f}) | "
                 f"{nt / vt:.1f}× faster | ≥3×, ≤90 s |")
    lines.append(f"| build peak memory (process tree) | {vm:.0f} MB | {nm:.0f} MB | | ≤400 MB |")
    lines.append(f"| index size | {sizes['vanthu']:.0f} MB | {sizes['naive']:.0f} MB | | |")
    goals = {"word": "p95 ≤20 ms", "phrase2": "p95 ≤30 ms, ≥50× faster", "phrase3": "", "number": "≤1 ms",
             "date": "≤10 ms", "combined": ""}
    names = {"word": "one word", "phrase2": "two-syllable phrase", "phrase3": "three-syllable phrase",
             "number": "number", "date": "date range (a month)", "combined": "phrase + month + type"}
    for kind in names:
        (v50, v95), (n50, n95) = _ms(times["vanthu"][kind]), _ms(times["naive"][kind])
        lines.append(f"| {names[kind]} p50 / p95 | {v50:.1f} / {v95:.1f} ms | {n50:.1f} / {n95:.1f} ms | "
                     f"{_ratio(n50, v50)} / {_ratio(n95, v95)} | {goals[kind]} |")
        (v50, v95), (n50, n95) = _ms(times["vanthu"][f"{kind}_cpu"]), _ms(times["naive"][f"{kind}_cpu"])
        lines.append(f"| {names[kind]} CPU p50 / p95 | {v50:.1f} / {v95:.1f} ms | {n50:.1f} / {n95:.1f} ms | "
                     f"{_ratio(n50, v50)} / {_ratio(n95, v95)} | |")
    lines.append(f"| `vanthu search \"truy vết\"` whole command, median (max) of 15 | "
                 f"{command[0]:.2f} s ({command[1]:.2f} s) | | | ≤0.4 s |")
    lines.append(f"| the same, CPU time (user + system), median | {command[2]:.2f} s | | | |")
    return "\n".join(lines)


def _ratio(a, b):
    if b <= 0:
        return "–"  # a query too fast for the clock
    return f"{a / b:.1f}×" if a / b < 10 else f"{a / b:.0f}×"


def _size_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--out", help="keep the indexes in this folder (default: a temporary one)")
    parser.add_argument("--json", help="also write the raw numbers to this file")
    args = parser.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="vanthu-bench-"))
    shutil.rmtree(work / "vanthu", ignore_errors=True)
    shutil.rmtree(work / "naive", ignore_errors=True)
    build = {"vanthu": timed_build("vanthu", work / "vanthu", args.docs)}
    print(f"vanthu build: {build['vanthu'][0]:.1f} s, peak {build['vanthu'][1]:.0f} MB", file=sys.stderr)
    build["naive"] = timed_build("naive", work / "naive", args.docs)
    print(f"naive build: {build['naive'][0]:.1f} s, peak {build['naive'][1]:.0f} MB", file=sys.stderr)
    queries = pick_queries(args.queries)
    numbers = sample_numbers(work / "vanthu", args.queries)
    loads = {"vanthu queries": os.getloadavg()[0]}
    times = {"vanthu": time_vanthu(work / "vanthu", queries, numbers)}
    loads["naive queries"] = os.getloadavg()[0]
    times["naive"] = time_naive(work / "naive", queries, numbers)
    loads["whole command"] = os.getloadavg()[0]
    command = time_command(work / "vanthu")
    loads["end"] = os.getloadavg()[0]
    sizes = {"vanthu": _size_mb(work / "vanthu" / "index"), "naive": _size_mb(work / "naive")}
    print(report(args.docs, build, times, command, sizes, loads))
    if args.json:
        Path(args.json).write_text(json.dumps({"build": build, "times": times, "command": command, "sizes": sizes,
                                               "loads": loads}))
    if not args.out:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
