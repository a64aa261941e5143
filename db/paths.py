"""Where databases live and whether a path can be one, without loading DuckDB.

Kept apart from `db.store` so that the explorer can check its arguments and paint its first
screen before paying DuckDB's import time.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

DUCKDB_MAGIC = b"DUCK"
"""Bytes 8..12 of every DuckDB database file."""


class StoreError(Exception):
    """A database problem with a message fit to show a user on one line."""


def default_db_path() -> Path:
    """Where the default database lives: platformdirs' user data dir."""
    return Path(platformdirs.user_data_dir("rasd", appauthor=False)) / "rasd.duckdb"


def resolve_db_path(arg: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """The database to use and whether it is the default one (`--db`, then RASD_DB)."""
    if arg:
        return Path(arg).expanduser(), False
    env = os.environ.get("RASD_DB")
    if env:
        return Path(env).expanduser(), False
    return default_db_path(), True


def utf8_name_problem(path: Path) -> str | None:
    """DuckDB takes file names as UTF-8 only: a name holding other bytes fails inside it."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not UTF-8, which DuckDB cannot open; rename it"
    return None


def check_database_file(path: Path) -> None:
    """Fail early, in one line, on a path that cannot be a database (no DuckDB needed)."""
    if problem := utf8_name_problem(path):
        raise StoreError(f"{path}: {problem}")
    if not path.exists():
        raise StoreError(f"{path}: no such database")
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):  # opening a FIFO would wait for a writer for ever
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise StoreError(f"{path}: is {kind}, not a database file")
    try:
        with path.open("rb") as fh:
            header = fh.read(12)
    except PermissionError as exc:
        raise StoreError(f"{path}: permission denied") from exc
    except IsADirectoryError as exc:
        raise StoreError(f"{path}: is a directory, not a database file") from exc
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from exc
    if len(header) < 12 or header[8:12] != DUCKDB_MAGIC:
        raise StoreError(f"{path}: not a DuckDB database")


def beside(db_path: Path, tag: str) -> Path:
    """A file kept beside the main one: `x.duckdb` → `x.TAG.duckdb` (symlinks followed)."""
    real = Path(os.path.realpath(db_path))
    if real.suffix:
        return real.with_name(f"{real.stem}.{tag}{real.suffix}")
    return real.with_name(f"{real.name}.{tag}")


def coding_path(db_path: Path) -> Path:
    """Where db/coding.py keeps the coding, beside the main file: `x.duckdb` → `x.coding.duckdb`."""
    return beside(db_path, "coding")


def appended_path(db_path: Path) -> Path:
    """Where db/appended.py keeps incidents imported beside a large main file."""
    return beside(db_path, "appended")
