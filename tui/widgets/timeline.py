"""Counts over time for the current filter: one aggregate query per filter change, drawn as bars."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.reactive import reactive
from textual.widget import Widget

from db.queries import Bucket, Filter, counts_over_time
from tui.connection import unless_superseded
from tui.status_forms import first_that_fits
from tui.widgets.failures import SaysFailures

if TYPE_CHECKING:
    from tui.connection import StoreConnection

BARS = " ▁▂▃▄▅▆▇█"


def resample(counts: list[int], width: int) -> list[int]:
    """Sum neighbouring buckets so that at most `width` bars remain (each bar a fixed stride)."""
    if len(counts) <= width or width <= 0:
        return counts
    stride = -(-len(counts) // width)
    return [sum(counts[i : i + stride]) for i in range(0, len(counts), stride)]


def bar_line(counts: list[int]) -> str:
    """One character per bucket; any non-zero count shows at least the lowest bar."""
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    steps = len(BARS) - 1
    return "".join(BARS[0] if n == 0 else BARS[max(1, round(n / top * steps))] for n in counts)


def period_label(day: dt.date, bucket: Bucket) -> str:
    if bucket == "year":
        return str(day.year)
    if bucket == "month":
        return day.strftime("%Y-%m")
    return day.isoformat()


def legend_forms(first: str, last: str, per: str, peak: int) -> tuple[str, ...]:
    """The line under the bars, fullest first: a narrow pane drops the bucket's words, then the
    peak, then the days and months of the span, and never shows a date cut ("2026-11-")."""
    span = f"{first} … {last}"
    forms = [f"{span} · per {per} · peak {peak:,}", f"{span} · peak {peak:,}", span]
    for size in (7, 4):  # 2026-11-30 → 2026-11 → 2026
        if len(first) > size and len(last) > size:
            forms.append(f"{first[:size]} … {last[:size]}")
    return tuple(dict.fromkeys(forms))


TASK = "timeline"
"""The store task of this pane's query (see tui/connection.py)."""


class Timeline(Widget, SaysFailures):
    """A sparkline of incidents per day, week, month or year, chosen by the span shown."""

    DEFAULT_CSS = """
    Timeline { height: 2; }
    """
    series: reactive[tuple[Bucket, list[tuple[dt.date, int]]] | None] = reactive(None)

    def __init__(self, store: StoreConnection, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.generation = 0

    def load(self, f: Filter, keep: bool = False) -> None:
        """Query `f`'s counts; with `keep`, what is shown (the cached first screen) stays until
        they come."""
        self.generation += 1
        if not keep:
            self.series = None
        self._query(self.generation, f)

    def supersede(self) -> None:
        """The filter changed: drop the old counts and stop their scan now, not at `load()`.

        The scan would otherwise share the cores with the chronology's query for the new filter.
        """
        self.generation += 1
        self.series = None
        self.store.interrupt(TASK)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _query(self, generation: int, f: Filter) -> None:
        with unless_superseded(lambda: generation == self.generation):
            series = counts_over_time(self.store.cursor(TASK, generation), f)
            self.app.call_from_thread(self._loaded, generation, series)

    def _loaded(self, generation: int, series: tuple[Bucket, list[tuple[dt.date, int]]]) -> None:
        if generation == self.generation:
            self.series = series

    def render(self) -> Text:
        width = max(self.content_region.width, 1)
        if self.series is None:
            return Text("counts over time: loading…", style="dim italic")
        bucket, points = self.series
        if not points:
            return Text("no incidents in this selection", style="dim italic")
        counts = resample([n for _, n in points], width)
        stride = -(-len(points) // max(len(counts), 1))
        first = period_label(points[0][0], bucket)
        last = period_label(points[-1][0], bucket)
        per = bucket if stride == 1 else f"{stride} {bucket}s"
        legend = first_that_fits(legend_forms(first, last, per, max(counts)), width)
        text = Text(bar_line(counts), style="bold", no_wrap=True, overflow="crop")
        text.append("\n")
        text.append(legend, style="dim")
        return text
