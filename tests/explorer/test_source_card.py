"""The Source card: every field of an ACLED incident (associated actors, its dataset and ACLED's
own source included) is shown; opening an incident from the chronology at 80x24 shows its
highlighted sentences, not the end of the report."""

from __future__ import annotations

from pathlib import Path

from tests.explorer.conftest import screen_text, settle
from tui.app import RasdApp
from tui.widgets.rtl_view import RtlView
from tui.widgets.source import SourcePane


async def test_every_field_of_the_card_is_shown(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("3", "z")  # the pane zoomed: the card has the width of the screen
        app.query_one(SourcePane).show("USA43066")
        await settle(pilot, app)
        card = app.query_one("#card")
        seen = " ".join(
            " ".join(line[card.content_region.x : card.content_region.right].split())
            for line in screen_text(app).splitlines()[
                card.content_region.y : card.content_region.bottom
            ]
        )
        for wanted in (
            "with actor 1",
            "with actor 2",
            "Proud Boys",
            "Arizona Central",
            "dataset acled",
        ):
            assert wanted in seen, wanted


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


async def test_a_card_cut_at_80x24_ends_with_an_ellipsis(acled_db: Path) -> None:
    app = RasdApp(acled_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        app.query_one(SourcePane).show("USA43066")
        await settle(pilot, app)
        card = app.query_one("#card")
        region = card.content_region
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        shown = [
            r[region.x : region.right].rstrip() for r in rows if r[region.x : region.right].strip()
        ]
        assert shown and shown[-1].endswith("…"), shown
