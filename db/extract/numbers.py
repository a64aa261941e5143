"""Fatality counts: digits and Arabic number words in killing phrases.

"No figure" (a number of, dozens, several) is None, never 0. Where the text gives several
figures for the same deaths (sources disagree, a toll revised), the lowest specific one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.extract.textview import fold_phrase

_UNITS = {
    "واحد": 1,
    "واحدة": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "ست": 6,
    "سبعة": 7,
    "سبع": 7,
    "ثمانية": 8,
    "ثماني": 8,
    "ثمان": 8,
    "تسعة": 9,
    "تسع": 9,
    "عشرة": 10,
    "عشر": 10,
}
_TEENS = {"أحد عشر": 11, "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12}
_TENS = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "أربعون": 40,
    "أربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}
_HUNDREDS = {
    "مائة": 100,
    "مئة": 100,
    "مائتي": 200,
    "مئتي": 200,
    "مائتان": 200,
    "مئتان": 200,
    "مائتين": 200,
    "مئتين": 200,
}

_WORDS: dict[str, int] = {}
for table in (_UNITS, _TENS, _HUNDREDS):
    for word, value in table.items():
        _WORDS[fold_phrase(word)] = value
for word, value in _TEENS.items():
    _WORDS[fold_phrase(word)] = value
for unit, uv in _UNITS.items():
    if uv < 10:
        for suffix in ("عشر", "عشرة"):
            _WORDS.setdefault(fold_phrase(f"{unit} {suffix}"), 10 + uv)

# Nouns for people who can be killed, singular/plural, and duals (the dual is a count of 2).
_VICTIMS = (
    "جنود|جندي|جنديا|عسكريين|عسكريا|عسكري|مدنيين|مدنيا|مدني|أشخاص|شخصا|شخص|قتلى|قتيلا|قتيل|"
    "عناصر|عنصرا|مقاتلين|مقاتلا|مسلحين|مسلحا|إرهابيين|إرهابيا|إرهابي|جهاديين|جهاديا|"
    "رعاة|راعيا|قرويين|قرويا|مواطنين|مواطنا|أفراد|فردا|دركيين|دركيا|شرطيين|شرطيا|رجال|"
    "نساء|أطفال|طفلا|مرتزقة|مرتزقا|ضحايا|ضحية|من\\s+الجنود|من\\s+المدنيين|من\\s+العناصر"
)
_DUALS = (
    "جنديان|جنديين|عسكريان|مدنيان|شخصان|شخصين|قتيلان|قتيلين|دركيان|شرطيان|"
    "طفلان|طفلين|رجلان|رجلين|امرأتان|امرأتين|راعيان|راعيين|مقاتلان"
)
_KILL = (
    "مقتل|قتل|قتلت|قتلوا|يقتل|تقتل|قُتل|مصرع|لقي|لقوا|لقيت|أودى\\s+بحياة|أودت\\s+بحياة|"
    "حصيلة|تصفية|إعدام|أعدم|أعدمت|أعدموا|تحييد|حيد|حيدت|القضاء\\s+على|سقوط|استشهاد|اغتيال|ذبح|"
    "سقط|قتلى"
)
_WOUND = "إصابة|جرح|جرحى|مصابين|إصابات|الجرحى|أصيب|أصيبوا"
_VAGUE = "عدد\\s+من|العديد\\s+من|عشرات|عشرات\\s+من|بضعة|بعض|مئات|آحاد|عدة"


def _f(pattern: str) -> str:
    """Fold the Arabic letters of a regex without touching its syntax."""
    return "".join(fold_phrase(c) if "\u0600" <= c <= "\u06ff" else c for c in pattern)


_NUMBER_WORD = "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_WORDS, key=len, reverse=True)
)
_COUNT = re.compile(
    _f(
        rf"(?<!\w)(?:(?P<digits>\d+)|(?P<word>{_NUMBER_WORD}))(?:\s+(?:من\s+)?)?"
        rf"(?:\s*(?P<noun>(?:ال)?(?:{_VICTIMS})))?(?!\w)"
    )
)
_DUAL = re.compile(_f(rf"(?<!\w)(?:و|ب|ل)?(?:ال)?(?P<dual>{_DUALS})(?!\w)"))
_KILL_RE = re.compile(_f(rf"(?<!\w)(?:و|ف|ب)?(?:ال)?(?:{_KILL})"))
_WOUND_RE = re.compile(_f(rf"(?<!\w)(?:و|ف|ب|ل)?(?:ال)?(?:{_WOUND})"))
_VAGUE_RE = re.compile(_f(rf"(?<!\w)(?:{_VAGUE})(?!\w)"))
_CLAUSE_END = re.compile(r"[.،,؛;:]|\sو(?:ا|إ)?(?:صابه|جرح|تدمير|الاستيلاء|مصادره|احراق|اسر)")
_NOUN_BEFORE = re.compile(_f(rf"(?:{_VICTIMS}|{_DUALS}|عنصر|جندي)\s+(?:\S+\s+)?$"))
_KILLED_AFTER = re.compile(_f(r"\s+(?:\S+\s+){0,2}?(?:قتلوا|قتل|لقوا|لقي|سقطوا|قضوا|قتلن)(?!\w)"))
_CONFLICT = re.compile(
    _f(
        r"بينما|في\s+حين|مصادر\s+أخرى|رواية\s+أخرى|فيما\s+قالت|وتحدثت|ارتفعت\s+الحصيلة|"
        r"ارتفاع\s+الحصيلة|في\s+المقابل|نفى|نفت|نفوا|ينفي|تنفي"
    )
)


@dataclass(frozen=True)
class Count:
    value: int
    start: int  # folded offsets of the figure and its noun
    end: int


def number_value(word: str) -> int | None:
    """The value of digits or one Arabic number word (folded), else None."""
    if word.isdigit():
        return int(word)
    return _WORDS.get(re.sub(r"\s+", " ", word))


def find_fatalities(
    folded: str, start: int = 0, end: int | None = None, skip: list[tuple[int, int]] | None = None
) -> list[list[Count]]:
    """Killing phrases in folded[start:end], each a list of the counts it adds up.

    A phrase starts at a killing cue and runs to the end of its clause; counts joined by "and"
    in one phrase add up (three soldiers and two civilians); vague amounts yield no count.
    """
    end = len(folded) if end is None else end
    phrases: list[list[Count]] = []
    for cue in _KILL_RE.finditer(folded, start, end):
        stop = end
        clause = _CLAUSE_END.search(folded, cue.end(), end)
        if clause:
            stop = clause.start()
        stop = min(stop, cue.end() + 80)
        wound = _WOUND_RE.search(folded, cue.end(), stop)
        if wound and wound.start() - cue.end() < 3:
            continue
        counts = _counts_in(folded, cue.start(), stop)
        if counts:
            phrases.append(counts)
    # the count first, the verb after: "thirty people were killed"
    for m in _COUNT.finditer(folded, start, end):
        if m["noun"] and _KILLED_AFTER.match(folded, m.end(), min(end, m.end() + 30)):
            value = number_value(m["digits"] or m["word"])
            if value and value <= 5000:
                phrases.append([Count(value, m.start(), m.end())])
    if skip:  # figures that are part of a date ("on the 28th of last month")
        phrases = [
            [c for c in p if not any(a < c.end and c.start < b for a, b in skip)] for p in phrases
        ]
        phrases = [p for p in phrases if p]
    return _dedupe(phrases)


def _counts_in(folded: str, start: int, stop: int) -> list[Count]:
    counts: list[Count] = []
    window = folded[start:stop]
    vague = _VAGUE_RE.search(window)
    for m in _COUNT.finditer(folded, start, stop):
        if vague and vague.start() + start < m.start() and not counts:
            break
        raw = m["digits"] or m["word"]
        value = number_value(raw)
        if value is None or value == 0 or value > 5000:
            continue
        if m["digits"] and not m["noun"]:
            after = folded[m.end() : m.end() + 12]
            if not re.match(_f(r"\s*(?:قتيل|من\s|شخص|جند)"), after):
                continue  # a bare digit (a year, a vehicle count) is not a toll
        if m["word"] and not m["noun"]:
            before = folded[max(start, m.start() - 25) : m.start()]
            if _NOUN_BEFORE.search(before):  # "two civilians", "one Russian soldier"
                if _DUAL.search(before) and value <= 2:
                    continue  # the dual already counted them
            elif not re.match(_f(r"\s*(?:من|قتل)"), folded[m.end() : m.end() + 6]):
                continue
        counts.append(Count(value, m.start(), m.end()))
    for m in _DUAL.finditer(folded, start, stop):
        if vague and vague.start() + start < m.start():
            continue
        counts.append(Count(2, m.start("dual"), m.end("dual")))
    counts.sort(key=lambda c: c.start)
    return counts


def _dedupe(phrases: list[list[Count]]) -> list[list[Count]]:
    seen: set[tuple[int, int]] = set()
    out: list[list[Count]] = []
    for phrase in phrases:
        fresh = [c for c in phrase if (c.start, c.end) not in seen]
        seen.update((c.start, c.end) for c in phrase)
        if fresh:
            out.append(fresh)
    return out


def fatality_total(folded: str, phrases: list[list[Count]]) -> tuple[int, list[Count]] | None:
    """One figure for an incident: phrases add up, unless they are rival figures (lowest wins)."""
    if not phrases:
        return None
    totals = [(sum(c.value for c in p), p) for p in phrases]
    if len(totals) == 1:
        return totals[0][0], totals[0][1]
    lo = min(c.start for p in phrases for c in p)
    hi = max(c.end for p in phrases for c in p)
    if _CONFLICT.search(folded, lo, hi) or _CONFLICT.search(folded, max(0, lo - 200), lo):
        value, phrase = min(totals, key=lambda t: t[0])
        return value, phrase
    return sum(t[0] for t in totals), [c for _, p in totals for c in p]
