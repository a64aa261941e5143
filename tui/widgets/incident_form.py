"""The incident form: one incident's ACLED fields, coded by keyboard beside its report.

API (stable; the coding screen embeds it):

- `IncidentForm(actor_names=())`: `actor_names` are stored actors (db.queries.distinct_actors)
  offered beside the extractor lexicon's ACLED names; `set_actor_names()` replaces them later
  (distinct_actors takes 1.3 s at 10M rows: run it in a worker and hand the names over).
- `load(fields, evidence=None)`: show an incident (any mapping of incident columns; columns the
  form does not edit are ignored). `evidence` (db.evidence.FieldEvidence per field) marks the
  fields the extractor proposed with `~0.90` (its confidence) until the coder changes them, so a
  proposal never looks confirmed. A `fatalities` key holding None means "not reported"; no
  `fatalities` key (a new incident) leaves the choice to the coder, who must make it.
- `value() -> dict`: FORM_FIELDS, None for empty; dates as datetime.date, numbers as int/float,
  `disorder_type` and `interaction` derived. Unparsable entries are None (and in `errors()`).
- `errors() -> dict[str, str]`: the importers' rules (db.validation) plus the form's own (a
  number where one is needed, fatalities or "not reported").
- `set_location_ar(text)`: the Arabic place name as written (the screen takes the selection).
- Messages: `IncidentForm.Submitted(fields)` on Ctrl+S when there are no errors (otherwise every
  error is shown beside its field and the first one gets the focus); `IncidentForm.Cancelled`
  on Esc. Enter in a text field moves to the next field (it never saves: a stray Enter must not
  store a half-coded incident); Tab / Shift+Tab move between fields.

The derived fields (`disorder_type` from the event and sub-event type, `interaction` from the
two actor types) are shown read-only and follow every change. Choosing an event type narrows the
sub-event types. Actor fields offer ACLED names by Arabic or Latin word beginnings and set the
actor type when it is known; the place field searches the gazetteer and fills admin1, admin2,
location, coordinates, precision, country, iso and region. Errors appear beside a field once it
has been left (or on Ctrl+S), marked `✗` so they read without colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from db import vocabulary as vocab
from db.evidence import FieldEvidence
from db.extract.actors import actor_inter, known_actors
from db.extract.gazetteer import Place, search
from db.folding import fold, name_words, prefix_rank
from db.validation import as_date, validate_incident
from tui.text.layout import display_inline
from tui.widgets.bidi_input import BidiInput
from tui.widgets.picker import MAX_SUGGESTIONS, Picker, Suggestion

FORM_FIELDS: tuple[str, ...] = (
    "event_date",
    "time_precision",
    "reported_date",
    "event_type",
    "sub_event_type",
    "disorder_type",
    "civilian_targeting",
    "fatalities",
    "actor1",
    "inter1",
    "assoc_actor_1",
    "actor2",
    "inter2",
    "assoc_actor_2",
    "interaction",
    "claimed_by",
    "location",
    "location_ar",
    "admin1",
    "admin2",
    "admin3",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "iso",
    "region",
    "source_scale",
    "tags",
    "notes",
)
"""The incident columns the form edits, in its order."""

ROWS: tuple[str, ...] = (*FORM_FIELDS[:16], "place", *FORM_FIELDS[16:])
"""The form's lines top to bottom: the fields and the place search before the place fields."""

DERIVED = ("disorder_type", "interaction")
SELECTS = (
    "time_precision",
    "event_type",
    "sub_event_type",
    "civilian_targeting",
    "inter1",
    "inter2",
    "geo_precision",
)
ACTORS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "claimed_by")
INTER_OF = {"actor1": "inter1", "actor2": "inter2"}
DATES = ("event_date", "reported_date")
FLOATS = ("latitude", "longitude")
INTS = ("iso",)
LABELS = {
    "event_date": "Date",
    "time_precision": "Date precision",
    "reported_date": "Reported on",
    "event_type": "Event type",
    "sub_event_type": "Sub-event type",
    "disorder_type": "Disorder type",
    "civilian_targeting": "Civilians",
    "fatalities": "Fatalities",
    "actor1": "Actor 1",
    "inter1": "Actor 1 type",
    "assoc_actor_1": "With actor 1",
    "actor2": "Actor 2",
    "inter2": "Actor 2 type",
    "assoc_actor_2": "With actor 2",
    "interaction": "Interaction",
    "claimed_by": "Claimed by",
    "place": "Find place",
    "location": "Location",
    "location_ar": "Location (ar)",
    "admin1": "Admin1",
    "admin2": "Admin2",
    "admin3": "Admin3",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "geo_precision": "Geo precision",
    "country": "Country",
    "iso": "ISO code",
    "region": "Region",
    "source_scale": "Source scale",
    "tags": "Tags",
    "notes": "Notes",
}
SECTIONS = {
    "event_date": "When",
    "event_type": "What",
    "actor1": "Who",
    "place": "Where",
    "source_scale": "Source",
}
W = TypeVar("W", bound=Widget)

