"""`rasd import report`: sources in exactly as received, incidents proposed with their evidence."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.evidence import decode_evidence
from db.seed import seed_document, source_text
from db.store import atomic_database, open_db
from tests.importers.conftest import digest
from tests.importers.conftest import rasd as _rasd

SEED_FILE = "mali-weekly-2026-01-24.ar.txt"
REPORT = "باماكو – 3 فبراير 2026\nقتل ثلاثة جنود ومدنيان يوم الأحد في هجوم على قرية قرب موبتي.\n"
NO_INCIDENT = "باماكو – 3 فبراير 2026\nافتتح وزير التعليم مدرسة جديدة في العاصمة وسط حضور كبير.\n"


def rasd(capsys, *argv: str) -> tuple[int, str, str]:
    code, out, err = _rasd(capsys, *argv)
    return code, out, " ".join(err.split())


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A rasd database without the bundled incidents."""
    path = tmp_path / "empty.duckdb"
    with atomic_database(path):
        pass
    return path


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = open_db(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_the_seed_report_proposes_its_incidents(empty_db: Path, tmp_path: Path, capsys) -> None:
    """Done when: the seed text, imported as new, gives back the hand-coded incidents."""
    report = tmp_path / SEED_FILE
    report.write_text(source_text(SEED_FILE), encoding="utf-8")
    code, out, err = rasd(capsys, "import", "report", str(report), "--db", str(empty_db))
    assert code == 0, err
    assert "9 proposed incidents; published 2026-01-24 (from the dateline)" in out
    ((text, sha, place, published, language),) = _rows(
        empty_db, "SELECT text, sha256, dateline_place, published, language FROM sources"
    )
    (seed_source,) = seed_document()["sources"]
    assert text == source_text(SEED_FILE) and sha == seed_source["sha256"]
    assert (place, published, language) == ("Bamako", dt.date(2026, 1, 24), "ar")
    proposed = _rows(
        empty_db,
        "SELECT span_start, span_end, event_date, admin1, event_type, sub_event_type, "
        "fatalities, claimed_by, status, evidence FROM incidents ORDER BY span_start",
    )
    expected = sorted(seed_document()["incidents"], key=lambda i: i["span_start"])
    assert len(proposed) == len(expected) == 9
    for row, inc in zip(proposed, expected, strict=True):
        start, end, date, admin1, etype, _sub, deaths, claimed, status, evidence = row
        assert status == "proposed"
        assert min(end, inc["span_end"]) > max(start, inc["span_start"]), inc["event_id"]
        assert date.isoformat() == inc["event_date"], inc["event_id"]
        assert admin1 == inc["admin1"], inc["event_id"]
        assert etype == inc["event_type"], inc["event_id"]
        assert claimed == inc["claimed_by"], inc["event_id"]
        # The coder wrote 0 for an abduction whose victims appear alive; the text gives no
        # figure, and the extractor never turns "no figure" into 0.
        assert deaths == inc["fatalities"] or (inc["fatalities"] == 0 and deaths is None)
        fields = decode_evidence(evidence)
        for name in ("event_date", "event_type"):
            assert fields[name].spans and all(start <= a < b <= end for a, b in fields[name].spans)


def test_reimporting_the_same_text_changes_nothing(empty_db: Path, tmp_path: Path, capsys):
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert rasd(capsys, "import", "report", str(report), "--db", str(empty_db))[0] == 0
    before = digest(empty_db)
    copy = tmp_path / "again.md"
    copy.write_text(REPORT, encoding="utf-8")
    code, out, _ = rasd(capsys, "import", "report", str(report), str(copy), "--db", str(empty_db))
    assert code == 0 and "nothing changed" in out and out.count("0 added, 1 already stored") == 2
    assert digest(empty_db) == before


def test_a_report_without_incident_is_a_source_with_zero_proposals(empty_db, tmp_path, capsys):
    report = tmp_path / "school.txt"
    report.write_text(NO_INCIDENT, encoding="utf-8")
    code, out, _ = rasd(capsys, "import", "report", str(report), "--db", str(empty_db))
    assert code == 0
    assert "0 proposed incidents" in out and "no incident in it" in out
    assert _rows(empty_db, "SELECT count(*) FROM sources") == [(1,)]
    assert _rows(empty_db, "SELECT count(*) FROM incidents") == [(0,)]


def test_no_date_anywhere_requires_published(empty_db: Path, tmp_path: Path, capsys) -> None:
    report = tmp_path / "undated.txt"
    report.write_text("قتل ثلاثة جنود في هجوم قرب موبتي.\n", encoding="utf-8")
    before = digest(empty_db)
    code, _, err = rasd(capsys, "import", "report", str(report), "--db", str(empty_db))
    assert code == 1 and str(report) in err and "--published" in err
    assert digest(empty_db) == before
    code, out, _ = rasd(
        capsys,
        "import",
        "report",
        str(report),
        "--db",
        str(empty_db),
        "--published",
        "2026-02-03",
        "--outlet",
        "Sahel Post",
        "--title",
        "Mopti attack",
        "--url",
        "https://example.org/a",
    )
    assert code == 0 and "published 2026-02-03 (from --published)" in out
    assert _rows(empty_db, "SELECT title, outlet, url, published FROM sources") == [
        ("Mopti attack", "Sahel Post", "https://example.org/a", dt.date(2026, 2, 3))
    ]


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        ("cp1256", "converted from Windows-1256"),
        ("utf-16", "converted from UTF-16"),
        ("utf-8-sig", "byte order mark removed"),
    ],
)
def test_encodings_are_converted_and_said(empty_db, tmp_path, capsys, encoding, note) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(REPORT.encode(encoding))
    code, _, err = rasd(capsys, "import", "report", str(report), "--db", str(empty_db))
    assert code == 0 and note in err
    assert _rows(empty_db, "SELECT text, encoding_note FROM sources")[0][0] == REPORT


