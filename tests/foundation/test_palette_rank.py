"""Ctrl+P offers the regions a query names before any fuzzy match (`Nioro` is not Koulikoro)."""

from __future__ import annotations

from textual.fuzzy import Matcher

from tui.palette import REGION_SCORE, ranked_regions, region_entries

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


def offered(query: str) -> list[str]:
    matcher = Matcher(query)
    hits = ranked_regions(region_entries(MALI), query, matcher.match)
    return [e.admin1 for e, _ in sorted(hits, key=lambda h: -h[1])]


def test_nioro_does_not_offer_koulikoro() -> None:
    assert "Koulikoro" not in offered("Nioro")


def test_any_spelling_is_named_first() -> None:
    for query in ("Timbuktu", "tombouctou", "تمبكتو", "Koul"):
        hits = ranked_regions(region_entries(MALI), query, Matcher(query).match)
        assert hits and all(score == REGION_SCORE for _, score in hits), query
    assert offered("Timbuktu") == ["Tombouctou"]
    assert offered("Koul") == ["Koulikoro"]
