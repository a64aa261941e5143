"""Real ACLED exports: every row lands, re-imports change nothing, edited rows update."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import duckdb
import pytest

from db.importers.acled import long_text_sql
from db.queries import Filter, region_children
from db.rows import scalar
from db.store import open_db
from tests.importers.conftest import data_rows, rasd, table

REAL = ["mali-1997-2020.acled.csv", "world-2022h1-sample.acled.csv"]


@pytest.mark.parametrize("name", REAL)
def test_real_file_imports_whole_and_idempotently(
    acled_dir: Path, tmp_path: Path, capsys, name: str
) -> None:
    source = acled_dir / name
    db = tmp_path / "new.duckdb"
    code, out, err = rasd(capsys, "import", "acled", str(source), "--db", str(db))
    assert code == 0, err
    expected = data_rows(source)
    assert f"read {expected:,}, inserted {expected:,}, updated 0, unchanged 0, rejected 0" in out
    before = table(db)
    assert len(before) == expected
    code, out, _ = rasd(capsys, "import", "acled", str(source), "--db", str(db))
    assert code == 0
    assert f"inserted 0, updated 0, unchanged {expected:,}, rejected 0" in out
    assert table(db) == before


def test_tampered_copy_updates_exactly_the_edited_rows(
    acled_dir: Path, tmp_path: Path, capsys
) -> None:
    source = acled_dir / "mali-1997-2020.acled.csv"
    db = tmp_path / "t.duckdb"
    assert rasd(capsys, "import", "acled", str(source), "--db", str(db))[0] == 0
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    fat, notes, key = (
        header.index("fatalities"),
        header.index("notes"),
        header.index("event_id_cnty"),
    )
    edited = {}
    for i in (5, 500, 4000):
        rows[i][fat] = str(int(rows[i][fat]) + 7)
        rows[i][notes] += " [revised]"
        edited[rows[i][key]] = int(rows[i][fat])
    tampered = tmp_path / "tampered.csv"
    with tampered.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    before = {r[0]: r for r in table(db)}
    code, out, _ = rasd(capsys, "import", "acled", str(tampered), "--db", str(db))
    assert code == 0 and "inserted 0, updated 3, unchanged 4,315" in out
    after = {r[0]: r for r in table(db)}
    assert set(after) == set(before)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == set(edited)
    con = open_db(db)
    got = dict(
        con.execute(
            "SELECT event_id, fatalities FROM incidents WHERE event_id IN (?, ?, ?)", list(edited)
        ).fetchall()
    )
    assert got == edited


def test_mali_regions_meet_the_seed_in_one_tree(acled_dir: Path, seed_copy: Path, capsys) -> None:
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(acled_dir / "mali-1997-2020.acled.csv"),
        "--db",
        str(seed_copy),
    )
    assert code == 0, err
    con = open_db(seed_copy)
    nodes = region_children(con, Filter(), ("Mali",))
    names = [n.name for n in nodes]
    assert len(names) == len(set(names))
    assert "Tombouctou" in names and "Timbuktu" not in names and "تمبكتو" not in names
    by_dataset = dict(
        con.execute(
            "SELECT dataset, count(*) FROM incidents WHERE admin1 = 'Sikasso' GROUP BY dataset"
        ).fetchall()
    )
    assert by_dataset["rasd"] == 2 and by_dataset["acled"] > 0
    sikasso = next(n for n in nodes if n.name == "Sikasso")
    assert sikasso.incidents == sum(by_dataset.values())
    # the seed's own incident and its source are still there
    assert scalar(con.execute("SELECT count(*) FROM sources")) == 1


HEADER_OLD = (
    ",data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,"
    "event_type,sub_event_type,actor1,ally_actor_1,inter1,actor2,ally_actor_2,inter2,"
    "interaction,region,country,admin1,admin2,admin3,location,latitude,longitude,"
    "geo_precision,source,source_scale,notes,fatalities,timestamp,iso3"
)
HXL = (
    "#x,#x,#country+code,#event+code,#x,#date+occurred,#date+year,#x,#event+type,#event+type,"
    "#group+name+first,#x,#x,#group+name+second,#x,#x,#x,#region+name,#country+name,"
    "#adm1+name,#adm2+name,#adm3+name,#loc+name,#geo+lat,#geo+lon,#x,#meta+source,#x,"
    "#description,#affected+killed,#date+updated,#country+code"
)


def old_row(idx: int, key: str, date: str, inter: str = "1", interaction: str = "12") -> str:
    return (
        f"{idx},{idx + 100},466,{key},{idx},{date},2020,1,Battles,Armed clash,"
        f"Military Forces of Mali (2012-2021),,{inter},JNIM: Group for Support of Islam and "
        f"Muslims,Ansar Dine,2,{interaction},Western Africa,Mali,Timbuktu,Goundam,Tonka,"
        f'Tonka,16.0,-3.5,1,RFI; AFP,International,"Clash, with ""quotes""",3,1600000000,MLI'
    )


