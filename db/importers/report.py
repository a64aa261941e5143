"""`rasd import report`: reports become sources, and the incidents read from them proposals.

Three steps, so that a bad file never reaches the database and a long extraction never holds it:
`prepare_reports` reads every file and dates every report (pure: any refusal names the file and
the reason); `propose_for` runs the extractor (db/extract) on the reports not stored yet; and
`store_reports`, inside the import's copy-on-write transaction, adds the sources and their
proposals (status 'proposed', each field's evidence spans and confidence kept). A report is
identified by its text's sha256: importing it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.appended import APPEND_FROM_ROWS
from db.columns import INCIDENT_COLUMNS, search_text
from db.evidence import FieldEvidence, encode_evidence
from db.importers.common import ImportFailed, ImportSummary, upsert
from db.importers.report_formats import ReportDoc, read_report_file
from db.places import canonical_admin1
from db.queries import SOURCE_COLUMNS, one_row
from db.rows import scalar
from db.sources import merge_sources

if TYPE_CHECKING:
    import duckdb

    from db.coding import CodingStore
    from db.extract import Proposal

FUTURE_SLACK = dt.timedelta(days=1)
"""A report dated tomorrow is a time zone ahead, not an error."""
DATE_TYPES = {"event_date", "reported_date"}
INT_TYPES = {"time_precision", "geo_precision", "iso", "fatalities"}
FLOAT_TYPES = {"latitude", "longitude"}


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line says about the reports (each None when not given)."""

    published: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(slots=True)
class PreparedReport:
    file: Path
    doc: ReportDoc
    published: dt.date
    date_basis: str
    sha256: str
    source_id: str
    title: str
    dateline_place: str | None
    language: str
    proposals: list[Proposal] = field(default_factory=list)
    stored: bool = False
    """Already in the database (or earlier in this command): nothing to add."""


@dataclass(slots=True)
class FileResult:
    """What one file brought: for the summary line."""

    file: str
    reports: int = 0
    added: int = 0
    proposals: int = 0
    without_incident: int = 0
    dated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_published(text: str | None, file: Path, today: dt.date) -> dt.date | None:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ImportFailed(file, f"--published {text!r} is not a date (YYYY-MM-DD)") from exc
    if day > today + FUTURE_SLACK:
        raise ImportFailed(file, f"--published {day.isoformat()} is in the future")
    return day


def language_of(text: str) -> str:
    """'ar' when Arabic letters are most of the letters, else 'und' (undetermined)."""
    arabic = latin = 0
    for ch in text[:20_000]:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
            arabic += 1
        elif ch.isalpha():
            latin += 1
    return "ar" if arabic and arabic >= latin else "und"


def prepare_reports(files: Sequence[Path], options: Options) -> list[PreparedReport]:
    """Read and date every report of every file; ImportFailed at the first that cannot be."""
    from db.extract import find_dateline

    if not files:
        return []
    given = parse_published(options.published, files[0], options.today)
    out: list[PreparedReport] = []
    for path in files:
        docs = read_report_file(path)
        if (options.title or options.url) and (len(files) > 1 or len(docs) > 1):
            raise ImportFailed(
                path,
                "--title and --url name a single report; "
                f"this command has {max(len(files), len(docs))}",
            )
        if given is not None and docs and docs[0].format == "telegram":
            raise ImportFailed(
                path,
                "--published does not apply to a Telegram export: each message has its own date",
            )
        for doc in docs:
            dateline = find_dateline(doc.text)
            published, basis = given, "--published"
            if published is None and doc.published is not None:
                published, basis = doc.published, doc.date_basis or "the file"
            if published is None and dateline.published is not None:
                published, basis = dateline.published, "the dateline"
            where = f"{doc.where}: " if doc.where else ""
            if published is None:
                raise ImportFailed(
                    path,
                    f"{where}no publication date found (no dateline with a "
                    "date, no page date); give it with --published "
                    "YYYY-MM-DD",
                )
            if published > options.today + FUTURE_SLACK:
                raise ImportFailed(
                    path,
                    f"{where}the publication date {published.isoformat()} "
                    f"(from {basis}) is in the future; give the right one "
                    "with --published",
                )
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
            out.append(
                PreparedReport(
                    file=path,
                    doc=doc,
                    published=published,
                    date_basis=basis,
                    sha256=digest,
                    source_id=f"R{digest[:12]}",
                    title=options.title or doc.title or path.name,
                    dateline_place=dateline.place,
                    language=language_of(doc.text),
                )
            )
    return out


