"""Proposed incidents from Arabic reports: every field with its evidence span and a confidence.

Pure Python (no Textual, no DuckDB). `propose()` splits a report into the sentences that report
one incident each and proposes ACLED-coded fields for them; `find_dateline()` reads the place and
date a report opens with. Proposals are suggestions for an analyst to review, never coded data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

FIELDS = (
    "event_date",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "inter1",
    "inter2",
    "interaction",
    "civilian_targeting",
    "country",
    "iso",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "claimed_by",
    "location_ar",
    "reported_date",
    "notes",
)


@dataclass(frozen=True)
class Evidence:
    """[start, end) character offsets into the report text."""

    start: int
    end: int


@dataclass(frozen=True)
class ProposedField:
    value: object
    """str | int | float | datetime.date | None (None = not reported, never 0)."""
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Proposal:
    span_start: int
    """The sentences that report the incident: [span_start, span_end) of the report text."""
    span_end: int
    confidence: float
    fields: Mapping[str, ProposedField]
    """Keys are incidents-table column names (see FIELDS)."""


@dataclass(frozen=True)
class Dateline:
    place: str | None
    place_span: Evidence | None
    published: dt.date | None
    date_span: Evidence | None


def find_dateline(text: str) -> Dateline:
    """The place and date a report opens with ("باماكو – 24 يناير 2026"), where present."""
    from db.extract.pipeline import dateline

    return dateline(text)


def propose(text: str, published: dt.date) -> list[Proposal]:
    """Proposed incidents in `text`, in text order; an empty list when it reports none."""
    from db.extract.pipeline import propose_incidents

    return propose_incidents(text, published)


__all__ = [
    "FIELDS",
    "Dateline",
    "Evidence",
    "Proposal",
    "ProposedField",
    "find_dateline",
    "propose",
]
