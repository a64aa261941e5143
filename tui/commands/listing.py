"""`rasd list`: incidents matching every filter, newest first, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rich.cells import cell_len

from db.columns import json_value
from db.queries import count_incidents, full_incidents, stored_statuses
from db.wording import counted
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
from tui.text.layout import BidiMode
from tui.widgets.cells import fit

PROPOSED_MARK = "?"
"""Beside every proposal, with or without colour: never mistaken for a confirmed incident."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "list",
        parents=[common],
        help="list incidents matching filters, newest first",
        description="List incidents matching all filters, newest first.",
    )
    add_filter_options(parser)
    parser.add_argument(
        "--limit", type=bounded_int(0, MAX_INT), metavar="N", help="at most N incidents"
    )
    parser.add_argument(
        "--format",
        choices=("table", "tsv", "csv", "json"),
        default="table",
        help="table: one line per incident, cut with … to the terminal's "
        "width (or --width), whole to pipes and files; tsv: tab-separated",
    )
    parser.add_argument(
        "--width",
        type=bounded_int(20, 10_000),
        metavar="N",
        help="fit the table to N cells, whatever COLUMNS says",
    )
    add_bidi_option(parser, "Default: app on a terminal, logical text in pipes.")
    parser.set_defaults(handler=run)


def incident_json_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """One incident's columns for JSON: `evidence` as an object (field -> confidence, spans)."""
    from db.evidence import parse_evidence

    out = {k: json_value(v) for k, v in row.items()}
    if "evidence" in out:
        out["evidence"] = parse_evidence(row["evidence"])
    return out


def run(args: argparse.Namespace) -> int:
    con = open_store(args)
    try:
        f = filter_from_args(con, args)
        rows = full_incidents(con, f, limit=args.limit)
        table = args.format == "table"
        unlisted = (
            count_incidents(con, replace(f, statuses=("proposed",)))
            if table and f.statuses == ("coded",) and "proposed" in stored_statuses(con)
            else 0
        )
        cut = args.limit is not None and len(rows) == args.limit
        matching = count_incidents(con, f) if table and cut else len(rows)
    finally:
        con.close()
    if args.format == "json":
        write_json([incident_json_fields(r) for r in rows], stdout_is_tty())
    elif args.format == "csv":
        if rows:
            write_csv(
                list(rows[0]), ([json_value(v) for v in r.values()] for r in rows), stdout_is_tty()
            )
    elif args.format == "tsv":
        headers, cells = table_cells(rows, "logical")
        write_tsv(headers, cells)
    else:
        tty = stdout_is_tty()
        width = args.width or (shutil.get_terminal_size((80, 24)).columns if tty else None)
        print_table(rows, bidi_mode(args, tty), width, unlisted, matching)
    return 0


FIXED = frozenset({"status", "date", "id", "deaths"})
"""Columns never cut; the others share what is left of the width."""
MIN_CELLS = 2


def table_cells(rows: list[dict[str, Any]], mode: BidiMode) -> tuple[list[str], list[list[str]]]:
    """Headers and one row of logical values per incident (controls removed, nothing cut)."""
    proposals = any(r.get("status") == "proposed" for r in rows)
    headers = ["date", "id", "region", "place", "type", "actors", "deaths"]
    if proposals:
        headers.insert(0, "status")
    out = []
    for r in rows:
        place = " ".join(p for p in (r["location"], r["location_ar"]) if p)
        actors = " / ".join(a for a in (r["actor1"], r["actor2"]) if a)
        cells = [
            r["event_date"].isoformat(),
            r["event_id"],
            r["admin1"] or "?",
            place or "unknown",
            r["event_type"] or "",
            actors,
            fatalities_text(r["fatalities"]),
        ]
        if proposals:
            cells.insert(0, PROPOSED_MARK if r.get("status") == "proposed" else "")
        out.append([" ".join(inline(c, mode).split()) for c in cells])
    return headers, out


def column_widths(headers: list[str], natural: list[int], width: int | None) -> list[int]:
    """Natural widths, the widest cuttable column narrowed first until the row fits `width`."""
    widths = list(natural)
    if width is None:
        return widths
    room = width - 2 * (len(widths) - 1)
    while sum(widths) > room:
        cuttable = [i for i, h in enumerate(headers) if h not in FIXED and widths[i] > MIN_CELLS]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def print_table(
    rows: list[dict[str, Any]],
    mode: BidiMode,
    width: int | None,
    unlisted: int = 0,
    matching: int | None = None,
) -> None:
    """One line per incident: whole (pipes, files) or fitted to `width` with `…` (never wrapped).

    `unlisted`: proposals that match but were not asked for (the default lists coded incidents
    only); the last line says so, or this morning's imported report would seem to add nothing.
    `matching`: how many match, when --limit cut the list ("first 3 of 9 incidents").
    """
    headers, cells = table_cells(rows, "logical")
    shown = [[inline(c, mode) for c in row] for row in cells]
    natural = [
        max([cell_len(h), *(cell_len(row[i]) for row in shown)]) for i, h in enumerate(headers)
    ]
    widths = column_widths(headers, natural, width)
    last = len(headers) - 1

    def line(values: list[str], logical: list[str]) -> str:
        parts = []
        for i, (value, w) in enumerate(zip(values, widths, strict=True)):
            if cell_len(value) > w:
                value = fit(logical[i], w, mode)
            elif headers[i] == "deaths":
                value = " " * (w - cell_len(value)) + value
            elif i < last:
                value = value + " " * (w - cell_len(value))
            parts.append(value)
        return "  ".join(parts).rstrip()

    out = sys.stdout
    out.write(line(headers, headers) + "\n")
    for row, logical in zip(shown, cells, strict=True):
        out.write(line(row, logical) + "\n")
    proposals = sum(1 for r in rows if r.get("status") == "proposed")
    total = len(rows) if matching is None else matching
    if total > len(rows):
        count = f"first {len(rows):,} of {counted(total, 'incident')}"
        marked = f"; {proposals:,} of those listed proposed, not confirmed: marked ?"
    else:
        count = counted(total, "incident")
        marked = f" ({proposals:,} proposed, not confirmed: marked ?)"
    tail = marked if proposals else ""
    if unlisted:
        tail += f"; {unlisted:,} proposed not listed (--status all lists them too)"
    out.write(f"{count}{tail}\n")


def write_tsv(headers: list[str], rows: list[list[str]]) -> None:
    """Tab-separated, one line per incident; tabs and newlines in values were made spaces."""
    out = sys.stdout
    out.write("\t".join(headers) + "\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
