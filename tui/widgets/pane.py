"""A bordered pane holding one view; the zoom key maximizes it whole (title and all)."""

from __future__ import annotations

from textual.containers import Vertical


class Pane(Vertical):
    ALLOW_MAXIMIZE = True
