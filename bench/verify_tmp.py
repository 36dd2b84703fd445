#!/usr/bin/env python3
"""Benchmark: ``vanthu verify`` (kiểm tra kho) on an archive of COUNT documents.

The archive is made once per run in a fresh home: COUNT records of the seed
dispatch (each its own subject, dated today) issued in one ``issue()`` call,
each stored as a 20 KB "DOCX" of random bytes and a one-page PDF carrying
60 KB of them (about the sizes of the real ones), so verify re-hashes 2 x COUNT files. Then verify runs
RUNS times; prints the median and the range, in seconds.

    python bench/verify.py [--count 2000] [--runs 5] [--json]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "data" / "4482-SYT-VP.yaml"


class _RandomRenderer:
    def render(self, record):
        return os.urandom(20_000)


def _pdfs(records, docx):
    return [_pdf(os.urandom(60_000)) for _ in docx]


def _pdf(payload):
    """A one-page PDF carrying ``payload`` (so each stored PDF is distinct and of a real PDF's size)."""
    import io
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("du-lieu.bin", payload)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _records(count):
    from vanthu.generator.records import load
    seed = load(SEED)[0]
    base = {k: v for k, v in seed.values.items() if k not in ("number", "date")}
    return [type(seed)(seed.template, {**base, "subject": f"{base['subject']} (đợt {n})"}, seed.source, seed.line,
                       seed.attachments) for n in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from vanthu.archive.issuing import issue
    from vanthu.archive.verify import verify
    with tempfile.TemporaryDirectory(prefix="vanthu-bench-verify-") as work:
        home = Path(work) / "home"
        issue(_records(args.count), home, renderer=_RandomRenderer(), to_pdf=_pdfs, index=False)
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = verify(home)
            seconds.append(time.perf_counter() - started)
            assert report.ok, report.problems[:5]
    result = {"count": args.count, "files": report.files, "median_s": statistics.median(seconds),
              "min_s": min(seconds), "max_s": max(seconds)}
    print(json.dumps(result) if args.json else
          f"verify, {args.count} documents ({report.files} files): median {result['median_s']:.3f} s "
          f"({result['min_s']:.3f}-{result['max_s']:.3f}) of {args.runs}")


if __name__ == "__main__":
    main()
