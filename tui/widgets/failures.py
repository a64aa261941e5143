"""A pane's failed query said by the app, as the app's own are.

Textual tells a worker's end only to the widget that started it (`Worker.StateChanged` does not
bubble), so a pane's query that failed on a locked, damaged or vanished database was said
nowhere: the list stayed at "counting…".
"""

from __future__ import annotations

from typing import cast

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState


class QueryFailed(Message):
    """A pane's worker ended in an error (the app says it; a superseded one it drops)."""

    def __init__(self, worker: Worker[object]) -> None:
        super().__init__()
        self.worker = worker


class SaysFailures:
    """Mixed into the panes that query (last of their bases: Textual takes a widget's styles
    from its first base that is one): their workers' failures bubble up as QueryFailed."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            cast("Widget", self).post_message(QueryFailed(event.worker))
