#!/usr/bin/env python3
"""Benchmark: rendering the seed dispatch 4482/SYT-VP to DOCX, many times in one process.

Compares vanthu's Renderer (template compiled once per batch) with bare
docxtpl (load + render + save of the same template for each document),
measured in the same run, on the same context. Prints medians of several
rounds and the ratio; peak memory from the OS (ru_maxrss).

    python bench/render.py [--count 500] [--rounds 3]
"""
import argparse
import io
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from vanthu.generator.context import context_of  # noqa: E402
from vanthu.generator.records import load  # noqa: E402
from vanthu.generator.render import Renderer  # noqa: E402

SEED = ROOT / "examples" / "4482-SYT-VP.yaml"


def vanthu_batch(record, count):
    renderer = Renderer()  # one batch: each template is compiled once
    for _ in range(count):
        renderer.render(record)


def bare_docxtpl(record, count):
    context = context_of(record)
    for _ in range(count):
        template = DocxTemplate(str(record.template.docx_path))
        template.render(context, autoescape=True)
        template.save(io.BytesIO())


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    record = load(SEED)[0]
    alone = type(record)(record.template, record.values, record.source, record.line, [])
    runs = {"vanthu (with the attached form)": (vanthu_batch, record),
            "vanthu (dispatch only)": (vanthu_batch, alone),
            "bare docxtpl (dispatch only)": (bare_docxtpl, alone)}
    results = {name: [] for name in runs}
    for _ in range(args.rounds):  # interleaved rounds: machine noise hits every contender alike
        for name, (function, rec) in runs.items():
            results[name].append(timed(function, rec, args.count))
    print(f"{args.count} renders of 4482/SYT-VP to DOCX, median of {args.rounds} rounds")
    rates = {}
    for name, times in results.items():
        rates[name] = args.count / statistics.median(times)
        print(f"  {name:34s} {rates[name]:8.1f} documents/s  ({1000 / rates[name]:.2f} ms each)")
    base = rates["bare docxtpl (dispatch only)"]
    print(f"  ratio, dispatch only:        {rates['vanthu (dispatch only)'] / base:.1f}x bare docxtpl")
    print(f"  ratio, with attachment:      {rates['vanthu (with the attached form)'] / base:.1f}x bare docxtpl")
    print(f"  peak memory (ru_maxrss):     {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
