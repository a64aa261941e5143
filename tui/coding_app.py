"""`rasd code`: an app holding only the coding screen (and the report picker before it).

The explorer opens the same CodingScreen from its Source pane; this app exists so that a coder
can go straight to a report, without the explorer's read-only connection open beside the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from db.sources import read_reports
from tui.keymap import load_keymap
from tui.screens.coding import CodingScreen
from tui.screens.report_picker import ReportPicker
from tui.terminal_modes import bidi_switch
from tui.text.layout import BidiMode

if TYPE_CHECKING:
    from db.coding import CodingStore


class CodingApp(App[int]):
    TITLE = "rasd code"
    ALLOW_IN_MAXIMIZED_VIEW = "KeyFooter"

    def __init__(
        self, store: CodingStore, source_id: str | None, bidi_mode: BidiMode = "app"
    ) -> None:
        super().__init__()
        self.store = store
        self.source_id = source_id
        self.bidi_mode = bidi_mode
        keymap, self.keymap_warning = load_keymap()
        self.user_keymap = keymap
        self.set_keymap(keymap)

    def on_mount(self) -> None:
        self._write_terminal(bidi_switch(self.bidi_mode))
        if self.keymap_warning:
            self.notify(self.keymap_warning, severity="warning", timeout=8, markup=False)
        if self.source_id is not None:
            self._open(self.source_id)
        else:
            self._pick()

    @work(thread=True, exclusive=True, group="reports", exit_on_error=False)
    def _pick(self) -> None:
        """The reports and their counts, read off the UI thread, then the list to choose from."""
        reports = read_reports(self.store.db_path)
        self.call_from_thread(self.push_screen, ReportPicker(reports, self.bidi_mode), self._picked)

    def _picked(self, source_id: str | None) -> None:
        if source_id is None:
            self.exit(0)
        else:
            self._open(source_id)

    def _open(self, source_id: str) -> None:
        self.push_screen(CodingScreen(self.store, source_id), lambda _saved: self._coded())

    def _coded(self) -> None:
        if self.source_id is None:  # back to the list, its counts read again
            self._pick()
        else:
            self.exit(0)

    def _write_terminal(self, sequence: str) -> None:
        driver = self._driver
        if driver is not None and not driver.is_headless:
            driver.write(sequence)
            driver.flush()

    async def action_quit(self) -> None:
        self._write_terminal(bidi_switch("terminal"))
        self.exit(0)
