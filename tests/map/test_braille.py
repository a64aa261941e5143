"""The braille raster on its own: dots, lines, clipping and the density scale."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.map.braille import (
    LEVELS,
    Canvas,
    density_level,
    dot_bit,
    glyph,
    level_floors,
    weight_bits,
)


def test_each_dot_is_its_own_bit() -> None:
    canvas = Canvas(1, 1)
    bits = set()
    for y in range(4):
        for x in range(2):
            bits.add(dot_bit(x, y))
    assert len(bits) == 8 and sum(bits) == 0xFF
    canvas.set(0, 0)
    canvas.set(1, 3)
    assert canvas.rows() == ["⢁"]  # dots 1 and 8
    assert glyph(0) == "⠀" and glyph(0xFF) == "⣿"


def test_dots_outside_are_ignored() -> None:
    canvas = Canvas(2, 1)
    canvas.set(-1, 0)
    canvas.set(4, 0)
    canvas.set(0, 4)
    assert canvas.rows() == ["⠀⠀"]


def test_a_line_lights_both_ends_and_every_column_between() -> None:
    canvas = Canvas(10, 3)
    canvas.line(0.5, 0.5, 19.5, 11.5)
    assert canvas.is_set(0, 0) and canvas.is_set(19, 11)
    for x in range(20):
        assert any(canvas.is_set(x, y) for y in range(12)), x


def test_a_huge_segment_is_clipped_to_the_canvas() -> None:
    canvas = Canvas(4, 2)
    canvas.line(-1e7, 3.5, 1e7, 3.5)
    assert all(canvas.is_set(x, 3) for x in range(8))
    assert not any(canvas.is_set(x, y) for x in range(8) for y in range(8) if y != 3)


def test_weight_fills_from_the_bottom() -> None:
    assert [bin(weight_bits(n)).count("1") for n in range(LEVELS + 1)] == list(range(9))
    assert glyph(weight_bits(1)) == "⡀" and glyph(weight_bits(8)) == "⣿"


@given(st.integers(1, 10**7), st.integers(1, 10**7))
def test_density_levels_are_monotone_and_the_peak_is_full(a: int, peak: int) -> None:
    a = min(a, peak)
    assert 1 <= density_level(a, peak) <= LEVELS
    assert density_level(peak, peak) == (LEVELS if peak > 1 else 1)
    assert density_level(max(a - 1, 1), peak) <= density_level(a, peak)
    floors = level_floors(peak)
    for level, n in enumerate(floors, start=1):
        if n:
            assert density_level(n, peak) == level
            assert n == 1 or density_level(n - 1, peak) < level
