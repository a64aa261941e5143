"""The map's geography: the packaged outlines, the projection, and counts per cell from DuckDB."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

from db.geo import (
    DOTS_X,
    DOTS_Y,
    Viewport,
    admin1_at,
    admin1_shape,
    country_at,
    fit,
    load_geo,
    point_in_ring,
)
from db.map_queries import filter_extent, map_counts
from db.queries import Filter, count_incidents
from db.rows import one_row, scalar
from db.store import open_db
from tui.cli import main as rasd_main
from tui.map.braille import dot_bit
from tui.map.draw import PROPOSED_MARK, legend_items, map_rows, pack

REPO = Path(__file__).resolve().parents[2]
ACLED = ("mali-1997-2020.acled.csv", "world-2022h1-sample.acled.csv")


def build_script():
    spec = importlib.util.spec_from_file_location("build_geo", REPO / "scripts" / "build_geo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_arcs_are_decoded_with_deltas_transform_and_reversal() -> None:
    topo = {
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]]],
        "objects": {
            "countries": {
                "geometries": [
                    {
                        "type": "Polygon",
                        "arcs": [[0, 1]],
                        "id": "466",
                        "properties": {"name": "Square"},
                    },
                    {
                        "type": "Polygon",
                        "arcs": [[~1, ~0]],
                        "id": "-99",
                        "properties": {"name": "Back"},
                    },
                ]
            }
        },
    }
    (name, iso, polygons), (name2, iso2, polygons2) = build_script().decode_topology(topo)
    assert (name, iso, name2, iso2) == ("Square", 466, "Back", None)
    assert polygons == [[[(10, 20), (12, 20), (12, 21), (10, 21), (10, 20)]]]
    assert polygons2 == [[list(reversed(polygons[0][0]))]]


def test_simplification_keeps_the_ends_and_drops_what_is_within_tolerance() -> None:
    simplify = build_script().simplify
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.01), (3.0, 2.0), (4.0, 0.0)]
    assert simplify(line, 0.1) == [(0.0, 0.0), (2.0, -0.01), (3.0, 2.0), (4.0, 0.0)]
    assert simplify(line, 5.0) == [(0.0, 0.0), (4.0, 0.0)]


def test_packaged_outlines_are_small_and_complete() -> None:
    path = REPO / "db" / "data" / "geo.json.gz"
    assert path.stat().st_size < 150_000  # the wheel stays small
    geo = load_geo()
    assert len(geo.countries("coarse")) >= 170 and len(geo.countries("fine")) >= 230
    assert sorted(s.name for s in geo.admin1) == sorted(
        ["Bamako", "Gao", "Kayes", "Kidal", "Koulikoro", "Mopti", "Segou", "Sikasso", "Tombouctou"]
    )
    assert getattr(country_at(-8.0, 12.65), "name", None) == "Mali"  # Bamako
    assert getattr(country_at(-1.52, 12.37), "name", None) == "Burkina Faso"  # Ouagadougou
    assert getattr(admin1_at(-3.0, 16.77), "name", None) == "Tombouctou"  # Timbuktu
    assert country_at(-30.0, 10.0) is None  # the Atlantic


def test_point_in_ring_and_holes() -> None:
    square = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0))
    assert point_in_ring(1.0, 1.0, square) and not point_in_ring(5.0, 1.0, square)
    lesotho = next(s for s in load_geo().countries("fine") if s.name == "Lesotho")
    south_africa = next(s for s in load_geo().countries("fine") if s.name == "South Africa")
    maseru = (27.48, -29.31)
    assert lesotho.contains(*maseru) and not south_africa.contains(*maseru)


def test_projection_is_square_per_dot_with_the_cosine_correction() -> None:
    view = Viewport(lon=0.0, lat=60.0, scale=0.1, width=40, height=10)
    assert math.isclose(view.dot_lon, 0.2)  # cos(60°) = 0.5: twice the degrees of longitude
    x, y = view.to_dot(view.lon, view.lat)
    assert (x, y) == (40 * DOTS_X / 2, 10 * DOTS_Y / 2)
    lon, lat = view.dot_center(int(x), int(y))
    assert math.isclose(lon, view.lon + 0.1) and math.isclose(lat, view.lat - 0.05)
    mali = fit((-12.2, 10.1, 4.3, 25.0), 76, 17)
    west, south, east, north = mali.bbox
    assert west <= -12.2 and east >= 4.3 and south <= 10.1 and north >= 25.0


def test_every_seed_incident_lights_a_dot_inside_its_own_region(seed_db: Path) -> None:
    con = open_db(seed_db, read_only=True)
    rows = con.execute(
        "SELECT event_id, longitude, latitude, country, admin1 FROM incidents "
        "WHERE latitude IS NOT NULL"
    ).fetchall()
    assert len(rows) >= 7
    extent = filter_extent(con, Filter())
    assert extent is not None
    views = [fit(extent, w, h) for w, h in ((76, 17), (50, 32))]  # what the map opens on
    for _, _, _, country, admin1 in rows:  # and after Enter on the incident's region
        region = admin1_shape(country, admin1)
        assert region is not None, admin1
        views.append(fit(region.bbox, 76, 17))
    for view in views:
        width = view.width
        counts = map_counts(con, Filter(), view)
        drawn = map_rows(view, counts)
        for event_id, lon, lat, country, admin1 in rows:
            if not view.bbox[0] <= lon < view.bbox[2] or not view.bbox[1] < lat <= view.bbox[3]:
                continue
            x, y = (math.floor(v) for v in view.to_dot(lon, lat))
            cell = drawn[y // DOTS_Y].text[x // DOTS_X]
            assert (ord(cell) - 0x2800) & dot_bit(x, y), (event_id, width)
            region = admin1_shape(country, admin1)
            assert region is not None, admin1
            assert region.contains(*view.dot_center(x, y)), (event_id, width, admin1)
    con.close()


@pytest.fixture(scope="module")
def acled_db(shared_dir_module: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("acled") / "acled.duckdb"
    files = [str(shared_dir_module / "data" / "acled" / name) for name in ACLED]
    assert rasd_main(["import", "acled", *files, "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def shared_dir_module() -> Path:
    from tests.conftest import shared_dir

    return shared_dir()


def direct_cell_count(con, view: Viewport, cx: int, cy: int) -> int:
    west, south, east, north = view.cell_bbox(cx, cy)
    return scalar(
        con.execute(
            "SELECT count(*) FROM incidents WHERE longitude >= ? AND longitude < ? "
            "AND latitude > ? AND latitude <= ? AND geo_precision IS DISTINCT FROM 3",
            [west, east, south, north],
        )
    )


@pytest.mark.parametrize("where", ["world", "mali", "sahel-zoomed"])
def test_acled_counts_per_cell_equal_a_direct_sql_count(acled_db: Path, where: str) -> None:
    con = open_db(acled_db, read_only=True)
    extent, mali = filter_extent(con, Filter()), filter_extent(con, Filter(country="Mali"))
    assert extent is not None and mali is not None
    views = {
        "world": fit(extent, 117, 35),
        "mali": fit(mali, 76, 17),
        "sahel-zoomed": Viewport(-3.3173, 14.4137, 0.0371, 76, 17),
    }
    view = views[where]
    counts = map_counts(con, Filter(), view)
    cells = counts.cells()
    assert cells, "the view shows incidents"
    for (cx, cy), n in cells.items():
        assert n == direct_cell_count(con, view, cx, cy), (cx, cy)
    total, region_only, unplaced = one_row(
        con.execute(
            "SELECT count(*), count(*) FILTER (WHERE geo_precision = 3 AND latitude IS NOT NULL), "
            "count(*) FILTER (WHERE latitude IS NULL OR longitude IS NULL) FROM incidents"
        )
    )
    # nothing is dropped: dots + region-only + outside + without coordinates = every incident
    assert counts.total == total
    assert sum(r.incidents for r in counts.region_only) == region_only
    assert counts.unplaced == unplaced
    west, south, east, north = view.bbox
    inside = scalar(
        con.execute(
            "SELECT count(*) FROM incidents WHERE longitude >= ? AND longitude < ? AND latitude > ? "
            "AND latitude <= ? AND geo_precision IS DISTINCT FROM 3",
            [west, east, south, north],
        )
    )
    assert sum(cells.values()) == inside
    con.close()


def test_filters_reach_the_map(acled_db: Path) -> None:
    con = open_db(acled_db, read_only=True)
    f = Filter(country="Mali", event_types=("Battles",))
    extent = filter_extent(con, f)
    assert extent is not None
    view = fit(extent, 76, 17)
    counts = map_counts(con, f, view)
    expected = scalar(
        con.execute(
            "SELECT count(*) FROM incidents WHERE country = 'Mali' AND event_type = 'Battles'"
        )
    )
    assert counts.total == expected and 0 < expected < 4318
    con.close()


def test_build_is_reproducible(tmp_path: Path) -> None:
    from tests.conftest import shared_dir

    script = build_script()
    data = script.build(shared_dir())
    packaged = json.loads(
        __import__("gzip").decompress((REPO / "db/data/geo.json.gz").read_bytes())
    )
    assert data == packaged, "db/data/geo.json.gz is stale: run python scripts/build_geo.py"


def test_proposals_are_counted_apart_and_rejected_nowhere(db_copy: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        "باماكو – 3 فبراير 2026\nقتل ثلاثة جنود ومدنيان يوم الأحد في هجوم على قرية قرب موبتي.\n",
        encoding="utf-8",
    )
    assert rasd_main(["import", "report", str(report), "--db", str(db_copy)]) == 0
    bundle = tmp_path / "one.json"  # a rejected incident, imported as rasd's own import does
    assert rasd_main(["export", str(bundle), "--db", str(db_copy), "--region", "Kayes"]) == 0
    rows = json.loads(bundle.read_text(encoding="utf-8"))[:1]
    rows[0].update(event_id="REJECTED-1", status="rejected", report=None)
    bundle.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert rasd_main(["import", "incidents", str(bundle), "--db", str(db_copy)]) == 0
    con = open_db(db_copy, read_only=True)
    by_status = dict(
        con.execute(
            "SELECT status, count(*) FROM incidents WHERE latitude IS NOT NULL GROUP BY status"
        ).fetchall()
    )
    assert by_status.get("proposed", 0) >= 1 and by_status["rejected"] == 1
    view = fit((-12.5, 10.0, 4.5, 25.0), 76, 17)
    counts = map_counts(con, Filter(), view)
    assert sum(counts.proposed.values()) == by_status["proposed"]
    assert sum(counts.dots.values()) == by_status["coded"]  # rejected: nowhere
    text = " ".join(line.plain for line in pack(legend_items(counts, view), 300))
    assert f"{by_status['proposed']} proposed, not confirmed" in text
    rows = map_rows(view, counts)
    for cell in counts.proposed_cells():
        if cell not in counts.cells():
            assert rows[cell[1]].text[cell[0]] == PROPOSED_MARK
    con.close()


@pytest.mark.parametrize("region", [None, ("Mali", "Mopti"), ("Nigeria", None)])
def test_the_point_index_counts_exactly_what_a_scan_counts(
    acled_db: Path, monkeypatch: pytest.MonkeyPatch, region
) -> None:
    import db.map_queries as mq
    from db.point_index import point_index_is_current

    con = open_db(acled_db, read_only=True)
    assert point_index_is_current(con), "an import builds the point index"
    f = Filter() if region is None else Filter(country=region[0], admin1=region[1])
    extent = mq.filter_extent(con, f)
    assert extent is not None
    views = [fit(extent, 76, 17), Viewport(-3.3, 14.4, 0.04, 76, 17)]
    indexed = [(mq.filter_extent(con, f), mq.map_counts(con, f, v)) for v in views]
    monkeypatch.setattr(mq, "point_index_is_current", lambda con: False)
    scanned = [(mq.filter_extent(con, f), mq.map_counts(con, f, v)) for v in views]
    assert indexed == scanned
    assert indexed[0][1].total == count_incidents(con, f)
    con.close()


def test_places_in_a_cell_from_the_index_equal_a_scan(acled_db: Path, monkeypatch) -> None:
    import db.map_queries as mq

    con = open_db(acled_db, read_only=True)
    box = (-4.5, 13.5, -2.5, 15.5)  # around Mopti
    indexed = mq.places_in(con, Filter(country="Mali"), box, limit=10)
    monkeypatch.setattr(mq, "point_index_is_current", lambda con: False)
    assert indexed == mq.places_in(con, Filter(country="Mali"), box, limit=10)
    assert indexed and all(p.country == "Mali" for p in indexed)
    con.close()
