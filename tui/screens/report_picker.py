"""`rasd code` with no report named: the reports, newest first, with how far each is coded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from db.queries import ReportOverview
from tui.text.layout import BidiMode, display_inline
from tui.widgets.cells import fit
from tui.widgets.footer import KeyFooter
from tui.widgets.option_rows import row_width


def report_row(report: ReportOverview, mode: BidiMode, width: int = 0) -> Text:
    """`2026-01-24  3 proposed  6 coded  <title>` on one line of `width` cells (when known).

    The title is fitted (`fit`: cut at its logical end, at a word's end in Arabic), not
    wrapped: wrapped after it was put in visual order, an Arabic title's end came on the first
    line and its start on the second, so the rows read in the wrong order.
    """
    day = report.published.isoformat() if report.published else "????-??-??"
    text = Text(f"{day}  ", style="bold", no_wrap=True, overflow="ellipsis")
    text.append(f"{report.proposed:>3} proposed ", style="italic" if report.proposed else "dim")
    text.append(f"{report.coded:>3} coded  ")
    room = width - text.cell_len
    if width <= 0:
        text.append(display_inline(report.title, mode))
    elif room > 0:
        text.append(fit(report.title, room, mode).rstrip())
    return text


def _options(reports: Sequence[ReportOverview], mode: BidiMode, width: int) -> list[Option]:
    return [Option(report_row(r, mode, width), id=r.source_id) for r in reports]


class ReportList(OptionList):
    """The reports, one line each, fitted again when the width changes."""

    def __init__(self, reports: Sequence[ReportOverview], mode: BidiMode, **kwargs: Any) -> None:
        # there from the start (a key or a reader before the first layout finds them), fitted
        # once the width is known
        super().__init__(*_options(reports, mode, 0), **kwargs)
        self.reports = list(reports)
        self.mode = mode

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        width = row_width(self, len(self.reports))
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(_options(self.reports, self.mode, width))
        if self.reports:
            self.highlighted = min(highlighted or 0, len(self.reports) - 1)


class ReportPicker(Screen[str | None]):
    """Enter opens the highlighted report; q leaves rasd."""

    DEFAULT_CSS = """
    ReportPicker #reports { height: 1fr; border: round $accent; }
    ReportPicker #reports-help { height: 1; padding: 0 1; background: $panel; }
    """
    BINDINGS = [Binding("q,escape", "leave", "Quit", id="reports.quit")]
    AUTO_FOCUS = "#reports"

    def __init__(self, reports: Sequence[ReportOverview], mode: BidiMode = "app") -> None:
        super().__init__()
        self.reports = list(reports)
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical():
            picker = ReportList(self.reports, self.mode, id="reports")
            picker.border_title = f"Reports ({len(self.reports)}), newest first"
            yield picker
            message = "Enter: code this report · q: quit"
            if not self.reports:
                message = "no reports: `rasd import report FILE` adds one"
            yield Static(message, id="reports-help", markup=False)
        yield KeyFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_leave(self) -> None:
        self.dismiss(None)
