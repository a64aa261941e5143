"""Importer fixtures: the real ACLED files in ../shared, databases in tmp, the CLI in-process."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from db.columns import INCIDENT_COLUMNS
from db.store import open_db
from tui.cli import main
from tui.text.sanitize import has_controls


@pytest.fixture
def acled_dir(shared: Path) -> Path:
    return shared / "data" / "acled"


@pytest.fixture
def seed_copy(seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "seed.duckdb"
    shutil.copy(seed_db, path)
    return path


def data_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    body = rows[1:]
    if body and body[0] and any(v.startswith("#") for v in body[0]):
        body = body[1:]
    return len(body)


def rasd(capsys, *argv: str) -> tuple[int, str, str]:
    """The CLI in-process; whatever it prints to stderr holds no raw control character."""
    code = main(list(argv))
    out = capsys.readouterr()
    assert not has_controls(out.err, allow="\n"), repr(out.err)
    return code, out.out, out.err


def table(db: Path) -> list[tuple]:
    """Every stored column (the derived search column aside), in a stable order."""
    con = open_db(db)
    try:
        cols = ", ".join(INCIDENT_COLUMNS)
        return con.execute(f"SELECT {cols} FROM incidents ORDER BY event_id").fetchall()
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
