"""rasd's speed and memory against their floors: `python -m tui.bench [--sizes 15k,1m,10m]`.

For each size it builds (once, cached in --workdir) a database from ../shared/bench/make_events.py
and measures, in one run:
- from a real pty, read by a terminal emulator (tui/bench_terminal.py): the time to the first
  screen showing chronology rows and their count, with the first-screen cache and without it,
  interleaved with a minimal Textual app (the floor); then one scripted session of rasd timing
  key to screen for page down, G, sort, Enter on a country and on a region, the map, its zoom
  key and searches (first page, count, every pane), beside the minimal app's key to screen;
  peak RSS (VmHWM) through that session, searches included;
- in-process latency from key to repaint (Pilot) for the same interactions, each beside the raw
  DuckDB query it needs (the floor).
Figures are printed as a table with ratios. Needs numpy, pyarrow and pyte
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.match_summary import forget_summaries
from db.pager import IncidentPager
from db.queries import Filter, counts_over_time, region_children
from db.sort_index import SORT_KEYS, Sort, SortedPager
from tui import bench_terminal as term
from tui.collector import hold_collector
from tui.startup import configure_runtime

if TYPE_CHECKING:
    from textual.widgets.tree import TreeNode

SIZES = {"15k": 15_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
MAKE_EVENTS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_events.py"
SEARCH_WORDS = ("كمين", "menaka")
REPEATS = 12
MAP_RUNS = 5
"""Fresh sessions timing the map's first showing (`4`), beside the scripted session's one."""


@dataclass(frozen=True)
class Figure:
    name: str
    ui_ms: list[float]
    raw_ms: list[float]
    raw_query: str

    @staticmethod
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def row(self) -> str:
        ui, raw = self.p95(self.ui_ms), statistics.median(self.raw_ms)
        ratio = ui / raw if raw > 0 else float("inf")
        return (
            f"  {self.name:<22} {ui:8.1f} ms p95  {statistics.median(self.ui_ms):8.1f} ms med"
            f"   raw {raw:8.1f} ms   x{ratio:5.1f}   {self.raw_query}"
        )


def build(size: str, workdir: Path) -> Path:
    """The benchmark database for `size`, generated and built once."""
    from db.bench_data import build_from_events

    rows = SIZES[size]
    db = workdir / f"events-{size}.duckdb"
    if db.exists():
        refresh_derived(db)
        return db
    parquet = workdir / f"events-{size}.parquet"
    if not parquet.exists():
        print(f"generating {rows:,} events…", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(MAKE_EVENTS),
                "--rows",
                str(rows),
                "--out",
                str(parquet),
                "--format",
                "parquet",
            ],
            check=True,
        )
    print(f"building {db.name}…", flush=True)
    started = time.perf_counter()
    build_from_events(parquet, db)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def refresh_derived(db: Path) -> None:
    """A database built by an older rasd gets the indexes it lacks (the sort index, say), as an
    import would give it: the benchmark times today's code, not a scan an index now avoids."""
    import duckdb

    from db.seed import build_missing_derived
    from db.store import WRITE_MEMORY_LIMIT, configure

    con = duckdb.connect(str(db))
    try:
        configure(con, WRITE_MEMORY_LIMIT)
        started = time.perf_counter()
        built = build_missing_derived(con)
        if built:
            con.execute("CHECKPOINT")
            print(
                f"  {db.name}: built {', '.join(built)} in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    finally:
        con.close()


def compile_bytecode() -> None:
    """An install compiles bytecode; a checkout may hold stale .pyc files (or none, with
    PYTHONDONTWRITEBYTECODE), and compiling at start-up is not what users pay."""
    root = Path(__file__).resolve().parents[1]
    for package in ("tui", "db"):
        compileall.compile_dir(root / package, quiet=1)


def rasd_argv(db: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "rasd"), "--db", str(db)]


@dataclass(frozen=True)
class FirstScreens:
    cached: list[float]
    uncached: list[float]
    minimal: list[float]


