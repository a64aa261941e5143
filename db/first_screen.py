"""The explorer's first screen, kept beside the database so that it shows before DuckDB loads.

Measured from a terminal, rasd's first frame used to hold "counting…" and an empty list: the
rows came ~400 ms later (importing DuckDB ~150 ms, opening the file, the first page, the count),
3.6x a minimal Textual app at 10M incidents. The default view (no filter, newest first) is what
every start shows, so its first page, count, counts over time and tree roots are written here at
import time (and by the first explorer run that finds none) and read with the standard library
only: the first frame shows them, then live queries replace them.

A cache is never shown for a database it does not describe. It is keyed to the file's identity:
device, inode, size, mtime and ctime (which no `touch`, `cp` or `utime` can set back: any write
to the file moves it), and a hash of DuckDB's headers (rewritten at every checkpoint) and of a few
blocks spread over the file; with a write-ahead log beside the database nothing is trusted, and
the coding database beside it (an analyst's edits, db/coding.py) is keyed by its identity too.
A cache whose key, version or view does not match, or that cannot be read, is ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import paths
from db.queries import Bucket, Filter, IncidentRow, RegionCount
from db.safe_write import atomic_writer, database_files
from db.sort_index import Sort

if TYPE_CHECKING:
    import duckdb

VERSION = 1
ROWS = 128
"""Rows kept: the chronology's first block (tui/widgets/chronology.py BLOCK)."""
HEADER = 3 * 4096
"""DuckDB's main header and its two database headers (block count, meta block, iteration)."""
SAMPLES = 8
SAMPLE = 4096


def companions(db: Path) -> list[Path]:
    """Files whose changes change what the explorer shows: the write-ahead log, the coding
    database (db/coding.py) and the incidents appended beside the file (db/appended.py), each
    with its own log."""
    beside = [paths.coding_path(db), paths.appended_path(db)]
    return [Path(f"{db}.wal"), *(p for b in beside for p in (b, Path(f"{b}.wal")))]


@dataclass(frozen=True)
class FirstScreen:
    """What the default view shows first: its rows, count, counts over time and tree roots."""

    rows: list[IncidentRow]
    total: int
    proposed: int
    series: tuple[Bucket, list[tuple[dt.date, int]]]
    regions: list[RegionCount]
    countries: bool
    """The rows span countries: the chronology shows a Country column."""


SUFFIX = ".first-screen.json"


def cache_path(db: Path) -> Path:
    return db.with_name(f".{db.name}{SUFFIX}")


def is_cache(name: str) -> bool:
    """Whether a file name is a first-screen cache: a file rasd may leave beside a database."""
    return name.startswith(".") and name.endswith(SUFFIX)


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def identity(db: Path) -> str | None:
    """The key of the database's current state, or None when it cannot be told (no cache then)."""
    try:
        with open(db, "rb") as fh:
            st = os.fstat(fh.fileno())
            digest = hashlib.sha256(json.dumps(_stat_key(st)).encode())
            digest.update(fh.read(HEADER))
            for i in range(1, SAMPLES + 1):
                fh.seek((st.st_size * i // (SAMPLES + 1)) // SAMPLE * SAMPLE)
                digest.update(fh.read(SAMPLE))
        for n, path in enumerate(companions(db)):
            try:
                other = os.stat(path)
            except FileNotFoundError:
                digest.update(f"{n}:absent".encode())
                continue
            if n == 0 and other.st_size > 0:
                return None  # changes not yet checkpointed into the file
            digest.update(f"{n}:{_stat_key(other)}".encode())
            with open(path, "rb") as companion:
                digest.update(companion.read(HEADER))
        if st.st_size < HEADER:
            return None
    except OSError:
        return None
    return digest.hexdigest()


def is_default_view(f: Filter, sort: Sort) -> bool:
    return f == Filter() and sort == Sort()


def read(db: Path, f: Filter, sort: Sort) -> tuple[FirstScreen, str] | None:
    """The cached first screen of `db` and its key, if it is of this view and this database."""
    if not is_default_view(f, sort):
        return None
    try:
        data = json.loads(cache_path(db).read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return None
        key = identity(db)
        if key is None or data.get("key") != key:
            return None
        return _decode(data), key
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write(db: Path, screen: FirstScreen, key: str | None) -> bool:
    """Keep `screen`, computed from the database while its key was `key` (taken before reading).

    Nothing is written if the database changed meanwhile, nor where rasd cannot write (a
    read-only directory): the explorer then starts as it did without a cache.
    """
    if key is None or identity(db) != key:
        return False
    text = json.dumps({"version": VERSION, "key": key, **_encode(screen)}, ensure_ascii=False)
    try:
        with atomic_writer(cache_path(db), protect=database_files(db), binary=False) as fh:
            fh.write(text)
    except Exception:  # noqa: BLE001 - a cache never fails what the user asked for
        return False
    return True


def compute(con: duckdb.DuckDBPyConnection) -> FirstScreen:
    """The default view's first screen, queried (at import time)."""
    from db.pager import IncidentPager
    from db.queries import country_names, counts_over_time, proposal_count, region_children

    pager = IncidentPager(con, Filter())
    total = pager.prepare()
    return FirstScreen(
        rows=pager.window(0, ROWS),
        total=total,
        proposed=proposal_count(con, Filter()),
        series=counts_over_time(con, Filter()),
        regions=region_children(con, Filter(), ()),
        countries=len(country_names(con)) > 1,
    )


def write_for(db: Path) -> bool:
    """Compute and keep the first screen of `db` (after an import): best effort."""
    from db.store import open_db

    key = identity(db)
    if key is None:
        return False
    try:
        con = open_db(db, read_only=True)
    except Exception:  # noqa: BLE001 - a cache never fails the import that asked for it
        return False
    try:
        screen = compute(con)
    except Exception:  # noqa: BLE001
        return False
    finally:
        con.close()
    return write(db, screen, key)


def _encode(screen: FirstScreen) -> dict[str, Any]:
    bucket, points = screen.series
    return {
        "rows": [{**asdict(r), "event_date": r.event_date.isoformat()} for r in screen.rows[:ROWS]],
        "total": screen.total,
        "proposed": screen.proposed,
        "series": [bucket, [[d.isoformat(), n] for d, n in points]],
        "regions": [asdict(r) for r in screen.regions],
        "countries": screen.countries,
    }


def _decode(data: dict[str, Any]) -> FirstScreen:
    rows = [
        IncidentRow(**{**r, "event_date": dt.date.fromisoformat(r["event_date"])})
        for r in data["rows"]
    ]
    bucket, points = data["series"]
    if bucket not in ("day", "week", "month", "year"):
        raise ValueError(bucket)
    regions = [RegionCount(**{**r, "path": tuple(r["path"])}) for r in data["regions"]]
    total, proposed = int(data["total"]), int(data["proposed"])
    if len(rows) > total:
        raise ValueError("more rows than the count")
    series = (bucket, [(dt.date.fromisoformat(d), int(n)) for d, n in points])
    return FirstScreen(rows, total, proposed, series, regions, bool(data["countries"]))
