"""The chronology's columns: which fit at a width, and one row's cells (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from db.queries import IncidentRow
from tui.display import PRECISION_MARK
from tui.text.layout import BidiMode
from tui.widgets.cells import fit

CLAIM_MARK = "*"
"""The only evidence is a party's own claim."""
PROPOSED_MARK = "?"
"""A proposal read from a report by the extractor, not a confirmed incident (no colour needed)."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    right: bool = False


def columns_for(width: int, proposals: bool = False, countries: bool = False) -> list[Column]:
    """Fixed columns first; the rest of the width shared by place, type and actors.

    With `proposals` (some rows are), a first one-cell column marks them; with `countries`
    (the rows come from more than one), a Country column stands before the region.
    """
    fixed = [Column("date", "Date", 11), Column("region", "Region", 11)]
    if countries:
        fixed.insert(1, Column("country", "Country", 11))
    tail = [Column("fatalities", "Dead", 4, right=True), Column("claim", CLAIM_MARK, 1)]
    if width < 64:
        fixed = fixed[:1]
    used = sum(c.width for c in fixed + tail) + len(fixed + tail)
    free = max(width - used, 12)
    if width < 64:
        shares = [("place", "Place", 0.5), ("type", "Type", 0.5)]
    else:
        shares = [("place", "Place", 0.32), ("type", "Type", 0.34), ("actors", "Actors", 0.34)]
    flex: list[Column] = []
    left = free - (len(shares) - 1)
    for i, (key, title, share) in enumerate(shares):
        w = left - sum(c.width for c in flex) if i == len(shares) - 1 else int(left * share)
        flex.append(Column(key, title, max(w, 4)))
    if proposals:  # the mark and its space come out of the last flexible column
        last = flex[-1]
        flex[-1] = Column(last.key, last.title, max(last.width - 2, 4))
        return [Column("status", PROPOSED_MARK, 1), *fixed, *flex, *tail]
    return [*fixed, *flex, *tail]


def row_values(row: IncidentRow) -> dict[str, str | None]:
    place = " ".join(p for p in (row.location, row.location_ar) if p) or None
    kind = row.event_type + (f" / {row.sub_event_type}" if row.sub_event_type else "")
    actors = " vs ".join(a for a in (row.actor1, row.actor2) if a) or None
    return {
        "date": row.event_date.isoformat() + PRECISION_MARK.get(row.time_precision or 1, "≈"),
        "country": row.country,
        "region": row.admin1,
        "place": place or "unknown place",
        "type": kind,
        "actors": actors,
        "fatalities": "–" if row.fatalities is None else str(row.fatalities),
        "claim": CLAIM_MARK if row.claimed_by else "",
        "status": PROPOSED_MARK if row.status == "proposed" else "",
    }


def format_cells(values: dict[str, str | None], columns: list[Column], mode: BidiMode) -> str:
    """One table line: each value fitted to its column, single spaces between columns."""
    out = []
    for col in columns:
        text = fit(values.get(col.key), col.width, mode)
        if col.right:
            text = text.rstrip().rjust(col.width)
        out.append(text)
    return " ".join(out)


def header_line(columns: list[Column]) -> str:
    return " ".join(
        c.title.rjust(c.width) if c.right else c.title.ljust(c.width)[: c.width] for c in columns
    )
