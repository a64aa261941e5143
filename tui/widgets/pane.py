"""A bordered pane holding one view; the zoom key maximizes it whole (title and all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Vertical
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

from tui.status_forms import fitted_title

if TYPE_CHECKING:
    from textual.widget import Widget as _WidgetBase
else:  # a plain mixin: a Widget base before the widget's own would hide its component classes
    _WidgetBase = object


class FittedTitle(_WidgetBase):
    """A border title "Label [key] · status" fitted to the width as drawn: every frame (the
    first, before any Resize, and each after a resize) gets the form that fits
    (tui.status_forms.fitted_title), not the long one cut ("Chronology [2] · 15…")."""

    _title = ""

    def title_parts(self) -> tuple[str, str, tuple[str, ...]]:
        """Label, key and the status's forms, fullest first."""
        raise NotImplementedError

    def render_lines(self, crop: Region) -> list[Strip]:
        self._retitle()
        return super().render_lines(crop)

    def _retitle(self) -> None:
        title = fitted_title(*self.title_parts(), self.size.width)
        if title != self._title:
            self._title = title
            self.border_title = Text(title)  # a Text: never read as markup


class Pane(FittedTitle, Vertical):
    """Its title is "Name [key] · status"; when that does not fit, the name gives way first,
    then the status's wording (`show_status`'s shorter forms).

    The status (a count, "counting…") is what changes and what the user reads, so a narrow
    pane shows "[2] 15,000 incidents" rather than "Chronology [2] · 15,0…", and "[2] date ↑ ·
    150,000" rather than "[2] by date ↑ · 150,0…".
    """

    ALLOW_MAXIMIZE = True
    status: reactive[str] = reactive("", layout=False)

    def __init__(self, label: str, key: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.label = label
        self.key = key
        self._forms: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self._retitle()

    def watch_status(self) -> None:
        self._retitle()

    def show_status(self, forms: tuple[str, ...]) -> None:
        """The status, fullest first, with the shorter forms a narrow pane may show instead
        (tui.status_forms); setting `status` alone (a passing "exporting 40%") has one form."""
        self._forms = forms
        self.status = forms[0] if forms else ""
        self._retitle()

    def title_parts(self) -> tuple[str, str, tuple[str, ...]]:
        forms = self._forms if self._forms[:1] == (self.status,) else (self.status,)
        return self.label, self.key, forms
