"""`rasd list` gives one line per incident: whole to pipes and files (logical Arabic, nothing
wrapped), fitted with `…` on a terminal or to `--width`, tab-separated with `--format tsv`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> str:
    capsys.readouterr()
    assert main(["list", "--db", str(db), *argv]) == 0
    return capsys.readouterr().out


def incidents(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict]:
    return json.loads(run(capsys, db, "--format", "json"))


def test_a_pipe_gets_one_whole_line_per_incident(seed_db: Path, capsys) -> None:
    rows = incidents(capsys, seed_db)
    lines = run(capsys, seed_db).splitlines()
    assert len(lines) == len(rows) + 2  # header, one per incident, the count
    assert lines[0].split() == ["date", "id", "region", "place", "type", "actors", "deaths"]
    for row, line in zip(rows, lines[1:], strict=False):
        assert line.startswith(row["event_date"]) and row["event_id"] in line
        for value in (row["actor1"], row["actor2"], row["location_ar"], row["event_type"]):
            assert value is None or value in line, (value, line)  # whole and logical
        assert "…" not in line


def test_a_terminal_gets_cells_cut_with_an_ellipsis(
    seed_db: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.commands.listing.stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "70")
    rows = incidents(capsys, seed_db)
    lines = run(capsys, seed_db, "--bidi", "terminal").splitlines()
    assert len(lines) == len(rows) + 2
    assert all(cell_len(line) <= 70 for line in lines)
    assert any("…" in line for line in lines)
    for row, line in zip(rows, lines[1:], strict=False):
        assert line.startswith(row["event_date"]) and row["event_id"] in line
    wide = run(capsys, seed_db, "--bidi", "terminal", "--width", "120").splitlines()
    assert max(cell_len(line) for line in wide) > 70  # --width, not COLUMNS
    assert all(cell_len(line) <= 120 for line in wide)


def test_width_fits_a_pipe_too(seed_db: Path, capsys) -> None:
    lines = run(capsys, seed_db, "--width", "60").splitlines()
    assert all(cell_len(line) <= 60 for line in lines) and any("…" in line for line in lines)


def test_tsv_is_one_row_per_incident(seed_db: Path, capsys) -> None:
    rows = incidents(capsys, seed_db)
    lines = run(capsys, seed_db, "--format", "tsv").splitlines()
    assert len(lines) == len(rows) + 1
    header = lines[0].split("\t")
    for row, line in zip(rows, lines[1:], strict=True):
        cells = dict(zip(header, line.split("\t"), strict=True))
        assert cells["id"] == row["event_id"] and cells["date"] == row["event_date"]
        assert cells["actors"] == " / ".join(a for a in (row["actor1"], row["actor2"]) if a)
