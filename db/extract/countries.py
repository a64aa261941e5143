"""Countries an Arabic report on the Sahel names: Arabic spellings, ISO 3166 codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    name: str  # as ACLED writes it
    iso2: str
    iso: int  # ISO 3166-1 numeric, ACLED's `iso`
    arabic: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country("Mali", "ML", 466, ("مالي", "جمهورية مالي")),
    Country("Burkina Faso", "BF", 854, ("بوركينا فاسو", "بوركينافاسو", "بوركينا")),
    Country("Niger", "NE", 562, ("النيجر",)),
    Country("Mauritania", "MR", 478, ("موريتانيا",)),
    Country("Algeria", "DZ", 12, ("الجزائر",)),
    Country("Senegal", "SN", 686, ("السنغال",)),
    Country("Guinea", "GN", 324, ("غينيا", "غينيا كوناكري")),
    Country("Ivory Coast", "CI", 384, ("ساحل العاج", "كوت ديفوار", "كوت ديفوار")),
    Country("Chad", "TD", 148, ("تشاد",)),
    Country("Nigeria", "NG", 566, ("نيجيريا",)),
    Country("Libya", "LY", 434, ("ليبيا",)),
    Country("Benin", "BJ", 204, ("بنين",)),
    Country("Togo", "TG", 768, ("توغو", "التوغو")),
    Country("Ghana", "GH", 288, ("غانا",)),
    Country("Morocco", "MA", 504, ("المغرب",)),
    Country("Sudan", "SD", 729, ("السودان",)),
    Country("Cameroon", "CM", 120, ("الكاميرون",)),
)
BY_ISO2 = {c.iso2: c for c in COUNTRIES}

# Neighbouring capitals, named in datelines and reports: (name, ISO2, lat, lon, Arabic spellings)
CAPITALS: tuple[tuple[str, str, float, float, tuple[str, ...]], ...] = (
    ("Niamey", "NE", 13.51366, 2.1098, ("نيامي",)),
    ("Ouagadougou", "BF", 12.36566, -1.53388, ("واغادوغو", "واغادوجو")),
    ("Nouakchott", "MR", 18.08581, -15.9785, ("نواكشوط",)),
    ("Algiers", "DZ", 36.73225, 3.08746, ("الجزائر العاصمة",)),
    ("Dakar", "SN", 14.6937, -17.44406, ("داكار",)),
    ("Conakry", "GN", 9.53795, -13.67729, ("كوناكري",)),
    ("Abidjan", "CI", 5.30966, -4.01266, ("أبيدجان", "ابيدجان")),
    ("N'Djamena", "TD", 12.10672, 15.0444, ("نجامينا", "انجامينا")),
)
