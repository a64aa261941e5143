"""The questions rasd asks of the store, as functions returning small frozen dataclasses.

Every query is parameterised; the only SQL text built here is from fixed column names. The
`Filter` is the one description of "which incidents" shared by `rasd list`, `rasd export` and
every pane of the explorer, so that they always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:  # duckdb costs ~150 ms to import: the explorer paints first
    import duckdb

from db.columns import INCIDENT_COLUMNS, IncidentFields, incident_fields
from db.folding import fold, fold_sql
from db.match_summary import match_summary
from db.place_terms import Group, expand_words
from db.places import lookup_admin1
from db.region_index import indexed_statuses, region_index_is_current
from db.rows import one_row, scalar
from db.word_index import BESIDE, WordIndex, scan_condition, words_for

UNKNOWN = "\x00unknown"
"""Marker value in a region path for incidents with no place at that level."""

Order = Literal["desc", "asc"]
Bucket = Literal["day", "week", "month", "year"]

MAX_SEARCH_WORDS = 20
MAX_SEARCH_CHARS = 400
"""A search is one `contains()` scan and one block look-up per word: 3,000 pasted words grew
DuckDB to 23 GB before the kernel killed it. Twenty words of a headline are plenty."""


class SearchTooLong(ValueError):
    """A search beyond MAX_SEARCH_WORDS words or MAX_SEARCH_CHARS characters (the UI says so)."""

    def __init__(self, words: int, chars: int) -> None:
        super().__init__(f"search of {words} words, {chars} characters")
        self.words = words
        self.chars = chars


def search_words(text: str) -> list[str]:
    """The folded words every match must contain; SearchTooLong beyond the bounds."""
    words = fold(text).split(" ")
    if len(text) > MAX_SEARCH_CHARS or len(words) > MAX_SEARCH_WORDS:
        raise SearchTooLong(len(text.split()), len(text))
    return words


def search_groups(text: str) -> list[Group]:
    """The search as groups of folded alternatives, a place's spellings grouped
    (db/place_terms.py): a match contains one alternative of every group."""
    return expand_words(search_words(text))


@dataclass(frozen=True, slots=True)
class Filter:
    """Which incidents: every field narrows; None means no constraint."""

    country: str | None = None
    admin1: str | None = None
    """Canonical admin1, or UNKNOWN for incidents with no admin1."""
    admin2: str | None = None
    location: str | None = None
    region: str | None = None
    """Free text from `--region`: any spelling of an admin1, or an admin2 / place name."""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_types: tuple[str, ...] = ()
    """Exact stored event_type or sub_event_type values (see `resolve_event_types`)."""
    actor: str | None = None
    search: str | None = None
    statuses: tuple[str, ...] | None = ("coded", "proposed")
    """Which statuses (db.columns.STATUSES) to include: by default coded incidents and
    proposals (the explorer marks the latter; `rasd list` and `export` ask for coded only), never
    rejected ones. None: no condition at all, which `settle_statuses` sets when every stored
    incident has a wanted status (rejected included, so build filters with a tuple)."""

    def with_region(
        self,
        country: str | None = None,
        admin1: str | None = None,
        admin2: str | None = None,
        location: str | None = None,
    ) -> Filter:
        return replace(self, country=country, admin1=admin1, admin2=admin2, location=location)

    def without_places(self) -> Filter:
        """Every condition but where (the region tree counts under these)."""
        return replace(self, country=None, admin1=None, admin2=None, location=None, region=None)

    def without_status(self) -> Filter:
        """Every condition but the status (the region index answers it like a place)."""
        return replace(self, statuses=None)

    @property
    def region_path(self) -> tuple[str, ...]:
        """The tree path this filter selects: (country, admin1, admin2, location) prefix."""
        path = (self.country, self.admin1, self.admin2, self.location)
        out: list[str] = []
        for part in path:
            if part is None:
                break
            out.append(part)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """What a chronology row shows."""

    event_id: str
    event_date: dt.date
    time_precision: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    location_ar: str | None
    event_type: str
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    claimed_by: str | None
    status: str = "coded"


ROW_COLUMNS: tuple[str, ...] = tuple(IncidentRow.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Source:
    source_id: str
    title: str
    outlet: str | None
    dateline_place: str | None
    published: dt.date | None
    language: str
    text: str
    sha256: str
    url: str | None = None
    format: str | None = None
    forwarded_from: str | None = None
    encoding_note: str | None = None
    file_name: str | None = None
    imported_at: dt.datetime | None = None


SOURCE_COLUMNS: tuple[str, ...] = tuple(Source.__dataclass_fields__)
"""Every column of `sources`, in schema order."""


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident with every stored column (see db/schema.sql), and its source if any."""

    fields: IncidentFields
    source: Source | None = None

    def __getitem__(self, key: str) -> Any:
        """Any column by a name known only at run time (typed code uses `fields`)."""
        return cast(Mapping[str, Any], self.fields)[key]

    @property
    def span(self) -> tuple[int, int] | None:
        """[start, end) of the sentences in the source text that report the incident."""
        start, end = self.fields["span_start"], self.fields["span_end"]
        return None if start is None or end is None else (start, end)

    @property
    def span_text(self) -> str | None:
        span = self.span
        return None if self.source is None or span is None else self.source.text[span[0] : span[1]]


