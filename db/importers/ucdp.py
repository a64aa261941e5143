"""UCDP GED events (CSV) onto the incident table.

date_prec (1 exact day ... 5 year or longer) and where_prec (1 exact place ... 7 country or
wider) become ACLED-style precisions; `best` is the fatality figure; side_a and side_b the actors.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from db.importers.common import (
    ImportFailed,
    ImportSummary,
    StepFn,
    merge_staged,
    no_step,
    raw_columns,
    read_csv_file,
)
from db.validation import LAT_SQL, LON_SQL

REQUIRED = ("id", "date_start", "type_of_violence", "side_a", "country")
EVENT_TYPES = {"1": "Battles", "2": "Battles", "3": "Violence against civilians"}
SUB_EVENT_TYPES = {
    "1": "State-based armed conflict",
    "2": "Non-state conflict",
    "3": "One-sided violence",
}


def import_ucdp(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    workdir: Path,
    skip_invalid: bool = False,
    step: StepFn = no_step,
) -> ImportSummary:
    summary = ImportSummary(str(path), step)
    summary.phase("read")
    source, csv_rejects = read_csv_file(con, path, workdir, summary)
    present = {c.strip().lower().lstrip("\ufeff"): c for c in raw_columns(con)}
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise ImportFailed(
            path, f"not a UCDP GED file: missing column(s) {', '.join(missing)}", line=1
        )

    def v(name: str) -> str:
        if name not in present:
            return "NULL::VARCHAR"
        return f"nullif(trim(r.\"{present[name].replace(chr(34), chr(34) * 2)}\"), '')"

    date = f"coalesce(try_cast({v('date_start')} AS DATE), try_cast(try_cast({v('date_start')} AS TIMESTAMP) AS DATE))"  # noqa: E501
    best = f"try_cast(try_cast({v('best')} AS DOUBLE) AS BIGINT)"
    lat, lon = f"try_cast({v('latitude')} AS DOUBLE)", f"try_cast({v('longitude')} AS DOUBLE)"
    dp, wp = f"try_cast({v('date_prec')} AS INTEGER)", f"try_cast({v('where_prec')} AS INTEGER)"
    summary.phase("stage")
    con.execute("CREATE OR REPLACE TEMP TABLE ucdp_types (code VARCHAR, t VARCHAR, s VARCHAR)")
    con.executemany(
        "INSERT INTO ucdp_types VALUES (?, ?, ?)",
        [(k, EVENT_TYPES[k], SUB_EVENT_TYPES[k]) for k in EVENT_TYPES],
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW staged AS SELECT
            r.rn AS rn,
            'UCDP-' || {v("id")} AS event_id,
            {date} AS event_date,
            CASE WHEN {dp} = 1 THEN 1 WHEN {dp} = 2 THEN 2 WHEN {dp} IS NULL THEN NULL ELSE 3
                END::TINYINT AS time_precision,
            'Political violence' AS disorder_type,
            ut.t AS event_type,
            ut.s AS sub_event_type,
            {v("side_a")} AS actor1, NULL::VARCHAR AS assoc_actor_1, NULL::VARCHAR AS inter1,
            {v("side_b")} AS actor2, NULL::VARCHAR AS assoc_actor_2, NULL::VARCHAR AS inter2,
            NULL::VARCHAR AS interaction,
            CASE WHEN {v("type_of_violence")} = '3' THEN 'Civilian targeting' END
                AS civilian_targeting,
            NULL::INTEGER AS iso,
            {v("region")} AS region,
            {v("country")} AS country,
            regexp_replace({v("adm_1")}, '\\s+(province|region|state|district)$', '', 'i') AS admin1,
            regexp_replace({v("adm_2")}, '\\s+(district|cercle|county)$', '', 'i') AS admin2,
            NULL::VARCHAR AS admin3,
            split_part({v("where_coordinates")}, ';', 1) AS location,
            {lat} AS latitude, {lon} AS longitude,
            CASE WHEN {wp} = 1 THEN 1 WHEN {wp} = 2 THEN 2 WHEN {wp} IS NULL THEN NULL ELSE 3
                END::TINYINT AS geo_precision,
            {v("source_article")} AS source,
            NULL::VARCHAR AS source_scale,
            {v("source_headline")} AS notes,
            {best}::INTEGER AS fatalities,
            NULL::VARCHAR AS tags,
            NULL::BIGINT AS timestamp,
            'ucdp' AS dataset,
            NULL::VARCHAR AS source_id, NULL::INTEGER AS span_start, NULL::INTEGER AS span_end,
            NULL::VARCHAR AS location_ar,
            try_cast({v("date_end")} AS DATE) AS reported_date,
            NULL::VARCHAR AS claimed_by,
            'coded' AS status, NULL::DOUBLE AS confidence, NULL::VARCHAR AS evidence,
            CASE
                WHEN {v("id")} IS NULL THEN 'missing id'
                WHEN {date} IS NULL THEN 'invalid date_start: ' || coalesce({v("date_start")}, '(empty)')
                WHEN ut.t IS NULL THEN 'invalid type_of_violence: ' || coalesce({v("type_of_violence")}, '(empty)')
                WHEN {v("latitude")} IS NOT NULL AND coalesce(NOT {lat} BETWEEN {LAT_SQL}, true)
                    THEN 'latitude out of range or not a number: ' || {v("latitude")}
                WHEN {v("longitude")} IS NOT NULL AND coalesce(NOT {lon} BETWEEN {LON_SQL}, true)
                    THEN 'longitude out of range or not a number: ' || {v("longitude")}
                WHEN {v("best")} IS NOT NULL AND coalesce({best} < 0, true)
                    THEN 'invalid best (fatalities): ' || {v("best")}
            END AS reason
        FROM raw r LEFT JOIN ucdp_types ut ON ut.code = {v("type_of_violence")}
    """)  # noqa: E501
    merge_staged(con, summary, path, 1, csv_rejects, skip_invalid, source)
    return summary