def mark_stored(reports: list[PreparedReport], stored_hashes: set[str]) -> None:
    """Reports already stored, or repeated within this command, add nothing."""
    seen = set(stored_hashes)
    for report in reports:
        report.stored = report.sha256 in seen
        seen.add(report.sha256)


def stored_hashes(con: duckdb.DuckDBPyConnection, reports: list[PreparedReport]) -> set[str]:
    hashes = sorted({r.sha256 for r in reports})
    if not hashes:
        return set()
    rows = con.execute("SELECT sha256 FROM sources WHERE list_contains(?, sha256)", [hashes])
    return {r[0] for r in rows.fetchall()}


def propose_for(reports: list[PreparedReport], tick: Callable[[int], None] | None = None) -> None:
    """Run the extractor on every report not stored yet (the slow step: no database held).

    Many reports (a Telegram export) are shared among processes, one per core: the extractor
    is pure Python, ~20-40 ms a message, and a thread would not run beside another.
    """
    from db.extract import propose

    todo = [r for r in reports if not r.stored]
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(todo) // PARALLEL_FROM)
    if workers < 2:
        for i, report in enumerate(todo):
            report.proposals = propose(report.doc.text, report.published)
            if tick is not None:
                tick(i + 1)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()  # loaded once here, inherited by every forked worker
    jobs = [(r.doc.text, r.published) for r in todo]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for i, proposals in enumerate(pool.map(_propose_one, jobs, chunksize=CHUNK)):
            todo[i].proposals = proposals
            if tick is not None:
                tick(i + 1)


MAX_WORKERS = 8
PARALLEL_FROM = 40
"""Reports per extra process below which forking costs more than it saves."""
CHUNK = 16


def _propose_one(job: tuple[str, dt.date]) -> list[Proposal]:
    from db.extract import propose

    return propose(*job)


def _warm_up() -> None:
    """Load the extractor's gazetteer and lexicons in the parent, before forking."""
    from db.extract import propose

    propose("باماكو – 1 يناير 2026\nقتل خمسة جنود في هجوم قرب موبتي.", dt.date(2026, 1, 1))


def source_row(report: PreparedReport, options: Options, now: dt.datetime) -> list[Any]:
    doc = report.doc
    values = {
        "source_id": report.source_id,
        "title": report.title,
        "outlet": options.outlet or doc.outlet,
        "dateline_place": report.dateline_place,
        "published": report.published,
        "language": report.language,
        "text": doc.text,
        "sha256": report.sha256,
        "url": options.url or doc.url,
        "format": doc.format,
        "forwarded_from": doc.forwarded_from,
        "encoding_note": doc.encoding_note,
        "file_name": report.file.name,
        "imported_at": now,
    }
    return [values[c] for c in SOURCE_COLUMNS]


def _typed(column: str, value: Any) -> Any:
    """The extractor's value in the column's type; None when it does not convert."""
    if value is None:
        return None
    try:
        if column in DATE_TYPES:
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        if column in INT_TYPES:
            return int(value)
        if column in FLOAT_TYPES:
            return float(value)
    except (TypeError, ValueError):
        return None
    return str(value)


def incident_row(
    report: PreparedReport, proposal: Proposal, number: int, outlet: str | None
) -> dict[str, Any] | None:
    """One proposal as an incidents row (status 'proposed'); None without an event type."""
    row: dict[str, Any] = dict.fromkeys(INCIDENT_COLUMNS)
    evidence: dict[str, FieldEvidence] = {}
    for name, proposed in proposal.fields.items():
        if name not in row or name in ("event_id", "status", "dataset", "source_id"):
            continue
        row[name] = _typed(name, proposed.value)
        evidence[name] = FieldEvidence(
            proposed.confidence, tuple((e.start, e.end) for e in proposed.evidence)
        )
    if not row["event_type"]:
        return None
    if row["event_date"] is None:  # no date in the text: the week the report was published
        row["event_date"], row["time_precision"] = report.published, 2
        evidence["event_date"] = FieldEvidence(0.1, ())
    if row["fatalities"] is not None and row["fatalities"] < 0:
        row["fatalities"] = None
    row.update(
        event_id=f"{report.source_id}-P{number:02d}",
        admin1=canonical_admin1(row["admin1"]),
        dataset="rasd",
        status="proposed",
        confidence=round(float(proposal.confidence), 4),
        evidence=encode_evidence(evidence),
        source_id=report.source_id,
        span_start=proposal.span_start,
        span_end=proposal.span_end,
        source=row["source"] or outlet,
    )
    return row