@dataclass(frozen=True, slots=True)
class RegionCount:
    """One node of the region tree with its totals under the current filter."""

    path: tuple[str, ...]
    """(country, admin1, admin2, location) prefix; UNKNOWN where the level is blank."""
    name: str
    name_ar: str | None
    incidents: int
    fatalities: int
    """Sum of reported fatalities (unknown counts as nothing)."""

    @property
    def unknown(self) -> bool:
        return self.path[-1] == UNKNOWN


@dataclass(frozen=True, slots=True)
class Span:
    event_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    first: dt.date | None
    last: dt.date | None
    by_region: list[RegionTotal] = field(default_factory=list)
    """Country › admin1, countries by count; each country's own total first (admin1 None)."""
    by_type: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RegionTotal:
    """A country (admin1 None, is_country) or one of its admin1 regions, with its totals."""

    country: str | None
    admin1: str | None
    incidents: int
    fatalities: int
    is_country: bool = False


REGION_LEVELS = ("country", "admin1", "admin2", "location")


def _region_conditions(f: Filter) -> tuple[list[str], list[Any]]:
    conds: list[str] = []
    params: list[Any] = []
    for column in REGION_LEVELS:
        value = getattr(f, column)
        if value is None:
            continue
        if value == UNKNOWN:
            conds.append(f"{column} IS NULL")
        else:
            conds.append(f"{column} = ?")
            params.append(value)
    if f.region:
        region = lookup_admin1(f.region)
        if region is not None:
            conds.append("admin1 = ?")
            params.append(region.name)
        else:
            folded = fold(f.region)
            conds.append(
                f"({fold_sql('admin1')} = ? OR {fold_sql('admin2')} = ? "
                f"OR {fold_sql('location')} = ? OR {fold_sql('location_ar')} = ?)"
            )
            params.extend([folded] * 4)
    return conds, params


def _status_conditions(f: Filter) -> tuple[list[str], list[Any]]:
    if f.statuses is None:
        return [], []
    if not f.statuses:
        return ["false"], []
    marks = ", ".join("?" for _ in f.statuses)
    return [f"status IN ({marks})"], list(f.statuses)


