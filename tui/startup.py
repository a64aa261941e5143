"""The console entry point: how often Textual paints and threads switch, and the collector
held until the first paint.

Textual paints at most TEXTUAL_FPS (default 60) times a second, and after a frame that ran
long it waits one to two frame periods for the next: an answer that arrives just after a frame
waits up to 33 ms at 60. At 120 that wait halves; frames are still only drawn when something
changed. A TEXTUAL_FPS the user sets is kept.

Textual writes each frame from its own thread and rasd queries in worker threads; with
Python's default 5 ms switch interval a finished frame (or a query's next step) can wait 5 ms
for the UI thread to let go. At 1 ms the first screen reaches the terminal ~4 ms sooner.

Python's collector is held until the first paint (tui/collector.py says why and how).
"""

from __future__ import annotations

import os
import sys

from tui.collector import hold_collector, release_collector

FRAME_RATE = "120"
SWITCH_INTERVAL = 0.001


def configure_runtime() -> None:
    """Process-wide settings; call before Textual is imported (it reads TEXTUAL_FPS then)."""
    os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)
    sys.setswitchinterval(SWITCH_INTERVAL)


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
