"""Opening, creating and migrating rasd's DuckDB file.

Reading commands open the file read-only so that several rasd processes (several SSH users) can
browse one database at once. The default database is built atomically on first run: into a
temporary file beside the target, then renamed, so a crash never leaves half a database behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import duckdb

from db.paths import (  # noqa: F401  (re-exported)
    StoreError,
    check_database_file,
    default_db_path,
    resolve_db_path,
)
from db.rows import scalar
from db.safe_write import UnsafeTarget, atomic_path, remove_stale

SCHEMA_VERSION = 2
"""The schema version this rasd writes; older files are migrated, newer ones refused."""

MEMORY_LIMIT = "128MB"
"""For reading: DuckDB otherwise takes up to 80 % of RAM and keeps it. What it keeps under the
limit is a cache of blocks the OS page cache holds anyway: a search at 10M peaked at 635 MB of
RSS under 512 MB, 379 MB under 256 MB and 248 MB under 128 MB, equally fast (README,
Performance); the explorer's queries group into a few thousand rows or read 128-row windows."""

IMPORT_MEMORY_LIMIT = "768MB"
"""DuckDB spills to a temp directory beyond this: a 1 GB file imports in bounded memory."""

WRITE_MEMORY_LIMIT = "4GB"
"""For imports and builds: re-ordering 10 million wide rows ran out of memory at 512 MB."""

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def _to_version_2(con: duckdb.DuckDBPyConnection) -> None:
    """Proposals and report provenance: every existing incident was coded by a person.

    Columns are added in place (cheap at ten million rows); the status CHECK of schema.sql comes
    with the next import, which rebuilds the table from the DDL. The region index gains status.
    """
    con.execute("ALTER TABLE incidents ADD COLUMN status VARCHAR DEFAULT 'coded'")
    con.execute("ALTER TABLE incidents ALTER COLUMN status SET NOT NULL")
    con.execute("ALTER TABLE incidents ADD COLUMN confidence DOUBLE")
    con.execute("ALTER TABLE incidents ADD COLUMN evidence VARCHAR")
    for column, kind in (
        ("url", "VARCHAR"),
        ("format", "VARCHAR"),
        ("forwarded_from", "VARCHAR"),
        ("encoding_note", "VARCHAR"),
        ("file_name", "VARCHAR"),
        ("imported_at", "TIMESTAMP"),
    ):
        con.execute(f"ALTER TABLE sources ADD COLUMN {column} {kind}")
    from db.region_index import build_region_index, region_index_is_current

    if region_index_is_current(con):
        build_region_index(con)


MIGRATIONS: dict[int, Migration] = {1: _to_version_2}
"""from_version -> step that brings a database to from_version + 1 (within one transaction)."""


def schema_sql() -> str:
    return (resources.files("db") / "schema.sql").read_text(encoding="utf-8")


def table_ddl(name: str, table: str, if_not_exists: bool = False) -> str:
    """A table's DDL from schema.sql under another name, constraints and all."""
    text = schema_sql()
    head = f"CREATE TABLE IF NOT EXISTS {name} ("
    start = text.index(head)
    end = text.index(");", start) + 2
    create = "CREATE TABLE IF NOT EXISTS" if if_not_exists else "CREATE TABLE"
    return f"{create} {table} (" + text[start + len(head) : end]


def incidents_ddl(table: str) -> str:
    """The incidents table's DDL from schema.sql under another name, constraints and all."""
    return table_ddl("incidents", table)


_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", re.S)


@functools.cache
def expected_columns() -> dict[str, dict[str, str]]:
    """Each table of schema.sql with its columns and their DuckDB types.

    Read from the text (it spells types as DuckDB's DESCRIBE does; a test checks that they
    agree) rather than by building the schema in memory: that cost ~50 ms per process.
    """
    out: dict[str, dict[str, str]] = {}
    for table, body in _TABLE.findall(schema_sql()):
        columns = {}
        for line in body.splitlines():
            words = line.split("--")[0].replace(",", " ").split()
            if len(words) >= 2 and words[0].upper() not in ("PRIMARY", "UNIQUE", "CHECK"):
                columns[words[0]] = words[1]
        out[table] = columns
    return out