LEGEND = "Ctrl+S save · Esc cancel · ~0.90 proposed, not confirmed · ✗ to correct"
"""The form's first line: its keys and marks, in words (readable without colour)."""

NOT_REPORTED = "fatalities-unknown"
"""The id of the "not reported" box beside fatalities (None, distinct from 0)."""


class TickBox(Checkbox):
    """A checkbox whose tick is a character (✓), so its state reads without colour."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "
        super().watch_value()


def _options(values: Mapping[int, str]) -> list[tuple[str, int]]:
    return [(f"{k} · {label}", k) for k, label in values.items()]


ActorEntry = tuple[str, tuple[str, ...], tuple[str, ...], str | None]
"""(ACLED name, folded spellings, their words, actor type if known)."""


@lru_cache(maxsize=8)
def _lexicon_actors(date: dt.date | None) -> tuple[ActorEntry, ...]:
    return tuple(
        (a.name, a.spellings, name_words(a.spellings), a.inter) for a in known_actors(date)
    )


def place_suggestions(text: str) -> list[Suggestion]:
    """Gazetteer places for the place picker: name, then where it is."""
    out = []
    for place in search(text):
        where = ", ".join(p for p in (place.admin2, place.admin1, place.country) if p)
        kind = " (region)" if place.region_only else ""
        out.append(Suggestion(f"{place.name}{kind} — {where}", place.name, place))
    return out


def scale_suggestions(text: str) -> list[Suggestion]:
    return [
        Suggestion(s, s)
        for s in vocab.SOURCE_SCALES
        if prefix_rank(fold(text), (fold(s),)) is not None
    ]


class IncidentForm(VerticalScroll, can_focus=False):
    """One incident's fields (see the module docstring for the API). Not focusable itself: Tab
    goes from field to field, and the focused field is scrolled into view."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save incident", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("tab", "move(1)", "Next field", show=False, id="form.next_field"),
        Binding("shift+tab", "move(-1)", "Previous field", show=False, id="form.previous_field"),
    ]

    class Submitted(Message):
        """Ctrl+S on a form without errors: the incident's fields (IncidentForm.value())."""

        def __init__(self, form: IncidentForm, fields: dict[str, Any]) -> None:
            super().__init__()
            self.form = form
            self.fields = fields

        @property
        def control(self) -> IncidentForm:
            return self.form

    class Cancelled(Message):
        """Esc: the coder leaves the form without saving."""

        def __init__(self, form: IncidentForm) -> None:
            super().__init__()
            self.form = form

        @property
        def control(self) -> IncidentForm:
            return self.form

    def __init__(self, actor_names: Sequence[str] = (), *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._db_entries: tuple[ActorEntry, ...] = ()
        self.set_actor_names(actor_names)
        self._loaded: dict[str, Any] = {}
        self._marked: set[str] = set()
        self._shown: set[str] = set()
        self._auto_inter: dict[str, str] = {}
        self._pending: tuple[Mapping[str, object], Mapping[str, FieldEvidence] | None] | None = None
        self._options: dict[str, list[tuple[str, Any]]] = {}
        self._widgets: dict[str, Widget] = {}
        self._errors_shown: dict[str, str | None] = {}
        self._derived_shown: dict[str, str] = {}
        self._narrowed_for: str | None = None
        """The event type the sub-event choices were last narrowed to."""

    # ---- building

    def compose(self) -> ComposeResult:
        yield Static(LEGEND, classes="legend")
        for name in ROWS:
            if name in SECTIONS:
                yield Static(SECTIONS[name], classes="section")
            with Horizontal(classes="row", id=f"row-{name}"):
                yield Label(LABELS[name], classes="label")
                yield from self._control(name)
                yield Static("", classes="mark", id=f"mark-{name}")
            yield Static("", classes="error", id=f"error-{name}")

    def _control(self, name: str) -> ComposeResult:
        if name in DERIVED:
            yield Static("", classes="derived", id=name)
        elif name in SELECTS:
            choices = self._initial_choices(name)
            self._options[name] = choices
            prompt = "— (choose the event type)" if name == "sub_event_type" else "—"
            yield Select(choices, prompt=prompt, compact=True, id=name)
        elif name == "fatalities":
            yield BidiInput(placeholder="a number", compact=True, id=name, classes="number")
            yield TickBox("not reported", compact=True, id=NOT_REPORTED)
        elif name in ACTORS:
            yield Picker(self._actor_suggestions, id=f"picker-{name}", input_id=name)
        elif name == "place":
            yield Picker(
                place_suggestions,
                threaded=True,
                placeholder="type a place, Arabic or Latin",
                id="picker-place",
                input_id="place",
            )
        elif name == "source_scale":
            yield Picker(scale_suggestions, id="picker-source_scale", input_id=name)
        else:
            hint = "YYYY-MM-DD" if name in DATES else ""
            yield BidiInput(placeholder=hint, compact=True, id=name)

    @staticmethod
    def _initial_choices(name: str) -> list[tuple[str, Any]]:
        if name == "time_precision":
            return _options(vocab.TIME_PRECISIONS)
        if name == "geo_precision":
            return _options(vocab.GEO_PRECISIONS)
        if name == "event_type":
            return [(t, t) for t in vocab.EVENT_TYPES]
        if name == "civilian_targeting":
            return [(vocab.CIVILIAN_TARGETING, vocab.CIVILIAN_TARGETING)]
        if name in ("inter1", "inter2"):
            return [(t, t) for t in vocab.INTER_TYPES]
        return []

    def on_mount(self) -> None:
        if self._pending is not None:
            fields, evidence = self._pending
            self._pending = None
            self.load(fields, evidence)
        self._update_derived()

    # ---- the API

    def load(
        self, fields: Mapping[str, object], evidence: Mapping[str, FieldEvidence] | None = None
    ) -> None:
        """Show an incident; marks the fields `evidence` says were proposed."""
        if not self.is_mounted:
            self._pending = (fields, evidence)
            return
        self._auto_inter.clear()
        event_type = fields.get("event_type")
        # what a load sets is no edit: its Changed messages, handled after a quick second load
        # (j j in the list), ticked "not reported" on the next incident and emptied its
        # fatalities ("✗ a number" on an incident coded with 7 dead)
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self._narrow_sub_types(str(event_type) if event_type else None)
            for name in FORM_FIELDS:
                if name in DERIVED:
                    continue
                self._set(name, fields.get(name))
            unknown = "fatalities" in fields and fields["fatalities"] is None
            self._w(NOT_REPORTED, Checkbox).value = unknown
        self._loaded = {name: self._read_one(name) for name in FORM_FIELDS}
        evidence = evidence or {}
        self._marked = {n for n in evidence if n in FORM_FIELDS and n not in DERIVED}
        for name in FORM_FIELDS:
            ev = evidence.get(name)
            mark = self._w(f"mark-{name}", Static)
            if name in self._marked and ev is not None:
                mark.update(f"~{ev.confidence:.2f}" if ev.confidence is not None else "~")
            else:
                mark.update("")
        self._shown = {n for n in FORM_FIELDS if self._loaded.get(n) not in (None, "")}
        self._update_derived()
        self._show_errors()

    def value(self) -> dict[str, Any]:
        """The incident fields the form holds (None for empty or unparsable)."""
        raw, problems = self._read()
        typed = {name: (None if name in problems else raw[name]) for name in FORM_FIELDS}
        for name in (*DATES, *FLOATS, "fatalities"):
            if isinstance(typed[name], str):
                typed[name] = None  # unparsable: errors() says why
        return typed

    def errors(self) -> dict[str, str]:
        """Field -> what is wrong; saving is refused while this is not empty."""
        raw, problems = self._read()
        found = validate_incident(raw)
        found.update(problems)
        return {name: found[name] for name in FORM_FIELDS if name in found}

    def set_location_ar(self, text: str) -> None:
        """The Arabic place name as the report writes it (from the screen's selection)."""
        self._set("location_ar", text)

    def set_actor_names(self, names: Sequence[str]) -> None:
        """Stored actor names to offer (db.queries.distinct_actors), most named first."""
        folded = ((name, (fold(name),)) for name in names)
        self._db_entries = tuple((name, f, name_words(f), None) for name, f in folded)

    # ---- reading and writing widgets

    def _set(self, name: str, value: object) -> None:
        text = "" if value is None else str(value)
        if isinstance(value, dt.date):
            text = value.isoformat()
        if name in SELECTS:
            select: Select[Any] = self._w(name, Select)
            if value is None:
                select.clear()
                return
            choices = self._choices(name)
            if value not in [v for _label, v in choices]:
                # a value outside the vocabulary (an older export) is shown and kept, not lost
                self._set_choices(name, [*choices, (text, value)])
            select.value = value
            return
        widget = self._w(name, Input)
        widget.value = text
        widget.cursor_position = len(text) if widget.has_focus else 0

    def _w(self, widget_id: str, kind: type[W]) -> W:
        """A widget of the form by id, looked up once (a DOM query per key press adds up)."""
        found = self._widgets.get(widget_id)
        if found is None:
            found = self._widgets[widget_id] = self.query_one(f"#{widget_id}", kind)
        assert isinstance(found, kind)
        return found

    def _choices(self, name: str) -> list[tuple[str, Any]]:
        return self._options.get(name, [])

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        self._options[name] = choices
        self._w(name, Select).set_options(choices)

    def _read_one(self, name: str) -> Any:
        return self._read()[0].get(name)

    def _text(self, name: str) -> str | None:
        value = self._w(name, Input).value.strip()
        return value or None

    def _select(self, name: str) -> Any:
        select: Select[Any] = self._w(name, Select)
        return None if select.is_blank() else select.value

    def _read(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Every field as typed values; unparsable ones kept as text, with the form's problems."""
        raw: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name in FORM_FIELDS:
            if name in DERIVED:
                continue
            if name in SELECTS:
                raw[name] = self._select(name)
                continue
            text = self._text(name)
            raw[name] = text
            if text is None:
                continue
            if name in DATES:
                raw[name] = as_date(text) or text  # validate_incident names a bad one
            elif name in FLOATS:
                with suppress(ValueError):  # else kept as typed: validation says "not a number"
                    raw[name] = float(text)
            elif name in INTS and not text.isdigit():
                problems[name] = "not a whole number"
            elif name in INTS:
                raw[name] = int(text)
        fatalities = self._text("fatalities")
        if self._w(NOT_REPORTED, Checkbox).value:
            raw["fatalities"] = None
        elif fatalities is None:
            problems["fatalities"] = "a number, or tick “not reported”"
        else:
            try:
                raw["fatalities"] = int(fatalities)
            except ValueError:
                raw["fatalities"] = fatalities  # validate_incident: "not a whole number"
        raw["disorder_type"] = vocab.disorder_type(raw["event_type"], raw["sub_event_type"])
        raw["interaction"] = vocab.interaction(raw["inter1"], raw["inter2"])
        return raw, problems

    # ---- reacting to edits

    def _field_of(self, widget: Widget | None) -> str | None:
        while widget is not None and widget is not self:
            if widget.id == NOT_REPORTED:
                return "fatalities"
            if widget.id in FORM_FIELDS or widget.id == "place":
                return widget.id
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _edited(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        name = self._field_of(event.control)
        if name is None or name == "place":
            return
        if name == "event_type":
            self._narrow_sub_types(self._select("event_type"))
        if isinstance(event, Checkbox.Changed) and event.value:
            self._w("fatalities", Input).value = ""
        elif name == "fatalities" and isinstance(event, Input.Changed) and event.value.strip():
            self._w(NOT_REPORTED, Checkbox).value = False
        if name in INTER_OF:
            self._infer_inter(name, actor_inter(self._text(name), self._event_day()))
        if name in ("inter1", "inter2") and self._auto_inter.get(name) != self._select(name):
            self._auto_inter.pop(name, None)  # the coder chose: no longer inferred
        if name in self._marked and self._read_one(name) != self._loaded.get(name):
            self._marked.discard(name)
            self._w(f"mark-{name}", Static).update("")
        self._update_derived()
        self._show_errors()

    @on(Picker.Picked)
    def _picked(self, event: Picker.Picked) -> None:
        field = self._field_of(event.picker.input)
        data = event.suggestion.data
        if field in INTER_OF and isinstance(data, str):
            self._infer_inter(field, data)
        elif field == "place" and isinstance(data, Place):
            self._fill_place(data)

    def _infer_inter(self, actor_field: str, inter: str | None) -> None:
        """The actor's type follows a new actor unless the coder chose it: empty, inferred
        before, or still the extractor's proposal (marked; an actor changed from the army to
        JNIM kept "State forces ~0.60")."""
        name = INTER_OF[actor_field]
        current = self._select(name)
        chosen = current is not None and current != self._auto_inter.get(name)
        if inter is None or (chosen and name not in self._marked):
            return
        self._auto_inter[name] = inter
        self._set(name, inter)

    def _fill_place(self, place: Place) -> None:
        self._set("location", place.name)
        self._set("admin1", place.admin1)
        self._set("admin2", place.admin2)
        self._set("admin3", None)
        self._set("latitude", place.latitude)
        self._set("longitude", place.longitude)
        self._set("geo_precision", 3 if place.region_only or place.rank == 0 else 1)
        self._set("country", place.country)
        self._set("iso", place.iso)
        self._set("region", vocab.REGIONS.get(place.country))

    def _event_day(self) -> dt.date | None:
        return as_date(self._text("event_date"))

    def _narrow_sub_types(self, event_type: str | None) -> None:
        """The sub-event choices of `event_type`; the current one is kept if it still fits."""
        if event_type == self._narrowed_for:
            return
        self._narrowed_for = event_type
        select: Select[Any] = self._w("sub_event_type", Select)
        current = self._select("sub_event_type")
        allowed = vocab.sub_event_types(event_type)
        self._set_choices("sub_event_type", [(s, s) for s in allowed])
        select.prompt = "—" if event_type else "— (choose the event type)"
        if current in allowed:
            select.value = current

    def _update_derived(self) -> None:
        raw, _ = self._read()
        for name in DERIVED:
            shown = raw[name] or "—"
            if self._derived_shown.get(name) != shown:
                self._derived_shown[name] = shown
                self._w(name, Static).update(Text(shown))

    def _show_errors(self) -> None:
        found = self.errors()
        for name in FORM_FIELDS:
            message = found.get(name) if name in self._shown else None
            if self._errors_shown.get(name) == message:
                continue  # unchanged: no repaint
            self._errors_shown[name] = message
            line = self._w(f"error-{name}", Static)
            line.update(Text(f"✗ {display_inline(message)}") if message else "")
            line.set_class(bool(message), "-shown")
            self._w(f"row-{name}", Horizontal).set_class(bool(message), "-invalid")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        name = self._field_of(event.widget)
        if name in FORM_FIELDS and name not in self._shown:
            self._shown.add(name)
            self._show_errors()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    # ---- suggestions

    def _actor_suggestions(self, text: str) -> list[Suggestion]:
        """Lexicon names first (they carry Arabic spellings), then stored ones, best match first;
        the actor type is looked up for the few shown only (5,000 stored names: ~15 ms a key)."""
        wanted = fold(text)
        ranked: list[tuple[int, bool, int, int, str, str | None]] = []
        seen: set[str] = set()
        lexicon = _lexicon_actors(self._event_day())
        for order, (name, spellings, words, inter) in enumerate((*lexicon, *self._db_entries)):
            if name in seen:
                continue
            seen.add(name)
            rank = prefix_rank(wanted, spellings, words)
            if rank is not None:
                # among equal matches the shortest name first: "Military Forces of Mali"
                # offered "… (2021-) Air Force" before "… (2021-)"
                ranked.append((rank, order >= len(lexicon), len(name), order, name, inter))
        ranked.sort(key=lambda t: t[:4])
        out = []
        for *_, name, known in ranked[:MAX_SUGGESTIONS]:
            inter = known or actor_inter(name)
            out.append(Suggestion(f"{name} · {inter}" if inter else name, name, inter))
        return out

    # ---- actions

    def action_move(self, step: int) -> None:
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_submit(self) -> None:
        found = self.errors()
        if not found:
            self.post_message(self.Submitted(self, self.value()))
            return
        self._shown = set(FORM_FIELDS)
        self._show_errors()
        first = next(iter(found))
        target = self.query_one(f"#{first}")
        if target.focusable:
            target.focus()
        self.notify(f"Not saved: {len(found)} field(s) to correct (marked ✗)", severity="warning")

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))
