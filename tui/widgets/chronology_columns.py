"""The chronology's columns: which fit at a width, and one row's cells (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from db.queries import IncidentRow
from tui.display import PRECISION_MARK
from tui.text.layout import BidiMode
from tui.widgets.cells import fit, fit_first, place_forms

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


COLUMN_KEYS = ("date", "country", "region", "place", "type", "actors", "fatalities", "claim")
"""Every chronology column, in the default order (country only when the rows span countries)."""
_FIXED = {
    "date": Column("date", "Date", 11),
    "country": Column("country", "Country", 11),
    "region": Column("region", "Region", 11),
    "fatalities": Column("fatalities", "Dead", 4, right=True),
    "claim": Column("claim", CLAIM_MARK, 1),
}
_TITLES = {"place": "Place", "type": "Type", "actors": "Actors"}
_SHARES = {"place": 0.32, "type": 0.34, "actors": 0.34}
NARROW = ("date", "place", "type", "fatalities", "claim")
"""Below 64 cells only these can show."""
MIN_FLEX = 4
"""The least a place, type or actors column is given when it is the only one left."""
LEAST_FLEX = {"place": 9, "type": 4, "actors": 8}
"""The least each flexible column is shown at beside others: a type cut to 4 letters still
reads ("Bat…", "Vio…"), a place or an actor does not ("Gou…": the list at 100 columns showed
every place so)."""
FLEX_DROPPED_FIRST = ("actors", "type", "place")
"""Which flexible column gives way first when their least widths do not all fit."""


def columns_for(
    width: int,
    proposals: bool = False,
    countries: bool = False,
    chosen: tuple[str, ...] | None = None,
) -> list[Column]:
    """The columns in order (`chosen`, else the default), fixed widths first and the rest of
    the width shared by place, type and actors; together they fit in `width` whenever the
    fixed ones do.

    With `proposals` (some rows are), a first one-cell column marks them; with `countries`
    (the rows come from more than one), a Country column may show (default: before the region).
    """
    keys = [k for k in (chosen or COLUMN_KEYS) if k in COLUMN_KEYS]
    if not countries:
        keys = [k for k in keys if k != "country"]
    if width < 64:
        keys = [k for k in keys if k in NARROW] or list(NARROW)
    fixed = [_FIXED[k] for k in keys if k in _FIXED]
    flex_keys = [k for k in keys if k in _SHARES]
    mark = 2 if proposals else 0  # the proposal mark and its space
    # cells left for the flexible columns and the spaces between them
    room = width - sum(c.width for c in fixed) - len(fixed) - mark

    def least(ks: list[str]) -> int:
        return sum(LEAST_FLEX[k] + 1 for k in ks) - 1 if len(ks) > 1 else MIN_FLEX

    # too narrow for every flexible column at its least: actors, then type, then place go,
    # so the date, the dead and the marks always fit (a 23-cell list overflowed into the
    # next pane, its Dead column past the border)
    while flex_keys and least(flex_keys) > room:
        flex_keys.remove(next(k for k in FLEX_DROPPED_FIRST if k in flex_keys))
    keys = [k for k in keys if k in _FIXED or k in flex_keys]
    shares = {"place": 0.5, "type": 0.5} if width < 64 else _SHARES
    lows = {k: LEAST_FLEX[k] if len(flex_keys) > 1 else MIN_FLEX for k in flex_keys}
    widths = _shared(flex_keys, shares, room + mark, mark, lows)
    if any(widths[k] < lows[k] for k in flex_keys):  # the shares leave one short: leasts first
        extra = room - sum(lows.values())
        widths = {k: lows[k] + w for k, w in _shared(flex_keys, shares, extra, 0, {}).items()}
    out = [_FIXED[k] if k in _FIXED else Column(k, _TITLES[k], widths[k]) for k in keys]
    return [Column("status", PROPOSED_MARK, 1), *out] if proposals else out


def _shared(
    keys: list[str], shares: dict[str, float], cells: int, mark: int, lows: dict[str, int]
) -> dict[str, int]:
    """`cells` (less the spaces between `keys`) shared by `shares`, the last taking what is
    left; then `mark` cells taken back one by one from the last that is above its low."""
    total = sum(shares.get(k, 0.34) for k in keys)
    left = cells - (len(keys) - 1) if keys else 0
    widths: dict[str, int] = {}
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        widths[key] = (
            left - sum(widths.values()) if last else int(left * shares.get(key, 0.34) / total)
        )
    for _ in range(mark):
        wide = [k for k in reversed(keys) if widths[k] > lows.get(k, 0)]
        if wide:
            widths[wide[0]] -= 1
    return widths


def parse_columns(text: str) -> tuple[str, ...]:
    """Column names typed in order (spaces or commas; `dead` means fatalities); ValueError
    naming what is not a column."""
    words = [w for w in text.replace(",", " ").lower().split() if w]
    aliases = {"dead": "fatalities", "deaths": "fatalities", "actor": "actors", "*": "claim"}
    keys = [aliases.get(w, w) for w in words]
    unknown = [w for w, k in zip(words, keys, strict=True) if k not in COLUMN_KEYS]
    if unknown or not keys:
        raise ValueError(
            f"not a column: {' '.join(unknown) or '(none given)'}; columns: {' '.join(COLUMN_KEYS)}"
        )
    return tuple(dict.fromkeys(keys))


def row_values(row: IncidentRow) -> dict[str, str | tuple[str, ...] | None]:
    """Each column's value; a place's is its forms, fullest first (`fit_first`)."""
    place = place_forms(row.location, row.location_ar)
    kind = row.event_type + (f" / {row.sub_event_type}" if row.sub_event_type else "")
    actors = " vs ".join(a for a in (row.actor1, row.actor2) if a) or None
    return {
        "date": row.event_date.isoformat() + PRECISION_MARK.get(row.time_precision or 1, "≈"),
        "country": row.country,
        "region": row.admin1,
        "place": place or ("unknown place",),
        "type": kind,
        "actors": actors,
        "fatalities": "–" if row.fatalities is None else str(row.fatalities),
        "claim": CLAIM_MARK if row.claimed_by else "",
        "status": PROPOSED_MARK if row.status == "proposed" else "",
    }


def format_cells(
    values: dict[str, str | tuple[str, ...] | None], columns: list[Column], mode: BidiMode
) -> str:
    """One table line: each value fitted to its column, single spaces between columns."""
    out = []
    for col in columns:
        value = values.get(col.key)
        if isinstance(value, tuple):
            text = fit_first(value, col.width, mode)
        else:
            text = fit(value, col.width, mode)
        if col.right:
            text = text.rstrip().rjust(col.width)
        out.append(text)
    return " ".join(out)


def header_line(columns: list[Column]) -> str:
    return " ".join(
        c.title.rjust(c.width) if c.right else c.title.ljust(c.width)[: c.width] for c in columns
    )
