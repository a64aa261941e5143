"""The console entry point: Textual's frame rate and the collector held until the first paint."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import collector, startup


def _max_fps(env: dict[str, str]) -> int:
    code = (
        "import tui.startup as s; s.configure_runtime(); "
        "import sys, textual.constants as c, textual.screen as sc; "
        "print(c.MAX_FPS, round(1 / sc.UPDATE_PERIOD), sys.getswitchinterval())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    fps, period, switch = out.stdout.split()
    assert fps == period  # the screen's update timer follows it
    assert float(switch) == startup.SWITCH_INTERVAL
    return int(fps)


def test_rasd_paints_at_120_frames_unless_the_user_says_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    assert _max_fps(env) == 120
    assert _max_fps({**env, "TEXTUAL_FPS": "30"}) == 30


def test_collector_is_held_then_frozen_and_released(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "_held", False)
    threshold = gc.get_threshold()
    assert gc.isenabled()
    collector.hold_collector()
    try:
        assert not gc.isenabled()
        collector.release_collector()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # start-up's objects no longer walked by full passes
        assert gc.get_threshold() == (collector.YOUNG_GENERATION, *threshold[1:])
        collector.release_collector()  # idempotent
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()


def test_collector_left_alone_when_already_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that turned collection off itself keeps it off, with its own thresholds."""
    monkeypatch.setattr(collector, "_held", False)
    threshold = gc.get_threshold()
    gc.disable()
    try:
        collector.hold_collector()
        collector.release_collector()
        assert not gc.isenabled()
        assert gc.get_threshold() == threshold
    finally:
        gc.enable()


def test_commands_other_than_the_explorer_run_with_the_collector_on(seed_db: Path) -> None:
    code = (
        "import gc, sys, tui.startup as s, tui.commands.info as info\n"
        "real = info.run\n"
        "def run(args):\n"
        "    print('collector', gc.isenabled(), flush=True)\n"
        "    return real(args)\n"
        "info.run = run\n"
        "sys.argv = ['rasd', 'info', '--db', sys.argv[1]]\n"
        "sys.exit(s.main())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(seed_db)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr
    assert "collector True" in out.stdout


def test_what_start_up_loads_is_frozen_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session's long-lived loads (the palette's gazetteer, first pages) leave full
    collections once they are in; only where rasd's start-up tuned the collector (the app's
    own tests run many apps in one process: freezing there would keep their garbage)."""
    for name, value in (("_held", False), ("_tuned", False), ("_loaded_frozen", False)):
        monkeypatch.setattr(collector, name, value)
    threshold = gc.get_threshold()
    before = gc.get_freeze_count()
    try:
        collector.freeze_loaded()
        assert gc.get_freeze_count() == before  # not tuned: nothing frozen
        collector.hold_collector()
        collector.release_collector()
        frozen = gc.get_freeze_count()
        loaded = [[n] for n in range(1000)]
        collector.freeze_loaded()
        assert gc.get_freeze_count() >= frozen + len(loaded)
        after = gc.get_freeze_count()
        later = [[n] for n in range(1000)]
        collector.freeze_loaded()  # once per process: a reload does not freeze again
        assert gc.get_freeze_count() == after and later
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()
