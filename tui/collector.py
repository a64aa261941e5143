"""Python's collector held while rasd starts, then tuned for a UI that allocates every frame.

Importing Textual and composing the explorer allocate a few hundred thousand long-lived
objects; left on, the collector walks them again and again (a 15 ms full pass landed just
before the first frame). Little garbage is made in that window, so collection waits, and the
survivors are then frozen, which also keeps later full collections short while the user works.
From then on a young-generation pass runs every 10,000 allocations instead of 700: every frame
allocates thousands of short-lived objects, and at the default the passes that follow from them
(full ones of 10-30 ms among them) landed in the middle of filters (measured at 10M incidents:
worst region filter 74 -> 64 ms, time in the collector 199 -> 79 ms over the benchmark).

What the session's first loads keep for good is frozen too, once they are in (`freeze_loaded`):
the gazetteer behind the palette's places (15,000 tuples), the first pages and Textual's
caches, some 70,000 objects. Left young, each full collection walked them again: 46-51 ms
passes fell inside the map's first showing at 10M (half of its 95 ms frame).

A module of its own, so that the app and the CLI can release it without importing the entry
module (`tui.startup`, which imports the CLI).
"""

from __future__ import annotations

import gc

YOUNG_GENERATION = 10_000
_held = False
_tuned = False
"""The collector was held by rasd's start-up and released (not so under tests of the app)."""
_loaded_frozen = False


def hold_collector() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """Freeze what start-up built and turn the collector back on (idempotent)."""
    global _held, _tuned
    if _held:
        _held = False
        _tuned = True
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_GENERATION, older, oldest)
        gc.enable()


def freeze_loaded() -> None:
    """Once per process, when the start-up loads are in: freeze what exists after a young
    collection. What is frozen is never collected, so garbage cycles already in the oldest
    generation stay (about 5,000 objects at 10M, under 1 MB: a full collection first would
    cost the UI thread 35 ms). Only where rasd's start-up tuned the collector."""
    global _loaded_frozen
    if _tuned and not _loaded_frozen and gc.isenabled():
        _loaded_frozen = True
        gc.collect(1)
        gc.freeze()
