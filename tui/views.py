"""Named views: a filter and a sort saved under a name, reopened with `rasd --view NAME` or Ctrl+P.

An analyst comes back to the same questions ("Mopti, battles, since 2024, deadliest first"); a
view keeps one. All views live in one JSON file in the config dir (`~/.config/rasd/views.json`),
rewritten whole and atomically (db/safe_write.py) so a crash leaves the old file or the new one.
A damaged file, or a view written by a newer rasd with fields this one does not know, is read
as far as it makes sense and never stops the explorer.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, cast

from platformdirs import user_config_path

from db.queries import Filter
from db.safe_write import atomic_writer
from db.sort_index import SORT_KEYS, Sort

NAME = re.compile(r"^[\w][\w .\-]{0,59}$")
"""A view name: letters (any script), digits, spaces, dots, dashes; 60 characters at most."""

_DATES = ("date_from", "date_to")
_TUPLES = ("event_types", "statuses")


@dataclass(frozen=True, slots=True)
class View:
    """What a view restores: which incidents, in which order."""

    filter: Filter
    sort: Sort = Sort()


def views_path() -> Path:
    return user_config_path("rasd") / "views.json"


def valid_name(name: str) -> bool:
    return bool(NAME.match(name.strip()))


def _filter_json(f: Filter) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields(Filter):
        value = getattr(f, field.name)
        if value == field.default:
            continue
        if field.name in _DATES and value is not None:
            value = value.isoformat()
        elif field.name in _TUPLES and value is not None:
            value = list(value)
        out[field.name] = value
    return out


def _filter_from_json(data: dict[str, Any]) -> Filter:
    f = Filter()
    known = {field.name for field in fields(Filter)}
    for name, value in data.items():
        if name not in known:
            continue  # a newer rasd's field: ignored
        if name in _DATES and value is not None:
            value = dt.date.fromisoformat(str(value))
        elif name in _TUPLES and value is not None:
            value = tuple(str(v) for v in value)
        elif value is not None and not isinstance(value, str):
            continue
        f = replace(f, **{name: value})
    return f


def load_views(path: Path | None = None) -> dict[str, View]:
    """Every saved view by name; a missing or damaged file is no views."""
    try:
        data = json.loads((path or views_path()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, View] = {}
    for name, item in data.items():
        try:
            sort = item.get("sort", {})
            key = sort.get("key", "date")
            order = sort.get("order", "desc")
            out[str(name)] = View(
                _filter_from_json(item.get("filter", {})),
                Sort(
                    key if key in SORT_KEYS else "date",
                    order if order in ("asc", "desc") else "desc",
                ),
            )
        except (AttributeError, TypeError, ValueError):
            continue  # one damaged view does not hide the others
    return out


def save_view(name: str, view: View, path: Path | None = None) -> Path:
    """Add or replace a view; the whole file is written atomically. OSError if it cannot be."""
    if not valid_name(name):
        raise ValueError(f"a view name is letters, digits, spaces, dots and dashes, not {name!r}")
    target = path or views_path()
    views = load_views(target)
    views[name.strip()] = view
    data = {
        n: {
            "filter": _filter_json(v.filter),
            "sort": {"key": v.sort.key, "order": v.sort.order},
        }
        for n, v in sorted(views.items())
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(target, binary=False) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return target


def find_view(name: str, path: Path | None = None) -> View | None:
    return load_views(path).get(name.strip())


def as_sort(key: str, order: str) -> Sort:
    """A Sort from checked strings (the palette's and the CLI's)."""
    return Sort(cast("Any", key), cast("Any", order))
