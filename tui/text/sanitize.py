"""Make text from data safe to show: no escape sequences, controls or bidi overrides survive.

Reports come from strangers. A CSI could clear the screen, an OSC 52 write the user's clipboard,
an OSC 2 retitle the window; an RLO could make `0052` read `2500`, and a bidi-capable terminal
would apply embedded controls a second time. Stored text stays untouched; only what is displayed
passes through here, first.
"""

from __future__ import annotations

import re

TAB = "    "
"""A tab becomes four spaces (display only; columns are not tracked across fields)."""

EMBEDDINGS = frozenset("\u202a\u202b\u202c\u202d\u202e")
"""LRE, RLE, PDF, LRO, RLO: always removed. They are what the Trojan Source attack uses to make
stored text read differently from what it is (an RLO turns `0052` into `2500`), and their effect
runs on to the end of the paragraph whatever the layout does."""
BIDI_FORMATTING = frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069")
"""LRM, RLM, ALM, LRI, RLI, FSI, PDI: kept for rasd's own bidi (`keep_bidi`), which applies
them (UAX #9 X5a-X6a, marks as strong characters) and then does not write them; isolates cannot
reach outside their PDI or their paragraph. Removed everywhere else."""
BIDI_CONTROLS = EMBEDDINGS | BIDI_FORMATTING
NEWLINES = frozenset("\u2028\u2029\x85")
INVISIBLE = frozenset("\ufeff\u200b\u2060\u2061\u2062\u2063\u2064\ufff9\ufffa\ufffb")
"""Format characters terminals draw inconsistently (BOM, word joiner, ...): dropped."""

_STRING_STARTS = {"]": "osc", "P": "dcs", "X": "sos", "^": "pm", "_": "apc"}
_C1_STRING_STARTS = {"\x9d": "osc", "\x90": "dcs", "\x98": "sos", "\x9e": "pm", "\x9f": "apc"}


def _skip_csi(text: str, i: int) -> int:
    """Index after a CSI body starting at i (parameters, intermediates, final byte)."""
    n = len(text)
    while i < n:
        cp = ord(text[i])
        if 0x40 <= cp <= 0x7E:
            return i + 1
        if not 0x20 <= cp <= 0x3F:
            return i  # malformed: stop before the offending character
        i += 1
    return n


def _skip_string(text: str, i: int) -> int:
    """Index after a control string body (OSC, DCS, ...) ending in BEL, ST or ESC \\."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in ("\x07", "\x9c"):
            return i + 1
        if ch == "\x1b":
            return i + 2 if i + 1 < n and text[i + 1] == "\\" else i + 1
        i += 1
    return n


def _skip_escape(text: str, i: int) -> int:
    """Index after an escape sequence whose ESC is at i."""
    n = len(text)
    if i + 1 >= n:
        return n
    nxt = text[i + 1]
    if nxt == "[":
        return _skip_csi(text, i + 2)
    if nxt in _STRING_STARTS:
        return _skip_string(text, i + 2)
    j = i + 1
    while j < n and 0x20 <= ord(text[j]) <= 0x2F:  # intermediates, then one final byte
        j += 1
    if j < n and 0x30 <= ord(text[j]) <= 0x7E:
        return j + 1
    return j


def sanitize_with_map(text: str, keep_bidi: bool = False) -> tuple[str, list[int]]:
    """The displayable text, and for each of its characters the index it came from.

    `keep_bidi` keeps marks and isolates (BIDI_FORMATTING) for a caller that resolves bidi
    itself and removes them before output (tui.text.layout).
    """
    out: list[str] = []
    where: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        cp = ord(ch)
        if ch == "\x1b":
            i = _skip_escape(text, i)
            continue
        if ch == "\x9b":
            i = _skip_csi(text, i + 1)
            continue
        if ch in _C1_STRING_STARTS:
            i = _skip_string(text, i + 1)
            continue
        if ch == "\n" or ch in NEWLINES:
            out.append("\n")
            where.append(i)
        elif ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            out.append("\n")
            where.append(i)
        elif ch == "\t":
            out.extend(TAB)
            where.extend([i] * len(TAB))
        elif keep_bidi and ch in BIDI_FORMATTING:
            out.append(ch)
            where.append(i)
        elif cp < 0x20 or 0x7F <= cp <= 0x9F or ch in BIDI_CONTROLS or ch in INVISIBLE:
            pass
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be encoded for the terminal
            where.append(i)
        else:
            out.append(ch)
            where.append(i)
        i += 1
    return "".join(out), where


def sanitize(text: str) -> str:
    return sanitize_with_map(text)[0]


_VISIBLE_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS | NEWLINES | INVISIBLE)) + "\ud800-\udfff]"
)
"""Every character a terminal acts on or draws inconsistently: never printed as it is."""


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    cp = ord(ch)
    if ch in _VISIBLE_ESCAPES:
        return _VISIBLE_ESCAPES[ch]
    if cp <= 0xFF:
        return f"\\x{cp:02x}"
    if 0xDC80 <= cp <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{cp - 0xDC00:02x}"
    return f"\\u{cp:04x}"


def escape_controls(text: str, keep_newlines: bool = False) -> str:
    """Text with every control made visible (`\\x1b`, `\\n`, `\\u202e`), nothing dropped.

    For messages and machine formats on a terminal: a file name or a field value shows exactly
    what it holds, yet cannot retitle the window, clear the screen or reorder the line.
    """
    if keep_newlines:
        return "\n".join(CONTROLS.sub(_visible, line) for line in text.split("\n"))
    return CONTROLS.sub(_visible, text)


def json_for_terminal(text: str) -> str:
    """JSON text with the controls `json` leaves raw (C1, DEL, bidi) as `\\uXXXX`: same data."""
    return "\n".join(
        CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", line) for line in text.split("\n")
    )


def has_controls(text: str, allow: str = "") -> bool:
    """Whether the text holds a control other than those in `allow` (e.g. a newline)."""
    return any(ch not in allow for ch in CONTROLS.findall(text))
