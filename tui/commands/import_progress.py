"""A progress bar for `rasd import` on a terminal: one bar per file, moving inside each phase.

The importer reports where each phase starts (db.importers.common.PHASES); between those marks
the bar follows DuckDB's own progress of the statement running on the import connection, read
from a background thread, so a 1 GB file shows movement rather than a spinner.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from db.importers.common import phase_end, track_progress

if TYPE_CHECKING:
    import duckdb

POLL_SECONDS = 0.2


class ImportProgress:
    def __init__(self, console: Console, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._progress = Progress(
            TextColumn("{task.fields[file]}", markup=False),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[phase]}", markup=False),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._span = (0.0, 1.0)
        self._done = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._poll, name="import-progress", daemon=True)

    def __enter__(self) -> ImportProgress:
        track_progress(self._con)
        self._progress.start()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        if kind is None:
            self.finish()
        self._progress.stop()

    def start_file(self, name: str) -> None:
        with self._lock:
            self.finish()
            self._task = self._progress.add_task("", total=1.0, file=name, phase="")
            self._span = (0.0, 1.0)
            self._done = 0.0

    def finish(self) -> None:
        """The current file is done (some phases are skipped when nothing changed)."""
        if self._task is not None:
            self._progress.update(self._task, completed=1.0, phase="done")

    def step(self, label: str, done: float) -> None:
        """Called by the importer at each phase (db.importers.common.StepFn)."""
        with self._lock:
            self._span = (done, phase_end(done))
            self._done = max(self._done, done)
            if self._task is not None:
                self._progress.update(self._task, completed=self._done, phase=label)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            percent = self._con.query_progress()
            with self._lock:
                if self._task is None or percent < 0:
                    continue
                start, end = self._span
                # A phase runs several statements: the bar never moves back.
                here = start + (end - start) * min(percent, 100.0) / 100.0
                self._done = max(self._done, here)
                self._progress.update(self._task, completed=self._done)
