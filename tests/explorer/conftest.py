"""Explorer fixtures: the app on a private copy of the seed database, driven by the Pilot."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import pytest
from textual.app import App
from textual.screen import Screen
from textual.worker import WorkerError

from db.queries import IncidentRow
from tests.conftest import shared_dir
from tui.app import RasdApp
from tui.cli import main as rasd_main
from tui.widgets.chronology import ChronologyView
from tui.widgets.source import Shown, SourcePane

S = TypeVar("S", bound=Screen)

ACLED = ("mali-1997-2020.acled.csv", "world-2022h1-sample.acled.csv")
"""The real ACLED samples in ../shared/data/acled (13,318 incidents, 60+ countries)."""


@pytest.fixture(scope="session")
def acled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both ACLED samples imported once per session; tests must not write to it."""
    db = tmp_path_factory.mktemp("acled") / "acled.duckdb"
    files = [str(shared_dir() / "data" / "acled" / name) for name in ACLED]
    assert rasd_main(["import", "acled", *files, "--db", str(db)]) == 0
    return db


async def settle(pilot, app: App, rounds: int = 40) -> None:
    """Wait until every worker has finished and the screen is repainted; fail if they never do
    (a test that went on would check a screen still loading).

    A worker that failed or was cancelled (an interrupted query, a locked database) has finished
    too: `wait_for_complete` raises for it while it is still listed, so that is not a failure here.
    """
    for _ in range(rounds):
        await pilot.pause()
        with suppress(WorkerError):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    running = [w.name for w in app.workers if w.is_running]
    raise AssertionError(f"workers still running after {rounds} rounds: {running}")


async def wait_for(pilot, condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    """Pause until `condition()` holds (a result that arrives from a worker), or fail saying what."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


async def screen_of(pilot, app: App, kind: type[S], what: str) -> S:
    """The screen on top once it is a `kind` and mounted (composed, its widgets there).

    `app.screen` is the new screen as soon as it is pushed, before its `compose` has run: a
    query straight after found no widgets (a CI run failed so).
    """
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted, what)
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


def current(app: RasdApp) -> IncidentRow:
    """The incident under the chronology's cursor (failing if there is none)."""
    row = chronology(app).current
    assert row is not None, "no incident under the cursor"
    return row


def shown(app: RasdApp) -> Shown:
    """What the source pane shows (failing if it shows no incident)."""
    state = app.query_one(SourcePane).shown
    assert state is not None, "the source pane shows no incident"
    return state


def chronology(app: RasdApp) -> ChronologyView:
    return app.query_one(ChronologyView)


def screen_text(app: RasdApp) -> str:
    """What a person sees: the screen's lines as plain text (the top screen, modals included)."""
    # Textual has no public way to read the screen as text; its own export_screenshot() reads
    # the compositor like this.
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def shows_sort(title: str, label: str) -> bool:
    """The sort in a title, in full ("by fatalities ↓") or as a narrow pane has it
    ("fatalities↓", tui.status_forms)."""
    return f"by {label}" in title or f"{label} ·" in title or label.replace(" ", "") in title
