"""The key footer, rebuilt only when the keys it shows change.

Textual's Footer (8.2) recomposes (removes and mounts every FooterKey) each time the screen
publishes `bindings_updated`: on every focus change, every modal pushed or popped, every time
the terminal gains focus. Moving between panes whose footer keys are the same paid for that on
every key (a quarter of the monkey test's time went to `FooterKey` mounts and their
`_watch_compact`), and the replaced keys pile up until collected. This footer remembers what
its keys were drawn from and recomposes only when that differs; a burst of focus changes is
folded into one check after the next refresh.

It also shows only the keys that fit whole: Textual clips the row mid-word under the command
palette key (`a Acto▏^p palette`); here the keys that do not fit are hidden from the first that
would be cut, and Ctrl+P, docked right, always shows.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class StableFooter(Footer):
    """A Footer that skips recomposing when the shown keys, labels and states are unchanged."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn: Hashable | None = None
        """What the current keys were composed from (None: nothing composed yet)."""
        self._check_pending = False

    def drawn_from(self) -> Hashable:
        """Everything Footer.compose reads from the screen's bindings, in order."""
        app = self.app
        shown = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                id(binding.group) if binding.group is not None else None,
                binding.group.compact if binding.group is not None else None,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        return (shown, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        drawn = self.drawn_from()
        if drawn == self._drawn:
            return
        self._drawn = drawn
        await self.recompose()
        self._show_all_then_fit()

    def on_resize(self) -> None:
        self._show_all_then_fit()

    def _items(self) -> tuple[list[Widget], list[Widget]]:
        """(the keys and groups in order, the docked command palette key)."""
        items = list(self.children)
        palette = [w for w in items if w.has_class("-command-palette")]
        return [w for w in items if w not in palette], palette

    def _show_all_then_fit(self) -> None:
        """Every key shown to be measured, then those past the room hidden (after a refresh)."""
        for item in self._items()[0]:
            item.display = True
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        items, palette = self._items()
        room = self.size.width - sum(w.outer_size.width for w in palette)
        used, fits = 0, True
        for item in items:
            used += item.outer_size.width
            fits = fits and used <= room
            item.display = fits
