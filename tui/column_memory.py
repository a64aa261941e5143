"""The chronology's columns as chosen (Ctrl+P › Choose columns…), remembered in the config dir
(one line of column names in order), like the theme."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path

from db.safe_write import atomic_writer
from tui.widgets.chronology_columns import parse_columns


def columns_path() -> Path:
    return user_config_path("rasd") / "columns"


def load_columns(path: Path | None = None) -> tuple[str, ...] | None:
    """The saved choice; a missing or damaged file is the default (None)."""
    try:
        return parse_columns((path or columns_path()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def save_columns(keys: tuple[str, ...], path: Path | None = None) -> None:
    """Written atomically; OSError when the config dir cannot be written (the caller says so)."""
    target = path or columns_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(target, binary=False) as fh:
        fh.write(" ".join(keys) + "\n")
