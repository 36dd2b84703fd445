"""The search half of bench/province.py: PostgreSQL at a province's size beside the Whoosh index.

    python bench/province_search.py --url postgresql://... [--docs 1000000] [--whoosh-docs 100000]

The documents are bench/search_corpus.py's (about 300 syllables each),
made by ``--procs`` workers, each a slice with its own seed and COPYed into
the search table the way ``vanthu reindex`` fills it (vanthu.search.pg.store:
the same rows, the GIN index made after the load). The queries are those of
bench/search.py, timed as there: parse, plan, rows, scores and results, per
query, on a warm connection; the Whoosh index of ``--whoosh-docs`` documents
is built and timed in the same run. ``--keep`` reuses tables already loaded
with as many documents.
"""
import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search_corpus import Corpus  # noqa: E402

GOALS = {"word": 100.0, "combined": 200.0}  # p95 in ms at 1,000,000 documents (issue 15)


def _slice(args):
    """One worker: documents ``start..end`` COPYed into the new table; its statistics back."""
    url, start, end, seed = args
    from vanthu.search.pg import store
    from vanthu.search.pg.rows import Row, Statistics
    import psycopg
    corpus, rng, stats = Corpus(end), random.Random(seed), Statistics()
    with psycopg.connect(url) as conn:  # its own: the parent's is not to be shared across fork
        store.copy_rows(conn, "search_documents_new", (Row(corpus.document(i, rng)) for i in range(start, end + 1)),
                        stats)
    return stats


