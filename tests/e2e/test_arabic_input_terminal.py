"""Typed Arabic in the real terminal: the search prompt and the palette draw it as FriBidi does."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.e2e.terminal import rasd_command, tmux

pytestmark = pytest.mark.e2e
FRIBIDI = shutil.which("fribidi")
TYPED = "سيكاسو Sikasso 12"


def fribidi(text: str) -> str:
    out = subprocess.run(
        [FRIBIDI or "fribidi", "--nopad", "--nobreak"],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return unicodedata.normalize("NFKC", out.rstrip("\n").replace("\ufeff", "")).strip()


def field_row(screen: str, marker: str) -> str:
    """The text on the screen row below (or on) the one holding `marker`, borders removed."""
    rows = screen.splitlines()
    for i, row in enumerate(rows):
        if marker in row:
            for candidate in rows[i : i + 3]:
                inner = candidate.strip().strip("│╭╮╰╯─▊▎▔▁ ")
                if any("\ufb50" <= c <= "\ufeff" for c in inner):
                    return unicodedata.normalize("NFKC", inner).strip()
    raise AssertionError(f"no field near {marker!r}:\n{screen}")


@pytest.mark.referee(FRIBIDI is not None, "GNU FriBidi (Debian libfribidi-bin)")
def test_search_prompt_and_palette_show_typed_arabic_as_fribidi(
    seed_db: Path, tmp_path: Path
) -> None:  # noqa: E501
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    expected = fribidi(TYPED)
    with tmux(rasd_command("--db", str(db)), 120, 40) as term:
        term.wait_text("9 incidents")
        term.wait_stable()
        term.keys("/")
        term.wait_text("Search")
        term.keys(TYPED, literal=True)
        screen = term.wait_for(lambda s: "Sikasso 12" in s)
        assert field_row(screen, "Search") == expected, screen
        assert "سيكاسو" not in screen  # not in typed order
        term.keys("Escape")
        term.wait_for(lambda s: "Search" not in s or "9 incidents" in s)
        term.wait_stable()
        term.keys("C-p")
        term.wait_text("Search for commands")
        term.keys("سيكاسو", literal=True)
        screen = term.wait_for(
            lambda s: any(
                "\ufe70" <= c <= "\ufeff" for c in s.splitlines()[2] + "".join(s.splitlines()[:6])
            )
        )
        shown = [unicodedata.normalize("NFKC", r) for r in screen.splitlines()[:6]]
        assert any(fribidi("سيكاسو") in r for r in shown), screen
