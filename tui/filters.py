"""What users type into filter prompts, turned into filter values (pure functions)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from db.queries import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS, SearchTooLong

_PART = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def _bound(text: str, end: bool) -> dt.date | None:
    """`2026`, `2026-01` or `2026-01-22`; a year or month means its first or last day."""
    if not text.strip():
        return None
    match = _PART.match(text)
    if not match:
        raise ValueError(f"not a date: {text.strip()!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    if day is None:
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return dt.date(year, month, last if end else 1)
    return dt.date(year, month, day)


def parse_date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """`FROM..TO` (either side may be empty) or one period such as `2026-01`."""
    try:
        if ".." in text:
            first, _, last = text.partition("..")
            lo, hi = _bound(first, end=False), _bound(last, end=True)
        else:
            lo, hi = _bound(text, end=False), _bound(text, end=True)
    except ValueError as exc:
        raise ValueError(str(exc).replace("month must be in 1..12", "no such month")) from exc
    if lo is None and hi is None:
        raise ValueError("empty date range")
    if lo and hi and lo > hi:
        raise ValueError(f"the range ends ({hi}) before it starts ({lo})")
    return lo, hi


def describe_date_range(lo: dt.date | None, hi: dt.date | None) -> str:
    return f"{lo.isoformat() if lo else ''}..{hi.isoformat() if hi else ''}"


def search_too_long(exc: SearchTooLong) -> str:
    """What a user is told when a search is beyond the bounds db.queries keeps."""
    return (
        f"too long to search ({exc.words:,} words, {exc.chars:,} characters); "
        f"use at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} characters"
    )
