"""The incident card: labelled values shown by `rasd show` and the explorer's source pane."""

from __future__ import annotations

from db.queries import Incident
from tui.display import TIME_PRECISION, fatalities_text, inline
from tui.text.layout import BidiMode, isolate

GEO_PRECISION = {1: "exact place", 2: "near the place / part of it", 3: "region only"}


def status_text(status: str, confidence: float | None) -> str:
    """What a proposal or a rejected incident is, in words (no colour needed to tell)."""
    if status == "proposed":
        sure = f" (confidence {confidence:.2f})" if confidence is not None else ""
        return f"? proposed, not confirmed{sure}: read from the report by rasd"
    if status == "rejected":
        return "rejected — not an incident; counted nowhere"
    return status


def card_fields(incident: Incident) -> list[tuple[str, str]]:
    """(label, value) pairs of the incident card, values in logical order and not yet sanitized.

    Pieces of data inside a composed value are bidi isolates, so an Arabic place name keeps its
    direction without reordering the pieces around it. Lay values out with
    tui.text.layout.wrap_value (rows of a given width) or display_inline (one line).
    """
    f = incident.fields

    def v(value: object) -> str:
        return str(value) if value not in (None, "") else "–"

    def iso(value: object) -> str:
        return isolate(str(value))

    place = " ".join(iso(p) for p in (f["location"], f["location_ar"]) if p not in (None, ""))
    admin = " › ".join(iso(x) for x in (f["country"], f["admin1"], f["admin2"]) if x)
    near = GEO_PRECISION.get(f["geo_precision"] or 0, "?")
    coords = (
        f"{f['latitude']:.4f}, {f['longitude']:.4f} ({near})" if f["latitude"] is not None else "–"
    )
    deaths = fatalities_text(f["fatalities"])
    lines = [
        ("id", v(f["event_id"])),
        (
            "date",
            f"{f['event_date'].isoformat()} (precision: "
            f"{TIME_PRECISION.get(f['time_precision'] or 0, '?')})",
        ),
        ("type", " / ".join(iso(x) for x in (f["event_type"], f["sub_event_type"]) if x) or "–"),
        ("actors", " vs ".join(iso(x) for x in (f["actor1"], f["actor2"]) if x) or "–"),
        *(
            ("with " + side, str(f.get(col)))
            for side, col in (("actor 1", "assoc_actor_1"), ("actor 2", "assoc_actor_2"))
            if f.get(col)
        ),
        ("fatalities", "not reported" if deaths == "–" else deaths),
        ("claimed by", v(f["claimed_by"])),
        ("place", (place or "unknown place") + (f"  ({admin})" if admin else "")),
        ("coordinates", coords),
        ("reported", f["reported_date"].isoformat() if f["reported_date"] else "–"),
        ("dataset", v(f["dataset"])),
    ]
    status = f.get("status") or "coded"
    if status != "coded":
        lines.insert(1, ("status", status_text(status, f.get("confidence"))))
    if incident.source is not None:
        src = incident.source
        title = v(src.title)
        lines.append(("report", iso(title) + f" — {iso(src.outlet)}" if src.outlet else title))
    if f.get("source"):  # the dataset's own source column (ACLED: the outlets it coded from)
        lines.append(("source", v(f["source"])))
    if f["notes"]:
        lines.append(("notes", v(f["notes"])))
    return lines


def card_lines(incident: Incident, mode: BidiMode) -> list[tuple[str, str]]:
    """(label, value) pairs of the incident card, each value made safe and shown on one line."""
    return [(label, inline(value, mode)) for label, value in card_fields(incident)]
