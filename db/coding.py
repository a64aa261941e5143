"""An analyst's coding, saved at once without blocking anyone who browses the same data.

Why a database of its own: explorers hold the main database open read-only for their whole
session, a shared DuckDB file lock under which nobody may write it, and an import rewrites a
private copy of it (seconds to minutes at ten million rows). A coder's change is one small row,
so coded work lives beside the main file in `NAME.coding.duckdb` (`coding_path`): a table of
revisions, one row per version of an incident, merged over the main table by event_id when a
reader opens the data (db/overlay.py). A save opens that small file, writes one transaction,
checkpoints and closes it (~0.1 s, mostly fsync; retried while a reader copies it), so readers
that load it at start and on Ctrl+R are never blocked for longer than that. The main file is
never written nor copied.

The API the coding screen uses::

    with CodingStore.open(db_path) as store:      # CodingLocked: someone else codes this data
        store.incidents(source_id)                # proposals, coded and rejected, overlay applied
        store.accept(event_id); store.reject(event_id)
        event_id = store.save(fields)             # a new incident (status 'coded'), or
        store.save(fields, event_id)              # an edit of an existing one
        store.merge(keep_id, other_id, fields)    # one incident from two; the other is rejected
        store.undo()                              # the last change of this store, undone
        store.history(event_id)                   # every version, oldest first

Every write is checked by db/validation.py (InvalidIncident carries {field: message}), records
who (`coder_name`: the config's `name`, else $USER), when, and the incident's revision number;
earlier versions stay in the table. One coder at a time per database: a lock file beside it
names the holder (user, pid, since when); a killed coder's lock is taken over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from db.columns import INCIDENT_COLUMNS, search_text
from db.evidence import decode_evidence
from db.extract.sentences import trimmed_span
from db.overlay import FILE_LOCK, with_retry
from db.paths import StoreError, appended_path, check_database_file, coding_path
from db.places import canonical_admin1
from db.safe_write import atomic_path, cleanup_if_killed, remove_stale
from db.similar import candidates_sql, likely_same, window
from db.store import (
    coding_lock_path,
    configure,
    holder_lock,
    incidents_ddl,
    open_db,
    remove_unheld,
    table_ddl,
)
from db.validation import as_date, as_int, as_number, validate_incident

CODING_VERSION = 1
AUDIT_COLUMNS: tuple[str, ...] = ("revision", "coded_by", "coded_at", "action")
"""Columns a revision has beyond the incident's: its number (1 = the first coded version; 0 is
the main database's row), who and when (UTC), and what was done (ACTIONS)."""
ACTIONS = ("accept", "reject", "edit", "create", "merge")
REVISION_COLUMNS: tuple[str, ...] = (*INCIDENT_COLUMNS, "search_text", *AUDIT_COLUMNS, "base_date")
"""`base_date`: the main row's event_date (None for an incident created here), so that readers
find the rows coding replaces among one date's rows, not among every id (db/overlay.py)."""
EDITABLE = frozenset(INCIDENT_COLUMNS) - {"event_id", "status", "dataset"}
DATE_COLUMNS = frozenset({"event_date", "reported_date"})
INT_COLUMNS = frozenset(
    {"time_precision", "iso", "geo_precision", "fatalities", "timestamp", "span_start", "span_end"}
)
FLOAT_COLUMNS = frozenset({"latitude", "longitude", "confidence"})


class CodingLocked(StoreError):
    """Another coder holds the database; str() names them (user, pid, since when)."""


class InvalidIncident(ValueError):
    """Fields a save refused; `errors` is validate_incident's {field: message}."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class UnknownIncident(KeyError):
    """No incident with this id in the main database or the coding."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of an incident: revision 0 is the main database's row (no coder)."""

    event_id: str
    revision: int
    coded_by: str | None
    coded_at: dt.datetime | None
    """UTC."""
    action: str | None
    fields: dict[str, Any]
    """Every column of INCIDENT_COLUMNS as this version holds it."""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """{column: (before, after)} against the previous version: {} for revision 0, every set
    field (before None) for a created incident's first."""


