"""`rasd import report` into a large database: the reports and their proposals go to the coding
database beside it (one report into the 10M database took 146 s: the whole file copied and
re-ordered for one row). Here the threshold is lowered to the seed database's nine incidents."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from db.coding import CodingStore
from db.importers import report as report_import
from db.paths import coding_path
from db.rows import one_row
from db.store import open_db
from tests.explorer.conftest import chronology, current, settle, shown, wait_for
from tui.app import RasdApp
from tui.cli import main
from tui.widgets.source import SourcePane

R11 = Path(__file__).resolve().parents[1] / "extract" / "reports" / "r11.ar.txt"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def large(seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "rasd.duckdb"
    shutil.copy(seed_db, db)
    monkeypatch.setattr(report_import, "BESIDE_FROM_ROWS", 9)
    return db


def test_the_main_file_is_not_rewritten(large: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sha(large)
    assert main(["import", "report", str(R11), "--db", str(large)]) == 0
    assert "1 added, 0 already stored; 3 proposed incidents" in capsys.readouterr().out
    assert sha(large) == before and coding_path(large).exists()
    # every reader sees the report and its proposals, as if imported into the file
    assert main(["list", "--status", "proposed", "--db", str(large), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["event_id"][-4:] for r in listed] == ["-P03", "-P02", "-P01"]
    source = listed[0]["source_id"]
    assert main(["show", f"{source}-P02", "--db", str(large)]) == 0
    shown = capsys.readouterr().out
    assert "Douentza" in shown and "كمينًا" in shown  # the report's text, from beside
    assert "coded by" not in shown  # stored beside is not coded: nobody has confirmed it
    con = open_db(large)
    try:
        assert con.execute("SELECT count(*) FROM sources").fetchone() == (2,)
        hits = con.execute(
            "SELECT count(*) FROM incidents WHERE contains(search_text, 'دوينتزا')"
        ).fetchone()
        assert hits == (1,)  # its span's words are searchable
    finally:
        con.close()
    # again: already stored, nothing written
    coding_before = sha(coding_path(large))
    assert main(["import", "report", str(R11), "--db", str(large)]) == 0
    assert "0 added, 1 already stored" in capsys.readouterr().out
    assert sha(coding_path(large)) == coding_before and sha(large) == before


def test_its_proposals_are_coded_like_any_other(large: Path) -> None:
    assert main(["import", "report", str(R11), "--db", str(large)]) == 0
    with CodingStore.open(large, user="tester") as store:
        con = open_db(large)
        (source,) = one_row(con.execute("SELECT source_id FROM sources WHERE format = 'text'"))
        con.close()
        items = store.incidents(source)
        assert [i["status"] for i in items] == ["proposed"] * 3
        assert items[0]["spans"] and items[0]["evidence_fields"]
        store.accept(items[0]["event_id"])
        assert store.incidents(source)[0]["status"] == "coded"


def test_a_coder_at_work_keeps_the_import_out(
    large: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CodingStore.open(large, user="amina"):
        assert main(["import", "report", str(R11), "--db", str(large)]) == 1
    assert "being coded by amina" in capsys.readouterr().err


async def test_the_explorer_shows_them(large: Path) -> None:
    assert main(["import", "report", str(R11), "--db", str(large)]) == 0
    app = RasdApp(large)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert chronology(app).total == 12 and chronology(app).proposed == 3
        assert current(app).event_id.endswith("-P03")  # the newest: 2 December 2026
        await wait_for(pilot, lambda: app.query_one(SourcePane).shown is not None, "the source")
        incident = shown(app).incident
        assert incident.source is not None and incident.span_text is not None
        assert "غوندام" in incident.span_text  # the report's text, read from beside


def test_a_report_without_incidents_is_stored_beside_too(
    large: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No proposal, so no version in the coding file: the report alone must still be read."""
    quiet = tmp_path / "fuel.txt"
    quiet.write_text("باماكو – 3 ديسمبر 2026\nارتفعت أسعار الوقود في سيغو هذا الأسبوع.\n", "utf-8")
    before = sha(large)
    assert main(["import", "report", str(quiet), "--db", str(large)]) == 0
    assert "1 added, 0 already stored; 0 proposed incidents" in capsys.readouterr().out
    assert sha(large) == before
    assert main(["info", "--db", str(large)]) == 0
    assert "sources: 2" in capsys.readouterr().out
    assert main(["import", "report", str(quiet), "--db", str(large)]) == 0
    assert "0 added, 1 already stored" in capsys.readouterr().out


def test_a_bundle_of_it_imported_into_the_file_is_one_report(
    large: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exported (its report carried) and imported back into the main file: one report, not
    the file's and the coding file's both."""
    assert main(["import", "report", str(R11), "--db", str(large)]) == 0
    bundle = tmp_path / "bundle.json"
    assert main(["export", str(bundle), "--db", str(large), "--status", "proposed"]) == 0
    assert main(["import", "incidents", str(bundle), "--db", str(large)]) == 0
    capsys.readouterr()
    con = open_db(large)
    try:
        rows = con.execute("SELECT source_id, count(*) FROM sources GROUP BY ALL").fetchall()
        assert all(n == 1 for _, n in rows) and len(rows) == 2
        assert con.execute(
            "SELECT count(*) FROM incidents WHERE status = 'proposed'"
        ).fetchone() == (3,)
    finally:
        con.close()
