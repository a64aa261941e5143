"""Machine formats on stdout: data as stored to pipes and files, controls visible on a terminal.

`rasd list --format csv` passed a field's OSC 2 to the terminal (it retitled the window) and
JSON kept C1 controls raw; on a terminal they are escaped, elsewhere nothing changes.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import Any

from tui.text.sanitize import escape_controls, json_for_terminal


def write_json(value: Any, tty: bool) -> None:
    """JSON to stdout; on a terminal the controls json leaves raw are escaped (same data)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    sys.stdout.write((json_for_terminal(text) if tty else text) + "\n")


def write_csv(header: list[str], rows: Iterable[list[Any]], tty: bool) -> None:
    """CSV to stdout: data as it is to a pipe or file; controls made visible on a terminal."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    if not tty:
        writer.writerow(header)
        writer.writerows(rows)
        return
    writer.writerow([escape_controls(h) for h in header])
    for row in rows:
        writer.writerow([escape_controls(v) if isinstance(v, str) else v for v in row])
