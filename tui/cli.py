"""`rasd` command line: the only place that parses argv.

Each subcommand lives in `tui/commands/` and registers its own parser; this module wires them,
opens the database the way every command expects (`--db`, then RASD_DB, then the default built
on first run) and turns known failures into one-line messages with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from tui import __version__
from tui.collector import release_collector
from tui.commands import code, explore, gazetteer, history, imports, info, listing, reindex, show
from tui.commands.common import CommandError, Parser, add_common, harakat_choice, shown
from tui.text.layout import set_harakat

Handler = Callable[[argparse.Namespace], int]

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    add_common(common)
    parser = Parser(
        prog="rasd",
        description=(
            "rasd (رصد): explore conflict incidents reported in Arabic, in the terminal. "
            "With no command, opens the explorer."
        ),
        parents=[common],
        epilog="Every command takes --db PATH (or RASD_DB). `rasd COMMAND --help` for details.",
    )
    parser.add_argument("--version", action="version", version=f"rasd {__version__}")
    explore.add_explorer_options(parser)
    parser.set_defaults(handler=explore.run)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (listing, show, history, info, imports, reindex, gazetteer, code):
        module.register(sub, common)
    return parser


def _exit_on_signal(number: int, _frame: object) -> None:
    """SIGTERM / SIGHUP unwind like Ctrl+C: `finally` blocks remove half-written files."""
    raise SystemExit(128 + number)


def replace_unencodable() -> None:
    """Under a non-UTF-8 locale, what it cannot encode is written as `?`, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    replace_unencodable()
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, _exit_on_signal)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    if handler is not explore.run:  # only the explorer has a first paint to wait for
        release_collector()
    try:
        set_harakat(harakat_choice(args))
        return handler(args)
    except CommandError as exc:
        print(f"rasd: {shown(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except PermissionError as exc:  # e.g. a data directory another user owns
        print(f"rasd: {shown(exc.filename)}: permission denied (cannot access)", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `rasd list | head`: the reader went away; say nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
