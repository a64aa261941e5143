"""rasd show / history / list / info / export see the coding; every coded value is sanitized."""

from __future__ import annotations

import json
from pathlib import Path

from db.coding import CodingStore
from tests.coding.conftest import proposals
from tui.cli import main

HOSTILE = "amina\x1b]2;pwned\x07"
"""A coder name (from $USER or the config) carrying a terminal title escape."""


def _coded(db: Path) -> tuple[str, str]:
    (first, _), (second, _) = proposals(db)
    with CodingStore.open(db, user=HOSTILE) as store:
        store.accept(first)
        store.save({"fatalities": 12, "notes": "line one\nline two \x1b[31mred"}, first)
        store.reject(second)
    return first, second


def test_show_prints_the_audit_in_text_and_json(coded_db: Path, capsys) -> None:
    first, _ = _coded(coded_db)
    assert main(["show", first, "--db", str(coded_db), "--width", "100"]) == 0
    text = capsys.readouterr().out
    assert "coded by" in text and "revision  2" in text and "coded at  20" in text
    assert "\x1b" not in text and "\x07" not in text  # the name's escape made harmless
    assert main(["show", first, "--db", str(coded_db), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["coded_by"] == HOSTILE and doc["revision"] == 2 and doc["fatalities"] == 12
    assert doc["coded_at"].endswith("Z") and doc["status"] == "coded"


def test_show_of_an_uncoded_incident_says_revision_0(coded_db: Path, capsys) -> None:
    seed_id = "RASD-ML-20260124-01"
    assert main(["show", seed_id, "--db", str(coded_db), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["coded_by"], doc["coded_at"], doc["revision"]) == (None, None, 0)
    assert main(["show", seed_id, "--db", str(coded_db)]) == 0
    assert "coded by" not in capsys.readouterr().out


def test_history_lists_versions_with_changes(coded_db: Path, capsys) -> None:
    first, _ = _coded(coded_db)
    assert main(["history", first, "--db", str(coded_db)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "revision 0  as imported"
    assert lines[1].startswith("revision 1  20") and lines[1].endswith("  accept")
    assert "    status: proposed → coded" in lines
    assert any(line.startswith("revision 2 ") and line.endswith(" edit") for line in lines)
    assert any(line.startswith("    fatalities: ") and line.endswith("→ 12") for line in lines)
    assert "\x1b" not in out and "\x07" not in out
    assert main(["history", first, "--db", str(coded_db), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [v["revision"] for v in doc["versions"]] == [0, 1, 2]
    assert doc["versions"][1]["changes"] == {"status": {"old": "proposed", "new": "coded"}}
    assert doc["versions"][2]["changes"]["fatalities"]["new"] == 12
    assert doc["versions"][2]["coded_by"] == HOSTILE


def test_history_of_a_created_incident_lists_its_fields(coded_db: Path, capsys) -> None:
    with CodingStore.open(coded_db, user="omar") as store:
        new = store.save({"event_date": "2026-01-02", "event_type": "Battles", "country": "Mali"})
    assert main(["history", new, "--db", str(coded_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("revision 1 ") and lines[0].endswith("omar  create")
    assert "    event_date: 2026-01-02" in lines and "    country: Mali" in lines


def test_history_of_an_unknown_id_exits_2(coded_db: Path, capsys) -> None:
    assert main(["history", "NO-SUCH-ID", "--db", str(coded_db)]) == 2
    assert "no incident 'NO-SUCH-ID'" in capsys.readouterr().err


def test_list_info_and_export_count_the_coding(coded_db: Path, tmp_path: Path, capsys) -> None:
    def listed(*extra: str) -> dict[str, dict]:
        assert main(["list", "--db", str(coded_db), "--format", "json", *extra]) == 0
        return {r["event_id"]: r for r in json.loads(capsys.readouterr().out)}

    coded_before = listed()
    (first, _), (second, _) = proposals(coded_db)
    assert second in listed("--status", "all")  # a proposal, before it is rejected
    _coded(coded_db)
    coded = listed()
    assert set(coded) == set(coded_before) | {first}  # accepted: listed with the coded ones
    assert coded[first]["fatalities"] == 12
    every = listed("--status", "all")  # coded and proposed: a rejected one is in neither
    assert second not in every and first in every
    assert main(["info", "--db", str(coded_db)]) == 0
    info = capsys.readouterr().out
    assert f"{len(coded)} coded" in info and "1 rejected" in info
    out = tmp_path / "out.json"
    assert main(["export", str(out), "--db", str(coded_db)]) == 0
    exported = {r["event_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert set(exported) == set(coded) and exported[first]["fatalities"] == 12
