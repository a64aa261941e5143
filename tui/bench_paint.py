"""Time to first paint of a terminal program, measured through a real pseudo-terminal.

The clock starts before the process is spawned and stops when the screen output contains a
marker the program only draws once its first screen is complete. The same harness times a
minimal Textual app, which is the floor any Textual program pays.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from dataclasses import dataclass

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("minimal-ready")
Minimal().run()
"""


@dataclass(frozen=True)
class PaintResult:
    seconds: float
    peak_rss_kb: int


def _peak_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def time_to_paint(
    argv: list[str],
    marker: str,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
    settle: float = 0.0,
) -> PaintResult:
    """Spawn argv on a pty of `size`, return seconds until `marker` appears on screen.

    `settle` keeps the program running a little longer so that its peak RSS includes the
    queries that finish after the first paint.
    """
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        child_env = dict(os.environ if env is None else env)
        child_env.update(TERM="xterm-256color", LANG="C.UTF-8", COLORTERM="truecolor")
        os.execvpe(argv[0], argv, child_env)
    cols, rows = size
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    seen = b""
    needle = marker.encode()
    elapsed = -1.0
    deadline = start + timeout
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = (seen + chunk)[-200_000:]
            if elapsed < 0 and needle in seen:
                elapsed = time.perf_counter() - start
                if settle <= 0:
                    break
                deadline = time.perf_counter() + settle
        rss = _peak_rss_kb(pid)
    finally:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    if elapsed < 0:
        raise RuntimeError(f"{argv[0]}: marker {marker!r} never appeared")
    return PaintResult(elapsed, rss)


def minimal_app_argv() -> list[str]:
    return [sys.executable, "-c", MINIMAL_APP]
