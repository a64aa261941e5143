"""Arabic shaping: letters in their joined (presentation) forms, harakat removed.

Terminals draw each code point as it is, so an unshaped word shows as separate letters. The
reshaper is configured here, completely and explicitly: the library otherwise reads a
configuration file named by an environment variable (PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE),
which would let a user's environment change what rasd shows. Harakat are removed (a terminal
cannot place them reliably); lam-alef becomes its one-cell ligature, and the offset map says
which input characters each output character stands for.

The library loads on the first Arabic text, not at import: the explorer's first screen has none,
and its import is a tenth of the time rasd adds to a bare Textual start.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arabic_reshaper import ArabicReshaper

LAM_ALEF_LIGATURES = (
    "ARABIC LIGATURE LAM WITH ALEF",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
)

HARAKAT = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]"
)
"""Arabic combining marks (the reshaper's own set and the extended-A marks)."""
LAM = "\u0644"
LIGATURE_RANGE = ("\ufef5", "\ufefc")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def configuration() -> dict[str, bool | str]:
    """Every option the reshaper reads, so that none falls back to a file or the environment."""
    from arabic_reshaper.ligatures import LIGATURES

    return {
        "language": "Arabic",
        "delete_harakat": True,
        "shift_harakat_position": False,
        "delete_tatweel": False,
        "support_zwj": True,
        "use_unshaped_instead_of_isolated": False,
        "support_ligatures": True,
        **{name: name in LAM_ALEF_LIGATURES for name, _ in LIGATURES},
    }


@lru_cache(maxsize=1)
def reshaper() -> ArabicReshaper:
    """Built from our complete configuration and our own (empty) file, never the environment's."""
    from arabic_reshaper import ArabicReshaper

    config_file = resources.files("tui.text") / "reshaper.ini"
    with resources.as_file(config_file) as path:
        return ArabicReshaper(configuration=configuration(), configuration_file=str(path))


def shape_with_map(text: str) -> tuple[str, list[int]]:
    """Shaped text and, for each output character, the index of the input character it shows."""
    if not ARABIC.search(text):
        return text, list(range(len(text)))
    kept = [i for i, ch in enumerate(text) if not HARAKAT.match(ch)]
    bare = "".join(text[i] for i in kept)
    shaped = reshaper().reshape(bare)
    where: list[int] = []
    i = 0
    for ch in shaped:
        if i >= len(bare):
            break
        where.append(kept[i])
        if LIGATURE_RANGE[0] <= ch <= LIGATURE_RANGE[1] and bare[i] == LAM:
            i += 2
        else:
            i += 1
    if len(where) != len(shaped):  # never expected: fall back to the unshaped text
        return bare, kept
    return shaped, where


def shape(text: str) -> str:
    return shape_with_map(text)[0]
