"""Benchmark (not a test): proposal time for a 2,000-word report.

    python -m db.extract.bench [--words 2000] [--runs 5]

The report is the packaged seed digest repeated to the word count (each copy shifted by a week,
so dates and places vary as in a long digest). Importing the extractor and loading the gazetteer
happen once per process and are reported apart from the proposal time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from importlib import resources


def build_report(words: int) -> str:
    seed = (resources.files("db") / "data" / "mali-weekly-2026-01-24.ar.txt").read_text("utf-8")
    body = seed.split("\n", 1)[1]
    parts = [seed]
    n = len(seed.split())
    day = 18
    while n < words:
        day = 10 + (day + 7) % 18
        copy = body.replace("18 يناير", f"{day} يناير")
        parts.append(copy)
        n += len(copy.split())
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    text = build_report(args.words)
    published = dt.date(2026, 1, 24)
    t0 = time.perf_counter()
    from db.extract import propose
    from db.extract.gazetteer import index
    from db.extract.pipeline import propose_incidents  # noqa: F401  (the import is measured)

    imported = time.perf_counter() - t0
    t0 = time.perf_counter()
    index()
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    proposals = propose(text, published)
    first = time.perf_counter() - t0
    warm = []
    for run in range(args.runs):
        fresh = f"{run}\n{text}"  # a new text each time: no cache helps
        t0 = time.perf_counter()
        propose(fresh, published)
        warm.append(time.perf_counter() - t0)
    print(
        f"{len(text.split())} words, {len(text)} characters, {len(proposals)} proposals\n"
        f"once per process: import {imported:.3f} s, gazetteer load {loaded:.3f} s\n"
        f"first report {first:.3f} s; next reports median {statistics.median(warm):.3f} s "
        f"(min {min(warm):.3f}, max {max(warm):.3f}, {args.runs} runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