def stored_statuses(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The statuses incidents have: recorded with the region index, else one scan."""
    known = indexed_statuses(con)
    if known is not None:
        return known
    return frozenset(r[0] for r in con.execute("SELECT DISTINCT status FROM incidents").fetchall())


def settle_statuses(con: duckdb.DuckDBPyConnection, f: Filter) -> Filter:
    """`f` without its status condition when every stored incident meets it anyway.

    A database of coded incidents only (every ACLED import, the 10M benchmark) then queries
    exactly as before: no extra column scanned, an unfiltered window still a rowid range.
    """
    if f.statuses is None or not stored_statuses(con) <= set(f.statuses):
        return f
    return replace(f, statuses=None)


def where(
    f: Filter, include_region: bool = True, words: WordIndex | None = None, beside: bool = False
) -> tuple[str, list[Any]]:
    """SQL WHERE clause (with leading WHERE, or empty) and its parameters; a search is looked
    up in `words` (db/word_index.py) when given, else scanned for in every note; `beside`: on
    rows read with the index's columns (word_index.BESIDE)."""
    conds, params = _region_conditions(f) if include_region else ([], [])
    status_conds, status_params = _status_conditions(f)
    conds.extend(status_conds)
    params.extend(status_params)
    if f.date_from is not None:
        conds.append("event_date >= ?")
        params.append(f.date_from)
    if f.date_to is not None:
        conds.append("event_date <= ?")
        params.append(f.date_to)
    if f.event_types:
        marks = ", ".join("?" for _ in f.event_types)
        conds.append(f"(event_type IN ({marks}) OR sub_event_type IN ({marks}))")
        params.extend(f.event_types)
        params.extend(f.event_types)
    if f.actor:
        actor_cols = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "claimed_by")
        folded_actors = " || ' | ' || ".join(fold_sql(c) for c in actor_cols)
        conds.append(f"contains({folded_actors}, ?)")
        params.append(fold(f.actor))
    if f.search and words is not None:
        cond, more = words.condition(search_groups(f.search), beside)
        conds.append(cond)
        params.extend(more)
    elif f.search:
        scan, scanned = scan_condition(search_groups(f.search))
        conds.append(scan)
        params.extend(scanned)
    if not conds:
        return "", params
    return "WHERE " + " AND ".join(conds), params


