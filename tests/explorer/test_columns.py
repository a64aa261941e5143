"""Choose and reorder the chronology's columns (Ctrl+P › Choose columns…), remembered in the
config dir; the default layout is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explorer.conftest import chronology, screen_text, settle, wait_for
from tui.app import RasdApp
from tui.column_memory import columns_path, load_columns, save_columns
from tui.widgets.chronology_columns import columns_for, parse_columns


def test_chosen_columns_in_their_order_fill_the_width() -> None:
    default = columns_for(120)
    assert [c.key for c in default] == [
        "date", "region", "place", "type", "actors", "fatalities", "claim"
    ]  # fmt: skip
    chosen = columns_for(120, chosen=("fatalities", "date", "type"))
    assert [c.key for c in chosen] == ["fatalities", "date", "type"]
    assert sum(c.width for c in chosen) + len(chosen) - 1 == 120
    assert [c.key for c in columns_for(120, countries=True, chosen=("country", "date"))] == [
        "country",
        "date",
    ]
    assert [c.key for c in columns_for(120, chosen=("country", "date"))] == ["date"]
    assert parse_columns("Dead, date  actor") == ("fatalities", "date", "actors")
    with pytest.raises(ValueError, match="not a column: colour"):
        parse_columns("date colour")


def test_the_choice_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "columns"
    assert load_columns(path) is None
    save_columns(("type", "date"), path)
    assert load_columns(path) == ("type", "date")
    path.write_text("date nonsense\n")
    assert load_columns(path) is None  # damaged: the default


async def test_choose_columns_in_the_palette(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p", *"Choose columns")
        await wait_for(pilot, lambda: "Choose columns…" in screen_text(app), "the entry")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Columns, in order" in screen_text(app), "the prompt")
        await pilot.press("ctrl+u", *"dead type date", "enter")
        await settle(pilot, app)
        view = chronology(app)
        header = screen_text(app).splitlines()[view.content_region.y]
        inside = header[view.content_region.x : view.content_region.right]
        assert inside.split() == ["Dead", "Type", "Date"], inside
    assert columns_path().read_text(encoding="utf-8").split() == ["fatalities", "type", "date"]
    app = RasdApp(db_copy)  # remembered at the next start
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert chronology(app).chosen_columns == ("fatalities", "type", "date")
