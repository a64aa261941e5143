"""The source pane: the incident card, then the whole report with the incident's span
highlighted; card fields that do not fit above the report head it and scroll with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from db.queries import Incident, Span, get_incident, source_spans
from tui.card import card_fields
from tui.status_forms import TITLE_MARGIN
from tui.text.layout import BidiMode, fit_inline, wrap_value
from tui.text.sanitize import sanitize
from tui.widgets.failures import SaysFailures
from tui.widgets.rtl_view import RtlView

if TYPE_CHECKING:
    from tui.connection import StoreConnection


NOTHING_SHOWN = Text("no incident selected", style="dim italic")


@dataclass(frozen=True, slots=True)
class Shown:
    """What the pane shows: an incident and the other incidents coded from its report."""

    incident: Incident
    siblings: tuple[Span, ...]


CARD_LABEL_CELLS = 12
"""A card label, right-aligned in 11 cells, and a space."""

CARD_SHARE = 0.45
"""Of the pane's height, what the card above the report may take; the fields beyond it head the
report and scroll with it, so every field is read whole however short the pane."""

Field = tuple[str, str]


def card_items(incident: Incident) -> list[Field]:
    """The card's (label, value) pairs; an ACLED row's notes are the text below, not a field."""
    return [
        (label, value)
        for label, value in card_fields(incident)
        if not (label == "notes" and incident.source is None)
    ]


def _value_rows(value: str, width: int, mode: BidiMode) -> list[str]:
    layout_mode: BidiMode = "app" if mode == "app" else "terminal"
    return wrap_value(value, max(width - CARD_LABEL_CELLS, 1), layout_mode)


def card_rows(items: list[Field], mode: BidiMode, width: int) -> Text:
    """Fields as plain Text rows for `width` cells: values wrapped with their own bidi levels,
    later rows hanging under the first value cell, every value whole; values come from data:
    never markup."""
    text = Text(no_wrap=True, overflow="crop")
    first = True
    for label, value in items:
        for i, row in enumerate(_value_rows(value, width, mode)):
            if not first:
                text.append("\n")
            first = False
            text.append(f"{label:>11} " if i == 0 else " " * CARD_LABEL_CELLS, style="bold")
            text.append(row.rstrip())
    return text


def pinned_count(items: list[Field], mode: BidiMode, width: int, rows: int) -> int:
    """How many of the first fields fit whole in `rows` rows, one row kept to say what follows
    when some do not (at least one field: the id)."""
    used = 0
    for k, (_, value) in enumerate(items):
        need = len(_value_rows(value, width, mode))
        mark = 1 if k + 1 < len(items) else 0
        if k and used + need + mark > rows:
            return k
        used += need
    return len(items)


def more_row(rest: list[Field], width: int) -> Text:
    """The card's last row when fields go on at the top of the report (`g` shows them)."""
    names = ", ".join(label for label, _ in rest)
    fields = "1 field" if len(rest) == 1 else f"{len(rest)} fields"
    # the key sits in the label column, where a narrow pane cannot cut it
    row = f"{'more (g)':>11} {fields} atop the report: {names}"
    return Text(row if cell_len(row) <= width else ends_cut(row, width), style="dim italic")


def ends_cut(row: str, width: int) -> str:
    """A row marked as cut: `…` at its end, within `width` cells."""
    row = row.rstrip()
    while row and cell_len(row) + 1 > width:
        row = row[:-1]
    return row + "…"


