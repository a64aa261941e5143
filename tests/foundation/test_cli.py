"""The `rasd` command line on the seed database, called in-process and as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from db.columns import INCIDENT_COLUMNS
from db.store import SCHEMA_VERSION
from tui.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_json_has_every_field_newest_first(seed_db: Path, capsys) -> None:
    rows = run_json(capsys, "list", "--db", str(seed_db), "--format", "json")
    assert len(rows) == 9
    assert set(rows[0]) == set(INCIDENT_COLUMNS)
    dates = [r["event_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2026-01-22"
    unknown = next(r for r in rows if r["event_id"] == "RASD-ML-20260124-09")
    assert unknown["fatalities"] is None and unknown["location"] is None


@pytest.mark.parametrize("spelling", ["Sikasso", "sikasso", "SIKASSO", "سيكاسو", "سيكاسّو"])
def test_three_spellings_of_a_region_agree(seed_db: Path, capsys, spelling: str) -> None:
    rows = run_json(capsys, "list", "--db", str(seed_db), "--format", "json", "--region", spelling)
    assert sorted(r["event_id"] for r in rows) == ["RASD-ML-20260124-01", "RASD-ML-20260124-02"]


def test_accented_and_english_region_names(seed_db: Path, capsys) -> None:
    kayes = run_json(capsys, "list", "--db", str(seed_db), "--format", "json", "--region", "كايس")
    assert {r["admin1"] for r in kayes} == {"Kayes"} and len(kayes) == 2
    place = run_json(capsys, "list", "--db", str(seed_db), "--format", "json", "--region", "nioro")
    assert [r["event_id"] for r in place] == ["RASD-ML-20260124-04"]


def test_filters_combine(seed_db: Path, capsys) -> None:
    rows = run_json(
        capsys,
        "list",
        "--db",
        str(seed_db),
        "--format",
        "json",
        "--type",
        "battles",
        "--from",
        "2026-01-18",
        "--to",
        "2026-01-21",
    )
    assert [r["event_id"] for r in rows] == ["RASD-ML-20260124-05", "RASD-ML-20260124-03"]
    rows = run_json(
        capsys,
        "list",
        "--db",
        str(seed_db),
        "--format",
        "json",
        "--type",
        "remote explosive/landmine/ied",
    )
    assert len(rows) == 2
    rows = run_json(
        capsys, "list", "--db", str(seed_db), "--format", "json", "--actor", "africa corps"
    )
    assert [r["event_id"] for r in rows] == ["RASD-ML-20260124-08"]
    rows = run_json(capsys, "list", "--db", str(seed_db), "--format", "json", "--limit", "3")
    assert len(rows) == 3


def test_search_is_arabic_aware(seed_db: Path, capsys) -> None:
    plain = run_json(
        capsys, "list", "--db", str(seed_db), "--format", "json", "--search", "الصهاريج"
    )
    assert [r["event_id"] for r in plain] == ["RASD-ML-20260124-09"]
    for variant in ("أمادو", "امادو", "أمــادو"):
        rows = run_json(
            capsys, "list", "--db", str(seed_db), "--format", "json", "--search", variant
        )
        assert [r["event_id"] for r in rows] == ["RASD-ML-20260124-06"], variant
    rows = run_json(
        capsys, "list", "--db", str(seed_db), "--format", "json", "--search", "timbuktu"
    )
    # no incident is placed in Tombouctou; one mentions it (fuel tankers bound for Timbuktu)
    assert [r["admin1"] for r in rows] == [None]
    assert "timbuktu" in rows[0]["notes"].lower()


def test_list_csv_and_table(seed_db: Path, capsys) -> None:
    assert main(["list", "--db", str(seed_db), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[:3] == ["event_id", "event_date", "time_precision"]
    assert len(lines) == 10
    assert main(["list", "--db", str(seed_db), "--region", "Mopti"]) == 0
    out = capsys.readouterr().out
    assert "Sare Mala" in out and "1 incident" in out
    assert "–" in main_output(seed_db, capsys, "list", "--region", "Sikasso")


def main_output(db: Path, capsys, *argv: str) -> str:
    assert main([argv[0], "--db", str(db), *argv[1:]]) == 0
    return capsys.readouterr().out


def test_show_json_includes_span_text(seed_db: Path, capsys) -> None:
    assert main(["show", "RASD-ML-20260124-05", "--db", str(seed_db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["span_text"].startswith("كما أعلنت الجماعة سيطرتها")
    assert "نوسومبوغو" in data["span_text"]
    assert data["report"]["id"] == "mali-weekly-2026-01-24"
    assert data["report"]["published"] == "2026-01-24"
    assert data["fatalities"] is None


def test_show_text_to_a_pipe_is_logical(seed_db: Path, capsys) -> None:
    out = main_output(seed_db, capsys, "show", "RASD-ML-20260124-05", "--width", "60")
    assert "Nossombougou" in out and "not reported" in out
    assert "كما أعلنت الجماعة سيطرتها الكاملة" in out  # logical order, searchable


def test_show_text_app_mode_is_shaped(seed_db: Path, capsys) -> None:
    out = main_output(
        seed_db, capsys, "show", "RASD-ML-20260124-05", "--bidi", "app", "--width", "60"
    )
    assert "كما أعلنت" not in out
    assert any("\ufe70" <= ch <= "\ufeff" for ch in out)  # presentation forms: shaped


def test_show_unknown_id(seed_db: Path, capsys) -> None:
    assert main(["show", "NOPE", "--db", str(seed_db)]) == 2  # as the README says
    assert capsys.readouterr().err.strip() == "rasd: no incident 'NOPE'"


def test_info(seed_db: Path, capsys) -> None:
    out = main_output(seed_db, capsys, "info")
    assert f"schema:     version {SCHEMA_VERSION}" in out
    assert "incidents:  9" in out
    assert "2025-12-27 … 2026-01-22" in out
    assert "Sikasso" in out and "Battles" in out


def test_first_run_creates_default_database(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    out = main_output_nodb(capsys, "info")
    expected = tmp_path / "xdg" / "rasd" / "rasd.duckdb"
    assert str(expected) in out
    assert expected.exists()


def main_output_nodb(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_rasd_db_env(seed_db: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("RASD_DB", str(seed_db))
    assert str(seed_db) in main_output_nodb(capsys, "info")


@pytest.mark.parametrize("kind", ["missing", "text", "dir"])
def test_bad_db_gives_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "bad.duckdb"
    if kind == "text":
        path.write_text("not a database\n" * 100)
    elif kind == "dir":
        path.mkdir()
    for cmd in (["list"], ["info"], ["show", "X"]):
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", *cmd, "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("rasd: "), proc.stderr
        assert "Traceback" not in proc.stderr
        assert proc.stdout == ""


def test_explorer_refuses_without_a_terminal(seed_db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(seed_db)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "interactive terminal" in proc.stderr


def test_help_documents_every_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("list", "show", "info", "import", "export"):
        assert command in text
    with pytest.raises(SystemExit):
        main(["list", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--region",
        "--from",
        "--to",
        "--type",
        "--actor",
        "--search",
        "--limit",
        "--format",
        "--db",
    ):
        assert option in text


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == "rasd 0.1.0"
