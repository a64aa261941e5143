"""The explorer's views and exports: save the filter and sort under a name, open a saved one,
choose the chronology's columns, and export what is shown (`e`), kept out of app.py, which
only composes and routes.

The export goes through db/export.py exactly as `rasd export` does, in a worker thread: the same
checks first (never over the database, a device or a FIFO; UTF-8 names only), the file written
whole or not at all, and the chronology's title says how far DuckDB has got while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from db.paths import utf8_name_problem
from db.queries import Filter
from db.safe_write import UnsafeTarget, check_target, database_files
from tui.column_memory import save_columns
from tui.text.sanitize import sanitize
from tui.views import View, load_views, save_view, valid_name
from tui.widgets.chronology import ChronologyView
from tui.widgets.chronology_columns import COLUMN_KEYS, parse_columns
from tui.widgets.pane import Pane

if TYPE_CHECKING:
    import duckdb
    from textual.app import App

    from tui.connection import StoreConnection

    _Base = App[int]
else:
    _Base = object

PROGRESS_EVERY = 0.25
"""Seconds between progress readings of a running export."""


def filter_kinds(f: Filter) -> list[str]:
    """The kinds of filter `f` holds, in the order Esc clears them last-first."""
    kinds: list[str] = []
    if f.region_path:
        kinds.append("region")
    if f.event_types:
        kinds.append("type")
    if f.actor:
        kinds.append("actor")
    if f.date_from or f.date_to:
        kinds.append("dates")
    if f.search:
        kinds.append("search")
    return kinds


class ViewActions(_Base):
    """Mixed into RasdApp: views (palette, `rasd --view`) and `e` (export the current view)."""

    store: StoreConnection
    filter: Filter
    filter_stack: list[str]
    _ask: Callable[..., None]

    def apply_view(self, view: View) -> None:
        """Show a saved view: its sort, then its filter (which reloads every pane); Esc then
        clears its filters one by one as if they had been typed."""
        self.filter_stack = filter_kinds(view.filter)
        chronology: ChronologyView = self.query_one(ChronologyView)
        chronology.set_reactive(ChronologyView.sort_key, view.sort.key)
        chronology.set_reactive(ChronologyView.order, view.sort.order)
        if view.filter != self.filter:
            self.filter = view.filter
        else:
            chronology.load(view.filter)

    def action_save_view(self) -> None:
        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            if not valid_name(text):
                self.notify(
                    "a view name is letters, digits, spaces, dots and dashes",
                    severity="warning",
                )
                return
            chronology: ChronologyView = self.query_one(ChronologyView)
            try:
                path = save_view(text, View(self.filter, chronology.sort))
            except OSError as exc:
                self.notify(f"view not saved: {exc.strerror}", severity="error", markup=False)
                return
            self.notify(
                f"view {sanitize(text.strip())!r} saved in {sanitize(str(path))}; "
                f"rasd --view {sanitize(text.strip())!r} opens it",
                markup=False,
            )

        self._ask("Save this filter and sort as:", "", "a name, e.g. mopti battles", done)

    def action_choose_columns(self) -> None:
        chronology: ChronologyView = self.query_one(ChronologyView)
        current = chronology.chosen_columns or COLUMN_KEYS

        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                keys = parse_columns(text)
            except ValueError as exc:
                self.notify(str(exc), severity="warning", markup=False)
                return
            chronology.chosen_columns = keys
            chronology.refresh()
            try:
                save_columns(keys)
            except OSError as exc:
                self.notify(f"columns not remembered: {exc.strerror}", severity="warning")

        self._ask(
            "Columns, in order (date country region place type actors fatalities claim):",
            " ".join(current),
            "e.g. date fatalities region type",
            done,
        )

    def saved_views(self) -> dict[str, View]:
        return load_views()

    def action_export(self) -> None:
        def done(text: str | None) -> None:
            if text is None or not text.strip():
                return
            self.start_export(Path(text.strip()).expanduser())

        # on first use: db.export imports DuckDB, which the first paint must not wait for
        from db.export import FORMATS

        formats = ", ".join(f".{f}" for f in FORMATS)
        self._ask(f"Export this view to ({formats}):", "", "e.g. ~/mopti.geojson", done)

    def start_export(self, out: Path) -> None:
        """Refuse what `rasd export` refuses, then write in a worker."""
        problem = utf8_name_problem(out)
        protect = database_files(self.store.path)
        if problem is None:
            try:
                check_target(out, protect=protect)
            except UnsafeTarget as exc:
                problem = str(exc)
        if problem:
            self.notify(f"not exported: {sanitize(problem)}", severity="error", markup=False)
            return
        from db.export import format_for

        fmt = format_for(out, None)
        self.notify(f"exporting to {sanitize(str(out))} as {fmt}…", markup=False)
        self._export(out, fmt, self.filter, protect)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, out: Path, fmt: str, f: Filter, protect: Any) -> None:
        from db.export import export, summary_line

        con = self.store.cursor()
        timer = self.call_from_thread(
            self.set_interval, PROGRESS_EVERY, lambda: self._show_progress(con)
        )
        try:
            result = export(con, f, out, fmt, protect=protect)
        except (ValueError, UnsafeTarget, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.call_from_thread(self._exported, timer, None, f"not exported: {reason}")
            return
        line = f"{result.path}: {summary_line(result, fmt)}"
        self.call_from_thread(self._exported, timer, result.path, line)

    def _show_progress(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            done = con.query_progress()
        except Exception:  # noqa: BLE001 - progress is a nicety; the export reports its own end
            return
        pane: Pane = self.query_one("#chronology-pane", Pane)
        base = pane.status.split(" · exporting")[0]
        if done >= 0:
            pane.status = f"{base} · exporting {done:.0f}%"

    def _exported(self, timer: Any, path: Path | None, line: str) -> None:
        timer.stop()
        pane: Pane = self.query_one("#chronology-pane", Pane)
        pane.status = pane.status.split(" · exporting")[0]
        self.notify(sanitize(line), severity="information" if path else "error", markup=False)
