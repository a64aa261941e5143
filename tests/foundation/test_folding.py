"""Arabic-aware folding: spelling variants meet, and Python and SQL fold alike."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.folding import _PLAIN_ARABIC, HAMZA_FORMS, KEPT, fold, fold_sql
from db.places import admin1_arabic, canonical_admin1
from db.rows import scalar


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("سيكاسو", "سيكاسّو"),  # shadda
        ("سيكاسو", "سيكاســو"),  # tatweel
        ("أمادو", "امادو"),  # hamza on alef
        ("إقليم", "اقليم"),
        ("آمن", "امن"),
        ("ٱلله", "الله"),  # alef wasla
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("على", "علي"),  # alef maqsura
        ("٢٠٢٦", "2026"),  # Arabic-Indic digits
        ("Ségou", "segou"),
        ("  TIMBUKTU ", "timbuktu"),
    ],
)
def test_variants_fold_together(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_distinct_words_stay_distinct() -> None:
    assert fold("كاي") != fold("كيدال")
    assert fold("Mopti") != fold("Gao")


ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
# Unassigned (Cn) code points are left out: Python 3.11's unicodedata is Unicode 14 and DuckDB's
# tables are newer, so a character added since (U+13447, a combining hieroglyph modifier) is a
# mark that DuckDB strips and Python does not know.
TEXT = st.text(
    st.one_of(ARABIC, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_python_and_sql_fold_alike(text: str) -> None:
    con = _con()
    sql = scalar(con.execute(f"SELECT {fold_sql('t')} FROM (SELECT ?::VARCHAR AS t)", [text]))
    assert " ".join(sql.split()) == " ".join(fold(text).split())
    kept = scalar(
        con.execute(
            f"SELECT {fold_sql('t', collapse_spaces=False)} FROM (SELECT ?::VARCHAR AS t)", [text]
        )
    )
    assert " ".join(kept.split()) == " ".join(fold(text).split())


_CON: list[duckdb.DuckDBPyConnection] = []


def _con() -> duckdb.DuckDBPyConnection:
    if not _CON:
        _CON.append(duckdb.connect())
    return _CON[0]


@pytest.mark.parametrize("name", ["Tombouctou", "Timbuktu", "تمبكتو", "تنبكتو", "tombouctou"])
def test_region_spellings_meet(name: str) -> None:
    assert canonical_admin1(name) == "Tombouctou"
    assert admin1_arabic(name) == "تمبكتو"


def test_unknown_region_passes_through() -> None:
    assert canonical_admin1("Atlantis") == "Atlantis"
    assert canonical_admin1("") is None


def test_characters_kept_by_folding_are_kept_by_duckdb() -> None:
    """KEPT lets Arabic prose skip strip_accents: each of its characters must be one that
    strip_accents leaves alone, and the hamza forms must lose just their hamza."""
    con = _con()
    changed = [
        hex(ord(c))
        for c in KEPT
        if scalar(con.execute("SELECT strip_accents(?)", [c])) != c
        or fold(c) != c.lower()
        or scalar(con.execute("SELECT lower(?)", [c])) != c.lower()
    ]
    assert changed == []
    for hamza in HAMZA_FORMS:
        assert scalar(con.execute("SELECT strip_accents(?)", [hamza])) == fold(hamza)


# Arabic prose as it is mostly written: letters (hamza forms, ta marbuta and alef maqsura
# included), punctuation, Latin words and digits, no harakat: the fast road of fold_sql.
PLAIN_ARABIC = st.text(
    st.sampled_from(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + HAMZA_FORMS + "ةى،؛؟ «»–’" + "abcXYZ019 .,ÆÐØÞßø"
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(PLAIN_ARABIC, TEXT)
def test_plain_arabic_folds_alike_on_either_road(text: str, other: str) -> None:
    con = _con()
    plain = scalar(con.execute(f"SELECT regexp_full_match(?, '{_PLAIN_ARABIC}')", [text]))
    assert plain, "the fast road was not taken"
    for value in (text, text + other):  # `other` may send it down the slow road
        folded = scalar(
            con.execute(
                f"SELECT {fold_sql('t', collapse_spaces=False)} FROM (SELECT ?::VARCHAR AS t)",
                [value],
            )
        )
        assert " ".join(folded.split()) == " ".join(fold(value).split())
