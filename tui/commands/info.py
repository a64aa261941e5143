"""`rasd info`: where the database is and what it holds."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from db.paths import appended_path
from db.queries import source_count, status_counts, summary
from db.wording import counted
from tui.commands.common import (
    add_bidi_option,
    add_filter_options,
    bidi_mode,
    filter_from_args,
    open_store,
    shown,
    stdout_is_tty,
    store_path,
)
from tui.display import inline


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "info",
        parents=[common],
        help="database path, schema version, counts, date range",
        description="Show the database path, schema version, counts by region and type, "
        "and the date range, of every incident or of those matching the filters of `rasd list`.",
    )
    add_filter_options(parser)
    add_bidi_option(parser, "Default: app on a terminal, logical text in pipes.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from db.appended import state as appended_state
    from db.store import SCHEMA_VERSION, schema_version

    con = open_store(args)
    try:
        s = summary(con, filter_from_args(con, args))
        version = schema_version(con) or SCHEMA_VERSION
        sources = source_count(con)
        by_status = status_counts(con)
    finally:
        con.close()
    mode = bidi_mode(args, stdout_is_tty())
    out = Console(highlight=False, markup=False, emoji=False, soft_wrap=True)
    out.print(Text(f"database:   {shown(store_path(args).resolve())}"))
    out.print(Text(f"schema:     version {version}"))
    out.print(Text(f"incidents:  {s.total:,} ({args.status})   sources: {sources:,}"))
    out.print(
        Text(
            "status:     "
            + ", ".join(f"{by_status.get(k, 0):,} {k}" for k in ("coded", "proposed", "rejected"))
            + " (rejected are never counted)"
        )
    )
    beside = appended_state(store_path(args))
    if beside.valid:  # imported beside a large file (db/appended.py)
        out.print(
            Text(
                f"appended:   {counted(beside.added, 'incident')} imported beside the file "
                f"({shown(appended_path(store_path(args)).name)}; `rasd reindex` merges them)"
            )
        )
    span = f"{s.first.isoformat()} … {s.last.isoformat()}" if s.first and s.last else "–"
    out.print(Text(f"dates:      {span}"))
    out.print(Text("\nby country › region:   incidents    deaths", style="bold"))
    for r in s.by_region:
        name = r.country if r.is_country else r.admin1
        label = inline(name, mode) if name else "unknown place"
        indent = "" if r.is_country else "  "
        out.print(Text(f"  {r.incidents:>9,} {r.fatalities:>9,}  {indent}{label}"))
    out.print(Text("\nby event type:", style="bold"))
    for name, n in s.by_type:
        out.print(Text(f"  {n:>8,}  {inline(name, mode)}"))
    return 0
