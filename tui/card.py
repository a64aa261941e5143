"""The incident card: labelled values shown by `rasd show` and the explorer's source pane."""

from __future__ import annotations

from db.queries import Incident
from tui.display import fatalities_text, inline

TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
GEO_PRECISION = {1: "exact place", 2: "near the place / part of it", 3: "region only"}



def card_lines(incident: Incident, mode: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the incident card, values already made safe for display."""
    f = incident.fields

    def v(value: object) -> str:
        return inline(value, mode) if value not in (None, "") else "–"

    place = " ".join(p for p in (v(f["location"]), inline(f["location_ar"], mode)) if p != "–")
    admin = " › ".join(inline(x, mode) for x in (f["country"], f["admin1"], f["admin2"]) if x)
    coords = (
        f"{f['latitude']:.4f}, {f['longitude']:.4f} ({GEO_PRECISION.get(f['geo_precision'], '?')})"
        if f["latitude"] is not None
        else "–"
    )
    deaths = fatalities_text(f["fatalities"])
    lines = [
        ("id", v(f["event_id"])),
        (
            "date",
            f"{f['event_date'].isoformat()} (precision: "
            f"{TIME_PRECISION.get(f['time_precision'], '?')})",
        ),  # fmt: skip
        ("type", " / ".join(v(x) for x in (f["event_type"], f["sub_event_type"]) if x)),
        ("actors", " vs ".join(v(x) for x in (f["actor1"], f["actor2"]) if x) or "–"),
        ("fatalities", "not reported" if deaths == "–" else deaths),
        ("claimed by", v(f["claimed_by"])),
        ("place", (place or "unknown place") + (f"  ({admin})" if admin else "")),
        ("coordinates", coords),
        ("reported", f["reported_date"].isoformat() if f["reported_date"] else "–"),
        ("dataset", v(f["dataset"])),
    ]
    if incident.source is not None:
        src = incident.source
        lines.append(("source", v(src.title) + (f" — {v(src.outlet)}" if src.outlet else "")))
    if f["notes"]:
        lines.append(("notes", v(f["notes"])))
    return lines
