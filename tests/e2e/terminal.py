"""Drive a real terminal program in tmux, locally or over a throwaway loopback sshd.

Follows ../shared/notes/terminal-testing.md: one tmux server per test, pinned TERM/LANG,
remain-on-exit to read the exit status, capture with one history row.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import missing

RASD = Path(sys.executable).parent / "rasd"
"""The console script installed beside the interpreter running the tests."""


def child_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LC_ALL", "TMUX", "TMUX_PANE", "COLUMNS", "LINES")
    }
    env.update(TERM="xterm-256color", LANG="C.UTF-8", COLORTERM="truecolor")
    env.update(extra)
    return env


@dataclass
class Tmux:
    """One private tmux server holding one pane."""

    socket: str
    env: dict[str, str]

    def cmd(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=30,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {proc.stderr.strip()}")
        return proc.stdout

    def start(self, command: str, width: int, height: int) -> None:
        self.cmd("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "t", command)
        self.cmd("set-option", "-t", "t", "remain-on-exit", "on")
        self.cmd("set-option", "-t", "t", "status", "off")
        # keep the size we asked for: with no client attached tmux may fall back to 80x24
        self.cmd("set-option", "-g", "window-size", "manual")
        self.resize(width, height)

    def screen(self) -> str:
        return self.cmd("capture-pane", "-p", "-t", "t", "-S", "-1")

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", "t"] + (["-l"] if literal else []) + list(keys)
        self.cmd(*args)

    def resize(self, width: int, height: int) -> None:
        self.cmd("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out; screen was:\n{screen}")

    def wait_text(self, text: str, timeout: float = 20.0) -> str:
        return self.wait_for(lambda s: text in s, timeout)

    def wait_stable(self, quiet: float = 0.4, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return now
        return last

    def pane(self, fmt: str) -> str:
        return self.cmd("display-message", "-p", "-t", "t", fmt).strip()

    def dead_status(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pane("#{pane_dead}") == "1":
                status = self.pane("#{pane_dead_status}")
                if status:  # tmux sets it a moment after marking the pane dead
                    return int(status)
            with suppress(Exception):
                pid = int(self.cmd("display-message", "-p", "#{pid}").strip())
                os.kill(pid, signal.SIGCHLD)  # tmux 3.3a sometimes misses the exit
            time.sleep(0.1)
        raise AssertionError(f"program did not exit; screen:\n{self.screen()}")

    def kill(self) -> None:
        self.cmd("kill-server", check=False)


@contextmanager
def tmux(command: str, width: int = 120, height: int = 40, **env: str) -> Iterator[Tmux]:
    if not shutil.which("tmux"):
        missing("tmux")
    session = Tmux(f"rasd-{uuid.uuid4().hex[:8]}", child_env(**env))
    session.start(command, width, height)
    try:
        yield session
    finally:
        session.kill()


def rasd_command(*args: str, **env: str) -> str:
    """A shell command line that runs the installed rasd with a pinned environment."""
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    return f"env {assignments} {shlex.quote(str(RASD))} {shlex.join(args)}".strip()
