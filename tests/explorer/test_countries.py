"""Countries are a level everywhere, on the real ACLED samples: `--country` on list, export and
info by ACLED name, ISO numeric or alpha-3 code or Arabic name, equal to the tree's country
node; a Country column in the chronology when the rows come from more than one country; the
palette jumps to a country or a place by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.queries import Filter, count_incidents
from db.store import open_db
from tests.explorer.conftest import chronology, screen_text, settle, wait_for
from tui.app import RasdApp
from tui.cli import main as rasd_main
from tui.widgets.regions import RegionsTree


def info_total(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, int]:
    capsys.readouterr()
    assert rasd_main(["info", *argv]) == 0
    out = capsys.readouterr().out
    m = re.search(r"by country › region:.*\n +([0-9,]+) +([0-9,]+)  \S", out)
    assert m, out
    return int(m[1].replace(",", "")), int(m[2].replace(",", ""))


async def test_country_mali_equals_the_mali_node(
    acled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(acled_db))
    totals = {c: info_total(capsys, "--country", c, *db) for c in ("Mali", "MLI", "466", "مالي")}
    assert len(set(totals.values())) == 1, totals  # before: info had no --country
    capsys.readouterr()
    assert rasd_main(["list", "--country", "mli", "--format", "tsv", *db]) == 0
    listed = len(capsys.readouterr().out.splitlines()) - 1
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        tree = app.query_one(RegionsTree)
        (mali,) = [n.data.count for n in tree.root.children if n.data and n.data.path == ("Mali",)]
    assert mali is not None
    assert totals["Mali"] == (mali.incidents, mali.fatalities) and listed == mali.incidents


def test_other_countries_by_code_and_arabic_name(
    acled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(acled_db))
    india = info_total(capsys, "--country", "India", *db)
    assert info_total(capsys, "--country", "IND", *db) == india
    assert info_total(capsys, "--country", "الهند", *db) == india
    congo = info_total(capsys, "--country", "COD", *db)
    con = open_db(acled_db)
    try:
        assert congo[0] == count_incidents(con, Filter(country="Democratic Republic of Congo"))
    finally:
        con.close()
    capsys.readouterr()
    assert rasd_main(["info", "--country", "XYZ", *db]) == 2


async def test_a_country_column_when_the_rows_span_countries(acled_db: Path, db_copy: Path) -> None:
    for db, expected in ((acled_db, True), (db_copy, False)):
        app = RasdApp(db)
        async with app.run_test(size=(220, 30)) as pilot:
            await settle(pilot, app)
            view = chronology(app)
            header = screen_text(app).splitlines()[view.content_region.y]
            assert ("Country" in header) is expected, header
            if expected:
                row = view.current
                assert row is not None and row.country
                line = screen_text(app).splitlines()[view.content_region.y + 1]
                assert row.country[:8] in line, line
                app.filter = Filter(country="Mali")  # one country: the column goes
                await settle(pilot, app)
                header = screen_text(app).splitlines()[view.content_region.y]
                assert "Country" not in header, header


async def test_the_palette_jumps_to_a_country_and_a_place(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: any(p.level == "place" for p in app.places), "places")
        for query, offer in (("الهند", "Jump to country India"), ("Nioro", "Jump to place Nioro")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)

            def offered(offer: str = offer) -> bool:
                return offer in screen_text(app)

            await wait_for(pilot, offered, offer)
            assert "Koulikoro" not in screen_text(app)
            await pilot.press("enter")
            await settle(pilot, app)
        assert app.filter.country == "Mali" and app.filter.location is not None
        assert app.filter.location.startswith("Nioro")
