"""The extractor on the seed report: the hand-coded incidents come back with their evidence."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from db.extract import Evidence, find_dateline, propose

SEED_TEXT = (resources.files("db") / "data" / "mali-weekly-2026-01-24.ar.txt").read_text("utf-8")
SEED = json.loads((resources.files("db") / "data" / "seed.json").read_text("utf-8"))


def test_dateline_of_the_seed() -> None:
    line = find_dateline(SEED_TEXT)
    assert line.place == "Bamako"
    assert line.published == dt.date(2026, 1, 24)
    assert (
        line.date_span is not None
        and SEED_TEXT[line.date_span.start : line.date_span.end] == "24 يناير 2026"
    )
    assert line.place_span == Evidence(0, 6)


def test_every_proposal_and_field_has_evidence_in_bounds() -> None:
    proposals = propose(SEED_TEXT, dt.date(2026, 1, 24))
    assert proposals
    for p in proposals:
        assert 0 <= p.span_start < p.span_end <= len(SEED_TEXT)
        assert 0 < p.confidence <= 1
        for name, f in p.fields.items():
            assert f.value is not None, name
            assert f.evidence, name
            for e in f.evidence:
                assert 0 <= e.start < e.end <= len(SEED_TEXT), name


def test_seed_incidents_dates_regions_types() -> None:
    proposals = propose(SEED_TEXT, dt.date(2026, 1, 24))
    by_start = {p.span_start: p for p in proposals}
    ambush = by_start[919]  # ambush between Fasso and Bema: 5 soldiers, claimed
    assert ambush.fields["event_date"].value == dt.date(2026, 1, 18)
    assert ambush.fields["event_type"].value == "Battles"
    assert ambush.fields["admin1"].value == "Kayes"
    assert ambush.fields["fatalities"].value == 5
    assert ambush.fields["claimed_by"].value == "JNIM: Group for Support of Islam and Muslims"
    next_day = by_start[1113]  # "the next day": an IED near Nioro du Sahel, nobody claims it
    assert next_day.fields["event_date"].value == dt.date(2026, 1, 19)
    assert next_day.fields["sub_event_type"].value == "Remote explosive/landmine/IED"
    assert next_day.fields["location"].value == "Nioro du Sahel"
    assert "claimed_by" not in next_day.fields
    assert "fatalities" not in next_day.fields
