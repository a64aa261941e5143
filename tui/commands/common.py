"""What every subcommand shares: `--db`, opening the store, the filter options, bidi mode."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from platformdirs import user_config_path

from db.bootstrap import ensure_default_database
from db.paths import StoreError, resolve_db_path
from db.queries import Filter, SearchTooLong, resolve_event_types, search_words
from tui.filters import parse_date_range, search_too_long
from tui.text.layout import BidiMode
from tui.text.sanitize import escape_controls
from tui.text.shaping import Harakat

if TYPE_CHECKING:
    import duckdb

BIDI_MODES = ("app", "terminal")


class CommandError(Exception):
    """A failure to report as one line on stderr, with an exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def shown(text: object) -> str:
    """A message, file name or value from outside as it may be printed: controls made visible.

    Every line rasd writes to stderr passes here (cli.main, the argument parser, import
    summaries): a file name holding `ESC ] 2 ;` cannot retitle the terminal.
    """
    return escape_controls(str(text))


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors whose echoed values cannot drive the terminal."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"rasd: {shown(message)} (see `{shown(self.prog)} --help`)\n")

    def _print_message(self, message: str, file=None) -> None:  # type: ignore[no-untyped-def]
        super()._print_message(escape_controls(message, keep_newlines=True), file)


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high] (DuckDB's BIGINT ends at 2**63 - 1)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high:,}, not {text}")
        return value

    return parse


MAX_INT = 2**63 - 1


def utf8_text(text: str) -> str:
    """An argparse type for text options: argv bytes that were not UTF-8 are refused by name.

    Python decodes argv with the locale's codec and keeps undecodable bytes as surrogates,
    which DuckDB cannot take; bytes that are UTF-8 under an ASCII locale are recovered.
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode(sys.getfilesystemencoding(), "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1]
        raise argparse.ArgumentTypeError(f"not UTF-8 text (byte \\x{bad.hex()})") from None


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $RASD_DB, else rasd.duckdb in the user data dir)",
    )

    parser.add_argument(
        "--harakat",
        choices=HARAKAT_CHOICES,
        default=argparse.SUPPRESS,
        help="Arabic vowel marks: keep (drawn in their letter's cell) or strip "
        "(default: $RASD_HARAKAT, else `harakat` in config.toml, else keep)",
    )


HARAKAT_CHOICES = ("keep", "strip")


def harakat_choice(args: argparse.Namespace) -> Harakat:
    """--harakat, else RASD_HARAKAT, else `harakat = "..."` in config.toml, else keep."""
    chosen = getattr(args, "harakat", None) or os.environ.get("RASD_HARAKAT")
    where = "RASD_HARAKAT"
    if not chosen:
        path = user_config_path("rasd") / "config.toml"
        where = str(path)
        try:
            present = path.is_file()
        except OSError:  # a config directory we may not enter (HOME of another user): no config
            present = False
        if present:
            import tomllib  # only when there is a config file

            try:
                chosen = tomllib.loads(path.read_text(encoding="utf-8")).get("harakat")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise CommandError(f"{shown(where)}: {shown(exc)}") from exc
    if chosen in (None, ""):
        return "keep"
    if chosen == "keep":
        return "keep"
    if chosen == "strip":
        return "strip"
    raise CommandError(f"harakat in {shown(where)} must be keep or strip, not {shown(chosen)}")


def db_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def open_store(args: argparse.Namespace, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database a command should use; the default one is built on first use."""
    from db.store import open_db  # duckdb loads only when a command needs it

    path, is_default = resolve_db_path(db_arg(args))
    try:
        ensure_default_database(path, is_default)
        return open_db(path, read_only=read_only)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def store_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(db_arg(args))[0]


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters of `rasd list`, shared with `rasd export`."""
    parser.add_argument(
        "--region",
        metavar="R",
        type=utf8_text,
        help="admin1 in any spelling (Sikasso, sikasso, سيكاسو), or a district or place name",
    )
    parser.add_argument(
        "--country",
        metavar="C",
        type=utf8_text,
        help="a country by its name (any case, English or Arabic) or ISO 3166 code "
        "(numeric or alpha-3: 466, MLI); "
        "a name that matches nothing is an error with the nearest names",
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        type=_date_from,
        help="from the start of DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        type=_date_to,
        help="to the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    parser.add_argument(
        "--dates",
        metavar="FROM..TO",
        type=_date_range,
        help="as the explorer's d prompt: 2026-01, 2022..2023, ..2025, "
        "2026-01-01..; overrides --from and --to",
    )
    parser.add_argument(
        "--type",
        metavar="T",
        type=utf8_text,
        help="event type or sub-event type, case and spacing ignored",
    )
    parser.add_argument(
        "--actor", metavar="A", type=utf8_text, help="text in any actor or claimant name"
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        type=utf8_text,
        help="words in the incident or its source (Arabic-aware: hamza, harakat, tatweel ignored)",
    )
    add_status_option(parser)


STATUS_CHOICES = {"coded": ("coded",), "proposed": ("proposed",), "all": ("coded", "proposed")}
"""`--status`: rejected incidents are never listed, counted or exported."""


def add_status_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status",
        choices=tuple(STATUS_CHOICES),
        default="coded",
        help="coded (default): confirmed incidents; proposed: incidents an import read from a "
        "report, not yet confirmed; all: both",
    )


def statuses_from_args(args: argparse.Namespace) -> tuple[str, ...]:
    return STATUS_CHOICES[getattr(args, "status", None) or "coded"]


def _date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """The `d` prompt's forms (tui/filters.py), one parser for both."""
    try:
        return parse_date_range(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date_from(text: str) -> dt.date:
    lo = _date_range(text)[0]
    if lo is None:
        raise argparse.ArgumentTypeError(f"no start in {text!r} (use --dates for FROM..TO)")
    return lo


def _date_to(text: str) -> dt.date:
    hi = _date_range(text)[1]
    if hi is None:
        raise argparse.ArgumentTypeError(f"no end in {text!r} (use --dates for FROM..TO)")
    return hi


def filter_from_args(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> Filter:
    if args.search:
        try:
            search_words(args.search)
        except SearchTooLong as exc:
            raise CommandError(f"--search: {search_too_long(exc)}") from exc
    types: tuple[str, ...] = ()
    if args.type:
        types = resolve_event_types(con, args.type)
        if not types:
            types = (args.type,)  # matches nothing; an empty result says so honestly
    date_from, date_to = getattr(args, "dates", None) or (args.date_from, args.date_to)
    country, region = _places(con, getattr(args, "country", None), args.region)
    return Filter(
        country=country,
        region=region,
        date_from=date_from,
        date_to=date_to,
        event_types=types,
        actor=args.actor,
        search=args.search,
        statuses=statuses_from_args(args),
    )


def _places(
    con: duckdb.DuckDBPyConnection, country: str | None, region: str | None
) -> tuple[str | None, str | None]:
    """`--country` resolved; `--region` naming a country means the country. A value that
    matches nothing is an error naming the nearest names, not an empty result."""
    from db.queries import nearest_names, region_matches, resolve_country

    def missing(option: str, text: str) -> CommandError:
        near = nearest_names(con, text)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        return CommandError(f"{option}: nothing is called {shown(text)!r}{hint}")

    resolved = resolve_country(con, country) if country else None
    if country and resolved is None:
        raise missing("--country", country)
    if region:
        as_country = resolve_country(con, region)
        if as_country is not None and resolved in (None, as_country):
            return as_country, None
        if not region_matches(con, region):
            raise missing("--region", region)
    return resolved, region


def add_bidi_option(parser: argparse.ArgumentParser, default_help: str) -> None:
    parser.add_argument(
        "--bidi",
        choices=BIDI_MODES,
        default=None,
        help=f"app: rasd shapes and orders Arabic; terminal: the terminal does it. {default_help}",
    )


def bidi_mode(args: argparse.Namespace, stream_is_tty: bool) -> BidiMode:
    """`--bidi`, else RASD_BIDI, else app on a terminal and logical text to pipes and files."""
    chosen = getattr(args, "bidi", None) or os.environ.get("RASD_BIDI")
    if chosen:
        if chosen not in BIDI_MODES:
            raise CommandError(f"RASD_BIDI must be one of {', '.join(BIDI_MODES)}, not {chosen!r}")
        return "app" if chosen == "app" else "terminal"
    return "app" if stream_is_tty else "logical"


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