def where_settled(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple[str, list[Any]]:
    """`where` for one query of `f` on `con`: its statuses settled, a search looked up in the
    word index when the database has one (a scan of every note otherwise)."""
    f = settle_statuses(con, f)
    return where(f, words=words_for(con, search_groups(f.search)) if f.search else None)


def _order(order: Order) -> str:
    direction = "DESC" if order == "desc" else "ASC"
    return f"event_date {direction}, event_id {direction}"


def places_only(f: Filter) -> Filter:
    """What of `f` its summary (db/match_summary.py) answers from its columns: places, status."""
    return Filter(
        country=f.country,
        admin1=f.admin1,
        admin2=f.admin2,
        location=f.location,
        region=f.region,
        statuses=f.statuses,
    )


def summary_source(
    con: duckdb.DuckDBPyConnection, f: Filter, by_day: bool = False
) -> tuple[str, str, list[Any]]:
    """(table, WHERE clause, params) selecting `f`'s per-place (or per-day) rows from its summary.

    A summary holds the counts of `f` without its places and status, so the region tree (which
    counts under exactly that), a place filter and a proposals count all reuse one scan.
    """
    key = f.without_places().without_status()
    groups = search_groups(key.search) if key.search else []
    words = words_for(con, groups) if groups else None
    beside = words is not None and words.beside(con, groups)
    clause, params = where(key, words=words, beside=beside)
    # the word index reads a tenth of the notes' bytes; without it, the blocks a search's words
    # are in (db/search_index.py) narrow the scan
    table = match_summary(
        con, clause, params, groups if words is None else [], BESIDE if beside else "incidents"
    )
    places, place_params = where(places_only(f))
    cond = "by_day" if by_day else "NOT by_day"
    return table, (f"{places} AND {cond}" if places else f"WHERE {cond}"), place_params


def summary_days(con: duckdb.DuckDBPyConnection, f: Filter) -> list[tuple[Any, int]] | None:
    """Matches per day of `f` from its summary; None when `f` names a place (not kept per day)."""
    if places_only(f) != Filter(statuses=f.statuses):
        return None
    table, clause, params = summary_source(con, f, by_day=True)
    rows = con.execute(
        f"SELECT event_date, sum(n) FROM {table} {clause} GROUP BY event_date ORDER BY event_date",
        params,
    ).fetchall()
    return [(day, int(n)) for day, n in rows]


def count_incidents(con: duckdb.DuckDBPyConnection, f: Filter) -> int:
    """Matches of `f`: a search, type, actor or date filter is counted from its summary
    (db/match_summary.py), which the other panes then share."""
    f = settle_statuses(con, f)
    if not is_region_only(f):
        table, clause, params = summary_source(con, f)
        return scalar(con.execute(f"SELECT coalesce(sum(n), 0) FROM {table} {clause}", params))
    clause, params = where(f)
    return scalar(con.execute(f"SELECT count(*) FROM incidents {clause}", params))


def list_incidents(
    con: duckdb.DuckDBPyConnection,
    f: Filter,
    limit: int | None = None,
    offset: int = 0,
    order: Order = "desc",
) -> list[IncidentRow]:
    """A window of matching incidents in date order (newest first by default)."""
    clause, params = where_settled(con, f)
    sql = f"SELECT {', '.join(ROW_COLUMNS)} FROM incidents {clause} ORDER BY {_order(order)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [IncidentRow(*row) for row in con.execute(sql, params).fetchall()]


def full_incidents(
    con: duckdb.DuckDBPyConnection, f: Filter, limit: int | None = None, order: Order = "desc"
) -> list[dict[str, Any]]:
    """Matching incidents with every column, for `rasd list --format json|csv` and exports."""
    clause, params = where_settled(con, f)
    sql = f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents {clause} ORDER BY {_order(order)}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    cur = con.execute(sql, params)
    return [dict(zip(INCIDENT_COLUMNS, row, strict=True)) for row in cur.fetchall()]


def get_source(con: duckdb.DuckDBPyConnection, source_id: str) -> Source | None:
    row = con.execute(
        f"SELECT {', '.join(SOURCE_COLUMNS)} FROM sources WHERE source_id = ?", [source_id]
    ).fetchone()
    return Source(*row) if row else None


def get_incident(
    con: duckdb.DuckDBPyConnection, event_id: str, event_date: dt.date | None = None
) -> Incident | None:
    """One incident; `event_date`, when the caller knows it, turns a full scan into a seek.

    The table is physically in date order, so DuckDB's per-row-group date ranges skip all but
    one or two row groups: ~3 ms instead of ~100 ms at 10 million incidents.
    """
    columns = ", ".join(INCIDENT_COLUMNS)
    row = None
    if event_date is not None:
        row = con.execute(
            f"SELECT {columns} FROM incidents WHERE event_date = ? AND event_id = ?",
            [event_date, event_id],
        ).fetchone()
    if row is None:
        row = con.execute(
            f"SELECT {columns} FROM incidents WHERE event_id = ?", [event_id]
        ).fetchone()
    if row is None:
        return None
    fields = incident_fields(row)
    source = get_source(con, fields["source_id"]) if fields["source_id"] else None
    return Incident(fields, source)


def source_spans(con: duckdb.DuckDBPyConnection, source_id: str) -> list[Span]:
    """The incidents of one report, proposals too (rejected aside), in reading order."""
    rows = con.execute(
        "SELECT event_id, span_start, span_end FROM incidents WHERE source_id = ? "
        "AND span_start IS NOT NULL AND status <> 'rejected' ORDER BY span_start, event_id",
        [source_id],
    ).fetchall()
    return [Span(*r) for r in rows]


def region_children(
    con: duckdb.DuckDBPyConnection, f: Filter, path: tuple[str, ...] = ()
) -> list[RegionCount]:
    """Counts for the children of a region-tree node, under `f`'s non-region filters.

    With no other filter the counts come from the region index (db/region_index.py), the same
    aggregate over far fewer rows.
    """
    depth = len(path)
    if depth >= len(REGION_LEVELS):
        return []
    base = settle_statuses(con, f.without_places())
    levels: dict[str, Any] = dict(zip(REGION_LEVELS, path, strict=False))
    parent = Filter(**levels)
    conds, params = _region_conditions(parent)
    status_conds, status_params = _status_conditions(base)
    conds.extend(status_conds)
    params.extend(status_params)
    clause, more = where(base.without_status(), include_region=False)
    if clause:
        conds.append(clause.removeprefix("WHERE "))
        params.extend(more)
    sql_where = ("WHERE " + " AND ".join(conds)) if conds else ""
    column = REGION_LEVELS[depth]
    if not clause and region_index_is_current(con):
        places = (
            f"SELECT {column}, location_ar, sum(n) AS n, sum(deaths) AS deaths FROM region_blocks"
        )
    elif clause:  # a search, type, actor or date filter: its summary, shared with other panes
        table, sql_where, params = summary_source(con, replace(base, **levels))
        places = f"SELECT {column}, location_ar, sum(n) AS n, sum(deaths) AS deaths FROM {table}"
    else:
        places = (
            f"SELECT {column}, location_ar, count(*) AS n, coalesce(sum(fatalities), 0) AS deaths "
            "FROM incidents"
        )
    # the Arabic name a place is most often given (ties: the last in sort order)
    arabic = (
        "arg_max(location_ar, (n, location_ar)) FILTER (WHERE location_ar IS NOT NULL)"
        if column == "location"
        else "NULL"
    )
    rows = con.execute(
        f"SELECT {column}, sum(n), sum(deaths), {arabic} "
        f"FROM ({places} {sql_where} GROUP BY {column}, location_ar) GROUP BY {column} "
        f"ORDER BY {column} IS NULL, sum(n) DESC, {column}",
        params,
    ).fetchall()
    out = []
    for name, n, deaths, name_ar in rows:
        n = int(n)
        if name is None:
            out.append(RegionCount((*path, UNKNOWN), "unknown place", None, n, int(deaths)))
            continue
        if column == "admin1":
            region = lookup_admin1(name)
            name_ar = region.name_ar if region else None
        out.append(RegionCount((*path, name), name, name_ar, n, int(deaths)))
    return out


def is_region_only(f: Filter) -> bool:
    """Whether `f` says nothing but where (and which statuses): the region index counts it."""
    return f.without_places().without_status() == Filter(statuses=None)


def choose_bucket(first: dt.date | None, last: dt.date | None) -> Bucket:
    """Day, week, month or year: whichever gives a readable number of bars for the span."""
    if first is None or last is None:
        return "day"
    days = (last - first).days
    if days <= 62:
        return "day"
    if days <= 7 * 60:
        return "week"
    if days <= 31 * 60:
        return "month"
    return "year"


def counts_over_time(
    con: duckdb.DuckDBPyConnection, f: Filter, bucket: Bucket | None = None
) -> tuple[Bucket, list[tuple[dt.date, int]]]:
    """Incidents per day/week/month/year for the filter, with empty buckets filled in.

    One scan counts per day (a few thousand rows at most); the bucket is chosen from that span
    and the days summed into it here, not by a second scan.
    """
    f = settle_statuses(con, f)
    days = summary_days(con, f) if not is_region_only(f) else None
    if days is None:
        clause, params = where(f)
        days = con.execute(
            f"SELECT event_date, count(*) FROM incidents {clause} GROUP BY event_date "
            "ORDER BY event_date",
            params,
        ).fetchall()
    if bucket is None:
        bucket = choose_bucket(days[0][0], days[-1][0]) if days else "day"
    totals: dict[dt.date, int] = {}
    for day, n in days:
        start = bucket_start(day, bucket)
        totals[start] = totals.get(start, 0) + n
    return bucket, _fill_buckets(list(totals.items()), bucket)


def bucket_start(day: dt.date, bucket: Bucket) -> dt.date:
    """The first day of `day`'s bucket, as DuckDB's date_trunc (weeks start on Monday)."""
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "year":
        return dt.date(day.year, 1, 1)
    return day


def _next_bucket(day: dt.date, bucket: Bucket) -> dt.date:
    if bucket == "day":
        return day + dt.timedelta(days=1)
    if bucket == "week":
        return day + dt.timedelta(days=7)
    if bucket == "month":
        return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return dt.date(day.year + 1, 1, 1)


def _fill_buckets(rows: list[tuple[dt.date, int]], bucket: Bucket) -> list[tuple[dt.date, int]]:
    if not rows:
        return []
    counts = dict(rows)
    out = []
    day, last = rows[0][0], rows[-1][0]
    while day <= last:
        out.append((day, counts.get(day, 0)))
        day = _next_bucket(day, bucket)
    return out


def distinct_event_types(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, int]]:
    """(event_type, sub_event_type, count) pairs present in the store (rejected aside)."""
    return con.execute(
        "SELECT event_type, sub_event_type, count(*) FROM incidents WHERE status <> 'rejected' "
        "GROUP BY ALL ORDER BY event_type, sub_event_type"
    ).fetchall()


