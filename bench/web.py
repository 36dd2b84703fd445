#!/usr/bin/env python3
"""Benchmark of the web app over HTTP, against a real `vanthu serve` (waitress), one run.

    python bench/web.py [--docs 100000] [--queries 100] [--issues 5] [--clients 20] [--seconds 60] [--keep DIR]

* ``search``: the /tim-kiem page (HTML, the clerk's view) over an index of DOCS
  generated documents (bench/search_corpus.py), p50/p95 per request of
  one-word, two-syllable-phrase and number queries; goal p95 <= 150 ms.
* ``preview``: the draft preview of the seed dispatch (form POST -> DOCX -> PDF
  -> PNG pages), each with a fresh subject so nothing is cached, 5 s apart (the
  spare LibreOffice `vanthu serve` keeps started is ready again); goal <= 1.5 s.
* ``issue``: issuing the seed (DOCX + PDF) from a draft through the web
  (POST /du-thao/<id>/ban-hanh) against `vanthu issue` in a fresh process;
  goal: web / CLI <= 1.3 (medians).
* ``load``: CLIENTS clients for SECONDS seconds, each searching and now and
  then issuing a draft of its own; goal: no error, every number unique
  (read back from the register).

Prints a Markdown report; ``--json`` for machines.
"""
import argparse
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from search_corpus import WORDS, Corpus  # noqa: E402
from webkit import PASSWORD, SEED, seed_form  # noqa: E402

PREVIEW_PAUSE = 5  # seconds between two previews
GOALS = {"search_p95_ms": 150, "preview_s": 1.5, "issue_ratio": 1.3}
UNNUMBERED = SEED.read_text(encoding="utf-8").replace("number: 4482\n", "")


class Client:
    """A browser's worth of HTTP: cookies, the CSRF token, form posts; no redirects followed."""

    def __init__(self, url):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.token = None

    def get(self, path):
        return self._open(urllib.request.Request(self.url + path))

    def post(self, path, form, headers=None):
        data = urllib.parse.urlencode({**form, "csrf_token": self.token}, doseq=True).encode()
        return self._open(urllib.request.Request(self.url + path, data=data, headers=headers or {}))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=300) as answer:
                return answer.status, answer.read().decode("utf-8", "replace"), answer.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def login(self, name):
        _, page, _ = self.get("/dang-nhap")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, _, _ = self.post("/dang-nhap", {"username": name, "password": PASSWORD})
        assert status == 302, f"login {name}: {status}"
        _, page, _ = self.get("/")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(home, threads=8):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "vanthu.cli", "--home", str(home), "serve", "--port", str(port),
                                "--threads", str(threads)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/dang-nhap", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    raise SystemExit("vanthu serve did not start: " + process.stderr.read().decode())


def make_home(folder, docs):
    """A home whose register holds DOCS generated documents (rows written directly), then `vanthu reindex`.

    The index must come from the archive itself: a search checks it against the archive's log.
    """
    from vanthu.archive import people
    from vanthu.archive.finding import reindex
    home = Path(folder) / "kho"
    people.add("lan", PASSWORD, ["van-thu"], home)
    people.add("vu", PASSWORD, ["lanh-dao"], home)  # approves each draft: only an approved draft is issued on paper
    for i in range(40):
        people.add(f"vt{i}", PASSWORD, ["van-thu"], home)
    started = time.perf_counter()
    _fill_register(home, docs)
    filled = time.perf_counter() - started
    reindex(home)
    return home, filled, time.perf_counter() - started - filled


def kept_home(folder, docs):
    """The home kept in FOLDER, made there first if it is not yet (build times then 0: not measured)."""
    home, built = Path(folder) / "kho", Path(folder) / "built"
    if built.exists():  # written last: a build that was stopped halfway is not reused
        return home, 0.0, 0.0
    shutil.rmtree(home, ignore_errors=True)
    Path(folder).mkdir(parents=True, exist_ok=True)
    made = make_home(folder, docs)
    built.write_text(f"{docs}\n")
    return made


def _fill_register(home, docs):
    from vanthu.archive import catalog, db, numbering
    from vanthu.archive.document import INCOMING
    from vanthu.archive.home import opened
    with opened(home) as archive, db.write_transaction(archive.conn):
        for d in Corpus(docs):
            if d.direction == INCOMING:
                d.arrival_number, d.arrival_date = d.number.number, d.date
                series = numbering.Series.arrival(d.date.year)
            else:
                series = numbering.Series.outgoing(d.date.year, d.issuer_code, d.is_secret, None)
            catalog.insert(archive.conn, catalog.Entry(d, series, "", f"{d.type_name} {d.subject}"), "bench")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(count):
    rng = random.Random(12)
    singles = [w for w in WORDS if " " not in w and len(w) > 2]
    pairs = [w for w in WORDS if w.count(" ") == 1]
    made = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            made.append(("word", rng.choice(singles)))
        elif kind == 1:
            made.append(("phrase2", rng.choice(pairs)))
        else:
            made.append(("number", f"{rng.randint(1, 900)}/SYT"))
    return made


