"""The coding screen: one report beside its incidents and the form of the current one.

Review proposals (next/previous, accept, reject, edit), code new incidents from a selection of
the text, merge two proposals, split a span off, undo. Every change goes through the
CodingStore at once (db/coding), in a worker: the screen never writes SQL and never waits on
DuckDB on the UI thread; the status line says what was saved.

Whoever opens the store (`rasd code`, the explorer's Source pane) closes it after the screen:
the store holds the coder's lock, so that a second coder is told who has the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from db.coding import InvalidIncident
from db.columns import STATUSES
from db.evidence import FieldEvidence
from db.paths import StoreError
from db.queries import Source
from db.sources import read_source
from db.wording import counted
from tui.status_forms import review_forms
from tui.text.layout import BidiMode, display_inline
from tui.text.sanitize import sanitize
from tui.widgets.coding_list import CodingList, ListedIncident
from tui.widgets.evidence_text import EvidenceText
from tui.widgets.footer import KeyFooter
from tui.widgets.incident_form import IncidentForm

if TYPE_CHECKING:
    from db.coding import CodingStore

WIDE = 100
"""From this width on the report, the list and the form side by side (as the explorer's panes)."""


@dataclass(frozen=True, slots=True)
class Editing:
    """What the form's Submit will do: edit `event_id`, create a new incident, merge or split; with
    the columns the form does not hold (the report and the span of a new incident)."""

    kind: str  # "edit" | "new" | "merge" | "split"
    event_id: str | None = None
    other_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def evidence_highlights(
    fields: Mapping[str, Any], evidence: Mapping[str, FieldEvidence]
) -> dict[str, list[tuple[int, int]]]:
    """Spans to highlight in the report, per field; a coded incident without per-field evidence
    shows its whole span."""
    out = {name: list(ev.spans) for name, ev in evidence.items() if ev.spans}
    start, end = fields.get("span_start"), fields.get("span_end")
    if not out and isinstance(start, int) and isinstance(end, int) and start < end:
        out["span"] = [(start, end)]
    return out


CONTEXT_CHARS = 2000
"""Text before a selection the extractor reads with it: "the next day" is the day after the
incident before, a village is found in the region a heading just named (a selection read alone
dated "the next day" to the report's date, precision "within a month"). Bounded: the extractor
takes 20-40 ms a message of a long channel export."""


def extracted_fields(
    text: str, start: int, end: int, published: dt.date | None
) -> tuple[dict[str, Any], dict[str, FieldEvidence]]:
    """The extractor's reading of the selected sentences, with the paragraphs before them as
    context: field values and their evidence, with spans in the report's offsets. Empty when it
    finds no incident there."""
    from db.extract import propose

    day = published or dt.date.today()
    lo = max(0, start - CONTEXT_CHARS)
    if lo:  # from a line's start, not mid-sentence
        line = text.find("\n", lo, start)
        lo = line + 1 if line >= 0 else start
    found = [
        (p, lo)
        for p in propose(text[lo:end], day)
        if lo + p.span_end > start  # the selection's incident, not one before it
    ]
    if not found and lo < start:
        found = [(p, start) for p in propose(text[start:end], day)]
    if not found:
        return {}, {}
    best, shift = max(found, key=lambda pair: pair[0].confidence)
    values = {name: f.value for name, f in best.fields.items()}
    evidence = {
        name: FieldEvidence(
            f.confidence, tuple((shift + e.start, shift + e.end) for e in f.evidence)
        )
        for name, f in best.fields.items()
    }
    return values, evidence


def similar_line(row: Mapping[str, Any], mode: BidiMode) -> str:
    """`≈ MLI4433 2020-10-29 Boulikessi · 26 dead · Explosions/Remote violence`: what tells
    them apart first, the type last (a narrow form cuts it)."""
    day = row.get("event_date")
    place = row.get("location") or row.get("location_ar") or "unknown place"
    dead = row.get("fatalities")
    head = " ".join(
        (
            sanitize(str(row.get("event_id"))),
            day.isoformat() if isinstance(day, dt.date) else "????-??-??",
            display_inline(sanitize(str(place)), mode),
        )
    )
    kind = sanitize(str(row.get("event_type") or "no type"))
    return f"≈ {head} · {'–' if dead is None else dead} dead · {kind}"


def merged_fields(keep: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The kept incident's fields, its blanks filled from the other; spans joined."""
    out = dict(keep)
    for name, value in other.items():
        if out.get(name) in (None, "") and value not in (None, ""):
            out[name] = value
    starts = [v for v in (keep.get("span_start"), other.get("span_start")) if v is not None]
    ends = [v for v in (keep.get("span_end"), other.get("span_end")) if v is not None]
    if starts and ends:
        out["span_start"], out["span_end"] = min(starts), max(ends)
    return out


class CodingScreen(Screen[bool]):
    """Dismissed with True when something was saved (the explorer then reloads)."""

    CSS_PATH = "coding.tcss"
    BINDINGS = [
        Binding("right_square_bracket", "proposal(1)", "Next proposal", id="coding.next"),
        Binding("left_square_bracket", "proposal(-1)", "Prev proposal", id="coding.previous"),
        Binding("a", "accept", "Accept", id="coding.accept"),
        Binding("x", "reject", "Reject", id="coding.reject"),
        Binding("e", "edit", "Edit", id="coding.edit"),
        Binding("N", "new", "New from selection", id="coding.new"),
        Binding("s", "split", "Split selection off", show=False, id="coding.split"),
        Binding("m", "mark", "Mark for merge", show=False, id="coding.mark"),
        Binding("M", "merge", "Merge marked into this", show=False, id="coding.merge"),
        Binding("L", "location_ar", "Selection → place", show=False, id="coding.location_ar"),
        Binding("u", "undo", "Undo", id="coding.undo"),
        Binding("1,f2", "focus_part('coding-report')", "Report", show=False, id="coding.report"),
        Binding("2,f3", "focus_part('coding-list')", "Incidents", show=False, id="coding.list"),
        Binding("3,f4", "focus_part('coding-form')", "Form", show=False, id="coding.form"),
        Binding("ctrl+r,f5", "reload", "Reload", show=False, id="coding.reload"),
        Binding("question_mark,f1", "help", "Help", id="coding.help"),
        Binding("q", "close", "Back", id="coding.close"),
    ]

    def __init__(self, store: CodingStore, source_id: str) -> None:
        super().__init__()
        self.store = store
        self.source_id = source_id
        self.text = ""
        self.published: dt.date | None = None
        self.items: list[ListedIncident] = []
        self.evidence: dict[str, dict[str, FieldEvidence]] = {}
        self.similar: dict[str, list[dict[str, Any]]] = {}
        """Per incident, coded incidents of other sources that may be the same event."""
        self._reading = False
        """A change is being written and the store read again (no current incident until
        that is done)."""
        self._after_read: Callable[[], None] | None = None
        self.current: str | None = None
        self.marked: str | None = None
        self.editing = Editing("edit")
        self.saved_any = False
        self._source: Source | None = None
        self.status_text = ""
        """What the status line says (logical text)."""

    # ---- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="coding-main"):
            yield EvidenceText(id="coding-report", classes="coding-pane")
            with Vertical(id="coding-right"):
                yield CodingList(id="coding-list", classes="coding-pane")
                with Vertical(id="coding-form-pane", classes="coding-pane"):
                    yield Static(id="coding-similar", markup=False)
                    yield IncidentForm(id="coding-form")
        yield Static(id="coding-status", markup=False)
        yield KeyFooter()

    @property
    def report(self) -> EvidenceText:
        return self.query_one("#coding-report", EvidenceText)

    @property
    def incident_list(self) -> CodingList:
        return self.query_one("#coding-list", CodingList)

    @property
    def form(self) -> IncidentForm:
        return self.query_one("#coding-form", IncidentForm)

    def on_mount(self) -> None:
        self.report.border_title = "Report [1]"
        self.query_one("#coding-form-pane").border_title = "Incident [3]"
        self._apply_size(self.app.size.width)
        self.report.focus()
        self.say("loading the report…")
        self._load()

    def on_resize(self, event: Resize) -> None:
        self._apply_size(event.size.width)

    def _apply_size(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    def on_descendant_focus(self) -> None:
        active = self._active_part()
        self.set_class(active is not None and active.id == "coding-form-pane", "-form")
        for part in self.query(".coding-pane"):
            part.set_class(part is active, "-active")

    def _active_part(self) -> Widget | None:
        """The report, the list or the form pane holding the focus."""
        node: Any = self.focused
        while node is not None:
            if isinstance(node, Widget) and node.has_class("coding-pane"):
                return node
            node = node.parent
        return None

    def say(self, message: str) -> None:
        """The status line: what was saved, or why not (from data: a Text, never markup)."""
        self.status_text = message
        self.query_one("#coding-status", Static).update(Text(display_inline(message, "app")))

    # ---- loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="coding-load", exit_on_error=False)
    def _load(self, then: str | None = None) -> None:
        source = self._source or read_source(self.store.db_path, self.source_id)
        records = self.store.incidents(self.source_id)
        similar = self.store.similar(records)
        self.app.call_from_thread(self._loaded, source, records, then, similar)

    def _loaded(
        self,
        source: Source | None,
        records: list[dict[str, Any]],
        then: str | None,
        similar: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        waiting, self._after_read = self._after_read, None
        self._reading = False
        if source is None:
            self.say(f"no report {self.source_id!r} in this database")
            return
        if self._source is None:
            self._source = source
            self.text = source.text
            self.published = source.published
            self.report.set_report(self.text)
            self.sub_title = source.title
        self.similar = similar or {}
        self.items = [
            ListedIncident(r["event_id"], r["status"], r, r["event_id"] in self.similar)
            for r in records
        ]
        self.evidence = {r["event_id"]: r.get("evidence_fields") or {} for r in records}
        ids = [i.event_id for i in self.items]
        current = then if then in ids else self.current if self.current in ids else None
        if current is None and ids:
            proposals = [i.event_id for i in self.items if i.status == "proposed"]
            current = proposals[0] if proposals else ids[0]
        if self.marked not in ids:
            self.marked = None
        self.current = None
        self._redraw_list(current)
        self._show(current)
        if then is None:
            n = len(self.items)
            self.say(f"{counted(n, 'incident')}: {self._counts()[0]}")
        if waiting is not None:
            waiting()

    def _counts(self) -> tuple[str, ...]:
        """The incidents by status, fullest first (tui.status_forms.review_forms)."""
        by = {s: sum(1 for i in self.items if i.status == s) for s in STATUSES}
        return review_forms(by["proposed"], by["coded"], by["rejected"])

    def _redraw_list(self, current: str | None) -> None:
        self.incident_list.show_items(self.items, current, self.marked)
        self.incident_list.show_counts(self._counts())

    def _item(self, event_id: str | None) -> ListedIncident | None:
        return next((i for i in self.items if i.event_id == event_id), None)

    def _show(self, event_id: str | None) -> None:
        """Make `event_id` current: its evidence highlighted per field, its fields in the form."""
        if event_id == self.current:
            return
        self.current = event_id
        self.editing = Editing("edit", event_id)
        item = self._item(event_id)
        self._show_similar(self.similar.get(event_id or "", []))
        if item is None:
            self.report.set_highlights({})
            self.report.set_incident(None)
            self.form.load({}, {})
            return
        evidence = self.evidence.get(item.event_id, {})
        self.report.set_highlights(evidence_highlights(item.fields, evidence))
        start, end = item.fields.get("span_start"), item.fields.get("span_end")
        if isinstance(start, int) and isinstance(end, int):
            self.report.set_incident((start, end))
            self.report.move_to(start)
        else:
            self.report.set_incident(None)
        # "~0.90" says "proposed, not confirmed": once accepted or coded, every field is a
        # person's (the report still shows where each came from)
        self.form.load(item.fields, evidence if item.status == "proposed" else {})

    def _show_similar(self, rows: list[dict[str, Any]]) -> None:
        """Above the form: the coded incidents that may be this one (db/similar.py), one line
        each, never wrapped (a wrapped Arabic place would read in the wrong order)."""
        hint = self.query_one("#coding-similar", Static)
        hint.set_class(bool(rows), "-shown")
        if not rows:
            hint.update("")
            return
        text = Text(
            "Maybe coded already (x rejects this one):",
            style="bold",
            no_wrap=True,
            overflow="ellipsis",
        )
        for row in rows:
            text.append("\n")
            text.append(similar_line(row, "app"))
        hint.update(text)

    def on_coding_list_chosen(self, message: CodingList.Chosen) -> None:
        self._show(message.event_id)
        if message.edit:
            self.action_edit()

    # ---- review -----------------------------------------------------------------------------

    def action_proposal(self, step: int) -> None:
        """The next (previous) proposal after (before) the current incident, in text order."""
        ids = [i.event_id for i in self.items]
        here = ids.index(self.current) if self.current in ids else (-1 if step > 0 else len(ids))
        order = range(here + step, len(ids)) if step > 0 else range(here + step, -1, -1)
        for index in order:
            if self.items[index].status == "proposed":
                target = self.items[index].event_id
                self._redraw_list(target)
                self._show(target)
                return
        self.say("no more proposals " + ("after" if step > 0 else "before") + " this one")

    def _need_current(self, then: Callable[[], None] | None = None) -> ListedIncident | None:
        """The current incident; while a change is written and the store read again, none yet:
        `then` (the action asking) runs once that is done (`e` pressed right after `a` said
        "no incident here", or was closed by the save it came before)."""
        if self._reading and then is not None:
            self._after_read = then
            return None
        item = self._item(self.current)
        if item is None:
            self.app.bell()
            self.say("no incident here: select sentences and press N to code one")
        return item

    def action_accept(self) -> None:
        item = self._need_current(self.action_accept)
        if item is not None:
            self._change("accept", item.event_id)

    def action_reject(self) -> None:
        item = self._need_current(self.action_reject)
        if item is not None:
            self._change("reject", item.event_id)

    def action_undo(self) -> None:
        self._change("undo", None)

    def action_edit(self) -> None:
        item = self._need_current(self.action_edit)
        if item is None:
            return
        self.editing = Editing("edit", item.event_id)
        self._open_form()

    def action_mark(self) -> None:
        item = self._need_current(self.action_mark)
        if item is None:
            return
        self.marked = None if self.marked == item.event_id else item.event_id
        self._redraw_list(self.current)
        if self.marked:
            self.say(f"{item.event_id} marked: go to another incident and press M to merge")
        else:
            self.say("merge mark removed")

    def action_merge(self) -> None:
        item = self._need_current()
        if item is None:
            return
        other = self._item(self.marked)
        if other is None or other.event_id == item.event_id:
            self.say("mark an incident with m first, then press M on the one to keep")
            return
        fields = merged_fields(item.fields, other.fields)
        evidence = {**self.evidence.get(other.event_id, {}), **self.evidence.get(item.event_id, {})}
        self.form.load(fields, evidence)
        span = {k: fields[k] for k in ("span_start", "span_end") if fields.get(k) is not None}
        self.editing = Editing("merge", item.event_id, other.event_id, span)
        self.say(f"merging {other.event_id} into {item.event_id}: pick the fields, then save")
        self._open_form()

    def _selection(self) -> tuple[int, int] | None:
        selection = self.report.selection
        if not selection or selection[0] >= selection[1]:
            self.app.bell()
            self.say("select sentences first: v then motions, or Shift+arrows, in the report")
            return None
        return selection[0], selection[1]

    def action_new(self) -> None:
        selection = self._selection()
        if selection is not None:
            self.say("reading the selection…")
            self._prefill(*selection)

    @work(thread=True, exclusive=True, group="coding-extract", exit_on_error=False)
    def _prefill(self, start: int, end: int) -> None:
        values, evidence = extracted_fields(self.text, start, end, self.published)
        self.app.call_from_thread(self._prefilled, start, end, values, evidence)

    def _prefilled(
        self, start: int, end: int, values: dict[str, Any], evidence: dict[str, FieldEvidence]
    ) -> None:
        span = {"source_id": self.source_id, "span_start": start, "span_end": end}
        self.form.load(values, evidence)
        self.report.set_highlights(evidence_highlights(span, evidence))
        self.report.set_incident((start, end))
        self.editing = Editing("new", extra=span)
        self.say(
            f"new incident from characters {start}–{end}"
            + (": fields read by the extractor, check them" if values else "")
        )
        self._open_form()

    def action_split(self) -> None:
        item = self._need_current()
        selection = self._selection() if item is not None else None
        if item is None or selection is None:
            return
        start, end = selection
        own = item.fields.get("span_start"), item.fields.get("span_end")
        if own[0] is not None and own[1] is not None:
            start, end = max(start, own[0]), min(end, own[1])
            if start >= end:
                self.app.bell()
                self.say(f"select part of {item.event_id}'s own sentences to split it")
                return
        self.form.load(item.fields, {})
        self.report.set_incident((start, end))
        span = {"source_id": self.source_id, "span_start": start, "span_end": end}
        self.editing = Editing("split", item.event_id, extra=span)
        self.say(f"split: a second incident from characters {start}–{end} of {item.event_id}")
        self._open_form()

    def action_location_ar(self) -> None:
        selection = self._selection()
        if selection is not None:
            self.form.set_location_ar(self.text[selection[0] : selection[1]])
            self.say("location_ar set from the selection")

    def _open_form(self) -> None:
        self.set_class(True, "-form")
        self._focus_shown(self.form)

    @on(IncidentForm.Submitted)
    def _submitted(self, message: IncidentForm.Submitted) -> None:
        editing = self.editing
        fields = {**message.fields, **editing.extra}
        if editing.kind == "merge" and editing.event_id and editing.other_id:
            self._change("merge", editing.event_id, fields, editing.other_id)
        elif editing.kind == "edit" and editing.event_id:
            self._change("save", editing.event_id, fields)
        elif editing.kind == "split" and editing.event_id:
            self._change("split", editing.event_id, fields)
        else:
            self._change("save", None, fields)

    @on(IncidentForm.Cancelled)
    def _cancelled(self) -> None:
        current, self.current = self.current, None
        self._show(current)
        self.say("edit cancelled: nothing saved")
        self.set_class(False, "-form")
        self._focus_shown(self.incident_list)

    # ---- writing ----------------------------------------------------------------------------

    def _change(self, *change: Any) -> None:
        """`_write(*change)`, with the keys that need the current incident held until the store
        has been written and read again (`_need_current`)."""
        self._reading = True
        self._write(*change)

    @work(thread=True, exclusive=False, group="coding-write", exit_on_error=False)
    def _write(
        self,
        kind: str,
        event_id: str | None,
        fields: dict[str, Any] | None = None,
        other_id: str | None = None,
    ) -> None:
        """One change through the store (each atomic there); the list is read again after."""
        store = self.store
        then: str | None
        try:
            if kind == "accept" and event_id:
                store.accept(event_id)
                said, then = f"saved: {event_id} accepted (coded)", event_id
                maybe = [str(r["event_id"]) for r in self.similar.get(event_id, [])]
                if maybe:  # said where it shows at any size (the form's line may be hidden)
                    said += f"; maybe coded already as {', '.join(maybe)} (u undoes)"
            elif kind == "reject" and event_id:
                store.reject(event_id)
                said, then = f"saved: {event_id} rejected (kept out of every count)", event_id
            elif kind == "merge" and event_id and other_id and fields is not None:
                store.merge(event_id, other_id, fields)
                said, then = f"saved: {other_id} merged into {event_id}", event_id
            elif kind == "save" and fields is not None:
                new_id = store.save(fields, event_id=event_id)
                verb = "edited" if event_id else "created"
                said, then = f"saved: {new_id} {verb}", new_id
            elif kind == "split" and event_id and fields is not None:
                new_id = store.split(event_id, fields)
                said, then = f"saved: {new_id} split from {event_id}", new_id
            elif kind == "undo":
                undone = store.undo()
                said = f"undone: the last change to {undone}" if undone else "nothing to undo"
                then = undone
            else:
                self.app.call_from_thread(self._not_written, "")
                return
        except InvalidIncident as exc:  # the form shows the same rules: the fields to fix
            problems = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
            self.app.call_from_thread(self._not_written, f"not saved: {problems}")
            return
        except (StoreError, ValueError, KeyError, OSError, duckdb.Error) as exc:
            self.app.call_from_thread(self._not_written, f"not saved: {exc}")
            return
        self.app.call_from_thread(self._written, said, then)

    def _not_written(self, said: str) -> None:
        """A change refused: the keys held for it are dropped (the current incident stays)."""
        self._reading = False
        self._after_read = None
        if said:
            self.say(said)

    def _written(self, said: str, then: str | None) -> None:
        self.saved_any = True
        self.set_class(False, "-form")
        self.say(said)
        self.current = None  # shown again from what the store now holds
        self._focus_shown(self.incident_list)
        self._load(then)

    # ---- other keys ---------------------------------------------------------------------------

    def action_focus_part(self, part_id: str) -> None:
        target: Widget = self.form if part_id == "coding-form" else self.query_one(f"#{part_id}")
        self.set_class(part_id == "coding-form", "-form")
        self._focus_shown(target)

    def _focus_shown(self, widget: Widget) -> None:
        """Focus a part (the form: its first field) now, before the next key is handled, even
        while the narrow layout has not yet shown it (`Widget.focus()` waits for that, so keys
        typed in one burst after `e` or `1` went to the part being left)."""
        target = widget
        if not widget.can_focus:
            target = next((w for w in widget.query("*") if w.can_focus), widget)
        self.set_focus(target)

    def action_reload(self) -> None:
        self.current, current = None, self.current
        self._load(current)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        sections = [
            ("Coding screen", list(CodingScreen.BINDINGS)),
            ("Report [1]", list(EvidenceText.BINDINGS)),
            ("Incidents [2]", list(CodingList.BINDINGS)),
            ("Form [3]", list(IncidentForm.BINDINGS)),
        ]
        keymap = getattr(self.app, "user_keymap", {})
        self.app.push_screen(HelpScreen(sections, keymap))

    def action_close(self) -> None:
        self.dismiss(self.saved_any)
