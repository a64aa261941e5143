"""The coding screen's list of a report's incidents: proposed, coded and rejected, told apart
by a mark as well as a style, so that they read the same with NO_COLOR.

Proposals carry the explorer's `?` and italic (tui/widgets/chronology_columns.py); rejected
incidents an `x` and strike-through; the incident marked for a merge a `+` before its mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.display import PRECISION_MARK
from tui.text.layout import BidiMode, display_inline
from tui.widgets.cells import fit_first, place_forms
from tui.widgets.chronology_columns import PROPOSED_MARK
from tui.widgets.option_rows import row_width
from tui.widgets.pane import FittedTitle

REJECTED_MARK = "x"
"""Kept out of every count; shown so that a rejection can be seen and undone."""
SIMILAR_MARK = "≈"
"""Maybe coded already from another source (the form names them)."""
MERGE_MARK = "+"
"""The incident marked to be merged into the current one."""
STATUS_MARKS = {"proposed": PROPOSED_MARK, "coded": " ", "rejected": REJECTED_MARK}


@dataclass(frozen=True, slots=True)
class ListedIncident:
    """What one row of the list shows."""

    event_id: str
    status: str
    fields: Mapping[str, Any]
    similar: bool = False
    """Coded incidents of other sources may be this one (db/similar.py): marked `≈`."""


def row_text(item: ListedIncident, marked: bool, mode: BidiMode, width: int = 0) -> Text:
    """`? 2026-01-22  Battles · Sikasso سيكاسو`: mark, date, type and place, styled by status.

    Within `width` cells (when known) the place gives way to its Latin name, then is cut by
    `fit`: cut at the row's end, the Arabic name lost its first letters ("Bandiagara ﺍﺭﺎﻏﺎﻳﺪﻧ…").
    """
    f = item.fields
    day = f.get("event_date")
    date = day.isoformat() if isinstance(day, dt.date) else str(day or "????-??-??")
    date += PRECISION_MARK.get(f.get("time_precision") or 1, "≈")
    forms = place_forms(_text(f.get("location")), _text(f.get("location_ar")))
    kind = str(f.get("sub_event_type") or f.get("event_type") or "no type yet")
    style = {"proposed": "italic", "rejected": "strike dim"}.get(item.status, "")
    text = Text(MERGE_MARK if marked else " ", style="bold", no_wrap=True, overflow="ellipsis")
    mark = STATUS_MARKS.get(item.status, "?") + (SIMILAR_MARK if item.similar else " ") + " "
    text.append(mark, style="bold")
    text.append(date + " ", style=style)
    text.append(display_inline(kind, mode), style=style)
    if forms:
        room = width - text.cell_len - len(" · ")
        if width <= 0:
            place = display_inline(forms[0], mode)
        elif room >= MIN_PLACE:
            place = fit_first(forms, room, mode).rstrip()
        else:
            return text
        text.append(" · " + place, style=style)
    return text


MIN_PLACE = 4
"""Cells below which a row leaves its place out rather than show a letter or two."""


def _text(value: object) -> str | None:
    return str(value) if value else None


class CodingList(FittedTitle, OptionList):
    """One row per incident of the report, in text order; Enter edits the highlighted one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="coding_list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="coding_list.up"),
    ]

    class Chosen(Message):
        """The user moved to this incident (`edit`: and pressed Enter on it)."""

        def __init__(self, event_id: str, edit: bool = False) -> None:
            super().__init__()
            self.event_id = event_id
            self.edit = edit

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[ListedIncident] = []
        self._shown: tuple[str | None, str | None, BidiMode] = (None, None, "app")
        self._counts: tuple[str, ...] = ()

    def show_counts(self, forms: tuple[str, ...]) -> None:
        """The title's counts, fullest first (tui.status_forms.review_forms)."""
        self._counts = forms
        self._retitle()

    def title_parts(self) -> tuple[str, str, tuple[str, ...]]:
        return "Incidents", "2", self._counts

    def show_items(
        self,
        items: Sequence[ListedIncident],
        current: str | None,
        marked: str | None,
        mode: BidiMode = "app",
    ) -> None:
        """Replace the rows, keeping `current` highlighted (the screen ignores the Chosen
        message that this posts for the incident it already shows)."""
        self.items = list(items)
        self._shown = (current, marked, mode)
        width = row_width(self, len(self.items))
        self.clear_options()
        self.add_options(
            Option(row_text(i, i.event_id == marked, mode, width), id=i.event_id)
            for i in self.items
        )
        ids = [i.event_id for i in self.items]
        if current in ids:
            self.highlighted = ids.index(current)

    def on_resize(self) -> None:
        """Rows fitted to the old width: fitted again (a place shows whole or gives way)."""
        if self.items:
            current = self.highlighted_option.id if self.highlighted_option else None
            _, marked, mode = self._shown
            self.show_items(self.items, current, marked, mode)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id, edit=True))
