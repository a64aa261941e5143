"""The explorer under faults: a locked or replaced database, hostile text, key storms, resizes."""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from textual import events

from db.columns import INCIDENT_COLUMNS
from tests.explorer.conftest import current, screen_text, settle, shown
from tui.app import RasdApp
from tui.cli import main
from tui.widgets.chronology import ChronologyView
from tui.widgets.rtl_view import RtlView

HOSTILE = (
    "x\x1b[2J\x1b]52;c;aGVsbG8=\x07\x1b]2;pwned\x1b\\[bold]b[/bold] [/bold] "
    "[@click=app.quit]q[/] \u202e0052\u202c \x9b31m\x85 قتل"
)
ESCAPES = ("\x1b", "\x9b", "\x9d", "\u202e", "52;c;", "pwned")


@pytest.fixture
def hostile_db(seed_db: Path, tmp_path: Path) -> Path:
    """The seed plus one incident whose every text field, and its source report, are hostile."""
    path = tmp_path / "hostile.duckdb"
    shutil.copy(seed_db, path)
    con = duckdb.connect(str(path))
    text_columns = {r[0] for r in con.execute("DESCRIBE incidents").fetchall() if r[1] == "VARCHAR"}
    con.execute(
        "INSERT INTO sources (source_id, title, outlet, dateline_place, published, language, "
        "text, sha256) VALUES ('evil', ?, ?, ?, DATE '2026-02-01', 'ar', ?, 'x')",
        [HOSTILE, HOSTILE, HOSTILE, HOSTILE + "\n" + HOSTILE],
    )
    values: list[object] = []
    for column in INCIDENT_COLUMNS:
        if column == "event_id":
            values.append("EVIL-1")
        elif column == "event_date":
            values.append("2026-02-01")
        elif column == "source_id":
            values.append("evil")
        elif column == "status":
            values.append("coded")
        elif column in ("span_start", "span_end"):
            values.append(0 if column == "span_start" else len(HOSTILE))
        elif column in text_columns:
            values.append(HOSTILE)
        else:
            values.append(None)
    marks = ", ".join("?" for _ in INCIDENT_COLUMNS)
    con.execute(f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}) VALUES ({marks})", values)
    con.execute(
        "CREATE OR REPLACE TABLE incidents AS SELECT * FROM incidents "
        "ORDER BY event_date DESC, event_id DESC"
    )
    con.close()
    return path


async def test_hostile_text_is_inert_in_the_explorer(hostile_db: Path) -> None:
    app = RasdApp(hostile_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert current(app).event_id == "EVIL-1"
        assert shown(app).incident["event_id"] == "EVIL-1"
        for _ in range(3):  # every pane, focused in turn
            text = screen_text(app)
            for bad in ESCAPES:
                assert bad not in text
            await pilot.press("tab")
            await pilot.pause()
        view = app.query_one("#report", RtlView)
        print(repr(view.text[:60]), shown(app).incident["event_id"], view.size)
        report = "\n".join(line.text for line in view.lines)
        assert "[bold]b[/bold]" in report and "[@click=app.quit]q[/]" in report
        assert "0052" in report and "2500" not in report
        assert app.is_running  # the [@click=app.quit] in data did nothing


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--format", "table"],
        ["show", "EVIL-1", "--bidi", "app"],
        ["show", "EVIL-1"],
        ["list", "--format", "table", "--search", "قتل"],
    ],
)
def test_hostile_text_is_inert_in_commands(hostile_db: Path, capsys, argv: list[str]) -> None:
    assert main([*argv, "--db", str(hostile_db)]) == 0
    out = capsys.readouterr().out
    for bad in ESCAPES:
        assert bad not in out
    assert "[bold]" in out or "EVIL-1" not in out


