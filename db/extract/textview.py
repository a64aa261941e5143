"""A folded copy of a report that remembers where each character came from.

Matching runs on folded text (db/folding.py rules: hamza/alef variants, ta marbuta, harakat,
tatweel, Arabic-Indic digits), but evidence must point into the text exactly as received, so
every folded character keeps the offset of the original character it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from db.folding import fold


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if ch in "\u200c\u200d\u200e\u200f\u061c\ufeff":  # joiners and direction marks
        return ""
    return fold(ch)


@dataclass(frozen=True)
class FoldedText:
    """`folded[i]` came from `original[index[i]]`; index has one extra entry (the end)."""

    original: str
    folded: str
    index: tuple[int, ...]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        if end <= start:
            pos = self.index[min(start, len(self.folded))]
            return pos, pos
        return self.index[start], self.index[end - 1] + 1

    def folded_pos(self, original_pos: int) -> int:
        """First folded position at or after an original offset."""
        lo, hi = 0, len(self.folded)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.index[mid] < original_pos:
                lo = mid + 1
            else:
                hi = mid
        return lo


def fold_with_index(text: str) -> FoldedText:
    """Fold `text` character by character, keeping the origin of each folded character."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for f in folded:
            out.append(f)
            index.append(i)
    index.append(len(text))
    return FoldedText(text, "".join(out), tuple(index))


def fold_phrase(phrase: str) -> str:
    """Fold a lexicon entry the same way report text is folded."""
    return "".join(_fold_char(c) for c in phrase)
