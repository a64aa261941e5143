"""What the user sees, timed from outside: rasd on a real pty, read by a terminal emulator.

The program runs on a pseudo-terminal of 120x40 cells; its output is read as it arrives and fed
to pyte (a VT emulator), and the clock stops at the arrival of the chunk after which the screen
shows what a key asked for (rows and their count, a region's count, the map). Nothing polls: the
harness sleeps in select() until the program writes, so the only overhead is pyte parsing the
chunks (measured and printed: `feed`). tmux (tests/e2e/terminal.py) polls capture-pane instead,
~11 ms per look.

The same harness times a minimal Textual app (a label that changes on every key): its start-up
and its key-to-screen time are the floor any Textual program pays on this machine in this run.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import pty
import queue
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyte

Screen = list[str]
Done = Callable[[Screen], bool]

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    presses = 0
    def compose(self):
        yield Label("minimal-ready")
    def on_key(self, event):
        self.presses += 1
        self.query_one(Label).update(f"minimal-key-{self.presses}")
Minimal().run()
"""

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
"""Synchronized output (mode 2026) supported: Textual then brackets each frame, and the screen
is read only between frames, as a terminal that supports it shows it."""
SYNC_START, SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"
KEY_TIMEOUT = 30.0
PAGE_DOWN = b"\x1b[6~"
ENTER = b"\r"
ESCAPE = b"\x1b"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
COUNT = re.compile(r"([\d,]+) inc")


def minimal_argv() -> list[str]:
    return [sys.executable, "-c", MINIMAL_APP]


@dataclass
class Memory:
    """VmHWM (peak) and VmRSS of a process, in kB, from /proc (no psutil)."""

    peak_kb: int = 0
    resident_kb: int = 0


def memory(pid: int) -> Memory:
    out = Memory()
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                out.peak_kb = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                out.resident_kb = int(line.split()[1])
    return out


