"""Done when: the seed report, coded from scratch by keys, gives back db/data/seed.json.

The report is imported as a new report into an empty database (no bundled incidents); its
proposals are rejected with `x`; then for each hand-coded seed incident the test moves the cursor
to its first sentence and selects to its last by sentence motions (`)`, `v`, never by setting
offsets), presses `N`, fills every field of the form by keys (Tab to the field, type, pick in
lists, tick "not reported") and saves with Ctrl+S. The coded incidents must equal the seed file
field by field, ids aside.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Checkbox, Input, Select
from textual.widgets._select import SelectOverlay

from db.coding import CodingStore
from db.seed import seed_document
from tests.coding_screen.conftest import coding_screen, focus, only_source
from tests.explorer.conftest import settle, wait_for
from tui.coding_app import CodingApp
from tui.screens.coding import CodingScreen
from tui.widgets.evidence_text import EvidenceText
from tui.widgets.incident_form import DERIVED, FORM_FIELDS, NOT_REPORTED, SELECTS

IGNORED = {"event_id", "date_basis", "source_id"}
"""Ids (the report's id is the import's, not the seed file's) and the seed's reading notes."""
BUDGET = 60.0
"""Seconds the coding should take on an idle machine; over it the test says so (the time
depends on the load: ~0.2-1 s a Tab at load averages of 7-13 on two cores)."""


async def type_text(pilot, app: CodingApp, widget_id: str, text: str) -> None:
    """Clear the field and type `text` into it, one key event per character.

    The characters go in as a fast typist's keys do, without waiting for a repaint after each
    (`Pilot.press` does, ~0.2 s a key on this loaded machine, with the form re-laid out each
    time); Tab and the list keys, which move the focus, go through `Pilot.press`.
    """
    await focus(pilot, app, widget_id)
    field = app.screen.query_one(f"#{widget_id}", Input)
    if field.value == text:
        return
    await pilot.press("end", "ctrl+u")
    for char in text:
        app.post_message(events.Key(_character_to_key(char), char))
    await wait_for(pilot, lambda: field.value == text, f"{widget_id} to read {text!r}")


async def choose(pilot, app: CodingApp, widget_id: str, value: object) -> None:
    """Open the list with Enter, move to `value` (None: the blank entry) with the arrows, Enter."""
    await focus(pilot, app, widget_id)
    select: Select[Any] = app.screen.query_one(f"#{widget_id}", Select)
    wanted = Select.NULL if value is None else value
    if select.value == wanted:
        return
    values = [v for _prompt, v in select._options]
    assert wanted in values, f"{widget_id}: {value!r} is not offered ({values})"
    await pilot.press("enter")
    overlay = select.query_one(SelectOverlay)
    await wait_for(pilot, lambda: select.expanded, f"{widget_id}'s list")
    target = values.index(wanted)
    for _ in range(len(values) + 1):
        here = overlay.highlighted or 0
        if here == target:
            break
        await pilot.press("down" if here < target else "up")
    await pilot.press("enter")
    await wait_for(pilot, lambda: select.value == wanted, f"{widget_id} = {value!r}")


async def fill_form(pilot, app: CodingApp, values: Mapping[str, Any]) -> None:
    """Every field the form edits, set to `values` by keys (derived fields follow by themselves)."""
    for name in FORM_FIELDS:
        if name in DERIVED:
            continue
        value = values.get(name)
        if name in SELECTS:
            await choose(pilot, app, name, value)
        elif name == "fatalities":
            box = app.screen.query_one(f"#{NOT_REPORTED}", Checkbox)
            if value is None:
                await focus(pilot, app, NOT_REPORTED)
                if not box.value:
                    await pilot.press("space")
                assert box.value, "fatalities: not reported"
            else:
                await type_text(pilot, app, name, str(value))
        else:
            text = "" if value is None else str(value)
            await type_text(pilot, app, name, text)


async def select_sentences(pilot, report: EvidenceText, start: int, end: int) -> None:
    """From the top of the report: `)` to the first sentence, `v`, `)` past the last one, then
    one cell back (right, in an Arabic line) to the last character before the line break."""
    await pilot.press("g")
    for _ in range(100):
        if report.cursor >= start:
            break
        await pilot.press("right_parenthesis")
    assert report.cursor == start, f"no sentence starts at {start} (cursor {report.cursor})"
    await pilot.press("v")
    for _ in range(100):
        if report.cursor > end:
            break
        await pilot.press("right_parenthesis")
    await pilot.press("right")
    await pilot.press("v")
    assert report.selection == (start, end), f"selected {report.selection}, wanted {start, end}"


def counted(screen: CodingScreen, status: str, n: int) -> bool:
    return sum(i.status == status for i in screen.items) == n


def comparable(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.timeout(1800)
async def test_code_the_seed_report_from_scratch(report_db: Path) -> None:
    seed = sorted(seed_document()["incidents"], key=lambda i: i["span_start"])
    source_id = only_source(report_db)
    began = time.monotonic()
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await coding_screen(pilot, app)
            proposals = [i.event_id for i in screen.items if i.status == "proposed"]
            # reject every proposal: `]` goes to the next one still proposed
            await pilot.press("2")
            for n in range(len(proposals)):
                await pilot.press("x")
                await wait_for(
                    pilot,
                    partial(counted, screen, "rejected", n + 1),
                    f"rejection {n + 1}",
                )
                await pilot.press("right_square_bracket")
            report = screen.report
            for k, incident in enumerate(seed):
                await pilot.press("1")
                await select_sentences(pilot, report, incident["span_start"], incident["span_end"])
                await pilot.press("N")
                await wait_for(pilot, lambda: screen.has_class("-form"), "the form")
                await settle(pilot, app)
                await fill_form(pilot, app, incident)
                await pilot.press("ctrl+s")
                await wait_for(
                    pilot,
                    partial(counted, screen, "coded", k + 1),
                    f"incident {k + 1} saved ({screen.status_text})",
                )
                print(f"incident {k + 1} coded at {time.monotonic() - began:.0f} s", flush=True)
            await settle(pilot, app)
        coded = [r for r in store.incidents(source_id) if r["status"] == "coded"]
    elapsed = time.monotonic() - began
    assert len(coded) == len(seed)
    by_span = {(r["span_start"], r["span_end"]): r for r in coded}
    for incident in seed:
        row = by_span[(incident["span_start"], incident["span_end"])]
        wrong = {
            name: (comparable(row[name]), value)
            for name, value in incident.items()
            if name not in IGNORED and comparable(row[name]) != value
        }
        assert not wrong, f"{incident['event_id']}: (coded, seed) differ: {wrong}"
        assert row["source_id"] == source_id and row["coded_by"] == "tester"
    if elapsed > BUDGET:
        warnings.warn(f"coding the seed report by keys took {elapsed:.0f} s", stacklevel=1)
