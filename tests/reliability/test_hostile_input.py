"""Hostile input from outside: names, values, options, locales; one line, never a traceback.

Every command runs as a subprocess (as a user would run it); the terminal cases through a pty.
"""

from __future__ import annotations

import gzip
import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.importers.test_bad_input import GOOD, csv_text, row
from tests.reliability.test_explorer_faults import HOSTILE, hostile_db  # noqa: F401
from tui.text.sanitize import has_controls

REPO = Path(__file__).resolve().parents[2]
EVIL_NAME = "evil\x1b]2;pwned\x07\x1b[2J\u202eved\n.csv"
"""A file name that retitles the window, clears the screen, reorders the line and breaks it."""


def rasd(
    *args: str | Path, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", *map(str, args)],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        env={**os.environ, **(env or {})},
        timeout=120,
        cwd=REPO,
        stdin=stdin,
    )
    assert_clean_stderr(proc.stderr)
    return proc


def assert_clean_stderr(err: str) -> None:
    """No traceback, and no control character but the line ends."""
    assert "Traceback" not in err, err
    assert not has_controls(err, allow="\n"), repr(err)


def assert_one_line(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("rasd: ") and proc.stderr.count("\n") == 1, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr


def run_on_pty(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Run rasd with stdout on a pty (a terminal) and return its exit code and output bytes."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=REPO,
    )
    os.close(slave)
    out = bytearray()
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 60 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    code = proc.wait(60)
    assert proc.stderr is not None
    assert_clean_stderr(proc.stderr.read().decode("utf-8", "surrogateescape"))
    return code, bytes(out)


# ---- the terminal is not ours to write to ------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        GOOD.replace("2024-03-01", "2024-13-45", 1),  # refused: the name is in the error
        GOOD,  # imported: the name is in the summary
    ],
    ids=["refused", "imported"],
)
def test_file_name_with_escapes_is_shown_escaped(
    db_copy: Path, tmp_path: Path, content: str
) -> None:
    path = tmp_path / EVIL_NAME
    path.write_text(content, encoding="utf-8")
    proc = rasd("import", "acled", path, "--db", db_copy)
    assert "\\x1b]2;pwned\\x07" in proc.stderr + proc.stdout
    assert "\\u202e" in proc.stderr + proc.stdout and "\\n.csv" in proc.stderr + proc.stdout
    assert not has_controls(proc.stdout, allow="\n"), repr(proc.stdout)
    if content is GOOD:
        assert proc.returncode == 0 and "inserted 3" in proc.stdout
    else:
        assert_one_line(proc, 1, "invalid event_date")


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("event_date", "2024\x1b]2;pwned\x07\n\x1b[2J", "invalid event_date: 2024\\x1b]2;pwned"),
        ("latitude", "1\x1b[2J\n99", "latitude"),
        ("fatalities", "3\n\x9b2J\u202e", "invalid fatalities: 3\\n\\x9b2J\\u202e"),
        ("event_id_cnty", "MLI\x1b]2;x\x07", "duplicate id MLI\\x1b]2;x\\x07"),
    ],
)
def test_field_values_in_errors_are_escaped(
    db_copy: Path, tmp_path: Path, field: str, value: str, words: str
) -> None:
    rows = [row("MLI1"), row("MLI2", **{field: value})]
    if field == "event_id_cnty":
        rows = [row(value), row(value)]
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(*rows), encoding="utf-8", newline="")
    assert_one_line(rasd("import", "acled", path, "--db", db_copy), 1, words)


def test_argument_errors_are_one_escaped_line(db_copy: Path) -> None:
    proc = rasd("list", "--db", db_copy, "--format", "x\x1b]2;pwned\x07")
    assert_one_line(proc, 2, "--format", "pwned")
    proc = rasd("show", "NO\x1b[2J\u202eSUCH", "--db", db_copy)
    assert_one_line(proc, 2, "NO\\x1b[2J\\u202eSUCH")


