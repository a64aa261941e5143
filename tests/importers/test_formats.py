"""UCDP in; rasd's own files out and back in unchanged; GeoJSON points for GIS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.rows import scalar
from db.store import open_db
from tests.importers.conftest import rasd, table

UCDP = """id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob
431213,MLI-2022-1-1-1,2022,1,Clear,1,11347,11347,Mali: Government,11924,11924,Government of Mali - JNIM,432,432,Government of Mali,1126,1126,JNIM,2,"AFP, 2022-03-05",,,"Soldiers killed near Mondoro",,1,Mondoro town,Mondoro,Mopti region,Douentza cercle,14.6,-1.95,POINT (-1.95 14.6),1,Mali,432,Africa,1,1,2022-03-04 00:00:00.000,2022-03-04 00:00:00.000,27,0,0,0,27,40,27,432,
431214,MLI-2022-3-1-1,2022,1,Clear,3,11348,11348,IS Sahel - civilians,11925,11925,IS Sahel - civilians,1200,1200,IS Sahel,1,1,Civilians,1,"RFI, 2022-03-10",,,"Villagers killed",,4,Menaka region,,Menaka region,,15.9,2.4,POINT (2.4 15.9),1,Mali,432,Africa,1,3,2022-03-01 00:00:00.000,2022-03-31 00:00:00.000,0,0,12,0,12,12,10,432,
"""


def test_ucdp_maps_onto_the_incident_table(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(UCDP, encoding="utf-8")
    db = tmp_path / "u.duckdb"
    code, out, err = rasd(capsys, "import", "ucdp", str(path), "--db", str(db))
    assert code == 0, err
    assert "read 2, inserted 2" in out
    rows = (
        open_db(db)
        .execute(
            "SELECT event_id, event_date::VARCHAR, time_precision, geo_precision, event_type, actor1, "
            "actor2, fatalities, admin1, admin2, dataset FROM incidents ORDER BY event_id"
        )
        .fetchall()
    )
    assert rows[0] == (
        "UCDP-431213",
        "2022-03-04",
        1,
        1,
        "Battles",
        "Government of Mali",
        "JNIM",
        27,
        "Mopti",
        "Douentza",
        "ucdp",
    )
    assert rows[1][2] == 3 and rows[1][3] == 3  # a month, a region
    assert rows[1][4] == "Violence against civilians" and rows[1][7] == 12
    assert rows[1][8] == "Menaka"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_then_import_round_trips(
    seed_copy: Path, acled_dir: Path, tmp_path: Path, capsys, fmt: str
) -> None:
    sample = acled_dir / "world-2022h1-sample.acled.csv"
    assert rasd(capsys, "import", "acled", str(sample), "--db", str(seed_copy))[0] == 0
    out = tmp_path / f"all.{fmt}"
    code, _, err = rasd(capsys, "export", str(out), "--db", str(seed_copy))
    assert code == 0, err
    fresh = tmp_path / f"fresh-{fmt}.duckdb"
    code, text, err = rasd(capsys, "import", "incidents", str(out), "--db", str(fresh))
    assert code == 0, err
    assert table(fresh) == table(seed_copy)
    assert "rejected 0" in text


def test_export_filters_like_list(seed_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "kayes.json"
    assert rasd(capsys, "export", str(out), "--region", "كايس", "--db", str(seed_copy))[0] == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["admin1"] for r in rows} == {"Kayes"} and len(rows) == 2
    assert rows[0]["location_ar"] and rows[0]["event_date"] >= rows[1]["event_date"]


def test_geojson_points_open_in_gis(seed_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "points.geojson"
    code, _, err = rasd(capsys, "export", str(out), "--db", str(seed_copy))
    assert code == 0 and "without coordinates" in err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    con = open_db(seed_copy)
    located = scalar(con.execute("SELECT count(*) FROM incidents WHERE latitude IS NOT NULL"))
    assert len(doc["features"]) == located > 0
    for feature in doc["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -12.5 < lon < 4.5 and 10 < lat < 25.5  # Mali, [lon, lat] order
        assert feature["properties"]["event_id"] == feature["id"]
