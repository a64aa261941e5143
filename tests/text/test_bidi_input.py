"""Typed Arabic is kept logical, drawn shaped and ordered (as FriBidi draws it), caret in place."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App

from tests.explorer.conftest import screen_of
from tui.screens.palette_screen import SafeCommandPalette
from tui.screens.prompt import PromptScreen
from tui.text.input_view import field_view
from tui.widgets.bidi_input import BidiCommandInput, BidiInput

FRIBIDI = shutil.which("fribidi")
TYPED = ["نيورو", "سيكاسو Sikasso 12", "قتل 5 جنود (JNIM) في كايس", "Nioro نيورو", "لا"]


def fribidi(text: str) -> str:
    out = subprocess.run(
        [FRIBIDI or "fribidi", "--nopad", "--nobreak"],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # FriBidi keeps the string's length: a lam-alef ligature leaves U+FEFF in the alef's place
    return unicodedata.normalize("NFKC", out.rstrip("\n").replace("\ufeff", "")).strip()


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class PromptApp(App[None]):
    bidi_mode = "app"

    def on_mount(self) -> None:
        self.push_screen(PromptScreen("Search:", placeholder="e.g. نيورو or Nioro"))


def drawn(field: BidiInput | BidiCommandInput) -> str:
    return field.render_line(0).text


@pytest.mark.referee(FRIBIDI is not None, "GNU FriBidi (Debian libfribidi-bin)")
@pytest.mark.parametrize("typed", TYPED)
async def test_the_prompt_shows_typed_text_as_fribidi_does(typed: str) -> None:
    app = PromptApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        field = app.screen.query_one(BidiInput)
        for ch in typed:
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause()
        assert field.value == typed  # kept in logical order
        assert nfkc(drawn(field)) == fribidi(typed)
        assert not any(w in drawn(field) for w in typed.split() if not w.isascii())  # shaped


async def test_placeholder_is_shaped_and_ordered() -> None:
    app = PromptApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        line = drawn(app.screen.query_one(BidiInput))
        assert "نيورو" not in line and nfkc(line) == fribidi("e.g. نيورو or Nioro")


async def test_caret_editing_follows_logical_order_on_arabic() -> None:
    app = PromptApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        field = app.screen.query_one(BidiInput)
        for ch in "سيكاسو نيورو":
            await pilot.press("space" if ch == " " else ch)
        view = field_view(field.value, field.cursor_position)
        assert view.rtl and view.caret == 0  # at the end of RTL text: the blank cell at the left
        await pilot.press("home")
        assert field.cursor_position == 0
        view = field_view(field.value, 0)
        assert view.logical[view.caret] == 0 and view.caret == len(view.cells) - 1  # rightmost
        await pilot.press("ctrl+right")
        assert field.value[: field.cursor_position].strip() == "سيكاسو"
        await pilot.press("end", "backspace")
        assert field.value == "سيكاسو نيور"
        await pilot.press("left", "left", "delete")
        assert field.value == "سيكاسو نير"
        await pilot.press("home", "delete")
        assert field.value == "يكاسو نير"
        # the terminal's cursor sits on the caret's cell
        view = field_view(field.value, field.cursor_position)
        region = field.content_region
        pad = region.width - view.column(len(view.cells))
        assert field.cursor_screen_offset.x == region.x + pad + view.column(view.caret)


async def test_the_palette_field_shows_typed_arabic_as_fribidi_does(db_copy) -> None:
    from tui.app import RasdApp

    app = RasdApp(db_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        palette = await screen_of(pilot, app, SafeCommandPalette, "the palette")
        field = palette.query_one(BidiCommandInput)
        for ch in "سيكاسو":
            await pilot.press(ch)
        await pilot.pause()
        assert field.value == "سيكاسو"
        if FRIBIDI:
            assert nfkc(drawn(field)).startswith(fribidi("سيكاسو")) or fribidi("سيكاسو") in nfkc(
                drawn(field)
            )


LETTERS = st.text(st.sampled_from(list("سيكاولأ abc12()") + ["\u0651", "\u200d"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(LETTERS, st.data())
def test_every_caret_position_is_drawn_on_one_cell(value: str, data: st.DataObject) -> None:
    cursor = data.draw(st.integers(0, len(value)))
    view = field_view(value, cursor)
    assert 0 <= view.caret < len(view.cells)
    index = view.logical[view.caret]
    shown = [i for i in view.logical if i >= 0]
    # the caret's cell shows the first drawn character at or after the cursor, else the end
    assert index == min((i for i in shown if i >= cursor), default=-1)
    # a click on the caret's cell puts the cursor back before that character
    assert view.position_at(view.column(view.caret)) == (index if index >= 0 else view.end)
