"""`rasd` with no command: the Textual explorer, on a real terminal only."""

from __future__ import annotations

import argparse
import os
import sys

from tui.commands.common import (
    CommandError,
    add_bidi_option,
    bidi_mode,
    open_store,
    store_path,
)


def add_explorer_options(parser: argparse.ArgumentParser) -> None:
    add_bidi_option(parser, "Default: app.")


def run(args: argparse.Namespace) -> int:
    if os.environ.get("TERM", "") == "dumb" or not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CommandError(
            "the explorer needs an interactive terminal (stdin and stdout a tty, TERM not dumb); "
            "use `rasd list` or `rasd show` in scripts"
        )
    mode = bidi_mode(args, True)
    open_store(args).close()  # build the default DB on first run; fail early with a clear line
    from tui.app import RasdApp  # Textual loads only when the explorer runs

    RasdApp(store_path(args), bidi_mode=mode).run()
    return 0
