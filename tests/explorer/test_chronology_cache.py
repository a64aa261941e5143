"""The chronology keeps a bounded number of row blocks, dropping the least recently drawn."""

from __future__ import annotations

from pathlib import Path

from tests.explorer.conftest import chronology, settle
from tui.app import RasdApp
from tui.widgets import chronology as chronology_module


async def test_row_blocks_are_bounded_and_the_least_recently_used_go_first(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        view = chronology(app)
        first = view._row(0)
        assert first is not None  # block 0 came with the count
        rows = [first] * chronology_module.BLOCK
        far = range(1_000, 1_000 + chronology_module.CACHED_BLOCKS + 5)
        for n, block in enumerate(far):
            view._fetched(view.generation, block, rows)
            if n % 4 == 0:
                assert view._row(0) is first  # drawn again: stays
        kept = set(view._blocks.keys())
        assert len(kept) == chronology_module.CACHED_BLOCKS
        assert 0 in kept
        assert far[0] not in kept and far[-1] in kept
