"""Keys that never get lost: Tab at every size, help with display names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explorer.conftest import screen_text, settle
from tui.app import RasdApp


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_tab_and_shift_tab_cycle_the_panes(db_copy: Path, size: tuple[int, int]) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        seen = []
        for _ in range(3):
            await pilot.press("tab")
            await settle(pilot, app, rounds=3)
            active = app._active_pane()
            assert active is not None
            seen.append(active.id)
            assert active.region.width > 0  # shown, narrow or wide
        assert seen == ["source-pane", "regions-pane", "chronology-pane"]
        await pilot.press("shift+tab")
        await settle(pilot, app, rounds=3)
        assert app._active_pane().id == "regions-pane"  # type: ignore[union-attr]


async def test_help_names_keys_as_printed(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app, rounds=3)
        text = " ".join(line.strip() for line in screen_text(app).splitlines())
        for raw in ("question_mark", "slash", "escape"):
            assert raw not in text
        for shown in ("?, F1", "/ ", "Esc", "Tab", "Shift+Tab", "Ctrl+P", "Enter"):
            assert shown in text, shown
        assert "Filter to the node" in text and "Read source" in text


async def test_a_click_on_a_chronology_row_selects_it(db_copy: Path) -> None:
    from tests.explorer.conftest import chronology
    from tui.widgets.source import SourcePane

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        view = chronology(app)
        assert view.cursor == 0
        await pilot.click(view, offset=(5, 4))  # header, then rows 0, 1, 2 (+ the border-free view)
        await settle(pilot, app)
        row = view.current
        assert view.cursor == 3 - (view.content_region.y - view.region.y) > 0 and row is not None
        shown = app.query_one(SourcePane).shown
        assert shown is not None and shown.incident["event_id"] == row.event_id
