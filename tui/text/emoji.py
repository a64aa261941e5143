"""Emoji sequences written so that rasd's cell count and the terminal's agree.

Measured in tmux 3.3a (tests/text/test_emoji_tmux.py): it ignores U+FE0F, so `❤️` takes one
cell where Rich (and so Textual's layout) counts two; it draws a skin-tone modifier as a cell pair
of its own (`👍🏽` is four cells, Rich says two); and it does not join `x` ZWJ `y` (two cells,
Rich one). A cell counted wrong shifts the rest of the row and breaks the pane's border. So, on
the way to the screen only (stored text is untouched):

- U+FE0F stays after its emoji when it does not change the width (a wide emoji), and is left out
  when it would (a text-default symbol such as ❤ then shows in its one-cell text form);
- skin-tone modifiers (U+1F3FB-U+1F3FF) are left out;
- ZWJ is left out (a ZWJ sequence shows as its emoji side by side; the bidi algorithm removes ZWJ
  from right-to-left paragraphs anyway, rule X9).
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

VS16 = "\ufe0f"
ZWJ = "\u200d"


def is_modifier(ch: str) -> bool:
    return "\U0001f3fb" <= ch <= "\U0001f3ff"


def for_terminal(chars: list[str], where: list[int]) -> tuple[list[str], list[int]]:
    """`chars` (with the input index of each) less what the terminal would count differently."""
    if not any(ch in (VS16, ZWJ) or is_modifier(ch) for ch in chars):
        return chars, where
    out: list[str] = []
    out_where: list[int] = []
    for ch, w in zip(chars, where, strict=True):
        if ch == ZWJ or is_modifier(ch):
            continue
        if ch == VS16 and _widens(out):
            continue
        out.append(ch)
        out_where.append(w)
    return out, out_where


def _widens(before: list[str]) -> bool:
    """Whether a VS16 after `before` changes the width Rich gives its character (with marks)."""
    k = len(before)
    while k > 0 and get_character_cell_size(before[k - 1]) == 0:
        k -= 1
    if k == 0:
        return True  # nothing to attach to
    cluster = "".join(before[k - 1 :])
    return cell_len(cluster + VS16) != cell_len(cluster)
