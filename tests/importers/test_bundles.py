"""Nothing lost on the way out: exports carry the reports, imports restore them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from db.queries import one_row
from db.store import open_db
from tests.importers.conftest import digest
from tests.importers.conftest import rasd as _rasd


def rasd(capsys, *argv: str) -> tuple[int, str, str]:
    """The CLI in-process; stderr with its line wrapping undone (Rich wraps at 80 columns)."""
    code, out, err = _rasd(capsys, *argv)
    return code, out, " ".join(err.split())


def _ids(capsys, db: Path) -> list[str]:
    code, out, _ = rasd(capsys, "list", "--db", str(db), "--format", "json")
    assert code == 0
    return [r["event_id"] for r in json.loads(out)]


def _show(capsys, db: Path, event_id: str) -> dict:
    code, out, err = rasd(capsys, "show", event_id, "--db", str(db), "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_export_import_gives_back_every_incident_with_its_report(
    seed_db: Path, tmp_path: Path, capsys, fmt: str
) -> None:
    bundle = tmp_path / f"all.{fmt}"
    code, _, err = rasd(capsys, "export", str(bundle), "--db", str(seed_db))
    assert code == 0 and "with their 1 report" in err
    fresh = tmp_path / "fresh.duckdb"
    code, _, err = rasd(capsys, "import", "incidents", str(bundle), "--db", str(fresh))
    assert code == 0, err
    assert "reports: 1 added" in err
    ids = _ids(capsys, seed_db)
    assert len(ids) == 9 and _ids(capsys, fresh) == ids
    for event_id in ids:
        before = _show(capsys, seed_db, event_id)
        after = _show(capsys, fresh, event_id)
        assert after == before
        assert after["span_text"] and after["report"]["sha256"]


def test_report_is_written_once_per_bundle(seed_db: Path, tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "all.json"
    assert rasd(capsys, "export", str(bundle), "--db", str(seed_db))[0] == 0
    rows = json.loads(bundle.read_text(encoding="utf-8"))
    reports = [r["report"] for r in rows if r["report"] is not None]
    assert len(reports) == 1 and len(rows) == 9
    assert reports[0]["text"].startswith(rows[0]["report"]["text"][:20])


def test_reimporting_a_bundle_changes_nothing(seed_copy: Path, tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "all.parquet"
    assert rasd(capsys, "export", str(bundle), "--db", str(seed_copy))[0] == 0
    code, out, err = rasd(capsys, "import", "incidents", str(bundle), "--db", str(seed_copy))
    assert code == 0
    assert "inserted 0, updated 0, unchanged 9" in out
    assert "reports: 0 added, 1 already stored" in err


def test_sources_only_round_trip(seed_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "reports.json"
    code, _, err = rasd(capsys, "export", str(out), "--sources-only", "--db", str(seed_db))
    assert code == 0 and "1 report as json" in err
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert "event_id" not in row and row["format"] == "seed"
    fresh = tmp_path / "fresh.duckdb"
    assert rasd(capsys, "import", "incidents", str(out), "--db", str(fresh))[0] == 0
    con = open_db(fresh)
    seed = open_db(seed_db)
    try:
        assert (
            con.execute("SELECT * FROM sources").fetchall()
            == seed.execute("SELECT * FROM sources").fetchall()
        )
        assert one_row(con.execute("SELECT count(*) FROM incidents"))[0] == 0
    finally:
        con.close()
        seed.close()


def test_a_changed_report_text_is_refused(seed_copy: Path, tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "all.json"
    assert rasd(capsys, "export", str(bundle), "--db", str(seed_copy))[0] == 0
    rows = json.loads(bundle.read_text(encoding="utf-8"))
    rows[0]["report"]["text"] += " (edited)"
    bundle.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    before = digest(seed_copy)
    code, _, err = rasd(capsys, "import", "incidents", str(bundle), "--db", str(seed_copy))
    assert code == 1
    assert "sha256 does not match its text" in err and err.count("rasd:") == 1
    assert digest(seed_copy) == before


def test_another_text_under_a_stored_id_is_refused(seed_copy: Path, tmp_path: Path, capsys):
    out = tmp_path / "reports.json"
    assert rasd(capsys, "export", str(out), "--sources-only", "--db", str(seed_copy))[0] == 0
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    row["text"] = "نص آخر"
    con = duckdb.connect()
    row["sha256"] = one_row(con.execute("SELECT sha256(?)", [row["text"]]))[0]
    out.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    before = digest(seed_copy)
    code, _, err = rasd(capsys, "import", "incidents", str(out), "--db", str(seed_copy))
    assert code == 1 and "stored with another text" in err
    assert digest(seed_copy) == before


def test_csv_export_says_reports_are_not_in_it(seed_db: Path, tmp_path: Path, capsys) -> None:
    code, _, err = rasd(capsys, "export", str(tmp_path / "a.csv"), "--db", str(seed_db))
    assert code == 0 and "reports are not in CSV" in err


def test_evidence_that_is_not_json_is_refused(seed_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "one.json"
    assert rasd(capsys, "export", str(out), "--db", str(seed_copy))[0] == 0
    rows = json.loads(out.read_text(encoding="utf-8"))[:1]
    rows[0].update(event_id="P-X", status="proposed", evidence="spans 1-5", report=None)
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    before = digest(seed_copy)
    code, _, err = rasd(capsys, "import", "incidents", str(out), "--db", str(seed_copy))
    assert code == 1 and "invalid evidence (not JSON)" in err
    assert digest(seed_copy) == before