def check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file whose tables lack a column of schema.sql or hold it as another type.

    Every query assumes these types (a VARCHAR event_date crashed the explorer); extra
    columns are allowed.
    """
    for table, columns in expected_columns().items():
        try:
            found = {r[0]: r[1] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
        except duckdb.CatalogException:
            raise StoreError(f"{path}: not a rasd database (no table {table})") from None
        for name, kind in columns.items():
            if name not in found:
                raise StoreError(
                    f"{path}: not a rasd database (table {table} has no column {name})"
                )
            if found[name] != kind:
                raise StoreError(
                    f"{path}: not a rasd database ({table}.{name} is "
                    f"{found[name]}, rasd needs {kind})"
                )


def configure(con: duckdb.DuckDBPyConnection, memory_limit: str = MEMORY_LIMIT) -> None:
    """Per-connection settings: bounded memory, no network, quiet."""
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET enable_progress_bar = false")
    with contextlib.suppress(duckdb.Error):
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc).splitlines()[0]
        if "lock" in message.lower():
            holder = _lock_holder(message)
            if read_only:
                raise StoreError(
                    f"{path}: another process{holder} is writing to it (an import?); "
                    "try again when it has finished"
                ) from exc
            raise StoreError(
                f"{path}: open in another process{holder} (an explorer?); close it and try again"
            ) from exc
        raise StoreError(f"{path}: cannot open ({message})") from exc
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise StoreError(f"{path}: damaged or not a rasd database ({message})") from exc
    configure(con, MEMORY_LIMIT if read_only else WRITE_MEMORY_LIMIT)
    return con


def _lock_holder(message: str) -> str:
    match = re.search(r"\(PID (\d+)\)", message)
    return f" (pid {match.group(1)})" if match else ""


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The file's schema version, or None when it is not a rasd database."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return None
    return int(row[0]) if row else None


def _check_version(path: Path, version: int | None) -> None:
    if version is None:
        raise StoreError(f"{path}: a DuckDB file, but not a rasd database (no schema version)")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this rasd understands "
            f"({SCHEMA_VERSION}); upgrade rasd to open it"
        )


def migrate(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Bring an older database up to SCHEMA_VERSION, step by step, all in one transaction."""
    version = schema_version(con)
    _check_version(path, version)
    assert version is not None
    if version == SCHEMA_VERSION:
        check_schema(con, path)
        return version
    before = scalar(con.execute("SELECT count(*) FROM incidents"))
    con.execute("BEGIN TRANSACTION")
    try:
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise StoreError(f"{path}: no migration from schema version {version}")
            step(con)
            version += 1
        after = scalar(con.execute("SELECT count(*) FROM incidents"))
        if after != before:
            raise StoreError(f"{path}: migration would lose incidents ({before} -> {after})")
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
        check_schema(con, path)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return version


def open_db(path: Path, read_only: bool = True, overlay: bool = True) -> duckdb.DuckDBPyConnection:
    """Open an existing rasd database, migrating it first when it is older than this rasd.

    Leftovers of imports killed beside it are removed first (see `remove_leftovers`). Read-only,
    it shows the data with its coding merged in (db/overlay.py) unless `overlay` is False (the
    coder reading the rows as imported: the main file's and those appended beside it).
    """
    check_database_file(path)
    remove_leftovers(path)
    con = _connect(path, read_only=read_only)
    try:
        version = schema_version(con)
        _check_version(path, version)
        if version == SCHEMA_VERSION:
            check_schema(con, path)
    except BaseException:
        con.close()
        raise
    if version != SCHEMA_VERSION:
        con.close()
        writer = _connect(path, read_only=False)
        try:
            migrate(writer, path)
        finally:
            writer.close()
        con = _connect(path, read_only=read_only)
    if read_only:
        from db.overlay import overlaid

        try:
            # without the overlay, still with the rows appended beside it (db/appended.py):
            # they are imported rows, which the coder codes too
            merged = overlaid(path, configure, coding_too=overlay)
        except BaseException:
            con.close()
            raise
        if merged is not None:
            con.close()
            return merged
    return con


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema_sql())
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


