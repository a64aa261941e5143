"""`?` / F1: every key of every pane, as currently mapped (keymap.toml included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keymap import keymap_path
from tui.screens.once import DismissOnce
from tui.text.sanitize import sanitize

NAMED = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "backspace": "Backspace",
    "space": "Space",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "delete": "Del",
}


def key_display(name: str) -> str:
    """A key as printed on the keyboard: `?` not question_mark, Ctrl+P not ctrl+p, Esc, F1."""
    *mods, key = name.strip().split("+") if name.strip() != "+" else ["+"]
    if key in NAMED:
        shown = NAMED[key]
    elif len(key) > 1 and key[0] == "f" and key[1:].isdigit():
        shown = key.upper()
    else:
        shown = format_key(key)
        if mods and len(shown) == 1:
            shown = shown.upper()
    return "+".join([*(m.capitalize() for m in mods), shown])


def binding_rows(bindings: list[BindingType], keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(keys, description, id) for each declared binding, with user remaps applied."""
    rows = []
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        keys = keymap.get(item.id, item.key) if item.id else item.key
        shown = ", ".join(key_display(sanitize(k)) for k in keys.split(","))  # the user's keymap
        rows.append((shown, item.description or item.action, item.id or ""))
    return rows


def help_table(sections: list[tuple[str, list[BindingType]]], keymap: dict[str, str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim")
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "", "")
        for keys, description, binding_id in binding_rows(bindings, keymap):
            table.add_row(Text(keys), Text(description), Text(binding_id))
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None], DismissOnce):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }

    #help {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(
        self,
        sections: list[tuple[str, list[BindingType]]],
        keymap: dict[str, str],
        notes: list[str] | None = None,
    ):
        super().__init__()
        self.sections = sections
        self.keymap = keymap
        self.notes = notes or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", can_focus=True):
            yield Static(Text("rasd — keys", style="bold"))
            yield Static(help_table(self.sections, self.keymap))
            for note in self.notes:
                yield Static(Text(note))
            yield Static(
                Text(
                    f"Remap any key by its id in {keymap_path()} under [keys], "
                    'e.g. "chronology.reverse" = "R". Ctrl+P opens the command palette.',
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
