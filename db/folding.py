"""Arabic-aware folding, so that spelling variants of one name find the same incidents.

Folding removes what writers vary freely: hamza/madda on alef, harakat, tatweel, ta marbuta vs
ha, alef maqsura vs ya, Arabic-Indic digits, Latin accents and case. The same rules exist twice:
`fold()` in Python (for names and query strings) and `fold_sql()` as a DuckDB expression (for
bulk imports), and tests keep the two in agreement.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"
_ARABIC_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
_PERSIAN_DIGITS = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
# Letters that stay distinct after NFD but which writers use interchangeably.
_LETTERS_FROM = "\u0671\u0629\u0649\u06cc\u06a9" + _ARABIC_DIGITS + _PERSIAN_DIGITS
_LETTERS_TO = "\u0627\u0647\u064a\u064a\u0643" + "0123456789" * 2
_TRANSLATE = str.maketrans(_LETTERS_FROM, _LETTERS_TO, TATWEEL)
_SPACES = re.compile(r"\s+")
_MARKS = frozenset(("Mn", "Mc", "Me"))
"""Combining marks: harakat, hamza and madda after NFD, accents (as DuckDB strip_accents)."""


def fold(text: str | None) -> str:
    """Fold for matching: case, accents, harakat, alef/ta/ya variants, digits, spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_TRANSLATE))
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _MARKS)
    stripped = unicodedata.normalize("NFC", kept)
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_sql(expr: str, collapse_spaces: bool = True) -> str:
    """The DuckDB expression that folds the SQL expression `expr` like `fold()` does.

    `expr` must be a trusted column expression written by rasd, never user input. Without
    `collapse_spaces` runs of white space are kept: 2x faster on long notes, and word search
    (`contains` per word) does not need it.
    """
    src = _LETTERS_FROM + TATWEEL
    dst = _LETTERS_TO
    # translate() is the costly step; most text (Latin, or Arabic without these letters) skips it.
    text = f"coalesce({expr}, '')"
    mapped = (
        f"CASE WHEN regexp_matches({text}, '[{src}]') "
        f"THEN translate({text}, '{src}', '{dst}') ELSE {text} END"
    )
    # ASCII text (as many bytes as characters) has no accents nor Arabic letters: only its case
    # folds, and skipping strip_accents halves the cost of folding an ACLED import's notes.
    folded = (
        f"CASE WHEN strlen({text}) = length({text}) THEN lower({text}) "
        f"ELSE lower(strip_accents({mapped})) END"
    )
    if not collapse_spaces:
        return folded
    return f"trim(regexp_replace({folded}, '\\s+', ' ', 'g'))"


def name_words(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """The words of folded names, for prefix_rank (brackets and colons are not words)."""
    return tuple(
        dict.fromkeys(
            w
            for s in spellings
            for w in s.replace("(", " ").replace(")", " ").replace(":", " ").split()
        )
    )


def prefix_rank(
    wanted: str, spellings: tuple[str, ...], words: tuple[str, ...] | None = None
) -> int | None:
    """How well a folded query (`fold(typed)`) names something with these folded spellings.

    0: a spelling starts with the query; 1: every query word starts a word of the spellings
    (`forces mali` finds `military forces of mali`); None: no match. Arabic and Latin alike.
    Pickers rank thousands of names per key: they fold the query once and pass `words`
    (name_words) computed once per name.
    """
    if not wanted:
        return None
    if any(s.startswith(wanted) for s in spellings):
        return 0
    have = name_words(spellings) if words is None else words
    if all(any(h.startswith(w) for h in have) for w in wanted.split()):
        return 1
    return None
