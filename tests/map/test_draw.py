"""The map as text: outlines, legend and markers (pure functions, no app)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from db.geo import Viewport, fit, load_geo
from db.map_queries import MapCounts, RegionOnly
from tui.map.draw import (
    HIGHLIGHT_MARK,
    REGION_ONLY_MARK,
    legend_items,
    map_rows,
    outline_canvas,
    pack,
    split_at_antimeridian,
)


def test_rings_are_cut_where_they_cross_the_antimeridian() -> None:
    ring = ((170.0, 60.0), (179.9, 61.0), (-179.9, 62.0), (-170.0, 63.0))
    assert split_at_antimeridian(ring) == [ring[:2], ring[2:]]
    world = fit((-180.0, -60.0, 180.0, 80.0), 100, 30)
    canvas = outline_canvas(world, load_geo().countries("coarse"))
    # no row of the world map is a border from edge to edge (Russia and Fiji cross ±180°)
    for row in canvas.rows():
        assert "⠀" in row[5:-5] or not row.strip("⠀")


def test_markers_and_a_legend_that_counts_what_is_not_a_dot() -> None:
    view = Viewport(lon=0.0, lat=0.0, scale=0.5, width=20, height=5)
    counts = MapCounts(
        dots={(1, 1): 3, (2, 1): 1, (21, 9): 40},
        region_only=(RegionOnly(5, 4.2, -0.1),),
        unplaced=14,
        outside=2,
    )
    rows = map_rows(view, counts, highlight=(0, 0))
    assert rows[0].text[0] == HIGHLIGHT_MARK
    x, y = view.to_dot(4.2, -0.1)
    assert rows[int(y) // 4].text[int(x) // 2] == REGION_ONLY_MARK
    busy, quiet = rows[2].text[10], rows[0].text[1]
    assert bin(ord(busy) - 0x2800).count("1") > bin(ord(quiet) - 0x2800).count("1")
    text = " ".join(t.plain for t in pack(legend_items(counts, view), 200))
    assert "14 without coordinates" in text
    assert "2 outside the view" in text
    assert "5 placed at their region only" in text
    assert "44 on the map" in text
    assert "40 per cell" in text


PRINTABLE = st.characters(categories=["L", "N", "P", "S"])


@given(
    st.lists(st.text(PRINTABLE, min_size=1, max_size=30), min_size=1, max_size=12),
    st.integers(8, 90),
)
def test_pack_never_exceeds_the_width_and_keeps_every_item(words: list[str], width: int) -> None:
    items = [(Text(w), " · ") for w in words]
    lines = pack(items, width)
    assert all(line.cell_len <= width for line in lines)
    joined = " · ".join(line.plain for line in lines)
    for w in words:  # each item is there, whole or cut with a mark
        assert w in joined or "…" in joined
