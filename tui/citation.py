"""One line that cites an incident: what analysts paste into notes and reports."""

from __future__ import annotations

from db.queries import Incident
from tui.display import TIME_PRECISION
from tui.text.sanitize import sanitize


def citation_line(incident: Incident) -> str:
    """Date, place, type, source and the span's own words, in logical (searchable) order."""
    f = incident.fields
    precision = TIME_PRECISION.get(f["time_precision"] or 1, "day")
    date = f["event_date"].isoformat() + ("" if precision == "day" else f" ({precision})")
    place = (
        ", ".join(str(p) for p in (f["location"], f["admin2"], f["admin1"], f["country"]) if p)
        or "unknown place"
    )
    if f["location_ar"]:
        place += f" ({f['location_ar']})"
    kind = " / ".join(str(t) for t in (f["event_type"], f["sub_event_type"]) if t)
    parts = [date, place, kind]
    src = incident.source
    if src is not None:
        cite = src.title + (f", {src.outlet}" if src.outlet else "")
        if src.published:
            cite += f", {src.published.isoformat()}"
        parts.append(cite)
    elif f["source"]:
        parts.append(f"{f['dataset'].upper()}: {f['source']}")
    parts.append(f"[{f['event_id']}]")
    span = incident.span_text
    if span:
        parts.append("«" + " ".join(span.split()) + "»")
    return sanitize(" — ".join(parts)).replace("\n", " ")
