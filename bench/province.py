#!/usr/bin/env python3
"""Benchmark: a province on PostgreSQL beside one office on SQLite (issue 15), in one run.

Parts, each one function, run in order by :func:`main` (``--part NAME`` picks some):

* ``numbering`` (:func:`numbering`): allocations per second with 1, 4 and 16
  issuers issuing at once, one process per issuer (its own series), each
  issue one transaction (number taken, a tiny file stored, the row and the
  log entry written, committed), no rendering and no index: the allocation
  path itself. The same total of documents is split among the issuers, on a
  fresh SQLite home and on a fresh PostgreSQL database; median of ``--repeat``
  runs, and the PostgreSQL/SQLite ratio.
* ``search`` (:func:`search`, bench/province_search.py): search p50/p95 on
  PostgreSQL at ``--search-docs`` generated documents (1,000,000) beside the
  Whoosh index at ``--whoosh-docs`` (100,000), the same queries, in a database
  ``vanthu_bench_search`` on the server (kept: ``--keep`` reuses it when it
  holds as many documents; loading a million takes tens of minutes).

PostgreSQL: ``--pg URL`` names a server where the benchmark may create and
drop databases; else ``VANTHU_TEST_PG``; else run it under a throwaway cluster:

    PG_DURABLE=1 scripts/with-postgres.sh python bench/province.py [--total 480] [--repeat 3] [--json]

(``PG_DURABLE=1``: the cluster keeps fsync on, as SQLite keeps ``synchronous=FULL``.)
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

ISSUER_COUNTS = (1, 4, 16)

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import archivekit as k
    from archivekit import issue_past as issue
    home, go, code, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    records = [k.record(date="2020-06-01", code=code) for _ in range(count)]
    issue([k.record(date="2020-05-01", code=code)], home, renderer=k.BytesRenderer(), index=False)  # warm: opened, imported
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.002)
    for record in records:
        issue([record], home, renderer=k.BytesRenderer(), index=False)
""")


# --- PostgreSQL databases for the runs -------------------------------------------------

def server_url(args):
    url = args.pg or os.environ.get("VANTHU_TEST_PG")
    if not url:
        sys.exit("bench/province.py: cần PostgreSQL: --pg URL, VANTHU_TEST_PG, hoặc chạy qua scripts/with-postgres.sh")
    return url


def fresh_database(url):
    """A new empty database on the server; its URL."""
    import psycopg
    name = f"vanthu_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{url.rpartition('/')[0]}/{name}", name


def drop_database(url, name):
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- part: numbering -------------------------------------------------------------------

def allocation_run(backend, issuers, total, server):
    """One run: ``issuers`` processes at once, ``total`` numbers between them; allocations/s."""
    with tempfile.TemporaryDirectory(prefix="vanthu-province-") as folder:
        home, go = Path(folder) / "home", Path(folder) / "go"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
        env.pop("VANTHU_DB", None)
        name = None
        if backend == "postgresql":
            env["VANTHU_DB"], name = fresh_database(server)
        try:
            return _timed_workers(home, go, env, issuers, total)
        finally:
            if name:
                drop_database(server, name)


def _timed_workers(home, go, env, issuers, total):
    subprocess.run([sys.executable, "-c", "from vanthu.archive.home import opened\nwith opened(%r): pass" % str(home)],
                   env=env, check=True)  # the home and its schema made before the clock starts
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(home), str(go), f"S{i:02d}", str(total // issuers)],
                                env=env, stdout=subprocess.PIPE, text=True) for i in range(issuers)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    go.touch()
    codes = [worker.wait() for worker in workers]
    elapsed = time.perf_counter() - started
    if codes != [0] * issuers:
        raise SystemExit(f"a worker failed: {codes}")
    return (total // issuers) * issuers / elapsed


def numbering(args):
    """Allocations/s with 1, 4, 16 concurrent issuers, SQLite vs PostgreSQL, medians of ``--repeat`` runs."""
    server = server_url(args)
    results = {}
    for issuers in ISSUER_COUNTS:
        for backend in ("sqlite", "postgresql"):
            runs = [allocation_run(backend, issuers, args.total, server) for _ in range(args.repeat)]
            results[f"{backend}-{issuers}"] = {"median": statistics.median(runs), "runs": runs}
            print(f"  {backend:10s} {issuers:2d} issuers: {statistics.median(runs):7.1f} allocations/s "
                  f"(runs: {', '.join(f'{r:.1f}' for r in runs)})", file=sys.stderr)
        ratio = results[f"postgresql-{issuers}"]["median"] / results[f"sqlite-{issuers}"]["median"]
        results[f"ratio-{issuers}"] = ratio
        print(f"  PostgreSQL/SQLite at {issuers} issuers: {ratio:.2f}x", file=sys.stderr)
    return results


# --- part: search ----------------------------------------------------------------------

SEARCH_DATABASE = "vanthu_bench_search"


def search(args):
    """Search p50/p95 on PostgreSQL at ``--search-docs`` beside Whoosh at ``--whoosh-docs`` (province_search)."""
    import psycopg
    import province_search
    server = server_url(args)
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (SEARCH_DATABASE,)).fetchone():
            conn.execute(f"CREATE DATABASE {SEARCH_DATABASE}")
    options = argparse.Namespace(url=f"{server.rpartition('/')[0]}/{SEARCH_DATABASE}", docs=args.search_docs,
                                 whoosh_docs=args.whoosh_docs, queries=args.queries, procs=args.procs, keep=args.keep,
                                 distinct=args.distinct, whoosh_home=args.whoosh_home)
    found = province_search.measure(options)
    print(province_search.run_report(found), file=sys.stderr)
    return {key: found[key] for key in ("docs", "distinct", "whoosh_docs", "machine", "load", "sizes", "loadavg",
                                        "summary")}


PARTS = {"numbering": numbering, "search": search}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL server URL (a role that may create databases)")
    parser.add_argument("--total", type=int, default=480, help="numbers taken per run, split among the issuers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--search-docs", type=int, default=1_000_000, help="search: documents on PostgreSQL")
    parser.add_argument("--whoosh-docs", type=int, default=100_000, help="search: documents in the Whoosh index (0: none)")
    parser.add_argument("--queries", type=int, default=40, help="search: queries of each kind")
    parser.add_argument("--procs", type=int, default=2, help="search: processes loading the documents")
    parser.add_argument("--keep", action="store_true", help="search: reuse the loaded table if it has as many")
    parser.add_argument("--whoosh-home", help="search: keep the Whoosh index in this folder (reused if built there)")
    parser.add_argument("--distinct", type=int, help="search: generate only this many documents, the rest copies "
                        "with other ids, numbers and dates (bench/province_search.load)")
    parser.add_argument("--part", action="append", choices=sorted(PARTS), help="run only this part (repeatable)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load": os.getloadavg()[0]}}
    for name in args.part or PARTS:
        print(f"{name}:", file=sys.stderr)
        report[name] = PARTS[name](args)
    if args.json:
        print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