class CardView(Widget):
    """The incident's first fields above the report: laid out for each width (a Static would
    let Rich re-wrap reordered Arabic rows, putting a long title's end on its first row)."""

    DEFAULT_CSS = "CardView { height: auto; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rows: Callable[[int], Text] = lambda _width: NOTHING_SHOWN
        self._laid_out: tuple[int, Text] | None = None

    def show(self, rows: Callable[[int], Text]) -> None:
        self._rows, self._laid_out = rows, None
        region = self.content_region
        # a new layout (the whole screen drawn again) only when the card's height changes
        same_height = region.width > 0 and self._height(region.width) == region.height
        self.refresh(layout=not same_height)

    def _text(self, width: int) -> Text:
        if self._laid_out is None or self._laid_out[0] != width:
            self._laid_out = (width, self._rows(width))
        return self._laid_out[1]

    def _height(self, width: int) -> int:
        return len(self._text(width).split("\n"))

    def render(self) -> Text:
        return self._text(self.content_region.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height(width)


def report_text(incident: Incident) -> tuple[str, tuple[int, int] | None]:
    """The text to read under the card, and the span to highlight in it."""
    f = incident.fields
    if incident.source is not None:
        return incident.source.text, incident.span
    parts = [str(f["notes"] or "(no notes)")]
    if f["source"]:
        parts.append(f"Sources: {f['source']}")
    return "\n\n".join(parts), None


class SourcePane(Vertical, SaysFailures, can_focus=False):
    """Card above, report below; n/p move to the next/previous incident of the same report."""

    ALLOW_MAXIMIZE = True

    BINDINGS = [
        Binding("n", "sibling(1)", "Next in report", id="source.next"),
        Binding("p", "sibling(-1)", "Previous in report", id="source.previous"),
        Binding("e", "code", "Code this report", id="source.code"),
    ]

    class Code(Message):
        """Open the coding screen on this report."""

        def __init__(self, source_id: str) -> None:
            super().__init__()
            self.source_id = source_id

    class Jump(Message):
        """Show this incident everywhere (it comes from the same report)."""

        def __init__(self, event_id: str) -> None:
            super().__init__()
            self.event_id = event_id

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.shown: Shown | None = None
        self.bidi_mode: BidiMode = "app"
        self._wanted: str | None = None
        self._undrawn = False
        """An incident arrived while the pane was hidden (the map in its place, or a narrow
        terminal showing another pane): drawn when the pane shows, not on every cursor move."""

    def compose(self) -> ComposeResult:
        yield CardView(id="card")
        yield RtlView(id="report")

    @property
    def report(self) -> RtlView:
        return self.query_one("#report", RtlView)

    def show(self, event_id: str, event_date: dt.date | None = None) -> None:
        """Show an incident; its date, when known, makes the lookup a seek (db.queries)."""
        if self.shown is not None and self.shown.incident["event_id"] == event_id:
            return
        self._wanted = event_id
        self._load(event_id, event_date)

    def reload(self) -> None:
        if self.shown is not None:
            event_id = self.shown.incident["event_id"]
            event_date = self.shown.incident["event_date"]
            self.shown = None
            self.show(event_id, event_date)

    @work(thread=True, exclusive=True, group="source", exit_on_error=False)
    def _load(self, event_id: str, event_date: dt.date | None = None) -> None:
        con = self.store.cursor()
        incident = get_incident(con, event_id, event_date)
        siblings: tuple[Span, ...] = ()
        if incident is not None and incident.source is not None:
            siblings = tuple(source_spans(con, incident.source.source_id))
        self.app.call_from_thread(self._loaded, event_id, incident, siblings)

    def _loaded(self, event_id: str, incident: Incident | None, siblings: tuple[Span, ...]) -> None:
        if event_id != self._wanted:
            return  # the cursor has moved on
        if incident is None:
            message = Text(f"{sanitize(event_id)}: not found", style="italic")
            self.query_one("#card", CardView).show(lambda _width: message)
            return
        self.shown = Shown(incident, siblings)
        if self.display:
            self._draw()
        else:
            self._undrawn = True

    def on_show(self) -> None:
        if self._undrawn:
            self._draw()

    def _draw(self) -> None:
        self._undrawn = False
        if self.shown is None:
            return
        incident = self.shown.incident
        text, span = report_text(incident)
        self._retitle()
        self._lay_out_card()
        report = self.report
        report.set_text(text, span)
        report.scroll_to_highlight()

    def _retitle(self) -> None:
        """ "Source [3] · <title>", the title cut at its logical end to fit the border."""
        if self.shown is None:
            return
        incident = self.shown.incident
        title = incident.source.title if incident.source is not None else "notes"
        head = "Source [3] · "
        room = self.size.width - TITLE_MARGIN - cell_len(head) if self.size.width else 60
        # from data: sanitized by fit_inline, and a Text so that it is never parsed as markup
        self.border_title = Text(head + fit_inline(title, max(room, 1), self.bidi_mode))  # type: ignore[assignment]

    def _lay_out_card(self) -> None:
        """The first fields above the report, up to CARD_SHARE of the pane; the rest head it."""
        if self.shown is None:
            return
        items, mode = card_items(self.shown.incident), self.bidi_mode
        card = self.query_one("#card", CardView)
        width = max(self.content_size.width - card.styles.padding.width, 1)
        rows = max(int(self.content_size.height * CARD_SHARE), 3)
        k = pinned_count(items, mode, width, rows)
        pinned, rest = items[:k], items[k:]

        def card_text(w: int) -> Text:
            shown = card_rows(pinned, mode, w)
            return Text("\n").join([shown, more_row(rest, w)]) if rest else shown

        card.show(card_text)
        self.report.set_head((lambda w: card_rows(rest, mode, w)) if rest else None)

    def on_resize(self) -> None:
        self._retitle()
        self._lay_out_card()  # the card's share changed: so may the rows above the span
        if self.shown is not None:
            self.report.scroll_to_highlight()

    def set_mode(self, mode: BidiMode) -> None:
        self.bidi_mode = mode
        self.report.bidi_mode = mode
        self._draw()

    def action_code(self) -> None:
        source = self.shown.incident.source if self.shown is not None else None
        if source is None:
            self.app.bell()
            self.notify("this incident has no report to code (ACLED rows carry notes)", timeout=3)
            return
        self.post_message(self.Code(source.source_id))

    def action_sibling(self, step: int) -> None:
        if self.shown is None or not self.shown.siblings:
            self.app.bell()
            return
        ids = [s.event_id for s in self.shown.siblings]
        here = ids.index(self.shown.incident["event_id"])
        target = here + step
        if not 0 <= target < len(ids):
            self.notify("no more incidents in this report", timeout=2)
            return
        self.post_message(self.Jump(ids[target]))
        self.show(ids[target])
