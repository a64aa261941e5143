"""Ctrl+P offers the countries, regions and places a query names (any spelling, by name or
word prefix) before any fuzzy match: `Nioro` offers Nioro, not Koulikoro."""

from __future__ import annotations

from textual.fuzzy import Matcher

from tui.palette import (
    REGION_SCORE,
    PlaceEntry,
    country_entries,
    location_entries,
    ranked_places,
    region_entries,
)

MALI: list[tuple[str | None, str]] = [
    ("Mali", name)
    for name in (
        "Kayes",
        "Koulikoro",
        "Sikasso",
        "Segou",
        "Mopti",
        "Tombouctou",
        "Gao",
        "Kidal",
        "Bamako",
        "Menaka",
    )
]
PLACES: list[tuple[str | None, str | None, str | None, str, str | None]] = [
    ("Mali", "Kayes", "Nioro", "Nioro du Sahel", None),
    ("Mali", "Gao", "Gao", "Gao", None),
    ("Mali", "Tombouctou", "Tombouctou", "Timbuktu", None),
    ("Burkina Faso", "Sahel", "Soum", "Djibo", None),
]


def entries() -> list[PlaceEntry]:
    return (
        country_entries([("Mali", 466), ("Burkina Faso", 854), ("India", 356)])
        + region_entries(MALI)
        + location_entries(PLACES)
    )


def offered(query: str) -> list[str]:
    hits = ranked_places(entries(), query, Matcher(query).match)
    return [f"{e.level} {e.name}" for e, _ in sorted(hits, key=lambda h: -h[1])]


def test_nioro_offers_nioro_not_koulikoro() -> None:
    assert offered("Nioro") == ["place Nioro du Sahel"]
    assert offered("sahel") == ["place Nioro du Sahel"]  # a word's beginning


def test_any_spelling_is_named_first() -> None:
    for query in ("Timbuktu", "tombouctou", "تمبكتو", "Koul"):
        hits = ranked_places(entries(), query, Matcher(query).match)
        assert hits and all(score > REGION_SCORE for _, score in hits), query
    assert offered("Timbuktu") == ["region Tombouctou", "place Timbuktu"]
    assert offered("تمبكتو")[:2] == ["region Tombouctou", "place Timbuktu"]
    assert offered("Koul") == ["region Koulikoro"]
    assert offered("Gao") == ["region Gao", "place Gao"]


def test_countries_are_offered_by_any_name() -> None:
    assert offered("Mali") == ["country Mali"]
    assert offered("مالي") == ["country Mali"]
    assert offered("الهند") == ["country India"]
    assert offered("faso") == ["country Burkina Faso"]
    assert offered("burk") == ["country Burkina Faso"]
