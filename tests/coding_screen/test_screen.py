"""The coding screen by keys (Pilot): review proposals, code from a selection, undo."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.binding import Binding

from db.coding import CodingStore
from tests.coding_screen.conftest import coding_screen, focus, only_source
from tests.explorer.conftest import screen_of, settle, wait_for
from tui.coding_app import CodingApp
from tui.screens.coding import CodingScreen
from tui.screens.help import HelpScreen
from tui.widgets.incident_form import NOT_REPORTED, IncidentForm


def _marks(app: CodingApp) -> list[str]:
    """The form's confidence marks as shown ("~0.90", or empty)."""
    return [str(m.render()).strip() for m in app.screen.query(IncidentForm).first().query(".mark")]


async def test_accept_reject_undo(report_db: Path) -> None:
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await coding_screen(pilot, app)
            first = screen.current
            assert first == screen.items[0].event_id
            assert any(_marks(app)), "a proposal's fields show their confidence"
            await pilot.press("a")
            await wait_for(pilot, lambda: screen.items[0].status == "coded", "the accept")
            await settle(pilot, app)
            # accepted, every field is a person's: no "~0.90" (proposed, not confirmed) left
            assert screen.current == first and not any(_marks(app))
            await pilot.press("right_square_bracket")
            second = screen.current
            assert second == screen.items[1].event_id
            await pilot.press("x")
            await wait_for(pilot, lambda: screen.items[1].status == "rejected", "the reject")
            await pilot.press("u")
            await wait_for(pilot, lambda: screen.items[1].status == "proposed", "the undo")
            await settle(pilot, app)
            # ? lists every part's keys with their ids (the keymap file's names)
            await pilot.press("2", "question_mark")
            help_screen = await screen_of(pilot, app, HelpScreen, "the help")
            ids = {
                b.id for _t, part in help_screen.sections for b in part if isinstance(b, Binding)
            }
            for wanted in ("coding.accept", "coding.new", "evidence.visual", "form.save"):
                assert wanted in ids
    statuses = {
        r["event_id"]: r["status"] for r in CodingStore.open(report_db).incidents(source_id)
    }
    assert statuses[first] == "coded" and statuses[second] == "proposed"


async def test_from_the_explorer_and_back(report_db: Path) -> None:
    """`e` in the Source pane opens the report's coding; back in the explorer, the accepted
    proposal counts as coded (the explorer reloaded)."""
    from tui.app import RasdApp
    from tui.widgets.chronology import ChronologyView

    app = RasdApp(report_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        chronology = app.query_one(ChronologyView)
        assert chronology.proposed == 9
        await pilot.press("enter")  # the newest incident's source
        await settle(pilot, app)
        await pilot.press("3", "e")
        screen = await coding_screen(pilot, app)
        await pilot.press("a")
        await wait_for(pilot, lambda: "accepted" in screen.status_text, "the save")
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is app.main_screen, "the explorer")
        await settle(pilot, app)
        await wait_for(pilot, lambda: chronology.proposed == 8, "8 proposals left")
        # the store was released: a coder can take the data again
        CodingStore.open(report_db).close()


async def test_rasd_code_without_a_report_lists_them(report_db: Path) -> None:
    """No SOURCE_ID: the reports newest first with their counts; Enter codes the chosen one."""
    from textual.widgets import OptionList

    from tui.screens.report_picker import ReportPicker

    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, None)
        async with app.run_test(size=(80, 24)) as pilot:
            picker = await screen_of(pilot, app, ReportPicker, "the list")
            (report,) = picker.reports
            assert (report.proposed, report.coded, report.rejected) == (9, 0, 0)
            row = picker.query_one(OptionList).get_option_at_index(0).prompt
            assert "9 proposed" in str(row) and "0 coded" in str(row)
            await pilot.press("enter")
            screen = await coding_screen(pilot, app)
            assert screen.source_id == report.source_id
            await pilot.press("a")
            await wait_for(pilot, lambda: "accepted" in screen.status_text, "the save")
            await pilot.press("q")
            again = await screen_of(pilot, app, ReportPicker, "the list again")
            assert (again.reports[0].proposed, again.reports[0].coded) == (8, 1)


async def select_sentence(pilot, screen: CodingScreen, index: int) -> tuple[int, int]:
    """Select the `index`th sentence by motions (g, `)`, v, `)`, back one cell, v)."""
    report = screen.report
    await pilot.press("1", "g", *["right_parenthesis"] * index, "v", "right_parenthesis")
    await pilot.press("right" if screen.text[report.cursor - 1] == "\n" else "left", "v")
    assert report.selection is not None
    return report.selection


