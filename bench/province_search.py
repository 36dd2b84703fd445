"""The search half of bench/province.py: PostgreSQL at a province's size beside the Whoosh index.

    python bench/province_search.py --url postgresql://... [--docs 1000000] [--distinct 100000]
                                    [--whoosh-docs 100000] [--whoosh-home DIR] [--keep]

The documents are bench/search_corpus.py's (about 300 syllables each),
made by ``--procs`` workers, each a slice with its own seed and COPYed into
the search table the way ``vanthu reindex`` fills it (vanthu.search.pg.store:
the same rows, the GIN index made after the load). With ``--distinct N``
only N documents are generated and analysed and the server makes the rest
as copies of them with other ids, numbers and dates (:func:`load`): a
million documents load in minutes rather than hours on two cores, and
every copy's row is still the one the analyzer gives that document
(checked on a sample). The queries are those of bench/search.py, timed as
there: parse, plan, rows, scores and results, per query, on a warm
connection, with the CPU time of this process and of its server backend;
the Whoosh index of ``--whoosh-docs`` documents is built and timed in the
same run (``--whoosh-home`` keeps it for the next run). ``--keep`` reuses
tables already loaded with as many documents.
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
    """One worker: documents ``start..end`` COPYed into the new table, and their copies; its statistics back."""
    url, start, end, seed, distinct, copies = args
    from vanthu.search.pg import store
    from vanthu.search.pg.rows import Row, Statistics
    import psycopg
    corpus, rng, stats = Corpus(end), random.Random(seed), Statistics()
    with psycopg.connect(url) as conn:  # its own: the parent's is not to be shared across fork
        if copies <= 1:
            store.copy_rows(conn, "search_documents_new", (Row(corpus.document(i, rng)) for i in range(start, end + 1)),
                            stats)
            return stats
        kept = []
        store.copy_rows(conn, "search_documents_new", _kept(kept, (corpus.document(i, rng) for i in range(start, end + 1))),
                        stats)
        _copies(conn, kept, distinct, copies, stats)
    return stats


def _kept(kept, docs):
    """The documents' rows, as they are COPYed, each kept with its document (for its copies)."""
    from vanthu.search.pg.rows import Row
    for doc in docs:
        kept.append((doc, Row(doc)))
        yield kept[-1][1]


# --- --distinct: a million documents from fewer, every row still what the analyzer makes -------------

SHIFT = 1237  # days each further copy's date moves on (modulo the corpus's ten years)


def copy_of(doc, k, distinct):
    """The ``k``-th copy of a generated document: another id and number, another date, the same text."""
    import dataclasses
    from search_corpus import DAYS, START
    import datetime as dt
    day = START + dt.timedelta(days=((doc.date - START).days + k * SHIFT) % DAYS)
    number = dataclasses.replace(doc.number, number=doc.number.number + k * distinct)
    return dataclasses.replace(doc, id=doc.id + k * distinct, number=number, date=day)


class _Copy:
    """A copy for the champion lists (:meth:`Statistics._champions`): its id, its source's content terms."""

    __slots__ = ("fields", "doc_id")

    def __init__(self, fields, doc_id):
        self.fields, self.doc_id = fields, doc_id


def changes(source, meta, copy_meta):
    """``(dropped lexemes, added {lexeme: frequency}, lengths)``: the source's row made the copy's.

    ``meta``/``copy_meta``: the rows of the source and of the copy without their bodies: what differs
    between them (number, date: their fields and the content terms the number makes) is all that
    differs between the whole rows, since the body is the same and holds no number.
    """
    from vanthu.search.pg.rows import CODES
    dropped, added = [], {}
    for name in meta.fields.keys() | copy_meta.fields.keys():
        old, new = meta.fields.get(name, {}), copy_meta.fields.get(name, {})
        if old == new:
            continue
        field, prefix = source.fields.get(name, {}), CODES[name] + ":"
        for term in old.keys() | new.keys():
            n = field.get(term, 0) - old.get(term, 0) + new.get(term, 0)
            if term in field:
                dropped.append(prefix + term)
            if n > 0:
                added[prefix + term] = n
    lengths = [a - b + c for a, b, c in zip(source.lengths, meta.lengths, copy_meta.lengths)]
    return dropped, added, lengths


