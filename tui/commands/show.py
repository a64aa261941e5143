"""`rasd show ID`: one incident, its card and the report paragraphs that hold its span."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Mapping, Sequence
from typing import Any, cast

from rich.console import Console
from rich.text import Text

from db.columns import json_value
from db.overlay import Audit, coding_audit
from db.queries import Incident, get_incident
from tui.card import card_fields
from tui.commands.common import (
    CommandError,
    add_bidi_option,
    bidi_mode,
    bounded_int,
    open_store,
    stdout_is_tty,
    utf8_text,
)
from tui.commands.listing import incident_json_fields
from tui.commands.output import write_json
from tui.text.layout import BidiMode, layout_text, wrap_value
from tui.text.sanitize import sanitize


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "show",
        parents=[common],
        help="show one incident with its source text",
        description="Show one incident: a card and the report paragraph(s) holding its span.",
    )
    parser.add_argument("event_id", metavar="EVENT_ID", type=utf8_text)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--width",
        type=bounded_int(10, 10_000),
        metavar="N",
        help="text width in cells (default: the terminal's, else 80)",
    )
    add_bidi_option(parser, "Default: app on a terminal, logical text in pipes and files.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    con = open_store(args)
    try:
        incident = get_incident(con, args.event_id)
        audit = coding_audit(con, args.event_id)
    finally:
        con.close()
    if incident is None:
        raise CommandError(f"no incident {args.event_id!r}")
    if args.format == "json":
        write_json({**incident_json(incident), **audit_json(audit)}, stdout_is_tty())
        return 0
    width = args.width or shutil.get_terminal_size((80, 24)).columns
    if width < 10:
        raise CommandError("--width must be at least 10")
    print_card(incident, bidi_mode(args, stdout_is_tty()), width, audit_rows(audit))
    return 0


def audit_json(audit: Audit) -> dict[str, Any]:
    """coded_by, coded_at (ISO, UTC) and revision (0: never coded) for `--format json`."""
    at = audit.coded_at
    return {
        "coded_by": audit.coded_by,
        "coded_at": None if at is None else at.isoformat(timespec="seconds") + "Z",
        "revision": audit.revision,
    }


def audit_rows(audit: Audit) -> list[tuple[str, str]]:
    """The card's rows for the coding audit: only for an incident coded in rasd."""
    if audit.revision == 0:
        return []
    at = "" if audit.coded_at is None else audit.coded_at.strftime("%Y-%m-%d %H:%M UTC")
    return [("coded by", audit.coded_by or ""), ("coded at", at), ("revision", str(audit.revision))]


def incident_json(incident: Incident) -> dict[str, Any]:
    """The incident's columns (ACLED's `source` included) and rasd's report under `report`."""
    out = incident_json_fields(cast(Mapping[str, Any], incident.fields))
    src = incident.source
    out["report"] = (
        None
        if src is None
        else {
            "id": src.source_id,
            "title": src.title,
            "outlet": src.outlet,
            "published": json_value(src.published),
            "dateline_place": src.dateline_place,
            "url": src.url,
            "forwarded_from": src.forwarded_from,
            "sha256": src.sha256,
        }
    )
    out["span_text"] = incident.span_text
    return out


def span_paragraphs(text: str, start: int, end: int) -> tuple[int, int]:
    """[begin, finish) of the whole lines (paragraphs) that contain [start, end)."""
    begin = text.rfind("\n", 0, start) + 1
    finish = text.find("\n", max(end - 1, start))
    return begin, len(text) if finish < 0 else finish


LABEL_CELLS = 14
"""A card label, right-aligned in 12 cells, and two spaces."""


def print_card(
    incident: Incident, mode: BidiMode, width: int, extra: Sequence[tuple[str, str]] = ()
) -> None:
    """The card (and `extra` rows: the coding audit), then the report's lines of its span."""
    console = Console(highlight=False, markup=False, emoji=False, width=width)
    for label, value in [*card_fields(incident), *extra]:
        # wrapped with the value's own levels; later rows hang under the first value cell
        rows = wrap_value(value, width - LABEL_CELLS, "app" if mode == "app" else "terminal")
        for i, value_row in enumerate(rows):
            line = Text(f"{label:>12}  " if i == 0 else " " * LABEL_CELLS, style="bold")
            line.append(value_row.rstrip())
            console.print(line, no_wrap=True, overflow="crop")
    src = incident.source
    start, end = incident["span_start"], incident["span_end"]
    if src is None or start is None:
        return
    begin, finish = span_paragraphs(src.text, start, end)
    excerpt = src.text[begin:finish]
    console.print()
    if mode == "logical":
        console.print(Text(sanitize(excerpt)), soft_wrap=True)
        return
    for vline in layout_text(excerpt, width, mode):
        row = Text(vline.text.rstrip() if not vline.rtl else vline.text)
        for i, offset in enumerate(vline.offsets[: len(row.plain)]):
            if offset >= 0 and start <= begin + offset < end:
                row.stylize("reverse", i, i + 1)
        console.print(row, no_wrap=True, overflow="crop")
