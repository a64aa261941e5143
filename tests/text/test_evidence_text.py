"""The evidence text on screen: the selection and the highlights sit on exactly the cells of their
characters (read back from the composited screen), at widths 40 to 120, for Arabic, Latin and
mixed lines; its keys move in reading order; it stays fast on a 20,000-word report."""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from rich.cells import get_character_cell_size
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region

from db.extract.sentences import split_sentences
from db.seed import source_text
from tui.text._unicode_tables import MIRRORS
from tui.text.layout import layout_text
from tui.text.selection import cluster_end, cluster_start, next_word, span
from tui.widgets.evidence_text import EvidenceText

SEED = source_text("mali-weekly-2026-01-24.ar.txt")
LATIN = (
    "The digest (datelined Bamako) says JNIM lost 5 fighters near Sikasso on 18/01/2026, "
    "a claim the army denied in a statement read on national television that evening."
)
MIXED = (
    "وقال المتحدث باسم JNIM أبو عبد الله إن 12 جنديا قتلوا قرب Sikasso يوم 18 يناير 2026، "
    "ونشرت قناة Az-Zallaqa صورا لما قالت إنه (غنائم) الهجوم."
)
TEXT = SEED.rstrip("\n") + "\n" + LATIN + "\n" + MIXED + "\n"
WIDTHS = (40, 57, 80, 103, 120)
FOLD = {ord(a): ord(min(a, b)) for a, b in MIRRORS.items()}


def around(text: str, first: str, last: str, start: int = 0) -> tuple[int, int]:
    """[start of `first`, end of `last`) in TEXT, whole clusters."""
    a = text.index(first, start)
    b = text.index(last, a) + len(last)
    return a, b


SELECTIONS = {
    # harakat (تمثّل), lam-alef (الإسلام), a Latin acronym in brackets, over several rows
    "arabic": around(TEXT, "تصعيدًا", "(JNIM)"),
    "arabic-short": around(TEXT, "الإسلام", "الإسلام"),
    "latin": around(TEXT, "(datelined", "JNIM lost"),
    "mixed": around(TEXT, "JNIM أبو", "Sikasso", TEXT.index(MIXED)),
    "mixed-numbers": around(TEXT, "12 جنديا", "2026،", TEXT.index(MIXED)),
    "mixed-brackets": around(TEXT, "Az-Zallaqa", "(غنائم)", TEXT.index(MIXED)),
}


class EvidenceApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.changes: list[tuple[int, int] | None] = []

    def compose(self) -> ComposeResult:
        yield EvidenceText(self.text, id="evidence")

    def on_evidence_text_selection_changed(self, event: EvidenceText.SelectionChanged) -> None:
        self.changes.append(event.selection)


def screen_cells(app: App, width: int) -> dict[tuple[int, int], tuple[str, Style]]:
    """(y, x) → (what is drawn there, marks included; its style), from the composited screen,
    left of the scrollbar (`width` cells)."""
    out: dict[tuple[int, int], tuple[str, Style]] = {}
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            style = segment.style or Style()
            for ch in segment.text:
                size = get_character_cell_size(ch)
                if size == 0 and (y, x - 1) in out:
                    drawn, first = out[(y, x - 1)]
                    assert style == first, "a mark drawn in another style than its letter"
                    out[(y, x - 1)] = (drawn + ch, first)
                    continue
                for dx in range(size):
                    out[(y, x + dx)] = (ch, style)
                x += size
    return {c: v for c, v in out.items() if c[1] < width}


def expected_cells(text: str, width: int, top: int, height: int, start: int, end: int):
    """Cells of [start, end) from the layout's own per-character offsets (not the CellMap): a
    cell is selected when the first character drawn in it (its letter; a ligature shows the
    lam) is in the range; the screen row is the layout row less the scroll."""
    cells: set[tuple[int, int]] = set()
    for index, line in enumerate(layout_text(text, width)[top : top + height]):
        x = 0
        for ch, offset in zip(line.text, line.offsets, strict=True):
            size = get_character_cell_size(ch)
            if size and start <= offset < end:
                cells.update((index, x + dx) for dx in range(size))
            x += size
    return cells


def letters(text: str) -> Counter[str]:
    """What a run of text or cells shows, as base letters: spaces, joiners, marks kept apart."""
    return Counter(
        c
        for c in unicodedata.normalize("NFKC", text).translate(FOLD)
        if not c.isspace() and unicodedata.category(c) != "Cf"
    )


