"""`rasd import acled|ucdp|incidents FILE...` and `rasd export OUT`: data in and out.

All the work is in db/importers and db/export; this module parses arguments, shows progress on
a terminal, prints the summary and turns failures into one-line messages.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from rich.console import Console

from db.paths import StoreError, appended_path, resolve_db_path, utf8_name_problem
from db.wording import counted, plural
from tui.commands.common import (
    CommandError,
    add_filter_options,
    db_arg,
    filter_from_args,
    open_store,
    shown,
    store_path,
)
from tui.text.sanitize import sanitize

KINDS = ("acled", "ucdp", "incidents")
APPENDS = ("acled", "ucdp")
"""Imports that go beside a large database (db/appended.py); rasd's own bundles carry reports,
which the appendix does not hold, and are an analyst's few incidents: into the file."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import",
        parents=[common],
        help="import ACLED, UCDP or rasd incident files",
        description="Import incidents. Each command is one transaction: the database changes "
        "only if every file imports (or, with --skip-invalid, every good row). A --db PATH that "
        "does not exist becomes a new database holding only what was imported.",
    )
    kinds = parser.add_subparsers(title="formats", metavar="FORMAT", required=True)
    helps = {
        "acled": "ACLED export (CSV or .csv.gz; any layout since 1997; updates by event_id_cnty)",
        "ucdp": "UCDP GED events (CSV)",
        "incidents": "rasd's own export (CSV, JSON or Parquet)",
    }
    for kind in KINDS:
        p = kinds.add_parser(kind, parents=[common], help=helps[kind], description=helps[kind])
        p.add_argument("files", nargs="+", metavar="FILE", type=Path)
        p.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows; write rejected ones, with reasons, to a file",
        )
        p.add_argument(
            "--rejects",
            metavar="PATH",
            type=Path,
            help="where --skip-invalid writes rejected rows "
            "(default: FILE-NAME.rejects.csv in the current directory)",
        )
        p.set_defaults(handler=run_import, kind=kind)
    report = kinds.add_parser(
        "report",
        parents=[common],
        help="Arabic reports: text, Markdown, a saved web page or a "
        "Telegram Desktop export (result.json); proposes incidents from each",
        description="Store each report as a source (text exactly as received) and propose the "
        "incidents it reports (status 'proposed': never shown as confirmed). The publication "
        "date comes from --published, the page's metadata, the message's date or the dateline. "
        "Importing the same text again changes nothing.",
    )
    report.add_argument("files", nargs="+", metavar="FILE", type=Path)
    report.add_argument(
        "--published", metavar="DATE", help="publication date YYYY-MM-DD (default: from the report)"
    )
    report.add_argument("--outlet", metavar="NAME", help="the outlet that published it")
    report.add_argument("--title", metavar="T", help="title (one report only)")
    report.add_argument("--url", metavar="U", help="where it was published (one report only)")
    report.set_defaults(handler=run_report_import)

    exp = sub.add_parser(
        "export",
        parents=[common],
        help="export incidents (csv, json, parquet, geojson)",
        description="Export the incidents matching the filters of `rasd list`. CSV, JSON and "
        "Parquet carry every column (import them back with `rasd import incidents`); GeoJSON "
        "holds points for QGIS and other GIS tools.",
    )
    exp.add_argument("out", metavar="OUT", type=Path)
    exp.add_argument(
        "--format",
        choices=("csv", "json", "parquet", "geojson"),
        help="default: from OUT's extension, else csv",
    )
    add_filter_options(exp)
    exp.add_argument(
        "--sources-only",
        action="store_true",
        help="the reports alone (every report; with filters, those of the matching "
        "incidents), one row each: import them back with `rasd import incidents`",
    )
    exp.set_defaults(handler=run_export)


def _importer(kind: str):
    from db.importers.acled import import_acled
    from db.importers.incidents import import_incidents
    from db.importers.ucdp import import_ucdp

    return {"acled": import_acled, "ucdp": import_ucdp, "incidents": import_incidents}[kind]


