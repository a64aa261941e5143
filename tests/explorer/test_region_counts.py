"""Every region's count and deaths in the tree, on the real ACLED samples, as the screen shows
them: equal to `rasd info` and to a direct SQL count, at 80, 120 and 200 columns, no digit cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text

from db.queries import RegionCount
from db.store import open_db
from tests.explorer.conftest import screen_text, settle
from tui.app import RasdApp
from tui.cli import main as rasd_main
from tui.text.counts import abbreviate
from tui.widgets.regions import RegionsTree, region_label

COUNTS = re.compile(r"  ([0-9][0-9,.]*[kMG]?)(?: · ([0-9][0-9,.]*[kMG]?)†)?\s*$")


def info_totals(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> dict[tuple[str, ...], tuple[int, int]]:
    """`rasd info`'s country › region lines, keyed as the tree's paths."""
    capsys.readouterr()
    assert rasd_main(["info", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.split("by country › region:")[1].split("\n\n")[0]
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    country = ""
    for line in lines.splitlines()[1:]:
        m = re.match(r"  +([0-9,]+) +([0-9,]+)  (  )?(.+)$", line)
        assert m, line
        n, deaths = int(m[1].replace(",", "")), int(m[2].replace(",", ""))
        if m[3] is None:
            country = m[4]
            out[(country,)] = (n, deaths)
        else:
            out[(country, m[4])] = (n, deaths)
    return out


def sql_totals(db: Path) -> dict[tuple[str, ...], tuple[int, int]]:
    con = open_db(db)
    try:
        countries = con.execute(
            "SELECT country, count(*), coalesce(sum(fatalities), 0) FROM incidents GROUP BY 1"
        ).fetchall()
        regions = con.execute(
            "SELECT country, admin1, count(*), coalesce(sum(fatalities), 0) FROM incidents "
            "WHERE admin1 IS NOT NULL GROUP BY 1, 2"
        ).fetchall()
    finally:
        con.close()
    out: dict[tuple[str, ...], tuple[int, int]] = {(c,): (n, d) for c, n, d in countries}
    out.update({(c, a): (n, d) for c, a, n, d in regions})
    return out


def shown_number(text: str | None, value: int) -> bool:
    """The screen's number is the value, whole or honestly abbreviated."""
    if text is None:
        return value == 0
    return text == f"{value:,}" or text == abbreviate(value)


def open_lines(tree: RegionsTree) -> list[RegionCount]:
    """The tree's lines in screen order (root first: it has no count)."""
    out: list[RegionCount] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if node.data is not None and node.data.count is not None:
            out.append(node.data.count)
        if node.is_expanded:
            for child in node.children:
                walk(child)

    walk(tree.root)
    return out


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_every_region_count_is_shown_whole(
    acled_db: Path, width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    info = info_totals(acled_db, capsys)
    sql = sql_totals(acled_db)
    app = RasdApp(acled_db)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        tree = app.query_one(RegionsTree)
        for country in list(tree.root.children):
            country.expand()
        await settle(pilot, app)
        lines = open_lines(tree)
        assert len([c for c in lines if len(c.path) == 1]) > 60
        seen = set()
        for top in range(0, len(lines) + 1, tree.scrollable_content_region.height):
            tree.scroll_to(y=top, animate=False)
            await settle(pilot, app, rounds=3)
            region = tree.content_region
            rows = screen_text(app).splitlines()[region.y : region.bottom]
            for y, row in enumerate(rows):
                index = tree.scroll_offset.y + y - 1  # line 0 is "All incidents"
                if not 0 <= index < len(lines):
                    continue
                count = lines[index]
                cell = row[region.x : region.right]
                m = COUNTS.search(cell.rstrip("▁▇▆▅▄▃▂ ▊▋▌▍▎▏█│┃"))
                assert m, (width, count.path, cell)
                assert shown_number(m[1], count.incidents), (width, count.path, cell)
                assert shown_number(m[2], count.fatalities), (width, count.path, cell)
                if "…" not in cell and not m[1][-1].isalpha():
                    assert count.name in cell or count.unknown, cell
                seen.add(index)
                key = count.path
                if count.unknown or len(key) > 2:
                    continue
                assert info[key] == sql[key] == (count.incidents, count.fatalities), key
        assert seen == set(range(len(lines)))
        assert set(sql) <= {c.path for c in lines}


def test_a_label_in_little_room_keeps_its_counts() -> None:
    count = RegionCount(("Mali", "Gao"), "Gao", "غاو", 938, 2445)
    assert region_label(count, "app").plain.endswith("  938 · 2,445†")
    for room in range(8, 30):
        plain = region_label(count, "app", room).plain
        assert Text(plain).cell_len <= room or plain.startswith("…  "), (room, plain)
        m = COUNTS.search(plain)
        assert m and shown_number(m[1], 938) and shown_number(m[2], 2445), (room, plain)
    long = RegionCount(
        ("Democratic Republic of Congo",), "Democratic Republic of Congo", None, 1234, 56789
    )
    plain = region_label(long, "app", 24).plain
    assert "…" in plain and plain.endswith("  1.2k · 56k†"), plain


async def test_z_zooms_regions_and_source_to_the_full_width(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for key, pane in (("1", "#regions-pane"), ("3", "#source-pane"), ("2", "#chronology-pane")):
            await pilot.press(key)
            normal = app.query_one(pane).size.width
            await pilot.press("z")
            await settle(pilot, app, rounds=3)
            zoomed = app.query_one(pane).size.width
            assert zoomed >= 118 and zoomed > normal, (pane, zoomed)  # Textual keeps 1 cell
            await pilot.press("z")
            await settle(pilot, app, rounds=3)
            assert app.query_one(pane).size.width == normal, pane


async def test_a_kept_label_is_not_styled_by_the_lines_drawn_from_it(db_copy: Path) -> None:
    """Labels are kept per node and room (drawn twice a repaint): the cursor's style on one line
    must not stay on the label once the cursor has moved."""
    from rich.style import Style

    app = RasdApp(db_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        tree = app.query_one(RegionsTree)
        node = tree.root.children[0]
        assert node.data is not None and node.data.count is not None
        cursor = Style(reverse=True, bold=True)
        drawn = tree.render_label(node, Style(), cursor)
        assert any(span.style == cursor for span in drawn.spans)
        again = tree.render_label(node, Style(), Style())
        assert not any(span.style == cursor for span in again.spans)
        kept = region_label(node.data.count, tree.bidi_mode)
        assert not any(span.style == cursor for span in kept.spans)


def test_info_groups_the_thousands_as_every_other_count(
    acled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`incidents:  13318` beside `13,318` in the tree and the titles read as another number."""
    capsys.readouterr()
    assert rasd_main(["info", "--db", str(acled_db)]) == 0
    out = capsys.readouterr().out
    assert "incidents:  13,318 (coded)" in out and "status:     13,318 coded, 0 proposed" in out
    by_type = out.split("by event type:")[1].split()
    assert by_type[0].replace(",", "").isdigit() and "," in by_type[0]  # the commonest, in 1,000s
