"""`rasd gazetteer`: the places the report extractor knows, and adding other countries."""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from tui.commands.common import CommandError
from tui.text.sanitize import sanitize

EXIT_BAD_INPUT = 1


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "gazetteer",
        parents=[common],
        help="places known to the report extractor",
        description="The gazetteer `rasd import report` resolves place names with: Mali is "
        "packaged (GeoNames, CC BY 4.0); add other countries from their GeoNames dumps.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[common],
        help="add a country from its GeoNames dump (XX.txt or XX.zip)",
        description="Add one country's GeoNames dump (download XX.zip from GeoNames' "
        "export/dump page; GeoNames data is CC BY 4.0). Populated places and administrative "
        "units are kept; adding a country again replaces it.",
    )
    add.add_argument("file", metavar="FILE", type=Path)
    add.set_defaults(handler=run_add)
    show = actions.add_parser("list", parents=[common], help="the packaged and added countries")
    show.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from db.extract.gazetteer import user_gazetteer_dir
    from db.extract.gazetteer_build import add_dump

    path: Path = args.file
    shown = sanitize(str(path))
    if not path.is_file():
        raise CommandError(f"{shown}: not a file", EXIT_BAD_INPUT)
    try:
        out, count, code = add_dump(path, user_gazetteer_dir())
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(
            f"{shown}: not a GeoNames country dump ({sanitize(str(exc))})", EXIT_BAD_INPUT
        ) from exc
    except OSError as exc:
        raise CommandError(
            f"{shown}: {sanitize(exc.strerror or str(exc))}", EXIT_BAD_INPUT
        ) from exc
    print(f"added {count} places for {sanitize(code)} to {sanitize(str(out))}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from importlib import resources

    from db.extract.gazetteer import user_files

    packaged = resources.files("db") / "data" / "gazetteer-ML.tsv.gz"
    print(f"ML  {_count(packaged.read_bytes()):>7} places  packaged (GeoNames, CC BY 4.0)")
    for path in user_files():
        try:
            n = _count(path.read_bytes())
        except (OSError, EOFError, UnicodeDecodeError):
            print(f"{sanitize(path.name[:2])}  unreadable      {sanitize(str(path))}")
            continue
        print(f"{sanitize(path.name[:2])}  {n:>7} places  {sanitize(str(path))}")
    return 0


def _count(data: bytes) -> int:
    return max(0, gzip.decompress(data).count(b"\n") - 1)
