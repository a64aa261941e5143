"""What every import shares: checking the input file, a safe writable copy, upsert and summary.

An import never writes into the database file itself. It copies the file, imports into the copy
in one transaction, and renames the copy over the original only when everything succeeded: a
bad row, a full disk or a killed process leave the original exactly as it was, and explorers
that have the old file open keep reading it until they reload (Ctrl+R). A lock file next to the
database keeps two imports from racing.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import csv
import gzip
import os
import shutil
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from db.appended import generation, remove_stale
from db.columns import INCIDENT_COLUMNS, SEARCHED_COLUMNS
from db.folding import fold_sql
from db.importers.appending import append, fold_into, is_appending, place_incoming
from db.paths import StoreError, check_database_file, utf8_name_problem
from db.places import canonical_admin1, region_search_terms
from db.rows import one_row, scalar
from db.safe_write import (
    PathLike,
    atomic_path,
    check_target,
    database_files,
    temp_name,
)
from db.seed import order_incidents
from db.store import (  # noqa: F401  (import_lock, remove_leftovers re-exported)
    IMPORT_MEMORY_LIMIT,
    WRITE_MEMORY_LIMIT,
    configure,
    create_schema,
    import_lock,
    migrate,
    remove_leftovers,
    unchanged_on_failure,
)
from db.wording import plural

SNIFF_BYTES = 1 << 16
CSV_ERRORS = {
    "TOO FEW COLUMNS": "too few fields",
    "MISSING COLUMNS": "too few fields",
    "TOO MANY COLUMNS": "too many fields",
    "UNQUOTED VALUE": "bad quoting",
    "LINE SIZE OVER MAXIMUM": "line too long",
    "INVALID UNICODE": "invalid text encoding",
}
"""DuckDB's CSV error types, in the words of the one-line messages."""
CHUNK = 1 << 20


