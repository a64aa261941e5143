"""The incident form at the widths analysts use: no control runs past the form's edge."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from db.coding import CodingStore
from tests.coding_screen.conftest import coding_screen, only_source
from tests.explorer.conftest import settle
from tui.coding_app import CodingApp
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
