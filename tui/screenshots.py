"""Screenshots of the main views for the README, from the real app on the default data.

Run `python -m tui.screenshots` (needs rsvg-convert from Debian's librsvg2-bin for the PNGs).
Textual's SVG keeps rasd's visual-order Arabic in <text> runs, and every SVG renderer applies
bidi to them again, reversing each run; one style rule makes renderers draw the runs as given.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from db.safe_write import atomic_path, atomic_writer
from db.seed import build_default_database
from tui.app import RasdApp

OUT = Path(__file__).resolve().parents[1] / "screenshots"
BIDI_OVERRIDE = "text { unicode-bidi: bidi-override; direction: ltr; }"


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    keys: tuple[str, ...] = ()


SHOTS = (
    Shot("main-120x40", (120, 40)),
    Shot("main-80x24", (80, 24)),
    Shot("source-80x24", (80, 24), ("3",)),
    Shot("regions-120x40", (120, 40), ("1", "down", "down", "down", "enter")),
    Shot("map-mali-120x40", (120, 40), ("4", "z", "minus", "minus")),
)
ACLED_SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "acled"
    / ("world-2022h1-sample.acled.csv")
)
"""The ACLED sample the map's second screenshot shows (../shared, not shipped)."""
ACLED_SHOTS = (Shot("map-acled-120x40", (120, 40), ("4", "z")),)


def fix_bidi(svg: str) -> str:
    """Draw each text run as the terminal shows it (no second bidi pass in the renderer)."""
    return svg.replace("<style>", f"<style>\n    {BIDI_OVERRIDE}", 1)


async def capture(db: Path, shot: Shot) -> str:
    app = RasdApp(db)
    async with app.run_test(size=shot.size) as pilot:
        await settle(pilot, app)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot, app)
        return fix_bidi(app.export_screenshot(title=f"rasd — {shot.name}"))


async def settle(pilot, app: RasdApp) -> None:
    for _ in range(40):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause(0.2)


def render_all(db: Path) -> dict[str, str]:
    return {shot.name: asyncio.run(capture(db, shot)) for shot in SHOTS}


def render_acled(db: Path) -> dict[str, str]:
    """The ACLED sample's shots; `db` is made from ACLED_SAMPLE when it does not exist."""
    if not db.exists():
        from tui.cli import main as rasd

        if rasd(["import", "acled", str(ACLED_SAMPLE), "--db", str(db)]) != 0:
            raise SystemExit(f"cannot import {ACLED_SAMPLE}")
    return {shot.name: asyncio.run(capture(db, shot)) for shot in ACLED_SHOTS}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "rasd.duckdb"
        build_default_database(db)
        shots = render_all(db)
        if ACLED_SAMPLE.exists():
            shots.update(render_acled(Path(tmp) / "acled.duckdb"))
        else:
            print(f"{ACLED_SAMPLE} not found: ACLED screenshots not made", file=sys.stderr)
    OUT.mkdir(exist_ok=True)
    converter = shutil.which("rsvg-convert")
    for name, svg in shots.items():
        svg_path = OUT / f"{name}.svg"
        with atomic_writer(svg_path, binary=False) as fh:
            fh.write(svg)
        if converter:
            with atomic_path(svg_path.with_suffix(".png")) as png:
                subprocess.run([converter, "-o", str(png), str(svg_path)], check=True)
        print(svg_path)
    if not converter:
        print("rsvg-convert not found: PNGs not written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