BESIDE_FROM_ROWS = APPEND_FROM_ROWS
"""From this many incidents on (as ACLED rows go beside the file, db/appended.py), new reports
and their proposals go to the coding database beside the main one (db/coding.py
`add_reports`), which explorers merge in at open: one report into the 10M database took 146 s,
the whole file copied and re-ordered for one row."""


def store_beside(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether reports are stored beside this database rather than in it."""
    return bool(scalar(con.execute("SELECT count(*) FROM incidents")) >= BESIDE_FROM_ROWS)


def store_reports(
    con: duckdb.DuckDBPyConnection | None, reports: list[PreparedReport], options: Options
) -> list[FileResult]:
    """Add the new reports and their proposals inside the open (writable) transaction.

    With every report already stored there is nothing to write, and `con` may be None.
    """
    results, sources, rows = _collect(reports, options)
    if sources:
        if con is None:
            raise ValueError("new reports need a database connection")
        _write(con, sources, rows)
    return results


def store_reports_beside(
    store: CodingStore, reports: list[PreparedReport], options: Options
) -> list[FileResult]:
    """The same, into the coding database beside the main one (`BESIDE_FROM_ROWS`)."""
    results, sources, rows = _collect(reports, options)
    if sources:
        store.add_reports(
            [dict(zip(SOURCE_COLUMNS, s, strict=True)) for s in sources],
            # the search text, last in each row, is made again by the store from the span
            [dict(zip(INCIDENT_COLUMNS, r, strict=False)) for r in rows],
        )
    return results


def _collect(
    reports: list[PreparedReport], options: Options
) -> tuple[list[FileResult], list[list[Any]], list[list[Any]]]:
    """Per file what it adds; the new reports' rows and their proposals' rows (incident
    columns, then the search text)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    results: dict[Path, FileResult] = {}
    sources: list[list[Any]] = []
    rows: list[list[Any]] = []
    for report in reports:
        result = results.setdefault(report.file, FileResult(str(report.file)))
        result.reports += 1
        if report.doc.encoding_note and report.doc.encoding_note not in result.notes:
            result.notes.append(report.doc.encoding_note)
        dated = f"published {report.published.isoformat()} (from {report.date_basis})"
        if dated not in result.dated:
            result.dated.append(dated)
        if report.stored:
            continue
        result.added += 1
        sources.append(source_row(report, options, now))
        outlet = options.outlet or report.doc.outlet
        made = 0
        for proposal in report.proposals:
            row = incident_row(report, proposal, made + 1, outlet)
            if row is None:
                result.notes.append(
                    f"{report.source_id}: a proposal without an event type was left out"
                )
                continue
            made += 1
            span = report.doc.text[proposal.span_start : proposal.span_end]
            rows.append([row[c] for c in INCIDENT_COLUMNS] + [search_text(row, span)])
        result.proposals += made
        result.without_incident += made == 0
    return list(results.values()), sources, rows


def _write(con: duckdb.DuckDBPyConnection, sources: list[list[Any]], rows: list[list[Any]]) -> None:
    columns = ", ".join(SOURCE_COLUMNS)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE incoming_sources AS SELECT {columns} FROM sources LIMIT 0"
    )
    marks = ", ".join("?" for _ in SOURCE_COLUMNS)
    con.executemany(f"INSERT INTO incoming_sources VALUES ({marks})", sources)
    merge_sources(con, "incoming_sources", Path("(reports)"))
    con.execute("DROP TABLE incoming_sources")
    if not rows:
        return
    names = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT {names} FROM incidents LIMIT 0")
    marks = ", ".join("?" for _ in range(len(INCIDENT_COLUMNS) + 1))
    con.executemany(f"INSERT INTO incoming VALUES ({marks})", rows)
    summary = ImportSummary("(reports)")
    summary.read = one_row(con.execute("SELECT count(*) FROM incoming"))[0]
    upsert(con, summary)
    con.execute("DROP TABLE incoming")
