"""A seed database with one imported report's proposals, for the coding store's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.store import open_db
from tui.cli import main

REPORT = (
    "باماكو – 3 فبراير 2026\n"
    "قتل ثلاثة جنود ومدنيان يوم الأحد في هجوم على قرية قرب موبتي.\n"
    "وفي غاو، انفجرت عبوة ناسفة يوم السبت دون أن تسفر عن ضحايا.\n"
)


@pytest.fixture(scope="session")
def proposals_seed(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: the seed database plus the proposals of one imported report."""
    work = tmp_path_factory.mktemp("coding-seed")
    path = work / "rasd.duckdb"
    shutil.copy(seed_db, path)
    report = work / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["import", "report", str(report), "--db", str(path)]) == 0
    return path


@pytest.fixture
def coded_db(proposals_seed: Path, tmp_path: Path) -> Path:
    """A private copy of `proposals_seed` to code in."""
    path = tmp_path / "rasd.duckdb"
    shutil.copy(proposals_seed, path)
    return path


def proposals(db: Path) -> list[tuple[str, str]]:
    """(event_id, source_id) of the proposals in the main database."""
    con = open_db(db)
    try:
        return con.execute(
            "SELECT event_id, source_id FROM incidents WHERE status = 'proposed' ORDER BY event_id"
        ).fetchall()
    finally:
        con.close()
