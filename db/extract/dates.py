"""Dates in Arabic reports, resolved against the publication date.

Handles day + month name (Levantine, Egyptian and Maghrebi month names) with or without a year,
weekday names (also glued to the digits), relative phrases ("yesterday", "the next day", "the
same day", "last Thursday", "early this week"), Hijri dates (Umm al-Qura, via hijridate),
numeric dates in day/month or month/day order, and Arabic-Indic digits (folded beforehand).
No year is invented: without a publication date, a date without a year stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from db.extract.textview import fold_phrase

_MONTHS_G: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه", "يناير/كانون الثاني"),
    2: ("فبراير", "شباط", "فيفري", "فبراير/شباط"),
    3: ("مارس", "آذار", "اذار"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "غشت"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول", "اكتوبر"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "دجنبر", "دسمبر"),
}
_MONTHS_H: dict[int, tuple[str, ...]] = {
    1: ("محرم",),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع الاول"),
    4: ("ربيع الآخر", "ربيع الثاني"),
    5: ("جمادى الأولى", "جمادى الاولى"),
    6: ("جمادى الآخرة", "جمادى الثانية"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}
WEEKDAYS: dict[str, int] = {  # datetime.weekday(): Monday = 0
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}


def _alt(words: list[str]) -> str:
    folded = sorted({fold_phrase(w).replace(" ", r"\s+") for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\\s\+", r"\s+") for w in folded)


_MONTH_G_BY_NAME = {fold_phrase(n): m for m, names in _MONTHS_G.items() for n in names}
_MONTH_H_BY_NAME = {fold_phrase(n): m for m, names in _MONTHS_H.items() for n in names}
_WEEKDAY_BY_NAME = {fold_phrase(n): d for n, d in WEEKDAYS.items()}

_WD = rf"(?:يوم\s+)?(?P<wd>{_alt(list(WEEKDAYS))})"
_B = r"(?<![\w])"  # word start (Arabic letters are \w)
_E = r"(?![\w])"
_GREG = re.compile(
    rf"{_B}(?:{_WD}\s*[،,]?\s*)?(?P<d>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?"
    rf"(?P<m>{_alt([n for v in _MONTHS_G.values() for n in v])}){_E}"
    rf"(?:\s*[،,]?\s*(?:من\s+)?(?:عام|سنه|لعام)?\s*(?P<y>(?:19|20)\d\d){_E})?"
)
_HIJRI = re.compile(
    rf"{_B}(?:{_WD}\s*[،,]?\s*)?(?P<d>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?"
    rf"(?P<m>{_alt([n for v in _MONTHS_H.values() for n in v])}){_E}"
    rf"(?:\s*(?:عام|سنه|لعام)?\s*(?P<y>1[34]\d\d))?\s*(?P<h>هـ|ه{_E}|للهجره|هجري[هة]?)?"
)
_NUMERIC = re.compile(
    rf"{_B}(?:{_WD}\s*[،,]?\s*)?(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})"
    rf"(?P=sep)(?P<y>(?:19|20)?\d\d)(?!\d)"
)
_WEEKDAY = re.compile(
    rf"{_B}(?P<wd>{_alt(list(WEEKDAYS))}){_E}(?P<past>\s+(?:الماضي|المنصرم|الفائت|المنقضي))?"
)
_REL_PUB = re.compile(
    rf"{_B}(?:(?P<before2>[اأ]ول\s+(?:من\s+)?[اأ]مس)|(?P<yday>[اأ]مس|البارحه|ليله\s+[اأ]مس)"
    rf"|(?P<ndays>قبل\s+(?P<n>\d+|يومين|ثلاثه|اربعه|خمسه|سته)\s*(?:ايام)?)"
    rf"|(?P<today>(?:فجر|صباح|مساء|ظهر|عصر|ليله|ظهيره)\s+(?:هذا\s+)?اليوم"
    rf"(?!\s+(?:التالي|الموالي|نفسه|ذاته|الذي))))"
    rf"{_E}".replace("ه", "[هة]")
)
_MONTH_REL = re.compile(
    rf"{_B}(?P<d>\d{{1,2}})\s+من\s+(?:هذا\s+)?(?:الشهر|شهر)\s+(?P<which>الجاري|الحالي|الماضي|المنصرم|"
    rf"الفائت|السابق){_E}"
)
_REL_PREV = re.compile(
    rf"{_B}(?:(?P<next>(?:في\s+)?(?:صباح|مساء|ليله|فجر|ظهر)?\s*(?:اليوم|يوم)\s+(?:التالي|الموالي)"
    rf"|غداه|في\s+الغد|صباح\s+الغد|اليوم\s+الذي\s+تلاه)"
    rf"|(?P<same>(?:اليوم|اليوم)\s+(?:نفسه|ذاته)|(?:نفس|ذات)\s+اليوم))"
)
_WEEK = re.compile(
    rf"{_B}(?:(?P<early>(?:مطلع|بدايه|اوائل|مستهل)\s+(?:هذا\s+)?الاسبوع(?:\s+الجاري|\s+الحالي)?)"
    rf"|(?P<last>(?:خلال\s+)?الاسبوع\s+(?:الماضي|المنصرم|الفائت))"
    rf"|(?P<this>(?:خلال\s+)?(?:هذا\s+الاسبوع|الاسبوع\s+(?:الجاري|الحالي))))"
)


@dataclass(frozen=True)
class DateMention:
    """A date expression at folded [start, end); resolve() gives the calendar date."""

    start: int
    end: int
    kind: str  # abs | hijri | numeric | weekday | rel_pub | rel_prev | week | month_day
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int = 0
    alternatives: tuple[tuple[int, int, int], ...] = ()  # numeric (y, m, d) readings
    past: bool = False


def find_dates(folded: str) -> list[DateMention]:
    """Every date expression in folded text, longest first where they overlap."""
    found: list[DateMention] = []
    for m in _GREG.finditer(folded):
        y = int(m["y"]) if m["y"] else None
        found.append(
            DateMention(
                m.start(),
                m.end(),
                "abs",
                y,
                _MONTH_G_BY_NAME[_norm(m["m"])],
                int(m["d"]),
                _wd(m["wd"]),
            )
        )
    for m in _HIJRI.finditer(folded):
        name = _norm(m["m"])
        if name == fold_phrase("صفر") and not (m["y"] or m["h"]):
            continue  # "zero" unless it is clearly a date
        y = int(m["y"]) if m["y"] else None
        found.append(
            DateMention(
                m.start(), m.end(), "hijri", y, _MONTH_H_BY_NAME[name], int(m["d"]), _wd(m["wd"])
            )
        )
    for m in _NUMERIC.finditer(folded):
        y = int(m["y"])
        if y < 100:
            y += 2000
        a, b = int(m["a"]), int(m["b"])
        readings = tuple(r for r in ((y, b, a), (y, a, b)) if _valid(*r))
        if readings:
            found.append(
                DateMention(
                    m.start(),
                    m.end(),
                    "numeric",
                    y,
                    weekday=_wd(m["wd"]),
                    alternatives=tuple(dict.fromkeys(readings)),
                )
            )
    for m in _WEEKDAY.finditer(folded):
        found.append(
            DateMention(m.start(), m.end(), "weekday", weekday=_wd(m["wd"]), past=bool(m["past"]))
        )
    for m in _REL_PUB.finditer(folded):
        if m["today"]:
            off = 0
        elif m["before2"]:
            off = -2
        elif m["yday"]:
            off = -1
        else:
            off = -_small_number(m["n"])
        found.append(DateMention(m.start(), m.end(), "rel_pub", offset=off))
    for m in _MONTH_REL.finditer(folded):
        back = 0 if m["which"] in ("الجاري", "الحالي") else 1
        found.append(DateMention(m.start(), m.end(), "month_day", day=int(m["d"]), offset=back))
    for m in _REL_PREV.finditer(folded):
        found.append(DateMention(m.start(), m.end(), "rel_prev", offset=1 if m["next"] else 0))
    for m in _WEEK.finditer(folded):
        off = 0 if m["early"] else (-7 if m["last"] else 0)
        found.append(DateMention(m.start(), m.end(), "week", offset=off, past=bool(m["early"])))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateMention] = []
    for d in found:
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    return kept


def resolve(
    mention: DateMention, published: dt.date | None, previous: dt.date | None = None
) -> tuple[dt.date, int] | None:
    """(date, ACLED time_precision) for a mention, or None when it cannot be placed."""
    if mention.kind == "abs":
        assert mention.month is not None and mention.day is not None
        if mention.year is not None:
            d = _make(mention.year, mention.month, mention.day)
            return (d, 1) if d else None
        if published is None:
            return None
        return _nearest_past(mention.month, mention.day, mention.weekday, published)
    if mention.kind == "hijri":
        return _hijri(mention, published)
    if mention.kind == "numeric":
        return _numeric(mention, published)
    if mention.kind == "weekday":
        if published is None or mention.weekday is None:
            return None
        back = (published.weekday() - mention.weekday) % 7
        if back == 0 and mention.past:
            back = 7
        return published - dt.timedelta(days=back), 1
    if mention.kind == "rel_pub":
        if published is None:
            return None
        return published + dt.timedelta(days=mention.offset), 1
    if mention.kind == "rel_prev":
        if previous is None:
            return None
        return previous + dt.timedelta(days=mention.offset), 1
    if mention.kind == "month_day":  # "on the 12th of this / last month"
        if published is None or mention.day is None:
            return None
        year, month = published.year, published.month - mention.offset
        if month == 0:
            year, month = year - 1, 12
        d = _make(year, month, mention.day)
        return (d, 1) if d else None
    if mention.kind == "week":
        if published is None:
            return None
        monday = published - dt.timedelta(days=published.weekday())
        return monday + dt.timedelta(days=mention.offset), 2
    return None


def _hijri(mention: DateMention, published: dt.date | None) -> tuple[dt.date, int] | None:
    from hijridate import Gregorian, Hijri  # imported late: only Hijri dates need it

    assert mention.month is not None and mention.day is not None
    years: list[int]
    if mention.year is not None:
        years = [mention.year]
    elif published is not None:
        h = Gregorian(published.year, published.month, published.day).to_hijri()
        years = [h.year, h.year - 1]
    else:
        return None
    for year in years:
        try:
            g = Hijri(year, mention.month, mention.day).to_gregorian()
        except (ValueError, OverflowError):
            continue
        d = dt.date(g.year, g.month, g.day)
        if mention.year is not None or published is None or d <= published:
            return d, 1
    return None


def _numeric(mention: DateMention, published: dt.date | None) -> tuple[dt.date, int] | None:
    dates = [d for d in (_make(*r) for r in mention.alternatives) if d]
    if not dates:
        return None
    if mention.weekday is not None:
        by_weekday = [d for d in dates if d.weekday() == mention.weekday]
        if by_weekday:
            dates = by_weekday
    if published is not None and len(dates) > 1:
        past = [d for d in dates if d <= published]
        if past:
            return past[0], 1  # day/month first (the Arabic press order) unless in the future
    return dates[0], 1


def _nearest_past(
    month: int, day: int, weekday: int | None, published: dt.date
) -> tuple[dt.date, int] | None:
    """The latest such day on or before publication (a few days' grace for previews)."""
    candidates = [d for d in (_make(published.year + k, month, day) for k in (0, -1, 1)) if d]
    grace = published + dt.timedelta(days=3)
    past = [d for d in candidates if d <= grace]
    if weekday is not None:
        matching = [d for d in past if d.weekday() == weekday]
        if matching:
            return max(matching), 1
    return (max(past), 1) if past else None


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _valid(y: int, m: int, d: int) -> bool:
    return _make(y, m, d) is not None


def _wd(name: str | None) -> int | None:
    return _WEEKDAY_BY_NAME.get(_norm(name)) if name else None


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


_SMALL = {"يومين": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6}


def _small_number(s: str) -> int:
    return int(s) if s.isdigit() else _SMALL.get(s, 1)