def test_list_csv_and_json_escape_controls_on_a_terminal_only(hostile_db: Path) -> None:  # noqa: F811
    for fmt in ("csv", "json"):
        piped = rasd("list", "--db", hostile_db, "--format", fmt)
        assert piped.returncode == 0
        if fmt == "json":  # to a pipe the data is exactly what is stored
            evil = next(r for r in json.loads(piped.stdout) if r["event_id"] == "EVIL-1")
            assert evil["notes"] == HOSTILE
        else:
            assert "\x9b31m\x85" in piped.stdout and "\x1b]2;pwned" in piped.stdout
        code, out = run_on_pty("list", "--db", hostile_db, "--format", fmt)
        text = out.decode("utf-8")
        assert code == 0
        assert not has_controls(text, allow="\n\r"), repr(text[:400])  # the pty adds \r
        assert "EVIL-1" in text and ("\\x1b]2;pwned" in text or "\\u001b]2;pwned" in text)
        if fmt == "json":  # still JSON, still the same data
            evil = next(r for r in json.loads(text) if r["event_id"] == "EVIL-1")
            assert evil["notes"] == HOSTILE


# ---- inputs that ended in tracebacks or hung ---------------------------------------------------


def test_fifo_as_database_or_import_file_is_refused(db_copy: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert_one_line(rasd("list", "--db", fifo), 2, "FIFO")
    assert_one_line(rasd("info", "--db", fifo), 2, "FIFO")
    before = db_copy.read_bytes()
    for kind in ("acled", "ucdp", "incidents", "report"):
        assert_one_line(rasd("import", kind, fifo, "--db", db_copy), 1, str(fifo), "FIFO")
    assert_one_line(rasd("import", "acled", "/dev/null", "--db", db_copy), 1, "not a regular")
    assert db_copy.read_bytes() == before


def big_csv_gz(rows: int = 3000) -> bytes:
    return gzip.compress(csv_text(*(row(f"MLI{i}") for i in range(rows))).encode())


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_damaged_gzip_is_one_line(db_copy: Path, tmp_path: Path, damage: str) -> None:
    data = bytearray(big_csv_gz())
    half = len(data) // 2
    if damage == "truncated":
        del data[half:]
    else:
        data[half : half + 40] = bytes(40)
    path = tmp_path / "acled.csv.gz"
    path.write_bytes(bytes(data))
    before = db_copy.read_bytes()
    assert_one_line(rasd("import", "acled", path, "--db", db_copy), 1, str(path), "gzip")
    assert db_copy.read_bytes() == before


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1e3", "9223372036854775808"])
def test_limit_is_a_bounded_whole_number(db_copy: Path, value: str) -> None:
    assert_one_line(rasd("list", "--db", db_copy, "--limit", value), 2, "--limit")


def test_limit_at_its_bound_works(db_copy: Path) -> None:
    proc = rasd("list", "--db", db_copy, "--limit", str(2**63 - 1), "--format", "json")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 9


def test_search_not_utf8_is_refused_by_name(db_copy: Path) -> None:
    arg = b"\xff\xfe".decode(sys.getfilesystemencoding(), "surrogateescape")
    assert_one_line(rasd("list", "--db", db_copy, "--search", arg), 2, "--search", "UTF-8")


def test_commands_under_an_ascii_locale_replace_what_they_cannot_write(db_copy: Path) -> None:
    env = {
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONIOENCODING": "",
    }
    for args in (["list"], ["show", "RASD-ML-20260124-01"], ["info"]):
        proc = rasd(*args, "--db", db_copy, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "?" in proc.stdout
    # Arabic typed under that locale still searches (argv bytes are UTF-8)
    proc = rasd("list", "--db", db_copy, "--search", "سيكاسو", "--format", "csv", env=env)
    assert proc.returncode == 0 and proc.stdout.count("\n") > 1, proc.stderr


def test_thousands_of_search_words_are_refused(db_copy: Path) -> None:
    words = " ".join(f"w{i}" for i in range(5000))
    proc = rasd("list", "--db", db_copy, "--search", words)
    assert_one_line(proc, 2, "--search", "5,000 words", "at most 20 words")
    proc = rasd("list", "--db", db_copy, "--search", "x" * 5000)
    assert_one_line(proc, 2, "--search", "5,000 characters")
    proc = rasd("export", db_copy.parent / "out.csv", "--db", db_copy, "--search", words)
    assert_one_line(proc, 2, "--search")
    assert not (db_copy.parent / "out.csv").exists()


def test_search_at_the_bound_runs(db_copy: Path) -> None:
    words = " ".join(["سيكاسو"] * 20)
    proc = rasd("list", "--db", db_copy, "--search", words, "--format", "json")
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) >= 1


def test_show_id_is_checked_too(db_copy: Path) -> None:
    arg = b"MLI\xff".decode(sys.getfilesystemencoding(), "surrogateescape")
    assert_one_line(rasd("show", arg, "--db", db_copy), 2, "EVENT_ID", "UTF-8")


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_bare_cr_inside_a_quoted_field_is_data(db_copy: Path, tmp_path: Path, ending: str) -> None:
    header = csv_text(row("X")).split("\n")[0]
    notes = header.split(",").index("notes")
    lines = [header]
    for key, note in (("MLI1", '"first\rsecond"'), ("MLI2", '"a\r"'), ("MLI3", "plain")):
        fields = row(key)
        fields[notes] = note
        lines.append(",".join(fields))
    path = tmp_path / "cr.csv"
    path.write_bytes(ending.join(lines).encode() + ending.encode())
    proc = rasd("import", "acled", path, "--db", db_copy)
    assert proc.returncode == 0, proc.stderr
    assert "inserted 3" in proc.stdout
    shown = rasd("list", "--db", db_copy, "--format", "json", "--search", "first")
    assert [r["notes"] for r in json.loads(shown.stdout)] == ["first\rsecond"]


def schema_broken(db: Path, sql: str) -> Path:
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(sql)
    con.close()
    return db


@pytest.mark.parametrize(
    "sql,words",
    [
        (
            "CREATE OR REPLACE TABLE incidents AS SELECT * REPLACE (event_date::VARCHAR AS event_date) "
            "FROM incidents",
            "incidents.event_date is VARCHAR, rasd needs DATE",
        ),
        (
            "ALTER TABLE incidents DROP COLUMN fatalities",
            "table incidents has no column fatalities",
        ),
        ("DROP TABLE sources", "no table sources"),
    ],
)
def test_database_with_an_unexpected_schema_is_refused(
    db_copy: Path, tmp_path: Path, sql: str, words: str
) -> None:
    schema_broken(db_copy, sql)
    for args in (
        ["list"],
        ["info"],
        ["show", "RASD-ML-20260124-01"],
        ["export", tmp_path / "o.csv"],
    ):
        assert_one_line(rasd(*args, "--db", db_copy), 2, str(db_copy), words)
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert_one_line(rasd("import", "acled", path, "--db", db_copy), 1, words)


# ---- the explorer -------------------------------------------------------------------------------

KEYS = {"[": "left_square_bracket", "]": "right_square_bracket", "/": "slash", " ": "space"}


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*(KEYS.get(ch, ch) for ch in text))


