"""`rasd code` without a report: the report list of a channel export (many long Arabic titles)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from db.bench_reports import make_telegram_export
from db.coding import CodingStore
from db.store import atomic_database
from tests.explorer.conftest import screen_of, settle
from tui.cli import main
from tui.coding_app import CodingApp
from tui.screens.report_picker import ReportList, ReportPicker
from tui.text.layout import display_inline


async def test_titles_read_in_order_one_line_each(tmp_path: Path) -> None:
    """Long Arabic titles were put in visual order and then wrapped: a row's first line held
    the title's end and its second line its start. Within one import the reports came in the
    order of their ids (a hash), not of their dates."""
    export, db = tmp_path / "result.json", tmp_path / "rasd.duckdb"
    make_telegram_export(export, 40)
    with atomic_database(db):
        pass
    assert main(["import", "report", str(export), "--db", str(db)]) == 0
    with CodingStore.open(db, user="tester") as store:
        app = CodingApp(store, None)
        async with app.run_test(size=(80, 24)) as pilot:
            picker = await screen_of(pilot, app, ReportPicker, "the list")
            await settle(pilot, app)
            reports = picker.reports
            dates = [r.published for r in reports]
            assert None not in dates and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
            listing = picker.query_one(ReportList)
            width = listing.scrollable_content_region.width
            cut = 0
            for i, report in enumerate(reports):
                row = listing.get_option_at_index(i).prompt.plain  # type: ignore[union-attr]
                assert "\n" not in row and cell_len(row) <= width, row
                first_word = report.title.split()[0]
                assert row.rstrip().endswith(display_inline(first_word)), (row, report.title)
                cut += row.rstrip().split("coded  ", 1)[1].startswith("…")
            assert cut > 0  # some titles were too long: cut at their end, on the left
