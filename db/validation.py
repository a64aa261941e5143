"""The rules an incident must meet, in one place: the importers' SQL and the coding form use them.

Importers check whole files in SQL (db/importers/acled.py, ucdp.py build their CASE from the
bounds below); an analyst's form and the coding store (db/coding.py) check one incident in
Python with `validate_incident`, which returns every problem at once, keyed by field, in words
fit to show beside that field. A coded incident also has its coordinates checked against the
outline of its country (db/geo.py), and its sub-event type against its event type
(db/vocabulary.py), which imports of ACLED's own coding do not need.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from db.columns import STATUSES

LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)
MAX_FATALITIES = 1_000_000
"""More than any recorded event; a larger figure is a typing slip (or a column shifted)."""
PRECISIONS = (1, 2, 3)
"""time_precision: day, week, month; geo_precision: exact, near, region only (ACLED)."""
BORDER_TOLERANCE = 0.1
"""Degrees (about 11 km) a point may lie outside its country's simplified outline: border
towns fall just outside the map's generalised borders."""
REQUIRED = ("event_date", "event_type")


def as_date(value: object) -> dt.date | None:
    """A date from a date or an ISO `YYYY-MM-DD` string; None when it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def as_number(value: object) -> float | None:
    """A finite number from a number or its text; None otherwise (bools are not numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: object) -> int | None:
    """A whole number from an int or its text (`"12"`, `"12.0"`); None otherwise."""
    number = as_number(value)
    if number is None or number != int(number):
        return None
    return int(number)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_incident(fields: Mapping[str, Any]) -> dict[str, str]:
    """Every problem of an incident's fields, as {field: message}; {} when it may be saved.

    Absent or blank optional fields are fine; `fatalities` None means "not reported".
    """
    errors: dict[str, str] = {}
    for name in REQUIRED:
        if _blank(fields.get(name)):
            errors[name] = "required"
    for name in ("event_date", "reported_date"):
        value = fields.get(name)
        if not _blank(value) and as_date(value) is None:
            errors[name] = "not a date (YYYY-MM-DD)"
    _check_sub_event(fields, errors)
    _check_coordinates(fields, errors)
    fatalities = fields.get("fatalities")
    if not _blank(fatalities):
        count = as_int(fatalities)
        if count is None:
            errors["fatalities"] = "not a whole number"
        elif count < 0:
            errors["fatalities"] = "cannot be negative"
        elif count > MAX_FATALITIES:
            errors["fatalities"] = f"more than {MAX_FATALITIES:,}"
    for name in ("time_precision", "geo_precision"):
        value = fields.get(name)
        if not _blank(value) and as_int(value) not in PRECISIONS:
            errors[name] = "must be 1, 2 or 3"
    status = fields.get("status")
    if status is not None and status not in STATUSES:
        errors["status"] = f"must be one of {', '.join(STATUSES)}"
    return errors


def _check_sub_event(fields: Mapping[str, Any], errors: dict[str, str]) -> None:
    """ACLED's sub-event types each belong to one event type (db/vocabulary.py); types outside
    the vocabulary (UCDP's, older exports') are not second-guessed."""
    from db.vocabulary import EVENT_TYPES

    event_type, sub = fields.get("event_type"), fields.get("sub_event_type")
    if _blank(sub) or _blank(event_type) or str(event_type) not in EVENT_TYPES:
        return
    if sub not in EVENT_TYPES[str(event_type)]:
        errors["sub_event_type"] = f"not a sub-event type of {event_type}"


def _check_coordinates(fields: Mapping[str, Any], errors: dict[str, str]) -> None:
    lat_raw, lon_raw = fields.get("latitude"), fields.get("longitude")
    if _blank(lat_raw) and _blank(lon_raw):
        return
    lat, lon = as_number(lat_raw), as_number(lon_raw)
    for name, raw, value, (low, high) in (
        ("latitude", lat_raw, lat, LATITUDE_RANGE),
        ("longitude", lon_raw, lon, LONGITUDE_RANGE),
    ):
        if _blank(raw):
            errors[name] = "needed with the other coordinate"
        elif value is None:
            errors[name] = "not a number"
        elif not low <= value <= high:
            errors[name] = f"out of range ({low:g} to {high:g})"
    if lat is None or lon is None or "latitude" in errors or "longitude" in errors:
        return
    country = fields.get("country")
    if _blank(country):
        return
    if not in_country(str(country), as_int(fields.get("iso")), lon, lat):
        errors["latitude"] = errors["longitude"] = f"not in {country}"


def in_country(country: str, iso: int | None, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies in the country's outline (within BORDER_TOLERANCE).

    True for a country the outlines do not know: rasd cannot tell, so it does not refuse.
    """
    from db.geo import load_geo

    shapes = load_geo().countries("fine")
    shape = next((s for s in shapes if iso is not None and s.iso == iso), None)
    if shape is None:
        iso = _country_iso(country)
        shape = next(
            (s for s in shapes if s.name == country or (iso is not None and s.iso == iso)), None
        )
    if shape is None:
        return True
    t = BORDER_TOLERANCE
    return any(
        shape.contains(lon + dx, lat + dy)
        for dx, dy in ((0, 0), (t, 0), (-t, 0), (0, t), (0, -t), (t, t), (t, -t), (-t, t), (-t, -t))
    )


def _country_iso(name: str) -> int | None:
    from db.extract.countries import COUNTRIES

    return next((c.iso for c in COUNTRIES if c.name == name), None)


LAT_SQL = f"{LATITUDE_RANGE[0]:g} AND {LATITUDE_RANGE[1]:g}"
LON_SQL = f"{LONGITUDE_RANGE[0]:g} AND {LONGITUDE_RANGE[1]:g}"
"""The ranges as the importers' SQL writes them: `lat BETWEEN {LAT_SQL}`."""
