"""Arabic shaping: letters in their joined (presentation) forms, with a map that never drifts.

Terminals draw each code point as it is, so an unshaped word shows as separate letters. rasd
shapes by Unicode's joining rules (ArabicShaping.txt: joining types D, R, C, U, T) itself rather
than with arabic-reshaper, whose output does not correspond one-for-one with its input (with
ZWJ support it deletes U+200D and offsets drift; some inputs raise IndexError). Here every
output character carries the index of the input character it shows, and nothing raises:

- ZWJ (U+200D) is join-causing: it forces the joined form on both sides, then is not written.
- ZWNJ (U+200C) is non-joining: it breaks the join, then is not written.
- Marks (Mn, Me, Cf) are transparent: joining looks through them.
- Lam followed by an alef (harakat between allowed) becomes one lam-alef ligature cell, mapped to
  the lam; ZWJ or ZWNJ between them prevents the ligature (Unicode: they request the separate
  forms).
- Harakat are kept as combining marks after their letter (`keep`, the default: terminals draw
  them in the letter's cell, see the README) or removed (`strip`).

The glyph table is derived at first use from the compatibility decompositions of Unicode's
presentation-form blocks (`<initial> 0628` and so on), so no configuration file or environment
variable can change it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

Harakat = Literal["strip", "keep"]

HARAKAT = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]"
)
"""Arabic combining marks (the reshaper's own set and the extended-A marks)."""
LAM = "\u0644"
ALEFS = frozenset("\u0622\u0623\u0625\u0627")
ZWJ = "\u200d"
ZWNJ = "\u200c"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")

ISOLATED, INITIAL, MEDIAL, FINAL = range(4)
_FORM_TAGS = {"<isolated>": ISOLATED, "<initial>": INITIAL, "<medial>": MEDIAL, "<final>": FINAL}
_PRESENTATION_BLOCKS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, str, str, str]], dict[str, tuple[str, str]]]:
    """Letter -> its four forms ('' when absent); alef -> (isolated, final) lam-alef ligature."""
    forms: dict[str, list[str]] = {}
    ligatures: dict[str, list[str]] = {}
    for lo, hi in _PRESENTATION_BLOCKS:
        for cp in range(lo, hi + 1):
            parts = unicodedata.decomposition(chr(cp)).split()
            if len(parts) < 2 or parts[0] not in _FORM_TAGS:
                continue
            form = _FORM_TAGS[parts[0]]
            base = "".join(chr(int(p, 16)) for p in parts[1:])
            if len(base) == 1:
                forms.setdefault(base, ["", "", "", ""])
                if not forms[base][form]:  # the first (Arabic block) glyph wins over duplicates
                    forms[base][form] = chr(cp)
            elif len(base) == 2 and base[0] == LAM and base[1] in ALEFS and form in (0, 3):
                ligatures.setdefault(base[1], ["", ""])[0 if form == ISOLATED else 1] = chr(cp)
    letters = {k: (v[0], v[1], v[2], v[3]) for k, v in forms.items()}
    letters["\u0640"] = ("\u0640",) * 4  # tatweel: join-causing, drawn as itself
    return letters, {k: (v[0], v[1]) for k, v in ligatures.items()}


@lru_cache(maxsize=4096)
def joining_type(ch: str) -> str:
    """D (dual), R (right), C (join-causing), U (non-joining) or T (transparent)."""
    if ch == ZWJ or ch == "\u0640":
        return "C"
    if ch == ZWNJ:
        return "U"
    forms = _tables()[0].get(ch)
    if forms is not None:
        if forms[INITIAL] and forms[MEDIAL] and forms[FINAL]:
            return "D"
        return "R" if forms[FINAL] else "U"
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return "T"
    return "U"


_DEFAULT_HARAKAT: list[Harakat] = ["keep"]


def default_harakat() -> Harakat:
    return _DEFAULT_HARAKAT[0]


def set_default_harakat(choice: Harakat) -> None:
    """The user's choice (--harakat, RASD_HARAKAT, config), set once at start by the CLI;
    tui.text.layout.set_harakat also drops the layouts cached with the previous choice."""
    _DEFAULT_HARAKAT[0] = choice


def shape_with_map(text: str, harakat: Harakat | None = None) -> tuple[str, list[int]]:
    """Shaped text and, for each output character, the index of the input character it shows."""
    if harakat is None:
        harakat = _DEFAULT_HARAKAT[0]
    if not ARABIC.search(text):
        return text, list(range(len(text)))
    letters, ligatures = _tables()
    if harakat == "strip":
        kept = [i for i, ch in enumerate(text) if not HARAKAT.match(ch)]
    else:
        kept = list(range(len(text)))
    types = [joining_type(text[i]) for i in kept]
    n = len(kept)
    # the nearest non-transparent neighbour on each side, by position in `kept`
    prev: list[int] = [-1] * n
    last = -1
    for k in range(n):
        prev[k] = last
        if types[k] != "T":
            last = k
    nxt: list[int] = [-1] * n
    last = -1
    for k in range(n - 1, -1, -1):
        nxt[k] = last
        if types[k] != "T":
            last = k

    def joins_before(k: int) -> bool:
        return types[k] in ("D", "R", "C") and prev[k] >= 0 and types[prev[k]] in ("D", "C")

    def joins_after(k: int) -> bool:
        return types[k] in ("D", "C") and nxt[k] >= 0 and types[nxt[k]] in ("D", "R", "C")

    out: list[str] = []
    where: list[int] = []
    skip: set[int] = set()
    for k in range(n):
        if k in skip:
            continue
        i = kept[k]
        ch = text[i]
        if ch in (ZWJ, ZWNJ):
            continue
        forms = letters.get(ch)
        if forms is None:
            out.append(ch)
            where.append(i)
            continue
        before = joins_before(k)
        after = joins_after(k)
        if (
            ch == LAM
            and nxt[k] >= 0
            and text[kept[nxt[k]]] in ALEFS
            and all(HARAKAT.match(text[kept[m]]) for m in range(k + 1, nxt[k]))
        ):
            out.append(ligatures[text[kept[nxt[k]]]][1 if before else 0])
            where.append(i)
            skip.add(nxt[k])  # the alef is inside the ligature; its harakat still follow
            continue
        form = (MEDIAL if after else FINAL) if before else (INITIAL if after else ISOLATED)
        out.append(forms[form] or forms[ISOLATED] or ch)
        where.append(i)
    return "".join(out), where


def shape(text: str, harakat: Harakat | None = None) -> str:
    return shape_with_map(text, harakat)[0]
