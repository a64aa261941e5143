"""The coding screen's list at the widths analysts use: a place shows whole, or its Latin name
alone, never an Arabic name cut off at the row's end (which cuts its first letters)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from db.coding import CodingStore
from tests.coding_screen.conftest import coding_screen, only_source
from tests.explorer.conftest import settle
from tui.coding_app import CodingApp
from tui.text.layout import display_inline
from tui.widgets.cells import place_forms
from tui.widgets.coding_list import CodingList

ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (160, 40)])
async def test_places_show_whole_or_latin_alone(report_db: Path, size: tuple[int, int]) -> None:
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=size) as pilot:
            await coding_screen(pilot, app)
            await pilot.press("2")
            await settle(pilot, app)
            listing = app.screen.query_one(CodingList)
            region = listing.scrollable_content_region
            # cropped by cells: the report's harakat are characters of no width
            strips = app.screen._compositor.render_strips()[region.y : region.bottom]
            rows = [strip.crop(region.x, region.right).text.rstrip() for strip in strips]
            whole = latin = 0
            for item, row in zip(listing.items, rows, strict=False):
                forms = place_forms(item.fields.get("location"), item.fields.get("location_ar"))
                if not forms or " · " not in row:
                    continue
                shown = row.split(" · ", 1)[1]
                if shown == display_inline(forms[0]):
                    whole += 1
                elif len(forms) > 1 and shown == forms[1]:
                    latin += 1  # only when both names would not have fitted
                    prefix = row.split(" · ", 1)[0]
                    needed = cell_len(prefix) + 3 + cell_len(display_inline(forms[0]))
                    assert needed > region.width, (row, region.width)
                else:  # cut: only ever a Latin name, or an Arabic one at a word's end
                    assert shown.endswith("…") or shown.startswith("…"), (row, forms)
                    assert not (ARABIC.search(shown) and shown.endswith("…")), (row, forms)
            assert whole + latin > 0, rows
