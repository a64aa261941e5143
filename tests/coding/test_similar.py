"""Coded incidents that may be the one being coded (db/similar.py), and the coding screen's line
naming them. The report below tells two events ACLED's Mali export already holds (29 and 28
October 2020): Boulkessi, which the gazetteer lacks (located to its region), and Anefis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from db.coding import CodingStore
from db.similar import candidates_sql, likely_same, same_event_score
from db.store import open_db
from tests.conftest import shared_dir
from tests.explorer.conftest import screen_of, settle, wait_for
from tui.cli import main
from tui.coding_app import CodingApp
from tui.screens.coding import CodingScreen

REPORT = """باماكو – 30 أكتوبر 2020
أعلنت قوة برخان الفرنسية أنها نفذت يوم الخميس 29 أكتوبر 2020 غارة جوية قرب بولكيسي في إقليم موبتي، ما أسفر عن مقتل أكثر من خمسين مسلحا.
وفي أنفيس بإقليم كيدال، انفجرت عبوة ناسفة يوم الأربعاء 28 أكتوبر دون أن تسفر عن ضحايا.
"""

DAY = dt.date(2026, 3, 2)
PLACE = {"country": "Mali", "admin1": "Mopti", "admin2": "Douentza", "geo_precision": 1}
HERE = {**PLACE, "location": "Douentza", "latitude": 15.0, "longitude": -2.95}


def incident(**fields: object) -> dict[str, object]:
    return {"event_id": "R1-P01", "source_id": "R1", "status": "proposed", "event_date": DAY,
            "event_type": "Battles", "fatalities": 4, **HERE, **fields}  # fmt: skip


def coded(event_id: str, **fields: object) -> dict[str, object]:
    return {**incident(**fields), "event_id": event_id, "source_id": "other", "status": "coded"}


def test_the_same_place_within_a_day_in_either_script() -> None:
    here = incident()
    assert same_event_score(coded("A"), here) is not None
    assert same_event_score(coded("A", event_date=DAY + dt.timedelta(days=1)), here) is not None
    assert same_event_score(coded("A", event_date=DAY + dt.timedelta(days=2)), here) is None
    arabic = coded("A", location="Douentza town", location_ar="دوينتزا")
    assert same_event_score(arabic, {**here, "location_ar": "دوينتزا"}) is not None
    near = coded("A", location="Boni", latitude=15.1, longitude=-2.9)  # 12 km
    far = coded("A", location="Hombori", latitude=15.28, longitude=-1.7)  # 138 km
    assert same_event_score(near, here) is not None and same_event_score(far, here) is None
    assert same_event_score(coded("A", country="Niger"), here) is None


def test_a_region_alone_needs_the_same_event_type() -> None:
    """A proposal located to its region ("near Boulkessi", Boulkessi unknown) has the region's
    name and coordinates: a protest in the region's capital is not its airstrike."""
    region = incident(location="Mopti", admin2=None, geo_precision=3, latitude=14.5, longitude=-4.2)
    strike = coded("A", location="Boulikessi", event_type="Explosions/Remote violence")
    protest = coded("B", location="Mopti", event_type="Protests", latitude=14.5, longitude=-4.2)
    region["event_type"] = "Explosions/Remote violence"
    assert [r["event_id"] for r in likely_same([protest, strike], region)] == ["A"]


def test_likeliest_first_and_never_itself_its_report_or_a_proposal() -> None:
    here = incident()
    same_type = coded("B", location="Boni", latitude=15.1, longitude=-2.9)
    other_type = coded("A", location="Boni", latitude=15.1, longitude=-2.9, event_type="Riots")
    named = coded("C", event_type="Riots")
    rows = [other_type, same_type, named, {**coded("D"), "status": "proposed"},
            {**coded("E"), "source_id": "R1"}, {**coded("F"), "event_id": "R1-P01"}]  # fmt: skip
    assert [r["event_id"] for r in likely_same(rows, here)] == ["C", "B", "A"]


