"""Command-line forms an analyst expects: exit codes as documented, the `d` prompt's date forms,
ACLED's own `source` kept beside rasd's report, output files readable by others (0644)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from db.queries import Filter, count_incidents
from db.store import open_db
from tests.conftest import shared_dir
from tui.cli import main

MALI = "mali-1997-2020.acled.csv"


@pytest.fixture(scope="module")
def mali_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("mali") / "mali.duckdb"
    assert (
        main(["import", "acled", str(shared_dir() / "data" / "acled" / MALI), "--db", str(db)]) == 0
    )
    return db


def listed(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["list", "--db", str(db), "--format", "json", *argv])
    return code, capsys.readouterr().out


def sql_count(db: Path, lo: dt.date | None, hi: dt.date | None) -> int:
    con = open_db(db)
    try:
        return count_incidents(con, Filter(date_from=lo, date_to=hi, statuses=("coded",)))
    finally:
        con.close()


@pytest.mark.parametrize(
    ("argv", "lo", "hi"),
    [
        (["--from", "2019-01"], dt.date(2019, 1, 1), None),
        (["--from", "2019", "--to", "2019-03"], dt.date(2019, 1, 1), dt.date(2019, 3, 31)),
        (["--to", "..2012"], None, dt.date(2012, 12, 31)),
        (["--dates", "2018-02"], dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
        (["--dates", "2019-06-01.."], dt.date(2019, 6, 1), None),
    ],
)
def test_dates_take_the_prompts_forms(
    mali_db: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    lo: dt.date | None,
    hi: dt.date | None,
) -> None:
    code, out = listed(capsys, mali_db, "--limit", "100000", *argv)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == sql_count(mali_db, lo, hi) > 0
    dates = [dt.date.fromisoformat(r["event_date"]) for r in rows]
    assert (lo is None or min(dates) >= lo) and (hi is None or max(dates) <= hi)


def test_a_bad_date_is_refused_with_exit_2(
    mali_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["--from", "2019-13"], ["--from", "..2019"], ["--dates", "2020..2019"]):
        with pytest.raises(SystemExit) as exc:
            main(["list", "--db", str(mali_db), *argv])
        assert exc.value.code == 2
        assert capsys.readouterr().err.startswith("rasd: ")


def test_show_keeps_acleds_source(mali_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = open_db(mali_db)
    try:
        event_id, source = con.execute(
            "SELECT event_id, source FROM incidents WHERE source IS NOT NULL LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    capsys.readouterr()
    assert main(["show", event_id, "--db", str(mali_db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == source and "report" in data and data["report"] is None
    assert main(["show", event_id, "--db", str(mali_db), "--width", "200"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split() == ["source", *source.split()] for line in lines), lines


def test_show_of_a_missing_incident_exits_2(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "NOPE", "--db", str(seed_db)]) == 2


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "geojson"])
def test_exports_are_0644_under_umask_022(seed_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    old = os.umask(0o022)
    try:
        assert main(["export", str(out), "--db", str(seed_db), "--format", fmt]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_country_is_a_level_and_a_region_may_name_it(mali_db: Path, capsys) -> None:
    con = open_db(mali_db)
    try:
        mali = con.execute("SELECT count(*) FROM incidents WHERE country = 'Mali'").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    for argv in (
        ["--country", "Mali"],
        ["--country", "MALI"],
        ["--country", "466"],
        ["--region", "Mali"],
    ):
        code, out = listed(capsys, mali_db, "--limit", "100000", *argv)
        assert code == 0 and len(json.loads(out)) == mali, argv


@pytest.mark.parametrize(
    ("argv", "hint"), [(["--region", "Sikaso"], "Sikasso"), (["--country", "Mlai"], "Mali")]
)
def test_a_value_that_matches_nothing_is_an_error(
    mali_db: Path, capsys, argv: list[str], hint: str
) -> None:
    capsys.readouterr()
    assert main(["list", "--db", str(mali_db), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rasd: ") and f"did you mean {hint}" in err.replace(" or ", ", "), err
