"""A text field with suggestions under it: pick a known name by keyboard, or keep what you typed.

The incident form's actor, source-scale and place fields. Typing shows up to eight suggestions
(the caller decides what matches: ACLED actor names by Arabic or Latin word beginnings, gazetteer
places); Down/Up move through them, Enter takes the highlighted one, Esc closes the list. Free text
stays valid: Tab leaves the field with whatever it holds. A slow look-up (the gazetteer's 15,000
places, ~30 ms) runs in a thread worker so typing never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.text.layout import display_inline
from tui.widgets.bidi_input import BidiInput

MAX_SUGGESTIONS = 8


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One offered choice: what the list shows, what the field takes, and what it stands for."""

    label: str
    value: str
    data: object = None
    """The caller's record (a gazetteer Place, an actor type) handed back in Picked."""


Suggest = Callable[[str], Sequence[Suggestion]]


class PickerInput(BidiInput):
    """The field of a Picker: its keys act on the suggestion list while the list is open."""

    BINDINGS = [
        Binding("down", "move(1)", "Next suggestion", show=False, id="picker.next"),
        Binding("up", "move(-1)", "Previous suggestion", show=False, id="picker.previous"),
        Binding("escape", "close", "Close suggestions", show=False, id="picker.close"),
    ]

    @property
    def picker(self) -> Picker:
        parent = self.parent
        assert isinstance(parent, Picker)
        return parent

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "close"):
            return self.picker.is_open  # closed: Esc and arrows go on to the form
        return True

    def action_move(self, step: int) -> None:
        self.picker.move(step)

    def action_close(self) -> None:
        self.picker.close()

    async def action_submit(self) -> None:
        """Enter takes the highlighted suggestion; with the list closed it submits as usual."""
        if self.picker.is_open:
            self.picker.pick_highlighted()
            return
        await super().action_submit()


class Picker(Vertical):
    """A PickerInput and its suggestion list (shown only while there is something to offer)."""

    DEFAULT_CSS = """
    Picker { height: auto; width: 1fr; }
    Picker > OptionList { display: none; max-height: 8; height: auto; border: none; padding: 0; }
    Picker.-open > OptionList { display: block; }
    """

    class Picked(Message):
        """A suggestion was taken (the field already holds its value)."""

        def __init__(self, picker: Picker, suggestion: Suggestion) -> None:
            super().__init__()
            self.picker = picker
            self.suggestion = suggestion

        @property
        def control(self) -> Picker:
            return self.picker

    def __init__(
        self,
        suggest: Suggest,
        *,
        placeholder: str = "",
        threaded: bool = False,
        id: str | None = None,  # noqa: A002 - Textual's name
        input_id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._suggest = suggest
        self._threaded = threaded
        self._placeholder = placeholder
        self._input_id = input_id
        self._offered: list[Suggestion] = []
        self._taken: str | None = None
        """The value last picked: its own Changed event must not reopen the list."""

    def compose(self) -> ComposeResult:
        yield PickerInput(placeholder=self._placeholder, compact=True, id=self._input_id)
        options = OptionList()
        options.can_focus = False
        yield options

    @property
    def input(self) -> PickerInput:
        return self.query_one(PickerInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def offered(self) -> list[Suggestion]:
        """What the list offers now (empty when closed)."""
        return list(self._offered) if self.is_open else []

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is not self.input:
            return
        if not self.input.has_focus or event.value == self._taken or not event.value.strip():
            self.close()
            return
        self._taken = None
        if self._threaded:
            self._look_up(event.value)
        else:
            self._offer(event.value, list(self._suggest(event.value))[:MAX_SUGGESTIONS])

    @work(thread=True, exclusive=True, group="picker")
    def _look_up(self, text: str) -> None:
        found = list(self._suggest(text))[:MAX_SUGGESTIONS]
        self.app.call_from_thread(self._offer, text, found)

    def _offer(self, text: str, found: list[Suggestion]) -> None:
        if text != self.input.value or not self.input.has_focus:
            return  # typed on (or left) since: a newer look-up is coming
        self._offered = found
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Text(display_inline(s.label))) for s in found)
        self.set_class(bool(found), "-open")
        if found:
            options.highlighted = 0

    def move(self, step: int) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._offered) - 1, current + step))

    def close(self) -> None:
        self.remove_class("-open")

    def pick_highlighted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self._offered):
            self.close()
            return
        self.pick(self._offered[index])

    def pick(self, suggestion: Suggestion) -> None:
        """Take a suggestion as if chosen from the list (the form's tests and the screen use it)."""
        self._taken = suggestion.value
        self.input.value = suggestion.value
        self.input.cursor_position = len(suggestion.value)
        self.close()
        self.post_message(self.Picked(self, suggestion))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._offered):
            self.pick(self._offered[event.option_index])

    def on_descendant_blur(self) -> None:
        self.close()
