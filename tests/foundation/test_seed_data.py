"""The curated seed incidents are coded honestly: spans, dates, places, fatalities."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from db.queries import Filter, full_incidents, get_incident
from db.seed import seed_document, source_text
from db.store import open_db
from db.vocabulary import EVENT_TYPES

WEEKDAYS_AR = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}


@pytest.fixture(scope="module")
def incidents() -> list[dict]:
    return seed_document()["incidents"]


@pytest.fixture(scope="module")
def report() -> str:
    return source_text(seed_document()["sources"][0]["file"])


def test_report_is_bundled_exactly(shared: Path, report: str) -> None:
    original = (shared / "seed" / "mali-weekly-2026-01-24.ar.txt").read_text(encoding="utf-8")
    assert report == original


def test_about_nine_incidents_in_five_regions_plus_unplaced(incidents: list[dict]) -> None:
    assert len(incidents) == 9
    regions = {i["admin1"] for i in incidents if i["admin1"]}
    assert regions == {"Sikasso", "Kayes", "Koulikoro", "Bamako", "Mopti"}
    assert sum(1 for i in incidents if i["location"] is None) == 2
    dates = sorted(i["event_date"] for i in incidents)
    assert dates[0] == "2025-12-27" and dates[-1] == "2026-01-22"


def test_event_ids_unique(incidents: list[dict]) -> None:
    ids = [i["event_id"] for i in incidents]
    assert len(ids) == len(set(ids))


def test_acled_vocabulary(incidents: list[dict]) -> None:
    for inc in incidents:
        assert inc["sub_event_type"] in EVENT_TYPES[inc["event_type"]], inc["event_id"]
        assert inc["time_precision"] in (1, 2, 3)
        assert inc["geo_precision"] in (None, 1, 2, 3)
        assert inc["disorder_type"] in ("Political violence", "Strategic developments")


def test_span_contains_place_as_written(incidents: list[dict], report: str) -> None:
    for inc in incidents:
        span = report[inc["span_start"] : inc["span_end"]]
        assert span == span.strip(), f"{inc['event_id']}: span has stray whitespace"
        if inc["location_ar"]:
            assert inc["location_ar"] in span, inc["event_id"]


def test_spans_cover_whole_sentences(incidents: list[dict], report: str) -> None:
    for inc in incidents:
        start, end = inc["span_start"], inc["span_end"]
        assert start == 0 or report[start - 1] in "\n. ", f"{inc['event_id']} starts mid-sentence"
        assert end == len(report) or report[end - 1] == "." or report[end] == "\n", inc["event_id"]


def test_spans_do_not_overlap(incidents: list[dict]) -> None:
    spans = sorted((i["span_start"], i["span_end"]) for i in incidents)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start


def test_dates_agree_with_the_weekdays_the_report_names(incidents: list[dict], report: str) -> None:
    by_id = {i["event_id"]: i for i in incidents}
    checked_weekdays = 0
    for inc in incidents:
        date = dt.date.fromisoformat(inc["event_date"])
        basis = inc["date_basis"]
        span = report[inc["span_start"] : inc["span_end"]]
        if "weekday" in basis:
            assert date.weekday() == WEEKDAYS_AR[basis["weekday"]], inc["event_id"]
            assert date.day == basis["day"]
            assert re.search(rf"{basis['weekday']}\s+{basis['day']}\b", span), inc["event_id"]
            checked_weekdays += 1
        elif "relative_to" in basis:
            other = dt.date.fromisoformat(by_id[basis["relative_to"]]["event_date"])
            assert date == other + dt.timedelta(days=basis["offset_days"])
            assert basis["phrase"] in span
        else:
            assert basis["phrase"] in span
            assert date.day == basis["day"]
    assert checked_weekdays == 5
    # every weekday the report names anywhere agrees with January 2026's calendar
    for name, day in re.findall(
        r"(الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)\s+(\d+)\s+يناير", report
    ):
        assert dt.date(2026, 1, int(day)).weekday() == WEEKDAYS_AR[name]


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_coordinates_lie_inside_mali(incidents: list[dict], shared: Path) -> None:
    geo = json.loads((shared / "geo" / "mali-admin0.naturalearth.geojson").read_text())
    geometry = geo["features"][0]["geometry"] if "features" in geo else geo["geometry"]
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    located = [i for i in incidents if i["latitude"] is not None]
    assert len(located) == 7
    for inc in located:
        point = (inc["longitude"], inc["latitude"])
        assert any(_inside(point, poly[0]) for poly in polygons), inc["event_id"]


def test_unknown_fatalities_are_null_not_zero(seed_db: Path) -> None:
    con = open_db(seed_db)
    rows = full_incidents(con, Filter())
    by_id = {r["event_id"]: r for r in rows}
    # "a number of soldiers and gendarmes" — a death toll with no number
    assert by_id["RASD-ML-20260124-09"]["fatalities"] is None
    assert by_id["RASD-ML-20260124-03"]["fatalities"] == 5
    incident = get_incident(con, "RASD-ML-20260124-09")
    assert incident is not None and "عدد من الجنود" in (incident.span_text or "")
    assert sum(1 for r in rows if r["fatalities"] is None) == 6


def test_reported_date_never_before_event(incidents: list[dict]) -> None:
    for inc in incidents:
        assert inc["reported_date"] >= inc["event_date"]
        assert inc["reported_date"] <= "2026-01-24"


def test_claimed_incidents_name_a_claim_in_the_span(incidents: list[dict], report: str) -> None:
    claim_words = ("أعلن", "أكدت", "فيديو", "صور")
    for inc in incidents:
        if inc["claimed_by"]:
            span = report[inc["span_start"] : inc["span_end"]]
            assert any(w in span for w in claim_words), inc["event_id"]


def test_incident_lookup_with_its_date_hint(seed_db: Path) -> None:
    con = open_db(seed_db, read_only=True)
    try:
        for row in full_incidents(con, Filter()):
            plain = get_incident(con, row["event_id"])
            hinted = get_incident(con, row["event_id"], row["event_date"])
            assert plain is not None and hinted is not None
            assert hinted.fields == plain.fields and hinted.span_text == plain.span_text
            # a stale hint (the row's date was edited by a later import) still finds it
            stale = get_incident(con, row["event_id"], dt.date(1900, 1, 1))
            assert stale is not None and stale.fields == plain.fields
        assert get_incident(con, "no-such-id", dt.date(2026, 1, 1)) is None
    finally:
        con.close()
