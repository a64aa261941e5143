"""Files rasd writes: only what was asked, where it was asked, never over what it reads.

Each case is one of issue 11's "data destroyed or changed behind the user's back": refused in
one line with exit status 2 before anything changes, or written atomically with the target's
mode and owner kept.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from db.first_screen import is_cache
from db.importers.common import writable_copy
from db.paths import appended_path, coding_path
from db.queries import one_row
from tests.importers.conftest import digest, rasd, table
from tests.importers.test_bad_input import csv_text, row
from tests.reliability.fs import remount_read_only, tmpfs

MIXED = csv_text(row("MLI9001"), row("MLI9002", fatalities="-1"), row("MLI9003"))
"""Two good rows and one that --skip-invalid rejects (so a rejects file is written)."""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def refused(code: int, err: str, *words: str) -> None:
    assert code == 2, (code, err)
    assert err.startswith("rasd: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def only(directory: Path, *names: str) -> None:
    """Nothing but `names` in `directory`: no lock file, no temporary copy, no spill (a
    finished import leaves the explorer's first-screen cache: db/first_screen.py)."""
    assert sorted(n for n in os.listdir(directory) if not is_cache(n)) == sorted(names)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "mixed.csv"
    path.parent.mkdir()
    path.write_text(MIXED, encoding="utf-8")
    return path


def test_rejects_at_the_database_is_refused(db_copy: Path, mixed: Path, capsys) -> None:
    before = digest(db_copy)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(db_copy),
    )
    refused(code, err, "is the database")
    assert digest(db_copy) == before
    only(db_copy.parent, db_copy.name, "in")


def test_rejects_at_the_input_is_refused(db_copy: Path, mixed: Path, capsys) -> None:
    before = digest(db_copy)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(mixed),
    )
    refused(code, err, "is an input file")
    assert mixed.read_text(encoding="utf-8") == MIXED
    assert digest(db_copy) == before
    only(db_copy.parent, db_copy.name, "in")


def test_database_as_input_is_refused(db_copy: Path, capsys) -> None:
    before = digest(db_copy)
    code, _, err = rasd(capsys, "import", "incidents", str(db_copy), "--db", str(db_copy))
    refused(code, err, "is an input file")
    assert digest(db_copy) == before


@pytest.mark.parametrize("where", ["missing dir", "a directory"])
def test_bad_rejects_path_is_refused_before_the_import(
    db_copy: Path, mixed: Path, capsys, where: str
) -> None:
    target = db_copy.parent / ("no/such/dir/r.csv" if where == "missing dir" else "in")
    before = digest(db_copy)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(target),
    )
    refused(code, err, str(target))
    assert digest(db_copy) == before
    only(db_copy.parent, db_copy.name, "in")


def test_default_rejects_in_a_read_only_cwd_is_refused_before_the_import(
    db_copy: Path, mixed: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(db_copy)
    with tmpfs(db_copy.parent / "ro", "1m") as mnt:
        remount_read_only(mnt)
        monkeypatch.chdir(mnt)
        code, _, err = rasd(
            capsys, "import", "acled", str(mixed), "--db", str(db_copy), "--skip-invalid"
        )
        monkeypatch.chdir(db_copy.parent)
    refused(code, err, "mixed.csv.rejects.csv", "read-only")
    assert digest(db_copy) == before


def test_rejects_are_written_atomically_with_the_umask_mode(
    db_copy: Path, mixed: Path, capsys
) -> None:
    out = db_copy.parent / "r.csv"
    old = os.umask(0o022)
    try:
        code, stdout, err = rasd(
            capsys,
            "import",
            "acled",
            str(mixed),
            "--db",
            str(db_copy),
            "--skip-invalid",
            "--rejects",
            str(out),
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert "invalid fatalities" in out.read_text(encoding="utf-8")
    assert mode(out) == 0o644
    only(db_copy.parent, db_copy.name, "in", "r.csv")


def test_export_over_the_database_is_refused(db_copy: Path, capsys) -> None:
    before = digest(db_copy)
    link = db_copy.parent / "link.csv"
    link.symlink_to(db_copy)
    for out in (db_copy, link):
        code, _, err = rasd(capsys, "export", str(out), "--db", str(db_copy))
        refused(code, err, "is the database")
    assert digest(db_copy) == before
    only(db_copy.parent, db_copy.name, "link.csv")


def test_export_over_the_files_beside_the_database_is_refused(db_copy: Path, capsys) -> None:
    """The coding and the incidents imported beside a large database are the database too."""
    for beside, what in ((coding_path(db_copy), "coding"), (appended_path(db_copy), "beside")):
        beside.write_bytes(b"kept")
        code, _, err = rasd(capsys, "export", str(beside), "--db", str(db_copy))
        refused(code, err, what)
        assert beside.read_bytes() == b"kept"
        beside.unlink()


def test_export_to_a_device_is_refused(db_copy: Path, capsys) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    full = db_copy.parent / "full"  # a private /dev/full: the real one must never be at risk
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    code, _, err = rasd(capsys, "export", str(full), "--db", str(db_copy))
    refused(code, err, "device")
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_export_to_a_fifo_is_refused(db_copy: Path, capsys) -> None:
    fifo = db_copy.parent / "pipe"
    os.mkfifo(fifo)
    code, _, err = rasd(capsys, "export", str(fifo), "--db", str(db_copy))
    refused(code, err, "FIFO")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("name", ["out.csv", "out.geojson", "out.parquet"])
def test_export_gets_the_umask_mode_and_keeps_an_existing_one(
    db_copy: Path, capsys, name: str
) -> None:
    out = db_copy.parent / name
    old = os.umask(0o022)
    try:
        code, _, err = rasd(capsys, "export", str(out), "--db", str(db_copy))
        assert code == 0, err
        assert mode(out) == 0o644
        out.chmod(0o640)
        code, _, err = rasd(capsys, "export", str(out), "--db", str(db_copy))
        assert code == 0, err
        assert mode(out) == 0o640
    finally:
        os.umask(old)
    only(db_copy.parent, db_copy.name, name)


def test_import_into_a_symlinked_database_updates_its_target(
    db_copy: Path, mixed: Path, capsys
) -> None:
    link = db_copy.parent / "in" / "link.duckdb"
    link.symlink_to(db_copy)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(link),
        "--skip-invalid",
        "--rejects",
        str(db_copy.parent / "r.csv"),
    )
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(db_copy)
    assert {"MLI9001", "MLI9003"} <= {r[0] for r in table(db_copy)}
    only(db_copy.parent, db_copy.name, "in", "r.csv")
    only(link.parent, "link.duckdb", "mixed.csv")


def test_import_into_a_read_only_database_is_refused(db_copy: Path, mixed: Path, capsys) -> None:
    db_copy.chmod(0o444)
    before = digest(db_copy)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(db_copy.parent / "r.csv"),
    )
    refused(code, err, "read-only")
    assert digest(db_copy) == before and mode(db_copy) == 0o444
    only(db_copy.parent, db_copy.name, "in")  # a refused import leaves no lock file