@dataclass
class PtySession:
    """One program on a pty, its screen kept by pyte as the output arrives."""

    argv: list[str]
    size: tuple[int, int] = (120, 40)
    started: float = 0.0
    last_arrival: float = 0.0
    feed_ms: list[float] = field(default_factory=list)
    """Time pyte took per chunk: the harness's own overhead."""

    def __post_init__(self) -> None:
        cols, rows = self.size
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self.syncing = False
        self._tail = b""
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            env = dict(os.environ)
            for name in ("LC_ALL", "TMUX", "TMUX_PANE", "COLUMNS", "LINES"):
                env.pop(name, None)
            env.update(TERM="xterm-256color", LANG="C.UTF-8", COLORTERM="truecolor")
            os.execvpe(self.argv[0], self.argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGWINCH)
        # a thread of its own reads and timestamps: parsing (up to ~20 ms for a whole frame)
        # never delays the clock of the next chunk, nor the program's writes (a full pty blocks)
        self._reader = threading.Thread(target=self._pump, name="pty-reader", daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        while True:
            try:
                select.select([self.fd], [], [])
                arrived = time.perf_counter()
                chunk = os.read(self.fd, 1 << 16)
                if SYNC_QUERY in chunk:  # as kitty, foot, WezTerm or iTerm2 answer
                    os.write(self.fd, SYNC_SUPPORTED)
            except (OSError, ValueError):
                chunk = b""
            self.chunks.put((time.perf_counter() if not chunk else arrived, chunk))
            if not chunk:
                return

    def lines(self) -> Screen:
        return list(self.screen.display)

    def _read(self, wait: float) -> bool:
        """Parse what arrived within `wait` s (False: nothing did); `syncing` says whether the
        screen is half a frame (synchronized output, mode 2026, still open)."""
        try:
            arrived, chunk = self.chunks.get(timeout=wait) if wait > 0 else self.chunks.get_nowait()
        except queue.Empty:
            return False
        if not chunk:
            self.chunks.put((arrived, chunk))  # stays ended
            raise RuntimeError(f"{self.argv[0]} ended; screen:\n" + "\n".join(self.lines()))
        began = time.perf_counter()
        self.stream.feed(chunk)
        self.feed_ms.append((time.perf_counter() - began) * 1000)
        seen = self._tail + chunk
        start, end = seen.rfind(SYNC_START), seen.rfind(SYNC_END)
        if start >= 0 or end >= 0:
            self.syncing = start > end
        self._tail = chunk[-len(SYNC_START) :]
        self.last_arrival = arrived
        return True

    def wait(self, done: Done, timeout: float = 120.0) -> float:
        """perf_counter() at the arrival of the output after which `done(screen)` held."""
        if done(self.lines()):
            return self.last_arrival
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError("timed out; screen:\n" + "\n".join(self.lines()))
            if self._read(min(left, 0.5)) and not self.syncing and done(self.lines()):
                return self.last_arrival

    def settle(self, quiet: float = 0.25, timeout: float = 60.0) -> Screen:
        """Parse until the program has written nothing for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self._read(quiet):
                break
        return self.lines()

    def drain(self) -> Screen:
        """Parse what has arrived so far, without waiting."""
        while self._read(0):
            pass
        return self.lines()

    def press(self, keys: bytes, done: Done | Changed, timeout: float = 120.0) -> float:
        """Milliseconds from writing `keys` to the screen showing `done`.

        `done` may be made from the screen as it is just before the key (`rows_changed`).
        """
        screen = self.drain()  # whatever was already written is not an answer to this key
        if isinstance(done, Changed):
            done = done(screen)
        if done(screen):
            raise RuntimeError("the screen already showed what the key is to show")
        start = time.perf_counter()
        os.write(self.fd, keys)
        return (self.wait(done, timeout) - start) * 1000

    def type(self, keys: bytes, done: Done, timeout: float = 30.0) -> None:
        """Untimed keys (navigation, a prompt's text), until the screen shows `done`."""
        self.drain()
        os.write(self.fd, keys)
        if not done(self.lines()):
            self.wait(done, timeout)

    def memory(self) -> Memory:
        return memory(self.pid)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        for _ in range(100):
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        self._reader.join(timeout=1)


# ---- reading rasd's screen ----------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A bordered pane: its top border (title) and the lines inside it."""

    title: str
    body: list[str]


def box(screen: Screen, tag: str) -> Box | None:
    """The pane whose top border holds `tag` (e.g. "[2]")."""
    for y, line in enumerate(screen):
        at = line.find(tag)
        if at < 0:
            continue
        left, right = line.rfind("╭", 0, at), line.find("╮", at)
        if left < 0 or right < 0:
            continue
        body = []
        for below in screen[y + 1 :]:
            if below[left : left + 1] != "│":
                break
            body.append(below[left + 1 : right])
        return Box(line[left : right + 1], body)
    return None


def count_in(title: str) -> int | None:
    found = COUNT.search(title)
    return int(found.group(1).replace(",", "")) if found else None


def chronology(screen: Screen) -> tuple[int | None, list[str]]:
    """The chronology's count (None while counting) and its rows, [] while any is loading."""
    pane = box(screen, "[2]")
    if pane is None:
        return None, []
    rows = [line for line in pane.body if DATE.match(line)]
    loading = any(line.strip() in ("…", "counting…") for line in pane.body)
    return count_in(pane.title), [] if loading else rows


def shows(text: str) -> Done:
    def done(screen: Screen) -> bool:
        return any(text in line for line in screen)

    return done


def rows_and_count(screen: Screen) -> bool:
    count, rows = chronology(screen)
    return count is not None and bool(rows)


def every_pane(screen: Screen) -> bool:
    """Count, rows, counts over time and the region tree's total, all shown."""
    text = "\n".join(screen)
    return (
        rows_and_count(screen)
        and "counts over time: loading" not in text
        and "loading…" not in text
        and re.search(r"All incidents +[\d,]+", text) is not None
    )


def filter_bar(screen: Screen) -> str:
    return screen[0].strip()


@dataclass(frozen=True)
class Changed:
    """A predicate made from the screen just before the key: `make(screen)`."""

    make: Callable[[Screen], Done]

    def __call__(self, screen: Screen) -> Done:
        return self.make(screen)


def _rows_other_than(before: Screen) -> Done:
    old = chronology(before)[1]

    def done(screen: Screen) -> bool:
        count, rows = chronology(screen)
        return count is not None and bool(rows) and rows != old

    return done


ROWS_CHANGED = Changed(_rows_other_than)
"""The list shows loaded rows (and the count) other than those shown before the key."""


def _rows_moved(before: Screen) -> Done:
    old = chronology(before)[1]

    def done(screen: Screen) -> bool:
        rows = chronology(screen)[1]
        return bool(rows) and rows != old

    return done


ROWS_MOVED = Changed(_rows_moved)
"""Loaded rows other than before, the count aside (a title naming the sort may leave it out)."""


def _resorted(before: Screen) -> Done:
    old = chronology(before)[1]

    def done(screen: Screen) -> bool:
        pane = box(screen, "[2]")
        rows = chronology(screen)[1]
        return pane is not None and "counting" not in pane.title and bool(rows) and rows != old

    return done


RESORTED = Changed(_resorted)
"""The list shows loaded rows in another order (the title may have no room left for the count
once it names the sort)."""


def _map_moved(before: Screen) -> Done:
    old = map_line(before, "cell ≈")

    def done(screen: Screen) -> bool:
        scale = map_line(screen, "cell ≈")
        return map_shown(screen) and scale is not None and scale != old

    return done


MAP_MOVED = Changed(_map_moved)


def counted(expected: int) -> Done:
    """The list shows loaded rows and the count `expected` (a region chosen)."""

    def done(screen: Screen) -> bool:
        count, rows = chronology(screen)
        return count == expected and bool(rows)

    return done


def map_line(screen: Screen, mark: str) -> str | None:
    pane = box(screen, "Map [4]")
    if pane is None:
        return None
    return next((line.strip() for line in pane.body if mark in line), None)


def map_shown(screen: Screen) -> bool:
    pane = box(screen, "Map [4]")
    if pane is None or count_in(pane.title) is None:
        return False
    return "per cell" in "".join(pane.body)


def searched(word_shown: Callable[[Screen], bool], stage: str) -> Done:
    def done(screen: Screen) -> bool:
        if not word_shown(screen):
            return False
        if stage == "first page":
            return bool(chronology(screen)[1])
        if stage == "count":
            return rows_and_count(screen)
        return every_pane(screen)

    return done


@dataclass(frozen=True)
class Plan:
    """What the scripted session chooses, with the counts the screen must then show."""

    countries: list[int]
    """Incidents of the tree's first countries, in tree order."""
    regions: list[int]
    """Incidents of the first country's first admin1 regions, in tree order."""
    words: tuple[str, ...]


@dataclass
class SessionResult:
    keys: dict[str, list[float]]
    memory: list[tuple[str, Memory]]
    feed_ms: list[float]


def down(n: int) -> bytes:
    return b"g" + b"j" * n


def scripted_session(argv: list[str], plan: Plan, repeats: int = 12) -> SessionResult:
    """One rasd, driven through every interaction the benchmark times; memory sampled after
    each phase (VmHWM at the end is the peak of the whole session)."""
    term = PtySession(argv)
    keys: dict[str, list[float]] = {}
    samples: list[tuple[str, Memory]] = []
    try:
        term.wait(every_pane)
        term.settle(0.5)
        samples.append(("first screen", term.memory()))

        def timed(name: str, key: bytes, done: Done | Changed) -> None:
            try:
                keys.setdefault(name, []).append(term.press(key, done, KEY_TIMEOUT))
            except RuntimeError:  # printed as inf: the screen never showed it
                keys.setdefault(name, []).append(math.inf)
                term.settle(1.0)

        for _ in range(repeats):
            timed("page down", PAGE_DOWN, ROWS_CHANGED)
        for _ in range(repeats // 2):
            timed("jump to end (G)", b"G", ROWS_CHANGED)
            timed("jump to end (G)", b"g", ROWS_CHANGED)
        for _ in range(repeats // 2):
            timed("sort (r)", b"r", RESORTED)
        term.settle()
        for _ in range(3):  # s cycles date -> fatalities -> type -> actor -> region -> date
            for column in ("fatalities", "type", "actor", "region", "date"):
                timed(f"sort by {column} (s)", b"s", RESORTED)
                if column == "fatalities":
                    for _ in range(repeats // 3):
                        timed("sorted by fatalities: page down", PAGE_DOWN, ROWS_MOVED)
        term.settle()
        samples.append(("keys", term.memory()))

        term.type(b"1", lambda s: True)
        # bottom up: choosing a node expands it, which moves only the lines below it
        for i in reversed(range(len(plan.countries))):
            term.type(down(i + 1), lambda s: True)
            term.settle(0.15)
            timed("Enter on a country", ENTER, counted(plan.countries[i]))
            term.settle(0.3)
        for i in reversed(range(len(plan.regions))):
            term.type(down(i + 2), lambda s: True)
            term.settle(0.15)
            timed("Enter on a region", ENTER, counted(plan.regions[i]))
            term.settle(0.3)
        samples.append(("regions", term.memory()))
        term.type(ESCAPE, lambda s: filter_bar(s) == "All")
        term.settle(0.5)

        timed("map (4)", b"4", map_shown)
        term.settle(0.5)
        for key in (b"+", b"-") * (repeats // 2):
            timed("map: zoom key", key, MAP_MOVED)
        term.settle(0.3)
        samples.append(("map", term.memory()))
        term.type(b"3", lambda s: box(s, "Source [3]") is not None)
        term.type(b"2", lambda s: True)
        term.settle(0.3)

        for word in plan.words * 3:
            term.type(b"/", shows("Search (Arabic"))
            term.type(word.encode(), lambda s: True)
            term.settle(0.2)
            term.drain()

            def changed(screen: Screen) -> bool:
                return filter_bar(screen) != "All"

            start = time.perf_counter()
            os.write(term.fd, ENTER)
            for stage in ("first page", "count", "every pane"):
                seen = term.wait(searched(changed, stage))
                keys.setdefault(f"search: {stage}", []).append((seen - start) * 1000)
            term.settle(0.2)
            samples.append((f"search {word}", term.memory()))
            term.type(ESCAPE, lambda s: filter_bar(s) == "All" and every_pane(s))
            term.settle(0.3)
        samples.append(("end", term.memory()))
    finally:
        term.close()
    return SessionResult(keys, samples, term.feed_ms)


def minimal_keys(repeats: int = 12) -> list[float]:
    """Key to screen on the minimal app: the floor of any key in any Textual program."""
    term = PtySession(minimal_argv())
    try:
        term.wait(shows("minimal-ready"))
        term.settle(0.3)
        out = []
        for n in range(1, repeats + 1):
            out.append(term.press(PAGE_DOWN, shows(f"minimal-key-{n}")))
        return out
    finally:
        term.close()


def first_screen_ms(argv: list[str]) -> float:
    """Spawn to the first screen showing chronology rows and the count."""
    term = PtySession(argv)
    try:
        return (term.wait(rows_and_count, 120) - term.started) * 1000
    finally:
        term.settle(0.3, 2)  # let it write its cache if it has none (not timed)
        term.close()


def map_first_showing_ms(argv: list[str]) -> float:
    """A fresh rasd, its first screen in and settled (its map counted ahead, hidden), to `4`
    showing the map with its count: the first showing, once per process."""
    term = PtySession(argv)
    try:
        term.wait(every_pane, 120)
        term.settle(1.0)
        return term.press(b"4", map_shown, KEY_TIMEOUT)
    finally:
        term.close()


def minimal_start_ms() -> float:
    term = PtySession(minimal_argv())
    try:
        return (term.wait(shows("minimal-ready"), 60) - term.started) * 1000
    finally:
        term.close()