class ImportFailed(Exception):
    """A file that cannot be imported: names the file, the line (when known) and the reason."""

    def __init__(self, file: Path | str, reason: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Reject:
    line: int | None
    reason: str
    raw: str = ""


StepFn = Callable[[str, float], None]
"""Told each phase of a file's import: its label and the share of the file's work done before it."""

PHASES: dict[str, tuple[str, float]] = {
    "read": ("reading", 0.0),
    "stage": ("checking rows", 0.11),
    "merge": ("merging", 0.22),
    "order": ("ordering by date, indexing for search", 0.32),
    "append": ("placing beside the file", 0.32),
}
"""Where each phase starts, as a share of the work. Measured on 1M ACLED-like rows (26.8 s into
a new database: checking at 0.12, merging 0.29, ordering 0.30; 42.0 s into a database of 1M
others: 0.10, 0.19, 0.34). The ordering used to start at 0.53, measured before imports into a
new database wrote their rows sorted once: the bar then spent its last half on 70% of the
time. "append" is the ordering's alternative, beside a large file (db/appended.py).
"""


def no_step(label: str, done: float) -> None:
    """The default: nobody is watching."""


def phase_end(done: float) -> float:
    """Where the phase starting at `done` ends."""
    return min((start for _, start in PHASES.values() if start > done), default=1.0)


@dataclass(slots=True)
class ImportSummary:
    file: str
    step: StepFn = no_step
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def reasons(self) -> Counter[str]:
        return Counter(r.reason.split(":")[0] for r in self.rejects)

    def phase(self, name: str) -> None:
        label, done = PHASES[name]
        self.step(label, done)


def track_progress(con: duckdb.DuckDBPyConnection) -> None:
    """Let `con.query_progress()` report on running statements (DuckDB prints nothing)."""
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")


# ---- the input file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvInput:
    """A CSV that DuckDB can read as UTF-8 (a converted copy in the workdir when it was not)."""

    path: Path
    compression: str
    note: str | None = None


def _open_bytes(path: Path, gz: bool):
    return gzip.open(path, "rb") if gz else path.open("rb")


GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
"""What Python's gzip raises on a truncated or corrupt .gz (beside OSError)."""


def check_input_file(path: Path) -> None:
    """Refuse what is not a regular file before reading it: a FIFO would block for ever."""
    if problem := utf8_name_problem(path):
        raise ImportFailed(path, problem)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ImportFailed(path, "no such file") from None
    except OSError as exc:
        raise ImportFailed(path, f"cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise ImportFailed(path, "is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise ImportFailed(path, f"is {kind}, not a regular file")


def sniff_csv(path: Path, workdir: Path) -> CsvInput:
    """Refuse what is not text by its first 64 KB; convert UTF-16 to UTF-8.

    The whole file's UTF-8 is checked by scan_csv, beside DuckDB's read of it (read_csv_file).
    """
    check_input_file(path)
    try:
        return _sniff_csv(path, workdir)
    except GZIP_ERRORS as exc:
        raise ImportFailed(path, f"damaged gzip file ({exc})") from exc


def _sniff_csv(path: Path, workdir: Path) -> CsvInput:
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
        gz = magic == b"\x1f\x8b"
        with _open_bytes(path, gz) as fh:
            head = fh.read(SNIFF_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportFailed(path, f"cannot read ({exc})") from exc
    if not head.strip():
        raise ImportFailed(path, "the file is empty", line=1)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _convert(path, gz, "utf-16", workdir, "converted from UTF-16")
    if b"\x00" in head:
        raise ImportFailed(path, "binary data, not a CSV text file", line=_line_of(head, b"\x00"))
    return CsvInput(path, "gzip" if gz else "none")


def not_utf8(source: CsvInput, problem: tuple[int, bytes], workdir: Path) -> CsvInput:
    """A file that is not UTF-8 (`problem`: the line and bytes of its first invalid sequence):
    Windows-1256 Arabic is converted, anything else refused."""
    line, offset_bytes = problem
    try:
        with _open_bytes(source.path, source.compression == "gzip") as fh:
            sample = fh.read(CHUNK).decode("cp1256")
    except UnicodeDecodeError:
        sample = ""
    if any("\u0621" <= ch <= "\u064a" for ch in sample):
        return _convert(
            source.path,
            source.compression == "gzip",
            "cp1256",
            workdir,
            "converted from Windows-1256 (Arabic)",
        )
    raise ImportFailed(source.path, f"not UTF-8 text (invalid byte {offset_bytes!r})", line=line)


def decode_text(data: bytes, path: Path) -> tuple[str, str | None]:
    """A whole text file (a report) as str, by check_csv's rules; the note says any conversion.

    UTF-16 (with its BOM) and Windows-1256 Arabic are converted, a UTF-8 BOM is removed; NUL
    bytes or many control characters mean binary data.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _not_binary(data.decode("utf-16"), path), "converted from UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFailed(path, f"not valid utf-16 text ({exc.reason})") from exc
    if b"\x00" in data[:SNIFF_BYTES]:
        raise ImportFailed(path, "binary data, not a text file", line=_line_of(data, b"\x00"))
    note = None
    if data.startswith(codecs.BOM_UTF8):
        data, note = data[len(codecs.BOM_UTF8) :], "UTF-8 byte order mark removed"
    try:
        return _not_binary(data.decode("utf-8"), path), note
    except UnicodeDecodeError as exc:
        bad = exc
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if any("\u0621" <= ch <= "\u064a" for ch in text[:CHUNK]):
        return _not_binary(text, path), "converted from Windows-1256 (Arabic)"
    line = data[: bad.start].count(b"\n") + 1
    raise ImportFailed(
        path, f"not UTF-8 text (invalid byte {data[bad.start : bad.start + 2]!r})", line=line
    )


def _not_binary(text: str, path: Path) -> str:
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 100):
        raise ImportFailed(path, "binary data, not a text file")
    return text


@dataclass(frozen=True, slots=True)
class Scan:
    """What one pass over a CSV's bytes found."""

    utf8_problem: tuple[int, bytes] | None
    """(line, bytes) of the first invalid UTF-8 sequence."""
    odd_quotes: bool
    """An odd number of quote characters: a field opened and never closed (DuckDB's reader
    drops such a last record silently, so rasd looks for it itself)."""


def scan_csv(source: CsvInput) -> Scan:
    """Check the UTF-8 and count the quotes in one pass, in chunks (bounded memory).

    Python's decoder holds the GIL but DuckDB's reader does not: read_csv_file runs this beside
    DuckDB's own read of the file, on the other core.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, quotes = 1, 0
    problem: tuple[int, bytes] | None = None
    with _open_bytes(source.path, source.compression == "gzip") as fh:
        while chunk := fh.read(CHUNK):
            quotes += chunk.count(b'"')
            if problem is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    line = lines + chunk[: exc.start].count(b"\n")
                    problem = line, chunk[exc.start : exc.start + 2]
            lines += chunk.count(b"\n")
        if problem is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                problem = lines, b""
    return Scan(problem, quotes % 2 == 1)


def unclosed_quote(source: CsvInput, original: Path) -> ImportFailed:
    """The failure for a file with an odd number of quotes: a second pass names the line where
    the field that never closes opened."""
    opened_at, inside, line = 0, False, 1
    with _open_bytes(source.path, source.compression == "gzip") as fh:
        for raw in fh:
            for _ in range(raw.count(b'"')):
                inside = not inside
                if inside:
                    opened_at = line
            line += 1
    return ImportFailed(
        original, "unclosed quote: a quoted field starts here and never ends", line=opened_at
    )


def _line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def _convert(path: Path, gz: bool, encoding: str, workdir: Path, note: str) -> CsvInput:
    out = workdir / (path.name.removesuffix(".gz") + ".utf8.csv")
    try:
        with _open_bytes(path, gz) as raw:
            reader = codecs.getreader(encoding)(raw, "strict")
            with out.open("w", encoding="utf-8", newline="") as fh:
                while chunk := reader.read(CHUNK):
                    fh.write(chunk.lstrip("\ufeff") if fh.tell() == 0 else chunk)
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, f"not valid {encoding} text ({exc.reason})") from exc
    return CsvInput(out, "none", note)


def read_csv(con: duckdb.DuckDBPyConnection, source: CsvInput, original: Path) -> list[Reject]:
    """Load the CSV as text into the temp table `raw` (with its data-row number `rn`).

    Rows DuckDB cannot parse (ragged, unclosed quote) are kept aside with their line numbers.
    The file's UTF-8 and quotes are checked by scan_csv (read_csv_file).
    """
    con.execute("DROP TABLE IF EXISTS raw")
    try:
        names = header_names(source, original)
    except GZIP_ERRORS as exc:
        raise ImportFailed(original, f"damaged gzip file ({exc})") from exc
    columns = "{" + ", ".join(f"'{_sql_literal(n)}': 'VARCHAR'" for n in names) + "}"
    try:
        con.execute(
            "CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS rn, * FROM read_csv(?, "
            f"columns = {columns}, header = true, auto_detect = false, delim = ',', "
            "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            "parallel = false, compression = ?, store_rejects = true, "
            "rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', ignore_errors = true)",
            [str(source.path), source.compression],
        )
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise ImportFailed(original, f"cannot read as CSV ({message})", line=1) from exc
    rows = con.execute(
        "SELECT line, error_type, error_message, csv_line FROM csv_rejects ORDER BY line"
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS csv_rejects")
    con.execute("DROP TABLE IF EXISTS csv_scans")
    out = []
    seen: set[int | None] = set()
    for line, kind, message, raw in rows:
        if line in seen:
            continue  # one reason per line (DuckDB reports each missing field)
        seen.add(line)
        reason = CSV_ERRORS.get(str(kind), str(kind).lower())
        if "quote" in str(message).lower():
            reason = "unclosed or stray quote"
        out.append(Reject(int(line) if line is not None else None, reason, raw or ""))
    return out


def read_csv_file(
    con: duckdb.DuckDBPyConnection, path: Path, workdir: Path, summary: ImportSummary
) -> tuple[CsvInput, list[Reject]]:
    """What every CSV import starts with: check the file, convert it to UTF-8 if it must (said in
    the summary), read it into `raw`; the file read and the rows DuckDB rejected come back.

    The check of the whole file (scan_csv) runs on a thread beside DuckDB's read; what it finds
    comes first, as when it ran before the read: a file that is not UTF-8 is converted (and
    read again) or refused, an unclosed quote refused, and only then a failed read reported.
    """
    source = sniff_csv(path, workdir)
    scan, read = _scan_beside_read(con, source, path)
    if scan.utf8_problem is not None:
        source = not_utf8(source, scan.utf8_problem, workdir)
        scan, read = _scan_beside_read(con, source, path)
    if scan.odd_quotes:
        raise unclosed_quote(source, path)
    if isinstance(read, ImportFailed):
        raise read
    if source.note:
        summary.notes.append(source.note)
    return source, read


def _scan_beside_read(
    con: duckdb.DuckDBPyConnection, source: CsvInput, path: Path
) -> tuple[Scan, list[Reject] | ImportFailed]:
    """scan_csv on a thread while DuckDB reads the file into `raw` (its rejects, or why not)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasd-scan") as pool:
        scanning = pool.submit(scan_csv, source)
        read: list[Reject] | ImportFailed
        try:
            read = read_csv(con, source, path)
        except ImportFailed as exc:
            read = exc
        try:
            return scanning.result(), read
        except GZIP_ERRORS as exc:
            raise ImportFailed(path, f"damaged gzip file ({exc})") from exc


def header_names(source: CsvInput, original: Path) -> list[str]:
    """The header row's names (blank or repeated names made unique, like DuckDB would)."""
    with _open_bytes(source.path, source.compression == "gzip") as fh:
        first = fh.readline(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        header = next(csv.reader([first]))
    except (csv.Error, StopIteration) as exc:
        raise ImportFailed(original, "no header row", line=1) from exc
    names: list[str] = []
    for i, name in enumerate(header):
        name = name.strip() or f"column{i}"
        while name in names:
            name += "_"
        names.append(name)
    if not names:
        raise ImportFailed(original, "no header row", line=1)
    return names


def raw_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("DESCRIBE raw").fetchall()]


def record_lines(source: CsvInput) -> Callable[[int], int]:
    """Record number (DuckDB's count, header = 1) -> the file line where that record starts.

    They differ after a quoted field holding a line break (valid CSV: a note of two
    paragraphs). Lines end at LF (CRLF counts once; a bare CR is not a line end). Called only
    when there are rows to report: one pass over the file.
    """
    marks: list[tuple[int, int]] = []  # (first record shifted, lines of shift from there on)
    record, extra, inside = 1, 0, False
    with _open_bytes(source.path, source.compression == "gzip") as fh:
        for raw in fh:
            if raw.count(b'"') % 2:
                inside = not inside
            if inside:
                extra += 1
            else:
                record += 1
                if extra != (marks[-1][1] if marks else 0):
                    marks.append((record, extra))
    firsts = [m[0] for m in marks]

    def line(n: int) -> int:
        k = bisect.bisect_right(firsts, n)
        return n + (marks[k - 1][1] if k else 0)

    return line


def file_line(rn: int, header_lines: int, csv_rejects: list[Reject]) -> int:
    """Record number of data row `rn` (record_lines turns it into a file line)."""
    line = rn + header_lines
    for reject in csv_rejects:  # rows DuckDB skipped shift the count
        if reject.line is not None and reject.line <= line:
            line += 1
    return line


# ---- the database -----------------------------------------------------------------------------


def check_import(db_path: Path, inputs: list[Path], rejects: list[Path]) -> Path:
    """Refuse, before anything changes, an import that would write where it must not.

    The database must not be an input, a directory, a device or read-only; the rejects files
    must be neither the database nor an input, and their directory must be writable. Returns the
    database's real path (a symlinked database is updated in its target, the link kept).
    """
    if problem := utf8_name_problem(db_path):
        raise StoreError(f"{db_path}: {problem}")
    for path in inputs:  # first: a FIFO would block for ever, a typo need not wait
        check_input_file(path)
    inputs_named: dict[PathLike, str] = {p: "an input file" for p in inputs}
    real = check_target(db_path, protect=inputs_named, make_parents=True)
    if real.exists():
        check_database_file(real)
    for path in rejects:
        check_target(path, protect={**database_files(db_path), **inputs_named})
    return real


@contextlib.contextmanager
def import_workdir(db_path: Path) -> Iterator[Path]:
    """A private directory for converted inputs, beside the database (removed when done).

    Named like every rasd temporary (db.safe_write), so a killed import's is removed later.
    """
    real = Path(os.path.realpath(db_path))
    real.parent.mkdir(parents=True, exist_ok=True)
    work = temp_name(real, ".work")
    work.mkdir(mode=0o700)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def writable_copy(db_path: Path, create: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy of the database that replaces it only on success.

    The copy, its WAL and DuckDB's spill directory carry this import's pid (db.safe_write):
    two imports in one directory never share a name, and a killed one's are removed later.
    """
    if db_path.exists():
        check_database_file(db_path)
    elif not create:
        raise StoreError(f"{db_path}: no such database")
    real = Path(os.path.realpath(db_path))
    spill: Path | None = None
    try:
        with unchanged_on_failure(db_path, "the database's copy"):
            with atomic_path(
                real, suffix=".import", create=False, make_parents=True, sidecars=(".wal",)
            ) as tmp:
                spill = tmp.with_name(tmp.name.removesuffix(".import") + ".spill")
                if real.exists():
                    shutil.copyfile(real, tmp)
                    wal = real.with_name(real.name + ".wal")
                    if wal.exists():
                        shutil.copyfile(wal, tmp.with_name(tmp.name + ".wal"))
                con = duckdb.connect(str(tmp))
                try:
                    configure(con, IMPORT_MEMORY_LIMIT)
                    con.execute(f"SET temp_directory = '{_sql_literal(str(spill))}'")
                    folded = False
                    if not real.exists():
                        create_schema(con)
                    else:
                        migrate(con, db_path)
                        # rows imported beside the file (db/appended.py) go into it now
                        folded = fold_into(con, real)
                    order = generation(con)
                    yield con
                    if folded and generation(con) == order:  # nothing re-ordered it since
                        _order_within_limits(con, ImportSummary(str(db_path)))
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
            with contextlib.suppress(FileNotFoundError):
                real.with_name(real.name + ".wal").unlink()
            remove_stale(real)  # folded, or made for an order the file no longer has
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def _sql_literal(text: str) -> str:
    return text.replace("'", "''")


def region_terms_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Temp table `region_terms` (admin1 as written, canonical admin1, search aliases, and the
    aliases folded: once per region instead of once per row)."""
    names = [r[0] for r in con.execute(f"SELECT DISTINCT admin1 FROM {table}").fetchall()]
    rows = []
    for name in names:
        canonical = canonical_admin1(name)
        rows.append((name, canonical, " ".join(region_search_terms(canonical))))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE region_terms "
        "(name VARCHAR, canonical VARCHAR, terms VARCHAR, folded_terms VARCHAR)"
    )
    if rows:
        con.executemany("INSERT INTO region_terms VALUES (?, ?, ?, NULL)", rows)
        con.execute(f"UPDATE region_terms SET folded_terms = {_folded_piece('terms')}")


def _folded_piece(expr: str) -> str:
    """`expr` folded, NULL when it is NULL or empty (concat_ws leaves it out)."""
    return f"CASE WHEN {expr} <> '' THEN {fold_sql(expr, collapse_spaces=False)} END"


def search_text_sql(
    alias: str = "s", terms: str = "rt.folded_terms", admin1: str | None = None
) -> str:
    """SQL for the folded search column, as db/columns.py's search_text builds it in Python.

    Each column is folded on its own (joined by an ASCII separator, the result is the fold of
    the joined text: folding maps character by character), so the notes of an ASCII row take
    the fast path even when its region's aliases are Arabic; `terms` is the region_terms row's
    folded aliases, `admin1` the region as the file wrote it (default: the row's admin1).
    The columns are joined by a space: a search word has none, so it cannot span two columns
    either way, and the ' | ' used before was 14 % of the word index's tokens (and made a
    search for '|' match every incident).
    """
    written = {"admin1": admin1} if admin1 else {}
    parts = ", ".join(
        _folded_piece(f"{written.get(c, f'{alias}.{c}')}::VARCHAR") for c in SEARCHED_COLUMNS
    )
    return f"coalesce(concat_ws(' ', {parts}, {terms}), '')"


def upsert(con: duckdb.DuckDBPyConnection, summary: ImportSummary) -> None:
    """Merge the temp table `incoming` (all INCIDENT_COLUMNS + search_text) into incidents.

    Memory stays within the import limit on any database size: new and changed rows are found
    by a join of (event_id, row hash) pairs, not of whole rows (1M wide rows against the 10M
    benchmark database ran out of memory); they are applied to incidents (this is the private
    copy) and the table is then rewritten in order from one scan (a sort fed by a UNION of two
    joins ran out of memory at 1M rows even into the default database). A row whose every
    column equals the stored one hashes equally; a changed row is missed only on a 64-bit
    hash collision.
    """
    columns = ", ".join((*INCIDENT_COLUMNS, "search_text"))
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'incidents' "
            "AND schema_name = 'main' AND database_name = current_database()"
        ).fetchall()
    )
    row_hash = "hash(" + ", ".join(f"{{t}}.{c}::{types[c]}" for c in INCIDENT_COLUMNS) + ")"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fresh AS SELECT n.event_id, i.event_id IS NULL AS is_new "
        f"FROM (SELECT event_id, {row_hash.format(t='n')} AS h FROM incoming n) n "
        f"LEFT JOIN (SELECT event_id, {row_hash.format(t='i')} AS h FROM incidents i) i "
        "ON i.event_id = n.event_id WHERE i.event_id IS NULL OR i.h <> n.h"
    )
    summary.inserted, summary.updated = one_row(
        con.execute("SELECT count(*) FILTER (is_new), count(*) FILTER (NOT is_new) FROM fresh")
    )
    summary.unchanged = summary.read - summary.rejected - summary.inserted - summary.updated
    if is_appending(con):  # beside a large main file, which is only read (db/appended.py)
        append(con)
    elif summary.inserted or summary.updated:
        summary.phase("order")
        if _empty(con, "incidents"):
            _order_within_limits(con, summary, f"SELECT {columns} FROM incoming")  # one write
            con.execute("DROP TABLE fresh")
            return
        if summary.updated:
            con.execute(
                "DELETE FROM incidents WHERE event_id IN "
                "(SELECT event_id FROM fresh WHERE NOT is_new)"
            )
        con.execute(
            f"INSERT INTO incidents ({columns}) SELECT {columns} FROM incoming n "
            "SEMI JOIN fresh f ON f.event_id = n.event_id"
        )
        _order_within_limits(con, summary)
    con.execute("DROP TABLE fresh")


