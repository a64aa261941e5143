"""What the coding screen looks like at 80x24 and 120x40 (pytest-textual-snapshot): the seed
report imported as new, its first proposal current with its evidence highlighted per field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from db.coding import CodingStore
from tests.coding_screen.conftest import only_source
from tests.explorer.conftest import screen_of, settle, wait_for
from tui.coding_app import CodingApp
from tui.screens.coding import CodingScreen


def run_before(*keys: str):
    async def before(pilot) -> None:
        app = pilot.app
        screen = await screen_of(pilot, app, CodingScreen, "the screen")
        await wait_for(pilot, lambda: bool(screen.items), "the proposals")
        await settle(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is in the picture half the time
        await settle(pilot, app)

    return before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_coding_screen(snap_compare, report_db: Path, size: tuple[int, int]) -> None:
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, only_source(report_db))
        assert snap_compare(app, terminal_size=size, run_before=run_before())


def test_coding_form_at_80x24(snap_compare, report_db: Path) -> None:
    """At 80x24 the form takes the screen while it is used (`e`)."""
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, only_source(report_db))
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before("e"))
