"""The incident form driven by keys (Pilot): seed incidents coded from an empty form come out
field for field as db/data/seed.json has them; cascade, derived fields, pickers, validation."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from db.evidence import FieldEvidence
from db.seed import seed_document
from tui.widgets.incident_form import DERIVED, FORM_FIELDS, NOT_REPORTED, ROWS, IncidentForm
from tui.widgets.picker import Picker


class FormApp(App[None]):
    """The form alone, recording what it posts."""

    def __init__(
        self, fields: dict[str, Any] | None = None, evidence=None, focus: str = "event_date"
    ) -> None:
        super().__init__()
        self.first = focus
        self.fields = fields
        self.evidence = evidence
        self.submitted: list[dict[str, Any]] = []
        self.cancelled = 0

    def compose(self) -> ComposeResult:
        yield IncidentForm(actor_names=["Police Forces of Mali (2021-) Gendarmerie"])

    def on_mount(self) -> None:
        form = self.query_one(IncidentForm)
        if self.fields is not None:
            form.load(self.fields, self.evidence)
        self.query_one(f"#{self.first}").focus()

    def on_incident_form_submitted(self, message: IncidentForm.Submitted) -> None:
        self.submitted.append(message.fields)

    def on_incident_form_cancelled(self, message: IncidentForm.Cancelled) -> None:
        self.cancelled += 1


def seed(n: int) -> dict[str, Any]:
    return dict(seed_document()["incidents"][n])


def expected(inc: dict[str, Any]) -> dict[str, Any]:
    """The seed incident as the form returns it: its fields, dates as dates."""
    out = {name: inc[name] for name in FORM_FIELDS}
    for name in ("event_date", "reported_date"):
        out[name] = dt.date.fromisoformat(out[name]) if out[name] else None
    return out


async def wait_for(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await pilot.pause(0.02)


def form_of(pilot: Pilot) -> IncidentForm:
    return pilot.app.query_one(IncidentForm)


async def focus(pilot: Pilot, field: str) -> None:
    pilot.app.query_one(f"#{field}").focus()
    await pilot.pause()


def focused_field(pilot: Pilot) -> str | None:
    focused = pilot.app.focused
    return None if focused is None else focused.id


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key (one Pilot call: it waits for the screen once, not per key)."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def replace_text(pilot: Pilot, text: str) -> None:
    field = pilot.app.focused
    assert isinstance(field, Input)
    await pilot.press("end", *["backspace"] * len(field.value))
    await type_text(pilot, text)


async def choose(pilot: Pilot, typed: str) -> None:
    """Open the focused Select, type to find the option, take it."""
    await pilot.press("enter")
    await type_text(pilot, typed)
    await pilot.press("enter")
    await pilot.pause()


async def pick(pilot: Pilot, typed: str, wanted: Callable[[str], bool]) -> None:
    """Type into the focused picker, wait for the suggestions, move to the wanted one, Enter."""
    await type_text(pilot, typed)
    picker = pilot.app.focused.parent  # type: ignore[union-attr]
    assert isinstance(picker, Picker)
    await wait_for(pilot, lambda: any(wanted(s.label) for s in picker.offered), typed)
    index = next(i for i, s in enumerate(picker.offered) if wanted(s.label))
    await pilot.press(*["down"] * index, "enter")
    await pilot.pause()


def starts_with(label: str) -> Callable[[str], bool]:
    return lambda shown: shown.startswith(label)


def names(actor: str) -> Callable[[str], bool]:
    """The suggestion of exactly this actor (shown as `name · actor type`)."""
    return lambda shown: shown.split(" · ")[0] == actor


# How each seed field is reached by keys: the picker query and which suggestion to take.
ACTOR_QUERIES = {
    "JNIM: Group for Support of Islam and Muslims": "نصرة",
    "Military Forces of Mali (2021-)": "الجيش المالي",
    "Civilians (Mali)": "civil",
    "Fulani Ethnic Group (Mali)": "الفولاني",
    "Africa Corps": "africa",
}
PLACE_QUERIES = {
    "Sikasso": ("سيكاسو", "Sikasso — Sikasso, Sikasso"),
    "Bema": ("بيما", "Béma — Nioro, Kayes"),
    "Sare Mala": ("Sare Mala", "Saré-Mala — Mopti, Mopti"),
}
SELECT_TYPED = {1: "1", 2: "2", 3: "3"}
TAB_ORDER = tuple(
    focusable
    for name in ROWS
    if name not in DERIVED
    for focusable in ((name, NOT_REPORTED) if name == "fatalities" else (name,))
)


async def fill(pilot: Pilot, inc: dict[str, Any]) -> None:
    """Code `inc` into an empty form with keys only, field after field by Tab."""
    form = form_of(pilot)
    for name in TAB_ORDER:
        assert focused_field(pilot) == name, f"Tab reached {focused_field(pilot)}, not {name}"
        value = inc.get(name)
        widget = pilot.app.focused
        if name == NOT_REPORTED:
            if inc["fatalities"] is None:
                await pilot.press("space")
        elif name == "place":
            if inc["location"] in PLACE_QUERIES:
                typed, label = PLACE_QUERIES[inc["location"]]
                await pick(pilot, typed, starts_with(label))
        elif name in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "claimed_by"):
            if value is not None:
                await pick(pilot, ACTOR_QUERIES[value], names(value))
        elif isinstance(widget, Select):
            current = None if widget.is_blank() else widget.value
            if value is not None and current != value:
                await choose(pilot, SELECT_TYPED.get(value, str(value)))
            assert (None if widget.is_blank() else widget.value) == value, name
        elif name == "notes":
            assert widget is not None
            widget.post_message(events.Paste(value or ""))  # a terminal's bracketed paste
            await pilot.pause()
        elif isinstance(widget, Input):
            text = "" if value is None else str(value)
            if widget.value != text:
                await replace_text(pilot, text)
        await pilot.press("tab")
        await pilot.pause()
    assert form.errors() == {}


@pytest.mark.parametrize("n", [0, 2, 7])
async def test_seed_incidents_coded_by_keys_equal_the_seed(n: int) -> None:
    inc = seed(n)
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill(pilot, inc)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.submitted), "the Submitted message")
    assert app.submitted[0] == expected(inc)


async def test_a_loaded_seed_incident_round_trips() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        form = form_of(pilot)
        for inc in seed_document()["incidents"]:
            form.load(inc)
            await pilot.pause()
            assert form.value() == expected(inc), inc["event_id"]
            assert form.errors() == {}


def shown(pilot: Pilot, selector: str) -> str:
    return str(pilot.app.query_one(selector, Static).render())


async def test_event_type_narrows_sub_types_and_derives_the_disorder_type() -> None:
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await focus(pilot, "event_type")
        await choose(pilot, "Riots")
        sub = form.query_one("#sub_event_type", Select)
        legal = [v for _label, v in form._choices("sub_event_type")]  # noqa: SLF001
        assert legal == ["Violent demonstration", "Mob violence"]
        await pilot.press("tab")
        await choose(pilot, "Mob")
        assert sub.value == "Mob violence"
        assert shown(pilot, "#disorder_type") == "Political violence"
        await pilot.press("shift+tab")
        await choose(pilot, "Protests")
        await pilot.pause()
        assert sub.is_blank()  # Mob violence is no protest
        assert [v for _l, v in form._choices("sub_event_type")][0] == "Peaceful protest"  # noqa: SLF001
        await pilot.press("tab")
        await choose(pilot, "Excessive")
        assert shown(pilot, "#disorder_type") == "Political violence; Demonstrations"
        assert form.value()["disorder_type"] == "Political violence; Demonstrations"


async def test_interaction_follows_the_actor_types_and_actors_set_them() -> None:
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await focus(pilot, "actor1")
        await pick(pilot, "JNIM", lambda s: s.startswith("JNIM"))
        assert form.value()["inter1"] == "Rebel group"  # inferred from the lexicon
        assert shown(pilot, "#interaction") == "Sole rebel group action"
        await focus(pilot, "actor2")
        await type_text(pilot, "Police Forces of Mali (2021-) Gendarmerie")  # free text
        await pilot.pause()
        assert form.value()["inter2"] == "State forces"
        assert shown(pilot, "#interaction") == "Rebel group-State forces"
        await focus(pilot, "inter1")
        await choose(pilot, "Political")
        assert shown(pilot, "#interaction") == "Political militia-State forces"
        await focus(pilot, "actor1")
        await pilot.press("end", "backspace")
        await pilot.pause()
        assert form.value()["inter1"] == "Political militia"  # the coder's choice stays


async def test_a_proposed_actor_type_follows_a_new_actor() -> None:
    """The extractor proposed the army (State forces, ~0.60) where JNIM attacked: the coder
    picks JNIM, and the proposed type goes with the actor it was proposed for."""
    inc = {**seed(1), "actor1": "Military Forces of Mali (2021-)", "inter1": "State forces"}
    evidence = {"actor1": FieldEvidence(0.6, ()), "inter1": FieldEvidence(0.6, ())}
    app = FormApp(inc, evidence, focus="actor1")
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        assert form.value()["inter1"] == "State forces"
        await replace_text(pilot, "")
        await pick(pilot, "JNIM", lambda s: s.startswith("JNIM"))
        assert form.value()["inter1"] == "Rebel group"
        assert shown(pilot, "#mark-inter1") == ""  # no longer the extractor's proposal
    coded = {**inc, "inter1": "State forces"}
    app = FormApp(coded, {}, focus="actor1")  # a person's choice: kept
    async with app.run_test(size=(120, 40)) as pilot:
        await replace_text(pilot, "")
        await pick(pilot, "JNIM", lambda s: s.startswith("JNIM"))
        assert form_of(pilot).value()["inter1"] == "State forces"


async def test_the_closest_actor_name_is_offered_first() -> None:
    """ "Military Forces of Mali" offered the Air Force first: Enter took it."""
    app = FormApp(focus="actor2")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_text(pilot, "Military Forces of Mali")
        picker = pilot.app.focused.parent  # type: ignore[union-attr]
        assert isinstance(picker, Picker)
        await wait_for(pilot, lambda: bool(picker.offered), "the suggestions")
        first = picker.offered[0].label.split(" · ")[0]
        assert first == "Military Forces of Mali (2021-)", [s.label for s in picker.offered]
        assert any("Air Force" in s.label for s in picker.offered)


async def test_stored_actor_names_are_offered_by_any_word() -> None:
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await focus(pilot, "assoc_actor_2")
        await pick(pilot, "gendarm", lambda s: "Gendarmerie" in s)
        assert form.value()["assoc_actor_2"] == "Police Forces of Mali (2021-) Gendarmerie"
        picker = form.query_one("#picker-assoc_actor_2", Picker)
        await type_text(pilot, "x")  # free text: the list closes when nothing matches
        await pilot.press("backspace")
        await wait_for(pilot, lambda: picker.is_open, "the suggestions again")
        await pilot.press("escape")  # closes the list only
        assert not picker.is_open and app.cancelled == 0
        await pilot.press("escape")  # now leaves the form
        await pilot.pause()
        assert app.cancelled == 1


async def test_errors_beside_their_fields_and_saving_refused() -> None:
    app = FormApp(seed(0))
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await replace_text(pilot, "2026-02-30")
        await pilot.press("tab")
        await pilot.pause()
        assert shown(pilot, "#error-event_date") == "✗ not a date (YYYY-MM-DD)"
        await focus(pilot, "latitude")
        await replace_text(pilot, "13.51366")
        await focus(pilot, "longitude")
        await replace_text(pilot, "2.1098")  # Niamey
        await focus(pilot, "fatalities")
        await type_text(pilot, "-1")
        await pilot.press("tab")
        await pilot.pause()
        assert shown(pilot, "#error-latitude") == "✗ not in Mali"
        assert shown(pilot, "#error-fatalities") == "✗ cannot be negative"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.submitted == []
        assert set(form.errors()) == {"event_date", "latitude", "longitude", "fatalities"}
        assert focused_field(pilot) == "event_date"  # the first error has the focus
        row = form.query_one("#row-event_date")
        assert row.has_class("-invalid")
        error_line = form.query_one("#error-event_date")
        assert error_line.region.y == row.region.y + 1  # right under its field


async def test_not_reported_is_not_zero() -> None:
    inc = seed(2)  # 5 killed
    app = FormApp(inc)
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await focus(pilot, "fatalities")
        await replace_text(pilot, "0")
        assert form.value()["fatalities"] == 0
        await pilot.press("tab", "space")  # tick "not reported"
        await pilot.pause()
        assert form.value()["fatalities"] is None
        assert form.query_one("#fatalities", Input).value == ""
        assert "✓" in str(form.query_one(f"#{NOT_REPORTED}").render())
        await pilot.press("shift+tab")
        await type_text(pilot, "3")
        await pilot.pause()
        assert form.value()["fatalities"] == 3  # a number unticks it
        assert "✓" not in str(form.query_one(f"#{NOT_REPORTED}").render())
    blank = FormApp({k: v for k, v in inc.items() if k != "fatalities"})
    async with blank.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert blank.submitted == []
        assert "not reported" in form_of(pilot).errors()["fatalities"]


@pytest.mark.parametrize(
    ("typed", "label", "filled"),
    [
        ("لولوني", "Loulouni — Kadiolo, Sikasso", ("Loulouni", "Sikasso", "Kadiolo", 10.9, -5.6)),
        ("Loulou", "Loulouni — Kadiolo, Sikasso", ("Loulouni", "Sikasso", "Kadiolo", 10.9, -5.6)),
        ("نوسومبوغو", "Nossombougou", ("Nossombougou", "Koulikoro", "Kati", 13.09778, -7.93499)),
    ],
)
async def test_place_picker_fills_the_place_from_arabic_or_latin(
    typed: str, label: str, filled: tuple[Any, ...]
) -> None:
    app = FormApp()
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        await focus(pilot, "place")
        await pick(pilot, typed, starts_with(label))
        v = form.value()
        assert (v["location"], v["admin1"], v["admin2"], v["latitude"], v["longitude"]) == filled
        assert (v["country"], v["iso"], v["region"], v["geo_precision"]) == (
            "Mali",
            466,
            "Western Africa",
            1,
        )


async def test_evidence_marks_proposals_until_the_coder_changes_them() -> None:
    inc = seed(1)
    evidence = {
        "event_date": FieldEvidence(0.9, ((10, 20),)),
        "actor1": FieldEvidence(0.6, ()),
    }
    app = FormApp(inc, evidence)
    async with app.run_test(size=(120, 40)) as pilot:
        form = form_of(pilot)
        assert shown(pilot, "#mark-event_date") == "~0.90"
        assert shown(pilot, "#mark-actor1") == "~0.60"
        assert shown(pilot, "#mark-fatalities") == ""
        await replace_text(pilot, "2026-01-17")
        await pilot.pause()
        assert shown(pilot, "#mark-event_date") == ""
        assert shown(pilot, "#mark-actor1") == "~0.60"
        assert form.value()["event_date"] == dt.date(2026, 1, 17)


async def test_location_ar_from_the_screen_and_esc_cancels() -> None:
    app = FormApp(seed(0))
    async with app.run_test(size=(80, 24)) as pilot:
        form = form_of(pilot)
        form.set_location_ar("نيورو الساحل")
        await pilot.pause()
        assert form.value()["location_ar"] == "نيورو الساحل"
        await pilot.press("escape")
        await pilot.pause()
        assert app.cancelled == 1 and app.submitted == []


async def test_enter_moves_on_and_never_saves() -> None:
    app = FormApp(seed(0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert focused_field(pilot) == "time_precision"
        assert app.submitted == []
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.submitted), "the Submitted message")
        assert app.submitted[0] == expected(seed(0))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_form_snapshot(snap_compare, size: tuple[int, int]) -> None:
    inc = seed(7) | {"fatalities": -1}
    evidence = {
        "event_date": FieldEvidence(0.9, ((2231, 2250),)),
        "actor1": FieldEvidence(0.6, ()),
        "event_type": FieldEvidence(0.75, ()),
    }

    async def settle(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: focused_field(pilot) == "event_type", "the focus")
        await pilot.pause()

    app = FormApp(inc, evidence, focus="event_type")  # a proposal, two marks, a bad figure
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_form_keys_are_listed_in_help_with_their_ids() -> None:
    from tui.screens.help import binding_rows
    from tui.widgets.picker import PickerInput

    rows = binding_rows([*IncidentForm.BINDINGS, *PickerInput.BINDINGS], {"form.save": "f2"})
    assert ("F2", "Save incident", "form.save") in rows
    assert ("Esc", "Cancel", "form.cancel") in rows
    assert {r[2] for r in rows} >= {"form.next_field", "picker.next", "picker.close"}


async def test_a_remapped_save_key_saves() -> None:
    app = FormApp(seed(0))
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_keymap({"form.save": "f2"})
        await pilot.press("f2")
        await wait_for(pilot, lambda: bool(app.submitted), "the Submitted message")
        assert app.submitted[0] == expected(seed(0))


async def test_at_80x24_the_form_scrolls_to_the_focused_field() -> None:
    app = FormApp(seed(7))
    async with app.run_test(size=(80, 24)) as pilot:
        form = form_of(pilot)
        assert form.max_scroll_y > 0  # taller than the screen: it scrolls
        await pilot.press("shift+tab")  # from the first field round to the last
        await wait_for(pilot, lambda: focused_field(pilot) == "notes", "the notes field")
        await pilot.pause()
        notes = form.query_one("#notes")
        assert 0 <= notes.region.y < 24 and form.scroll_y > 0


def screen_text(app: App[None]) -> str:
    """The characters on screen, styles dropped (what NO_COLOR leaves to read)."""
    from textual._compositor import LayoutUpdate

    update = app.screen._compositor.render_update(full=True)  # noqa: SLF001
    assert isinstance(update, LayoutUpdate)
    return "\n".join("".join(seg.text for seg in strip) for strip in update.strips)


async def test_readable_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under NO_COLOR the marks say it in characters: ✗ errors, ~confidence, ✓ not reported."""
    monkeypatch.setenv("NO_COLOR", "1")
    inc = seed(7) | {"fatalities": -1}
    app = FormApp(inc, {"event_date": FieldEvidence(0.9, ())}, focus="event_type")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await pilot.pause()
        screen = screen_text(app)
        assert "✗ cannot be negative" in screen and "~0.90" in screen
        assert "▐ ▌ not reported" in screen
        form_of(pilot).load(seed(0))  # fatalities None: not reported
        await pilot.pause()
        assert "▐✓▌ not reported" in screen_text(app)
