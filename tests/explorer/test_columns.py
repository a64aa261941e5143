"""Choose and reorder the chronology's columns (Ctrl+P › Choose columns…), remembered in the
config dir; the default layout is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.explorer.conftest import chronology, screen_text, settle, wait_for
from tui.app import RasdApp
from tui.column_memory import columns_path, load_columns, save_columns
from tui.widgets.chronology_columns import (
    COLUMN_KEYS,
    LEAST_FLEX,
    NARROW,
    columns_for,
    parse_columns,
)


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


@given(
    st.integers(20, 240),
    st.booleans(),
    st.booleans(),
    st.none() | st.lists(st.sampled_from(COLUMN_KEYS), min_size=1, unique=True).map(tuple),
)
def test_the_columns_fit_the_width_and_keep_the_dead(
    width: int, proposals: bool, countries: bool, chosen: tuple[str, ...] | None
) -> None:
    """A 23-cell list (100 columns, wide Regions) got columns 31 cells wide: its rows ran past
    the border into the Source pane. Flexible columns give way; the date and the dead stay."""
    columns = columns_for(width, proposals, countries, chosen)
    keys = [c.key for c in columns]
    fixed = [c for c in columns if c.key not in ("place", "type", "actors")]
    if sum(c.width for c in fixed) + len(fixed) - 1 <= width:
        assert sum(c.width for c in columns) + len(columns) - 1 <= width, columns
    shown = [k for k in (chosen or COLUMN_KEYS) if countries or k != "country"]
    if width < 64:
        shown = [k for k in shown if k in NARROW] or list(NARROW)
    kept = ("date", "fatalities")
    assert [k for k in keys if k in kept] == [k for k in shown if k in kept]
    assert (keys[:1] == ["status"]) == proposals
    # beside others a flexible column keeps its least (a place cut to "Gou…" told nothing);
    # the place is the last to give way
    flexible = [c for c in columns if c.key in LEAST_FLEX]
    if len(flexible) > 1:
        assert all(c.width >= LEAST_FLEX[c.key] for c in flexible), columns
    if flexible and "place" in shown:
        assert "place" in keys


def test_the_list_at_100_columns_shows_whole_place_names() -> None:
    """The list beside Regions (28) and Source (40) at 100 columns: 30 cells inside its border.
    It showed "Gou…" and "Exp…"; now the place alone, 9 cells with the proposal mark."""
    columns = {c.key: c.width for c in columns_for(30, proposals=True)}
    assert columns.get("place", 0) >= len("Bandiagra") and "type" not in columns


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


async def test_the_scroll_bar_takes_one_cell(acled_db: Path) -> None:
    """At 100 columns the list is 30 cells inside its border; Textual's two-cell scroll bar
    cut "Douentza" to "Douent…" on any database longer than the screen."""
    app = RasdApp(acled_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        view = chronology(app)
        assert view.show_vertical_scrollbar
        assert view.scrollable_content_region.width == view.content_region.width - 1
