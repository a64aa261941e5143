"""`rasd history ID`: every version of an incident, who coded each and what it changed.

Read from the main database (version 0, as imported) and the coding database (db/coding.py),
without the coder's lock: anyone may look while someone codes.
"""

from __future__ import annotations

import argparse
from typing import Any

from db.bootstrap import ensure_default_database
from db.columns import json_value
from db.paths import StoreError, resolve_db_path
from tui.commands.common import CommandError, shown, stdout_is_tty, utf8_text
from tui.commands.output import write_json

MAX_VALUE = 60
"""Characters of a changed value shown in the text form (notes can be paragraphs; JSON has all)."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "history",
        parents=[common],
        help="show every coded version of one incident",
        description="Every version of one incident: as imported (revision 0), then each coded "
        "change with who made it, when (UTC) and which fields it changed (old → new).",
    )
    parser.add_argument("event_id", metavar="EVENT_ID", type=utf8_text)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from db.coding import read_history

    path, is_default = resolve_db_path(getattr(args, "db", None))
    try:
        ensure_default_database(path, is_default)
        versions = read_history(path, args.event_id)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    if not versions:
        raise CommandError(f"no incident {args.event_id!r}")
    if args.format == "json":
        write_json(history_json(args.event_id, versions), stdout_is_tty())
        return 0
    for line in history_lines(versions):
        print(line)
    return 0


def history_json(event_id: str, versions: list[Any]) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "versions": [
            {
                "revision": v.revision,
                "coded_by": v.coded_by,
                "coded_at": None
                if v.coded_at is None
                else v.coded_at.isoformat(timespec="seconds") + "Z",
                "action": v.action,
                "changes": {
                    name: {"old": json_value(old), "new": json_value(new)}
                    for name, (old, new) in v.changes.items()
                },
            }
            for v in versions
        ],
    }


def _value(value: object) -> str:
    if value is None or value == "":
        return "–"
    text = str(json_value(value)).replace("\n", " ")
    return shown(text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…")


def history_lines(versions: list[Any]) -> list[str]:
    """One heading line per version, then one indented line per changed field."""
    out = []
    for v in versions:
        if v.revision == 0:
            out.append("revision 0  as imported")
            continue
        at = v.coded_at.strftime("%Y-%m-%d %H:%M:%S UTC") if v.coded_at else "?"
        out.append(f"revision {v.revision}  {at}  {shown(v.coded_by)}  {shown(v.action)}")
        for name, (old, new) in v.changes.items():
            if v.action == "create" and old is None:
                out.append(f"    {name}: {_value(new)}")
            else:
                out.append(f"    {name}: {_value(old)} → {_value(new)}")
    return out
