"""The Source card: every field of an ACLED incident (associated actors, its dataset and ACLED's
own source included) is shown whole: the fields that do not fit above the report head it and
scroll with it, so a short pane reaches every field; opening an incident from the chronology at
80x24 shows its highlighted sentences, not the end of the report."""

from __future__ import annotations

from pathlib import Path

from tests.explorer.conftest import screen_text, settle
from tui.app import RasdApp
from tui.widgets.rtl_view import RtlView
from tui.widgets.source import SourcePane, more_row, pinned_count


def report_rows(app: RasdApp) -> list[str]:
    """The rows the Source pane shows now: the card's, then the report view's."""
    region = app.query_one(SourcePane).content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [" ".join(r[region.x : region.right].split()) for r in rows]


WANTED = ("with actor 1", "with actor 2", "Proud Boys", "Arizona Central", "dataset acled")


async def test_every_field_of_the_card_is_shown(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("3", "z")  # the pane zoomed: the card has the width of the screen
        app.query_one(SourcePane).show("USA43066")
        await settle(pilot, app)
        seen = " ".join(report_rows(app))
        for wanted in WANTED:
            assert wanted in seen, wanted
        assert "…" not in seen  # nothing cut


async def test_opening_an_incident_at_80x24_shows_its_highlighted_sentences(
    db_copy: Path,
) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("2", "enter")
        await settle(pilot, app)
        report = app.query_one("#report", RtlView)
        assert report.highlight is not None
        first = report.first_highlighted_line()
        assert first is not None
        top = round(report.scroll_offset.y)
        visible = report.content_region.height
        assert visible > 0 and top <= first < top + visible, (top, first, visible)
        region = report.content_region
        assert region.y < 24 and region.bottom > 0 and region.height >= 3


async def test_the_card_scrolls_with_the_report_at_80x24(acled_db: Path) -> None:
    """At 80x24 the card is taller than its share of the pane (it was cut there with `…`): its
    first fields stay above the report, the others head the report and scroll with it, so every
    field is read by scrolling; the card says which fields follow."""
    app = RasdApp(acled_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        app.query_one(SourcePane).show("USA43066")
        await settle(pilot, app)
        report = app.query_one("#report", RtlView)
        assert report.head_rows > 0
        first = report_rows(app)
        assert first[0].startswith("id USA43066"), first
        more = next(r for r in first if r.startswith("more (g) "))
        assert "fields atop the report: " in more, more
        assert not any(r.startswith("dataset acled") for r in first[: first.index(more)])
        seen = set(first)
        for _ in range(report.head_rows):
            await pilot.press("j")
            await pilot.pause()
            seen.update(report_rows(app))
        assert round(report.scroll_offset.y) > 0
        text = " ".join(seen)
        for wanted in WANTED:
            assert wanted in text, wanted
        await pilot.press("g")
        await pilot.pause()
        assert report_rows(app) == first


def test_the_card_keeps_whole_fields_and_a_row_saying_what_follows() -> None:
    items = [("id", "A1"), ("date", "2026-01-22"), ("notes", "word " * 40)]
    assert pinned_count(items, "app", 40, 3) == 2  # id, date and the "more" row
    assert pinned_count(items, "app", 40, 4) == 2  # the notes take 8 rows: never cut
    assert pinned_count(items, "app", 40, 100) == 3  # everything, no "more" row needed
    assert pinned_count(items, "app", 40, 1) == 1  # the id at least
    row = more_row(items[2:], 40).plain
    assert more_row(items[2:], 80).plain == "   more (g) 1 field atop the report: notes"
    assert more_row(items[1:], 40).plain.startswith("   more (g) 2 fields atop the report: d")
    assert row == "   more (g) 1 field atop the report: no…"
    assert len(row) == 40