def bench_core_search(home, count):
    """The same queries through the core's search() in this process: what the page adds is the rest."""
    from vanthu.archive.finding import search
    for _, q in queries(5):
        search(home, q, limit=21)
    times = []
    for _, q in queries(count):
        started = time.perf_counter()
        search(home, q, limit=21)  # the page asks one more than it shows, to know if there is a next page
        times.append(time.perf_counter() - started)
    return {"p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000, "n": len(times)}


def bench_search(client, count):
    for _, q in queries(5):  # warm: the searcher and its caches
        client.get("/tim-kiem?" + urllib.parse.urlencode({"q": q}))
    times = {}
    for kind, q in queries(count):
        started = time.perf_counter()
        status, page, _ = client.get("/tim-kiem?" + urllib.parse.urlencode({"q": q}))
        elapsed = time.perf_counter() - started
        assert status == 200 and "Không tìm thấy" not in page or kind == "number", (q, status)
        times.setdefault(kind, []).append(elapsed)
        times.setdefault("all", []).append(elapsed)
    return {kind: {"p50_ms": percentile(t, 50) * 1000, "p95_ms": percentile(t, 95) * 1000, "n": len(t)}
            for kind, t in times.items()}


def bench_preview(client, runs):
    """Form POST until the first page image has arrived (what the clerk waits for), and until all have."""
    first, every = [], []
    for i in range(runs + 1):
        time.sleep(PREVIEW_PAUSE)  # a clerk reads the pages before the next preview; the spare LibreOffice starts meanwhile
        form = dict(seed_form(), subject=f"triển khai cài đặt và sử dụng ứng dụng BlueZone (lần {i})", action="preview")
        started = time.perf_counter()
        status, page, _ = client.post("/soan/cong-van", form, {"HX-Request": "true"})
        images = re.findall(r'<img src="([^"]+)"', page)
        assert status == 200 and len(images) == 2, (status, page[:300])
        assert client.get(images[0])[0] == 200
        shown = time.perf_counter() - started
        assert all(client.get(src)[0] == 200 for src in images[1:])
        if i:  # the first run starts LibreOffice's profile cache
            first.append(shown)
            every.append(time.perf_counter() - started)
    return {"median_s": statistics.median(first), "min_s": min(first), "max_s": max(first),
            "all_pages_median_s": statistics.median(every), "n": len(first)}


def approved_draft(text, owner, home):
    """A draft its owner submitted to the leader, who approved it (the state a paper issue needs)."""
    from vanthu.workflow import drafts, signoff
    draft = drafts.create(text, owner, home)
    signoff.submit(draft.id, "vu", by=owner, home=home)
    signoff.approve(draft.id, "vu", home=home)
    return draft


def bench_issue(client, home, runs):
    web, cli = [], []
    record = Path(home).parent / "seed.yaml"
    record.write_text(UNNUMBERED, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(runs):
        draft = approved_draft(UNNUMBERED, "lan", home)
        started = time.perf_counter()
        status, _, headers = client.post(f"/du-thao/{draft.id}/ban-hanh", {"again": "1", "other_year": "1"})
        web.append(time.perf_counter() - started)
        assert status == 302 and "/van-ban/" in headers["Location"], (status, headers.get("Location"))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vanthu.cli", "--home", str(home), "issue", str(record), "--again",
                        "--other-year"], env=env, check=True, capture_output=True)
        cli.append(time.perf_counter() - started)
    return {"web_median_s": statistics.median(web), "cli_median_s": statistics.median(cli),
            "ratio": statistics.median(web) / statistics.median(cli), "n": runs}