def coder_name() -> str:
    """Who codes: `name` in the config file (config.toml in rasd's config dir), else $USER."""
    import platformdirs

    config = Path(platformdirs.user_config_dir("rasd", appauthor=False)) / "config.toml"
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        name = tomllib.loads(config.read_text(encoding="utf-8")).get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    with contextlib.suppress(Exception):
        return os.environ.get("USER") or getpass.getuser()
    return f"uid {os.getuid()}"


def _schema_sql() -> list[str]:
    ddl = incidents_ddl("revisions")
    ddl = ddl[: ddl.rindex(");")] + (
        ", revision INTEGER NOT NULL, coded_by VARCHAR NOT NULL, coded_at TIMESTAMP NOT NULL, "
        "action VARCHAR NOT NULL, base_date DATE, PRIMARY KEY (event_id, revision));"
    )
    return [
        "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        ddl,
        "CREATE VIEW current AS SELECT * FROM revisions "
        "QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY revision DESC) = 1",
        SOURCES_DDL,
        f"INSERT INTO meta VALUES ('coding_version', '{CODING_VERSION}')",
    ]


SOURCES_DDL = table_ddl("sources", "sources", if_not_exists=True)
"""Reports imported beside a large database (`rasd import report`: db/importers/report.py),
whose proposals are revisions here: the main file is not copied and re-ordered for them."""


def _create(path: Path) -> None:
    """The empty coding database, built under a temporary name and renamed: all or nothing."""
    with atomic_path(path, create=False, sidecars=(".wal",)) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            for sql in _schema_sql():
                con.execute(sql)
            con.execute("CHECKPOINT")
        finally:
            con.close()


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    configure(con)
    return con


def read_revisions(db_path: Path) -> list[dict[str, Any]]:
    """Every stored revision (oldest first per incident), for readers; [] without coding.

    Opens the coding file read-only for the time of one query.
    """
    path = coding_path(db_path)
    if not path.exists():
        return []

    def read() -> list[dict[str, Any]]:
        con = _connect(path, read_only=True)
        try:
            cur = con.execute(
                f"SELECT {', '.join(REVISION_COLUMNS)} FROM revisions ORDER BY event_id, revision"
            )
            return [dict(zip(REVISION_COLUMNS, row, strict=True)) for row in cur.fetchall()]
        finally:
            con.close()

    return with_retry(path, read)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _base_rows(
    con: duckdb.DuckDBPyConnection, where: str, params: list[Any]
) -> list[dict[str, Any]]:
    """Rows as imported (the main file's and those appended beside it; never the coding)."""
    columns = (*INCIDENT_COLUMNS, "search_text")
    cur = con.execute(f"SELECT {', '.join(columns)} FROM incidents WHERE {where}", params)
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def history_of(
    event_id: str, base: dict[str, Any] | None, revisions: Sequence[Mapping[str, Any]]
) -> list[Revision]:
    """Versions of one incident, oldest first, each with its changes against the previous."""
    out: list[Revision] = []
    previous: dict[str, Any] | None = None
    if base is not None:
        previous = {c: base[c] for c in INCIDENT_COLUMNS}
        out.append(Revision(event_id, 0, None, None, None, previous))
    for rev in revisions:
        fields = {c: rev[c] for c in INCIDENT_COLUMNS}
        before = previous or dict.fromkeys(INCIDENT_COLUMNS)  # created: every field is new
        changes = {c: (before[c], fields[c]) for c in INCIDENT_COLUMNS if before[c] != fields[c]}
        out.append(
            Revision(
                event_id,
                int(rev["revision"]),
                rev["coded_by"],
                rev["coded_at"],
                rev["action"],
                fields,
                changes,
            )
        )
        previous = fields
    return out


def read_history(db_path: Path, event_id: str) -> list[Revision]:
    """Every version of an incident ([] when neither database knows it), for `rasd history`."""
    con = open_db(db_path, read_only=True, overlay=False)
    try:
        base = _base_rows(con, "event_id = ?", [event_id])
    finally:
        con.close()
    revisions = [r for r in read_revisions(db_path) if r["event_id"] == event_id]
    return history_of(event_id, base[0] if base else None, revisions)


