"""Counts in words, one home for db/'s messages and tui/'s ("1 incident", "2 reports")."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """`noun` as it reads after the number `n` (the nouns rasd counts take an s)."""
    return noun if n == 1 else noun + "s"


def counted(n: int, noun: str) -> str:
    """`n` with thousands grouped and its noun: "1 incident", "13,318 incidents"."""
    return f"{n:,} {plural(n, noun)}"
