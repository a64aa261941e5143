"""Counts in words (db/wording.py): the one home of "1 incident" / "2 incidents"."""

from __future__ import annotations

from db.wording import counted, plural


def test_one_reads_in_the_singular_and_thousands_are_grouped() -> None:
    assert counted(1, "incident") == "1 incident"
    assert counted(0, "report") == "0 reports"
    assert counted(13318, "incident") == "13,318 incidents"
    assert plural(1, "row") == "row" and plural(2, "row") == "rows"
