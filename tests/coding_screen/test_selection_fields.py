"""What the extractor reads from a selection (N: new incident from it): the selection with the
paragraphs before it as context, in the report's offsets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui.screens.coding import CONTEXT_CHARS, extracted_fields

R11 = Path(__file__).resolve().parents[1] / "extract" / "reports" / "r11.ar.txt"


def test_the_next_day_is_the_day_after_the_incident_before() -> None:
    """ "In the following day, JNIM ambushed ..." selected alone was dated the report's day,
    precision "within a month"; the incident before it (1 December) says which day."""
    text = R11.read_text(encoding="utf-8")
    sentence = text.splitlines()[2]
    start = text.index(sentence)
    values, evidence = extracted_fields(text, start, start + len(sentence), dt.date(2026, 12, 3))
    assert values["event_date"] == dt.date(2026, 12, 2) and values["time_precision"] == 1
    assert values["actor1"] == "JNIM: Group for Support of Islam and Muslims"
    assert values["location"] == "Douentza"
    # spans in the report's offsets: the place's is inside the selection
    (place,) = evidence["location"].spans
    assert start <= place[0] < place[1] <= start + len(sentence)
    assert text[place[0] : place[1]] in sentence


def test_the_context_is_bounded_and_starts_on_a_line() -> None:
    """A long report (a channel export) is not read from its start for every selection."""
    filler = "سطر لا حادث فيه.\n" * 400  # 6,800 characters before the incident
    text = "باماكو – 3 ديسمبر 2026\n" + filler + R11.read_text(encoding="utf-8").split("\n", 1)[1]
    sentence = text.splitlines()[-2]
    start = text.index(sentence)
    values, evidence = extracted_fields(text, start, start + len(sentence), dt.date(2026, 12, 3))
    assert values["event_date"] == dt.date(2026, 12, 2)
    spans = [s for ev in evidence.values() for s in ev.spans]
    assert spans and min(a for a, _ in spans) >= start - CONTEXT_CHARS
    assert extracted_fields(text, 0, len("باماكو"), dt.date(2026, 12, 3)) == ({}, {})