@contextlib.contextmanager
def atomic_database(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a new database that appears at `path` only if the block succeeds.

    Written through db.safe_write: refused over a directory, device or read-only file, a
    symlink's target replaced (not the link), the old file's mode and owner kept.
    """
    try:
        with atomic_path(path, create=False, make_parents=True, sidecars=(".wal",)) as tmp:
            con = duckdb.connect(str(tmp))
            configure(con, WRITE_MEMORY_LIMIT)
            con.execute(f"SET temp_directory = '{_sql_literal(str(tmp))}.spill'")
            try:
                create_schema(con)
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
                shutil.rmtree(f"{tmp}.spill", ignore_errors=True)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: could not build database ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise StoreError(f"{path}: could not write database ({exc.strerror})") from exc


def _sql_literal(text: str) -> str:
    return text.replace("'", "''")


@contextlib.contextmanager
def unchanged_on_failure(db_path: Path, what: str = "the database") -> Iterator[None]:
    """A failed write of `what` (the database's private copy, or what is written beside it)
    as one StoreError saying the database is unchanged: a full disk named as such."""
    try:
        yield
    except UnsafeTarget:
        raise
    except OSError as exc:
        raise StoreError(
            f"{db_path}: could not write {what} ({exc.strerror}); the database is unchanged"
        ) from exc
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if "space" in message.lower() or "disk" in message.lower():
            raise StoreError(
                f"{db_path}: disk full during import; the database is unchanged"
            ) from exc
        raise StoreError(
            f"{db_path}: import failed ({message}); the database is unchanged"
        ) from exc


def remove_leftovers(db_path: Path) -> None:
    """Remove what imports killed with SIGKILL left beside the database (best effort).

    Their temporary copies carry the dead pid (db.safe_write); a lock file nobody holds goes too.
    """
    real = Path(os.path.realpath(db_path))
    remove_stale(real.parent)
    for lock in (lock_path(real), coding_lock_path(real)):
        remove_unheld(lock)


def remove_unheld(lock: Path) -> None:
    """Remove a lock file nobody holds (its holder was killed); a held one stays."""
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if _same_inode(fd, lock):
            lock.unlink()
    except OSError:
        pass  # held by a running import or coder, or not ours to remove
    finally:
        os.close(fd)


def lock_path(real: Path) -> Path:
    """The import lock of the database file `real` (symlinks already followed)."""
    return real.with_name(real.name + ".import-lock")


def coding_lock_path(real: Path) -> Path:
    """The lock of the one coder of the database file `real` (db/coding.py)."""
    return real.with_name(real.name + ".coding-lock")


def _same_inode(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    here = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (here.st_dev, here.st_ino)


@contextlib.contextmanager
def import_lock(db_path: Path) -> Iterator[None]:
    """One import at a time per database: a lock file beside it, removed when the import ends."""

    def busy(holder: str) -> StoreError:
        return StoreError(
            f"{db_path}: another import (pid {holder or '?'}) is writing to it; "
            "try again when it has finished"
        )

    real = Path(os.path.realpath(db_path))
    with holder_lock(lock_path(real), str(os.getpid()), busy):
        yield


@contextlib.contextmanager
def holder_lock(path: Path, record: str, busy: Callable[[str], Exception]) -> Iterator[None]:
    """An exclusive lock file holding `record` (who holds it), removed when the block ends.

    The lock is the flock, not the file: a file left by a killed holder is taken over (and
    removed by `remove_leftovers`). Whoever removes it holds the lock while doing so, and a
    taker checks that the file it locked is still the one at the path, else it tries again.
    A second taker gets `busy(record of the holder)` raised.
    """
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot write here ({exc.strerror})") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip()
            os.close(fd)
            raise busy(holder) from exc
        if _same_inode(fd, path):
            break
        os.close(fd)  # removed by its last holder while we waited: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, record.encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
