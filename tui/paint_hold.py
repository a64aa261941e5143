"""Holding the screen's repaints from a filter change until its list and count are in.

A filter change (Enter on a region, a type, a date range) first clears the list and its count,
and Textual paints that in-between screen: a full repaint of every pane (30-50 ms of Python on
this 2-core machine at 120x40), while the list's query takes 6-7 ms. The frame the analyst
waits for, the new list with its count, then queued behind it. Held, the first frame after
the key is the answer. A query slower than LIMIT (a search over millions of notes) lets the
in-between screen ("counting…") show, as before: nothing waits on a hold for longer.

This is Textual's own `App.delay_update` (a batch ended by a timer), ended early when the
answer arrives: every part of it the hold waits for (the list's count; the map's counts when the
map is shown, else the map's dots came one or two frames after the list, 30-50 ms later).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

LIMIT = 0.06
"""Seconds a repaint may be held: under the 100 ms a key should take to show its answer."""


class PaintHold:
    """At most one hold at a time; ending it twice does nothing."""

    def __init__(self, app: App[Any], limit: float = LIMIT) -> None:
        self._app = app
        self._limit = limit
        self._timer: Timer | None = None
        self._waiting: set[str] = set()
        self._then: list[Callable[[], object]] = []

    @property
    def held(self) -> bool:
        return self._timer is not None

    def hold(self, *parts: str) -> None:
        """Hold repaints until every one of `parts` has `arrived` (or `release`), at most LIMIT
        seconds from the first hold; a hold already under way waits for these parts too."""
        self._waiting.update(parts)
        if self._timer is not None:
            return
        self._app._begin_batch()
        self._timer = self._app.set_timer(self._limit, self.release, name="paint-hold")

    def arrived(self, part: str) -> None:
        self._waiting.discard(part)
        if not self._waiting:
            self.release()

    def then(self, callback: Callable[[], object]) -> None:
        """`callback` after the frame that ends the hold (now, after the next frame, if none)."""
        if self._timer is None:
            self._app.call_after_refresh(callback)
        else:
            self._then.append(callback)

    def release(self) -> None:
        timer, self._timer = self._timer, None
        self._waiting.clear()
        if timer is None:
            return
        timer.stop()
        self._app._end_batch()
        if not self._app._batch_count:
            self._app.screen.refresh()  # as delay_update does: what changed while held
        then, self._then = self._then, []
        for callback in then:
            self._app.call_after_refresh(callback)
