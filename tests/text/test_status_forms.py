"""A pane's count in fewer words: the number and the proposals are in every form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.status_forms import (
    TITLE_MARGIN,
    count_forms,
    first_that_fits,
    fitted_title,
    review_forms,
)
from tui.widgets.timeline import legend_forms

SORTS = st.sampled_from(
    [None, "date ↑", "date ↓", "fatalities ↓", "fatalities ↑", "type ↓", "actor ↑", "region ↓"]
)


@given(st.integers(0, 10**9), st.integers(0, 10**6), SORTS)
def test_every_form_keeps_the_count_and_the_proposals(
    total: int, proposed: int, sort: str | None
) -> None:
    forms = count_forms(total, proposed, sort)
    assert [len(f) for f in forms] == sorted((len(f) for f in forms), reverse=True)
    assert len(set(forms)) == len(forms)
    for form in forms:
        assert f"{total:,}" in form
        assert (f"{proposed:,} " in form and "(?)" in form) == bool(proposed)
    if sort:  # the sort gives way last, and only to the bare count
        assert all(sort.replace(" ", "") in f.replace(" ", "") for f in forms[:-1])
        assert forms[-1].startswith(f"{total:,}")


def test_the_forms_read_as_a_title_says_them() -> None:
    assert count_forms(13_318, 0, "fatalities ↓") == (
        "by fatalities ↓ · 13,318 incidents",
        "fatalities ↓ · 13,318 incidents",
        "fatalities ↓ · 13,318",
        "fatalities↓ 13,318",
        "13,318",
    )
    assert count_forms(1, 0) == ("1 incident", "1")
    assert count_forms(9, 2) == (
        "9 incidents, 2 of them proposed (?)",
        "9 incidents, 2 proposed (?)",
        "9, 2 proposed (?)",
        "9, 2 (?)",
    )


def test_a_reports_counts_drop_zeros_then_words() -> None:
    assert review_forms(9, 0, 0) == ("9 proposed, 0 coded, 0 rejected", "9 proposed", "9 prop.")
    assert review_forms(0, 0, 0) == ("0 proposed, 0 coded, 0 rejected", "0 proposed", "0 prop.")
    assert review_forms(2, 5, 1)[-1] == "2 prop., 5 coded, 1 rej."


@given(
    st.lists(st.sampled_from(["9 proposed", "1,024 incidents", "x"]), max_size=4),
    st.integers(0, 120),
)
def test_a_fitted_title_is_the_first_that_fits(forms: list[str], width: int) -> None:
    title = fitted_title("Chronology", "2", tuple(forms), width)
    if not forms or not forms[0]:
        assert title == "Chronology [2]"
    elif width == 0 or len(f"Chronology [2] · {forms[0]}") <= width - TITLE_MARGIN:
        assert title == f"Chronology [2] · {forms[0]}"
    else:
        candidates = [f"[2] {f}" for f in forms]
        fitting = [c for c in candidates if len(c) <= width - TITLE_MARGIN]
        assert title == (fitting[0] if fitting else candidates[-1])


@given(st.text(max_size=30), st.text(max_size=30), st.integers(0, 60))
def test_first_that_fits_never_overflows(a: str, b: str, width: int) -> None:
    forms = (a + b, a, b) if (a + b) else ("x",)
    chosen = first_that_fits(forms, width)
    assert cell_len(chosen) <= max(width, 0) or width == 0
    fitting = [f for f in forms if cell_len(f) <= width]
    if fitting:
        assert chosen == fitting[0]
    elif width > 0:
        assert chosen.endswith("…")  # cut, and says so


def test_the_timeline_legend_shortens_the_span_never_cutting_a_date() -> None:
    forms = legend_forms("2025-12-22", "2026-11-30", "week", 5)
    assert forms == (
        "2025-12-22 … 2026-11-30 · per week · peak 5",
        "2025-12-22 … 2026-11-30 · peak 5",
        "2025-12-22 … 2026-11-30",
        "2025-12 … 2026-11",
        "2025 … 2026",
    )
    assert first_that_fits(forms, 21) == "2025-12 … 2026-11"
    assert legend_forms("2025", "2026", "year", 1_234)[-1] == "2025 … 2026"
