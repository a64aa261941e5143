"""The footer shows the keys that fit, each whole, and Ctrl+P always: Textual clipped the row
mid-word under the palette key (`a Acto▏^p palette`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explorer.conftest import screen_text, settle
from tui.app import RasdApp
from tui.widgets.footer import KeyFooter


@pytest.mark.parametrize("width", [80, 96, 120])
async def test_every_shown_hint_is_whole_and_ctrl_p_shows(db_copy: Path, width: int) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot, app)
        for pane in ("1", "2", "3"):
            await pilot.press(pane)
            await settle(pilot, app, rounds=5)
            footer = app.query_one(KeyFooter)
            line = screen_text(app).splitlines()[-1]
            assert line.rstrip().endswith("^p palette"), line
            hints = [f"{k.key_display} {k.description}".strip() for k in footer.items]
            shown = [h.strip() for h in line.split("▏")[0].split("  ") if h.strip()]
            assert shown, line
            assert shown == hints[: len(shown)], (width, shown, hints)  # whole, in order
            assert len(line) == width
            if len(shown) < len(hints):  # the first one left out would not have fitted
                room = width - len("▏^p palette ")
                assert len(" ".join(f" {h} " for h in hints[: len(shown) + 1])) > room