async def test_merge_split_new_and_place_from_the_selection(report_db: Path) -> None:
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await coding_screen(pilot, app)
            first, second = screen.items[0].event_id, screen.items[1].event_id
            # merge: mark the first, go to the second, M, save the merged form
            await pilot.press("2", "m")
            assert screen.marked == first
            await pilot.press("right_square_bracket", "M")
            await wait_for(pilot, lambda: screen.has_class("-form"), "the merge form")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "merged" in screen.status_text, screen.status_text)
            rows = {r["event_id"]: r for r in store.incidents(source_id)}
            assert rows[first]["status"] == "rejected" and rows[second]["status"] == "coded"
            assert rows[second]["span_start"] == rows[first]["span_start"]
            await pilot.press("u")
            await wait_for(pilot, lambda: "undone" in screen.status_text, "the undo")
            rows = {r["event_id"]: r for r in store.incidents(source_id)}
            assert rows[first]["status"] == rows[second]["status"] == "proposed"
            # split: a second incident from one sentence of the current one
            await pilot.press("2")
            await select_sentence(pilot, screen, 4)  # the sentence before the incident's
            await pilot.press("s")
            assert "own sentences" in screen.status_text and not screen.has_class("-form")
            # its first words: from the start of its sentence, two words on
            await pilot.press("1", "g", *["right_parenthesis"] * 5, "v", "w", "w", "left", "v")
            assert screen.report.selection is not None
            start, end = screen.report.selection
            whole = store.incident(str(screen.current))
            assert whole["span_start"] == start and end < whole["span_end"]
            await pilot.press("s")
            await wait_for(pilot, lambda: screen.has_class("-form"), "the split form")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "split from" in screen.status_text, screen.status_text)
            new = [r for r in store.incidents(source_id) if r["status"] == "coded"]
            assert [(r["span_start"], r["span_end"]) for r in new] == [(start, end)]
            rest = store.incident(whole["event_id"])  # the original keeps the rest of its span
            assert end <= rest["span_start"] < rest["span_end"] == whole["span_end"]
            assert not screen.text[rest["span_start"]].isspace()
            # N, then the place as written from a selection (L)
            start, end = await select_sentence(pilot, screen, 9)
            await pilot.press("N")
            await wait_for(pilot, lambda: screen.has_class("-form"), "the new form")
            await pilot.press("f2", "v", "w", "v")  # F2: the report, from a form field
            await pilot.press("L")
            word = screen.report.selection
            assert word is not None
            await wait_for(
                pilot,
                lambda: screen.form.value()["location_ar"] == screen.text[word[0] : word[1]],
                "location_ar from the selection",
            )
            await pilot.press("3")
            await focus(pilot, app, NOT_REPORTED)  # the extractor read no figure here
            await pilot.press("space")
            assert not screen.form.errors(), screen.form.errors()
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: screen.current not in (None, new[0]["event_id"]), "saved")
            saved = store.incident(str(screen.current))
            assert (saved["span_start"], saved["span_end"]) == (start, end)
            assert saved["location_ar"] == screen.text[word[0] : word[1]]
            assert saved["status"] == "coded" and saved["coded_by"] == "tester"


async def test_the_list_title_keeps_every_count_when_narrow(report_db: Path) -> None:
    """ "Incidents [2] · 9 proposed, 0 coded, 0 re…" cut a count at 100 columns: the title drops
    the zero counts and then words, never a number."""
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await coding_screen(pilot, app)
            titles = {}
            for width in (160, 100, 84):
                await pilot.resize_terminal(width, 40)
                await settle(pilot, app)
                listed = screen.incident_list
                titles[width] = title = str(listed.border_title)
                assert len(title) + 4 <= listed.size.width, (width, title)
            assert titles[160] == "Incidents [2] · 9 proposed, 0 coded, 0 rejected"
            assert titles[100] == "[2] 9 proposed, 0 coded, 0 rejected", titles
            await pilot.press("a")
            await wait_for(pilot, lambda: screen.items[0].status == "coded", "the accept")
            await settle(pilot, app)
            assert "8 prop" in str(screen.incident_list.border_title)
            assert "1 coded" in str(screen.incident_list.border_title)


async def test_edit_pressed_right_after_accept_edits(report_db: Path) -> None:
    """`a` then `e` before the store is read again: the screen had no current incident
    for that moment and said "no incident here"; the edit now waits for the read."""
    source_id = only_source(report_db)
    with CodingStore.open(report_db, user="tester") as store:
        app = CodingApp(store, source_id)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await coding_screen(pilot, app)
            first = screen.current
            await pilot.press("2")
            for key in ("a", "e"):  # both before the re-read is done
                app.post_message(events.Key(key, key))
            await wait_for(pilot, lambda: "accepted" in screen.status_text, "the accept")
            await settle(pilot, app)
            assert "no incident here" not in screen.status_text
            assert screen.has_class("-form") and screen.editing.event_id == first
