"""Actors named in Arabic reports, mapped to ACLED's actor names and inter codes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from db.extract.textview import fold_phrase
from db.folding import fold


@dataclass(frozen=True)
class ActorKind:
    key: str
    inter: str
    state: bool = False
    civilian: bool = False
    target_only: bool = False
    """Military objects (a convoy, a post): evidence of the target, never of the attacker."""
    group_word: bool = False
    """A generic word ("the group") that refers back to the last named armed group."""


JNIM = "JNIM: Group for Support of Islam and Muslims"
ISSP = "Islamic State Sahel"
UNIDENTIFIED = "Unidentified Armed Group (Mali)"
CIVILIANS = "Civilians (Mali)"

# (Arabic spellings, ACLED name or a period-dependent key, inter)
_LEXICON: tuple[tuple[tuple[str, ...], ActorKind], ...] = (
    (
        (
            "جماعة نصرة الإسلام والمسلمين",
            "نصرة الإسلام والمسلمين",
            "نصرة الاسلام",
            "جماعة نصرة الإسلام",
            "JNIM",
            "جنيم",
            "القاعدة في بلاد المغرب الإسلامي",
            "تنظيم القاعدة",
            "فرع القاعدة",
            "جماعة النصرة",
            "كتيبة ماسينا",
            "كتيبة ماسنا",
        ),
        ActorKind(JNIM, "Rebel group"),
    ),
    (
        (
            "تنظيم الدولة الإسلامية في الساحل",
            "الدولة الإسلامية في الساحل",
            "ولاية الساحل",
            "تنظيم الدولة الإسلامية في الصحراء الكبرى",
            "الدولة الإسلامية في الصحراء الكبرى",
            "داعش",
            "تنظيم الدولة الإسلامية",
            "تنظيم الدولة",
            "ISSP",
            "ISGS",
        ),
        ActorKind(ISSP, "Rebel group"),
    ),
    (
        (
            "جبهة تحرير أزواد",
            "FLA",
            "الحركات الأزوادية",
            "المتمردين الطوارق",
            "متمردي أزواد",
            "الحركة الوطنية لتحرير أزواد",
            "تنسيقية الحركات الأزوادية",
            "الإطار الاستراتيجي الدائم",
        ),
        ActorKind("FLA: Azawad Liberation Front", "Rebel group"),
    ),
    (
        ("القوات الجوية المالية", "سلاح الجو المالي", "الطيران العسكري المالي", "القوات الجوية"),
        ActorKind("mali_air", "State forces", state=True),
    ),
    (
        ("الدرك المالي", "الدرك", "الدركيين", "دركيين", "الحرس الوطني المالي", "الحرس الوطني"),
        ActorKind("mali_gendarmerie", "State forces", state=True),
    ),
    (("الشرطة المالية", "الشرطة"), ActorKind("mali_police", "State forces", state=True)),
    (
        (
            "الجيش المالي",
            "القوات المسلحة المالية",
            "القوات المالية",
            "الجنود الماليين",
            "جنود ماليين",
            "فاما",
            "FAMa",
            "الجيش",
            "الجنود",
            "جنود",
            "القوات الحكومية",
            "قواتها",
            "وحداتها",
            "قوات الجيش",
            "وحدات الجيش",
            "الجيش النظامي",
            "للجيش",
            "جنديا",
            "جنديين",
            "جنديان",
            "عسكريين",
            "العسكريين",
        ),
        ActorKind("mali_army", "State forces", state=True),
    ),
    (
        (
            "دورية عسكرية",
            "قافلة عسكرية",
            "موقع عسكري",
            "موقعا عسكريا",
            "ثكنة عسكرية",
            "قاعدة عسكرية",
            "مركبة عسكرية",
            "عربة مدرعة",
            "عربة عسكرية",
            "نقطة تفتيش",
            "معسكر للجيش",
            "مركبات عسكرية",
            "آليات عسكرية",
            "عربات عسكرية",
            "قافلة للجيش",
            "ثكنة",
            "دورية",
        ),
        ActorKind("mali_army", "State forces", state=True, target_only=True),
    ),
    (
        ("الفيلق الإفريقي", "الفيلق الأفريقي", "أفريكا كوربس", "Africa Corps"),
        ActorKind("Africa Corps", "External/Other forces"),
    ),
    # Wagner left Mali in June 2025; the press still says "Wagner" for the Russians after it
    (("فاغنر", "فاجنر", "Wagner"), ActorKind("russians", "External/Other forces")),
    (
        ("الروس", "المرتزقة الروس", "الروسي", "الروسية", "مرتزقة روس"),
        ActorKind("russians", "External/Other forces"),
    ),
    (
        ("الدوزو", "دوزو", "الصيادين التقليديين", "صيادين تقليديين", "الصيادون التقليديون"),
        ActorKind("Dozo Communal Militia (Mali)", "Identity militia"),
    ),
    (
        ("دان نا أمباساغو", "دان نا امباساغو", "دان نان أمباساغو"),
        ActorKind("Dan Na Ambassagou", "Identity militia"),
    ),
    (
        ("الفلان", "الفولاني", "الفولانيين", "الفلاني", "البول", "الفولان", "البيول"),
        ActorKind("Fulani Ethnic Group (Mali)", "Civilians", civilian=True),
    ),
    (("الدوغون", "الدوجون"), ActorKind("Dogon Ethnic Group (Mali)", "Civilians", civilian=True)),
    (("الطوارق",), ActorKind("Tuareg Ethnic Group (Mali)", "Civilians", civilian=True)),
    (
        ("البمبارا", "البامبارا"),
        ActorKind("Bambara Ethnic Group (Mali)", "Civilians", civilian=True),
    ),
    (
        (
            "مدنيين",
            "المدنيين",
            "مدنيا",
            "مدنيان",
            "مدني",
            "قرويين",
            "القرويين",
            "السكان",
            "رعاة",
            "الرعاة",
            "مواطنين",
            "المواطنين",
            "تجار",
            "ركاب",
            "نساء",
            "أطفال",
            "مسافرين",
            "المسافرين",
            "رجال",
            "الرجال",
            "أشخاص",
            "أشخاصا",
            "شخصا",
            "شبان",
            "الشبان",
        ),
        ActorKind(CIVILIANS, "Civilians", civilian=True),
    ),
    (
        ("الجماعة", "التنظيم", "مقاتلو الجماعة", "مقاتلي الجماعة", "عناصر الجماعة"),
        ActorKind("group", "Political militia", group_word=True),
    ),
    (
        (
            "مسلحين",
            "مسلحون",
            "المسلحين",
            "المسلحون",
            "مسلحين مجهولين",
            "مسلحون مجهولون",
            "مجهولين",
            "مجهولون",
            "الإرهابيين",
            "إرهابيين",
            "الجهاديين",
            "الجهاديون",
            "مهاجمين",
        ),
        ActorKind(UNIDENTIFIED, "Political militia"),
    ),
)

_PREFIX = r"(?<!\w)(?:و|ف|ب|ل|ك)?"


_KIND_BY_NAME: dict[str, ActorKind] = {}
_CONTRACTED: set[str] = set()
"""Names written with the preposition ل (ل + الجماعة = للجماعة): a mention starts after it, as
after any other prefix, so that it is never read as a verb's subject."""
for _names, _kind in _LEXICON:
    for _name in _names:
        _KIND_BY_NAME.setdefault(fold_phrase(_name), _kind)
