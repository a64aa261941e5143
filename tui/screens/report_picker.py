"""`rasd code` with no report named: the reports, newest first, with how far each is coded."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from db.queries import ReportOverview
from tui.text.layout import BidiMode, display_inline
from tui.widgets.footer import KeyFooter


def report_row(report: ReportOverview, mode: BidiMode) -> Text:
    """`2026-01-24  3 proposed  6 coded  <title>` (the title is data: a Text, sanitized)."""
    day = report.published.isoformat() if report.published else "????-??-??"
    text = Text(f"{day}  ", style="bold")
    text.append(f"{report.proposed:>3} proposed ", style="italic" if report.proposed else "dim")
    text.append(f"{report.coded:>3} coded  ")
    text.append(display_inline(report.title, mode))
    return text


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
            picker = OptionList(
                *(Option(report_row(r, self.mode), id=r.source_id) for r in self.reports),
                id="reports",
            )
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
