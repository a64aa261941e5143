"""Proposals in the explorer: shown, counted apart and marked so that no colour is needed;
rejected incidents nowhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.explorer.conftest import chronology, screen_text, settle
from tui.app import RasdApp
from tui.card import card_fields
from tui.cli import main
from tui.widgets.chronology_columns import columns_for, header_line
from tui.widgets.regions import RegionsTree
from tui.widgets.source import SourcePane

REPORT = "باماكو – 3 فبراير 2026\nقتل ثلاثة جنود ومدنيان يوم الأحد في هجوم على قرية قرب موبتي.\n"


@pytest.fixture
def with_proposals(db_copy: Path, tmp_path: Path, capsys) -> Path:
    """The seed, one imported report's proposal, and one rejected incident (a renamed copy)."""
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["import", "report", str(report), "--db", str(db_copy)]) == 0
    bundle = tmp_path / "one.json"
    assert main(["export", str(bundle), "--db", str(db_copy), "--region", "Kayes"]) == 0
    rows = json.loads(bundle.read_text(encoding="utf-8"))[:1]
    rows[0].update(
        event_id="REJECTED-1", status="rejected", report=None, admin1="Tombouctou", fatalities=1000
    )
    bundle.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert main(["import", "incidents", str(bundle), "--db", str(db_copy)]) == 0
    capsys.readouterr()
    return db_copy


def _titles(app: RasdApp) -> str:
    return str(app.query_one("#chronology-pane").border_title)


async def test_proposals_are_marked_and_counted_apart(with_proposals: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = RasdApp(with_proposals)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        assert _titles(app).endswith("10 incidents, 1 of them proposed (?)")
        text = screen_text(app)
        assert "? 2026-02-01" in text  # the proposal's row, marked in the first column
        assert " 2026-01-22" in text and "? 2026-01-22" not in text  # a coded row, unmarked
        assert "REJECTED-1" not in text and "Tombouctou" not in text
        chronology(app).action_first()
        await settle(pilot, app)
        shown = app.query_one(SourcePane).shown
        assert shown is not None and shown.incident["status"] == "proposed"
        assert "status ? proposed" in screen_text(app)
        status = dict(card_fields(shown.incident))["status"]
        assert status.startswith("? proposed, not confirmed (confidence ")
        tree = app.query_one(RegionsTree)
        labels = " ".join(str(node.label) for node in tree.root.children)
        assert "1000" not in labels  # the rejected incident's deaths are counted nowhere


async def test_without_proposals_the_chronology_is_as_before(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert _titles(app).endswith("9 incidents")
        assert chronology(app).proposed == 0


def test_the_mark_column_takes_its_room_from_the_actors() -> None:
    for width in (40, 64, 80, 120, 200):
        plain, marked = columns_for(width), columns_for(width, proposals=True)
        assert marked[0].key == "status" and header_line(marked).startswith("? ")
        used = sum(c.width + 1 for c in marked)
        assert used == sum(c.width + 1 for c in plain) or marked[-3].width == 4


async def test_a_narrow_list_with_proposals_stays_inside_its_pane(with_proposals: Path) -> None:
    """At 100 columns the list was 23 cells: its rows were 31, drawn past its border over the
    Source pane's. Now the Regions pane leaves it 32 and the type gives way to a place that
    reads; the date, mark and dead stay."""
    app = RasdApp(with_proposals)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        pane = app.query_one("#chronology-pane")
        assert pane.region.width == 32
        lines = screen_text(app).splitlines()
        assert all(len(line) == 100 for line in lines)
        inside = lines[pane.region.y + 1 : pane.region.bottom - 1]
        assert all(line[pane.region.right - 1] == "│" for line in inside)
        assert all(line[pane.region.right] == "│" for line in inside)  # the Source pane's
        rows = [line[pane.region.x : pane.region.right] for line in inside]
        assert any("? 2026-02-01" in row and " 5 " in row for row in rows), rows
        assert "Place" in rows[2] and "Type" not in rows[2], rows[:3]
