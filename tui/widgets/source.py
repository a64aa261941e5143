"""The source pane: the incident card, and the whole report with the incident's span highlighted."""

from __future__ import annotations

import datetime as dt
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
from tui.text.layout import BidiMode, fit_inline, wrap_value
from tui.widgets.pane import TITLE_MARGIN
from tui.widgets.rtl_view import RtlView

if TYPE_CHECKING:
    from tui.connection import StoreConnection


@dataclass(frozen=True, slots=True)
class Shown:
    """What the pane shows: an incident and the other incidents coded from its report."""

    incident: Incident
    siblings: tuple[Span, ...]


CARD_LABEL_CELLS = 12
"""A card label, right-aligned in 11 cells, and a space."""


MAX_VALUE_ROWS = 2
"""Rows a card value may take (long lists of associated actors end with `…`), so that every
field has a row; `rasd show` prints them whole."""


def ends_cut(row: str, width: int) -> str:
    """A row marked as cut: `…` at its end, within `width` cells."""
    row = row.rstrip()
    while row and cell_len(row) + 1 > width:
        row = row[:-1]
    return row + "…"


def card_rows(incident: Incident, mode: BidiMode, width: int) -> Text:
    """The card as plain Text rows for `width` cells: values wrapped with their own bidi levels,
    later rows hanging under the first value cell (values come from data: never markup)."""
    text = Text(no_wrap=True, overflow="crop")
    first = True
    room = max(width - CARD_LABEL_CELLS, 1)
    for label, value in card_fields(incident):
        if label == "notes" and incident.source is None:
            continue  # ACLED notes are the text shown below the card
        layout_mode: BidiMode = "app" if mode == "app" else "terminal"
        rows = wrap_value(value, room, layout_mode)
        if len(rows) > MAX_VALUE_ROWS and label != "report":  # a report's title stays whole
            rows = [*rows[: MAX_VALUE_ROWS - 1], ends_cut(rows[MAX_VALUE_ROWS - 1], room)]
        for i, row in enumerate(rows):
            if not first:
                text.append("\n")
            first = False
            text.append(f"{label:>11} " if i == 0 else " " * CARD_LABEL_CELLS, style="bold")
            text.append(row.rstrip())
    return text


class CardView(Widget):
    """The incident card, laid out again for each width (a Static would let Rich re-wrap
    reordered Arabic rows, putting a long title's end on its first row)."""

    DEFAULT_CSS = "CardView { height: auto; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._incident: Incident | None = None
        self._mode: BidiMode = "app"
        self._message = Text("no incident selected", style="dim italic")

    def show_incident(self, incident: Incident, mode: BidiMode) -> None:
        self._incident, self._mode = incident, mode
        self.refresh(layout=True)

    def show_message(self, message: Text) -> None:
        self._incident, self._message = None, message
        self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        if self._incident is None:
            return self._message
        return card_rows(self._incident, self._mode, width)

    def render(self) -> Text:
        text = self._text(self.content_region.width)
        height = self.content_region.height
        lines = text.split("\n")
        if height and len(lines) > height:  # capped by the stylesheet: the cut is marked
            last = lines[height - 1]
            kept = Text("\n").join(
                [*lines[: height - 1], Text(ends_cut(last.plain, self.content_region.width))]
            )
            kept.no_wrap, kept.overflow = True, "crop"
            return kept
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._text(width).wrap(self.app.console, max(width, 1)))


def report_text(incident: Incident) -> tuple[str, tuple[int, int] | None]:
    """The text to read under the card, and the span to highlight in it."""
    f = incident.fields
    if incident.source is not None:
        return incident.source.text, incident.span
    parts = [str(f["notes"] or "(no notes)")]
    if f["source"]:
        parts.append(f"Sources: {f['source']}")
    return "\n\n".join(parts), None


class SourcePane(Vertical, can_focus=False):
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
            message = Text(f"{event_id}: not found", style="italic")
            self.query_one("#card", CardView).show_message(message)
            return
        self.shown = Shown(incident, siblings)
        self._draw()

    def _draw(self) -> None:
        if self.shown is None:
            return
        incident = self.shown.incident
        self.query_one("#card", CardView).show_incident(incident, self.bidi_mode)
        text, span = report_text(incident)
        self._retitle()
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

    def on_resize(self) -> None:
        self._retitle()

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
