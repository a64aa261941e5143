"""The incident columns in schema order, shared by the seed loader, importers and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from db.folding import fold
from db.places import region_search_terms

INCIDENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
    "dataset",
    "source_id",
    "span_start",
    "span_end",
    "location_ar",
    "reported_date",
    "claimed_by",
    "status",
    "confidence",
    "evidence",
)
"""Every stored column except the derived `search_text`."""


class IncidentFields(TypedDict):
    """One stored incident: every column of INCIDENT_COLUMNS, with the types DuckDB returns
    (db/schema.sql says what each holds); None where the column may be NULL."""

    event_id: str
    event_date: dt.date
    time_precision: int | None
    disorder_type: str | None
    event_type: str
    sub_event_type: str | None
    actor1: str | None
    assoc_actor_1: str | None
    inter1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: str | None
    interaction: str | None
    civilian_targeting: str | None
    iso: int | None
    region: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str | None
    source_scale: str | None
    notes: str | None
    fatalities: int | None
    tags: str | None
    timestamp: int | None
    dataset: str
    source_id: str | None
    span_start: int | None
    span_end: int | None
    location_ar: str | None
    reported_date: dt.date | None
    claimed_by: str | None
    status: str
    confidence: float | None
    evidence: str | None


def incident_fields(row: tuple[Any, ...]) -> IncidentFields:
    """A row of `SELECT <INCIDENT_COLUMNS>` as the typed record."""
    return cast(IncidentFields, dict(zip(INCIDENT_COLUMNS, row, strict=True)))


STATUSES: tuple[str, ...] = ("coded", "proposed", "rejected")
"""`incidents.status`: confirmed by a person, proposed by the extractor, or rejected (never
counted anywhere)."""

SEARCHED_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "location_ar",
    "notes",
    "claimed_by",
)
"""Columns whose folded text `--search` and `/` look in (plus region aliases and the span)."""


def json_value(value: Any) -> Any:
    """A column value for JSON: ISO dates, plain numbers, null for unknown."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def search_text(row: Mapping[str, Any], span_text: str | None = None) -> str:
    """The folded search column for one incident."""
    parts = [str(row[c]) for c in SEARCHED_COLUMNS if row.get(c) not in (None, "")]
    parts.extend(region_search_terms(row.get("admin1")))
    if span_text:
        parts.append(span_text)
    return fold(" ".join(parts))


SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "fatalities": ("fatalities",),
    "type": ("event_type", "sub_event_type"),
    "actor": ("actor1",),
    "region": ("country", "admin1"),
}
"""The stored columns each non-date sort key (db/sort_index.py) sorts on (fixed names: the only
SQL text built from them)."""


def sort_table(key: str) -> str:
    """The per-(value, block) counts of one sort key (db/sort_index.py)."""
    return f"sort_blocks_{key}"