@pytest.mark.parametrize("width", WIDTHS)
async def test_selection_is_highlighted_on_exactly_its_cells(width: int) -> None:
    app = EvidenceApp(TEXT)
    async with app.run_test(size=(width, 40)) as pilot:
        view = app.query_one(EvidenceText)
        view.focus()
        content = view.scrollable_content_region.width
        assert content == width - 1
        for name, (start, end) in SELECTIONS.items():
            view.select_range(start, end)
            view.move_to(start)  # the cursor on the start, its row near the top
            view.scroll_to(y=view.cell_map.row_of(start) - 1, animate=False, immediate=True)
            await pilot.pause()
            assert view.selection == (start, end), name
            top = round(view.scroll_offset.y)
            height = view.scrollable_content_region.height
            cells = screen_cells(app, view.scrollable_content_region.width)
            selected = {(y, x) for (y, x), (_, s) in cells.items() if s.reverse}
            expected = expected_cells(TEXT, content, top, height, start, end)
            rows = {y for y, _ in expected}
            assert max(rows) < height - 1, f"{name}: the selection runs off the screen"
            assert selected == expected, (name, width, sorted(selected ^ expected)[:8])
            # the same cells through the widget's own map
            assert {(y - top, x) for y, x in view.cell_map.cells_in(start, end)} == expected
            # and they show the selected characters, no more, no fewer (glyphs, NFKC)
            shown = "".join(cells[c][0] for c in sorted(expected) if c[1] < content)
            dropped = [k for k in range(start, end) if TEXT[k] == " "]
            assert letters(shown) == letters(TEXT[start:end]), (name, width, len(dropped))
            # the cursor is one of the selected cells, drawn bold and underlined too
            cursor = {c for c in selected if cells[c][1].underline and cells[c][1].bold}
            assert cursor and cursor <= expected
        if width <= 57:  # the long Arabic selection straddles wraps: it is on several rows
            start, end = SELECTIONS["arabic"]
            view.select_range(start, end)
            view.move_to(start)
            await pilot.pause()
            assert len({y for y, _ in view.cell_map.cells_in(start, end)}) >= 3


@pytest.mark.parametrize("width", (40, 80, 120))
async def test_selection_made_by_keys_matches_the_cells(width: int) -> None:
    app = EvidenceApp(TEXT)
    async with app.run_test(size=(width, 30)) as pilot:
        view = app.query_one(EvidenceText)
        view.focus()
        start = TEXT.index("JNIM أبو")
        view.move_to(start)
        await pilot.press("v", "w", "w", "w", "w", "w", "w")
        end = start
        for _ in range(6):
            end = next_word(TEXT, end)
        assert view.cursor == end
        await pilot.press("v")  # ends the selection: it stays for the screen's N
        await pilot.pause()
        assert view.selection == span(start, end, TEXT) and not view.visual
        assert app.changes[-1] == view.selection
        top = round(view.scroll_offset.y)
        cells = screen_cells(app, view.scrollable_content_region.width)
        selected = {c for c, (_, s) in cells.items() if s.reverse}
        lo, hi = span(start, end, TEXT)
        height = view.scrollable_content_region.height
        assert selected == expected_cells(TEXT, width - 1, top, height, lo, hi)
        await pilot.press("escape")
        await pilot.pause()
        assert view.selection is None and app.changes[-1] is None
        assert not any(
            s.reverse and not s.underline
            for _, s in screen_cells(app, view.scrollable_content_region.width).values()
        )


async def test_motions_follow_reading_order_and_the_screen() -> None:
    app = EvidenceApp(TEXT)
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(EvidenceText)
        view.focus()
        await pilot.press("w")
        assert view.cursor == next_word(TEXT, 0)  # forward in Arabic: leftwards on screen
        first, second = view.cell_map.cursor_cell(0), view.cell_map.cursor_cell(view.cursor)
        assert first is not None and second is not None
        assert first[0] == second[0] and second[1] < first[1]
        await pilot.press("b")
        assert view.cursor == 0
        await pilot.press("left")  # left in an Arabic row: the next letter
        assert view.cursor == 1
        await pilot.press("l")
        assert view.cursor == 0
        starts = [s.start for s in split_sentences(TEXT)]
        await pilot.press("right_parenthesis", "right_parenthesis")
        assert view.cursor == starts[2]
        await pilot.press("left_parenthesis")
        assert view.cursor == starts[1]
        await pilot.press("dollar_sign")
        row = view.cell_map.row(view.cell_map.row_of(starts[1]))
        assert view.cursor == cluster_start(TEXT, row.hi - 1)
        await pilot.press("0")
        assert view.cursor == row.lo
        await pilot.press("j")
        assert view.cell_map.row_of(view.cursor) == view.cell_map.row_of(row.lo) + 1
        await pilot.press("G")
        assert cluster_end(TEXT, view.cursor) == len(TEXT.rstrip())
        assert round(view.scroll_offset.y) > 0  # the cursor is kept in view
        where = view.cell_map.cursor_cell(view.cursor)
        assert where is not None
        y = where[0]
        top = round(view.scroll_offset.y)
        assert top <= y < top + view.scrollable_content_region.height
        latin = TEXT.index("The digest")
        view.move_to(latin)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert view.selection == (latin, latin + 4)  # "The " and the cursor's letter
        await pilot.press("shift+left")
        assert view.selection == (latin, latin + 3)
        await pilot.press("g")
        assert view.cursor == 0 and view.selection == (latin, latin + 3)  # kept for N


