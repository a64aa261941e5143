"""The user's keymap file: missing is normal, anything unusable is said and ignored."""

from __future__ import annotations

from pathlib import Path

from tui.keymap import load_keymap


def test_no_file_is_no_keymap_and_no_warning(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "keymap.toml") == ({}, None)


def test_good_entries_are_kept_and_bad_ones_named(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('[keys]\n"app.quit" = "Q"\n"app.help" = ""\n"app.zoom" = 3\n', "utf-8")
    keys, warning = load_keymap(path)
    assert keys == {"app.quit": "Q"}
    assert warning is not None and "app.help" in warning and "app.zoom" in warning


def test_unreadable_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[keys\n", "utf-8")
    assert load_keymap(broken)[0] == {}
    assert "ignored" in (load_keymap(broken)[1] or "")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe[keys]")
    assert load_keymap(binary)[0] == {}
    assert "ignored" in (load_keymap(binary)[1] or "")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert load_keymap(folder)[0] == {}
    assert "ignored" in (load_keymap(folder)[1] or "")
    not_a_table = tmp_path / "flat.toml"
    not_a_table.write_text('keys = "q"\n', "utf-8")
    assert load_keymap(not_a_table) == ({}, f"{not_a_table}: [keys] must be a table")
