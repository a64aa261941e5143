"""A pane's count in fewer words: the number and the proposals are in every form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.status_forms import count_forms

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
