"""Terminal bidi mode switches (freedesktop Terminal-WG BiDi recommendation).

In `app` mode rasd shapes and orders Arabic itself, so a bidi-aware terminal must not reorder
it again: BDSM reset (`CSI 8 l`) selects explicit mode; `CSI 8 h` restores implicit mode.
Terminals that do not know the mode ignore both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.text.layout import BidiMode

EXPLICIT_BIDI = "\x1b[8l"
IMPLICIT_BIDI = "\x1b[8h"


def bidi_switch(mode: BidiMode) -> str:
    """The sequence that puts the terminal in the state rasd's bidi `mode` expects."""
    return EXPLICIT_BIDI if mode == "app" else IMPLICIT_BIDI
