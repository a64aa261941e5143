"""`kill -9` of the coder at any moment leaves both databases consistent: every save is either
all there or absent, the coding file opens, the lock is free, nothing is left beside them."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from db.coding import CodingStore, read_revisions
from db.paths import coding_path
from db.queries import Filter, count_incidents
from db.store import coding_lock_path, open_db

CODER = r"""
import sys
from pathlib import Path
from db.coding import CodingStore
db = Path(sys.argv[1])
with CodingStore.open(db, user="killed") as store:
    seed = [r["event_id"] for r in store.incidents("mali-weekly-2026-01-24")]
    n = 0
    while True:
        n += 1
        kind = n % 4
        if kind == 0:
            new = store.save({"event_date": "2026-01-20", "event_type": "Battles",
                              "country": "Mali", "fatalities": n})
        elif kind == 1:
            store.save({"fatalities": n}, seed[n % len(seed)])
        elif kind == 2:
            store.merge(seed[n % len(seed)], seed[(n + 1) % len(seed)], {"notes": f"m{n}"})
        else:
            store.undo()
        print(n, flush=True)
"""
KILLS = 8


def _changes_are_whole(db: Path) -> None:
    """A merge writes two revisions at one moment: never one without the other."""
    revisions = read_revisions(db)
    merges: dict[object, int] = {}
    for rev in revisions:
        if rev["action"] == "merge":
            merges[rev["coded_at"]] = merges.get(rev["coded_at"], 0) + 1
    assert all(n == 2 for n in merges.values()), merges
    seen: dict[str, list[int]] = {}
    for rev in revisions:
        seen.setdefault(rev["event_id"], []).append(rev["revision"])
    assert all(r == list(range(1, len(r) + 1)) for r in seen.values())  # no gap, no repeat


def test_kill_9_at_any_moment_leaves_both_databases_consistent(coded_db: Path) -> None:
    rng = random.Random(4)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    main_before = coded_db.stat()
    lock = coding_lock_path(Path(os.path.realpath(coded_db)))
    for _ in range(KILLS):
        coder = subprocess.Popen(
            [sys.executable, "-c", CODER, str(coded_db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        assert coder.stdout is not None
        for _ in range(rng.randint(1, 6)):  # some saves done, then die inside a later one
            assert coder.stdout.readline(), coder.stderr.read() if coder.stderr else ""
        time.sleep(rng.uniform(0, 0.25))
        os.kill(coder.pid, signal.SIGKILL)
        coder.wait()
        coder.stdout.close()
        if coder.stderr is not None:
            coder.stderr.close()
        deadline = time.monotonic() + 10
        while lock.exists() and time.monotonic() < deadline:  # the watcher clears it at once
            time.sleep(0.02)
        with CodingStore.open(coded_db, user="next") as store:  # opens, the lock taken over
            assert store.incidents("mali-weekly-2026-01-24")
        _changes_are_whole(coded_db)
        con = open_db(coded_db)  # a reader sees a consistent overlay
        assert count_incidents(con, Filter(statuses=("coded",))) > 0
        con.close()
    names = sorted(p.name for p in coded_db.parent.iterdir())
    assert names == sorted([coded_db.name, coding_path(coded_db).name]), names
    after = coded_db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (main_before.st_ino, main_before.st_mtime_ns)
    assert len(read_revisions(coded_db)) > 0
