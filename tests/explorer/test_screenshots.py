"""The README's screenshots are what the current app shows (regenerate: python -m tui.screenshots)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tui.screenshots import (
    BIDI_OVERRIDE,
    MONO_FONT,
    OUT,
    SHOTS,
    Shot,
    capture_with_screen,
    render_all,
    svg_rows,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def test_screenshots_are_fresh(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    current = render_all(db)
    stale = [
        name
        for name, svg in current.items()
        if not (OUT / f"{name}.svg").exists()
        or (OUT / f"{name}.svg").read_text(encoding="utf-8") != svg
    ]
    assert not stale, f"stale screenshots {stale}: run `python -m tui.screenshots`"
    for shot in SHOTS:
        assert (OUT / f"{shot.name}.png").exists()
        assert BIDI_OVERRIDE in (OUT / f"{shot.name}.svg").read_text(encoding="utf-8")
    assert "screenshots/main-120x40.png" in README.read_text(encoding="utf-8")
    assert "screenshots/main-80x24.png" in README.read_text(encoding="utf-8")


@pytest.mark.referee(shutil.which("rsvg-convert") is not None, "rsvg-convert (Debian librsvg2-bin)")
def test_png_renders_from_svg(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    subprocess.run(["rsvg-convert", "-o", str(out), str(OUT / "main-80x24.svg")], check=True)
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("shot", SHOTS[:3], ids=lambda s: s.name)
async def test_every_cell_of_the_svg_stands_where_the_screen_has_it(
    seed_db: Path, tmp_path: Path, shot: Shot
) -> None:
    """Read back per row and cell, the picture's text is the app's screen: a count is never
    glued to the Arabic name before it (`كاي2`), whatever the renderer's font does."""
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    svg, screen = await capture_with_screen(db, shot)
    assert svg_rows(svg, shot.size) == screen
    assert MONO_FONT in svg
    assert any("\ufe70" <= ch <= "\ufeff" for row in screen for ch in row)  # Arabic shown
