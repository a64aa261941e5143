"""The Unicode Bidirectional Algorithm (UAX #9), paragraph levels and line reordering.

Why our own: python-bidi's `get_display` reorders a whole string as one line, does not mirror
brackets (L4) and cannot reorder a wrapped line with its paragraph's levels. Here levels are
resolved once per paragraph (P2-P3, X1-X10, W1-W7, N0-N2, I1-I2) and each wrapped line is then
reordered on its own (L1-L2, L4), as UAX #9 prescribes. Checked against Unicode's
BidiCharacterTest.txt and GNU FriBidi in tests/text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from tui.text._unicode_tables import BRACKETS, MIRRORS

MAX_DEPTH = 125
STRONG = frozenset(("L", "R", "AL"))
ISOLATE_INITIATORS = frozenset(("LRI", "RLI", "FSI"))
EMBEDDINGS = frozenset(("LRE", "RLE", "LRO", "RLO"))
REMOVED = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "BN"))
"""Classes X9 removes: they get no level and no place in the visual order."""
NEUTRAL_OR_ISOLATE = frozenset(("B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"))
CANONICAL_BRACKET = {"\u2329": "\u3008", "\u232a": "\u3009"}


@lru_cache(maxsize=65536)
def bidi_class(ch: str) -> str:
    kind = unicodedata.bidirectional(ch)
    if kind:
        return kind
    # unassigned code points: the defaults of DerivedBidiClass.txt for the RTL blocks
    cp = ord(ch)
    if 0x0590 <= cp <= 0x05FF or 0x07C0 <= cp <= 0x085F or 0xFB1D <= cp <= 0xFB4F:
        return "R"
    if 0x0600 <= cp <= 0x07BF or 0x0860 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDCF:
        return "AL"
    if 0xFDF0 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF or 0x1EC70 <= cp <= 0x1EEFF:
        return "AL"
    if 0x10800 <= cp <= 0x10FFF or 0x1E800 <= cp <= 0x1EC6F or 0x1EF00 <= cp <= 0x1EFFF:
        return "R"
    return "L"


def classes_of(text: str) -> list[str]:
    return [bidi_class(ch) for ch in text]


def _matching_pdis(types: list[str]) -> dict[int, int]:
    """BD9: each isolate initiator's matching PDI (initiators without one are absent)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(types):
        if t in ISOLATE_INITIATORS:
            stack.append(i)
        elif t == "PDI" and stack:
            out[stack.pop()] = i
        elif t == "B":
            stack.clear()
    return out


def _first_strong(types: list[str], start: int, end: int, pdis: dict[int, int]) -> str | None:
    """P2: the first L, R or AL in [start, end), skipping isolated content."""
    i = start
    while i < end:
        t = types[i]
        if t in STRONG:
            return t
        if t in ISOLATE_INITIATORS:
            i = pdis.get(i, end)
            continue
        if t == "B":
            return None
        i += 1
    return None


def paragraph_level(text: str) -> int:
    """P2-P3: 1 when the first strong character (outside isolates) is R or AL, else 0.

    The one place rasd decides a text's direction: layout, table cells and the levels below.
    """
    types = classes_of(text)
    return _level_of(types, _matching_pdis(types))


def _level_of(types: list[str], pdis: dict[int, int]) -> int:
    return 1 if _first_strong(types, 0, len(types), pdis) in ("R", "AL") else 0


def resolve_levels(text: str, base: int | None = None) -> tuple[list[int], int]:
    """Embedding levels of one paragraph (-1 for characters removed by X9), and its level.

    `base` forces the paragraph level (0 LTR, 1 RTL); None detects it (P2-P3).
    """
    types = classes_of(text)
    n = len(types)
    pdis = _matching_pdis(types)
    if base is None:
        base = _level_of(types, pdis)
    if n == 0:
        return [], base
    original = list(types)
    levels = [base] * n
    _explicit(types, levels, base, pdis, text)
    for i, t in enumerate(original):
        if t in REMOVED:
            levels[i] = -1
    explicit = list(levels)  # sos/eos compare explicit levels, not resolved ones
    for seq in _isolating_runs(original, levels, pdis):
        _resolve_sequence(seq, types, original, levels, explicit, base, text, pdis)
    return levels, base


