"""A one-line prompt at the bottom of the screen for search and filter values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from tui.screens.once import DismissOnce
from tui.widgets.bidi_input import BidiInput


class PromptScreen(ModalScreen[str | None], DismissOnce):
    """Enter returns the text; Esc returns None (nothing changes)."""

    DEFAULT_CSS = """
    PromptScreen {
        align: center bottom;
        background: $background 40%;
    }

    #prompt {
        height: auto;
        width: 1fr;
        border: round $accent;
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        suggestions: list[str] | None = None,
        on_focus: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__()
        self.on_focus = on_focus
        """Called once the field has focus: the app replays the keys typed ahead into it."""
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.title_text, id="prompt-title", markup=False)
            suggester = None
            if self.suggestions:
                suggester = SuggestFromList(self.suggestions, case_sensitive=False)
            yield BidiInput(self.value, placeholder=self.placeholder, suggester=suggester)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(BidiInput))
        if self.on_focus is not None:
            self.call_later(self.on_focus)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
