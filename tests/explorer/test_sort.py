"""The chronology sorted by any column, on the real ACLED samples: every window of the sorted
pager equals a full SQL sort (with and without a filter, from the index and from a scan), and
`s` / `S` sort and flip in the explorer, the sort shown in the title."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.queries import ROW_COLUMNS, Filter, IncidentRow, where
from db.sort_index import SORT_COLUMNS, SORT_KEYS, Sort, SortedPager, _order_sql, sorted_position
from db.store import open_db
from tests.explorer.conftest import chronology, settle, shows_sort
from tui.app import RasdApp
from tui.widgets.chronology import ChronologyView


def full_sort(con, f: Filter, sort: Sort) -> list[IncidentRow]:  # type: ignore[no-untyped-def]
    clause, params = where(f)
    rows = con.execute(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents {clause} "
        f"ORDER BY {_order_sql(SORT_COLUMNS[sort.key], sort.order)}",
        params,
    ).fetchall()
    return [IncidentRow(*r) for r in rows]


FILTERS = (Filter(statuses=None), Filter(country="Mali", statuses=None), Filter(search="ambush"))


@pytest.mark.parametrize("key", [k for k in SORT_KEYS if k != "date"])
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_every_window_equals_a_full_sort(acled_db: Path, key, order) -> None:  # type: ignore[no-untyped-def]
    con = open_db(acled_db)
    try:
        for f in FILTERS:
            sort = Sort(key, order)
            expected = [r.event_id for r in full_sort(con, f, sort)]
            pager = SortedPager(con, f, sort)
            assert pager.prepare() == len(expected)
            for offset in (0, 1, 127, 500, len(expected) // 2, len(expected) - 50):
                got = [r.event_id for r in pager.window(offset, 128)]
                assert got == expected[max(offset, 0) : offset + 128], (key, order, f, offset)
    finally:
        con.close()


def test_without_the_index_the_cells_are_counted(acled_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "stale.duckdb"
    shutil.copy(acled_db, db)
    con = open_db(db, read_only=False)
    try:
        con.execute("DELETE FROM meta WHERE key = 'sort_index_rows'")
        for key in ("fatalities", "region"):
            sort = Sort(key, "desc")  # type: ignore[arg-type]
            pager = SortedPager(con, Filter(statuses=None), sort)
            assert not pager._indexed
            expected = [r.event_id for r in full_sort(con, Filter(statuses=None), sort)]
            assert [r.event_id for r in pager.window(200, 300)] == expected[200:500]
    finally:
        con.close()


async def test_s_sorts_and_S_flips_with_the_sort_in_the_title(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        view = app.query_one(ChronologyView)
        title = lambda: str(app.query_one("#chronology-pane").border_title)  # noqa: E731
        assert "by " not in title()
        await pilot.press("s")
        await settle(pilot, app)
        assert view.sort == Sort("fatalities", "desc")
        assert shows_sort(title(), "fatalities ↓") and "13,318" in title(), title()
        con = open_db(acled_db)
        try:
            top = con.execute("SELECT max(fatalities) FROM incidents").fetchone()
        finally:
            con.close()
        row = chronology(app).current
        assert row is not None and top is not None and row.fatalities == top[0]
        await pilot.press("S")
        await settle(pilot, app)
        assert shows_sort(title(), "fatalities ↑"), title()
        row = chronology(app).current
        assert row is not None and row.fatalities == 0
        for key in ("type", "actor", "region", "date"):
            await pilot.press("s")
            await settle(pilot, app)
            assert view.sort_key == key
        assert view.sort == Sort("date", "asc") and shows_sort(title(), "date ↑"), title()


def test_an_incident_is_found_in_any_sort(acled_db: Path) -> None:
    con = open_db(acled_db)
    try:
        for key in ("fatalities", "region"):
            for order in ("desc", "asc"):
                sort = Sort(key, order)  # type: ignore[arg-type]
                f = Filter(country="Mali", statuses=None)
                ids = [r.event_id for r in full_sort(con, f, sort)]
                for at in (0, 7, len(ids) // 2, len(ids) - 1):
                    assert sorted_position(con, f, sort, ids[at]) == at
                assert sorted_position(con, f, sort, "no such id") is None
    finally:
        con.close()


async def test_a_jump_lands_on_the_incident_in_a_sorted_list(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("2", "s")
        await settle(pilot, app)
        con = open_db(acled_db)
        try:
            ids = [r.event_id for r in full_sort(con, Filter(statuses=None), Sort("fatalities"))]
        finally:
            con.close()
        view = app.query_one(ChronologyView)
        view.go_to_incident(ids[321])
        await settle(pilot, app)
        assert view.cursor == 321
        row = chronology(app).current
        assert row is not None and row.event_id == ids[321]
