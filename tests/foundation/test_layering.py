"""db/ knows nothing of Textual; tui/ builds no SQL."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_db_never_imports_textual_or_tui() -> None:
    for path in (REPO / "db").rglob("*.py"):
        assert not imported_modules(path) & {"textual", "tui"}, path


def test_importing_db_does_not_load_textual() -> None:
    code = "import sys, db.store, db.queries, db.seed, db.folding; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_tui_builds_no_sql() -> None:
    sql = re.compile(r"""["'](SELECT|INSERT|UPDATE|DELETE|CREATE TABLE) [a-z_*]""")
    for path in (REPO / "tui").rglob("*.py"):
        if "bench" in path.name:
            continue
        assert not sql.search(path.read_text(encoding="utf-8")), path


def test_text_core_does_not_import_textual() -> None:
    for path in (REPO / "tui" / "text").rglob("*.py"):
        assert "textual" not in imported_modules(path), path