def resolve_event_types(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, ...]:
    """Stored type / sub-type values a user's spelling means (case, accents, spaces ignored)."""
    wanted = fold(text).replace(" ", "")
    values = {v for t, s, _ in distinct_event_types(con) for v in (t, s) if v}
    exact = tuple(sorted(v for v in values if fold(v).replace(" ", "") == wanted))
    if exact:
        return exact
    return tuple(sorted(v for v in values if wanted and wanted in fold(v).replace(" ", "")))


def summary(con: duckdb.DuckDBPyConnection, f: Filter | None = None) -> Summary:
    """Totals of the incidents `f` selects (default: the coded ones)."""
    clause, params = where_settled(con, f or Filter(statuses=("coded",)))
    total, first, last = one_row(
        con.execute(
            f"SELECT count(*), min(event_date), max(event_date) FROM incidents {clause}", params
        )
    )
    rows = con.execute(
        f"SELECT country, admin1, count(*), coalesce(sum(fatalities), 0) FROM incidents {clause} "
        "GROUP BY country, admin1",
        params,
    ).fetchall()
    by_region = _country_region_totals(rows)
    by_type = con.execute(
        f"SELECT event_type, count(*) FROM incidents {clause} GROUP BY event_type "
        "ORDER BY count(*) DESC, event_type",
        params,
    ).fetchall()
    return Summary(total, first, last, by_region, by_type)


