"""Command palette entries: "jump to" every country, region and place, found by any spelling.

A name's Latin and Arabic spellings and its aliases all match (Arabic-aware folding), by the
whole name or a word's beginning, and a place that matches ranks above every other command
(exact names first, then beginnings, countries before regions before places), so typing a place
name and pressing Enter goes there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from db.country_codes import arabic_country_names
from db.folding import fold
from db.place_terms import spelling_groups
from db.places import lookup_admin1
from db.queries import UNKNOWN
from tui.text.layout import display_inline
from tui.text.sanitize import sanitize

if TYPE_CHECKING:
    from tui.app import RasdApp

REGION_SCORE = 2.0
"""Above any fuzzy score (those are at most 1.0): a named place ranks above every command."""
MAX_NAMED = 40
"""Named places offered at most (a one-letter query names hundreds of places)."""

Level = Literal["country", "region", "place"]
LEVEL_BONUS: dict[Level, float] = {"country": 0.03, "region": 0.02, "place": 0.01}
"""Between equal matches, the wider place first (Gao the region before Gao the town)."""


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """A country, region or place the palette can jump to."""

    level: Level
    path: tuple[str, ...]
    """The tree path: (country, admin1, admin2, location) prefix, UNKNOWN where none."""
    name: str
    arabic: str | None
    spellings: tuple[str, ...]
    """Every folded spelling that names it (Latin, Arabic, aliases)."""

    @property
    def admin1(self) -> str:
        return self.path[1] if len(self.path) > 1 else ""


def _folded(names: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(n) for n in names if n))


def country_entries(countries: list[tuple[str, int | None]]) -> list[PlaceEntry]:
    out = []
    for name, iso in countries:
        arabic = arabic_country_names(iso) if iso is not None else ()
        out.append(
            PlaceEntry(
                "country", (name,), name, arabic[0] if arabic else None, _folded((name, *arabic))
            )
        )
    return out


def region_entries(pairs: list[tuple[str | None, str]]) -> list[PlaceEntry]:
    out = []
    for country, admin1 in pairs:
        known = lookup_admin1(admin1)
        names = (admin1, known.name_ar, *known.aliases) if known else (admin1,)
        out.append(
            PlaceEntry(
                "region",
                (country or UNKNOWN, admin1),
                admin1,
                known.name_ar if known else None,
                _folded(names),
            )
        )
    return out


def location_entries(
    rows: list[tuple[str | None, str | None, str | None, str, str | None]],
) -> list[PlaceEntry]:
    """Places under their stored names and every spelling the gazetteer knows for them."""
    groups = spelling_groups()
    out = []
    for country, admin1, admin2, location, location_ar in rows:
        others = [" ".join(s) for s in groups.get(fold(location), ())]
        path = (country or UNKNOWN, admin1 or UNKNOWN, admin2 or UNKNOWN, location)
        out.append(
            PlaceEntry(
                "place", path, location, location_ar, _folded((location, location_ar, *others))
            )
        )
    return out


def name_rank(entry: PlaceEntry, query: str) -> int:
    """3: a spelling is the query; 2: begins with it; 1: a word of it begins with it; 0: none."""
    wanted = fold(query).strip()
    if not wanted:
        return 0
    best = 0
    for s in entry.spellings:
        if s == wanted:
            return 3
        if s.startswith(wanted):
            best = 2
        elif best < 1 and re.search(r"[\s\-'’]" + re.escape(wanted), s):
            best = 1
    return best


def ranked_places(
    entries: list[PlaceEntry], query: str, fuzzy: Callable[[str], float]
) -> list[tuple[PlaceEntry, float]]:
    """Places a query names (any spelling, by name or word prefix) above all else, best first;
    scattered letters only when nothing is named, and only on a country's or region's own name
    (not "Jump to region" nor aliases such as "region de koulikoro"), so `Nioro` does not offer
    Koulikoro."""
    named = []
    for e in entries:
        rank = name_rank(e, query)
        if rank:
            named.append((e, REGION_SCORE + rank / 10 + LEVEL_BONUS[e.level]))
    if named:
        named.sort(key=lambda h: -h[1])
        return named[:MAX_NAMED]
    out = []
    for entry in entries:
        if entry.level == "place":
            continue
        score = max(fuzzy(name) for name in (entry.name, entry.arabic or ""))
        if score > 0:
            out.append((entry, score))
    return out


def plain_highlight(matcher: Matcher, candidate: str) -> Content:
    """Matcher.highlight without parsing the candidate as markup (region names are data)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class RegionCommands(Provider):
    """Jump to a country, region or place: the first matches when the query names one."""

    @property
    def rasd(self) -> RasdApp:
        return self.app  # type: ignore[return-value]

    def _title(self, entry: PlaceEntry) -> str:
        mode = self.rasd.bidi_mode
        arabic = ""
        if entry.arabic and fold(entry.arabic) != fold(entry.name):
            arabic = f" ({display_inline(entry.arabic, mode)})"
        return f"Jump to {entry.level} {display_inline(entry.name, mode)}{arabic}"

    def _help(self, entry: PlaceEntry) -> str:
        """Textual parses a hit's help as markup: names from data are escaped."""
        shown = [p if p != UNKNOWN else "?" for p in entry.path]
        return escape(sanitize(" › ".join(shown)))

    async def discover(self) -> Hits:
        for entry in self.rasd.places:
            if entry.level == "place":
                continue  # hundreds: offered when named
            title = self._title(entry)
            yield DiscoveryHit(
                Text(title),
                partial(self.rasd.jump_to_place, entry),
                text=title,
                help=self._help(entry),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry, score in ranked_places(self.rasd.places, query, matcher.match):
            title = self._title(entry)
            yield Hit(
                score,
                plain_highlight(matcher, title),
                partial(self.rasd.jump_to_place, entry),
                text=title,
                help=self._help(entry),
            )
