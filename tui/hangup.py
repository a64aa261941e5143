"""Ending the explorer when its terminal goes away or a signal asks, whatever its threads are doing.

Textual writes each frame from a thread of its own. When the terminal goes away (the SSH
connection drops, `tmux kill-session`), that thread's write fails with EIO, the thread dies, the
queue of frames fills up and the UI thread blocks forever putting the next one there: rasd was
left running with no terminal, PPID 1, deaf to SIGTERM (its handler waits for the blocked loop).

So, three layers:
- `TerminalOutput`: a write error on the terminal means it is gone; further output is dropped
  (never raised, never blocking), and the exit is asked for.
- `ExitGuard`: SIGHUP, SIGTERM, SIGINT and a terminal gone (output failing, or the terminal
  reporting a hangup, seen even while nothing is drawn) ask the app to exit like `q` does, from
  a thread of its own; if the process still exists after a deadline (a thread stuck, a query that
  does not stop), it restores what it can of the terminal and ends the process.
- `HangupDriver`: Textual's Linux driver with that output, and SIGCONT handled only after a
  suspension of its own (Textual restarted its application mode on any SIGCONT, starting a
  second pair of input and output threads; a hangup sends SIGCONT too).

Exit codes: 129 after a hangup, 143 after SIGTERM (128 + the signal, what a supervisor expects),
0 after SIGINT (a quit request, like `q`).
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import IO

from textual.drivers.linux_driver import LinuxDriver

from tui.terminal_modes import IMPLICIT_BIDI

HANGUP_DEADLINE = 0.6
"""Seconds the orderly exit may take after the terminal went away (the goal is one second)."""
SIGNAL_DEADLINE = 3.0
"""Seconds it may take after SIGTERM/SIGINT: the terminal is still there, restoring it matters."""
EXIT_CODES = {
    signal.SIGHUP: 128 + signal.SIGHUP,
    signal.SIGTERM: 128 + signal.SIGTERM,
    signal.SIGINT: 0,
}
RESTORE = (
    IMPLICIT_BIDI + "\x1b[<u"
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    "\x1b[?2004l"
    "\x1b[?1004l"
    "\x1b[?7h"
    "\x1b[?1049l"
    "\x1b[?25h"
)
"""What Textual undoes leaving: kitty keys, mouse, paste, focus events, line wrap, alternate
screen, cursor; and what rasd switched (`tui.terminal_modes`). Written only as a last resort."""


class TerminalOutput:
    """The terminal as Textual's writer thread sees it: a failed write means it is gone."""

    def __init__(self, file: IO[str], on_gone: Callable[[], None]) -> None:
        self._file = file
        self._on_gone = on_gone
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):  # EIO, EPIPE; ValueError: the file was closed
                self._lost()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self._lost()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True

    def _lost(self) -> None:
        self.gone = True
        # what is still buffered, and whatever prints at exit, goes nowhere instead of failing
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            for fd in (1, 2):
                os.dup2(devnull, fd)
            os.close(devnull)
        except OSError:
            pass
        self._on_gone()


class HangupDriver(LinuxDriver):
    """Textual's Linux driver, told what to do when the terminal goes away."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.on_gone: Callable[[], None] = lambda: None
        """Set by the app; called once, from the writer thread, when the terminal is gone."""
        self._file = TerminalOutput(self._file, lambda: self.on_gone())  # type: ignore[assignment,arg-type]

    def _sigcont_application(self, *_: object) -> None:
        """Resume only after our own suspension (Ctrl+Z); after any other SIGCONT, repaint."""
        if self._must_signal_resume:
            super()._sigcont_application()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not running (yet, or any more): nothing to repaint
            return
        # as the driver itself posts SignalResume after a suspension: the app repaints on it
        asyncio.run_coroutine_threadsafe(self._app._post_message(self.SignalResume()), loop)


class ExitGuard:
    """Turns hangups and signals into an exit that happens, within a deadline.

    Signal handlers only note the reason and write a byte to a pipe (no lock that an
    interrupted thread could hold); one thread waits on that pipe and on the terminal.
    """

    def __init__(self, request_exit: Callable[[int], None], restore: Callable[[], None]) -> None:
        self._request_exit = request_exit
        self._restore = restore
        self._reason: tuple[int, float] | None = None
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)

    def install(self, terminal_fd: int) -> None:
        """Handle the signals (main thread only) and watch the terminal for a hangup."""
        for number in EXIT_CODES:
            signal.signal(number, self._on_signal)
        threading.Thread(
            target=self._watch, args=(terminal_fd,), name="rasd-exit-guard", daemon=True
        ).start()

    def _on_signal(self, number: int, _frame: object) -> None:
        deadline = HANGUP_DEADLINE if number == signal.SIGHUP else SIGNAL_DEADLINE
        self.trigger(EXIT_CODES[signal.Signals(number)], deadline)

    def terminal_gone(self) -> None:
        self.trigger(EXIT_CODES[signal.SIGHUP], HANGUP_DEADLINE)

    def trigger(self, code: int, deadline: float) -> None:
        """Ask for the exit (the first reason wins); safe in a signal handler and any thread."""
        if self._reason is None:
            self._reason = (code, deadline)
        with suppress(OSError):  # the pipe is full: the guard is awake already
            os.write(self._wake_write, b"x")

    def _watch(self, terminal_fd: int) -> None:
        poller = select.poll()
        poller.register(self._wake_read, select.POLLIN)
        poller.register(terminal_fd, 0)  # reports only error and hangup conditions
        gone = select.POLLHUP | select.POLLERR | select.POLLNVAL
        while self._reason is None:
            for fd, mask in poller.poll():
                if fd == terminal_fd and mask & gone:
                    self.terminal_gone()  # a hung-up terminal says so even with nothing to draw
                    poller.unregister(terminal_fd)
        started = time.monotonic()
        code, deadline = self._reason
        with suppress(RuntimeError):  # the event loop has closed: the exit is under way
            self._request_exit(code)
        time.sleep(max(deadline - (time.monotonic() - started), 0))
        # still here: a thread does not let go; the process ends anyway
        restorer = threading.Thread(target=self._restore, daemon=True)
        restorer.start()
        restorer.join(0.1)  # a terminal that does not take output must not hold the exit
        os._exit(code)


def restore_terminal(attrs: list | None) -> None:
    """Last resort: the modes Textual set, undone without its (possibly stuck) threads."""
    try:
        if attrs is not None:
            termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, attrs)  # type: ignore[union-attr]
        os.write(sys.__stderr__.fileno(), RESTORE.encode())  # type: ignore[union-attr]
    except (OSError, termios.error, AttributeError, ValueError):
        pass