def first_screens(db: Path, runs: int) -> FirstScreens:
    """Spawn to rows and count on screen: rasd with its first-screen cache, rasd without it (the
    cache moved aside), and the minimal app, interleaved so that machine noise hits all alike."""
    from db.first_screen import cache_path

    cache = cache_path(db)
    aside = cache.with_name(cache.name + ".bench-aside")
    cached, uncached, minimal = [], [], []
    for _ in range(runs):
        minimal.append(term.minimal_start_ms())
        cached.append(term.first_screen_ms(rasd_argv(db)))
        cache.replace(aside)
        try:
            uncached.append(term.first_screen_ms(rasd_argv(db)))
        finally:
            aside.replace(cache)  # the one it may have written goes: the same as the one kept
    return FirstScreens(cached, uncached, minimal)


def terminal_plan(db: Path) -> term.Plan:
    """The session's choices: the tree's first countries and the first one's regions."""
    from db.store import open_db

    con = open_db(db)
    try:
        roots = region_children(con, Filter(), ())[:6]
        regions = region_children(con, Filter(), roots[0].path)[:REPEATS]
    finally:
        con.close()
    return term.Plan([c.incidents for c in roots], [c.incidents for c in regions], SEARCH_WORDS)


def timed(fn: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def map_floors(con, region: tuple[str, ...]) -> dict[str, tuple[list[float], str]]:  # noqa: ANN001
    """The map's queries: one view's counts per key, extent and counts per filter."""
    from db.geo import fit
    from db.map_queries import filter_extent, map_counts

    extent = filter_extent(con, Filter())
    assert extent is not None
    view = fit(extent, 116, 32)
    views = [view.zoomed(0.6), view.panned(10, 0), view.zoomed(1.6), view.panned(-10, 0)]
    turn = [0]

    def key() -> None:
        turn[0] += 1
        map_counts(con, Filter(), views[turn[0] % len(views)])

    def region_filter() -> None:
        f = Filter(country=region[0], admin1=region[1])
        box = filter_extent(con, f)
        map_counts(con, f, fit(box or extent, 116, 32))

    return {
        "map: zoom / pan key": (timed(key), "map_counts(view) per dot"),
        "map: region filter": (timed(region_filter), "filter_extent + map_counts"),
    }


def raw_floors(db: Path) -> dict[str, tuple[list[float], str]]:
    """The DuckDB work behind each interaction, timed on its own connection."""
    from db.store import open_db

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

    def country() -> None:
        p = IncidentPager(con, Filter(country=mali[0]))
        p.prepare()
        p.window(0, 128)

    def search_head() -> None:
        IncidentPager(con, Filter(search=SEARCH_WORDS[0])).head(128)

    def search_count() -> None:
        forget_summaries(con)  # the first scan, not the shared summary it leaves
        IncidentPager(con, Filter(search=SEARCH_WORDS[0])).prepare()

    def search_panes() -> None:
        forget_summaries(con)
        f = Filter(search=SEARCH_WORDS[0])
        IncidentPager(con, f).prepare()
        counts_over_time(con, f)
        region_children(con, f, ())

    sorted_pager = SortedPager(con, Filter(), Sort("fatalities"))
    sorted_total = sorted_pager.prepare()
    sorted_depth = [sorted_total // 3]

    def sort_by(key: str) -> None:
        p = SortedPager(con, Filter(), Sort(key))  # type: ignore[arg-type]
        p.prepare()
        p.window(0, 128)

    def sorted_page() -> None:
        sorted_depth[0] += 37
        sorted_pager.window(sorted_depth[0], 128)

    sorts = {
        f"sort by {key}": (
            timed(partial(sort_by, key), 5),
            "SortedPager prepare() + window(0, 128)",
        )
        for key in SORT_KEYS
        if key != "date"
    }
    sorts["sort by date"] = (
        timed(lambda: IncidentPager(con, Filter()).window(0, 128), 5),
        "pager.window(0, 128)",
    )
    sorts["sorted: page down"] = (timed(sorted_page), "SortedPager.window(offset, 128), fatalities")
    out = {
        **sorts,
        "page down": (timed(page), "pager.window(offset, 128)"),
        "jump to end": (timed(lambda: pager.window(total - 128, 128)), "pager.window(last 128)"),
        "expand a region": (
            timed(lambda: region_children(con, Filter(), mali)),
            "region_children(country)",
        ),
        "apply a region filter": (timed(filtered), "prepare() + window(0, 128)"),
        "apply a country filter": (timed(country), "prepare() + window(0, 128)"),
        "search: first page": (timed(search_head, 5), "pager.head(128) with search"),
        **map_floors(con, region),
        "search: full count": (timed(search_count, 3), "pager.prepare() with search"),
        "search: every pane": (timed(search_panes, 2), "the same + counts over time + by region"),
    }
    con.close()
    return out


def sorted_on(chronology: Any, key: str, counted: Callable[[], bool]) -> bool:
    return bool(chronology.sort_key == key and counted())


def has_children(node: TreeNode[Any]) -> bool:
    return bool(node.children)


async def ui_latencies(db: Path) -> dict[str, list[float]]:
    """Key to repaint on the real explorer, run headless in this process.

    A key event is posted the way the terminal driver posts it; the clock stops at the first
    screen update (compositor render) after the data the key asked for has arrived.
    """
    from textual import events

    from tui.app import RasdApp
    from tui.widgets.chronology import ChronologyView
    from tui.widgets.regions import RegionsTree

    hold_collector()  # as `rasd` does: released (and start-up frozen) after the first paint
    app = RasdApp(db)
    out: dict[str, list[float]] = {}
    paints: list[float] = []
    async with app.run_test(size=(120, 40)):
        original = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None:
                paints.append(time.perf_counter())
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        chronology = app.query_one(ChronologyView)
        tree = app.query_one(RegionsTree)

        def idle() -> bool:
            return not any(w.is_running for w in app.workers)

        async def until(
            done: Callable[[], bool], timeout: float = 120.0, wait_idle: bool = True
        ) -> float:
            """When the screen showed the result: the paint after `done()` (and no query) held.

            A paint may land between the state change and this poll noticing it; then the
            latest paint before the poll is the one that showed it.
            """
            start = time.perf_counter()
            deadline = start + timeout
            while time.perf_counter() < deadline:
                if done() and (idle() or not wait_idle):
                    seen = time.perf_counter()
                    while time.perf_counter() < seen + 0.05:
                        later = [t for t in paints if t > seen]
                        if later:
                            return later[0]
                        await asyncio.sleep(0.001)
                    earlier = [t for t in paints if start <= t <= seen]
                    return earlier[-1] if earlier else seen
                await asyncio.sleep(0.001)
            raise RuntimeError("the explorer did not settle")

        async def key(name: str, done: Callable[[], bool]) -> float:
            start = time.perf_counter()
            app.post_message(events.Key(name, None))
            return (await until(done) - start) * 1000

        async def act(
            action: Callable[[], object], done: Callable[[], bool], wait_idle: bool = True
        ) -> float:
            start = time.perf_counter()
            action()
            return (await until(done, wait_idle=wait_idle) - start) * 1000

        counted = lambda: chronology.total is not None and chronology.current is not None  # noqa: E731
        await until(lambda: counted() and bool(tree.root.children))
        chronology.focus()
        await asyncio.sleep(0.05)
        rows = lambda: chronology.current is not None  # noqa: E731
        out["page down"] = [await key("pagedown", rows) for _ in range(REPEATS)]
        ends = []
        for _ in range(REPEATS // 2):
            ends.append(await key("G", rows))
            ends.append(await key("g", rows))
        out["jump to end"] = ends
        country = tree.root.children[0]
        country.expand()
        await until(lambda: bool(country.children))
        regions = [n for n in country.children if n.allow_expand][:REPEATS]
        out["expand a region"] = [
            await act(node.expand, partial(has_children, node)) for node in regions
        ]
        filters = []
        for node in regions:
            assert node.data is not None
            path = node.data.path
            message = RegionsTree.Chosen(path)
            shown = lambda p=path: chronology.filter.admin1 == p[1] and counted()  # noqa: E731
            # the list repainted with the region's incidents (its counts over time may follow)
            filters.append(await act(partial(app.post_message, message), shown, False))
        out["apply a region filter"] = filters
        await until(lambda: True)
        app.filter = Filter()
        await until(counted)
        chronology.focus()
        sorted_by: dict[str, list[float]] = {}
        cycle = SORT_KEYS[1:] + SORT_KEYS[:1]  # `s`: fatalities, type, actor, region, date
        for _ in range(3):
            for wanted in cycle:
                done = partial(sorted_on, chronology, wanted, counted)
                sorted_by.setdefault(f"sort by {wanted}", []).append(await key("s", done))
        await key("s", partial(sorted_on, chronology, "fatalities", counted))
        sorted_by["sorted: page down"] = [await key("pagedown", rows) for _ in range(REPEATS)]
        for wanted in cycle[1:]:
            await key("s", partial(sorted_on, chronology, wanted, counted))
        out.update(sorted_by)
        heads, counts, panes = [], [], []
        for word in SEARCH_WORDS * 3:
            app.filter = Filter()
            await until(counted)
            forget_summaries(app.store.cursor())  # each round pays its scan, as a new search does
            start = time.perf_counter()
            app.filter = replace(Filter(), search=word)
            await asyncio.sleep(0)
            first = lambda: rows() or chronology.total == 0  # noqa: E731
            heads.append((await until(first, wait_idle=False) - start) * 1000)
            counts.append((await until(counted, wait_idle=False) - start) * 1000)
            panes.append((await until(counted) - start) * 1000)
        out["search: first page"] = heads
        out["search: full count"] = counts
        out["search: every pane"] = panes
        out.update(await map_latencies(app, until, regions, counted))
    return out


async def map_latencies(app, until, regions, counted) -> dict[str, list[float]]:  # noqa: ANN001
    """Key or filter to the map repainted with its counts (the cursor's line may follow)."""
    from textual import events

    from tui.widgets.map import MapView
    from tui.widgets.regions import RegionsTree

    view = app.query_one(MapView)
    app.filter = Filter()
    await until(counted)
    app.post_message(events.Key("4", "4"))

    def drawn() -> bool:
        return view.counts is not None and view.counted_generation == view.generation

    await until(drawn)
    keys = []
    for name in ("plus", "L", "minus", "H") * (REPEATS // 4):
        start = time.perf_counter()
        app.post_message(events.Key(name, None))
        await asyncio.sleep(0)
        keys.append((await until(drawn, wait_idle=False) - start) * 1000)
    filters = []
    for node in regions:
        path = node.data.path
        start = time.perf_counter()
        app.post_message(RegionsTree.Chosen(path))
        await asyncio.sleep(0)

        def shown(p: tuple[str, ...] = path) -> bool:
            f = view.counted_filter
            return drawn() and f is not None and f.admin1 == p[1]

        filters.append((await until(shown, wait_idle=False) - start) * 1000)
        await until(lambda: True)
    return {"map: zoom / pan key": keys, "map: region filter": filters}


TERMINAL_VS = {
    # terminal row -> (in-process row, raw query row)
    "page down": ("page down", "page down"),
    "jump to end (G)": ("jump to end", "jump to end"),
    "sort (r)": (None, None),
    "sort by fatalities (s)": ("sort by fatalities", "sort by fatalities"),
    "sort by type (s)": ("sort by type", "sort by type"),
    "sort by actor (s)": ("sort by actor", "sort by actor"),
    "sort by region (s)": ("sort by region", "sort by region"),
    "sort by date (s)": ("sort by date", "sort by date"),
    "sorted by fatalities: page down": ("sorted: page down", "sorted: page down"),
    "Enter on a country": (None, "apply a country filter"),
    "Enter on a region": ("apply a region filter", "apply a region filter"),
    "map (4)": (None, None),  # first showings: the session's, then MAP_RUNS fresh ones
    "map: zoom key": ("map: zoom / pan key", "map: zoom / pan key"),
    "search: first page": ("search: first page", "search: first page"),
    "search: count": ("search: full count", "search: full count"),
    "search: every pane": ("search: every pane", "search: every pane"),
}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ms(values: list[float] | None, p95: bool = True) -> str:
    if not values:
        return "–"
    if p95:
        return f"{Figure.p95(values):.0f} / {statistics.median(values):.0f}"
    return f"{statistics.median(values):.1f}"


def run_size(size: str, workdir: Path, paint_runs: int) -> None:
    db = build(size, workdir)
    gigabytes = db.stat().st_size / 1e9
    print(
        f"\n== {size}: {SIZES[size]:,} incidents ({gigabytes:.2f} GB); "
        f"load average {load_average()} ==",
        flush=True,
    )
    compile_bytecode()
    plan = terminal_plan(db)
    minimal_keys = term.minimal_keys(REPEATS)
    session = term.scripted_session(rasd_argv(db), plan, REPEATS)  # writes the cache if none
    screens = first_screens(db, paint_runs)
    first_maps = [term.map_first_showing_ms(rasd_argv(db)) for _ in range(MAP_RUNS)]
    session.keys["map (4)"] = session.keys.get("map (4)", []) + first_maps
    floor = statistics.median(screens.minimal)
    cached, uncached = statistics.median(screens.cached), statistics.median(screens.uncached)
    print(
        f"  first screen (rows and count), median of {paint_runs}: rasd {cached:.0f} ms "
        f"(x{cached / floor:.2f} the minimal app's {floor:.0f} ms; target <= 1.5); "
        f"without the first-screen cache {uncached:.0f} ms (x{uncached / floor:.2f})"
    )
    floors = raw_floors(db)
    ui = asyncio.run(ui_latencies(db))
    key_floor = statistics.median(minimal_keys)
    print(
        f"  key to screen from the terminal, ms p95 / median (target < 100 ms p95); the minimal "
        f"app's key to screen: {key_floor:.1f} ms median"
    )
    print(
        f"  {'':32} {'terminal':>13} {'n':>3} {'x minimal':>9}  {'in-process':>12}  "
        f"{'raw query':>9}"
    )
    for name, values in session.keys.items():
        inproc, raw = TERMINAL_VS.get(name, (None, None))
        raw_ms = statistics.median(floors[raw][0]) if raw in floors else None
        ratio = Figure.p95(values) / key_floor
        print(
            f"  {name:<32} {ms(values):>13} {len(values):>3} {ratio:>8.1f}x  "
            f"{ms(ui.get(inproc) if inproc else None):>12}  "
            f"{(f'{raw_ms:.1f}' if raw_ms is not None else '–'):>9}"
        )
    for name, values in ui.items():
        if name not in {v[0] for v in TERMINAL_VS.values()}:
            print(f"  {name:<32} {'–':>13} {'':>3} {'':>9}  {ms(values):>12}")
    peak = max(m.peak_kb for _, m in session.memory)
    after_paint = session.memory[0][1].peak_kb
    searched = [m.peak_kb for n, m in session.memory if n.startswith("search")]
    print(
        f"  peak RSS (VmHWM) through the session: {peak / 1024:.0f} MB (after the first screen "
        f"{after_paint / 1024:.0f} MB, after the first search {searched[0] / 1024:.0f} MB; "
        f"resident at the end {session.memory[-1][1].resident_kb / 1024:.0f} MB; target < 400 MB)"
    )
    feed = session.feed_ms
    print(
        f"  harness: the emulator parses a chunk in {statistics.median(feed):.1f} ms median, "
        f"{max(feed):.1f} ms max, on its own thread's clock (not in the figures); "
        f"load average now {load_average()}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench", description=__doc__)
    parser.add_argument(
        "--sizes", default="15k,1m,10m", help=f"comma-separated, from {', '.join(SIZES)}"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rasd-bench"))
    parser.add_argument("--paint-runs", type=int, default=7)
    args = parser.parse_args(argv)
    configure_runtime()  # as `rasd` does, before this process imports Textual
    args.workdir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        run_size(size.strip(), args.workdir, args.paint_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
