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


async def test_footer_redraws_only_when_its_keys_change(db_copy: Path) -> None:
    """The footer is one widget: focus moves and binding refreshes that leave the shown keys
    alone do not even repaint it (Textual's Footer remounted a widget per key on each, then
    laid out the screen: ~80 ms of every pane switch); a pane with other keys, a remapped key,
    still shows at once."""
    from tui.widgets.footer import KeyFooter

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        footer = app.query_one(KeyFooter)

        def footer_text() -> str:
            return screen_text(app).splitlines()[-1]

        await pilot.press("2")
        await settle(pilot, app, rounds=3)
        before = footer.items
        assert "Read source" in footer_text() and "Up a level" not in footer_text()
        assert not footer.children  # no widget per key
        for _ in range(5):
            app.screen.refresh_bindings()
            await pilot.press("2")
            await pilot.pause()
        await settle(pilot, app, rounds=3)
        assert footer.items is before  # read again, found the same, kept

        await pilot.press("1")
        await settle(pilot, app, rounds=3)
        assert "Up a level" in footer_text() and "Read source" not in footer_text()
        assert footer.items != before

        app.update_keymap({"app.copy_citation": "c"})
        await settle(pilot, app, rounds=3)
        assert any(k.key == "c" and k.description == "Copy citation" for k in footer.items)


async def test_a_click_on_a_footer_key_presses_it(db_copy: Path) -> None:
    from tui.screens.help import HelpScreen
    from tui.widgets.footer import KeyFooter

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        await settle(pilot, app, rounds=3)
        line = screen_text(app).splitlines()[-1]
        x = line.index("? Help")
        await pilot.hover(KeyFooter, offset=(x + 1, 0))
        await pilot.pause()
        hovered = app.query_one(KeyFooter)._hover
        assert hovered is not None and hovered.description == "Help"
        await pilot.click(KeyFooter, offset=(x + 1, 0))
        await settle(pilot, app, rounds=3)
        assert isinstance(app.screen, HelpScreen)