def load(url, n, procs):
    """The search tables of ``n`` generated documents; seconds for the rows and for the indexes."""
    from vanthu.search.pg import store
    from vanthu.search.pg.rows import Statistics
    conn = store.connection(url)
    store.make_tables(conn, "_new")
    bounds = [(1 + n * k // (procs * 8), n * (k + 1) // (procs * 8)) for k in range(procs * 8)]
    started = time.perf_counter()
    stats = Statistics()
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        for done, part in enumerate(pool.imap_unordered(_slice, [(url, a, b, 2020 + a) for a, b in bounds]), 1):
            stats.merge(part)
            print(f"  loaded {done}/{len(bounds)} slices, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with conn.transaction():
        store.write_terms(conn, "search_terms_new", stats)
    rows_s = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    store.make_indexes(conn, "_new")
    store.swap_in(conn, "_new", stats, None)
    return rows_s, time.perf_counter() - started


def loaded(url):
    from vanthu.search.pg import store
    return store.totals(store.connection(url))[0]


def sizes(url):
    from vanthu.search.pg import store
    conn = store.connection(url)
    table = conn.execute("SELECT pg_total_relation_size('search_documents') - pg_indexes_size('search_documents'),"
                         " pg_relation_size('search_documents_terms'), pg_total_relation_size('search_terms')").fetchone()
    return [v / 2**20 for v in table]


def sample_numbers(url, count, seed=11):
    from vanthu.search.pg import store
    conn = store.connection(url)
    total = loaded(url)
    rng = random.Random(seed)
    ids = [rng.randrange(1, total + 1) for _ in range(count)]
    found = dict(conn.execute("SELECT doc_id, number FROM search_documents WHERE doc_id = ANY(%s)", (ids,)).fetchall())
    return [found[i] for i in ids if i in found]


def time_postgres(url, queries, numbers):
    """Seconds per query on the server, as bench/search.py times the Whoosh index."""
    from vanthu.search.pg import store
    from vanthu.search.pg.run import Searcher
    from vanthu.search.query import Filters, parse
    from vanthu.search.searching import result_of as _result
    conn = store.connection(url)

    def run(text, filters=Filters()):
        started = time.perf_counter()
        parsed = parse(text, filters)
        hits = Searcher(conn).run(parsed, 10)
        [_result(stored, score, parsed.words) for stored, score in hits]
        return time.perf_counter() - started

    run("khởi động")
    out = {"word": [run(w) for w in queries["word"]],
           "phrase2": [run(f'"{p}"') for p in queries["phrase2"]],
           "phrase3": [run(f'"{p}"') for p in queries["phrase3"]],
           "number": [run(n.lower().replace("/", " /")) for n in numbers],
           "date": [run("", Filters(date_from=m, date_to=m)) for m in queries["date"]],
           "combined": [run(f'"{p}"', Filters(date_from=m, date_to=m, type=t)) for p, m, t in queries["combined"]]}
    return out


def time_whoosh(n, queries):
    """Build the Whoosh index of ``n`` documents (a child process) and time the same queries on it."""
    import tempfile
    import search as whoosh_bench
    home = Path(tempfile.mkdtemp(prefix="vanthu-province-"))
    build = whoosh_bench.timed_build("vanthu", home / "vanthu", n)
    numbers = whoosh_bench.sample_numbers(home / "vanthu", len(queries["word"]))
    times = whoosh_bench.time_vanthu(home / "vanthu", queries, numbers)
    import shutil
    shutil.rmtree(home)
    return build, times


NAMES = {"word": "one word", "phrase2": "two-syllable phrase", "phrase3": "three-syllable phrase",
         "number": "number", "date": "date range (a month)", "combined": "phrase + month + type"}


def report(n, whoosh_n, load_times, pg_times, whoosh_build, whoosh_times, size, machine):
    from search import _ms
    lines = [f"PostgreSQL: {n:,} generated documents; Whoosh: {whoosh_n:,}. Machine: {machine}.", ""]
    if load_times:
        lines.append(f"Load ({n:,} documents, COPY from {os.cpu_count()} workers): rows {load_times[0]:.0f} s, "
                     f"GIN and other indexes {load_times[1]:.0f} s. Whoosh build ({whoosh_n:,}): "
                     f"{whoosh_build[0]:.0f} s (load {whoosh_build[2]:.1f} at its start).")
    lines.append(f"Sizes: table (with TOAST) {size[0]:,.0f} MB, GIN index {size[1]:,.0f} MB, term statistics "
                 f"{size[2]:,.0f} MB.")
    lines += ["", f"| query (10 results) | PostgreSQL, {n:,} p50 / p95 | Whoosh, {whoosh_n:,} p50 / p95 | goal (p95) |",
              "|---|---|---|---|"]
    for kind, name in NAMES.items():
        (p50, p95), (w50, w95) = _ms(pg_times[kind]), _ms(whoosh_times[kind])
        goal = f"≤ {GOALS[kind]:.0f} ms {'(met)' if p95 <= GOALS[kind] else '(missed)'}" if kind in GOALS else ""
        lines.append(f"| {name} | {p50:.1f} / {p95:.1f} ms | {w50:.1f} / {w95:.1f} ms | {goal} |")
    return "\n".join(lines)


def pg_report(n, pg_times):
    from search import _ms
    lines = [f"| query (10 results) | PostgreSQL, {n:,} p50 / p95 |", "|---|---|"]
    lines += [f"| {name} | {_ms(pg_times[kind])[0]:.1f} / {_ms(pg_times[kind])[1]:.1f} ms |" for kind, name in NAMES.items()]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("VANTHU_BENCH_PG") or os.environ.get("VANTHU_TEST_PG"))
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--whoosh-docs", type=int, default=100_000, help="0: PostgreSQL only")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="reuse loaded tables of as many documents")
    args = parser.parse_args(argv)
    if not args.url:
        raise SystemExit("--url postgresql://... (or VANTHU_BENCH_PG) is needed")
    print(run(args))


def run(args):
    from search import machine, pick_queries
    description = machine()
    load_times = None
    if not (args.keep and loaded(args.url) == args.docs):
        load_times = load(args.url, args.docs, args.procs)
        print(f"loaded: rows {load_times[0]:.0f} s, indexes {load_times[1]:.0f} s", file=sys.stderr)
    queries = pick_queries(args.queries)
    pg_times = time_postgres(args.url, queries, sample_numbers(args.url, args.queries))
    print(pg_report(args.docs, pg_times), file=sys.stderr)  # before the Whoosh build, in case it is cut short
    if not args.whoosh_docs:
        return pg_report(args.docs, pg_times)
    whoosh_build, whoosh_times = time_whoosh(args.whoosh_docs, queries)
    return report(args.docs, args.whoosh_docs, load_times, pg_times, whoosh_build or (0, 0, 0), whoosh_times,
                  sizes(args.url), description)


if __name__ == "__main__":
    main()