async def test_evidence_highlights_are_told_apart_without_colour(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = EvidenceApp(TEXT)
    date = around(TEXT, "الخميس", "2026")
    place = around(TEXT, "مدينة", "سيكاسو", date[0])
    incident = around(TEXT, "في تطور", "الجنوبي.")
    async with app.run_test(size=(80, 40)) as pilot:
        view = app.query_one(EvidenceText)
        view.set_highlights({"event_date": [date], "location": [place]})
        view.set_incident(incident)
        view.move_to(incident[0])
        await pilot.pause()
        top = round(view.scroll_offset.y)
        height = view.scrollable_content_region.height
        cells = screen_cells(app, view.scrollable_content_region.width)
        for flag, (a, b) in (("underline", date), ("italic", place), ("bold", incident)):
            marked = {c for c, (_, s) in cells.items() if getattr(s, flag) and not s.reverse}
            want = expected_cells(TEXT, 79, top, height, a, b)
            cursor = next(c for c, (_, s) in cells.items() if s.reverse)
            assert marked - {cursor} == want - {cursor}, flag
        assert view.label_style("location").italic and view.label_style("event_date").underline


def long_report(words: int) -> str:
    """`words` words in the seed's register, shuffled so no paragraph repeats (no layout cache
    shared between them)."""
    rng = random.Random(7)
    vocabulary = SEED.split()
    lines, count = [], 0
    while count < words:
        n = rng.randint(20, 90)
        lines.append(" ".join(rng.choice(vocabulary) for _ in range(n)))
        count += n
    return "\n".join(lines)


def calls_made(step: Callable[[], object]) -> int:
    """Python and C function calls made by `step`: the work a key does, counted the same on any
    machine (a timed test failed CI on a 0.3 s pause of a busy, 2-core runner)."""
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        step()
    finally:
        sys.setprofile(None)
    return calls


def press(view: EvidenceText, action: Callable[[str], None], motion: str) -> None:
    """A key's action and the repaint of the rows in view."""
    action(motion)
    view.render_lines(Region(0, 0, view.size.width, view.size.height))


async def test_a_key_costs_the_same_on_a_20000_word_report() -> None:
    """Each key costs the motion and the repaint of the visible rows, not the report's length:
    a key on a report 34 times the seed's length does at most a few times the seed's work (a
    walk over the report's words or rows would be tens of times more)."""
    work: dict[str, dict[str, int]] = {}
    for name, text in (("seed", TEXT), ("long", long_report(20_000))):
        app = EvidenceApp(text)
        async with app.run_test(size=(100, 40)) as pilot:
            view = app.query_one(EvidenceText)
            view.focus()
            view.move_to(len(text) // 2)
            await pilot.pause()
            work[name] = {}
            for motion in ("word", "word_back", "sentence", "sentence_back", "down", "up"):
                for action in (view.action_move, view.action_extend):
                    key = partial(press, view, action, motion)
                    work[name][f"{action.__name__} {motion}"] = calls_made(key)
    assert len(long_report(20_000)) > 30 * len(TEXT)
    seed = max(work["seed"].values())
    assert seed > 1000  # the count saw the repaint
    assert all(calls < 3 * seed for calls in work["long"].values()), work


async def test_keys_remap_by_binding_id_and_a_click_moves_the_cursor() -> None:
    app = EvidenceApp(TEXT)
    async with app.run_test(size=(80, 20)) as pilot:
        app.set_keymap({"evidence.word": "e"})
        view = app.query_one(EvidenceText)
        view.focus()
        await pilot.press("e")
        assert view.cursor == next_word(TEXT, 0)
        ids = {b.id for b in EvidenceText.BINDINGS if isinstance(b, Binding)}
        assert {"evidence.visual", "evidence.sentence", "evidence.extend_right"} <= ids
        target = TEXT.index("مالي")
        where = view.cell_map.cursor_cell(target)
        assert where is not None
        await pilot.click(EvidenceText, offset=(where[1], where[0]))
        assert view.cursor == target and view.selection is None


async def test_escape_with_nothing_selected_goes_on_to_the_app() -> None:
    class Outer(EvidenceApp):
        BINDINGS = [Binding("escape", "outer", "Back")]
        outer = 0

        def action_outer(self) -> None:
            self.outer += 1

    app = Outer(TEXT)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(EvidenceText)
        view.focus()
        await pilot.press("v", "w", "escape")
        assert view.selection is None and app.outer == 0  # Esc cleared the selection
        await pilot.press("escape")
        assert app.outer == 1  # nothing to clear: the app's Esc
