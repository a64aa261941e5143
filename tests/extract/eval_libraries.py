"""Measure the candidate libraries for the extractor (run by hand; not part of the suite).

    python -m tests.extract.eval_libraries

Needs dateparser, pyarabic and convertdate installed besides rasd's own dependencies; prints
correctness on the extractor's own cases and the time per call, the figures quoted in the README.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import subprocess
import sys
import time

PUBLISHED = dt.datetime(2026, 1, 24, 12, 0)  # a Saturday
DATE_CASES = [
    ("الخميس 22 يناير 2026", dt.date(2026, 1, 22)),
    ("الخميس22 يناير", dt.date(2026, 1, 22)),
    ("يوم الأحد 18 يناير", dt.date(2026, 1, 18)),
    ("28 ديسمبر", dt.date(2025, 12, 28)),
    ("٢٢ يناير ٢٠٢٦", dt.date(2026, 1, 22)),
    ("أمس", dt.date(2026, 1, 23)),
    ("أول أمس", dt.date(2026, 1, 22)),
    ("الخميس الماضي", dt.date(2026, 1, 22)),
    ("3 رمضان 1446هـ", dt.date(2025, 3, 3)),
    ("05/03/2025", dt.date(2025, 3, 5)),
    ("22 كانون الثاني 2026", dt.date(2026, 1, 22)),
    ("22 جانفي 2026", dt.date(2026, 1, 22)),
]
# Umm al-Qura first days of months, as published by Saudi authorities.
HIJRI_CASES = [
    ((1446, 9, 1), dt.date(2025, 3, 1)),
    ((1446, 10, 1), dt.date(2025, 3, 30)),
    ((1447, 1, 1), dt.date(2025, 6, 26)),
    ((1447, 9, 1), dt.date(2026, 2, 18)),
    ((1445, 12, 10), dt.date(2024, 6, 16)),
]
NUMBER_CASES = [
    ("خمسة", 5),
    ("ثلاثة", 3),
    ("أحد عشر", 11),
    ("ثلاثين", 30),
    ("جنديين", 2),
    ("مدنيان", 2),
    ("عشرات", None),
]


def timed(fn, n: int = 200) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def import_time(module: str) -> float:
    """Import time in a fresh interpreter (this one may have the module already)."""
    code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    importlib.import_module(module)
    return float(out.stdout)


def rasd_dates() -> tuple[int, float]:
    from db.extract.dates import find_dates, resolve
    from db.extract.textview import fold_with_index

    def one(text: str) -> dt.date | None:
        ms = find_dates(fold_with_index(text).folded)
        res = resolve(ms[0], PUBLISHED.date()) if ms else None
        return res[0] if res else None

    ok = sum(one(t) == want for t, want in DATE_CASES)
    return ok, timed(lambda: [one(t) for t, _ in DATE_CASES]) / len(DATE_CASES)


def dateparser_dates() -> tuple[int, float, float]:
    took = import_time("dateparser")
    import dateparser  # type: ignore  # not a dependency: installed to measure it

    settings = {"RELATIVE_BASE": PUBLISHED, "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"}

    def one(text: str) -> dt.date | None:
        got = dateparser.parse(text, languages=["ar"], settings=settings)  # type: ignore[arg-type]
        return got.date() if got else None

    ok = sum(one(t) == want for t, want in DATE_CASES)
    for t, want in DATE_CASES:
        if one(t) != want:
            print(f"  dateparser: {t!r} -> {one(t)} (want {want})")
    return ok, timed(lambda: [one(t) for t, _ in DATE_CASES], 5) / len(DATE_CASES), took


def hijri() -> None:
    took = import_time("hijridate")
    from hijridate import Hijri

    ok = sum(dt.date(*Hijri(*h).to_gregorian().datetuple()) == g for h, g in HIJRI_CASES)
    per = timed(lambda: [Hijri(*h).to_gregorian() for h, _ in HIJRI_CASES]) / len(HIJRI_CASES)
    print(
        f"hijridate (Umm al-Qura): {ok}/{len(HIJRI_CASES)} right, {per * 1e6:.1f} us/date, "
        f"import {took * 1000:.0f} ms"
    )
    from convertdate import islamic  # type: ignore

    ok = sum(dt.date(*islamic.to_gregorian(*h)) == g for h, g in HIJRI_CASES)
    print(f"convertdate.islamic (tabular): {ok}/{len(HIJRI_CASES)} right")


def numbers() -> None:
    from db.extract.numbers import fatality_total, find_fatalities
    from db.extract.textview import fold_with_index

    def ours(word: str) -> int | None:
        folded = (
            fold_with_index(f"مقتل {word} جنود").folded
            if word not in ("جنديين", "مدنيان")
            else fold_with_index(f"مقتل {word}").folded
        )
        total = fatality_total(folded, find_fatalities(folded))
        return total[0] if total else None

    took = import_time("pyarabic.number")
    import pyarabic.number as pn  # type: ignore

    def theirs(word: str) -> int | None:
        return pn.text2number(word) or None

    print(
        f"numbers, rasd: {sum(ours(w) == v for w, v in NUMBER_CASES)}/{len(NUMBER_CASES)}; "
        f"pyarabic.text2number: {sum(theirs(w) == v for w, v in NUMBER_CASES)}/"
        f"{len(NUMBER_CASES)} (import {took * 1000:.0f} ms)"
    )


def fuzzy() -> None:
    from db.extract.gazetteer import _fuzzy_keys

    keys = _fuzzy_keys()
    probes = ["nusumbugu", "tumbuktu", "kulikuru", "diafarabi", "bulkisi", "dwintza"]
    from rapidfuzz import fuzz, process

    rf = timed(
        lambda: [process.extractOne(p, keys, scorer=fuzz.ratio, score_cutoff=86) for p in probes],
        20,
    ) / len(probes)
    dl = timed(
        lambda: [difflib.get_close_matches(p, keys, n=1, cutoff=0.86) for p in probes], 2
    ) / len(probes)
    print(
        f"fuzzy match over {len(keys)} town keys: rapidfuzz {rf * 1000:.2f} ms, "
        f"difflib {dl * 1000:.1f} ms per name"
    )
    from db.extract.gazetteer import index

    every = sorted(index().keys)  # a country dump added: every village is a candidate
    rf = timed(
        lambda: [process.extractOne(p, every, scorer=fuzz.ratio, score_cutoff=86) for p in probes],
        5,
    ) / len(probes)
    dl = timed(
        lambda: [difflib.get_close_matches(p, every, n=1, cutoff=0.86) for p in probes], 1
    ) / len(probes)
    print(
        f"fuzzy match over all {len(every)} keys: rapidfuzz {rf * 1000:.2f} ms, "
        f"difflib {dl * 1000:.1f} ms per name"
    )


def main() -> None:
    ok, per = rasd_dates()
    print(f"dates, rasd rules: {ok}/{len(DATE_CASES)} right, {per * 1e6:.0f} us/phrase")
    ok, per, took = dateparser_dates()
    print(
        f"dates, dateparser: {ok}/{len(DATE_CASES)} right, {per * 1000:.1f} ms/phrase, "
        f"import {took * 1000:.0f} ms"
    )
    hijri()
    numbers()
    fuzzy()


if __name__ == "__main__":
    main()