def run_import(args: argparse.Namespace) -> int:
    from db.appended import state as appended_state
    from db.bootstrap import ensure_default_database
    from db.first_screen import write_for as write_first_screen
    from db.importers.appending import appending
    from db.importers.common import (
        ImportFailed,
        check_import,
        import_lock,
        import_workdir,
        remove_leftovers,
        writable_copy,
    )
    from db.safe_write import UnsafeTarget, cleanup_if_killed, database_files
    from db.store import lock_path

    err = Console(stderr=True, highlight=False, markup=False)
    path, is_default = resolve_db_path(db_arg(args))
    importer = _importer(args.kind)
    started = time.perf_counter()
    summaries = []
    rejects_out = _rejects_paths(args)
    try:
        real = check_import(path, list(args.files), list(rejects_out.values()))
        remove_leftovers(path)
        ensure_default_database(path, is_default)
        # beside a large file (db/appended.py): it is only read, not copied and re-ordered
        beside = args.kind in APPENDS and path.exists() and appended_state(path).takes_appends
        target = appending(path) if beside else writable_copy(path, create=True)
        with cleanup_if_killed(real.parent, lock_path(real)):
            with import_lock(path), import_workdir(path) as work, target as con:
                if err.is_terminal:
                    from tui.commands.import_progress import ImportProgress

                    with ImportProgress(err, con) as progress:
                        for file in args.files:
                            progress.start_file(shown(file.name))
                            summaries.append(
                                importer(con, file, work, args.skip_invalid, step=progress.step)
                            )
                else:
                    for file in args.files:
                        summaries.append(importer(con, file, work, args.skip_invalid))
                _write_all_rejects(summaries, rejects_out, protect=database_files(path))
            # the explorer's first frame, ready before DuckDB loads (db/first_screen.py)
            write_first_screen(path)
    except UnsafeTarget as exc:
        raise CommandError(str(exc), exit_code=2) from exc
    except ImportFailed as exc:
        raise CommandError(f"{exc}; the database is unchanged", exit_code=1) from exc
    except StoreError as exc:
        raise CommandError(str(exc), exit_code=1) from exc
    elapsed = time.perf_counter() - started
    for summary in summaries:
        for note in summary.notes:
            err.print(f"{shown(summary.file)}: {shown(note)}")
        print(
            f"{shown(summary.file)}: read {summary.read:,}, inserted {summary.inserted:,}, "
            f"updated {summary.updated:,}, unchanged {summary.unchanged:,}, "
            f"rejected {summary.rejected:,}"
        )
        if summary.rejects:
            reasons = ", ".join(f"{n} {r}" for r, n in summary.reasons().most_common())
            print(f"  rejected: {shown(reasons)}; details in {shown(rejects_out[summary.file])}")
    if beside:
        print(
            f"{shown(path)}: the changes are kept beside it, in "
            f"{shown(appended_path(path).name)} (appended; `rasd reindex` merges them into it)"
        )
    print(f"{shown(path)}: done in {elapsed:.1f} s")
    return 0


def run_report_import(args: argparse.Namespace) -> int:
    from db.bootstrap import ensure_default_database
    from db.coding import CodingStore
    from db.first_screen import write_for as write_first_screen
    from db.importers.common import (
        ImportFailed,
        check_import,
        import_lock,
        remove_leftovers,
        writable_copy,
    )
    from db.importers.report import (
        Options,
        mark_stored,
        prepare_reports,
        propose_for,
        store_beside,
        store_reports,
        store_reports_beside,
        stored_hashes,
    )
    from db.safe_write import UnsafeTarget, cleanup_if_killed
    from db.store import lock_path, open_db

    err = Console(stderr=True, highlight=False, markup=False)
    path, is_default = resolve_db_path(db_arg(args))
    options = Options(args.published, args.outlet, args.title, args.url)
    started = time.perf_counter()
    try:
        real = check_import(path, list(args.files), [])
        reports = prepare_reports(args.files, options)
        remove_leftovers(path)
        ensure_default_database(path, is_default)
        beside = False
        if path.exists():
            con = open_db(path, read_only=True)
            try:
                mark_stored(reports, stored_hashes(con, reports))
                beside = store_beside(con)
            finally:
                con.close()
        else:
            mark_stored(reports, set())
        _propose_with_progress(err, reports, propose_for)
        new = [r for r in reports if not r.stored]
        if new and beside:  # a large database: into the coding file beside it, in milliseconds
            with CodingStore.open(path) as store:
                results = store_reports_beside(store, reports, options)
            write_first_screen(path)
        elif new:
            with cleanup_if_killed(real.parent, lock_path(real)):
                with import_lock(path), writable_copy(path, create=True) as con:
                    results = store_reports(con, reports, options)
                write_first_screen(path)
        else:
            results = store_reports(None, reports, options)
    except UnsafeTarget as exc:
        raise CommandError(sanitize(str(exc)), exit_code=2) from exc
    except ImportFailed as exc:
        raise CommandError(f"{sanitize(str(exc))}; the database is unchanged", exit_code=1) from exc
    except StoreError as exc:
        raise CommandError(sanitize(str(exc)), exit_code=1) from exc
    for result in results:
        name = sanitize(result.file)
        for note in result.notes:
            err.print(f"{name}: {sanitize(note)}")
        kept = result.reports - result.added
        line = (
            f"{name}: {counted(result.reports, 'report')}, "
            f"{result.added:,} added, {kept:,} already stored; "
            f"{result.proposals:,} proposed {plural(result.proposals, 'incident')}"
        )
        if len(result.dated) == 1:
            line += f"; {result.dated[0]}"
        print(line)
        if result.without_incident:
            n = result.without_incident
            print(
                f"  {n:,} report{' has' if n == 1 else 's have'} no incident in it: stored as "
                "a source with zero proposals"
            )
        if result.reports == 0:
            print("  no message with text in it")
    shown = " (nothing changed)" if not any(r.added for r in results) else ""
    print(f"{sanitize(str(path))}: done in {time.perf_counter() - started:.1f} s{shown}")
    return 0


