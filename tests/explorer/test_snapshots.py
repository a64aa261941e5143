"""What the explorer looks like, at 80x24 and 120x40 (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explorer.conftest import settle
from tui.app import RasdApp


def run_before(*keys: str):
    async def before(pilot) -> None:
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)

    return before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_view(snap_compare, db_copy: Path, size: tuple[int, int]) -> None:
    assert snap_compare(RasdApp(db_copy), terminal_size=size, run_before=run_before())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_source_pane(snap_compare, db_copy: Path, size: tuple[int, int]) -> None:
    assert snap_compare(RasdApp(db_copy), terminal_size=size, run_before=run_before("3", "n"))


def test_help_screen(snap_compare, db_copy: Path) -> None:
    assert snap_compare(
        RasdApp(db_copy), terminal_size=(100, 30), run_before=run_before("question_mark")
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_map_pane(snap_compare, db_copy: Path, size: tuple[int, int]) -> None:
    assert snap_compare(RasdApp(db_copy), terminal_size=size, run_before=run_before("4"))