async def test_the_coding_screen_names_them(tmp_path: Path) -> None:
    db = tmp_path / "rasd.duckdb"
    acled = shared_dir() / "data" / "acled" / "mali-1997-2020.acled.csv"
    assert main(["import", "acled", str(acled), "--db", str(db)]) == 0
    report = tmp_path / "barkhane.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["import", "report", str(report), "--db", str(db)]) == 0
    con = open_db(db)
    (source,) = con.execute("SELECT source_id FROM sources").fetchone() or ("",)
    con.close()
    with CodingStore.open(db, user="tester") as store:
        app = CodingApp(store, source)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await screen_of(pilot, app, CodingScreen, "the screen")
            await wait_for(pilot, lambda: len(screen.items) == 2, "the proposals")
            await settle(pilot, app)
            assert {k: [r["event_id"] for r in v] for k, v in screen.similar.items()} == {
                f"{source}-P01": ["MLI4433"],
                f"{source}-P02": ["MLI4428"],
            }
            hint = str(screen.query_one("#coding-similar").render())
            assert "MLI4433" in hint and "Boulikessi" in hint and "26 dead" in hint
            rows = [str(o.prompt) for o in screen.incident_list.options]
            assert all(row.startswith(" ?≈ 2020-10-2") for row in rows), rows
            await pilot.press("right_square_bracket")  # the next proposal: its own
            await settle(pilot, app)
            hint = str(screen.query_one("#coding-similar").render())
            assert "MLI4428" in hint and "MLI4433" not in hint
            await pilot.press("a")  # accepted anyway: the status line says it again
            await wait_for(pilot, lambda: "accepted" in screen.status_text, "the save")
            assert screen.status_text.endswith("maybe coded already as MLI4428 (u undoes)")


PLACES = st.sampled_from(
    [
        ("Mopti", "Mopti", "Mopti", "موبتي", 14.49, -4.19),
        ("Mopti", "Douentza", "Douentza", "دوينتزا", 15.0, -2.95),
        ("Mopti", "Douentza", "Boni", None, 15.1, -2.9),
        ("Mopti", "Douentza", None, None, None, None),
        ("Segou", "Niono", "Across the border", None, 15.05, -2.93),  # 6 km from Douentza
        ("Kidal", "Kidal", "Kidal", "كيدال", 18.44, 1.41),
        ("Kidal", "Tessalit", "Anefis", "أنفيس", 18.05, 0.6),
        (None, None, "Mopti", None, 14.49, -4.19),
    ]
)
ROWS = st.builds(
    lambda place, days, kind, precision, status: {
        "admin1": place[0],
        "admin2": place[1],
        "location": place[2],
        "location_ar": place[3],
        "latitude": place[4],
        "longitude": place[5],
        "country": "Mali",
        "event_date": DAY + dt.timedelta(days=days),
        "event_type": kind,
        "geo_precision": precision,
        "status": status,
        "fatalities": 1,
        "source_id": "other",
    },  # fmt: skip
    PLACES,
    st.integers(-3, 3),
    st.sampled_from(["Battles", "Protests"]),
    st.sampled_from([1, 2, 3]),
    st.sampled_from(["coded", "proposed"]),
)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.lists(ROWS, max_size=12))
def test_the_query_finds_every_incident_the_rule_accepts(here: dict, rows: list[dict]) -> None:
    """`candidates_sql` narrows ten million incidents to a few before the rule scores them: it
    must never leave out one the rule would accept."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE incidents (event_id VARCHAR, status VARCHAR, event_date DATE, "
        "admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, location_ar VARCHAR, "
        "latitude DOUBLE, longitude DOUBLE)"
    )
    for n, row in enumerate(rows):
        row["event_id"] = f"C{n}"
        con.execute(
            "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row[c] for c in ("event_id", "status", "event_date", "admin1", "admin2",
                              "location", "location_ar", "latitude", "longitude")],
        )  # fmt: skip
    here = {**here, "event_id": "R1-P01", "source_id": "R1", "status": "proposed"}
    found = candidates_sql(here)
    assert found is not None
    sql, params = found
    selected = {
        r for (r,) in con.execute(f"SELECT event_id FROM incidents WHERE {sql}", params).fetchall()
    }
    accepted = {r["event_id"] for r in likely_same(rows, here, limit=len(rows) + 1)}
    assert accepted <= selected
