"""`rasd list`: incidents matching every filter, newest first, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from db.columns import json_value
from db.queries import full_incidents
from tui.commands.common import (
    MAX_INT,
    add_bidi_option,
    add_filter_options,
    bidi_mode,
    bounded_int,
    filter_from_args,
    open_store,
    stdout_is_tty,
)
from tui.commands.output import write_csv, write_json
from tui.display import fatalities_text, inline

PROPOSED_MARK = "?"
"""Beside every proposal, with or without colour: never mistaken for a confirmed incident."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "list", parents=[common], help="list incidents matching filters, newest first",
        description="List incidents matching all filters, newest first.",
    )  # fmt: skip
    add_filter_options(parser)
    parser.add_argument("--limit", type=bounded_int(0, MAX_INT), metavar="N",
                        help="at most N incidents")  # fmt: skip
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_bidi_option(parser, "Default: app on a terminal, logical text in pipes.")
    parser.set_defaults(handler=run)


def incident_json_fields(row: dict[str, Any]) -> dict[str, Any]:
    """One incident's columns for JSON: `evidence` as an object (field -> confidence, spans)."""
    from db.evidence import parse_evidence

    out = {k: json_value(v) for k, v in row.items()}
    if "evidence" in out:
        out["evidence"] = parse_evidence(row["evidence"])
    return out


def run(args: argparse.Namespace) -> int:
    con = open_store(args)
    try:
        rows = full_incidents(con, filter_from_args(con, args), limit=args.limit)
    finally:
        con.close()
    if args.format == "json":
        write_json([incident_json_fields(r) for r in rows], stdout_is_tty())
    elif args.format == "csv":
        if rows:
            write_csv(list(rows[0]), ([json_value(v) for v in r.values()] for r in rows),
                      stdout_is_tty())  # fmt: skip
    else:
        print_table(rows, bidi_mode(args, stdout_is_tty()))
    return 0


def print_table(rows: list[dict[str, Any]], mode: str) -> None:
    console = Console(highlight=False, markup=False, emoji=False)
    table = Table(box=None, header_style="bold", pad_edge=False)
    proposals = sum(1 for r in rows if r.get("status") == "proposed")
    headers: tuple[str, ...] = ("date", "id", "region", "place", "type", "actors", "deaths")
    if proposals:
        headers = ("status", *headers)
    for name in headers:
        table.add_column(name, no_wrap=name in ("status", "date", "id", "deaths"))
    for r in rows:
        names = (inline(r["location"], mode), inline(r["location_ar"], mode))
        place = " ".join(p for p in names if p)
        actors = " / ".join(inline(a, mode) for a in (r["actor1"], r["actor2"]) if a)
        cells = [Text(PROPOSED_MARK)] if proposals and r.get("status") == "proposed" else (
            [Text("")] if proposals else []
        )
        table.add_row(
            *cells,
            Text(r["event_date"].isoformat()),
            Text(inline(r["event_id"], mode)),
            Text(inline(r["admin1"], mode) or "?"),
            Text(place or "unknown"),
            Text(inline(r["event_type"], mode)),
            Text(actors),
            Text(fatalities_text(r["fatalities"]), justify="right"),
        )
    console.print(table)
    tail = f" ({proposals} proposed, not confirmed: marked ?)" if proposals else ""
    console.print(Text(f"{len(rows)} incident{'s' if len(rows) != 1 else ''}{tail}", style="dim"))
