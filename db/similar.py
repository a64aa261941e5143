"""Coded incidents that may be the one being coded: the same event told by another source.

A count an analyst can trust counts an event once. This morning's report often tells an attack
already coded from ACLED or from another outlet's report; ACLED's coders check each new event
against those they hold. So each incident of the report being coded is compared with the coded
incidents of other sources within a day of its date: the same place (its name in either script,
the same coordinates within NEAR_KM; when one of them is located to its region only, the same
event type in the same district or region) in the same country.
The same event type, the same day and the same toll rank a candidate first; nothing is merged or
rejected for the coder (pure functions: the coding store reads the candidates).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

from db.folding import fold, fold_sql

SAME_DAYS = 1
"""Reports date an event a day apart (the night it happened, the morning it was told)."""
NEAR_KM = 25.0
"""Coordinates this close name one place (a village and the town it is reported near)."""
SHOWN = 3

Row = Mapping[str, Any]


def window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a coded incident may have to be the same event as one on `day`."""
    step = dt.timedelta(days=SAME_DAYS)
    return day - step, day + step


NEAR_DEGREES = 0.5
"""A box around a place wider than NEAR_KM at any latitude rasd's gazetteers hold (±60°)."""


def candidates_sql(incident: Row) -> tuple[str, list[Any]] | None:
    """A condition on the main table holding every coded incident `same_event_score` can
    accept for `incident` (and few others: at ten million incidents a day has thousands), or
    None when it has no date."""
    day = incident.get("event_date")
    if not isinstance(day, dt.date):
        return None
    places = ["admin1 = ?", "admin2 = ?"]
    params: list[Any] = [*window(day), incident.get("admin1"), incident.get("admin2")]
    for column in ("location", "location_ar"):
        if incident.get(column):
            places.append(f"{fold_sql(column)} = ?")
            params.append(fold(str(incident[column])))
    lat, lon = incident.get("latitude"), incident.get("longitude")
    if lat is not None and lon is not None:
        places.append("(latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)")
        params += [lat - NEAR_DEGREES, lat + NEAR_DEGREES, lon - NEAR_DEGREES, lon + NEAR_DEGREES]
    sql = f"(event_date BETWEEN ? AND ? AND status = 'coded' AND ({' OR '.join(places)}))"
    return sql, params


def _km(a: Row, b: Row) -> float | None:
    coords = (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude"))
    if any(c is None for c in coords):
        return None
    lat1, lon1, lat2, lon2 = (math.radians(float(c)) for c in coords)  # type: ignore[arg-type]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _same(a: Row, b: Row, column: str) -> bool:
    x, y = a.get(column), b.get(column)
    return bool(x) and bool(y) and fold(str(x)) == fold(str(y))


def same_event_score(candidate: Row, incident: Row) -> int | None:
    """How likely `candidate` is the same event as `incident` (higher: likelier), or None when
    it cannot be: another country, more than SAME_DAYS apart, or no place in common."""
    day, other = incident.get("event_date"), candidate.get("event_date")
    if not isinstance(day, dt.date) or not isinstance(other, dt.date):
        return None
    apart = abs((day - other).days)
    if apart > SAME_DAYS:
        return None
    countries = incident.get("country") and candidate.get("country")
    if countries and not _same(candidate, incident, "country"):
        return None
    same_type = _same(candidate, incident, "event_type")
    same_name = _same(candidate, incident, "location") or _same(candidate, incident, "location_ar")
    # located to its region or district only ("near Boulkessi", Boulkessi unknown: "Mopti"),
    # its place name and coordinates are the region's: the same type must say more
    coarse = not (incident.get("location") and candidate.get("location")) or 3 in (
        incident.get("geo_precision"),
        candidate.get("geo_precision"),
    )
    km = None if coarse else _km(candidate, incident)
    if same_name and not coarse:
        place = 3
    elif km is not None and km <= NEAR_KM:
        place = 2
    elif (
        coarse
        and same_type
        and (
            same_name
            or _same(candidate, incident, "admin2")
            or _same(candidate, incident, "admin1")
        )
    ):
        place = 1
    else:
        return None
    score = place * 4
    score += 3 if same_type else 0
    score += 2 if apart == 0 else 0
    toll, other_toll = incident.get("fatalities"), candidate.get("fatalities")
    score += 1 if toll is not None and toll == other_toll else 0
    return score


def likely_same(candidates: Iterable[Row], incident: Row, limit: int = SHOWN) -> list[Row]:
    """The coded incidents of other sources that may be `incident`, likeliest first."""
    scored = []
    for row in candidates:
        if row.get("event_id") == incident.get("event_id"):
            continue
        if row.get("status") != "coded":
            continue
        source = incident.get("source_id")
        if source is not None and row.get("source_id") == source:
            continue  # the same report: its own list shows it (merge: M)
        score = same_event_score(row, incident)
        if score is not None:
            scored.append((-score, str(row.get("event_id")), row))
    scored.sort(key=lambda t: t[:2])
    return [row for *_, row in scored[:limit]]
