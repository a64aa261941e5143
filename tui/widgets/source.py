"""The source pane: the incident card, and the whole report with the incident's span highlighted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from db.queries import Incident, Span, get_incident, source_spans
from tui.card import card_lines
from tui.text.layout import display_inline
from tui.widgets.rtl_view import RtlView

if TYPE_CHECKING:
    from tui.connection import StoreConnection


@dataclass(frozen=True, slots=True)
class Shown:
    """What the pane shows: an incident and the other incidents coded from its report."""

    incident: Incident
    siblings: tuple[Span, ...]


def card_text(incident: Incident, mode: str) -> Text:
    """The card as plain Text (values come from data: never parsed as markup)."""
    text = Text(no_wrap=False)
    for i, (label, value) in enumerate(card_lines(incident, mode)):
        if label in ("notes", "dataset") and incident.source is None:
            continue  # ACLED notes are the text shown below the card
        if i:
            text.append("\n")
        text.append(f"{label:>11} ", style="bold")
        text.append(value)
    return text


def report_text(incident: Incident) -> tuple[str, tuple[int, int] | None]:
    """The text to read under the card, and the span to highlight in it."""
    f = incident.fields
    if incident.source is not None:
        span = (f["span_start"], f["span_end"]) if f["span_start"] is not None else None
        return incident.source.text, span
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
    ]

    class Jump(Message):
        """Show this incident everywhere (it comes from the same report)."""

        def __init__(self, event_id: str) -> None:
            super().__init__()
            self.event_id = event_id

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.shown: Shown | None = None
        self.bidi_mode = "app"
        self._wanted: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("no incident selected", style="dim italic"), id="card")
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
            self.query_one("#card", Static).update(Text(f"{event_id}: not found", style="italic"))
            return
        self.shown = Shown(incident, siblings)
        self._draw()

    def _draw(self) -> None:
        if self.shown is None:
            return
        incident = self.shown.incident
        self.query_one("#card", Static).update(card_text(incident, self.bidi_mode))
        text, span = report_text(incident)
        title = incident.source.title if incident.source is not None else "notes"
        # from data: sanitized, and a Text so that it is never parsed as markup
        self.border_title = Text(f"Source [3] · {display_inline(title, self.bidi_mode)}")  # type: ignore[arg-type]
        report = self.report
        report.set_text(text, span)
        report.scroll_to_highlight()

    def set_mode(self, mode: str) -> None:
        self.bidi_mode = mode
        self.report.bidi_mode = mode
        self._draw()

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