async def toasts(pilot, app) -> list[str]:  # type: ignore[no-untyped-def]
    from tests.explorer.conftest import settle

    await settle(pilot, app)
    await pilot.pause(0.2)
    return [str(t.render()) for t in app.screen.query("Toast")]


async def test_markup_in_a_typed_date_is_shown_not_parsed(db_copy: Path) -> None:
    from tests.explorer.conftest import settle
    from tui.app import RasdApp

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        await pilot.press("d")
        await settle(pilot, app)
        await type_text(pilot, "[/x]")
        await pilot.press("enter")
        shown = await toasts(pilot, app)
        assert any("not a date: '[/x]'" in t for t in shown), shown
        assert app.is_running


async def test_markup_in_the_keymap_warning_is_shown_not_parsed(db_copy: Path, monkeypatch) -> None:
    from tests.explorer.conftest import screen_text, settle
    from tui.app import RasdApp
    from tui.keymap import keymap_path

    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[keys]\n"nonsense[/x]\\u001b]2;pwned\\u0007" = 3\n'
        '"chronology.reverse" = "[/x]\\u001b]2;pwned\\u0007,R"\n',
        encoding="utf-8",
    )
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        shown = await toasts(pilot, app)
        assert any("nonsense[/x]" in t and "chronology.reverse" in t for t in shown), shown
        assert not has_controls(screen_text(app), allow="\n")  # the footer shows keys
        assert not any(has_controls(t, allow="\n") for t in shown)
        await pilot.press("question_mark")
        await settle(pilot, app)
        help_text = screen_text(app)
        assert "chronology.reverse" in help_text and not has_controls(help_text, allow="\n")
        assert app.is_running