def test_every_layout_variant(tmp_path: Path, capsys) -> None:
    lines = [
        HEADER_OLD,
        HXL,
        old_row(0, "MLI1", "2020-10-31"),
        old_row(
            1,
            "MLI2",
            "31 October 2020",
            inter="State forces",
            interaction="State forces-Rebel groups",
        ),
    ]
    plain = tmp_path / "old.csv"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gz = tmp_path / "old2.csv.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write("\n".join([HEADER_OLD, old_row(2, "MLI3", "1 November 2020")]) + "\n")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        b"\xef\xbb\xbf"
        + ("\n".join([HEADER_OLD, old_row(3, "MLI4", "2020-11-02")]) + "\n").encode()
    )
    db = tmp_path / "v.duckdb"
    code, out, err = rasd(capsys, "import", "acled", str(plain), str(gz), str(bom), "--db", str(db))
    assert code == 0, err
    con = open_db(db)
    rows = con.execute(
        "SELECT event_id, event_date::VARCHAR, admin1, assoc_actor_2, inter1, interaction, "
        "fatalities, notes, dataset FROM incidents ORDER BY event_id"
    ).fetchall()
    assert [r[0] for r in rows] == ["MLI1", "MLI2", "MLI3", "MLI4"]
    assert [r[1] for r in rows] == ["2020-10-31", "2020-10-31", "2020-11-01", "2020-11-02"]
    assert {r[2] for r in rows} == {"Tombouctou"}  # canonical spelling
    assert rows[0][3] == "Ansar Dine"  # ally_actor_2 of the old layout
    assert rows[0][4] == "State forces" and rows[1][4] == "State forces"
    assert rows[0][5] == rows[1][5] == "State forces-Rebel groups"
    assert rows[0][6] == 3 and rows[0][7] == 'Clash, with "quotes"' and rows[0][8] == "acled"
    found = con.execute("SELECT count(*) FROM incidents WHERE contains(search_text, 'تمبكتو')")
    assert scalar(found) == 4  # Arabic alias of the region is searchable


def test_import_keeps_the_schema_constraints_and_the_physical_order(
    acled_dir: Path, tmp_path: Path, capsys
) -> None:
    db = tmp_path / "c.duckdb"
    assert rasd(capsys, "import", "acled", str(acled_dir / REAL[0]), "--db", str(db))[0] == 0
    con = open_db(db)
    try:
        not_null = {
            r[0]
            for r in con.execute(
                "SELECT unnest(constraint_column_names) FROM duckdb_constraints() "
                "WHERE table_name = 'incidents' AND constraint_type = 'NOT NULL'"
            ).fetchall()
        }
        assert {"event_id", "event_date", "event_type", "dataset"} <= not_null
        keys = con.execute("SELECT event_date, event_id FROM incidents ORDER BY rowid").fetchall()
        assert keys == sorted(keys, reverse=True)
    finally:
        con.close()


def test_long_text_is_trimmed_exactly_as_trim_does() -> None:
    """long_text_sql looks at the ends before trimming: it must agree with nullif(trim(x), '')
    for every code point at either end, alone, and around text."""
    con = duckdb.connect()
    differ = con.execute(
        "SELECT count(*), min(c) FROM (SELECT c, unnest([chr(c), chr(c) || 'a' || chr(c), "
        "'a' || chr(c), chr(c) || 'a', chr(c) || chr(c), '']) AS x "
        "FROM (SELECT c::INTEGER AS c FROM range(1, 1114112) t(c) WHERE c < 55296 OR c > 57343)) "
        f"WHERE {long_text_sql('x')} IS DISTINCT FROM nullif(trim(x), '')"
    ).fetchone()
    assert differ == (0, None)
