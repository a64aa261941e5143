"""How data text reaches a plain terminal or a pipe: sanitized always, shaped on terminals."""

from __future__ import annotations

from tui.text.layout import display_inline, layout_text
from tui.text.sanitize import sanitize


def inline(text: object, mode: str) -> str:
    """One-line display of a data value: `app` shapes and orders, otherwise logical text."""
    if text is None:
        return ""
    value = str(text)
    if mode == "app":
        return display_inline(value, "app")
    return sanitize(value).replace("\n", " ")


def block(text: str, width: int, mode: str) -> list[str]:
    """A paragraph-wrapped block for `rasd show`; logical mode keeps the text searchable."""
    if mode in ("app", "terminal"):
        return [line.text.rstrip() for line in layout_text(text, width, mode)]  # type: ignore[arg-type]
    return sanitize(text).split("\n")
