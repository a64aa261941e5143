"""Card values and titles: wrapped with their paragraph's levels, cut at their logical end."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
from rich.cells import cell_len

from tests.explorer.conftest import settle
from tui.app import RasdApp
from tui.cli import main
from tui.text.layout import display_block, fit_inline, isolate, wrap_value
from tui.widgets.rtl_view import RtlView
from tui.widgets.source import SourcePane, card_items, card_rows

TITLE = (
    "نشرة أمنية أسبوعية عن الأوضاع في مالي: هجمات جماعة نصرة الإسلام والمسلمين في منطقة "
    "سيكاسو وكايس ونيورو وتمبكتو وغاو وموبتي خلال الأسبوع الأخير من يناير 2026 بحسب مصادر "
    "محلية وأمنية متعددة في المنطقة الشمالية"
)
assert len(TITLE) >= 200


def read_rtl(rows: list[str]) -> list[str]:
    """The words of right-to-left rows in reading order (each row read right to left)."""
    words: list[str] = []
    for row in rows:
        for word in reversed(row.split()):
            words.append(word if word.isdigit() else unicodedata.normalize("NFKC", word[::-1]))
    return words


def test_a_200_character_title_wraps_in_reading_order_at_width_40() -> None:
    rows = wrap_value(TITLE, 40)
    assert len(rows) > 4
    assert all(cell_len(row) == 40 for row in rows)
    assert read_rtl(rows) == TITLE.split()


def test_a_short_value_is_one_row_without_padding() -> None:
    assert wrap_value("Bamako", 40) == ["Bamako"]
    assert len(wrap_value("باماكو", 40)) == 1 and cell_len(wrap_value("باماكو", 40)[0]) == 6


def test_isolated_pieces_keep_their_order_and_their_direction() -> None:
    value = isolate("Nossombougou") + " " + isolate("نوسومبوغو") + "  (" + isolate("Mali") + ")"
    (row,) = wrap_value(value, 80)
    assert row.startswith("Nossombougou ") and row.endswith("  (Mali)")
    assert isolate("a\u2069b\u2066") == "\u2068ab\u2069"  # the data cannot close ours


def test_fit_inline_cuts_at_the_logical_end_with_an_ellipsis() -> None:
    shown = fit_inline(TITLE, 30)
    assert cell_len(shown) <= 30 and shown.startswith("…")  # the logical end is drawn at the left
    assert read_rtl([shown.lstrip("…")]) == TITLE.split()[: len(shown.split())]
    assert fit_inline("A long English title about things", 20) == "A long English…"
    assert fit_inline("short", 20) == "short"


def _with_title(db: Path, title: str) -> None:
    con = duckdb.connect(str(db))
    con.execute("UPDATE sources SET title = ?", [title])
    con.close()


def test_rasd_show_wraps_the_title_in_order_with_a_hanging_indent(db_copy: Path, capsys) -> None:
    _with_title(db_copy, TITLE)
    assert (
        main(
            ["show", "RASD-ML-20260124-05", "--db", str(db_copy), "--bidi", "app", "--width", "40"]
        )
        == 0
    )
    lines = capsys.readouterr().out.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("      report  "))
    rows = [lines[first][14:]]
    for line in lines[first + 1 :]:
        if not line.startswith(" " * 14) or not line.strip():
            break
        rows.append(line[14:])
    assert len(rows) > 5
    assert all(cell_len(line) <= 40 for line in lines)
    assert read_rtl(rows) == TITLE.split()


async def test_source_card_and_border_title_read_in_order(db_copy: Path) -> None:
    _with_title(db_copy, TITLE)
    app = RasdApp(db_copy)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        pane = app.query_one(SourcePane)
        report = app.query_one("#report", RtlView)
        width = report.content_width
        assert pane.shown is not None
        rendered = card_rows(card_items(pane.shown.incident), "app", width).plain.split("\n")
        start = next(i for i, row in enumerate(rendered) if row.startswith("     report "))
        rows = [rendered[start][12:]]
        for row in rendered[start + 1 :]:
            if not row.startswith(" " * 12):
                break
            rows.append(row[12:])
        assert all(cell_len(r) <= width for r in rendered)
        assert read_rtl(rows) == TITLE.split()
        title = str(pane.border_title)
        assert title.startswith("Source [3] · …")
        assert cell_len(title) <= pane.size.width - 4
        shown = read_rtl([title.removeprefix("Source [3] · …")])
        assert shown == TITLE.split()[: len(shown)] and len(shown) >= 3


def test_toast_text_with_arabic_is_wrapped_then_ordered() -> None:
    block = display_block(TITLE, 40)
    rows = block.split("\n")
    assert len(rows) > 4 and all(cell_len(r) <= 40 for r in rows)
    assert read_rtl(rows) == TITLE.split()
    assert display_block("no event type matches 'x'\x1b[2J", 40) == "no event type matches 'x'"
    assert display_block(TITLE, 40, "terminal") == TITLE


async def test_a_toast_with_arabic_reads_in_order(db_copy: Path) -> None:
    app = RasdApp(db_copy)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot, app)
        app.notify(TITLE)
        for _ in range(20):
            await pilot.pause(0.05)
            if app.screen.query("Toast"):
                break
        toast = app.screen.query("Toast").last()
        rows = [r.strip("▌ ") for r in str(toast.render()).split("\n")]
        rows = [r for r in rows if r]
        assert read_rtl(rows) == TITLE.split()