for _names, _kind in _LEXICON:
    for _name in _names:
        _contracted = fold_phrase("لل" + _name[2:])
        if _name.startswith("ال") and _contracted not in _KIND_BY_NAME:
            _KIND_BY_NAME[_contracted] = _kind
            _CONTRACTED.add(_contracted)
# One capture group (many named groups make Python's re several times slower).
_RE = re.compile(
    _PREFIX
    + "("
    + "|".join(re.escape(n) for n in sorted(_KIND_BY_NAME, key=len, reverse=True))
    + r")(?!\w)"
)


@dataclass(frozen=True)
class ActorMention:
    kind: ActorKind
    start: int  # folded offsets
    end: int


def find_actors(folded: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
    end = len(folded) if end is None else end
    out: list[ActorMention] = []
    for m in _RE.finditer(folded, start, end):
        name = m.group(1)
        skip = 2 if name in _CONTRACTED else 0
        out.append(ActorMention(_KIND_BY_NAME[name], m.start(1) + skip, m.end(1)))
    return out


def acled_name(kind: ActorKind, date: dt.date | None, country: str = "Mali") -> str:
    """ACLED's name for the actor at the event's date and in the event's country.

    State forces carry a period suffix (a new one after each coup); for countries other than
    Mali and its neighbours with known periods, the name has no suffix.
    """
    period = _period(country, date)
    forces = f"{country} {period}".strip()
    if kind.key == "mali_army":
        return f"Military Forces of {forces}"
    if kind.key == "mali_air":
        return f"Military Forces of {forces} Air Force"
    if kind.key == "mali_gendarmerie":
        return f"Police Forces of {forces} Gendarmerie"
    if kind.key == "mali_police":
        return f"Police Forces of {forces}"
    if kind.key == "russians":
        return "Africa Corps" if date is None or date >= dt.date(2025, 6, 6) else "Wagner Group"
    if kind.key in (UNIDENTIFIED, CIVILIANS):
        return kind.key.replace("(Mali)", f"({country})")
    return kind.key


def _period(country: str, date: dt.date | None) -> str:
    if country == "Mali":
        return _mali_period(date)
    if country == "Burkina Faso":
        if date is None or date >= dt.date(2022, 9, 30):
            return "(2022-)"
        return "(2022)" if date >= dt.date(2022, 1, 24) else "(2015-2022)"
    if country == "Niger":
        return "(2023-)" if date is None or date >= dt.date(2023, 7, 26) else "(2021-2023)"
    return ""


def _mali_period(date: dt.date | None) -> str:
    if date is None or date >= dt.date(2021, 5, 24):
        return "(2021-)"
    if date >= dt.date(2020, 8, 18):
        return "(2020-2021)"
    if date >= dt.date(2013, 9, 4):
        return "(2013-2020)"
    return "(2012-2013)"


@dataclass(frozen=True)
class KnownActor:
    """An ACLED actor name the lexicon can propose, for the incident form's picker."""

    name: str
    inter: str
    spellings: tuple[str, ...]
    """The name and the Arabic (and Latin) words that mean it, folded."""


@lru_cache(maxsize=16)
def known_actors(date: dt.date | None = None, country: str = "Mali") -> tuple[KnownActor, ...]:
    """Every ACLED name the lexicon maps to, with its actor type and the words that name it.

    Generic words ("the group") and targets ("a convoy") name no actor of their own.
    """
    merged: dict[str, tuple[str, list[str]]] = {}
    for names, kind in _LEXICON:
        if kind.group_word or kind.target_only:
            continue
        name = acled_name(kind, date, country)
        _inter, words = merged.setdefault(name, (kind.inter, [fold(name)]))
        words.extend(fold(n) for n in names)
    return tuple(
        KnownActor(name, inter, tuple(dict.fromkeys(words)))
        for name, (inter, words) in merged.items()
    )


_STATE_FORCES = re.compile(r"^(?:Military|Police) Forces of ")


def actor_inter(name: str | None, date: dt.date | None = None) -> str | None:
    """The actor type the lexicon gives an ACLED name (state forces of any period), else None."""
    if not name:
        return None
    if _STATE_FORCES.match(name):
        return "State forces"
    for actor in known_actors(date):
        if actor.name == name:
            return actor.inter
    if name.startswith("Civilians (") or " Ethnic Group" in name:
        return "Civilians"
    if name.startswith("Unidentified Armed Group ("):
        return "Political militia"
    return None