def coerce(name: str, value: object) -> Any:
    """A form's value as the column's type (validated first: bad values never get here)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if name in DATE_COLUMNS:
        return as_date(value)
    if name in INT_COLUMNS:
        return as_int(value)
    if name in FLOAT_COLUMNS:
        return as_number(value)
    return str(value).strip() if isinstance(value, str) else value


class CodingStore:
    """The one coder's handle on a database's coding (see the module docstring)."""

    def __init__(self, db_path: Path, user: str, stack: contextlib.ExitStack) -> None:
        self.db_path = db_path
        self.path = coding_path(db_path)
        self.user = user
        self._stack = stack
        self._revisions: dict[str, list[dict[str, Any]]] = {}
        """Every revision, per incident, oldest first: this process alone writes them."""
        self._undo: list[list[tuple[str, int]]] = []
        """Each change made here: the (event_id, revision) rows it added."""
        self._base: duckdb.DuckDBPyConnection | None = None
        self._base_file: tuple[tuple[int, int, int], ...] | None = None
        self._known: dict[str, dict[str, Any]] = {}
        """Main rows already read (by id): finding one by id alone scans 10M rows (~0.1 s)."""
        self._texts: dict[str, str] = {}
        """The text of each report stored here rather than in the main file."""

    @classmethod
    def open(cls, db_path: Path, user: str | None = None) -> CodingStore:
        """Take the database's coding lock and load its revisions.

        CodingLocked when another coder holds it; StoreError for a missing or damaged file.
        """
        check_database_file(db_path)
        user = user or coder_name()
        real = Path(os.path.realpath(db_path))
        lock = coding_lock_path(real)
        remove_stale(real.parent)
        remove_unheld(lock)
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        record = f"{user}\t{os.getpid()}\t{since}"
        stack = contextlib.ExitStack()
        try:
            stack.enter_context(holder_lock(lock, record, _locked_error(db_path)))
            stack.enter_context(cleanup_if_killed(real.parent, lock))
            store = cls(db_path, user, stack)
            store._load()
        except BaseException:
            stack.close()
            raise
        return store

    def _load(self) -> None:
        if not self.path.exists():
            with FILE_LOCK:
                _create(self.path)
        if self.path.with_name(self.path.name + ".wal").exists():
            with_retry(self.path, self._checkpoint)  # a killed coder's last commit, replayed

        for rev in read_revisions(self.db_path):
            self._revisions.setdefault(rev["event_id"], []).append(rev)
        self._texts = with_retry(self.path, self._side_texts)

    def _side_texts(self) -> dict[str, str]:
        """The reports stored here; a coding file made before them gains their table."""
        con = _connect(self.path, read_only=False)
        try:
            con.execute(SOURCES_DDL)
            return dict(con.execute("SELECT source_id, text FROM sources").fetchall())
        finally:
            con.close()

    def _checkpoint(self) -> None:
        con = _connect(self.path, read_only=False)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()

    def close(self) -> None:
        """Release the lock (the coding file is closed after every save already)."""
        if self._base is not None:
            self._base.close()
            self._base = None
        self._stack.close()

    def _main(self) -> duckdb.DuckDBPyConnection:
        """The main database, read-only like an explorer's; opened again once an import has
        replaced the file."""
        signature = tuple(
            (st.st_dev, st.st_ino, st.st_mtime_ns)
            for st in map(_stat_or_none, (self.db_path, appended_path(self.db_path)))
            if st is not None
        )
        if self._base is None or signature != self._base_file:
            if self._base is not None:
                self._base.close()
            self._base = open_db(self.db_path, read_only=True, overlay=False)
            self._base_file = signature
            self._known.clear()
        return self._base

    def _rows(self, where: str, params: list[Any]) -> list[dict[str, Any]]:
        rows = _base_rows(self._main(), where, params)
        self._known.update((r["event_id"], r) for r in rows)
        return rows

    def _source_text(self, source_id: str | None) -> str | None:
        if not source_id:
            return None
        if source_id in self._texts:
            return self._texts[source_id]
        cur = self._main().execute("SELECT text FROM sources WHERE source_id = ?", [source_id])
        row = cur.fetchone()
        return row[0] if row else None

    def __enter__(self) -> CodingStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- reading ------------------------------------------------------------------------------

    def incidents(self, source_id: str) -> list[dict[str, Any]]:
        """The incidents of one report (proposed, coded, rejected), coding applied, in reading
        order; each with `evidence_fields` (decoded evidence), `spans` and its audit columns."""
        rows = {r["event_id"]: r for r in self._rows("source_id = ?", [source_id])}
        for event_id, revs in self._revisions.items():
            if revs[-1]["source_id"] == source_id or event_id in rows:
                rows[event_id] = revs[-1]
        out = [self._described(r) for r in rows.values() if r["source_id"] == source_id]
        out.sort(key=lambda r: (r["span_start"] is None, r["span_start"] or 0, r["event_id"]))
        return out

    def similar(self, incidents: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """For each of `incidents` (one report's), the coded incidents of other sources that may
        be the same event (db/similar.py), coding applied; one query for the report's dates
        and places (the table is in date order: a few row groups at ten million incidents)."""
        conditions = [c for c in map(candidates_sql, incidents) if c is not None]
        if not conditions:
            return {}
        days = sorted({d for i in incidents if isinstance(d := i.get("event_date"), dt.date)})
        # the dates alone first: a plain OR of ranges on the date column is what DuckDB prunes
        # row groups by (inside the places' OR it scanned every row: 3.7-7.6 s at 10M)
        spans = " OR ".join("event_date BETWEEN ? AND ?" for _ in days)
        where = f"({spans}) AND ({' OR '.join(sql for sql, _ in conditions)})"
        params = [b for day in days for b in window(day)]
        params += [p for _, ps in conditions for p in ps]
        rows = {r["event_id"]: r for r in self._rows(where, params)}
        for event_id, revs in self._revisions.items():
            rows[event_id] = revs[-1]  # a coded version, or a rejection, replaces the main row
        candidates = [r for r in rows.values() if r["status"] == "coded"]
        out = {}
        for incident in incidents:
            found = likely_same(candidates, incident)
            if found:
                out[str(incident["event_id"])] = [dict(r) for r in found]
        return out

    def incident(self, event_id: str) -> dict[str, Any]:
        """One incident's current version (UnknownIncident when neither database has it)."""
        return self._described(self._current(event_id))

    def _described(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out = {c: row.get(c) for c in (*INCIDENT_COLUMNS, *AUDIT_COLUMNS)}
        out["revision"] = out["revision"] or 0
        out["evidence_fields"] = decode_evidence(row.get("evidence"))
        span = (row.get("span_start"), row.get("span_end"))
        out["spans"] = [span] if None not in span else []
        return out

    def _current(self, event_id: str) -> dict[str, Any]:
        revs = self._revisions.get(event_id)
        if revs:
            return dict(revs[-1])
        self._main()  # forgets what it knew when an import replaced the file
        if event_id in self._known:
            return dict(self._known[event_id])
        base = self._rows("event_id = ?", [event_id])
        if not base:
            raise UnknownIncident(event_id)
        return dict(base[0])  # a copy: the caller changes it, the cache must not

    def history(self, event_id: str) -> list[Revision]:
        """Every version of the incident, oldest first ([] when unknown)."""
        base = self._rows("event_id = ?", [event_id])
        return history_of(event_id, base[0] if base else None, self._revisions.get(event_id, []))

    # ---- writing ------------------------------------------------------------------------------

    def accept(self, event_id: str) -> int:
        """Make a proposal coded as it stands; returns its revision (no change if coded)."""
        return self._set_status(event_id, "coded", "accept")

    def reject(self, event_id: str) -> int:
        """Keep an incident out of every count (status 'rejected'); returns its revision."""
        return self._set_status(event_id, "rejected", "reject")

    def _set_status(self, event_id: str, status: str, action: str) -> int:
        row = self._current(event_id)
        if row["status"] == status:
            return int(row.get("revision") or 0)
        row["status"] = status
        if status == "coded" and (errors := validate_incident(row)):
            raise InvalidIncident(errors)  # the form shows them; fix, then save
        return self._write([(row, action)])[0][1]

    def save(self, fields: Mapping[str, object], event_id: str | None = None) -> str:
        """Edit incident `event_id` with `fields`, or create one from them; returns its id.

        The result is coded. InvalidIncident when the fields fail validation, ValueError for a
        field that is not an editable column.
        """
        if event_id is None:
            row = self._new_row(fields)
            action = "create"
        else:
            row = self._current(event_id)
            action = "edit"
        row = self._updated(row, fields)
        self._write([(row, action)])
        return str(row["event_id"])

    def merge(self, keep_id: str, other_id: str, fields: Mapping[str, object]) -> str:
        """One incident from two: `keep_id` takes `fields` (its span grows to cover both
        unless given), `other_id` is rejected; one change for undo. Returns keep_id."""
        if keep_id == other_id:
            raise ValueError("cannot merge an incident with itself")
        keep, other = self._current(keep_id), self._current(other_id)
        fields = dict(fields)
        spans = [(r["span_start"], r["span_end"]) for r in (keep, other)]
        spans = [s for s in spans if None not in s]
        if (
            spans
            and "span_start" not in fields
            and "span_end" not in fields
            and keep["source_id"] == other["source_id"]
        ):
            fields["span_start"] = min(s[0] for s in spans)
            fields["span_end"] = max(s[1] for s in spans)
        kept = self._updated(keep, fields)
        other["status"] = "rejected"
        self._write([(kept, "merge"), (other, "merge")])
        return keep_id

    def split(self, event_id: str, fields: Mapping[str, object]) -> str:
        """A second incident (coded, `fields`, whose span is part of `event_id`'s) and the
        original keeping the rest of its span; one change for undo. Returns the new id."""
        original = self._current(event_id)
        start, end = fields.get("span_start"), fields.get("span_end")
        if not isinstance(start, int) or not isinstance(end, int) or start >= end:
            raise ValueError("a split needs the selected characters (span_start < span_end)")
        new = self._updated(
            self._new_row({"source_id": original["source_id"]}),
            {**fields, "source_id": original["source_id"]},
        )
        rows = [(new, "split")]
        rest = remaining_span((original["span_start"], original["span_end"]), (start, end))
        text = self._source_text(original["source_id"])
        if rest is not None and text is not None:
            rest = trimmed_span(text, *rest)
        if rest is not None:
            shrunk = dict(original)  # its status kept: a proposal split stays a proposal
            shrunk["span_start"], shrunk["span_end"] = rest
            rows.append((shrunk, "split"))
        self._write(rows)
        return str(new["event_id"])

    def undo(self) -> str | None:
        """Undo the last change made through this store (a stack); returns the incident id
        it concerned (the kept one for a merge), or None when there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo[-1]

        def delete() -> None:
            con = _connect(self.path, read_only=False)
            try:
                con.execute("BEGIN TRANSACTION")
                for event_id, revision in change:
                    con.execute(
                        "DELETE FROM revisions WHERE event_id = ? AND revision = ?",
                        [event_id, revision],
                    )
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()

        with_retry(self.path, delete)
        self._undo.pop()
        for event_id, revision in change:
            revs = self._revisions[event_id]
            revs[:] = [r for r in revs if r["revision"] != revision]
            if not revs:
                del self._revisions[event_id]
        return change[0][0]

    def _updated(self, row: dict[str, Any], fields: Mapping[str, object]) -> dict[str, Any]:
        unknown = sorted(set(fields) - EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(unknown)}")
        merged = {**row, **fields}
        errors = validate_incident(merged)
        if errors:
            raise InvalidIncident(errors)
        out = dict(row)
        for name, value in fields.items():
            out[name] = coerce(name, value)
        out["admin1"] = canonical_admin1(out["admin1"])
        out["status"] = "coded"
        return out

    def _new_row(self, fields: Mapping[str, object]) -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(INCIDENT_COLUMNS)
        row["dataset"] = "rasd"
        source_id = fields.get("source_id")
        row["event_id"] = self._new_id(str(source_id) if source_id else None)
        return row

    def _new_id(self, source_id: str | None) -> str:
        """`SOURCE-Cnn` (as proposals are `SOURCE-Pnn`), the next number free in both files."""
        prefix = f"{source_id}-C" if source_id else "RASD-C"
        taken = {r["event_id"] for r in self._rows("starts_with(event_id, ?)", [prefix])} | {
            e for e in self._revisions if e.startswith(prefix)
        }
        numbers = [int(m.group(1)) for e in taken if (m := re.fullmatch(r".*-C(\d+)", e))]
        return f"{prefix}{max(numbers, default=0) + 1:02d}"

    def add_reports(
        self, sources: Sequence[Mapping[str, Any]], incidents: Sequence[Mapping[str, Any]]
    ) -> None:
        """Reports and their proposals, stored here in one transaction (`rasd import report`
        into a large database: its proposals are revisions, `import`, of incidents the main
        file does not hold)."""
        self._write([(dict(row), "import") for row in incidents], sources)

    def _write(
        self,
        rows: list[tuple[dict[str, Any], str]],
        sources: Sequence[Mapping[str, Any]] = (),
    ) -> list[tuple[str, int]]:
        """Add one revision per row (and the reports they come from) in one transaction; the
        change goes on the undo stack."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        texts = {str(s["source_id"]): str(s["text"]) for s in sources}
        records: list[dict[str, Any]] = []
        for row, action in rows:
            event_id = row["event_id"]
            revs = self._revisions.get(event_id, [])
            record = {c: row.get(c) for c in INCIDENT_COLUMNS}
            span_text = None
            if record["span_start"] is not None and record["span_end"] is not None:
                source = record["source_id"]
                text = texts.get(str(source)) or self._source_text(source)
                span_text = text[record["span_start"] : record["span_end"]] if text else None
            record["search_text"] = search_text(record, span_text)
            known = self._known.get(event_id)
            record.update(
                revision=(revs[-1]["revision"] if revs else 0) + 1,
                coded_by=self.user,
                coded_at=now,
                action=action,
                base_date=revs[-1]["base_date"] if revs else known and known["event_date"],
            )
            records.append(record)

        def insert() -> None:
            con = _connect(self.path, read_only=False)
            try:
                marks = ", ".join("?" for _ in REVISION_COLUMNS)
                con.execute("BEGIN TRANSACTION")
                if sources:
                    columns = list(sources[0])
                    con.executemany(
                        f"INSERT INTO sources ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' for _ in columns)})",
                        [[s[c] for c in columns] for s in sources],
                    )
                if records:
                    con.executemany(
                        f"INSERT INTO revisions ({', '.join(REVISION_COLUMNS)}) VALUES ({marks})",
                        [[r[c] for c in REVISION_COLUMNS] for r in records],
                    )
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()

        with_retry(self.path, insert)
        self._texts.update(texts)
        change = [(r["event_id"], int(r["revision"])) for r in records]
        for record in records:
            self._revisions.setdefault(record["event_id"], []).append(record)
        self._undo.append(change)
        return change


def remaining_span(
    span: tuple[int | None, int | None], taken: tuple[int, int]
) -> tuple[int, int] | None:
    """What an incident's span keeps when `taken` becomes an incident of its own: the part
    before it, else the part after it; None when nothing is left (or the span is unknown)."""
    start, end = span
    if start is None or end is None:
        return None
    if start < taken[0] <= end:
        return start, taken[0]
    if start <= taken[1] < end:
        return taken[1], end
    return None


def _locked_error(db_path: Path) -> Callable[[str], CodingLocked]:
    def busy(holder: str) -> CodingLocked:
        parts = holder.split("\t")
        if len(parts) == 3:
            user, pid, since = parts
            who = f"{user} (pid {pid}) since {since}"
        else:
            who = f"another coder (pid {holder or '?'})"
        return CodingLocked(f"{db_path}: being coded by {who}; try again when they have finished")

    return busy


@contextlib.contextmanager
def coding_store(db_path: Path, user: str | None = None) -> Iterator[CodingStore]:
    """`CodingStore.open` as a with-block."""
    store = CodingStore.open(db_path, user)
    try:
        yield store
    finally:
        store.close()