def _order_within_limits(
    con: duckdb.DuckDBPyConnection,
    summary: ImportSummary,
    rows_sql: str = "SELECT * FROM incidents",
    search_text: str = "s.search_text",
) -> None:
    """order_incidents under the import limit; should the sort not fit, once more under the
    build limit (WRITE_MEMORY_LIMIT, what building the 10M benchmark database needs)."""
    try:
        order_incidents(con, rows_sql, search_text)
    except duckdb.OutOfMemoryException:
        summary.notes.append(
            f"ordering the table needed more than {IMPORT_MEMORY_LIMIT}: "
            f"done again under {WRITE_MEMORY_LIMIT}"
        )
        con.execute(f"SET memory_limit = '{WRITE_MEMORY_LIMIT}'")
        try:
            order_incidents(con, rows_sql, search_text)
        finally:
            con.execute(f"SET memory_limit = '{IMPORT_MEMORY_LIMIT}'")


def _empty(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone() == (True,)


def merge_staged(
    con: duckdb.DuckDBPyConnection,
    summary: ImportSummary,
    path: Path,
    header_lines: int,
    csv_rejects: list[Reject],
    skip_invalid: bool,
    source: CsvInput | None = None,
) -> None:
    """From the temp view `staged` (rn, INCIDENT_COLUMNS, reason, over `raw`) to the incidents
    table.

    Rows with a reason, duplicates of an id earlier in the file and rows DuckDB could not parse
    are rejected; without `skip_invalid` any rejection fails the whole file. `staged` is a view:
    its columns are computed once, by the write that orders them (a table of them cost a 1M
    import 2.8 s), and the reasons once, into `rejected` (the good rows are the others).
    """
    summary.phase("merge")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE repeats AS SELECT rn, 'duplicate id ' || event_id || "
        "' (first at data row ' || first || ')' AS why FROM (SELECT rn, event_id, "
        "row_number() OVER (PARTITION BY event_id ORDER BY rn) AS k, "
        "min(rn) OVER (PARTITION BY event_id) AS first FROM staged WHERE event_id IN "
        "(SELECT event_id FROM staged GROUP BY event_id HAVING count(*) > 1)) WHERE k > 1"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rejected AS SELECT s.rn, coalesce(s.reason, r.why) AS why "
        "FROM staged s LEFT JOIN repeats r ON r.rn = s.rn "
        "WHERE s.reason IS NOT NULL OR r.why IS NOT NULL"
    )
    staged_rows = scalar(con.execute("SELECT count(*) FROM staged"))
    bad_rows = scalar(con.execute("SELECT count(*) FROM rejected"))
    summary.read = staged_rows + len(csv_rejects)
    bad = con.execute("SELECT rn, why FROM rejected ORDER BY rn LIMIT 100000").fetchall()
    rejects = [
        *csv_rejects,
        *(Reject(file_line(rn, header_lines, csv_rejects), why) for rn, why in bad),
    ]
    if rejects and source is not None:
        try:
            to_line = record_lines(source)
        except GZIP_ERRORS as exc:
            raise ImportFailed(path, f"damaged gzip file ({exc})") from exc
        rejects = [replace(r, line=to_line(r.line)) if r.line is not None else r for r in rejects]
    summary.rejects = sorted(rejects, key=lambda r: (r.line is None, r.line or 0))
    if summary.rejects and not skip_invalid:
        raise rejects_failure(path, summary.rejects)
    region_terms_table(con, "staged")
    columns = ", ".join(
        f"c.{c}" if c != "admin1" else "rt.canonical AS admin1" for c in INCIDENT_COLUMNS
    )
    good = "FROM staged c LEFT JOIN region_terms rt ON rt.name IS NOT DISTINCT FROM c.admin1" + (
        " WHERE c.rn NOT IN (SELECT rn FROM rejected)" if bad_rows else ""
    )
    if _empty(con, "incidents"):
        rows = f"SELECT {columns}, rt.folded_terms, c.admin1 AS written_admin1 {good}"
        _write_new(con, summary, rows, staged_rows - bad_rows)
        _drop_staged(con)
        return
    rows = f"SELECT {columns}, {search_text_sql('c')} AS search_text {good}"
    if is_appending(con):  # written once, into the appendix (db/appended.py): the bar's
        # last phase is that write, most of such an import
        place_incoming(con, rows, writing=lambda: summary.phase("append"))
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS {rows}")
    _drop_staged(con)  # incoming holds it all now: free the file's memory before the merge
    upsert(con, summary)


