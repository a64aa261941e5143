"""A bordered pane holding one view; the zoom key maximizes it whole (title and all)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Vertical
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

# Border corners and the spaces Textual puts around a border title.
TITLE_MARGIN = 4


class Pane(Vertical):
    """Its title is "Name [key] · status"; when that does not fit, the name gives way first.

    The status (a count, "counting…") is what changes and what the user reads, so a narrow
    pane shows "[2] 15,000 incidents" rather than "Chronology [2] · 15,0…".
    """

    ALLOW_MAXIMIZE = True
    status: reactive[str] = reactive("", layout=False)

    def __init__(self, label: str, key: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.label = label
        self.key = key
        self._title = ""

    def on_mount(self) -> None:
        self._retitle()

    def watch_status(self) -> None:
        self._retitle()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Fitted to the width as drawn: every frame (the first, before any Resize, and each
        after a resize) gets the title that fits, not the long one cut ("Chronology [2] · 15…")."""
        self._retitle()
        return super().render_lines(crop)

    def _retitle(self) -> None:
        full = f"{self.label} [{self.key}]"
        if self.status:
            full = f"{full} · {self.status}"
            if self.size.width and cell_len(full) > self.size.width - TITLE_MARGIN:
                full = f"[{self.key}] {self.status}"
        if full != self._title:
            self._title = full
            self.border_title = Text(full)  # a Text: never read as markup
