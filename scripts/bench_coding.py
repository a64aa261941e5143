"""What coding costs readers and the coder: `python scripts/bench_coding.py DB [--coded 1000]`.

DB must be a copy you may write beside (its coding file `DB.coding.duckdb` is created and
removed). Measured in one run, so ratios hold on a loaded machine:
- the explorer's raw query floors (tui.bench.raw_floors) with no coding file, with an empty
  one, and with `--coded` coded incidents (accepted, rejected, dates moved, new, in place);
- the time to open the data (start and Ctrl+R), without and with the coding;
- one save through CodingStore (an edit; the main row already read), median of several.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

from db.coding import CodingStore
from db.paths import coding_path
from db.store import open_db
from tui.bench import raw_floors

QUICK = False
"""--quick: the explorer's cheap interactions only (tui.bench's search floors take minutes)."""


def _floors(db: Path) -> dict[str, float]:
    if QUICK:
        return _quick_floors(db)
    return {name: statistics.median(ms) for name, (ms, _) in raw_floors(db).items()}


def _quick_floors(db: Path) -> dict[str, float]:
    from db.pager import IncidentPager
    from db.queries import Filter, region_children
    from tui.bench import timed

    con = open_db(db)
    pager = IncidentPager(con, Filter())
    total = pager.prepare()
    mali = region_children(con, Filter(), ())[0].path
    region = region_children(con, Filter(), mali)[0].path
    depth = [total // 2]

    def page() -> None:
        depth[0] += 37
        pager.window(depth[0], 128)

    def filtered() -> None:
        p = IncidentPager(con, Filter(country=region[0], admin1=region[1]))
        p.prepare()
        p.window(0, 128)

    def unfiltered() -> None:
        p = IncidentPager(con, Filter())
        p.prepare()
        p.window(0, 128)

    out = {
        "page down": timed(page),
        "jump to end": timed(lambda: pager.window(total - 128, 128)),
        "expand a region": timed(lambda: region_children(con, Filter(), mali)),
        "apply a region filter": timed(filtered),
        "count + first page": timed(unfiltered, 5),
    }
    con.close()
    return {name: statistics.median(ms) for name, ms in out.items()}


def _open_ms(db: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        con = open_db(db)
        times.append((time.perf_counter() - start) * 1000)
        con.close()
    return statistics.median(times)


def _code(db: Path, n: int, rng: random.Random) -> None:
    """n coded incidents written as one change (the bench's set-up, not what it measures)."""
    con = open_db(db, overlay=False)
    total = con.execute("SELECT count(*) FROM incidents").fetchone()[0]  # type: ignore[index]
    picks = sorted(rng.sample(range(total), n))
    rows = con.execute(
        "SELECT event_id FROM incidents WHERE rowid IN (SELECT unnest(?))", [picks]
    ).fetchall()
    con.close()
    with CodingStore.open(db, user="bench") as store:
        base = store._rows(
            "event_id IN (SELECT unnest(?))", [[r[0] for r in rows]]
        )  # one scan for all
        changes = []
        for i, row in enumerate(base):
            row = dict(row)
            kind = i % 10
            if kind < 6:
                row["notes"] = (row["notes"] or "") + " (checked)"
                action = "edit"
            elif kind < 8:
                row["event_date"] = row["event_date"].replace(
                    day=min(row["event_date"].day, 27) + 1
                )
                action = "edit"
            elif kind < 9:
                row["status"] = "rejected"
                action = "reject"
            else:
                row["event_id"] = f"BENCH-C{i:05d}"
                action = "create"
            changes.append((row, action))
        store._write(changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--coded", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="the cheap interactions only")
    args = parser.parse_args()
    global QUICK
    QUICK = args.quick
    coding = coding_path(args.db)
    if coding.exists():
        coding.unlink()
    print(f"load average {os.getloadavg()}", flush=True)
    plain_open = _open_ms(args.db)
    plain = _floors(args.db)
    print(f"plain: open {plain_open:.0f} ms, floors {plain}", flush=True)
    with CodingStore.open(args.db, user="bench"):
        pass  # an empty coding file
    empty_open = _open_ms(args.db)
    empty = _floors(args.db)
    print(f"empty coding: open {empty_open:.0f} ms, floors {empty}", flush=True)
    start = time.perf_counter()
    _code(args.db, args.coded, random.Random(3))
    print(
        f"writing {args.coded} coded incidents in one change: {time.perf_counter() - start:.2f} s",
        flush=True,
    )
    coded_open = _open_ms(args.db)
    coded = _floors(args.db)
    print(f"{args.coded} coded: open {coded_open:.0f} ms, floors {coded}", flush=True)
    with CodingStore.open(args.db, user="bench") as store:
        con = open_db(args.db, overlay=False)
        ids = [
            r[0]
            for r in con.execute("SELECT event_id FROM incidents LIMIT ?", [args.saves]).fetchall()
        ]
        con.close()
        store._rows("event_id IN (SELECT unnest(?))", [ids])  # as the screen has them already
        saves = []
        for i, event_id in enumerate(ids):
            start = time.perf_counter()
            # the bench's generated coordinates lie outside their countries: validation refuses
            store.save({"fatalities": i, "latitude": None, "longitude": None}, event_id)
            saves.append((time.perf_counter() - start) * 1000)
    print(f"load average {os.getloadavg()}")
    print(
        f"open (start, Ctrl+R): plain {plain_open:.0f} ms, empty coding {empty_open:.0f} ms, "
        f"{args.coded} coded {coded_open:.0f} ms"
    )
    print(f"one save: median {statistics.median(saves):.0f} ms, max {max(saves):.0f} ms")
    print(f"{'floor':<24} {'plain':>9} {'empty':>9} {'x':>5} {'coded':>9} {'x':>5}")
    for name in plain:
        print(
            f"{name:<24} {plain[name]:7.1f}ms {empty[name]:7.1f}ms {empty[name] / plain[name]:5.2f}"
            f" {coded[name]:7.1f}ms {coded[name] / plain[name]:5.2f}"
        )
    coding.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
