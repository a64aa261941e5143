"""Screenshots of the main views for the README, from the real app on the default data.

Run `python -m tui.screenshots` (needs rsvg-convert from Debian's librsvg2-bin for the PNGs).
Textual's SVG keeps rasd's visual-order Arabic in <text> runs, and every SVG renderer applies
bidi to them again, reversing each run; one style rule makes renderers draw the runs as given.
A run is also laid out by the renderer's font, whose Arabic glyphs are not one cell wide, so a
count drifted onto the name before it (`كاي2`). Each cell's text is therefore its own <text> at
the cell's x, one cell wide, in a monospace font that has Arabic presentation forms (DejaVu Sans
Mono): every glyph stands where the terminal puts it.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.cells import get_character_cell_size
from textual.app import App

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
SEED_REPORT = "mali-weekly-2026-01-24.ar.txt"
"""The bundled report the coding screenshot shows, imported as new."""
ACLED_SHOTS = (Shot("map-acled-120x40", (120, 40), ("4", "z")),)


MONO_FONT = '"DejaVu Sans Mono", "Fira Code", monospace'
"""First a monospace font with Arabic presentation forms (U+FB50-FEFF), as terminals use."""
TEXT_RUN = re.compile(
    r'<text class="(?P<cls>[^"]*)" x="(?P<x>[0-9.]+)" y="(?P<y>[0-9.]+)" '
    r'textLength="(?P<length>[0-9.]+)" clip-path="(?P<clip>[^"]*)">(?P<text>[^<]*)</text>'
)


def cells(text: str) -> list[tuple[str, int]]:
    """A run's cells: (what one cell shows, its width); marks stay in their letter's cell."""
    out: list[tuple[str, int]] = []
    for ch in text:
        width = get_character_cell_size(ch)
        if width == 0 and out:
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, width))
    return out


class _CellPlacer:
    """Splits runs into cells, each placed by counting cells from the run's start.

    A run's textLength counts characters, harakat included, so a renderer stretching the run to
    it spreads the glyphs wider than their cells; the cell width is the terminal's (a one-cell
    run's textLength) and a run starts at Textual's x.
    """

    def __init__(self) -> None:
        self.column = 0
        self.cell = 0.0

    def __call__(self, match: re.Match[str]) -> str:
        laid = cells(html.unescape(match["text"]))
        total = sum(w for _, w in laid)
        if not total:
            return ""  # the line's end: nothing to draw
        self.column = round(float(match["x"]) / self.cell)
        out = []
        for chars, width in laid:
            if chars.strip():
                out.append(
                    f'<text class="{match["cls"]}" x="{self.column * self.cell:.1f}" '
                    f'y="{match["y"]}" textLength="{self.cell * width:.1f}" '
                    f'lengthAdjust="spacingAndGlyphs" clip-path="{match["clip"]}">'
                    f"{html.escape(chars, quote=False)}</text>"
                )
            self.column += width
        return "".join(out)


def fix_bidi(svg: str) -> str:
    """Draw each cell as the terminal shows it: no second bidi pass in the renderer, one <text>
    per cell at the cell's x, a monospace font with Arabic presentation forms."""
    svg = svg.replace("<style>", f"<style>\n    {BIDI_OVERRIDE}", 1)
    svg = svg.replace("font-family: Fira Code, monospace;", f"font-family: {MONO_FONT};", 1)
    placer = _CellPlacer()
    first = TEXT_RUN.search(svg)
    if first is None:
        return svg
    # every run is drawn at Textual's cell width (its textLength over its cells)
    widths = [
        float(m["length"]) / n
        for m in TEXT_RUN.finditer(svg)
        if (n := sum(w for _, w in cells(html.unescape(m["text"])))) == 1
    ]
    placer.cell = min(widths) if widths else 12.2
    return TEXT_RUN.sub(placer, svg)


CELL_TEXT = re.compile(
    r'<text class="[^"]*" x="(?P<x>[0-9.]+)" y="[0-9.]+" textLength="(?P<length>[0-9.]+)" '
    r'lengthAdjust="spacingAndGlyphs" clip-path="url\(#[^"]*-line-(?P<row>[0-9]+)\)">'
    r"(?P<text>[^<]*)</text>"
)


def svg_rows(svg: str, size: tuple[int, int]) -> list[str]:
    """The SVG's text read back per row and cell (each <text>'s row from its clip line, its
    column from its x): what a viewer of the picture sees where."""
    width, height = size
    assert not TEXT_RUN.search(svg), "a run was not split into cells"
    found = list(CELL_TEXT.finditer(svg))
    cell = min(
        (float(m["length"]) / sum(w for _, w in cells(html.unescape(m["text"]))) for m in found),
        default=1.0,
    )
    lines = [[" "] * width for _ in range(height)]
    for m in found:
        row, col = int(m["row"]), round(float(m["x"]) / cell)
        for chars, w in cells(html.unescape(m["text"])):
            if 0 <= row < height and 0 <= col < width:
                lines[row][col] = chars
                for k in range(1, w):
                    if col + k < width:
                        lines[row][col + k] = ""
            col += w
    return ["".join(line).rstrip() for line in lines]


async def capture(db: Path, shot: Shot) -> str:
    return (await capture_with_screen(db, shot))[0]


async def capture_with_screen(db: Path, shot: Shot) -> tuple[str, list[str]]:
    """The shot's SVG and, at the same moment, the app's screen as text rows."""
    app = RasdApp(db)
    async with app.run_test(size=shot.size) as pilot:
        await settle(pilot, app)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot, app)
        svg = fix_bidi(app.export_screenshot(title=f"rasd — {shot.name}"))
        # Textual has no public way to read the screen as text; export_screenshot reads the
        # compositor like this
        strips = app.screen._compositor.render_strips()
        return svg, [strip.text.rstrip() for strip in strips]


async def settle(pilot, app: App) -> None:
    for _ in range(40):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause(0.2)


async def capture_coding(db: Path, size: tuple[int, int], keys: tuple[str, ...] = ()) -> str:
    """The coding screen on `db`'s only report (its first proposal current)."""
    from db.coding import CodingStore
    from db.sources import read_reports
    from tui.coding_app import CodingApp
    from tui.screens.coding import CodingScreen

    (report,) = read_reports(db)
    with CodingStore.open(db, user="analyst") as store:
        app = CodingApp(store, report.source_id)
        async with app.run_test(size=size) as pilot:
            for _ in range(200):
                screen = app.screen
                if isinstance(screen, CodingScreen) and screen.items:
                    break
                await pilot.pause(0.05)
            await settle(pilot, app)
            for key in keys:
                await pilot.press(key)
                await settle(pilot, app)
            return fix_bidi(app.export_screenshot(title="rasd code"))


def render_coding(workdir: Path) -> dict[str, str]:
    """The seed report imported as a new report (proposals only), on the coding screen."""
    from db.seed import source_text
    from db.store import atomic_database
    from tui.cli import main as rasd

    db = workdir / "coding.duckdb"
    with atomic_database(db):
        pass
    report = workdir / SEED_REPORT
    report.write_text(source_text(SEED_REPORT), encoding="utf-8")
    if rasd(["import", "report", str(report), "--db", str(db)]) != 0:
        raise SystemExit(f"cannot import {report}")
    return {"coding-120x40": asyncio.run(capture_coding(db, (120, 40)))}


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
        shots.update(render_coding(Path(tmp)))
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