def _propose_with_progress(err: Console, reports: list, propose_for) -> None:
    """The extractor takes ~1 s per long report: a bar on a terminal, nothing in pipes."""
    todo = sum(1 for r in reports if not r.stored)
    if not err.is_terminal or todo < 5:
        propose_for(reports)
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("proposing incidents", total=todo)
        propose_for(reports, lambda done: progress.update(task, completed=done))


def _rejects_paths(args: argparse.Namespace) -> dict[str, Path]:
    """Where each file's rejected rows go: known, and checked, before the import starts."""
    if not args.skip_invalid:
        return {}
    return {
        str(file): args.rejects or Path.cwd() / (file.name + ".rejects.csv") for file in args.files
    }


def _write_all_rejects(summaries: list, out: dict[str, Path], protect: dict) -> None:
    """Written before the database is replaced: a failure here leaves the database unchanged."""
    from db.importers.common import ImportFailed

    by_target: dict[Path, list[tuple[str, list]]] = {}
    for summary in summaries:
        if summary.rejects:
            by_target.setdefault(out[summary.file], []).append((summary.file, summary.rejects))
    for target, groups in by_target.items():
        try:
            write_rejects(target, groups, protect)
        except OSError as exc:
            raise ImportFailed(target, f"cannot write rejected rows ({exc.strerror})") from exc


def write_rejects(path: Path, groups: list[tuple[str, list]], protect: dict | None = None) -> None:
    """One CSV for the rejects of every file sent to `path` (`file` says whose row it was)."""
    from db.safe_write import atomic_writer

    with atomic_writer(path, protect=protect or {}, binary=False, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "reason", "raw", "file"])
        for file, rejects in groups:
            for reject in rejects:
                writer.writerow(
                    [
                        reject.line if reject.line is not None else "",
                        reject.reason,
                        reject.raw,
                        file,
                    ]
                )


def run_export(args: argparse.Namespace) -> int:
    from db.export import export, format_for, summary_line
    from db.safe_write import UnsafeTarget, check_target, database_files

    fmt = format_for(args.out, args.format)
    if problem := utf8_name_problem(args.out):  # DuckDB writes the file: UTF-8 names only
        raise CommandError(f"{args.out}: {problem}")
    protect = database_files(store_path(args))
    try:
        check_target(args.out, protect=protect)
    except UnsafeTarget as exc:
        raise CommandError(str(exc)) from exc
    con = open_store(args)
    try:
        result = export(con, filter_from_args(con, args), args.out, fmt, args.sources_only, protect)
    except (ValueError, UnsafeTarget) as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"{args.out}: cannot write ({exc.strerror})", exit_code=1) from exc
    finally:
        con.close()
    line = summary_line(result, fmt, args.sources_only)
    print(f"{shown(result.path)}: {line}", file=sys.stderr)
    return 0