PAGE = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>هجوم قرب موبتي | صحيفة الساحل</title>
<meta property="og:site_name" content="صحيفة الساحل">
<meta property="og:title" content="هجوم قرب موبتي">
<meta property="article:published_time" content="2026-02-03T09:00:00+00:00">
<link rel="canonical" href="https://example.org/ar/mopti">
<script>var x = "<p>نص برمجي</p>";</script></head>
<body><header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/a">أخبار</a></li></ul></nav>
</header><div class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/x">مباراة كرة القدم</a></li>
</ul></div><main><article><h1>هجوم قرب موبتي</h1>{body}</article></main>
<footer><p>جميع الحقوق محفوظة © 2026 صحيفة الساحل</p></footer></body></html>"""


def test_a_saved_web_page(empty_db: Path, tmp_path: Path, capsys) -> None:
    paragraphs = [line for line in source_text(SEED_FILE).splitlines() if line.strip()][1:6]
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.replace("{body}", "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)),
        encoding="utf-8",
    )
    code, out, err = rasd(capsys, "import", "report", str(page), "--db", str(empty_db))
    assert code == 0, err
    assert "published 2026-02-03 (from the page's metadata)" in out
    ((text, title, outlet, url, fmt),) = _rows(
        empty_db, "SELECT text, title, outlet, url, format FROM sources"
    )
    assert (title, outlet, url, fmt) == (
        "هجوم قرب موبتي",
        "صحيفة الساحل",
        "https://example.org/ar/mopti",
        "html",
    )
    assert all(p.strip() in text for p in paragraphs)
    for boilerplate in ("الرئيسية", "الأكثر قراءة", "جميع الحقوق", "نص برمجي"):
        assert boilerplate not in text


def telegram_export(messages: list[dict]) -> dict:
    return {"name": "قناة الساحل", "type": "public_channel", "id": 1234, "messages": messages}


def test_a_telegram_export_gives_one_source_per_message(empty_db, tmp_path, capsys) -> None:
    messages = [
        {"id": 1, "type": "service", "date": "2026-02-01T08:00:00", "action": "create_channel"},
        {
            "id": 2,
            "type": "message",
            "date": "2026-02-03T10:15:00",
            "from": "قناة الساحل",
            "text": REPORT,
        },
        {
            "id": 3,
            "type": "message",
            "date": "2026-02-04T11:00:00",
            "forwarded_from": "وكالة نواكشوط",
            "text": [
                "عاجل: ",
                {"type": "bold", "text": "قتل خمسة جنود"},
                " يوم الثلاثاء في كمين قرب تمبكتو.",
            ],
        },
        {
            "id": 4,
            "type": "message",
            "date": "2026-02-04T12:00:00",
            "photo": "photos/1.jpg",
            "text": "",
        },
    ]
    export = tmp_path / "result.json"
    export.write_text(json.dumps(telegram_export(messages), ensure_ascii=False), encoding="utf-8")
    code, out, err = rasd(capsys, "import", "report", str(export), "--db", str(empty_db))
    assert code == 0, err
    assert "2 reports, 2 added" in out
    rows = _rows(
        empty_db,
        "SELECT text, outlet, forwarded_from, published, format FROM sources ORDER BY published",
    )
    assert rows == [
        (REPORT, "قناة الساحل", None, dt.date(2026, 2, 3), "telegram"),
        (
            "عاجل: قتل خمسة جنود يوم الثلاثاء في كمين قرب تمبكتو.",
            "قناة الساحل",
            "وكالة نواكشوط",
            dt.date(2026, 2, 4),
            "telegram",
        ),
    ]


TWENTY_MB = 20 << 20
MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]


def _dateline(day: dt.date) -> str:
    return f"باماكو – {day.day} {MONTHS[day.month - 1]} {day.year}\n"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, list[str], str]]:
    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    good = write("good.txt", REPORT)
    truncated = PAGE.replace("{body}", "<p>" + REPORT + "</p>")
    return {
        "empty": (write("empty.txt", b""), [], "empty"),
        "blank": (write("blank.txt", "  \n\n"), [], "empty"),
        "binary": (
            write("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
            [],
            "binary",
        ),
        "20 MB single line": (write("huge.txt", "قتل " * (TWENTY_MB // 8)), [], "too"),
        "truncated HTML": (write("cut.html", truncated[: len(truncated) // 2]), [], "truncated"),
        "telegram wrong shape": (
            write("result.json", '{"name": "x", "messages": {"id": 1}}'),
            [],
            "not a Telegram",
        ),
        "telegram bad text": (
            write(
                "t2.json",
                json.dumps(
                    telegram_export(
                        [{"id": 9, "type": "message", "date": "2026-02-03T10:00:00", "text": 42}]
                    )
                ),
            ),
            [],
            "message 9",
        ),
        "json array": (write("t3.json", "[1, 2]"), [], "not a Telegram"),
        "published in the future": (good, ["--published", "2999-01-01"], "in the future"),
        "published unparseable": (good, ["--published", "24/01/2026"], "is not a date"),
        "dateline in the future": (
            write(
                "future.txt",
                _dateline(dt.date.today() + dt.timedelta(days=40)) + REPORT.split("\n", 1)[1],
            ),
            [],
            "in the future",
        ),
    }


BAD_CASES = [
    "empty",
    "blank",
    "binary",
    "20 MB single line",
    "truncated HTML",
    "telegram wrong shape",
    "telegram bad text",
    "json array",
    "published in the future",
    "published unparseable",
    "dateline in the future",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_one_line_exit_1_database_unchanged(
    db_copy: Path, tmp_path: Path, capsys, case: str
) -> None:
    path, extra, reason = _bad_inputs(tmp_path)[case]
    before = digest(db_copy)
    code, out, err = _rasd(capsys, "import", "report", str(path), *extra, "--db", str(db_copy))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and reason in lines[0] and "database is unchanged" in lines[0]
    assert out == ""
    assert digest(db_copy) == before


def test_a_bad_file_among_good_ones_imports_nothing(db_copy: Path, tmp_path: Path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    before = digest(db_copy)
    code, _, err = rasd(capsys, "import", "report", str(good), str(bad), "--db", str(db_copy))
    assert code == 1 and str(bad) in err
    assert digest(db_copy) == before


def test_proposals_are_listed_only_when_asked(db_copy: Path, tmp_path: Path, capsys) -> None:
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert rasd(capsys, "import", "report", str(report), "--db", str(db_copy))[0] == 0
    code, out, _ = rasd(capsys, "list", "--db", str(db_copy), "--format", "json")
    assert code == 0 and {r["status"] for r in json.loads(out)} == {"coded"}
    code, out, _ = rasd(
        capsys, "list", "--db", str(db_copy), "--format", "json", "--status", "proposed"
    )
    proposed = json.loads(out)
    assert proposed and {r["status"] for r in proposed} == {"proposed"}
    assert all(r["evidence"] and 0 < r["confidence"] <= 1 for r in proposed)
    code, out, _ = rasd(capsys, "show", proposed[0]["event_id"], "--db", str(db_copy))
    assert code == 0 and "status  ? proposed, not confirmed (confidence" in out
    code, out, _ = rasd(
        capsys, "show", proposed[0]["event_id"], "--db", str(db_copy), "--format", "json"
    )
    shown = json.loads(out)
    assert shown["status"] == "proposed" and shown["evidence"]["event_type"]["spans"]
    assert shown["report"]["sha256"] and shown["span_text"] in REPORT


def test_many_reports_are_proposed_in_parallel_exactly_as_one_by_one(tmp_path, monkeypatch):
    import os

    from db.bench_reports import make_telegram_export
    from db.importers import report as report_module
    from db.importers.report import Options, prepare_reports, propose_for

    export = tmp_path / "result.json"
    make_telegram_export(export, 2 * report_module.PARALLEL_FROM + 4)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = prepare_reports([export], Options())
    used = []
    real_pool = __import__("concurrent.futures").futures.ProcessPoolExecutor
    monkeypatch.setattr(
        "concurrent.futures.ProcessPoolExecutor",
        lambda *a, **k: used.append(a) or real_pool(*a, **k),
    )
    propose_for(parallel)
    assert used and used[0][0] == 2  # two processes did the work
    one_by_one = prepare_reports([export], Options())
    monkeypatch.setattr(report_module, "PARALLEL_FROM", 10**6)
    propose_for(one_by_one)
    assert [r.proposals for r in parallel] == [r.proposals for r in one_by_one]
    assert sum(len(r.proposals) for r in parallel) > len(parallel) // 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=400).map(lambda t: t.encode("utf-8")),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda kids: (
                st.lists(kids, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        ["name", "messages", "text", "date", "id", "type", "forwarded_from"]
                    ),
                    kids,
                    max_size=5,
                )
            ),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode("utf-8")),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ".json"]),
)
def test_any_file_is_read_or_refused_with_a_reason(tmp_path_factory, data: bytes, suffix: str):
    """Fuzzed files: reports or ImportFailed naming the file, never another exception."""
    from db.importers.common import ImportFailed
    from db.importers.report_formats import read_report_file

    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    try:
        docs = read_report_file(path)
    except ImportFailed as exc:
        assert str(path) in str(exc) and exc.reason
        return
    for doc in docs:
        assert doc.text.strip() and doc.format in ("text", "markdown", "html", "telegram")
