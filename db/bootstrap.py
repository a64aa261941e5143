"""The default database, built from the seed on first use, for every command and the explorer.

A module of its own, light to import: the explorer calls it before its first paint, and DuckDB
(through db.seed) loads only when the database must really be built.
"""

from __future__ import annotations

from pathlib import Path


def ensure_default_database(path: Path, is_default: bool) -> None:
    """Build the default database if it does not exist yet; a path the user named is never
    created here (a missing `--db` is an error, except for an import, which creates it)."""
    if is_default and not path.exists():
        from db.seed import build_default_database

        build_default_database(path)
