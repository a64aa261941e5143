"""Which country a name or code means, whatever the writer used: ISO codes, English, Arabic.

ACLED stores a country as its own English name (`Democratic Republic of Congo`) and its ISO 3166
numeric code (`iso`); analysts also type ISO alpha-3 codes (`COD`, `MLI`) and Arabic names
(`مالي`, `الهند`). pycountry holds the ISO table and its Arabic translation; the Sahel names
of db/extract/countries.py (which reports use) are added. Everything resolves to the numeric
code, which every stored incident carries.
"""

from __future__ import annotations

from functools import cache

from db.folding import fold

# gettext, pycountry and the report pipeline's country table (db.extract) are imported when a
# country is first looked up: the explorer imports this module before its first frame.


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


@cache
def _codes_by_name() -> dict[str, frozenset[int]]:
    """Folded name or code → ISO numeric codes it may mean."""
    import gettext

    import pycountry  # lazy: 40 ms, only when a country is typed

    from db.extract.countries import COUNTRIES

    arabic: gettext.NullTranslations
    try:
        arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:  # a pycountry without its locales still knows the codes
        arabic = gettext.NullTranslations()
    out: dict[str, set[int]] = {}
    for c in pycountry.countries:
        code = int(c.numeric)
        names = [c.alpha_3, c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")]
        names += [arabic.gettext(n) for n in names[1:] if n]
        for name in names:
            if name:
                out.setdefault(_key(name), set()).add(code)
    for country in COUNTRIES:
        for ar in country.arabic:
            out.setdefault(_key(ar), set()).add(country.iso)
    return {k: frozenset(v) for k, v in out.items()}


def country_codes(text: str) -> frozenset[int]:
    """ISO numeric codes `text` may name: the code itself, an alpha-3 code, an ISO English name
    or an Arabic name (any case, accents and harakat ignored); empty when it names none."""
    stripped = text.strip()
    if stripped.isdigit():
        return frozenset({int(stripped)})
    return _codes_by_name().get(_key(stripped), frozenset())


@cache
def arabic_country_names(iso: int) -> tuple[str, ...]:
    """The Arabic names of a country (ISO numeric code): reports' spellings, then ISO's."""
    import gettext

    import pycountry

    from db.extract.countries import COUNTRIES

    names = [ar for c in COUNTRIES if c.iso == iso for ar in c.arabic]
    found = pycountry.countries.get(numeric=f"{iso:03d}")
    if found is not None:
        try:
            arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        except OSError:
            return tuple(names)
        translated = arabic.gettext(found.name)
        if translated != found.name:
            names.append(translated)
    return tuple(dict.fromkeys(names))
