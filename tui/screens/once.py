"""Modal screens that close once: a key queued behind the closing key must not pop another screen.

A dismissal completes asynchronously, so the screen still looks current while a second Enter or
Escape arrives; that second dismissal would pop the screen beneath (the monkey test found it).
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.await_complete import AwaitComplete
from textual.screen import Screen


class DismissOnce(Screen[Any]):
    _rasd_dismissing = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._rasd_dismissing or not self.is_current:
            return AwaitComplete(asyncio.sleep(0))
        self._rasd_dismissing = True
        return super().dismiss(result)
