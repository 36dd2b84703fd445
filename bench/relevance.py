"""Relevance of search: MRR@10 and success@1 of the clerks' queries, alone and among distractors.

    python bench/relevance.py [--distractors 5000]

The queries and documents are the test set of tests/test_search_relevance.py
(tests/data/relevance.yaml over examples/ and tests/data/corpus/); the
distractors come from bench/search_corpus.py, borrowing runs of words from
the real documents. Prints a Markdown table and the queries not ranked first.
"""
import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import relevancekit as kit  # noqa: E402  (tests/ is not a package)


def measure(count):
    home = tempfile.mkdtemp(prefix="vanthu-relevance-")
    docs = kit.build(home, count)
    ranks = kit.ranks(home, docs)
    return kit.measure(list(ranks.values())), {q: r for q, r in ranks.items() if r != 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=5_000)
    args = parser.parse_args()
    print(f"{len(kit.queries())} queries, {len(kit.real_documents())} real documents.\n")
    print("| documents | MRR@10 | success@1 |\n|---|---|---|")
    missed = {}
    for count in (0, args.distractors):
        (mrr, success), missed[count] = measure(count)
        print(f"| real only | {mrr:.3f} | {success:.3f} |" if not count else
              f"| real + {count:,} generated | {mrr:.3f} | {success:.3f} |")
    for count, queries in missed.items():
        print(f"\nNot first with {count:,} distractors: " +
              ", ".join(f"`{q}` ({r or 'not in 10'})" for q, r in queries.items()) if queries else "")


if __name__ == "__main__":
    main()
