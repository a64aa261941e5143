"""The incident columns in schema order, shared by the seed loader, importers and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from db.folding import fold
from db.places import region_search_terms

INCIDENT_COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "tags", "timestamp", "dataset", "source_id", "span_start", "span_end", "location_ar",
    "reported_date", "claimed_by", "status", "confidence", "evidence",
)  # fmt: skip
"""Every stored column except the derived `search_text`."""

STATUSES: tuple[str, ...] = ("coded", "proposed", "rejected")
"""`incidents.status`: confirmed by a person, proposed by the extractor, or rejected (never
counted anywhere)."""

SEARCHED_COLUMNS: tuple[str, ...] = (
    "event_id", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "assoc_actor_2", "country", "admin1", "admin2", "admin3", "location", "location_ar",
    "notes", "claimed_by",
)  # fmt: skip
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
    return fold(" | ".join(parts))
