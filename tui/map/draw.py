"""The map as text: outlines, incidents per cell, markers and a legend (pure functions).

Incidents are drawn where they are (the dot of each incident lights) and weighted by count
(more dots lit from the bottom of the cell, see braille.weight_bits), so density reads without
colour; colour only repeats it. Region-only incidents (geo_precision 3) are a different glyph,
drawn at their region, and the legend counts every incident that is not a dot.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from db.geo import Ring, Shape, Viewport, admin1_at, load_geo
from db.map_queries import MapCounts
from tui.map.braille import Canvas, density_level, dot_bit, glyph, level_floors, weight_bits

REGION_ONLY_MARK = "◇"
PROPOSED_MARK = "?"
HIGHLIGHT_MARK = "◉"


@dataclass(frozen=True, slots=True)
class MapStyles:
    outline: Style
    region: Style
    low: Style
    mid: Style
    high: Style
    region_only: Style
    highlight: Style
    cursor: Style
    label: Style


_NONE = Style()
PLAIN = MapStyles(_NONE, _NONE, _NONE, _NONE, _NONE, _NONE, _NONE, Style(reverse=True), _NONE)


def _visible(shape: Shape, view: Viewport) -> bool:
    west, south, east, north = view.bbox
    return not (
        shape.bbox[2] < west
        or shape.bbox[0] > east
        or shape.bbox[3] < south
        or shape.bbox[1] > north
    )


def outline_canvas(view: Viewport, shapes: tuple[Shape, ...]) -> Canvas:
    canvas = Canvas(view.width, view.height)
    for shape in shapes:
        if not _visible(shape, view):
            continue
        for polygon in shape.polygons:
            for ring in polygon:
                for part in split_at_antimeridian(ring):
                    canvas.polyline(view.to_dot(lon, lat) for lon, lat in part)
    return canvas


def split_at_antimeridian(ring: Ring) -> list[Ring]:
    """A ring cut where it jumps across ±180° (Russia, Fiji): no line across the whole map."""
    parts: list[Ring] = []
    start = 0
    for i in range(1, len(ring)):
        if abs(ring[i][0] - ring[i - 1][0]) > 180:
            parts.append(ring[start:i])
            start = i
    parts.append(ring[start:])
    return parts


@dataclass(frozen=True, slots=True)
class Backdrop:
    """What does not depend on the data: borders and place labels for one view."""

    countries: Canvas
    regions: Canvas
    labels: tuple[tuple[int, int, str], ...]
    """(column, row, text) of each name that fits."""


def outlines(view: Viewport) -> Backdrop:
    """Country borders at the view's level of detail, Mali's regions when close enough, and the
    names of the regions (or, farther out, of the countries) where they fit."""
    geo = load_geo()
    countries = outline_canvas(view, geo.countries(view.level))
    close = view.level == "fine"
    regions = outline_canvas(view, geo.admin1 if close else ())
    return Backdrop(
        countries,
        regions,
        place_labels(view, geo.admin1 if close else (), geo.countries(view.level)),
    )


def place_labels(
    view: Viewport, regions: tuple[Shape, ...], countries: tuple[Shape, ...]
) -> tuple[tuple[int, int, str], ...]:
    """Names centred on their label point, when the shape is wider than its name on screen."""
    taken: set[tuple[int, int]] = set()
    out = []
    candidates = [(r, r.label) for r in regions if r.label]
    for country in countries:
        if not _visible(country, view):
            continue
        west, south, east, north = country.main_bbox
        centre = ((west + east) / 2, (south + north) / 2)
        if country.contains(*centre):
            candidates.append((country, centre))
    for shape, point in candidates:
        assert point is not None
        west, _, east, _ = shape.main_bbox
        cells_wide = (east - west) / view.dot_lon / 2
        name = shape.name
        if cells_wide < len(name) + 2:
            continue
        x, y = view.to_dot(*point)
        cx, cy = int(x // 2) - len(name) // 2, int(y // 4)
        cells = {(cx + i, cy) for i in range(-1, len(name) + 1)}
        if cy < 0 or cy >= view.height or cx < 0 or cx + len(name) > view.width or cells & taken:
            continue
        taken |= cells
        out.append((cx, cy, name))
    return tuple(out)


def region_only_cells(counts: MapCounts, view: Viewport) -> dict[tuple[int, int], int]:
    """Cell of each region-only group: its region's label point, else its mean coordinates."""
    out: dict[tuple[int, int], int] = {}
    for group in counts.region_only:
        shape = admin1_at(group.lon, group.lat)
        lon, lat = shape.label if shape is not None and shape.label else (group.lon, group.lat)
        x, y = view.to_dot(lon, lat)
        key = (int(x // 2), int(y // 4))
        if 0 <= key[0] < view.width and 0 <= key[1] < view.height:
            out[key] = out.get(key, 0) + group.incidents
    return out


def map_rows(
    view: Viewport,
    counts: MapCounts | None,
    styles: MapStyles = PLAIN,
    highlight: tuple[int, int] | None = None,
    cursor: tuple[int, int] | None = None,
    backdrop: Backdrop | None = None,
) -> list[Strip]:
    """One strip per row of cells: runs of one style (a cell each, 116 x 32 styled cells, as a
    Text took Textual ~120 ms a repaint to convert; as runs of segments, a few ms)."""
    backdrop = backdrop if backdrop is not None else outlines(view)
    countries, regions = backdrop.countries, backdrop.regions
    dots: dict[tuple[int, int], int] = {}
    cells: dict[tuple[int, int], int] = {}
    if counts is not None:
        for (x, y), n in counts.dots.items():
            key = (x // 2, y // 4)
            dots[key] = dots.get(key, 0) | dot_bit(x, y)
            cells[key] = cells.get(key, 0) + n
    peak = max(cells.values(), default=0)
    marked = region_only_cells(counts, view) if counts is not None else {}
    proposed = counts.proposed_cells() if counts is not None else {}
    busy = set(cells) | set(marked) | set(proposed)
    if highlight is not None:
        busy.add(highlight)
    label_at = {
        (cx + i, cy): ch
        for cx, cy, name in backdrop.labels
        if not any((cx + i, cy) in busy for i in range(len(name)))  # data first, names after
        for i, ch in enumerate(name)
    }
    rows = []
    for cy in range(view.height):
        segments: list[Segment] = []
        run: list[str] = []
        run_style: Style | None = None
        for cx in range(view.width):
            key = (cx, cy)
            style = styles.outline
            if key == highlight:
                char, style = HIGHLIGHT_MARK, styles.highlight
            elif key in cells:
                level = density_level(cells[key], peak)
                char = glyph(dots[key] | weight_bits(level))
                style = styles.low if level <= 2 else styles.mid if level <= 5 else styles.high
                if key in marked:  # region-only incidents here too: underlined
                    style = style + Style(underline=True)
            elif key in marked:
                char, style = REGION_ONLY_MARK, styles.region_only
            elif key in proposed:  # only proposals here: never drawn as confirmed incidents
                char, style = PROPOSED_MARK, styles.region_only + Style(italic=True)
            elif key in label_at:
                char, style = label_at[key], styles.label
            else:
                country, region = countries.cell(cx, cy), regions.cell(cx, cy)
                char = glyph(country | region)
                style = styles.outline if country else styles.region
            if key == cursor:
                style = style + styles.cursor
            if style is not run_style and style != run_style:
                if run:
                    segments.append(Segment("".join(run), run_style))
                run, run_style = [], style
            run.append(char)
        if run:
            segments.append(Segment("".join(run), run_style))
        rows.append(Strip(segments))
    return rows


Item = tuple[Text, str]
"""A piece of the legend and the separator to put before it on a line."""


def legend_items(counts: MapCounts | None, view: Viewport, styles: MapStyles = PLAIN) -> list[Item]:
    """Pieces of the legend, each readable without colour (packed into lines by `pack`)."""
    if counts is None:
        return [(Text("counting…", style="dim italic"), " · ")]
    cells = counts.cells()
    peak = max(cells.values(), default=0)
    items: list[Item] = []
    if peak:
        shown = [(lvl, n) for lvl, n in enumerate(level_floors(peak), start=1) if n]
        for i, (level, n) in enumerate(shown):
            last = i + 1 == len(shown)
            label = f"{n:,}–{peak:,}" if last and peak > n else f"{n:,}"
            style = styles.low if level <= 2 else styles.mid if level <= 5 else styles.high
            entry = Text.assemble((glyph(weight_bits(level)), style), label)
            if last:
                entry.append(" per cell")
            items.append((entry, " " if i else " · "))
    drawn = sum(cells.values())
    items.append((Text(f"{drawn:,} on the map"), " · "))
    region_only = sum(g.incidents for g in counts.region_only)
    if region_only:
        item = Text()
        item.append(REGION_ONLY_MARK, styles.region_only)
        item.append(" or ")
        item.append("underlined", Style(underline=True))
        item.append(f": {region_only:,} placed at their region only")
        items.append((item, " · "))
    proposals = sum(counts.proposed.values())
    if proposals:
        item = Text()
        item.append(PROPOSED_MARK, styles.region_only + Style(italic=True))
        item.append(f" {proposals:,} proposed, not confirmed (not in the weights)")
        items.append((item, " · "))
    if counts.outside:
        items.append((Text(f"{counts.outside:,} outside the view"), " · "))
    if counts.unplaced:
        items.append((Text(f"{counts.unplaced:,} without coordinates"), " · "))
    if counts.total == 0:
        items.append((Text("no incidents match the filter", style="italic"), " · "))
    km = view.dot_lat * 2 * 111.2
    items.append((Text(f"cell ≈ {km:,.0f} km", style="dim"), " · "))
    return items


def pack(items: list[Item], width: int) -> list[Text]:
    """Items into lines of at most `width` cells; an item too long for a line is cut with …."""
    lines: list[Text] = []
    line = Text(no_wrap=True, overflow="ellipsis")
    started = False  # an item of no width (a lone combining mark) still counts
    for item, separator in items:
        if started and line.cell_len + len(separator) + item.cell_len > width:
            lines.append(line)
            line = Text(no_wrap=True, overflow="ellipsis")
            started = False
        if started:
            line.append(separator, style="dim")
        line.append_text(item)
        started = True
    if started:
        lines.append(line)
    for text in lines:
        text.truncate(width, overflow="ellipsis")
    return lines
