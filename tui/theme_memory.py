"""The theme chosen in the palette, remembered across runs in the config dir (one line)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path

from db.safe_write import atomic_writer


def theme_path() -> Path:
    return user_config_path("rasd") / "theme"


def load_theme(known: set[str], path: Path | None = None) -> str | None:
    """The saved theme if it is one rasd knows; anything else (missing, damaged) is ignored."""
    try:
        name = (path or theme_path()).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name in known else None


def save_theme(name: str, path: Path | None = None) -> None:
    """Written atomically; a read-only config dir only means the theme is not remembered."""
    target = path or theme_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(target, binary=False) as fh:
            fh.write(name + "\n")
    except OSError:
        pass
