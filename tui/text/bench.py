"""Layout speed: the seed report at 80 columns and growing Arabic texts.

Run: `python -m tui.text.bench`.
Target: the seed under 20 ms, linear growth. Cold = empty caches (first view of a report);
warm = a re-layout at another width after the paragraphs are shaped and levelled (a resize).
"""

from __future__ import annotations

import statistics
import time

from db.seed import source_text
from tui.text import layout


def _clear() -> None:
    layout.prepare.cache_clear()
    layout._layout_paragraph.cache_clear()


def timed(text: str, width: int, cold: bool, runs: int) -> float:
    samples = []
    for _ in range(runs):
        if cold:
            _clear()
        start = time.perf_counter()
        layout.layout_text(text, width)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    seed = source_text("mali-weekly-2026-01-24.ar.txt")
    kb = len(seed.encode()) / 1024
    print(f"seed report: {len(seed):,} characters, {kb:.1f} KB")
    print(f"  cold layout at 80 columns: {timed(seed, 80, True, 15):7.2f} ms (target < 20 ms)")
    layout.layout_text(seed, 80)
    layout._layout_paragraph.cache_clear()
    print(f"  resize 80 -> 60 (paragraphs cached): {timed(seed, 60, False, 1):7.2f} ms")
    print("growing Arabic texts (the report's paragraphs repeated, each numbered so that no")
    print("paragraph repeats and no cache helps), cold:")
    paragraphs = [p for p in seed.split("\n") if p.strip()]
    for target_kb in (250, 500, 1000):
        count = int(target_kb / kb * len(paragraphs)) + 1
        text = "\n".join(f"{n} {paragraphs[n % len(paragraphs)]}" for n in range(count))
        size = len(text.encode()) / 1024
        ms = timed(text, 80, True, 1)
        print(f"  {size:7.0f} KB: {ms:8.1f} ms  ({ms / size:.3f} ms/KB)")


if __name__ == "__main__":
    main()
