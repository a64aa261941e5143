"""Views: the filter and sort saved under a name (Ctrl+P › Save view…), in the config dir,
atomically; reopened from the palette or `rasd --view NAME`; `e` exports what is shown through
the export code of `rasd export`, refusing what it refuses."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from db.queries import Filter, count_incidents
from db.sort_index import Sort
from db.store import open_db
from tests.explorer.conftest import chronology, screen_text, settle, shows_sort, wait_for
from tui.app import RasdApp
from tui.cli import main as rasd_main
from tui.views import View, load_views, save_view, views_path

MOPTI = Filter(
    country="Mali",
    admin1="Mopti",
    date_from=dt.date(2012, 1, 1),
    event_types=("Battles",),
    search="JNIM",
)


def test_a_view_round_trips_through_its_file(tmp_path: Path) -> None:
    path = tmp_path / "views.json"
    view = View(MOPTI, Sort("fatalities", "desc"))
    save_view("mopti battles", view, path)
    save_view("كيدال", View(Filter(admin1="Kidal")), path)
    assert load_views(path) == {"mopti battles": view, "كيدال": View(Filter(admin1="Kidal"))}
    assert oct(path.stat().st_mode & 0o777) == oct(0o644 & ~_umask())
    assert not [p for p in tmp_path.iterdir() if p.name != "views.json"]  # no temp left
    with pytest.raises(ValueError):
        save_view("../escape", view, path)
    path.write_text('{"bad": 3, "ok": {"filter": {"admin1": "Gao", "future": 1}}}')
    assert load_views(path) == {"ok": View(Filter(admin1="Gao"))}
    path.write_text("not json")
    assert load_views(path) == {}


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


async def test_save_a_view_in_the_explorer_and_open_it_with_view(
    acled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.filter = MOPTI
        await settle(pilot, app)
        await pilot.press("2", "s")
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Save view")
        await wait_for(pilot, lambda: "Save view…" in screen_text(app), "the palette entry")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Save this filter" in screen_text(app), "the prompt")
        await pilot.press(*"mopti jnim", "enter")
        await settle(pilot, app)
    saved = json.loads(views_path().read_text(encoding="utf-8"))
    assert saved["mopti jnim"]["sort"] == {"key": "fatalities", "order": "desc"}
    assert load_views()["mopti jnim"] == View(MOPTI, Sort("fatalities", "desc"))
    # reopened: the same incidents in the same order, as `rasd --view` starts it
    app = RasdApp(acled_db, view=load_views()["mopti jnim"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.filter == MOPTI
        assert chronology(app).sort == Sort("fatalities", "desc")
        con = open_db(acled_db)
        try:
            assert chronology(app).total == count_incidents(con, MOPTI)
            top = con.execute(
                "SELECT max(fatalities) FROM incidents WHERE admin1 = 'Mopti' "
                "AND event_type = 'Battles' AND event_date >= '2012-01-01' "
                "AND contains(search_text, 'jnim')"
            ).fetchone()
        finally:
            con.close()
        row = chronology(app).current
        assert row is not None and top is not None and row.fatalities == top[0]
        assert shows_sort(str(app.query_one("#chronology-pane").border_title), "fatalities ↓")
        await pilot.press("escape")  # the view's filters clear one by one, newest first
        await settle(pilot, app)
        assert app.filter.search is None and app.filter.event_types == ("Battles",)
    capsys.readouterr()
    assert rasd_main(["--view", "no such view"]) == 2
    assert "mopti jnim" in capsys.readouterr().err


async def test_e_exports_the_view_and_refuses_unsafe_targets(
    acled_db: Path, tmp_path: Path
) -> None:
    app = RasdApp(acled_db)
    out = tmp_path / "mopti.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.filter = Filter(country="Mali", admin1="Mopti")
        await settle(pilot, app)
        await pilot.press("e")
        await wait_for(pilot, lambda: "Export this view" in screen_text(app), "the prompt")
        await pilot.press(*str(out), "enter")
        await wait_for(pilot, out.exists, "the export")
        await settle(pilot, app)
        messages = [str(n.message) for n in app._notifications]
        assert any("incidents as csv" in m for m in messages), messages
        # over the database itself: refused as `rasd export` refuses it
        await pilot.press("e")
        await wait_for(pilot, lambda: "Export this view" in screen_text(app), "the prompt")
        await pilot.press(*str(acled_db), "enter")
        await settle(pilot, app)
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("not exported") for m in messages), messages
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    con = open_db(acled_db)
    try:
        assert len(rows) == count_incidents(con, Filter(country="Mali", admin1="Mopti"))
    finally:
        con.close()
    assert {r["admin1"] for r in rows} == {"Mopti"}
    assert oct(out.stat().st_mode & 0o777) == oct(0o644 & ~_umask())