def _explicit(
    types: list[str], levels: list[int], base: int, pdis: dict[int, int], text: str
) -> None:
    """X1-X8: explicit embeddings, overrides and isolates."""
    stack: list[tuple[int, str | None, bool]] = [(base, None, False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for i, t in enumerate(types):
        level, override, _ = stack[-1]
        if t in EMBEDDINGS:
            rtl = t in ("RLE", "RLO")
            new = (level + 1) | 1 if rtl else (level + 2) & ~1
            levels[i] = level
            if new <= MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                kind = {"RLO": "R", "LRO": "L"}.get(t)
                stack.append((new, kind, False))
            elif overflow_isolates == 0:
                overflow_embeddings += 1
        elif t in ISOLATE_INITIATORS:
            levels[i] = level
            if override:
                types[i] = override
            if t == "FSI":
                end = pdis.get(i, len(types))
                rtl = _first_strong(types, i + 1, end, pdis) in ("R", "AL")
            else:
                rtl = t == "RLI"
            new = (level + 1) | 1 if rtl else (level + 2) & ~1
            if new <= MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                valid_isolates += 1
                stack.append((new, None, True))
            else:
                overflow_isolates += 1
        elif t == "PDI":
            if overflow_isolates > 0:
                overflow_isolates -= 1
            elif valid_isolates > 0:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            level, override, _ = stack[-1]
            levels[i] = level
            if override:
                types[i] = override
        elif t == "PDF":
            levels[i] = level
            if overflow_isolates > 0:
                pass
            elif overflow_embeddings > 0:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
        elif t == "B":
            levels[i] = base
        elif t == "BN":
            levels[i] = level
        else:
            levels[i] = level
            if override:
                types[i] = override


def _isolating_runs(
    original: list[str], levels: list[int], pdis: dict[int, int]
) -> list[list[int]]:
    """X10 / BD13: level runs of the kept characters, chained across matched isolates."""
    runs: list[list[int]] = []
    current: list[int] = []
    current_level = None
    for i, level in enumerate(levels):
        if level < 0:
            continue
        if level != current_level and current:
            runs.append(current)
            current = []
        current_level = level
        current.append(i)
    if current:
        runs.append(current)
    starts_with = {run[0]: k for k, run in enumerate(runs)}
    pdi_of = pdis
    matched_pdis = set(pdis.values())
    sequences: list[list[int]] = []
    for run in runs:
        first = run[0]
        if original[first] == "PDI" and first in matched_pdis:
            continue  # continues the sequence of its initiator
        seq = list(run)
        while original[seq[-1]] in ISOLATE_INITIATORS and seq[-1] in pdi_of:
            nxt = starts_with.get(pdi_of[seq[-1]])
            if nxt is None:
                break
            seq.extend(runs[nxt])
        sequences.append(seq)
    return sequences


def _direction(level: int) -> str:
    return "R" if level & 1 else "L"


def _resolve_sequence(
    seq: list[int],
    types: list[str],
    original: list[str],
    levels: list[int],
    explicit: list[int],
    base: int,
    text: str,
    pdis: dict[int, int],
) -> None:
    """W1-W7, N0-N2 and I1-I2 over one isolating run sequence."""
    level = explicit[seq[0]]
    first, last = seq[0], seq[-1]
    before = next((explicit[j] for j in range(first - 1, -1, -1) if explicit[j] >= 0), base)
    if original[last] in ISOLATE_INITIATORS:  # an initiator ending a sequence lacks its PDI
        after = base
    else:
        after = next(
            (explicit[j] for j in range(last + 1, len(explicit)) if explicit[j] >= 0), base
        )
    sos = _direction(max(level, before))
    eos = _direction(max(level, after))
    t = [types[i] for i in seq]
    n = len(t)
    # W1
    prev = sos
    for k in range(n):
        if t[k] == "NSM":
            t[k] = "ON" if prev in ("LRI", "RLI", "FSI", "PDI") else prev
        prev = t[k]
    # W2 (and W3)
    last_strong = sos
    for k in range(n):
        if t[k] in STRONG:
            last_strong = t[k]
        elif t[k] == "EN" and last_strong == "AL":
            t[k] = "AN"
    for k in range(n):
        if t[k] == "AL":
            t[k] = "R"
    # W4
    for k in range(1, n - 1):
        if t[k] == "ES" and t[k - 1] == "EN" and t[k + 1] == "EN":
            t[k] = "EN"
        elif t[k] == "CS" and t[k - 1] == t[k + 1] and t[k - 1] in ("EN", "AN"):
            t[k] = t[k - 1]
    # W5
    k = 0
    while k < n:
        if t[k] == "ET":
            end = k
            while end < n and t[end] == "ET":
                end += 1
            if (k > 0 and t[k - 1] == "EN") or (end < n and t[end] == "EN"):
                for m in range(k, end):
                    t[m] = "EN"
            k = end
        else:
            k += 1
    # W6
    for k in range(n):
        if t[k] in ("ES", "ET", "CS"):
            t[k] = "ON"
    # W7
    last_strong = sos
    for k in range(n):
        if t[k] in ("L", "R"):
            last_strong = t[k]
        elif t[k] == "EN" and last_strong == "L":
            t[k] = "L"
    # N0
    _brackets(seq, t, original, text, level, sos)
    # N1, N2
    k = 0
    e = _direction(level)
    while k < n:
        if t[k] in NEUTRAL_OR_ISOLATE:
            end = k
            while end < n and t[end] in NEUTRAL_OR_ISOLATE:
                end += 1
            left = sos if k == 0 else ("R" if t[k - 1] in ("R", "EN", "AN") else t[k - 1])
            right = eos if end == n else ("R" if t[end] in ("R", "EN", "AN") else t[end])
            fill = left if left == right and left in ("L", "R") else e
            for m in range(k, end):
                t[m] = fill
            k = end
        else:
            k += 1
    # I1, I2
    for k, i in enumerate(seq):
        kind = t[k]
        if level & 1 == 0:
            if kind == "R":
                levels[i] = level + 1
            elif kind in ("AN", "EN"):
                levels[i] = level + 2
        elif kind in ("L", "EN", "AN"):
            levels[i] = level + 1


def _strong_of(kind: str) -> str | None:
    if kind == "L":
        return "L"
    if kind in ("R", "EN", "AN"):
        return "R"
    return None


def _brackets(
    seq: list[int], t: list[str], original: list[str], text: str, level: int, sos: str
) -> None:
    """N0: paired brackets take the direction of what they enclose or surround."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for k, i in enumerate(seq):
        if t[k] != "ON":
            continue
        ch = CANONICAL_BRACKET.get(text[i], text[i])
        entry = BRACKETS.get(ch)
        if entry is None:
            continue
        pair, kind = entry
        if kind == "o":
            if len(stack) == 63:
                break
            stack.append((CANONICAL_BRACKET.get(pair, pair), k))
        else:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], k))
                    del stack[depth:]
                    break
    if not pairs:
        return
    pairs.sort()
    e = _direction(level)
    for open_k, close_k in pairs:
        found_e = found_other = False
        for m in range(open_k + 1, close_k):
            strong = _strong_of(t[m])
            if strong == e:
                found_e = True
                break
            if strong is not None:
                found_other = True
        if found_e:
            new = e
        elif found_other:
            context = sos
            for m in range(open_k - 1, -1, -1):
                strong = _strong_of(t[m])
                if strong is not None:
                    context = strong
                    break
            new = context if context != e else e
        else:
            continue
        for k in (open_k, close_k):
            t[k] = new
            m = k + 1
            while m < len(seq) and original[seq[m]] == "NSM":
                t[m] = new
                m += 1


def line_levels(text: str, levels: list[int], base: int, start: int, end: int) -> list[int]:
    """L1 for the line [start, end): separators and trailing whitespace to the paragraph level."""
    out = levels[start:end]
    trailing = True
    for k in range(end - start - 1, -1, -1):
        kind = bidi_class(text[start + k])
        if kind in ("S", "B"):
            out[k] = base
            trailing = True
        elif kind in ("WS", "FSI", "LRI", "RLI", "PDI") or kind in REMOVED:
            if trailing:
                out[k] = base if out[k] >= 0 else out[k]
        else:
            trailing = False
    return out


def visual_order(levels: list[int]) -> list[int]:
    """L2: indices into the line in visual order; characters with level -1 are left out."""
    kept = [k for k, level in enumerate(levels) if level >= 0]
    if not kept:
        return []
    top = max(levels[k] for k in kept)
    lowest_odd = min((levels[k] for k in kept if levels[k] & 1), default=top + 1)
    order = kept
    for level in range(top, lowest_odd - 1, -1):
        out: list[int] = []
        run: list[int] = []
        for k in order:
            if levels[k] >= level:
                run.append(k)
            else:
                if run:
                    out.extend(reversed(run))
                    run = []
                out.append(k)
        if run:
            out.extend(reversed(run))
        order = out
    return order


def mirror(ch: str, level: int) -> str:
    """L4: at an odd level a mirrored character shows its mirror glyph."""
    return MIRRORS.get(ch, ch) if level & 1 else ch


def reorder_line(
    text: str, levels: list[int], base: int, start: int, end: int, keep_marks: bool = True
) -> tuple[str, list[int]]:
    """The line [start, end) in visual order, mirrored, and the logical index of each character.

    With `keep_marks` (rule L3), a combining mark or other NSM (U+FE0F included) stays after its
    base character when the two are reversed, so it never lands on the wrong letter or emoji.
    """
    lvls = line_levels(text, levels, base, start, end)
    if keep_marks:
        units: list[list[int]] = []
        unit_levels: list[int] = []
        for k, level in enumerate(lvls):
            if level < 0:
                continue
            ch = text[start + k]
            attached = unicodedata.combining(ch) or bidi_class(ch) == "NSM"
            if units and attached and unit_levels[-1] == level:
                units[-1].append(k)
            else:
                units.append([k])
                unit_levels.append(level)
        order = visual_order(unit_levels)
        indices = [k for u in order for k in units[u]]
    else:
        indices = visual_order(lvls)
    chars = [mirror(text[start + k], lvls[k]) for k in indices]
    return "".join(chars), [start + k for k in indices]