def test_import_keeps_the_database_mode_and_owner(db_copy: Path, mixed: Path, capsys) -> None:
    db_copy.chmod(0o644)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(db_copy, *owner)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(db_copy.parent / "r.csv"),
    )
    assert code == 0, err
    st = db_copy.stat()
    assert stat.S_IMODE(st.st_mode) == 0o644
    assert (st.st_uid, st.st_gid) == owner
    only(db_copy.parent, db_copy.name, "in", "r.csv")  # the lock file went with the import


def test_new_database_gets_the_umask_mode(tmp_path: Path, mixed: Path, capsys) -> None:
    db = tmp_path / "new.duckdb"
    old = os.umask(0o022)
    try:
        code, _, err = rasd(
            capsys,
            "import",
            "acled",
            str(mixed),
            "--db",
            str(db),
            "--skip-invalid",
            "--rejects",
            str(tmp_path / "r.csv"),
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert mode(db) == 0o644


def test_two_imports_in_one_directory_share_no_temporary_name(tmp_path: Path) -> None:
    """Each import's copy and DuckDB spill directory are its own (not one `.rasd-tmp`)."""
    with writable_copy(tmp_path / "a.duckdb", create=True) as a:
        with writable_copy(tmp_path / "b.duckdb", create=True) as b:
            spill_a = one_row(a.execute("SELECT current_setting('temp_directory')"))[0]
            spill_b = one_row(b.execute("SELECT current_setting('temp_directory')"))[0]
            assert spill_a != spill_b
            assert Path(spill_a).parent == Path(spill_b).parent == tmp_path
            assert Path(spill_a).name.startswith(".a.duckdb.rasd-")
            a.execute("CREATE TEMP TABLE t AS SELECT range AS x FROM range(10)")
        assert Path(spill_a).name.startswith(".a.duckdb.rasd-")
        # b finished first: a's spill directory name is still its own to use
        assert one_row(a.execute("SELECT count(*) FROM t"))[0] == 10
    only(tmp_path, "a.duckdb", "b.duckdb")


def test_the_next_start_removes_a_dead_imports_lock_but_not_a_held_one(db_copy: Path) -> None:
    from db.store import import_lock, open_db

    lock = db_copy.with_name(db_copy.name + ".import-lock")
    lock.write_text("999999999")  # a killed import's: nobody holds it
    open_db(db_copy).close()
    only(db_copy.parent, db_copy.name)
    with import_lock(db_copy):
        open_db(db_copy).close()
        assert lock.exists()
    only(db_copy.parent, db_copy.name)


def test_one_rejects_file_keeps_the_rejects_of_every_file(
    db_copy: Path, mixed: Path, capsys
) -> None:
    other = mixed.with_name("other.csv")
    other.write_text(csv_text(row("MLI9101", fatalities="x"), row("MLI9102")), encoding="utf-8")
    out = db_copy.parent / "r.csv"
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        str(other),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(out),
    )
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        files = [r["file"] for r in csv.DictReader(fh)]
    assert files == [
        str(mixed),
        str(other),
    ]  # the second file's rejects did not replace the first's


def test_an_ordering_that_does_not_fit_is_retried_under_the_build_limit(
    db_copy: Path, mixed: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last resort for a sort that outgrows the import limit on a huge database."""
    import duckdb

    import db.importers.common as common

    limits: list[str] = []
    real_order = common.order_incidents

    def order(
        con: duckdb.DuckDBPyConnection,
        rows_sql: str = "SELECT * FROM incidents",
        search_text: str = "s.search_text",
    ) -> None:
        limits.append(one_row(con.execute("SELECT current_setting('memory_limit')"))[0])
        if len(limits) == 1:
            raise duckdb.OutOfMemoryException("could not allocate block")
        real_order(con, rows_sql, search_text)

    monkeypatch.setattr(common, "order_incidents", order)
    code, _, err = rasd(
        capsys,
        "import",
        "acled",
        str(mixed),
        "--db",
        str(db_copy),
        "--skip-invalid",
        "--rejects",
        str(db_copy.parent / "r.csv"),
    )
    assert code == 0, err
    assert limits == ["732.4 MiB", "3.7 GiB"]  # IMPORT_MEMORY_LIMIT, then WRITE_MEMORY_LIMIT
    assert "needed more than 768MB: done again under 4GB" in err  # said, not silent
    assert {"MLI9001", "MLI9003"} <= {r[0] for r in table(db_copy)}
