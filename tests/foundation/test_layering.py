"""db/ knows nothing of Textual; tui/ builds no SQL; panes never reach the CLI; no import cycles."""

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


def test_the_explorer_paints_before_importing_duckdb() -> None:
    """DuckDB costs ~110-150 ms to import: the first frame (and the first-screen cache) must
    not wait for it (a view's export imported it at start-up: first screen x1.3 -> x1.9)."""
    code = "import sys, tui.cli, tui.app; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_explorer_paints_before_importing_the_map() -> None:
    """The map is hidden until `4` and mounted after the first frame: its modules (outlines,
    projections, its queries) and styles cost that frame 15-30 ms (x1.57 -> x1.45 the minimal
    app at 15k incidents)."""
    code = (
        "import sys, tui.cli, tui.app; "
        "print(sorted(m for m in ('tui.widgets.map', 'db.geo', 'db.map_queries', "
        "'tui.map.draw') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tui_builds_no_sql() -> None:
    sql = re.compile(r"""["'](SELECT|INSERT|UPDATE|DELETE|CREATE TABLE) [a-z_*]""")
    for path in (REPO / "tui").rglob("*.py"):
        if "bench" in path.name:
            continue
        assert not sql.search(path.read_text(encoding="utf-8")), path


def test_text_core_does_not_import_textual() -> None:
    for path in (REPO / "tui" / "text").rglob("*.py"):
        assert "textual" not in imported_modules(path), path


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rasd_imports(path: Path) -> set[str]:
    """Full names of the tui/db modules a file imports (`from a import b` counts `a.b` if a module).

    Imports inside functions count (a lazy import is still a dependency); imports under
    `if TYPE_CHECKING:` are for annotations only and do not.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )

    def visit(node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            children: list[ast.AST] = list(node.orelse)
        else:
            children = list(ast.iter_child_nodes(node))
        return [node] + [n for child in children for n in visit(child)]

    statements = visit(tree)
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    known = {module_name(p) for d in ("tui", "db") for p in (REPO / d).rglob("*.py")}
    return {n for n in names if n in known}


def import_graph() -> dict[str, set[str]]:
    return {
        module_name(p): rasd_imports(p) for d in ("tui", "db") for p in (REPO / d).rglob("*.py")
    }


def test_panes_and_screens_never_reach_the_cli_or_the_entry_module() -> None:
    """Widgets and screens are shown by the app; the CLI and the entry point sit above them."""
    graph = import_graph()
    forbidden = ("tui.commands", "tui.startup", "tui.cli")
    for start in (m for m in graph if m.startswith(("tui.widgets.", "tui.screens."))):
        seen, todo = {start}, [start]
        while todo:
            for dep in graph[todo.pop()] - seen:
                assert not dep.startswith(forbidden), f"{start} reaches {dep}"
                seen.add(dep)
                todo.append(dep)


def test_no_import_cycle_in_tui_or_db() -> None:
    graph = import_graph()
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError(
                "import cycle: " + " -> ".join([*path[path.index(module) :], module])
            )
        if module in done:
            return
        for dep in sorted(graph[module]):
            if dep != module and not module.startswith(dep + "."):  # a package's own parent
                walk(dep, [*path, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])
