"""Command palette entries: "jump to region" for every region, found by any of its spellings.

A region's Latin name, its Arabic name and its aliases all match (Arabic-aware folding), and a
region that matches ranks above every other command, so typing a place name and pressing Enter
goes there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from db.folding import fold
from db.places import lookup_admin1
from tui.text.layout import display_inline
from tui.text.sanitize import sanitize

if TYPE_CHECKING:
    from tui.app import RasdApp

REGION_SCORE = 2.0
"""Above any fuzzy score (those are at most 1.0)."""


@dataclass(frozen=True, slots=True)
class RegionEntry:
    country: str | None
    admin1: str
    arabic: str | None
    spellings: tuple[str, ...]

    @property
    def path(self) -> tuple[str, ...]:
        return (self.country or "", self.admin1) if self.country else ("", self.admin1)


def region_entries(pairs: list[tuple[str | None, str]]) -> list[RegionEntry]:
    out = []
    for country, admin1 in pairs:
        known = lookup_admin1(admin1)
        names = (admin1, known.name_ar, *known.aliases) if known else (admin1,)
        out.append(
            RegionEntry(
                country,
                admin1,
                known.name_ar if known else None,
                tuple(dict.fromkeys(fold(n) for n in names)),
            )
        )
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


def region_matches(entry: RegionEntry, query: str) -> bool:
    wanted = fold(query).strip()
    return bool(wanted) and any(s.startswith(wanted) or wanted in s for s in entry.spellings)


def ranked_regions(
    entries: list[RegionEntry], query: str, fuzzy: Callable[[str], float]
) -> list[tuple[RegionEntry, float]]:
    """Regions a query names (any spelling, by name or word prefix) above all else; scattered
    letters only when nothing is named, and only on the name itself (not "Jump to region" nor
    aliases such as "region de koulikoro"), so `Nioro` does not offer Koulikoro."""
    named = [(e, REGION_SCORE) for e in entries if region_matches(e, query)]
    if named:
        return named
    out = []
    for entry in entries:
        score = max(fuzzy(name) for name in (entry.admin1, entry.arabic or ""))
        if score > 0:
            out.append((entry, score))
    return out


class RegionCommands(Provider):
    """Jump to a region: the first matches when the query names one."""

    @property
    def rasd(self) -> RasdApp:
        return self.app  # type: ignore[return-value]

    def _title(self, entry: RegionEntry) -> str:
        mode = self.rasd.bidi_mode
        arabic = f" ({display_inline(entry.arabic, mode)})" if entry.arabic else ""
        return f"Jump to region {display_inline(entry.admin1, mode)}{arabic}"

    def _help(self, entry: RegionEntry) -> str:
        """Textual parses a hit's help as markup: names from data are escaped."""
        return escape(sanitize(f"{entry.country or ''} › {entry.admin1}"))

    async def discover(self) -> Hits:
        for entry in self.rasd.regions:
            title = self._title(entry)
            yield DiscoveryHit(
                Text(title),
                partial(self.rasd.jump_to_region, entry),
                text=title,
                help=self._help(entry),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry, score in ranked_regions(self.rasd.regions, query, matcher.match):
            title = self._title(entry)
            yield Hit(
                score,
                plain_highlight(matcher, title),
                partial(self.rasd.jump_to_region, entry),
                text=title,
                help=self._help(entry),
            )
