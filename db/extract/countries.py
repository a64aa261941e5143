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
