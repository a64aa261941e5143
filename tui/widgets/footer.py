"""The key footer: one line of text, redrawn only when the keys it shows change.

Textual's Footer (8.2) is a container of FooterKey widgets and recomposes (removes and mounts
every one) each time the screen publishes `bindings_updated`. Moving to a pane with other keys
cost 20-45 ms of mounting and restyling, and then a layout of the whole screen (35-70 ms at
120x40): about 80 ms of every `1`-`4` and Tab, during which the pane's own query waited for
Python (the map's first showing took 275 ms). This footer is a single widget: a change of keys
is a repaint of one line.

It looks and acts as Textual's (non-compact) footer: ` key description ` per action, the
first binding of each, dimmed when disabled, highlighted under the mouse, a click presses the
key. Only keys that fit whole are shown (Textual clipped the row mid-word under the palette
key: `a Acto▏^p palette`), and Ctrl+P, on the right, always shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

SEPARATOR = "▏"
"""Before the command palette's key (Textual's `border-left: vkey`)."""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    """The key pressed when it is clicked (the binding's first key)."""
    key_display: str
    description: str
    enabled: bool

    def parts(self) -> tuple[str, str]:
        """(the key, the description) as drawn: ` key `, `description `."""
        return f" {self.key_display} ", f"{self.description} " if self.description else ""

    def palette_parts(self) -> tuple[str, str]:
        """The palette key as Textual draws it after its border: unpadded, then ` description`
        (and a blank cell)."""
        return self.key_display, f" {self.description}" if self.description else ""

    @property
    def label(self) -> str:
        return "".join(self.parts())


class KeyFooter(Widget, can_focus=False):
    """The screen's shown keys on one line, Ctrl+P docked right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .footer-key--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .footer-key--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .footer-key--hover {
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    KeyFooter > .footer-key--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: tuple[FooterItem, ...] = ()
        """The shown keys, in order, before fitting (the palette's not among them)."""
        self.palette: FooterItem | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []
        """(first cell, end cell, item) of each key drawn, for the mouse."""
        self._hover: FooterItem | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_bindings()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        """The keys to show, from the screen's active bindings (one per action, as Textual's)."""
        app = self.app
        items: list[FooterItem] = []
        actions: set[str] = set()
        palette = None
        for _, binding, enabled, _tooltip in self.screen.active_bindings.values():
            item = FooterItem(
                binding.key, app.get_key_display(binding), binding.description, enabled
            )
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = item
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                items.append(item)
        if (tuple(items), palette) != (self.items, self.palette):
            self.items, self.palette = tuple(items), palette
            self.refresh()

    def shown(self) -> list[FooterItem]:
        """The keys that fit whole beside the palette's, from the first (the rest are hidden)."""
        room = self.size.width - self._palette_width()
        out, used = [], 0
        for item in self.items:
            used += len(item.label)
            if used > room:
                break
            out.append(item)
        return out

    def _palette_width(self) -> int:
        if self.palette is None:
            return 0
        return len(SEPARATOR) + len("".join(self.palette.palette_parts())) + 1

    def render(self) -> Text:
        width = self.size.width
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, FooterItem]] = []
        for item in self.shown():
            start = len(text)
            self._append(text, item, *item.parts())
            spans.append((start, len(text), item))
        if self.palette is not None:
            text.append(" " * max(width - len(text) - self._palette_width(), 0))
            text.append(SEPARATOR, self.get_component_rich_style("footer-key--separator"))
            start = len(text)
            self._append(text, self.palette, *self.palette.palette_parts())
            text.append(" ")
            spans.append((start, len(text), self.palette))
        self._spans = spans
        return text

    def _append(self, text: Text, item: FooterItem, key: str, rest: str) -> None:
        dim = Style(dim=not item.enabled)
        if item == self._hover and item.enabled:
            text.append(key + rest, self.get_component_rich_style("footer-key--hover") + dim)
            return
        text.append(key, self.get_component_rich_style("footer-key--key") + dim)
        text.append(rest, self.get_component_rich_style("footer-key--description") + dim)

    def _item_at(self, x: int) -> FooterItem | None:
        return next((item for start, end, item in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._item_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