def _copies(conn, docs, distinct, copies, stats, checked=3):
    """Each document's ``copies - 1`` copies: their changed terms COPYed beside, the rows made by the server.

    The statistics are counted as :meth:`Statistics.add` would for each copy (the source's lexemes
    ``copies - 1`` more times, then each copy's changes). The first ``checked`` documents' copies are
    also analysed whole and must give the same row (here, and on the server after the insert).
    (As text: ``tsvector || tsvector`` would move the added lexemes' positions, the rows would differ.)
    """
    import dataclasses
    from vanthu.search.pg.rows import Row, tsvector_text
    table = f"search_copies_{os.getpid()}"
    conn.execute(f"CREATE UNLOGGED TABLE {table} (doc_id BIGINT, source BIGINT, date DATE, number TEXT,"
                 " dropped TEXT[], added TEXT, lengths INTEGER[])")
    whole, df, cf = {}, stats.df, stats.cf
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for at, (doc, source) in enumerate(docs):
            meta = Row(dataclasses.replace(doc, body=""))
            df.update(dict.fromkeys(source.counts, copies - 1))
            cf.update({t: n * (copies - 1) for t, n in source.fields.get("fold", {}).items()})
            for k in range(1, copies):
                other = copy_of(doc, k, distinct)
                dropped, added, lengths = changes(source, meta, Row(dataclasses.replace(other, body="")))
                for lex in dropped:
                    df[lex] -= 1
                    if lex.startswith("f:"):
                        cf[lex[2:]] -= source.counts[lex]
                for lex, n in added.items():
                    df[lex] += 1
                    if lex.startswith("f:"):
                        cf[lex[2:]] += n
                stats.docs += 1
                stats.lengths = [a + b for a, b in zip(stats.lengths, lengths)]
                stats._champions(_Copy(source.fields, other.id))  # the numbers' terms: in one document, no list
                if at < checked:
                    full, counts = Row(other), dict(source.counts)
                    for lex in dropped:
                        del counts[lex]
                    counts.update(added)
                    assert (counts, lengths) == (full.counts, full.lengths), other.id
                    whole[other.id] = tsvector_text(full.counts)
                copy.write_row((other.id, doc.id, other.date.isoformat(), str(other.number), dropped,
                                tsvector_text(added), lengths))
    conn.execute(f"INSERT INTO search_documents_new (doc_id, date, terms, lengths, number, type_name, issuer_name,"
                 f" subject_text, body, people, cited, direction, confidentiality) SELECT c.doc_id, c.date,"
                 f" (ts_delete(s.terms, c.dropped)::text || ' ' || c.added)::tsvector, c.lengths, c.number, s.type_name,"
                 f" s.issuer_name, s.subject_text, s.body, s.people, s.cited, s.direction, s.confidentiality"
                 f" FROM {table} c JOIN search_documents_new s ON s.doc_id = c.source")
    for doc_id, text in whole.items():
        same = conn.execute("SELECT terms = %s::tsvector FROM search_documents_new WHERE doc_id = %s",
                            (text, doc_id)).fetchone()
        assert same and same[0], f"copy {doc_id}: the server's row is not the analyzer's"
    conn.execute(f"DROP TABLE {table}")
    conn.commit()