def _drop_staged(con: duckdb.DuckDBPyConnection) -> None:
    """The file's rows and what was found in them, once they are in the table (or `incoming`);
    the next file of the same import makes them anew."""
    con.execute("DROP VIEW IF EXISTS staged")
    for table in ("raw", "rejected", "repeats"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _write_new(
    con: duckdb.DuckDBPyConnection, summary: ImportSummary, rows_sql: str, rows: int
) -> None:
    """Into an empty table every good row (`rows` of them) is new: one ordered write straight
    from the checked rows (no `incoming` copy to match ids against, nothing stored to re-order
    with them)."""
    summary.inserted = rows
    summary.updated = summary.unchanged = 0
    if summary.inserted:
        summary.phase("order")
        folded = search_text_sql("s", "s.folded_terms", "s.written_admin1")
        _order_within_limits(con, summary, rows_sql, folded)


def rejects_failure(path: Path, rejects: list[Reject]) -> ImportFailed:
    first = min(rejects, key=lambda r: (r.line is None, r.line or 0))
    more = len(rejects) - 1
    tail = f" (and {more} more rejected {plural(more, 'row')}" if more else ""
    tail += (
        "; nothing imported; --skip-invalid imports the good rows)"
        if more
        else (" (nothing imported; --skip-invalid imports the good rows)")
    )
    return ImportFailed(path, first.reason + tail, line=first.line)