def bench_load(url, home, clients, seconds):
    """CLIENTS threads for SECONDS: search, search, search, issue, ...; every error counted."""
    stop = time.monotonic() + seconds
    counters = {"searches": 0, "issues": 0, "errors": []}
    lock = threading.Lock()
    words = [w for w in WORDS if " " in w]

    def client_loop(index):
        client = Client(url).login(f"vt{index}")
        rng = random.Random(index)
        step = 0
        while time.monotonic() < stop:
            step += 1
            if step % 6 == 0:
                draft = approved_draft(UNNUMBERED.replace("BlueZone\n", f"BlueZone ({index}-{step})\n", 1), f"vt{index}", home)
                status, _, headers = client.post(f"/du-thao/{draft.id}/ban-hanh", {"other_year": "1"})
                ok = status == 302 and "/van-ban/" in (headers.get("Location") or "")
                key = "issues"
            else:
                status, page, _ = client.get("/tim-kiem?" + urllib.parse.urlencode({"q": rng.choice(words)}))
                ok, key = status == 200 and "flash error" not in page, "searches"
            with lock:
                if ok:
                    counters[key] += 1
                else:
                    counters["errors"].append((key, status))
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    conn = sqlite3.connect(Path(home) / "vanthu.sqlite3")
    rows, distinct = conn.execute("SELECT count(*), count(DISTINCT series || '/' || year || '/' || serial) FROM documents"
                                  " WHERE direction = 'out'").fetchone()
    return {**counters, "errors": len(counters["errors"]), "error_kinds": counters["errors"][:5], "seconds": elapsed,
            "numbers_in_register": rows, "distinct_numbers": distinct}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--previews", type=int, default=5)
    parser.add_argument("--issues", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", choices=("search",), help="only the search page and the core search beside it")
    parser.add_argument("--keep", metavar="DIR", help="build the home in DIR once and reuse it on later runs "
                        "(the timing can then run apart from the long build; later runs see earlier runs' issues too)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-web-") as folder:
        home, fill_s, build_s = kept_home(args.keep, args.docs) if args.keep else make_home(folder, args.docs)
        process, url = serve(home, threads=max(8, args.clients))
        try:
            client = Client(url).login("lan")
            report = {"docs": args.docs, "register_fill_s": fill_s, "index_build_s": build_s,
                      "load_average_search": os.getloadavg(),
                      "search": bench_search(client, args.queries), "core_search": bench_core_search(home, args.queries)}
            if not args.only:
                report.update(preview=bench_preview(client, args.previews), issue=bench_issue(client, home, args.issues),
                              load=bench_load(url, home, args.clients, args.seconds))
            report.update(machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                          load_average=os.getloadavg())
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else markdown(report))


def markdown(r):
    s = r["search"]
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    lines = [f"Machine: {r['machine']}; load average (1 min) {r['load_average_search'][0]:.1f} as the search started, "
             f"{r['load_average'][0]:.1f} / {r['load_average'][2]:.1f} (1 / 15 min) at the end; archive of {r['docs']:,} generated documents ({_built(r)}).", "",
             "| measure | result | goal | met |", "|---|---|---|---|"]
    for kind in ("all", "word", "phrase2", "number"):
        lines.append(f"| search page `/tim-kiem`, {kind} ({s[kind]['n']} requests) | p50 {s[kind]['p50_ms']:.0f} ms, "
                     f"p95 {s[kind]['p95_ms']:.0f} ms | p95 <= {GOALS['search_p95_ms']} ms | "
                     f"{ok(s[kind]['p95_ms'] <= GOALS['search_p95_ms'])} |")
    core = r["core_search"]
    lines.append(f"| the core's `search()` alone, same queries, in-process | p50 {core['p50_ms']:.0f} ms, p95 {core['p95_ms']:.0f} ms "
                 f"| (reference) | |")
    lines.append(f"| page / core search | p50 {s['all']['p50_ms'] / core['p50_ms']:.2f}×, p95 {s['all']['p95_ms'] / core['p95_ms']:.2f}× | | |")
    if "preview" not in r:
        return "\n".join(lines)
    p, i, load = r["preview"], r["issue"], r["load"]
    lines += [f"| draft preview of the seed: form POST to page 1 shown | median {p['median_s']:.2f} s (min {p['min_s']:.2f}, "
              f"max {p['max_s']:.2f}, n={p['n']}; both pages {p['all_pages_median_s']:.2f} s) | <= {GOALS['preview_s']} s | "
              f"{ok(p['median_s'] <= GOALS['preview_s'])} |",
              f"| issue (DOCX+PDF): web {i['web_median_s']:.2f} s vs `vanthu issue` {i['cli_median_s']:.2f} s | "
              f"ratio {i['ratio']:.2f} (n={i['n']}) | <= {GOALS['issue_ratio']} | {ok(i['ratio'] <= GOALS['issue_ratio'])} |",
              f"| {load['seconds']:.0f} s of concurrent clients | {load['searches']} searches, {load['issues']} issues, "
              f"{load['errors']} errors; {load['numbers_in_register']} numbers, {load['distinct_numbers']} distinct | "
              f"no error, unique numbers | {ok(load['errors'] == 0 and load['numbers_in_register'] == load['distinct_numbers'])} |"]
    return "\n".join(lines)


def _built(r):
    if not r["register_fill_s"]:
        return "the home kept by an earlier run's `--keep`"
    return f"register rows written in {r['register_fill_s']:.0f} s, `reindex` {r['index_build_s']:.0f} s"


if __name__ == "__main__":
    main()
