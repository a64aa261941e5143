"""How one data value is shown on one line, by `rasd` commands and the explorer alike.

Sanitized always; shaped and bidi-ordered in `app` mode, logical otherwise. It lives outside
tui/commands/ so that panes (the source pane's card) need not import the CLI.
"""

from __future__ import annotations

from tui.text.layout import BidiMode, display_inline
from tui.text.sanitize import sanitize

TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
"""ACLED's time_precision codes: the date is the day, a day in that week, or in that month."""
PRECISION_MARK = {1: " ", 2: "~", 3: "≈"}
"""The same as one mark after a date in a table: blank, ~ for a week, ≈ for a month."""


def inline(text: object, mode: BidiMode) -> str:
    """One-line display of a data value: `app` shapes and orders, otherwise logical text."""
    if text is None:
        return ""
    value = str(text)
    if mode in ("app", "terminal"):  # on a screen: cell widths as the terminal draws them
        return display_inline(value, mode)
    return sanitize(value).replace("\n", " ")


def fatalities_text(value: int | None) -> str:
    """`–` when the source gave no number, which is not the same as 0."""
    return "–" if value is None else str(value)