async def test_region_names_with_markup_in_the_palette(hostile_db: Path) -> None:  # noqa: F811
    from tests.explorer.conftest import screen_text, settle
    from tui.app import RasdApp

    app = RasdApp(hostile_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await type_text(pilot, "bold")
        await settle(pilot, app)
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert "[bold]b[/bold]" in screen_text(app)
        assert app.is_running


async def test_a_search_beyond_the_bound_is_refused_in_the_explorer(db_copy: Path) -> None:
    from tests.explorer.conftest import settle
    from tui.app import RasdApp

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        await pilot.press("slash")
        await settle(pilot, app)
        from textual.widgets import Input

        app.screen.query_one(Input).value = " ".join(f"w{i}" for i in range(300))  # a paste
        await pilot.press("enter")
        shown = await toasts(pilot, app)
        assert any("300 words" in t and "at most 20 words" in t for t in shown), shown
        assert app.filter.search is None and app.is_running


async def test_explorer_on_a_mistyped_database_says_so(db_copy: Path) -> None:
    from tui.app import RasdApp

    schema_broken(
        db_copy,
        "CREATE OR REPLACE TABLE incidents AS SELECT * REPLACE "
        "(event_date::VARCHAR AS event_date) FROM incidents",
    )
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("", "j", "enter", "2", "G", "1", "j", "enter", "ctrl+r"):
            if key:
                await pilot.press(key)
            for _ in range(10):  # failed workers are the point: wait without awaiting them
                await pilot.pause(0.05)
        assert app.last_error is not None and "event_date is VARCHAR" in app.last_error
        assert "database error" in str(app.query_one("#chronology-pane").border_title)
        assert app.is_running


@pytest.mark.parametrize(
    "env",
    [
        {"LC_ALL": "en_US.ISO-8859-1"},
        {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0"},
    ],
)
def test_explorer_needs_a_utf8_locale(db_copy: Path, env: dict[str, str]) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(db_copy)],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "xterm-256color", **env},
        cwd=REPO,
    )
    os.close(slave)
    try:
        code = proc.wait(60)
    finally:
        proc.kill()
        os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert code == 2 and err.startswith("rasd: ") and err.count("\n") == 1, (code, err)
    assert "UTF-8" in err


STORM = (
    "👨\u200d👩\u200d👧\u200d👦" * 3
    + "🏳\ufe0f\u200d🌈👍🏽❤\ufe0f\u200d🔥" * 2
    + " x\u200dy "
    + "🧑🏿\u200d🤝\u200d🧑🏻" * 2
    + "☺\ufe0f1\ufe0f\u20e3🇲🇱"
)
"""ZWJ families, flags, skin tones, VS16: what tmux draws in other widths than Rich counts."""


