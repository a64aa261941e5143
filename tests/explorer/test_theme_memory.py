"""The theme chosen in the palette is remembered at the next start."""

from __future__ import annotations

from pathlib import Path

from tests.explorer.conftest import settle
from tui.app import RasdApp
from tui.theme_memory import theme_path


async def test_the_theme_is_remembered(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        default = app.theme
        chosen = next(
            t
            for t in ("nord", "gruvbox", "ansi-light")
            if t in app.available_themes and t != default
        )
        app.theme = chosen
        await settle(pilot, app, rounds=3)
    assert theme_path().read_text().strip() == chosen
    again = RasdApp(db_copy)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot, again)
        assert again.theme == chosen


async def test_a_damaged_theme_file_is_ignored(db_copy: Path) -> None:
    theme_path().parent.mkdir(parents=True, exist_ok=True)
    theme_path().write_bytes(b"\xff\x1b]2;pwned\x07")
    app = RasdApp(db_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.theme in app.available_themes and "pwned" not in app.theme
