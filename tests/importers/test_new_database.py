"""An import into an empty database takes a shorter road (one ordered write from the checked
rows, the search column folded per column after the sort): it must end where the merge road
ends, row for row, in the same physical order, with the same indexes and the same summary."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import db.importers.common as common
from db.appended import GENERATION_KEY
from db.columns import SEARCHED_COLUMNS
from db.folding import fold_sql
from db.importers.common import region_terms_table, search_text_sql
from db.rows import scalar
from db.seed import DERIVED_TABLES, PHYSICAL_ORDER
from db.store import open_db
from tests.importers.conftest import rasd

ARABIC_ROWS = [
    # event_id, date, admin1, location, notes: ties on the date, Arabic with harakat and
    # tatweel, accents, a note of combining marks only, an empty note, a bad and a duplicate row
    ("MLI10", "2024-03-01", "Tombouctou", "Goundam", "هجوم مُسلَّح على قافلة ـــ في تمبكتو"),
    ("MLI11", "2024-03-01", "Gao", "Ménaka", "Attaque près de Ménaka; ÉCOLE fermée"),
    ("MLI12", "2024-03-01", "Timbuktu", "تمبكتو", "\u064e\u0651"),
    ("MLI13", "2023-12-31", "Atlantis", "", ""),
    ("MLI14", "2025-01-02", "", "Bamako", "Clash with ١٢ dead (رويترز)"),
    ("MLI15", "not a date", "Gao", "Gao", "bad row"),
    ("MLI11", "2024-03-02", "Gao", "Gao", "duplicate id"),
]


def _arabic_csv(tmp_path: Path) -> Path:
    header = "event_id_cnty,event_date,event_type,country,admin1,location,notes,fatalities"
    lines = [header]
    for event_id, date, admin1, location, notes in ARABIC_ROWS:
        lines.append(f'{event_id},{date},Battles,Mali,{admin1},{location},"{notes}",1')
    path = tmp_path / "arabic.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ORDERED = {"incidents", "sorted_fatalities", "region_blocks"}
"""Tables read by rowid or in their stored order; the rest are compared as sets of rows."""


def _everything(db: Path) -> dict[str, list[tuple]]:
    """Every table of the database: physical order where it matters (the explorer pages the
    incidents and the fatalities order by rowid)."""
    con = open_db(db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "ORDER BY table_name"
            ).fetchall()
        ]
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
        # a token drawn anew with every order of the rows (db/appended.py): equal in neither
        out["meta"] = [row for row in out["meta"] if row[0] != GENERATION_KEY]
        return {t: rows if t in ORDERED else sorted(rows, key=repr) for t, rows in out.items()}
    finally:
        con.close()


def _summary(out: str, db: Path) -> str:
    return re.sub(r"done in [0-9.]+ s", "done", out.replace(str(db), "DB"))


@pytest.mark.parametrize("name", ["mali-1997-2020.acled.csv", "arabic"])
def test_a_new_database_equals_the_merge_road(
    acled_dir: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    source = _arabic_csv(tmp_path) if name == "arabic" else acled_dir / name
    new, merged = tmp_path / "new.duckdb", tmp_path / "merged.duckdb"
    args = ["import", "acled", str(source), "--skip-invalid", "--rejects", str(tmp_path / "r.csv")]
    code, out_new, err = rasd(capsys, *args, "--db", str(new))
    assert code == 0, err
    with monkeypatch.context() as m:
        m.setattr(common, "_empty", lambda con, table: False)  # as every import used to go
        code, out_merged, err = rasd(capsys, *args, "--db", str(merged))
    assert code == 0, err
    assert _summary(out_new, new) == _summary(out_merged, merged)
    assert _everything(new) == _everything(merged)
    con = open_db(new)
    try:
        keys = con.execute("SELECT event_date, event_id FROM incidents ORDER BY rowid").fetchall()
        assert keys == sorted(keys, reverse=True)
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        assert meta["physical_order"] == PHYSICAL_ORDER
        rows = str(scalar(con.execute("SELECT count(*) FROM incidents")))
        assert all(meta[stamp] == rows for stamp, _ in DERIVED_TABLES)
    finally:
        con.close()


def _whole_row_fold(alias: str) -> str:
    """How the search column was folded before: the joined text at once."""
    parts = ", ".join(f"nullif({alias}.{c}::VARCHAR, '')" for c in SEARCHED_COLUMNS)
    return fold_sql(f"concat_ws(' ', {parts}, nullif(rt.terms, ''))", collapse_spaces=False)


ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
MARKS = st.characters(categories=("Mn", "Mc", "Me"))
VALUE = st.one_of(
    st.none(),
    st.text(
        st.one_of(
            ARABIC, MARKS, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
        ),
        max_size=12,
    ),
)
ADMIN1 = st.one_of(VALUE, st.sampled_from(["Tombouctou", "Timbuktu", "تمبكتو", "Gao", "Kidal"]))

_CON: list[duckdb.DuckDBPyConnection] = []


def _con() -> duckdb.DuckDBPyConnection:
    if not _CON:
        _CON.append(duckdb.connect())
    return _CON[0]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(*(ADMIN1 if c == "admin1" else VALUE for c in SEARCHED_COLUMNS)), min_size=1)
)
def test_folding_each_column_equals_folding_the_joined_row(rows: list[tuple]) -> None:
    con = _con()
    columns = ", ".join(f"{c} VARCHAR" for c in SEARCHED_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE t (k INTEGER, {columns})")
    marks = ", ".join("?" for _ in SEARCHED_COLUMNS)
    con.executemany(f"INSERT INTO t VALUES (?, {marks})", [[k, *r] for k, r in enumerate(rows)])
    region_terms_table(con, "t")
    join = "FROM t c LEFT JOIN region_terms rt ON rt.name IS NOT DISTINCT FROM c.admin1"
    pairs = con.execute(
        f"SELECT {_whole_row_fold('c')}, {search_text_sql('c')} {join} ORDER BY k"
    ).fetchall()
    assert [new for _, new in pairs] == [old for old, _ in pairs]
