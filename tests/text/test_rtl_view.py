"""The source view draws exactly the laid-out lines, re-lays out on resize, and highlights spans."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Offset
from textual.selection import Selection

from db.seed import source_text
from tui.text.layout import layout_text
from tui.widgets.rtl_view import RtlView

SEED = source_text("mali-weekly-2026-01-24.ar.txt")


class ViewApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield RtlView(self.text, id="view")


def drawn(view: RtlView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def test_draws_the_layout_at_its_content_width_and_reflows_on_resize() -> None:
    app = ViewApp(SEED)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(RtlView)
        width = view.scrollable_content_region.width
        assert width == 59  # one cell for the scrollbar
        expected = [line.text for line in layout_text(SEED, width)]
        assert [line.text for line in view.lines] == expected
        assert drawn(view) == expected[:20]
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        width = view.scrollable_content_region.width
        assert width == 39
        assert drawn(view) == [line.text for line in layout_text(SEED, 39)][:20]
        await pilot.press("G")
        await pilot.pause()
        assert drawn(view)[-1] == layout_text(SEED, 39)[-1].text


async def test_highlight_marks_exactly_the_span() -> None:
    start = SEED.index("وفي مساء اليوم التالي")
    end = SEED.index("بولاية كاي") + len("بولاية كاي")
    app = ViewApp(SEED)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(RtlView)
        view.set_text(SEED, (start, end))
        view.scroll_to_highlight()
        await pilot.pause()
        mark = view.get_component_rich_style("rtl-view--highlight", partial=True)
        top = round(view.scroll_offset.y)
        seen = set()
        for y in range(view.scrollable_content_region.height):
            line = view.lines[top + y]
            x = 0
            for segment in view.render_line(y):
                for ch in segment.text:
                    offset = line.offsets[x] if x < len(line.offsets) else -1
                    marked = bool(segment.style and segment.style.reverse) and mark.reverse
                    assert marked == (start <= offset < end), (y, x, ch)
                    if marked:
                        seen.add(offset)
                    x += 1
        assert seen and min(seen) == start


async def test_markup_and_escapes_in_text_are_shown_inert() -> None:
    text = "[bold]x[/bold] [@click=app.quit]y[/] \x1b[2J\x1b]52;c;aGk=\x07 نص"
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        first = drawn(app.query_one(RtlView))[0]
        assert "[bold]x[/bold]" in first and "[@click=app.quit]y[/]" in first
        assert "\x1b" not in first and "52;c" not in first


async def test_terminal_mode_shows_logical_text() -> None:
    text = "أعلنت الجماعة"
    app = ViewApp(text)
    async with app.run_test(size=(40, 5)) as pilot:
        view = app.query_one(RtlView)
        assert text not in drawn(view)[0]
        view.bidi_mode = "terminal"
        await pilot.pause()
        assert drawn(view)[0].startswith(text)


async def test_selection_copies_logical_text() -> None:
    text = "أعلنت الجماعة (JNIM) سيطرتها"
    app = ViewApp(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(RtlView)
        await pilot.pause()
        selected = view.get_selection(Selection(Offset(0, 0), Offset(60, 0)))
        assert selected is not None and selected[0] == text
        assert view.logical_text_of_lines(0, 0) == text


async def test_select_all_selects_the_whole_text_in_logical_order() -> None:
    app = ViewApp(SEED)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(RtlView)
        await pilot.pause()
        view.select_all()
        await pilot.pause()
        assert view.text_selection is not None
        assert app.screen.get_selected_text() == SEED.strip()
