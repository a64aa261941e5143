"""The coding screen's fixtures: the seed report imported as a new report into an empty database
(its incidents only proposed by the extractor, none bundled), and the screen on a copy of it."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest
from textual import events
from textual.app import App

from db.seed import source_text
from db.store import atomic_database, open_db
from tests.explorer.conftest import screen_of, wait_for
from tui.cli import main
from tui.screens.coding import CodingScreen

SEED_FILE = "mali-weekly-2026-01-24.ar.txt"
SHARED_SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / SEED_FILE
"""../shared/seed: the report as an analyst would receive it (the same text as db/data's)."""


@pytest.fixture(scope="session")
def report_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: an empty database, then `rasd import report` of the seed report."""
    work = tmp_path_factory.mktemp("coding-report")
    path = work / "rasd.duckdb"
    with atomic_database(path):
        pass
    report = work / SEED_FILE
    text = SHARED_SEED.read_text(encoding="utf-8") if SHARED_SEED.exists() else None
    report.write_text(text or source_text(SEED_FILE), encoding="utf-8")
    assert main(["import", "report", str(report), "--db", str(path)]) == 0
    return path


@pytest.fixture
def report_db(report_seed: Path, tmp_path: Path) -> Path:
    """A private copy of `report_seed` to code in."""
    path = tmp_path / "rasd.duckdb"
    shutil.copy(report_seed, path)
    return path


def only_source(db: Path) -> str:
    con = open_db(db)
    try:
        rows = con.execute("SELECT source_id FROM sources").fetchall()
    finally:
        con.close()
    assert len(rows) == 1, rows
    return str(rows[0][0])


async def coding_screen(pilot, app: App, proposals: int = 9) -> CodingScreen:
    """The coding screen once it shows the report's incidents."""
    screen = await screen_of(pilot, app, CodingScreen, "the coding screen")
    await wait_for(pilot, lambda: len(screen.items) == proposals, f"{proposals} incidents")
    return screen


async def focus(pilot, app: App, widget_id: str) -> None:
    """Tab through the form until `widget_id` has the focus (at most once round).

    Each Tab waits only for the focus to move, not for a full repaint as `Pilot.press` does.
    """
    for _ in range(80):
        here = app.focused
        if here is not None and here.id == widget_id:
            return
        app.post_message(events.Key("tab", None))
        await wait_for(pilot, partial(moved, app, here), "Tab to move the focus")
    raise AssertionError(f"Tab never reached #{widget_id}")


def moved(app: App, before: object) -> bool:
    return app.focused is not before
