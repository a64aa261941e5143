"""Import progress: the importer names its phases in order; the bar reaches 100 % per file."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from rich.console import Console

from db.importers.acled import import_acled
from db.importers.common import PHASES, writable_copy
from tui.commands.import_progress import ImportProgress


def test_importer_reports_every_phase_in_order(acled_dir: Path, tmp_path: Path) -> None:
    steps: list[tuple[str, float]] = []
    with writable_copy(tmp_path / "p.duckdb", create=True) as con:
        import_acled(
            con,
            acled_dir / "world-2022h1-sample.acled.csv",
            tmp_path,
            step=lambda label, done: steps.append((label, done)),
        )
    # into the file (not beside a large one: "append" instead of "order", db/appended.py)
    expected = [label for name, (label, _) in PHASES.items() if name != "append"]
    assert [label for label, _ in steps] == expected
    shares = [done for _, done in steps]
    assert shares == sorted(shares) and shares[0] == 0.0 and shares[-1] < 1.0


def test_progress_bar_per_file_on_a_terminal(acled_dir: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    files = ["mali-1997-2020.acled.csv", "world-2022h1-sample.acled.csv"]
    with (
        writable_copy(tmp_path / "p.duckdb", create=True) as con,
        tempfile.TemporaryDirectory() as work,
        ImportProgress(console, con) as progress,
    ):
        for name in files:
            progress.start_file(name)
            import_acled(con, acled_dir / name, Path(work), step=progress.step)
    text = out.getvalue()
    final = text.rsplit("\x1b[2K", 1)[-1] if "\x1b[2K" in text else text
    for name in files:
        line = next(row for row in final.splitlines() if name in row)
        assert "100%" in line and "done" in line, line
    assert "ordering by date, indexing for search" in text
