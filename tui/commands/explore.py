"""`rasd` with no command: the Textual explorer, on a real terminal only."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from db.bootstrap import ensure_default_database
from db.paths import StoreError, check_database_file, resolve_db_path
from tui.commands.common import CommandError, add_bidi_option, bidi_mode, db_arg, shown
from tui.views import View, load_views


def add_explorer_options(parser: argparse.ArgumentParser) -> None:
    add_bidi_option(parser, "Default: app.")
    parser.add_argument(
        "--view",
        metavar="NAME",
        help="open a view saved in the explorer (Ctrl+P › Save view…): its filter and sort",
    )


def chosen_view(name: str | None) -> View | None:
    """The saved view `--view` names; an unknown name is an error naming the saved ones."""
    if name is None:
        return None
    views = load_views()
    if name.strip() in views:
        return views[name.strip()]
    saved = ", ".join(repr(shown(n)) for n in sorted(views)) or "none yet (Ctrl+P › Save view…)"
    raise CommandError(f"--view: no view is called {shown(name)!r}; saved views: {saved}")


def locale_charset_problem(environ: Mapping[str, str], stream_encoding: str) -> str | None:
    """Why the terminal cannot be taken to be UTF-8, or None.

    The locale in force is the first of LC_ALL, LC_CTYPE, LANG that is set; it must name UTF-8.
    A bare C locale counts when Python coerced it (PEP 538 sets LC_CTYPE=C.UTF-8).
    """
    name = next((environ[k] for k in ("LC_ALL", "LC_CTYPE", "LANG") if environ.get(k)), "C")
    if "utf-8" not in name.lower().replace("utf8", "utf-8"):
        return f"the locale is {name}"
    if stream_encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return f"output is encoded as {stream_encoding}"
    return None


def check_terminal(what: str = "the explorer") -> None:
    """A full-screen rasd needs a real, UTF-8 terminal: say so in one line otherwise."""
    if os.environ.get("TERM", "") == "dumb" or not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CommandError(
            f"{what} needs an interactive terminal (stdin and stdout a tty, TERM not dumb); "
            "use `rasd list` or `rasd show` in scripts"
        )
    problem = locale_charset_problem(os.environ, sys.stdout.encoding or "")
    if problem:
        raise CommandError(
            f"{what} needs a UTF-8 terminal and locale ({problem}); "
            "set LANG=C.UTF-8 (or another UTF-8 locale); `rasd list` works in any locale"
        )


def run(args: argparse.Namespace) -> int:
    view = chosen_view(getattr(args, "view", None))  # a wrong name is an error anywhere
    check_terminal()
    mode = bidi_mode(args, True)
    path, is_default = resolve_db_path(db_arg(args))
    try:
        ensure_default_database(path, is_default)
        # Cheap checks here; DuckDB itself loads in the app, after the first paint.
        check_database_file(path)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    from tui.app import RasdApp

    app = RasdApp(path, bidi_mode=mode, view=view)
    app.run()
    return app.return_code or 0
