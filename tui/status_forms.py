"""A pane's count as its title says it, fullest first, down to what a narrow pane can hold.

The count is what an analyst acts on: a narrow pane drops words around it (the sort's "by",
"incidents", "of them") and then the sort itself before the number or the proposals would be cut.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from db.wording import plural


def count_forms(total: int, proposed: int = 0, sort: str | None = None) -> tuple[str, ...]:
    """ "by fatalities ↓ · 1,234 incidents, 5 of them proposed (?)", then shorter forms.

    `sort` is the sort as the title says it ("fatalities ↓"), None for the default order. The
    proposals are kept in every form: a proposal is never counted as a confirmed incident.
    """
    number = f"{total:,}"
    noun = f"{number} {plural(total, 'incident')}"
    long_proposed = f", {proposed:,} of them proposed (?)" if proposed else ""
    short_proposed = f", {proposed:,} proposed (?)" if proposed else ""
    tiny_proposed = f", {proposed:,} (?)" if proposed else ""
    if sort:
        forms = [
            f"by {sort} · {noun}{long_proposed}",
            f"{sort} · {noun}{short_proposed}",
            f"{sort} · {number}{short_proposed}",
            f"{sort.replace(' ', '')} {number}{tiny_proposed}",
        ]
    else:
        forms = [f"{noun}{long_proposed}", f"{noun}{short_proposed}", f"{number}{short_proposed}"]
    forms.append(f"{number}{tiny_proposed}")
    return tuple(dict.fromkeys(forms))  # each once, longest first


def review_forms(proposed: int, coded: int, rejected: int) -> tuple[str, ...]:
    """A report's incidents by status, as the coding screen's list title says them: every
    count, then the ones not zero, then those in short words."""
    counts = (
        (proposed, "proposed", "prop."),
        (coded, "coded", "coded"),
        (rejected, "rejected", "rej."),
    )
    full = ", ".join(f"{n:,} {word}" for n, word, _ in counts)
    shown = [c for c in counts if c[0]] or [counts[0]]
    forms = (
        full,
        ", ".join(f"{n:,} {word}" for n, word, _ in shown),
        ", ".join(f"{n:,} {short}" for n, _, short in shown),
    )
    return tuple(dict.fromkeys(forms))


TITLE_MARGIN = 4
"""Border corners and the spaces Textual puts around a border title."""


def fitted_title(label: str, key: str, forms: tuple[str, ...], width: int) -> str:
    """ "Label [key] · status" in `width` cells (0: not laid out yet, the fullest): else the
    first "[key] form" that fits, else the shortest, which the border then cuts with "…"."""
    name = f"{label} [{key}]"
    if not forms or not forms[0]:
        return name
    full = f"{name} · {forms[0]}"
    if not width:
        return full
    room = width - TITLE_MARGIN
    return first_that_fits((full, *(f"[{key}] {form}" for form in forms)), room, cut=False)


def first_that_fits(forms: tuple[str, ...], width: int, cut: bool = True) -> str:
    """The first of `forms` (fullest first) within `width` cells; else the last, cut with "…"
    (or, with `cut` False, left for its border to cut)."""
    for form in forms:
        if cell_len(form) <= width:
            return form
    last = forms[-1]
    return set_cell_size(last, max(width - 1, 0)) + "…" if cut and width > 0 else last
