"""Fixtures shared by every test folder: the seed database and the read-only shared material."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from db.seed import build_default_database

REPO = Path(__file__).resolve().parents[1]
CI = os.environ.get("CI") == "true"
"""CI sets CI=true: there a missing referee fails the run instead of skipping quietly."""


def missing(what: str, where: str = "tests/run.sh installs it") -> None:
    """Skip a test whose outside referee or material is absent; under CI, fail: a green run must
    have checked what it claims to (tests/run.sh installs every referee)."""
    if CI:
        pytest.fail(f"{what} is missing ({where})", pytrace=False)
    pytest.skip(f"{what} is missing")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("referee"):
        present, what = mark.args
        if not present:
            missing(what)


def shared_dir() -> Path:
    """`../shared` beside the checkout (CI has it there too); RASD_SHARED overrides."""
    return Path(os.environ.get("RASD_SHARED", REPO.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not path.is_dir():
        missing(f"the shared material ({path})", "CI lays ../shared beside the checkout")
    return path


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default database, built once per session; tests must not write to it."""
    path = tmp_path_factory.mktemp("seed") / "rasd.duckdb"
    build_default_database(path)
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep tests away from the real user data/config dirs and RASD_* settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("RASD_DB", raising=False)
    monkeypatch.delenv("RASD_BIDI", raising=False)


@pytest.fixture
def db_copy(seed_db: Path, tmp_path: Path) -> Path:
    """A private copy of the seed database, for tests that write or hold it open."""
    path = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, path)
    return path
