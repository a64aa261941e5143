"""Region names across spellings: ACLED's, French, English and Arabic meet in one canonical admin1.

ACLED writes `Tombouctou`, the seed report `تمبكتو`, English sources `Timbuktu`; the region tree
and every region filter must treat them as one region. The alias table is data
(`db/data/admin1_aliases.csv`); this module only reads it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from db.folding import fold


@dataclass(frozen=True, slots=True)
class Admin1:
    """One first-level region under its canonical (ACLED) name."""

    country: str
    name: str
    """Canonical spelling, as ACLED writes it."""
    name_ar: str
    """Arabic name for display beside the Latin one."""
    aliases: tuple[str, ...]
    """Other spellings that mean this region, Arabic included."""


@cache
def admin1_table() -> tuple[Admin1, ...]:
    """All known regions (read once)."""
    path = resources.files("db") / "data" / "admin1_aliases.csv"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        return tuple(
            Admin1(
                country=row["country"],
                name=row["admin1"],
                name_ar=row["name_ar"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
            for row in csv.DictReader(fh)
        )


@cache
def _by_folded_name() -> dict[str, Admin1]:
    index: dict[str, Admin1] = {}
    for region in admin1_table():
        for name in (region.name, region.name_ar, *region.aliases):
            index.setdefault(fold(name), region)
    return index


def lookup_admin1(name: str | None) -> Admin1 | None:
    """The region a spelling refers to, or None when it is not in the alias table."""
    if not name:
        return None
    return _by_folded_name().get(fold(name))


def canonical_admin1(name: str | None) -> str | None:
    """The canonical spelling for `name`; unknown names pass through unchanged."""
    region = lookup_admin1(name)
    if region is not None:
        return region.name
    return name or None


def admin1_arabic(name: str | None) -> str | None:
    """Arabic display name of a canonical region, if known."""
    region = lookup_admin1(name)
    return region.name_ar if region else None


def region_search_terms(name: str | None) -> list[str]:
    """Every spelling of a region, for the folded search column."""
    region = lookup_admin1(name)
    if region is None:
        return [name] if name else []
    return [region.name, region.name_ar, *region.aliases]
