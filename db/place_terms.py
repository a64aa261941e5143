"""A search for a place looks for every spelling of it, so one place gives one answer.

ACLED writes `Tombouctou`, English notes `Timbuktu`, Arabic reports `تمبكتو`. A search used to
look for the spelling typed (and rows filed under the region, whose aliases are in the search
column), so the three gave 577, 573 and 582 incidents on the ACLED samples. Here a search word
(or phrase) that is a known spelling of a place becomes a group of alternatives, any of which a
row may contain: every spelling then returns the same rows.

The spellings come from the region alias table (`db/data/admin1_aliases.csv`) and from the
gazetteer's Arabic names (packaged and user additions), joined wherever two share a spelling.
Countries are left out on purpose: `مالي` is also the Arabic word for "financial".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from db.folding import fold
from db.places import admin1_table

MAX_PHRASE_WORDS = 4
"""Longest spelling, in words, looked for inside a search (`Région de Tombouctou` is three)."""

Spelling = tuple[str, ...]
"""One spelling as its folded words: a row holds it when it contains every word (anywhere, as
a search of those words always matched)."""

Group = tuple[Spelling, ...]
"""Alternatives: a row matches the group when it holds one of them."""


def _implies(shorter: Spelling, longer: Spelling) -> bool:
    """Whether a row holding `longer` always holds `shorter` (each word inside one of its)."""
    return all(any(w in v for v in longer) for w in shorter)


def _prune(spellings: Iterable[str]) -> Group:
    """Each spelling once, minus those that hold another (a row with them has the other too)."""
    unique = sorted(
        {tuple(s.split(" ")) for s in spellings if s}, key=lambda s: (len(" ".join(s)), s)
    )
    kept: list[Spelling] = []
    for s in unique:
        if not any(_implies(k, s) for k in kept):
            kept.append(s)
    return tuple(kept)


def _spelling_pairs() -> Iterable[tuple[str, str]]:
    """(spelling, spelling) pairs that name the same place."""
    for region in admin1_table():
        for other in (region.name_ar, *region.aliases):
            yield region.name, other
    from db.extract.gazetteer import index  # lazy: the gazetteer is read only by a search

    for arabic, places in index().arabic.items():
        for place in places:
            if place.rank > 0:  # countries: their Arabic names are common words
                yield place.name, arabic


@cache
def _groups(generation: int) -> dict[str, Group]:
    """Folded spelling → every folded spelling of that place (pruned), for one gazetteer load."""
    parent: dict[str, str] = {}

    def root(s: str) -> str:
        while parent.setdefault(s, s) != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for a, b in _spelling_pairs():
        fa, fb = fold(a), fold(b)
        if fa and fb:
            parent[root(fa)] = root(fb)
    members: dict[str, list[str]] = {}
    for s in list(parent):
        members.setdefault(root(s), []).append(s)
    out: dict[str, Group] = {}
    for group in members.values():
        pruned = _prune(group)
        for s in group:
            out[s] = pruned
    return out


def spelling_groups() -> dict[str, Group]:
    """The current groups (rebuilt when the gazetteer is reloaded)."""
    from db.extract.gazetteer import generation

    return _groups(generation())


def expand_words(words: list[str]) -> list[Group]:
    """Folded search words as groups of alternatives: a row matches when it holds one
    alternative of every group. A run of words that spells a known place (longest first)
    becomes one group: the words as typed and every other spelling of the place; any other
    word is a group of itself."""
    groups = spelling_groups()
    out: list[Group] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            typed = tuple(words[i : i + n])
            if " ".join(typed) in groups:
                others = groups[" ".join(typed)]
                out.append(_prune([" ".join(typed), *(" ".join(s) for s in others)]))
                i += n
                break
        else:
            out.append(((words[i],),))
            i += 1
    return out
