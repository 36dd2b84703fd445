#!/usr/bin/env python3
"""Benchmark: ``vanthu templates check`` on every built-in template layout.

Lints each built-in ``.docx`` (with every schema naming it) several times and
prints the median time per file, and per schema: the cost is mostly building
the generator's context for the sample records, once per schema and field.

    python bench/lint.py [--rounds 5]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vanthu.templates import BUILTIN_DIR  # noqa: E402
from vanthu.generator.lint import schemas_for, lint  # noqa: E402


def timed(path, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        findings = lint(path)
        times.append(time.perf_counter() - start)
        assert findings == [], findings
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    total = schemas = 0
    print(f"{'layout':36} {'schemas':>7} {'ms (median)':>12} {'ms/schema':>10}")
    for path in sorted(BUILTIN_DIR.glob("*.docx")):
        count = len(schemas_for(path))
        seconds = timed(path, args.rounds)
        total, schemas = total + seconds, schemas + count
        print(f"{path.name:36} {count:7} {seconds * 1000:12.1f} {seconds * 1000 / count:10.1f}")
    print(f"{'all':36} {schemas:7} {total * 1000:12.1f} {total * 1000 / schemas:10.1f}")


if __name__ == "__main__":
    main()
