"""Textual's command palette, guarded against two crashes found by rasd's monkey test.

Textual 8.2: PageUp/PageDown while the palette's list is being refilled raises KeyError in
OptionList._move_page (a stale highlighted index); a second Enter queued behind the first
dismisses the palette twice, popping the app's last screen; and a search finishing after the
palette closed looks for its list and fails. Until fixed upstream, the stale movement is
dropped, a second dismissal does nothing and a closed palette ignores late results.
"""

from __future__ import annotations

import contextlib

from textual import work
from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette
from textual.css.query import NoMatches

from tui.screens.once import DismissOnce
from tui.widgets.bidi_input import BidiCommandInput


class SafeCommandPalette(CommandPalette, DismissOnce):
    def compose(self) -> ComposeResult:
        """Textual's layout, with a field that shows typed Arabic shaped and ordered."""
        for widget in super().compose():
            if type(widget) is CommandInput:
                widget = BidiCommandInput(placeholder=self._placeholder, select_on_focus=False)
            yield widget

    def _action_command_list(self, action: str) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super()._action_command_list(action)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        if not self.is_attached or not self.query(CommandList):
            return
        with contextlib.suppress(NoMatches):
            await CommandPalette._gather_commands.__wrapped__(self, search_value)  # type: ignore[attr-defined]

    def _watch__list_visible(self) -> None:
        if self.is_attached and self.query(CommandList):  # the list is gone once dismissed
            super()._watch__list_visible()
