"""The console entry point: how often Textual paints and threads switch, and the collector
held until the first paint.

Textual paints at most TEXTUAL_FPS (default 60) times a second, and after a frame that ran
long it waits one to two frame periods for the next: an answer that arrives just after a frame
waits up to 33 ms at 60. At 120 that wait halves; frames are still only drawn when something
changed. A TEXTUAL_FPS the user sets is kept.

Textual writes each frame from its own thread and rasd queries in worker threads; with
Python's default 5 ms switch interval a finished frame (or a query's next step) can wait 5 ms
for the UI thread to let go. At 1 ms the first screen reaches the terminal ~4 ms sooner.

Importing Textual and composing the explorer allocate a few hundred thousand long-lived
objects; left on, the collector walks them again and again (a 15 ms full pass landed just
before the first frame). Little garbage is made in that window, so collection waits, and the
survivors are then frozen, which also keeps later full collections short while the user works.
From then on a young-generation pass runs every 10,000 allocations instead of 700: every frame
allocates thousands of short-lived objects, and at the default the passes that follow from them
(full ones of 10-30 ms among them) landed in the middle of filters (measured at 10M incidents:
worst region filter 74 -> 64 ms, time in the collector 199 -> 79 ms over the benchmark).
"""

from __future__ import annotations

import gc
import os
import sys

FRAME_RATE = "120"
SWITCH_INTERVAL = 0.001
YOUNG_GENERATION = 10_000
_held = False


def configure_runtime() -> None:
    """Process-wide settings; call before Textual is imported (it reads TEXTUAL_FPS then)."""
    os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)
    sys.setswitchinterval(SWITCH_INTERVAL)


def hold_collector() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """Freeze what start-up built and turn the collector back on (idempotent)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_GENERATION, older, oldest)
        gc.enable()


def main() -> int:
    configure_runtime()
    hold_collector()
    try:
        from tui.cli import main as cli_main

        return cli_main()
    finally:
        release_collector()


if __name__ == "__main__":
    sys.exit(main())
