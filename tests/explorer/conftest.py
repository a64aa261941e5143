"""Explorer fixtures: the app on a private copy of the seed database, driven by the Pilot."""

from __future__ import annotations

from contextlib import suppress

from textual.worker import WorkerError

from tui.app import RasdApp
from tui.widgets.chronology import ChronologyView


async def settle(pilot, app: RasdApp, rounds: int = 40) -> None:
    """Wait until every worker has finished and the screen is repainted.

    A worker that failed or was cancelled (an interrupted query, a locked database) has finished
    too: `wait_for_complete` raises for it while it is still listed, so that is not a failure here.
    """
    for _ in range(rounds):
        await pilot.pause()
        with suppress(WorkerError):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause()


def chronology(app: RasdApp) -> ChronologyView:
    return app.query_one(ChronologyView)


def screen_text(app: RasdApp) -> str:
    """What a person sees: the screen's lines as plain text (the top screen, modals included)."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)
