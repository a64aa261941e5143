"""Benchmark of `rasd import report` on a generated Telegram Desktop export.

    python -m db.bench_reports [N]      # N messages (default 1,000)

Builds a channel export of N short Arabic messages in the register of the seed (weekdays,
places in several spellings, counts in words, claims), about one in four without an incident
and one in five forwarded from another channel, then times `rasd import report` on it (in a
subprocess, as a user runs it) into an empty database, and once more (nothing new).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from db.safe_write import atomic_writer
from db.store import atomic_database

WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
PLACES = [
    "موبتي",
    "سيغو",
    "تمبكتو",
    "غاو",
    "كايس",
    "كاي",
    "نيورو الساحل",
    "سيكاسو",
    "ميناكا",
    "بانكاس",
    "جني",
    "دوينتزا",
    "نارا",
    "كيدال",
]
COUNTS = [
    "ثلاثة جنود",
    "خمسة جنود",
    "جنديين",
    "سبعة مدنيين",
    "عدد من الجنود",
    "عشرات المدنيين",
    "ثلاثة جنود ومدنيان",
    "12 جنديًا",
]
INCIDENTS = [
    "قُتل {count} يوم {weekday} في كمين نصبه مسلحون على طريق {place}.",
    "أعلنت جماعة نصرة الإسلام والمسلمين مسؤوليتها عن هجوم استهدف موقعًا للجيش المالي قرب "
    "{place} يوم {weekday}، وقالت إنها قتلت {count}.",
    "انفجرت عبوة ناسفة يوم {weekday} بمركبة عسكرية قرب مدينة {place}، ما أدى إلى مقتل {count}.",
    "اختطف مسلحون مجهولون {count} من قرية قرب {place} صباح {weekday}.",
    "قصفت مسيرة تابعة للجيش المالي تجمعًا لمسلحين قرب {place} يوم {weekday}.",
    "تبنى تنظيم الدولة الإسلامية في الساحل هجومًا على بلدة {place} يوم {weekday} قتل فيه {count}.",
]
NEWS = [
    "افتتح وزير التعليم مدرسة جديدة في {place} وسط حضور رسمي وشعبي.",
    "ارتفعت أسعار الوقود في {place} هذا الأسبوع بسبب صعوبات الإمداد.",
    "تستمر الاستعدادات لموسم الحصاد في منطقة {place} رغم قلة الأمطار.",
]
CONTEXT = (
    "وتشهد المنطقة منذ أشهر تصاعدًا في الهجمات ضد القوافل والمواقع العسكرية، في ظل "
    "انسحاب عدد من الوحدات من المراكز الريفية وتزايد نشاط الجماعات المسلحة."
)


def make_telegram_export(path: Path, messages: int, seed: int = 1) -> None:
    """A `result.json` of `messages` messages (plus a service message), deterministic."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, 8, 0)
    out: list[dict] = [
        {
            "id": 1,
            "type": "service",
            "date": start.isoformat(),
            "action": "create_channel",
            "title": "رصد الساحل",
        }
    ]
    for i in range(messages):
        when = start + dt.timedelta(hours=2 * i + rng.randint(0, 1))
        fill = {
            "place": rng.choice(PLACES),
            "weekday": rng.choice(WEEKDAYS),
            "count": rng.choice(COUNTS),
        }
        if rng.random() < 0.25:
            body = rng.choice(NEWS).format(**fill)
            entities = False
        else:
            body = rng.choice(INCIDENTS).format(**fill)
            if rng.random() < 0.5:
                body += " " + CONTEXT
            entities = rng.random() >= 0.7
        stamp = f" (الساعة {when.hour:02d}:{when.minute:02d}، رقم {i + 1})"
        text: str | list[object] = body + stamp
        if entities:  # the shape Telegram uses for formatted text
            text = ["عاجل | ", {"type": "bold", "text": body}, " #مالي", stamp]
        message: dict = {
            "id": i + 2,
            "type": "message",
            "date": when.isoformat(),
            "from": "رصد الساحل",
            "text": text,
        }
        if rng.random() < 0.2:
            message["forwarded_from"] = rng.choice(["وكالة الأخبار", "الساحل اليوم"])
        out.append(message)
    doc = {"name": "رصد الساحل", "type": "public_channel", "id": 777, "messages": out}
    with atomic_writer(path, binary=False) as fh:
        fh.write(json.dumps(doc, ensure_ascii=False, indent=1))


def _timed_import(export: Path, db: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (the import and its worker processes) of one import."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "import", "report", str(export), "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def main(argv: list[str]) -> int:
    messages = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory(prefix="rasd-bench-reports-") as work:
        export = Path(work) / "result.json"
        make_telegram_export(export, messages)
        db = Path(work) / "reports.duckdb"
        with atomic_database(db):
            pass
        first, first_cpu, summary = _timed_import(export, db)
        again, again_cpu, _ = _timed_import(export, db)
        size = export.stat().st_size
    print(
        f"{messages:,} messages ({size / 1024:,.0f} KB) on {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}: first import {first:.1f} s ({first_cpu:.1f} s CPU), "
        f"again (nothing new) {again:.1f} s ({again_cpu:.1f} s CPU)"
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
