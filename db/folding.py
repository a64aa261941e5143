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


COMMON_MAPPED = (("\u0629", "\u0647"), ("\u0649", "\u064a"))
"""ta marbuta and alef maqsura, the letters of _LETTERS_FROM common in Arabic prose."""
HAMZA_FORMS = "\u0622\u0623\u0624\u0625\u0626"
"""آ أ ؤ إ ئ: a letter and a mark that NFD splits and strip_accents drops."""
_KEPT_RANGES = ((0x00A0, 0x00FF), (0x0600, 0x06FF), (0x2000, 0x206F))
KEPT = "".join(
    chr(c)
    for lo, hi in _KEPT_RANGES
    for c in range(lo, hi + 1)
    if unicodedata.category(chr(c))[0] not in "MCZ"
    and not unicodedata.decomposition(chr(c))
    and chr(c) not in _LETTERS_FROM + TATWEEL
)
"""Non-ASCII characters that folding leaves as they are, but for their case: no decomposition,
not a mark, not mapped by _TRANSLATE (Arabic letters and punctuation, Latin-1 signs, dashes
and quotes). tests/foundation/test_folding.py checks each against DuckDB's strip_accents."""


def _code_class(chars: str) -> str:
    """The inside of a regular-expression character class of `chars`, as RE2 escapes."""
    runs: list[list[int]] = []
    for c in sorted(map(ord, chars)):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(f"\\x{{{a:X}}}" + (f"-\\x{{{b:X}}}" if b > a else "") for a, b in runs)


_PLAIN_ARABIC = (
    "[\\x{0}-\\x{7F}"
    + _code_class(KEPT + HAMZA_FORMS + "".join(a for a, _ in COMMON_MAPPED))
    + "]*"
)
"""Text whose whole fold is one translate() (_PLAIN_FROM, _PLAIN_TO): no mark, no rarer
letter."""
_CASED = "".join(c for c in map(chr, range(128)) if c.lower() != c) + "".join(
    c for c in KEPT if c.lower() != c
)
_PLAIN_FROM = "".join(a for a, _ in COMMON_MAPPED) + HAMZA_FORMS + _CASED
_PLAIN_TO = (
    "".join(b for _, b in COMMON_MAPPED)
    + "".join(unicodedata.normalize("NFD", h)[0] for h in HAMZA_FORMS)
    + _CASED.lower()
)
"""What folding does to _PLAIN_ARABIC text, character by character."""


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
    # Arabic prose without harakat or rare letters folds by one translate(): its hamza forms
    # lose their hamza, ta marbuta and alef maqsura become ha and ya, and its few cased letters
    # (Latin names) their lower case. translate() of all 26 letters, strip_accents() and lower()
    # cost four times as much (1M notes, 30 % Arabic: 2.6 -> 1.9 s).
    plain = f"translate({text}, '{_PLAIN_FROM}', '{_PLAIN_TO}')"
    # ASCII text (as many bytes as characters) has no accents nor Arabic letters: only its case
    # folds, and skipping strip_accents halves the cost of folding an ACLED import's notes.
    folded = (
        f"CASE WHEN strlen({text}) = length({text}) THEN lower({text}) "
        f"WHEN regexp_full_match({text}, '{_PLAIN_ARABIC}') THEN {plain} "
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
