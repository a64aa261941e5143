"""The packaged gazetteer resolves press spellings; `rasd gazetteer add` extends it."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from db.extract import gazetteer, propose
from db.extract.textview import fold_phrase
from tui.cli import main


@pytest.mark.parametrize(
    ("arabic", "name", "admin1"),
    [
        ("كاي", "Kayes", "Kayes"),  # the region, as the seed writes it
        ("كايس", "Kayes", "Kayes"),
        ("نيورو الساحل", "Nioro du Sahel", "Kayes"),
        ("نوسومبوغو", "Nossombougou", "Koulikoro"),  # no Arabic name in GeoNames: by sound
        ("دوينتزا", "Douentza", "Mopti"),
        ("تنبكتو", "Tombouctou", "Tombouctou"),
        ("جاو", "Gao", "Gao"),
        ("منكا", "Menaka", "Menaka"),
        ("سيفاري", "Sévaré", "Mopti"),  # v is written ف
        ("إنيكار", "Inékar", "Menaka"),  # GeoNames files it under Gao (pre-2016)
        ("أرواني", "Araouane", "Tombouctou"),  # a village: fuzzy only after a place word
    ],
)
def test_press_spellings_resolve(arabic: str, name: str, admin1: str) -> None:
    places = gazetteer.lookup(fold_phrase(arabic), cued=True)
    assert places, arabic
    assert (places[0].name, places[0].admin1) == (name, admin1)


def test_common_words_are_not_villages() -> None:
    for word in ("كما", "الجيش", "مدينة", "الدولة", "كان"):
        assert gazetteer.lookup(fold_phrase(word), arabic_only=True) == []


def test_border_country_is_not_the_place() -> None:
    text = "قُتل ثلاثة جنود يوم الأحد 8 مارس 2026 في هجوم على موقع للجيش قرب الحدود مع موريتانيا."
    (p,) = propose(text, dt.date(2026, 3, 10))
    assert "country" not in p.fields or p.fields["country"].value != "Mauritania"


def test_a_place_outside_mali_gets_its_country() -> None:
    text = "وفي بوركينا فاسو المجاورة، قُتل 12 جنديا يوم السبت في هجوم استهدف قاعدة عسكرية."
    (p,) = propose(text, dt.date(2026, 3, 3))
    assert p.fields["country"].value == "Burkina Faso"
    assert p.fields["iso"].value == 854
    assert p.fields["actor2"].value == "Military Forces of Burkina Faso (2022-)"


DUMP = (
    "1\tDjibo\tDjibo\t\t14.10111\t-1.63056\tP\tPPLA2\tBF\t\t78\t\t\t\t23000\t\t300\tAfrica/Ouagadougou\t2020-01-01\n"
    "2\tSahel Region\tSahel Region\t\t14.0\t-0.5\tA\tADM1\tBF\t\t78\t\t\t\t0\t\t300\tAfrica/Ouagadougou\t2020-01-01\n"
)


def test_gazetteer_add_extends_the_extractor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "قُتل 12 جنديا يوم السبت في هجوم استهدف قاعدة عسكرية في مدينة جيبو شمالي بوركينا فاسو."
    gazetteer.reload()
    (before,) = propose(text, dt.date(2026, 3, 3))
    assert "location" not in before.fields
    dump = tmp_path / "BF.txt"
    dump.write_text(DUMP, encoding="utf-8")
    assert main(["gazetteer", "add", str(dump)]) == 0
    assert "added 2 places for BF" in capsys.readouterr().out
    added = gazetteer.user_gazetteer_dir() / "BF.tsv.gz"
    assert gzip.decompress(added.read_bytes()).decode().count("\n") == 3
    gazetteer.reload()
    try:
        (after,) = propose(text, dt.date(2026, 3, 3))
        assert after.fields["location"].value == "Djibo"
        assert after.fields["admin1"].value == "Sahel"
    finally:
        gazetteer.reload()


def test_gazetteer_add_rejects_a_file_that_is_not_a_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not\ta dump\n", encoding="utf-8")
    assert main(["gazetteer", "add", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "notes.txt: not a GeoNames country dump" in err
    assert not gazetteer.user_gazetteer_dir().exists() or not list(
        gazetteer.user_gazetteer_dir().glob("*.tsv.gz")
    )