@pytest.mark.referee(shutil.which("tmux") is not None, "tmux")
def test_a_zwj_emoji_storm_takes_the_cells_we_count(db_copy: Path, tmp_path: Path) -> None:
    """Chronology rows, card lines and report rows: tmux's cursor ends where we counted."""
    import time

    import duckdb
    from rich.cells import cell_len

    from db.columns import INCIDENT_COLUMNS
    from db.queries import Filter, get_incident, list_incidents
    from tests.e2e.terminal import tmux
    from tests.text.test_emoji import PROBE
    from tui.card import card_lines
    from tui.text.layout import layout_text
    from tui.widgets.chronology_columns import columns_for, format_cells, row_values

    con = duckdb.connect(str(db_copy))
    first = con.execute(f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents LIMIT 1").fetchone()
    values = dict(zip(INCIDENT_COLUMNS, first or (), strict=True))
    values.update(
        event_id="ZWJ-1",
        source_id=None,
        location=STORM,
        location_ar=STORM,
        actor1=STORM,
        actor2=STORM,
        admin1=STORM,
        sub_event_type=STORM,
        notes=f"{STORM} قال {STORM}",
    )
    con.execute(
        f"INSERT INTO incidents ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
        list(values.values()),
    )
    con.close()
    con = duckdb.connect(str(db_copy), read_only=True)
    row = next(r for r in list_incidents(con, Filter()) if r.event_id == "ZWJ-1")
    incident = get_incident(con, "ZWJ-1")
    con.close()
    assert incident is not None
    rows = []
    for mode in ("app", "terminal"):
        for width in (60, 118):
            rows.append(format_cells(row_values(row), columns_for(width), mode))
        rows.extend(f"{label:>11} {value}" for label, value in card_lines(incident, mode))
        rows.extend(line.text for line in layout_text(values["notes"], 40, mode))  # type: ignore[arg-type]
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    out = tmp_path / "cols.json"
    with tmux(
        f"{sys.executable} {tmp_path / 'probe.py'} {tmp_path / 'rows.json'} {out}",
        width=500,
        height=5,
    ):
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.exists(), "the probe did not finish"
    drawn = json.loads(out.read_text())
    wrong = [(r, d, cell_len(r)) for r, d in zip(rows, drawn, strict=True) if d != cell_len(r)]
    assert not wrong, wrong


# ---- the sanitizer's visible form -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_escape_controls_leaves_nothing_a_terminal_acts_on(text: str, keep: bool) -> None:
    from tui.text.sanitize import escape_controls

    shown = escape_controls(text, keep_newlines=keep)
    assert not has_controls(shown, allow="\n" if keep else "")
    if not has_controls(text):
        assert shown == text  # printable text is never changed
    if keep:
        assert shown.count("\n") == text.count("\n")


def test_escape_controls_names_each_control() -> None:
    from tui.text.sanitize import escape_controls

    evil = "a\x1b]2;t\x07\n\r\t\x9b\u202e\u2028" + b"\xff".decode("utf-8", "surrogateescape")
    assert escape_controls(evil) == "a\\x1b]2;t\\x07\\n\\r\\t\\x9b\\u202e\\u2028\\xff"


def test_file_names_that_are_not_utf8_are_refused_by_name(db_copy: Path, tmp_path: Path) -> None:
    """DuckDB takes UTF-8 names only: a Latin-1 name ended in std::bad_cast or a traceback."""
    raw = os.fsencode(tmp_path) + b"/caf\xe9"
    db = Path(os.fsdecode(raw + b".duckdb"))
    shutil.copy(db_copy, db)
    assert_one_line(rasd("list", "--db", db), 2, "caf\\xe9.duckdb", "not UTF-8")
    data = Path(os.fsdecode(raw + b".csv"))
    data.write_text(GOOD, encoding="utf-8")
    before = db_copy.read_bytes()
    assert_one_line(rasd("import", "acled", data, "--db", db_copy), 1, "caf\\xe9.csv", "not UTF-8")
    assert db_copy.read_bytes() == before
    new = Path(os.fsdecode(raw + b"-new.duckdb"))
    assert_one_line(rasd("import", "acled", tmp_path / "x.csv", "--db", new), 1, "not UTF-8")
    assert not new.exists()
    out = Path(os.fsdecode(raw + b".parquet"))
    assert_one_line(rasd("export", out, "--db", db_copy), 2, "not UTF-8")
    assert not out.exists()
