"""What an export says it wrote: its counts read as counts ("1 incidents" read as a slip)."""

from __future__ import annotations

from pathlib import Path

from db.export import ExportResult, summary_line


def test_one_and_many_read_as_english() -> None:
    one = ExportResult(Path("out.json"), rows=1, sources=1)
    many = ExportResult(Path("out.json"), rows=12_345, sources=2)
    assert summary_line(one, "json") == "1 incident as json with their 1 report"
    assert summary_line(many, "json") == "12,345 incidents as json with their 2 reports"
    assert summary_line(one, "json", sources_only=True) == "1 report as json"
    assert summary_line(many, "json", sources_only=True) == "12,345 reports as json"
    geo = ExportResult(Path("out.geojson"), rows=1, skipped=3)
    assert summary_line(geo, "geojson") == "1 incident as geojson (3 without coordinates left out)"