def _country_region_totals(rows: list[tuple[Any, ...]]) -> list[RegionTotal]:
    """Countries by count (unknown last), each followed by its regions by count (as the tree)."""
    countries: dict[str | None, list[tuple[str | None, int, int]]] = {}
    for country, admin1, n, deaths in rows:
        countries.setdefault(country, []).append((admin1, int(n), int(deaths)))
    totals = {c: (sum(r[1] for r in rs), sum(r[2] for r in rs)) for c, rs in countries.items()}
    out: list[RegionTotal] = []
    for country in sorted(countries, key=lambda c: (c is None, -totals[c][0], c or "")):
        out.append(RegionTotal(country, None, *totals[country], is_country=True))
        regions = sorted(countries[country], key=lambda r: (r[0] is None, -r[1], r[0] or ""))
        out.extend(RegionTotal(country, a, n, d) for a, n, d in regions)
    return out


def proposal_count(con: duckdb.DuckDBPyConnection, f: Filter) -> int:
    """How many of `f`'s matches are proposals: no query when the store holds none."""
    if f.statuses is not None and "proposed" not in f.statuses:
        return 0
    if "proposed" not in stored_statuses(con):
        return 0
    return count_incidents(con, replace(f, statuses=("proposed",)))


def status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Incidents per status (`rasd info`)."""
    rows = con.execute("SELECT status, count(*) FROM incidents GROUP BY status").fetchall()
    return {status: int(n) for status, n in rows}


@dataclass(frozen=True, slots=True)
class ReportOverview:
    """One report and how far its coding has gone (`rasd code` with no report named)."""

    source_id: str
    title: str
    published: dt.date | None
    imported_at: dt.datetime | None
    proposed: int
    coded: int
    rejected: int


def reports_overview(con: duckdb.DuckDBPyConnection) -> list[ReportOverview]:
    """Every report, newest first (imported, else published; within one import, published),
    with its incidents per status."""
    rows = con.execute(
        "SELECT s.source_id, s.title, s.published, s.imported_at, "
        "count(*) FILTER (WHERE i.status = 'proposed'), "
        "count(*) FILTER (WHERE i.status = 'coded'), "
        "count(*) FILTER (WHERE i.status = 'rejected') "
        "FROM sources s LEFT JOIN incidents i ON i.source_id = s.source_id "
        "GROUP BY s.source_id, s.title, s.published, s.imported_at "
        "ORDER BY coalesce(s.imported_at, s.published) DESC NULLS LAST, "
        "s.published DESC NULLS LAST, s.source_id"
    ).fetchall()
    return [ReportOverview(*r) for r in rows]


def source_count(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con.execute("SELECT count(*) FROM sources"))


def incident_position(
    con: duckdb.DuckDBPyConnection, f: Filter, event_id: str, order: Order = "desc"
) -> int | None:
    """Where an incident sits in the filtered list (0-based), or None when it does not match.

    The explorer jumps to an incident (next/previous of a report) without reading the rows
    before it: one count of the rows that sort ahead of it.
    """
    row = con.execute(
        "SELECT event_date, event_id FROM incidents WHERE event_id = ? LIMIT 1", [event_id]
    ).fetchone()
    if row is None:
        return None
    clause, params = where_settled(con, f)
    match = "event_id = ?" if not clause else f"{clause.removeprefix('WHERE ')} AND event_id = ?"
    if (
        scalar(con.execute(f"SELECT count(*) FROM incidents WHERE {match}", [*params, event_id]))
        == 0
    ):
        return None
    sign = ">" if order == "desc" else "<"
    ahead = f"(event_date, event_id) {sign} (?, ?)"
    cond = f"{clause} AND {ahead}" if clause else f"WHERE {ahead}"
    return scalar(con.execute(f"SELECT count(*) FROM incidents {cond}", [*params, row[0], row[1]]))


def admin1_regions(con: duckdb.DuckDBPyConnection) -> list[tuple[str | None, str]]:
    """(country, admin1) pairs present, for "jump to region" in the command palette."""
    return con.execute(
        "SELECT DISTINCT country, admin1 FROM incidents WHERE admin1 IS NOT NULL "
        "AND status <> 'rejected' ORDER BY country, admin1"
    ).fetchall()


def place_names(
    con: duckdb.DuckDBPyConnection,
) -> list[tuple[str | None, str | None, str | None, str, str | None]]:
    """(country, admin1, admin2, location, location_ar) of every stored place, for the
    command palette ("go to place"); rejected incidents aside."""
    return con.execute(
        "SELECT DISTINCT country, admin1, admin2, location, location_ar FROM incidents "
        "WHERE location IS NOT NULL AND status <> 'rejected' "
        "ORDER BY country, admin1, admin2, location"
    ).fetchall()


def country_names(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int | None]]:
    """(country, ISO 3166 numeric code) of every stored country."""
    rows = con.execute(
        "SELECT country, min(iso) FROM incidents WHERE country IS NOT NULL GROUP BY country "
        "ORDER BY country"
    ).fetchall()
    return [(c, int(i) if i is not None else None) for c, i in rows]


def resolve_country(con: duckdb.DuckDBPyConnection, text: str) -> str | None:
    """A stored country from its name in any case or accents, its ISO numeric or alpha-3 code,
    or its ISO or Arabic name (db/country_codes.py)."""
    from db.country_codes import country_codes

    wanted = fold(text).replace(" ", "")
    stored = country_names(con)
    for name, _ in stored:
        if fold(name).replace(" ", "") == wanted:
            return name
    codes = country_codes(text)
    for name, iso in stored:
        if iso is not None and iso in codes:
            return name
    return None


def region_matches(con: duckdb.DuckDBPyConnection, region: str) -> bool:
    """Whether `--region` names anything stored (under no other filter)."""
    return count_incidents(con, Filter(region=region, statuses=None)) > 0


def nearest_names(con: duckdb.DuckDBPyConnection, text: str, n: int = 3) -> list[str]:
    """Stored countries, regions and districts spelled closest to `text` (for "did you mean")."""
    import difflib

    rows = con.execute(
        "SELECT DISTINCT name FROM (SELECT country AS name FROM incidents UNION ALL "
        "SELECT admin1 FROM incidents UNION ALL SELECT admin2 FROM incidents) "
        "WHERE name IS NOT NULL"
    ).fetchall()
    names = {fold(r[0]): r[0] for r in rows}
    close = difflib.get_close_matches(fold(text), list(names), n=n, cutoff=0.6)
    return [names[c] for c in close]


def distinct_actors(con: duckdb.DuckDBPyConnection, limit: int = 5000) -> list[tuple[str, int]]:
    """(actor name, incidents naming it) of stored actors, most named first, for the form's
    actor pickers. Associated actors are ACLED's `; `-separated lists: each name counts.
    One scan of four columns: 0.19 s at 1M rows, 1.3 s at 10M (load 12 on 2 cores): call it
    from a worker."""
    rows = con.execute(
        "SELECT name, count(*) AS n FROM ("
        "SELECT actor1 AS name FROM incidents WHERE status <> 'rejected' UNION ALL "
        "SELECT actor2 FROM incidents WHERE status <> 'rejected' UNION ALL "
        "SELECT trim(unnest(string_split(assoc_actor_1, ';'))) FROM incidents "
        "WHERE status <> 'rejected' UNION ALL "
        "SELECT trim(unnest(string_split(assoc_actor_2, ';'))) FROM incidents "
        "WHERE status <> 'rejected') WHERE name IS NOT NULL AND name <> '' "
        "GROUP BY name ORDER BY n DESC, name LIMIT ?",
        [limit],
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]