def hold_write_lock(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


async def test_writer_holding_the_lock_then_reload(seed_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    shutil.copy(seed_db, path)
    writer = hold_write_lock(path)
    try:
        app = RasdApp(path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            assert app.last_error is not None and "writing to it" in app.last_error
            assert "database error" in str(app.query_one("#chronology-pane").border_title)
            writer.terminate()
            writer.wait(10)
            await pilot.press("ctrl+r")
            await settle(pilot, app)
            assert str(app.query_one("#chronology-pane").border_title).endswith("9 incidents")
    finally:
        writer.kill()


async def test_import_while_the_explorer_is_open(
    seed_db: Path, tmp_path: Path, shared: Path
) -> None:
    path = tmp_path / "open.duckdb"
    shutil.copy(seed_db, path)
    app = RasdApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        source = shared / "data" / "acled" / "mali-1997-2020.acled.csv"
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", "import", "acled", str(source), "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        await pilot.press("j")
        await settle(pilot, app)
        assert str(app.query_one("#chronology-pane").border_title).endswith("9 incidents")
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert str(app.query_one("#chronology-pane").border_title).endswith("4,327 incidents")


async def test_reload_while_queries_never_end(db_copy: Path, monkeypatch) -> None:
    """Ctrl+R while queries run (a pane's, the app's): they are interrupted and dropped, and
    the panes read again."""
    import tui.app
    import tui.widgets.regions as regions
    from tests.foundation.test_connection import run_endless

    hanging: list[threading.Event] = []

    def never_ends_once(module: object, name: str) -> None:
        real = getattr(module, name)
        calls = []

        def query(con: duckdb.DuckDBPyConnection, *args: object) -> object:
            calls.append(con)
            if len(calls) == 1:
                started = threading.Event()
                hanging.append(started)
                run_endless(con, started)
            return real(con, *args)

        monkeypatch.setattr(module, name, query)

    never_ends_once(regions, "region_children")  # a pane's worker
    never_ends_once(tui.app, "distinct_event_types")  # the app's own (`t` lists the types)
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        for _ in range(500):
            await pilot.pause(0.02)
            if len(hanging) == 2:
                break
        for started in hanging:
            assert await asyncio.to_thread(started.wait, 30), "a query never started"
        await pilot.press("ctrl+r")  # closed the connection under the queries: the app died
        await settle(pilot, app)
        assert app.is_running
        assert app.last_error is None  # an interrupted query is not an error to show
        assert str(app.query_one("#chronology-pane").border_title).endswith("9 incidents")
        assert "All incidents  9" in screen_text(app)
        await pilot.press("t")  # the next reading is not interrupted
        await settle(pilot, app)
        assert "Event type or sub-type" in screen_text(app)


PANE_KEYS = [
    "j",
    "k",
    "g",
    "G",
    "pagedown",
    "pageup",
    "tab",
    "shift+tab",
    "1",
    "2",
    "3",
    "enter",
    "backspace",
    "escape",
    "r",
    "n",
    "p",
    "z",
    "b",
    "l",
    "h",
    "down",
    "up",
    "y",
    "space",
    "home",
    "end",
    "x",
    "ctrl+r",
]
"""Keys of the panes: sent as fast as a terminal delivers them, thousands at a time."""
MODAL_KEYS = [
    *PANE_KEYS,
    "question_mark",
    "escape",
    "slash",
    "a",
    "enter",
    "escape",
    "d",
    "2026",
    "enter",
    "t",
    "escape",
    "ctrl+p",
    "escape",
    "f1",
]
"""Plus the keys that open prompts, help and the palette: sent at the Pilot's pace (Textual 8.2
can deadlock popping a modal screen under a flood of posted keys, a framework issue)."""


def key_event(name: str) -> events.Key:
    character = (
        name if len(name) == 1 else {"space": " ", "slash": "/", "question_mark": "?"}.get(name)
    )
    return events.Key(name, character)


async def monkey(db: Path, presses: int, seed: int, modal_presses: int = 60) -> None:
    """Random pane keys as fast as a terminal delivers them, then every key at the Pilot's pace;
    then the app must still run, with no query failed, and show a consistent screen.

    Seeded and bounded: the same keys in the same order every run (only the workers' timing
    varies, which is the point), sized to take well under the suite's timeout on a loaded machine.
    """
    rng = random.Random(seed)
    app = RasdApp(db)
    # the palette's own commands may come up: quitting, screenshots and the clipboard are
    # legitimate outcomes of random keys, not failures, so they are made inert here
    app.copy_to_clipboard = lambda text: None  # type: ignore[method-assign]

    async def stay() -> None:
        return None

    app.action_quit = stay  # type: ignore[method-assign]
    app.deliver_screenshot = lambda *a, **k: None  # type: ignore[method-assign]
    errors: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        total = app.query_one(ChronologyView).total
        assert total
        app.watch(app, "last_error", lambda e: errors.append(e) if e else None, init=False)
        for i in range(presses):
            app.post_message(key_event(rng.choice(PANE_KEYS)))
            if i % 25 == 0:
                await pilot.pause()
            if rng.random() < 0.01:
                await pilot.resize_terminal(rng.randint(20, 140), rng.randint(8, 50))
        for _ in range(modal_presses):
            key = rng.choice(MODAL_KEYS)
            await pilot.press(*([key] if key != "2026" else list(key)))
        assert app.is_running
        await pilot.resize_terminal(120, 40)
        while len(app.screen_stack) > 1:
            await pilot.press("escape")
        app.filter = type(app.filter)()
        await settle(pilot, app)
        await pilot.press("2", "G")
        await settle(pilot, app)
        # survived, and what is shown agrees with itself and with the data
        assert app.is_running and errors == [] and app.last_error is None
        chronology = app.query_one(ChronologyView)
        assert chronology.total == total and chronology.cursor == total - 1
        title = str(app.query_one("#chronology-pane").border_title)
        assert title.endswith((f"{total:,}", f"{total:,} incident{'' if total == 1 else 's'}"))
        assert title in screen_text(app)  # whole: the count is never cut
        assert shown(app).incident["event_id"] == current(app).event_id


async def test_monkey_on_the_default_data(db_copy: Path) -> None:
    await monkey(db_copy, 600, seed=7)


@pytest.fixture(scope="session")
def db_100k(tmp_path_factory, shared: Path) -> Path:
    from db.bench_data import build_from_events

    work = tmp_path_factory.mktemp("k100")
    parquet = work / "events.parquet"
    subprocess.run(
        [
            sys.executable,
            str(shared / "bench" / "make_events.py"),
            "--rows",
            "100000",
            "--out",
            str(parquet),
            "--format",
            "parquet",
        ],
        check=True,
        capture_output=True,
    )
    path = work / "events.duckdb"
    build_from_events(parquet, path)
    return path


async def test_monkey_on_100k_incidents(db_100k: Path) -> None:
    await monkey(db_100k, 500, seed=11)


async def test_resize_storm(db_copy: Path) -> None:
    rng = random.Random(3)
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        started = time.perf_counter()
        for _ in range(60):
            await pilot.resize_terminal(rng.randint(10, 200), rng.randint(4, 60))
        await pilot.resize_terminal(80, 24)
        await settle(pilot, app)
        assert time.perf_counter() - started < 60
        assert "2026-01-22" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        report = app.query_one("#report", RtlView)
        assert report.lines[0].text.__len__() and len(report.lines[0].text) <= 80
