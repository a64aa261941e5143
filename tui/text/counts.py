"""Counts shown in little room: abbreviated with a unit (`2.4k`), never cut.

A count cut by its pane (`2,4` for 2,445) reads as a different number; an abbreviation says
it is one. Rounded down, so `2.4k` never claims more than there is.
"""

from __future__ import annotations

UNITS = ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k"))


def abbreviate(n: int) -> str:
    """`n` in at most 4 cells (5 with a minus): 999, 1k, 2.4k, 13k, 999k, 1.2M …"""
    if n < 0:
        return "-" + abbreviate(-n)
    for size, unit in UNITS:
        if n >= size:
            tenths = n * 10 // size
            if tenths < 100:
                whole, tenth = divmod(tenths, 10)
                return f"{whole}.{tenth}{unit}" if tenth else f"{whole}{unit}"
            if n // size < 1000:
                return f"{n // size}{unit}"
    return str(n)
