"""User key remapping: `keymap.toml` in rasd's config dir maps binding ids to keys.

# ~/.config/rasd/keymap.toml
[keys]
"chronology.reverse" = "R"
"app.copy_citation" = "c,y"
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path

from tui.text.sanitize import has_controls


def keymap_path() -> Path:
    return user_config_path("rasd") / "keymap.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The binding-id → keys table, and a warning to show when the file is unusable."""
    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path}: ignored ({exc})"
    import tomllib  # only when there is a keymap file: most starts have none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, f"{path}: ignored ({exc})"
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return {}, f"{path}: [keys] must be a table"
    good = {
        str(k): v
        for k, v in keys.items()
        if isinstance(v, str) and v.strip() and not has_controls(v)
    }
    bad = sorted(set(keys) - set(good))  # a key with controls would reach the footer raw
    return good, (f"{path}: ignored entries {', '.join(bad)}" if bad else None)
