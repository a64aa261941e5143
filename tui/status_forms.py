"""A pane's count as its title says it, fullest first, down to what a narrow pane can hold.

The count is what an analyst acts on: a narrow pane drops words around it (the sort's "by",
"incidents", "of them") and then the sort itself before the number or the proposals would be cut.
"""

from __future__ import annotations


def count_forms(total: int, proposed: int = 0, sort: str | None = None) -> tuple[str, ...]:
    """ "by fatalities ↓ · 1,234 incidents, 5 of them proposed (?)", then shorter forms.

    `sort` is the sort as the title says it ("fatalities ↓"), None for the default order. The
    proposals are kept in every form: a proposal is never counted as a confirmed incident.
    """
    number = f"{total:,}"
    noun = f"{number} incident{'' if total == 1 else 's'}"
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
