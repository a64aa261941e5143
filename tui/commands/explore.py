"""`rasd` with no command: the Textual explorer, on a real terminal only."""

from __future__ import annotations

import argparse
import os
import sys

from db.paths import StoreError, check_database_file, resolve_db_path
from tui.commands.common import CommandError, add_bidi_option, bidi_mode, db_arg


def add_explorer_options(parser: argparse.ArgumentParser) -> None:
    add_bidi_option(parser, "Default: app.")


def run(args: argparse.Namespace) -> int:
    if os.environ.get("TERM", "") == "dumb" or not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CommandError(
            "the explorer needs an interactive terminal (stdin and stdout a tty, TERM not dumb); "
            "use `rasd list` or `rasd show` in scripts"
        )
    mode = bidi_mode(args, True)
    path, is_default = resolve_db_path(db_arg(args))
    try:
        if is_default and not path.exists():
            from db.seed import build_default_database  # first run only

            build_default_database(path)
        # Cheap checks here; DuckDB itself loads in the app, after the first paint.
        check_database_file(path)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    from tui.app import RasdApp

    app = RasdApp(path, bidi_mode=mode)
    app.run()
    return app.return_code or 0
