"""The incident form at the widths analysts use: no control runs past the form's edge."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from rich.cells import cell_len
from textual import events
from textual.widgets import Static

from db.coding import CodingStore
from db.store import atomic_database
from tests.coding_screen.conftest import coding_screen, only_source
from tests.explorer.conftest import settle
from tui.cli import main
from tui.coding_app import CodingApp
from tui.widgets.coding_list import CodingList
from tui.widgets.incident_form import IncidentForm


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (110, 30), (120, 40)])
async def test_every_control_is_inside_the_form(report_db: Path, size: tuple[int, int]) -> None:
    """A control cut by the form's edge shows part of its label with no mark ("▐ ▌ not
    report" at 100 columns) and hides the confidence mark beside it; a row too full squeezes
    its mark ("~0.7" for ~0.75)."""
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=size) as pilot:
            await coding_screen(pilot, app)
            await pilot.press("3")
            await settle(pilot, app)
            form = app.screen.query_one(IncidentForm)
            for mark in form.query(".mark"):  # the widest a confidence is drawn, on every row
                cast(Static, mark).update("~0.75")
            await settle(pilot, app)
            right = form.scrollable_content_region.right  # left of its scroll bar
            outside = [
                (w.id or type(w).__name__, w.region.right, right)
                for row in form.query(".row")
                for w in row.children
                if w.display and w.region.width and w.region.right > right
            ]
            assert outside == []
            squeezed = [
                (mark.id, text, mark.content_region.width)
                for mark in form.query(".mark")
                if mark.display and cell_len(text := str(mark.render())) > mark.content_region.width
            ]
            assert squeezed == []


R11 = Path(__file__).resolve().parents[1] / "extract" / "reports" / "r11.ar.txt"
"""Three incidents: 7 dead, 4 dead, a number not reported."""


async def test_a_quick_second_load_keeps_its_own_fields(tmp_path: Path) -> None:
    """`j j` arriving together (a terminal sends them in one read) loads two incidents
    before the form's messages are handled. The first load's, handled after the second,
    ticked "not reported" and then emptied the fatalities of the incident shown ("✗ a
    number, or tick “not reported”" on one coded with 7 dead)."""
    db = tmp_path / "rasd.duckdb"
    with atomic_database(db):
        pass
    assert main(["import", "report", str(R11), "--db", str(db)]) == 0
    with CodingStore.open(db, user="tester") as store:
        app = CodingApp(store, only_source(db))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await coding_screen(pilot, app, proposals=3)
            dead = [i.fields.get("fatalities") for i in screen.items]
            assert dead == [7, 4, None]
            await pilot.press("2")
            listing = app.screen.query_one(CodingList)
            listing.highlighted = 1
            await settle(pilot, app)
            for _ in range(2):  # both before either is handled: to "not reported", then on
                app.post_message(events.Key("j", "j"))
            await settle(pilot, app)
            form = app.screen.query_one(IncidentForm)
            assert listing.highlighted == 0  # past the last, back to the first
            assert form.value()["fatalities"] == 7
            assert form.errors() == {}
