"""`rasd code [SOURCE_ID]`: the coding screen for one report (or a list of reports to choose from).

The coding store is opened here, before the screen starts: a second coder on the same data is
told who holds it, in one line, instead of meeting a DuckDB lock error inside the screen.
"""

from __future__ import annotations

import argparse

from db.paths import StoreError, resolve_db_path
from tui.commands.common import CommandError, add_bidi_option, bidi_mode, db_arg, utf8_text
from tui.commands.explore import check_terminal


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "code",
        parents=[common],
        help="code incidents from a report: review proposals, select sentences, fill the form",
        description=(
            "Open the coding screen for report SOURCE_ID (ids: `rasd list --format json` shows "
            "them as report.id); with none, choose among the reports, newest first."
        ),
    )
    parser.add_argument("source_id", metavar="SOURCE_ID", nargs="?", type=utf8_text)
    add_bidi_option(parser, "Default: app.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_terminal("the coding screen")
    from db.bootstrap import ensure_default_database
    from db.coding import CodingLocked, CodingStore
    from db.sources import read_source

    path, is_default = resolve_db_path(db_arg(args))
    try:
        ensure_default_database(path, is_default)
        store = CodingStore.open(path)
    except CodingLocked as exc:
        raise CommandError(str(exc)) from exc
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    if args.source_id is not None and read_source(path, args.source_id) is None:
        store.close()
        raise CommandError(
            f"no report {args.source_id!r} in {path} (`rasd code` alone lists the reports)"
        )
    from tui.coding_app import CodingApp

    app = CodingApp(store, args.source_id, bidi_mode=bidi_mode(args, True))
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0
