"""One place, one answer: every spelling of Tombouctou selects the same incidents on the real
ACLED samples, as a search (which looks for all its spellings in every text field) and as a
region filter, in `rasd list`, `rasd export`, `rasd info` and the explorer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from db.place_terms import expand_words
from db.queries import Filter, search_words
from db.store import open_db
from tests.explorer.conftest import chronology, settle
from tui.app import RasdApp
from tui.cli import main as rasd_main

SPELLINGS = ("Tombouctou", "تمبكتو", "Timbuktu", "Région de Tombouctou", "TIMBUKTU")


def listed(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    capsys.readouterr()
    assert rasd_main(["list", *argv, "--format", "tsv"]) == 0
    return [line.split("\t")[1] for line in capsys.readouterr().out.splitlines()[1:]]


def mentioning(db: Path, words: tuple[str, ...]) -> set[str]:
    """Incidents whose folded text holds any of the words: the direct SQL answer."""
    con = open_db(db)
    try:
        cond = " OR ".join("contains(search_text, ?)" for _ in words)
        return {
            r[0]
            for r in con.execute(f"SELECT event_id FROM incidents WHERE {cond}", words).fetchall()
        }
    finally:
        con.close()


def test_a_place_name_becomes_all_its_spellings() -> None:
    (group,) = expand_words(search_words("Timbuktu"))
    assert {("tombouctou",), ("timbuktu",), ("تمبكتو",)} <= set(group)
    assert expand_words(search_words("Région de Tombouctou")) == [group]
    assert expand_words(search_words("attack Timbuktu")) == [(("attack",),), group]
    # a many-word spelling keeps matching its words anywhere, as a search always did
    (nioro,) = expand_words(search_words("نيورو الساحل"))
    assert set(nioro) == {("نيورو", "الساحل"), ("nioro", "du", "sahel")}
    # a word that names no place stays as typed; countries are not expanded (مالي: "financial")
    assert expand_words(["ambush"]) == [(("ambush",),)]
    assert expand_words(["مالي"]) == [(("مالي",),)]


def test_every_spelling_lists_and_exports_the_same_incidents(
    acled_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ("--db", str(acled_db))
    searched = {s: listed(capsys, "--search", s, *db) for s in SPELLINGS}
    regions = {s: listed(capsys, "--region", s, *db) for s in SPELLINGS}
    first = searched["Tombouctou"]
    # before: 577, 573 and 582 incidents for the first three spellings
    assert all(ids == first for ids in searched.values()), {k: len(v) for k, v in searched.items()}
    assert all(ids == regions["Tombouctou"] for ids in regions.values())
    in_region = set(regions["Tombouctou"])
    assert len(in_region) == 573
    # the search finds the region's incidents and every other one whose text names the place
    # in any spelling (ACLED notes say Timbuktu as often as Tombouctou)
    assert set(first) == in_region | mentioning(acled_db, ("tombouctou", "timbuktu", "تمبكتو"))
    assert len(first) > len(in_region)
    for s in ("Timbuktu", "تمبكتو"):
        out = tmp_path / f"{len(s)}.csv"
        capsys.readouterr()
        assert rasd_main(["export", "--search", s, str(out), *db]) == 0
        with out.open(encoding="utf-8", newline="") as fh:
            exported = sorted(row["event_id"] for row in csv.DictReader(fh))
        assert exported == sorted(first)


def test_info_counts_every_spelling_alike(
    acled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outs = set()
    for s in SPELLINGS[:3]:
        capsys.readouterr()
        assert rasd_main(["info", "--search", s, "--db", str(acled_db)]) == 0
        outs.add(capsys.readouterr().out)
    assert len(outs) == 1
    (out,) = outs
    assert "incidents:  586 (coded)" in out, out


async def test_the_explorer_search_agrees(acled_db: Path) -> None:
    totals = []
    for query in SPELLINGS[:3]:
        app = RasdApp(acled_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await pilot.press("slash", *query, "enter")
            await settle(pilot, app)
            assert app.filter == Filter(search=query)
            totals.append(chronology(app).total)
    assert totals == [586, 586, 586]
