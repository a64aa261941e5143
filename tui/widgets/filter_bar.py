"""The always-visible statement of what is shown: region breadcrumb and every active filter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from db.places import admin1_arabic
from db.queries import UNKNOWN, Filter
from tui.filters import describe_date_range
from tui.text.layout import BidiMode, display_inline


def filter_text(f: Filter, mode: BidiMode) -> Text:
    text = Text()
    path = f.region_path
    text.append("All", style="bold" if not path else "")
    for i, part in enumerate(path):
        text.append(" › ")
        name = "unknown place" if part == UNKNOWN else part
        text.append(display_inline(name, mode), style="bold" if i == len(path) - 1 else "")
        if i == 1 and part != UNKNOWN and (arabic := admin1_arabic(part)):
            text.append(" " + display_inline(arabic, mode))
    extras: list[tuple[str, str]] = []
    if f.event_types:
        extras.append(("type", ", ".join(f.event_types)))
    if f.actor:
        extras.append(("actor", f.actor))
    if f.date_from or f.date_to:
        extras.append(("dates", describe_date_range(f.date_from, f.date_to)))
    if f.search:
        extras.append(("search", f.search))
    for label, value in extras:
        text.append("  ·  ")
        text.append(f"{label}: ", style="dim")
        text.append(display_inline(value, mode), style="bold")
    if extras or path:
        text.append("   (Esc clears the last filter)", style="dim")
    return text


class FilterBar(Static):
    """Re-rendered whenever the app's filter or bidi mode changes."""

    def show_filter(self, f: Filter, mode: BidiMode) -> None:
        self.update(filter_text(f, mode), layout=False)  # one row always (app.tcss)