def load(url, n, procs, distinct=None):
    """The search tables of ``n`` generated documents; seconds for the rows and for the indexes.

    ``distinct``: only that many documents are generated and analysed; each is then copied
    ``n // distinct - 1`` times by the server with another id, number and date (:func:`copy_of`), every
    copy's terms exactly those the analyzer gives it (:func:`copy_row`, checked), and the statistics
    (document frequencies, lengths, champion lists) counted over all ``n`` rows.
    """
    from vanthu.search.pg import store
    from vanthu.search.pg.rows import Statistics
    distinct = distinct or n
    if n % distinct:
        raise SystemExit(f"--docs ({n}) must be a multiple of --distinct ({distinct})")
    conn = store.connection(url)
    store.make_tables(conn, "_new")
    bounds = [(1 + distinct * k // (procs * 8), distinct * (k + 1) // (procs * 8)) for k in range(procs * 8)]
    started = time.perf_counter()
    stats = Statistics()
    jobs = [(url, a, b, 2020 + a, distinct, n // distinct) for a, b in bounds]
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        for done, part in enumerate(pool.imap_unordered(_slice, jobs), 1):
            stats.merge(part)
            print(f"  loaded {done}/{len(bounds)} slices, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with conn.transaction():
        store.write_terms(conn, "search_terms_new", stats)
    rows_s = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '2GB'")
    store.make_indexes(conn, "_new")
    store.swap_in(conn, "_new", stats, None)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_load (docs BIGINT, distinct_docs BIGINT)")
    with conn.transaction():
        conn.execute("DELETE FROM bench_load")
        conn.execute("INSERT INTO bench_load VALUES (%s, %s)", (n, distinct))
    return rows_s, time.perf_counter() - started


def distinct_loaded(url):
    """How many distinct documents the loaded tables were made of (their copies being the rest)."""
    from vanthu.search.pg import store
    conn = store.connection(url)
    if not conn.execute("SELECT to_regclass('bench_load') IS NOT NULL").fetchone()[0]:
        return None
    found = conn.execute("SELECT distinct_docs FROM bench_load").fetchone()
    return found[0] if found else None


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
    """Seconds per query on the server, as bench/search.py times the Whoosh index.

    ``out[kind]``: wall seconds of each query; ``out[kind + "_cpu"]``: CPU seconds of each, this
    process's and its server backend's (read from /proc: the server is local; 0 when it is not).
    """
    from vanthu.search.pg import store
    from vanthu.search.pg.run import Searcher
    from vanthu.search.query import Filters, parse
    from vanthu.search.searching import result_of as _result
    conn = store.connection(url)
    backend = conn.info.backend_pid

    def run(text, filters=Filters()):
        parsed = parse(text, filters)
        hits = Searcher(conn).run(parsed, 10)
        [_result(stored, score, parsed.words) for stored, score in hits]

    def timed(kind, inputs, make):
        out[kind], out[f"{kind}_cpu"] = [], []
        for value in inputs:
            wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu(backend)
            run(*make(value))
            out[f"{kind}_cpu"].append(time.process_time() - cpu + server_cpu(backend) - server)
            out[kind].append(time.perf_counter() - wall)

    out = {}
    run("khởi động")
    timed("word", queries["word"], lambda w: (w,))
    timed("phrase2", queries["phrase2"], lambda p: (f'"{p}"',))
    timed("phrase3", queries["phrase3"], lambda p: (f'"{p}"',))
    timed("number", numbers, lambda n: (n.lower().replace("/", " /"),))
    timed("date", queries["date"], lambda m: ("", Filters(date_from=m, date_to=m)))
    timed("combined", queries["combined"], lambda c: (f'"{c[0]}"', Filters(date_from=c[1], date_to=c[1], type=c[2])))
    return out


def server_cpu(pid):
    """CPU seconds (user + system) of a local process so far; 0.0 if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_whoosh(n, queries, keep_in=None):
    """Build the Whoosh index of ``n`` documents (a child process) and time the same queries on it.

    ``keep_in``: a folder where the index is built and kept; an index already built there of ``n``
    documents is reused (its build time then reported as it was measured).
    """
    import json
    import shutil
    import tempfile
    import search as whoosh_bench
    home = Path(keep_in) if keep_in else Path(tempfile.mkdtemp(prefix="vanthu-province-"))
    marker = home / f"built-{n}.json"
    if marker.exists():
        build = tuple(json.loads(marker.read_text()))
    else:
        shutil.rmtree(home / "vanthu", ignore_errors=True)
        home.mkdir(parents=True, exist_ok=True)
        build = whoosh_bench.timed_build("vanthu", home / "vanthu", n)
        marker.write_text(json.dumps(build))
    numbers = whoosh_bench.sample_numbers(home / "vanthu", len(queries["word"]))
    times = whoosh_bench.time_vanthu(home / "vanthu", queries, numbers)
    if not keep_in:
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
    lines += ["", f"| query (10 results) | PostgreSQL, {n:,} p50 / p95 | its CPU p50 | Whoosh, {whoosh_n:,} p50 / p95 |"
              " its CPU p50 | goal (p95) |", "|---|---|---|---|---|---|"]
    for kind, name in NAMES.items():
        (p50, p95), (w50, w95) = _ms(pg_times[kind]), _ms(whoosh_times[kind])
        cpu, wcpu = _ms(pg_times[f"{kind}_cpu"])[0], _ms(whoosh_times[f"{kind}_cpu"])[0]
        goal = f"≤ {GOALS[kind]:.0f} ms {'(met)' if p95 <= GOALS[kind] else '(missed)'}" if kind in GOALS else ""
        lines.append(f"| {name} | {p50:.1f} / {p95:.1f} ms | {cpu:.0f} ms | {w50:.1f} / {w95:.1f} ms | {wcpu:.0f} ms |"
                     f" {goal} |")
    return "\n".join(lines)


def pg_report(n, pg_times):
    from search import _ms
    lines = [f"| query (10 results) | PostgreSQL, {n:,} p50 / p95 | its CPU p50 (client + server) |", "|---|---|---|"]
    lines += [f"| {name} | {_ms(pg_times[kind])[0]:.1f} / {_ms(pg_times[kind])[1]:.1f} ms |"
              f" {_ms(pg_times[kind + '_cpu'])[0]:.0f} ms |" for kind, name in NAMES.items()]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("VANTHU_BENCH_PG") or os.environ.get("VANTHU_TEST_PG"))
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--whoosh-docs", type=int, default=100_000, help="0: PostgreSQL only")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--whoosh-home", help="build the Whoosh index in this folder and keep it; reuse it if built")
    parser.add_argument("--distinct", type=int, help="generate only this many documents; the rest are copies "
                        "with other ids, numbers and dates (see load)")
    parser.add_argument("--keep", action="store_true", help="reuse loaded tables of as many documents")
    args = parser.parse_args(argv)
    if not args.url:
        raise SystemExit("--url postgresql://... (or VANTHU_BENCH_PG) is needed")
    print(run(args))


def run(args):
    """The report's text of :func:`measure`."""
    return run_report(measure(args))


def run_report(found):
    if found["distinct"] != found["docs"]:
        print(f"PostgreSQL: {found['distinct']:,} distinct generated documents, each with "
              f"{found['docs'] // found['distinct'] - 1} copies (other id, number, date; the same text)", file=sys.stderr)
    if not found["whoosh_docs"]:
        return pg_report(found["docs"], found["raw"]["postgresql"])
    return report(found["docs"], found["whoosh_docs"], found["load"], found["raw"]["postgresql"],
                  found["whoosh_build"], found["raw"]["whoosh"], found["sizes"], found["machine"])


def measure(args):
    """Load (unless ``--keep`` finds it loaded), time PostgreSQL, then build and time Whoosh: a dict.

    ``args``: ``url``, ``docs``, ``whoosh_docs``, ``queries``, ``procs``, ``keep`` (bench/province.py's
    ``search`` part passes its own).
    """
    from search import machine, pick_queries
    found = {"docs": args.docs, "whoosh_docs": args.whoosh_docs, "machine": machine(), "load": None}
    if not (args.keep and loaded(args.url) == args.docs):
        found["load"] = load(args.url, args.docs, args.procs, getattr(args, "distinct", None))
        print(f"loaded: rows {found['load'][0]:.0f} s, indexes {found['load'][1]:.0f} s", file=sys.stderr)
    found["distinct"] = distinct_loaded(args.url) or args.docs
    queries = pick_queries(args.queries)
    loads = [os.getloadavg()[0]]
    pg_times = time_postgres(args.url, queries, sample_numbers(args.url, args.queries))
    loads.append(os.getloadavg()[0])
    found["loadavg"] = {"postgresql": loads}
    found["raw"] = {"postgresql": pg_times}
    found["sizes"] = sizes(args.url)
    print(pg_report(args.docs, pg_times), file=sys.stderr)  # before the Whoosh build, in case it is cut short
    if args.whoosh_docs:
        found["whoosh_build"], whoosh_times = time_whoosh(args.whoosh_docs, queries, getattr(args, "whoosh_home", None))
        found["raw"]["whoosh"] = whoosh_times
        found["loadavg"]["whoosh"] = [found["whoosh_build"][2], os.getloadavg()[0]]
    found["whoosh_build"] = found.get("whoosh_build") or (0, 0, 0)
    found["summary"] = summary(found["raw"])
    return found


def summary(raw):
    """``{engine: {kind: {"p50", "p95", "cpu_p50"} in ms}}`` and, per goal, whether PostgreSQL met it."""
    from search import _ms
    out = {engine: {kind: dict(zip(("p50", "p95"), _ms(times[kind])), cpu_p50=_ms(times[f"{kind}_cpu"])[0])
                    for kind in NAMES} for engine, times in raw.items()}
    out["goals"] = {kind: {"p95_ms": goal, "met": out["postgresql"][kind]["p95"] <= goal} for kind, goal in GOALS.items()}
    return out


if __name__ == "__main__":
    main()
