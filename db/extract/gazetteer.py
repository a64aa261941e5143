"""Place names in Arabic reports resolved against rasd's packaged gazetteer.

GeoNames has Arabic names for few places, so Arabic spellings are matched to Latin names through
a shared phonetic key (transliteration-aware: `نوسومبوغو` and `Nossombougou` both give
`nusumbugu`), exactly first, then fuzzily (rapidfuzz) for towns and regions only, so a press
misspelling of a known town resolves while a common word does not become a village.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from db.extract.countries import BY_ISO2, CAPITALS, COUNTRIES, Country
from db.extract.textview import fold_phrase
from db.places import admin1_table


class Place(NamedTuple):  # a tuple: 15,000 are built per process, dataclasses cost 3x
    name: str
    country: str  # ACLED country name
    iso: int | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    rank: int  # 0 country, 1 region / its capital, 2 cercle / seat, 3 town, 4 village
    population: int = 0
    region_only: bool = False
    """The mention names a region (admin1), not a town: the event is somewhere in it."""


_AR_KEY = str.maketrans(
    {
        "ا": "a",
        "أ": "a",
        "إ": "i",
        "آ": "a",
        "ب": "b",
        "ت": "t",
        "ط": "t",
        "ث": "s",
        "ج": "j",
        "ح": "h",
        "خ": "k",
        "د": "d",
        "ض": "d",
        "ذ": "z",
        "ر": "r",
        "ز": "z",
        "ظ": "z",
        "س": "s",
        "ص": "s",
        "ش": "sh",
        "ع": "",
        "غ": "g",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "ة": "a",
        "و": "u",
        "ي": "i",
        "ى": "a",
        "ء": "",
        "ئ": "i",
        "ؤ": "u",
        "پ": "p",
        "ڤ": "v",
        "گ": "g",
        " ": " ",
    }
)
_LATIN_RULES = (
    (r"ou", "u"),
    (r"ch", "sh"),
    (r"dj", "j"),
    (r"gu(?=[ei])", "g"),
    (r"qu", "k"),
    (r"ph", "f"),
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"q", "k"),
    (r"x", "ks"),
    (r"kh", "k"),
    (r"gh", "g"),
    (r"th", "t"),
    (r"v", "f"),  # Arabic writes v as ف
    (r"w", "u"),
    (r"y", "i"),
    (r"e", "i"),
    (r"o", "u"),
    (r"ts", "s"),
    (r"(?<=[aiu])h(?![aiu])", ""),
    (r"(.)\1+", r"\1"),
)
_LATIN_RULES_RE = tuple((re.compile(a), b) for a, b in _LATIN_RULES)
_INITIAL_VOWEL = re.compile(r"^[aiu]")
_STOP_LATIN = re.compile(r"\b(?:du|de|des|la|le|el|al|d)\b")


def latin_key(name: str) -> str:
    """Phonetic key of a Latin (French/English) place name.

    Vowels are reduced to a/i/u as Arabic writes them, and an initial vowel is always `a`
    (Arabic's initial alef carries no reliable vowel once hamza marks are folded away).
    """
    s = "".join(
        c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)
    )
    s = re.sub(r"[^a-z ]+", " ", s)
    s = _STOP_LATIN.sub(" ", s)
    for pattern, repl in _LATIN_RULES_RE:
        s = pattern.sub(repl, s)
    return _INITIAL_VOWEL.sub("a", re.sub(r"\s+", "", s))


def arabic_key(folded: str) -> str:
    """Phonetic key of a folded Arabic place name (the article al- dropped)."""
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in folded.split()]
    words = [w[:-1] + "ة" if w.endswith("ه") else w for w in words]  # folded ta marbuta
    s = " ".join(words).translate(_AR_KEY)
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(?<=[^aiu])i(?=[aiu])", "i", s)
    return _INITIAL_VOWEL.sub("a", s)


_VOWELS = str.maketrans("", "", "aiu")


def skeleton(key: str) -> str:
    """Consonants only: Arabic omits short vowels that Latin spellings write."""
    return key.translate(_VOWELS)


@dataclass
class _Index:
    arabic: dict[str, list[Place]]
    keys: dict[str, list[Place]]
    primary: set[tuple[str, int]]
    first_words: set[str] = field(default_factory=set)
    """First word of every Arabic name: most words of a report start none, and are skipped."""


def _rows(text: str) -> Iterable[list[str]]:
    """Well-formed rows only: a damaged user file costs its bad rows, not the extractor."""
    lines = text.splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) >= 10 and cols[5].isdigit() and (cols[9] or "0").isdigit():
            try:
                float(cols[3]), float(cols[4])
            except ValueError:
                continue
            yield cols


def user_gazetteer_dir() -> Path:
    """Where `rasd gazetteer add` keeps other countries' places (beside the default database)."""
    from db.paths import default_db_path

    return default_db_path().parent / "gazetteer"


def user_files() -> list[Path]:
    """The user's gazetteer additions (`rasd gazetteer add`), one file per country."""
    try:
        user_dir = user_gazetteer_dir()
        return sorted(user_dir.glob("*.tsv.gz")) if user_dir.is_dir() else []
    except OSError:
        return []


@cache
def index() -> _Index:
    """Packaged gazetteer + user additions + regions + countries, indexed once."""
    texts = []
    packaged = resources.files("db") / "data" / "gazetteer-ML.tsv.gz"
    texts.append(gzip.decompress(packaged.read_bytes()).decode("utf-8"))
    for path in user_files():
        try:
            texts.append(gzip.decompress(path.read_bytes()).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError):
            continue  # an unreadable addition must not stop proposals
    idx = _Index({}, {}, set())
    for text in texts:
        for c in _rows(text):
            country = BY_ISO2.get(c[6])
            place = Place(
                c[0],
                country.name if country else c[6],
                country.iso if country else None,
                c[7] or None,
                c[8] or None,
                float(c[3]),
                float(c[4]),
                int(c[5]),
                int(c[9] or 0),
                region_only=len(c) > 10 and c[10] == "ADM1",
            )
            for ar in filter(None, c[2].split("|")):
                idx.arabic.setdefault(fold_phrase(ar), []).append(place)
            # phonetic keys of the name and its alternates, primary first (precomputed by
            # gazetteer_build; recomputed for files written before the column existed)
            if len(c) > 11 and c[11]:
                keys = c[11].split("|")
            else:
                keys = list(
                    dict.fromkeys(latin_key(n) for n in (c[0], *filter(None, c[1].split("|"))))
                )
            idx.primary.add((keys[0], id(place)))
            for key in keys:
                if len(key) >= 3:
                    idx.keys.setdefault(key, []).append(place)
    for region in admin1_table():
        capital = _capital(idx, region.name)
        place = Place(
            region.name,
            region.country,
            BY_NAME[region.country].iso if region.country in BY_NAME else None,
            region.name,
            None,
            capital.latitude if capital else None,
            capital.longitude if capital else None,
            1,
            region_only=True,
        )
        for name in (region.name_ar, *region.aliases):
            if any("\u0600" <= ch <= "\u06ff" for ch in name):
                idx.arabic.setdefault(fold_phrase(name), []).insert(0, place)
    for name, iso2, lat, lon, spellings in CAPITALS:
        country = BY_ISO2[iso2]
        place = Place(name, country.name, country.iso, None, None, lat, lon, 1)
        for ar in spellings:
            idx.arabic.setdefault(fold_phrase(ar), []).insert(0, place)
    for country in COUNTRIES:
        place = Place(country.name, country.name, country.iso, None, None, None, None, 0)
        for ar in country.arabic:
            idx.arabic.setdefault(fold_phrase(ar), []).insert(0, place)
    idx.first_words = {name.split(" ", 1)[0] for name in idx.arabic}
    return idx


_generation = 0


def generation() -> int:
    """Changes whenever the gazetteer is reloaded: a key for caches of lookups."""
    return _generation


def reload() -> None:
    """Forget the loaded gazetteer (after `rasd gazetteer add` in the same process)."""
    global _generation
    _generation += 1
    for cached in (index, _skeletons, _fuzzy_keys, _all_keys, _searchable):
        cached.cache_clear()


@cache
def _skeletons() -> dict[str, list[Place]]:
    """Consonant skeletons, built on the first misspelling (most reports need none)."""
    out: dict[str, list[Place]] = {}
    for key, places in index().keys.items():
        out.setdefault(skeleton(key), []).extend(places)
    return out


@cache
def _all_keys() -> list[str]:
    return sorted(k for k in index().keys if len(k) >= 5)


@cache
def _fuzzy_keys() -> list[str]:
    """Keys of towns and regions: the only places a fuzzy match may land on."""
    return sorted(
        k for k, places in index().keys.items() if len(k) >= 5 and any(p.rank <= 2 for p in places)
    )


BY_NAME: dict[str, Country] = {c.name: c for c in COUNTRIES}


def _capital(idx: _Index, admin1: str) -> Place | None:
    cands = [p for p in idx.keys.get(latin_key(admin1), []) if p.admin1 == admin1 and p.rank == 1]
    cands = [p for p in cands if p.population] or cands
    return max(cands, key=lambda p: p.population, default=None)


def lookup(
    folded_name: str, *, exact_only: bool = False, cued: bool = False, arabic_only: bool = False
) -> list[Place]:
    """Places a folded Arabic name may refer to, best first (region names first).

    `arabic_only`: only attested Arabic spellings (safe anywhere in a text); otherwise also the
    transliteration key, and unless `exact_only`, its consonant skeleton and fuzzy matches.
    """
    idx = index()
    hits = idx.arabic.get(folded_name)
    if hits:
        return _best_first(hits)
    if arabic_only:
        return []
    key = arabic_key(folded_name)
    if len(key) < 3:
        return []
    hits = idx.keys.get(key)
    if hits:
        return _best_first(hits, key)
    if exact_only or len(key) < 5:
        return []
    from rapidfuzz import fuzz, process  # late: only misspellings need it

    # after a strong cue ("the village of X") villages too, with stricter thresholds
    short = len(skeleton(key)) == 3
    need = 85 if short else 75
    hits = [
        p
        for p in _skeletons().get(skeleton(key), [])
        if (p.rank <= 3 or cued) and fuzz.ratio(key, latin_key(p.name)) >= need
    ]
    if hits and (len(skeleton(key)) >= 4 or (short and cued)):
        return _best_first(hits)
    found = process.extractOne(key, _fuzzy_keys(), scorer=fuzz.ratio, score_cutoff=86)
    if found:
        return _best_first([p for p in idx.keys[found[0]] if p.rank <= 2])
    if cued:
        found = process.extractOne(key, _all_keys(), scorer=fuzz.ratio, score_cutoff=88)
        if found:
            return _best_first(idx.keys[found[0]])
    return []


def _best_first(places: list[Place], key: str = "") -> list[Place]:
    primary = index().primary
    return sorted(
        dict.fromkeys(places),
        key=lambda p: (not p.region_only, p.rank, -p.population, (key, id(p)) not in primary),
    )


@dataclass(frozen=True, slots=True)
class _Searchable:
    place: Place
    names: tuple[str, ...]
    """Folded Latin name and Arabic spellings (db.folding.fold)."""
    words: tuple[str, ...]
    """The words of those names."""
    keys: tuple[str, ...]
    """Phonetic keys (latin_key) of the name and its alternates."""


@cache
def _searchable() -> tuple[_Searchable, ...]:
    """Every place once (the same name, region and point once), with what a typed name is
    matched against."""
    from db.folding import fold

    idx = index()
    names: dict[tuple, list[str]] = {}
    keys: dict[tuple, list[str]] = {}
    places: dict[tuple, Place] = {}

    def ident(p: Place) -> tuple:
        return (p.name, p.country, p.admin1, p.admin2, p.latitude, p.longitude, p.region_only)

    for key, hits in idx.keys.items():
        for place in hits:
            places.setdefault(ident(place), place)
            keys.setdefault(ident(place), []).append(key)
    for arabic, hits in idx.arabic.items():
        for place in hits:
            places.setdefault(ident(place), place)
            names.setdefault(ident(place), []).append(fold(arabic))
    out = []
    for pid, place in places.items():
        spelled = tuple(dict.fromkeys([fold(place.name), *names.get(pid, ())]))
        words = tuple(dict.fromkeys(w for n in spelled for w in re.split(r"[\s\-'()]+", n) if w))
        out.append(_Searchable(place, spelled, words, tuple(dict.fromkeys(keys.get(pid, ())))))
    return tuple(out)


def search(text: str, limit: int = 12) -> list[Place]:
    """Places a typed name (Arabic or Latin, whole or its beginning) may mean, best first.

    For the incident form's place picker: a spelling that is the name, then names that start
    with it, then names with a word starting with each typed word, then places whose phonetic
    key starts with its key (an Arabic spelling the gazetteer lacks still finds the Latin name:
    `سيكا` finds Sikasso). About 30 ms over the 15,000 places of Mali: run it off the UI thread.
    """
    from db.folding import fold

    wanted = fold(text)
    if not wanted:
        return []
    typed = wanted.split()
    is_arabic = any("\u0600" <= ch <= "\u06ff" for ch in wanted)
    key = arabic_key(fold_phrase(text.strip())) if is_arabic else latin_key(text)
    scored: list[tuple[int, int, int, str, Place]] = []
    for entry in _searchable():
        if wanted in entry.names:
            score = 0
        elif any(n.startswith(wanted) for n in entry.names):
            score = 1
        elif all(any(w.startswith(t) for w in entry.words) for t in typed):
            score = 2
        elif len(key) >= 2 and any(k.startswith(key) for k in entry.keys):
            score = 3
        else:
            continue
        p = entry.place
        scored.append((score, p.rank, -p.population, p.name, p))
    scored.sort(key=lambda t: t[:4])
    return [t[4] for t in scored[:limit]]
