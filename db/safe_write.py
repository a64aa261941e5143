"""The one way rasd writes a file: checked first, written beside the target, renamed into place.

Every writer (imports, the default database, `rasd export`, rejects, screenshots) goes through
here so that rasd writes only what the user asked for, where they asked:

- refused before any work starts, in one line: the database or an input file as the target, a
  directory, a device, a FIFO or socket, a read-only file (even for root, who may write one), a
  missing or unwritable directory;
- a symlink is followed: the file it points to is replaced, the link stays a link;
- written to a temporary name in the target's directory, fsynced, renamed over the target and
  the directory fsynced: a crash leaves the old file or the new one, never half of one;
- the target's mode, owner and group are kept (where permitted); a new file gets `default_mode`
  less the umask, like any other program's output.

Temporary names carry the writer's pid (`.NAME.rasd-PID-TOKEN...`), so that leftovers of a
process killed with SIGKILL are recognised and removed by the next rasd (`remove_stale`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from db.paths import StoreError, appended_path, coding_path

PathLike = str | os.PathLike[str]
Protected = Mapping[PathLike, str] | Iterable[PathLike]
"""Files a target must not be: a mapping path -> label ("the database"), or bare paths."""

TEMP_MARK = ".rasd-"
_TEMP_RE = re.compile(r"^\..*\.rasd-(\d+)-[0-9a-f]{8}(?:\..*)?$")


class UnsafeTarget(StoreError):
    """A target rasd refuses to write: one line for the user, exit status 2, nothing changed."""


def database_files(db: PathLike) -> dict[PathLike, str]:
    """The database, its WAL and the files kept beside it, as files a target must not be."""
    coding, appended = coding_path(Path(db)), appended_path(Path(db))
    return {
        db: "the database",
        f"{os.fspath(db)}.wal": "the database's write-ahead log",
        coding: "the database's coding",
        appended: "the incidents imported beside the database",
    }


def _labelled(protect: Protected) -> list[tuple[Path, str]]:
    if isinstance(protect, Mapping):
        return [(Path(p), str(label)) for p, label in protect.items()]
    return [(Path(p), "a file rasd is reading") for p in protect]


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def check_target(target: PathLike, *, protect: Protected = (), make_parents: bool = False) -> Path:
    """The real file to write for `target` (symlinks followed), or UnsafeTarget saying why not.

    Nothing is created or changed. With `make_parents`, a missing directory is fine as long as
    its nearest existing ancestor is writable (the default database's data directory).
    """
    shown = Path(target)
    real = Path(os.path.realpath(shown))
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UnsafeTarget(f"{shown}: cannot write ({exc.strerror})") from exc
    for path, label in _labelled(protect):
        other = Path(os.path.realpath(path))
        try:
            same = other == real or (st is not None and _same_file(st, os.stat(other)))
        except OSError:
            same = False
        if same:
            raise UnsafeTarget(f"{shown}: is {label}; refusing to write over it")
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeTarget(f"{shown}: {_kind(st.st_mode)}; refusing to write over it")
        if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise UnsafeTarget(f"{shown}: is read-only; refusing to write over it")
    _check_directory(shown, real.parent, make_parents)
    return real


def _check_directory(shown: Path, directory: Path, make_parents: bool) -> None:
    probe = directory
    while make_parents and not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.exists():
        raise UnsafeTarget(f"{shown}: no such directory {directory}")
    if not probe.is_dir():
        raise UnsafeTarget(f"{shown}: {probe} is not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only_mount(probe) else "permission denied"
        raise UnsafeTarget(f"{shown}: cannot write in {probe} ({reason})")


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def temp_name(real: Path, suffix: str = ".tmp") -> Path:
    """A name beside `real` for this process only; `remove_stale` knows it once the pid is dead."""
    token = secrets.token_hex(4)
    return real.with_name(f".{real.name}{TEMP_MARK}{os.getpid()}-{token}{suffix}")


@contextlib.contextmanager
def atomic_path(
    target: PathLike,
    *,
    protect: Protected = (),
    default_mode: int = 0o644,
    suffix: str = ".tmp",
    create: bool = True,
    make_parents: bool = False,
    sidecars: Iterable[str] = (),
) -> Iterator[Path]:
    """A temporary path beside `target` that replaces it when the block succeeds.

    For writers that need a path (DuckDB's COPY, a database, rsvg-convert). With `create=False`
    the temporary file does not exist when the block starts (DuckDB creates databases itself).
    `sidecars` are suffixes of companion files (".wal") removed with the temporary file.
    """
    real = check_target(target, protect=protect, make_parents=make_parents)
    if make_parents:
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UnsafeTarget(f"{target}: cannot create {real.parent} ({exc.strerror})") from exc
    tmp = temp_name(real, suffix)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, default_mode)
    except OSError as exc:
        raise UnsafeTarget(f"{target}: cannot write in {real.parent} ({exc.strerror})") from exc
    new_mode = stat.S_IMODE(os.fstat(fd).st_mode)  # default_mode less the umask, from the kernel
    os.close(fd)
    if not create:
        tmp.unlink()
    try:
        yield tmp
        _commit(tmp, real, new_mode)
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in sidecars)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _commit(tmp: Path, real: Path, new_mode: int) -> None:
    """fsync the data, take the target's mode and owner, rename, fsync the directory."""
    fd = os.open(tmp, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
        try:
            old: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            old = None
        if old is not None:
            st = os.fstat(fd)
            if (st.st_uid, st.st_gid) != (old.st_uid, old.st_gid):
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, old.st_uid, old.st_gid)
                with contextlib.suppress(PermissionError):  # a group the writer belongs to
                    os.fchown(fd, -1, old.st_gid)
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
        else:
            os.fchmod(fd, new_mode)
    finally:
        os.close(fd)
    os.replace(tmp, real)
    fsync_directory(real.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename durable (not every filesystem can; those that cannot are skipped)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    target: PathLike,
    *,
    protect: Protected = (),
    binary: bool = True,
    default_mode: int = 0o644,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """A file object whose contents replace `target` when the block succeeds (see module doc)."""
    with atomic_path(target, protect=protect, default_mode=default_mode) as tmp:
        if binary:
            fh: IO[Any] = tmp.open("wb")
        else:
            fh = tmp.open("w", encoding=encoding, newline=newline)
        with fh:
            yield fh


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def stale_temps(directory: Path) -> list[Path]:
    """rasd's temporary files and directories in `directory` whose writer is no longer running."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    out = []
    for name in names:
        pid = temp_owner(name)
        if pid is not None and not pid_alive(pid):
            out.append(directory / name)
    return out


def temp_owner(name: str) -> int | None:
    """The pid that made the rasd temporary `name`, or None when `name` is not one."""
    match = _TEMP_RE.match(name)
    return int(match.group(1)) if match else None


def remove_stale(directory: Path) -> list[Path]:
    """Remove what killed rasd processes left in `directory` (best effort; returns what went)."""
    removed = []
    for path in stale_temps(directory):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


_WATCH = r"""
IFS= read -r line
[ "$line" = done ] && exit 0
for f in "$1"/.*.rasd-"$2"-*; do [ -e "$f" ] && rm -rf -- "$f"; done
[ -n "$3" ] && [ -e "$3" ] || exit 0
exec 9<"$3"
flock -w 2 9 || exit 0
[ "$(stat -L -c %d:%i /proc/self/fd/9)" = "$(stat -c %d:%i -- "$3")" ] && rm -f -- "$3"
exit 0
"""
"""Waits for "done" from the writer; end of file instead means it was killed: clean up after it.

The lock is removed only by a holder of it, and only if the path is still the file locked
(db.store.import_lock's protocol); the wait lets the dead process's descriptors close."""


@contextlib.contextmanager
def cleanup_if_killed(directory: Path, lock: Path | None = None) -> Iterator[None]:
    """Remove this process's temporaries (and `lock`, if nobody holds it) should it be killed.

    SIGKILL runs no Python code, so a small `sh` watches a pipe from this process: when the
    pipe closes without a word, the process died, and the watcher removes what it left at once
    instead of at the next start (`remove_stale` remains the fallback). Costs one fork, ~2 ms.
    """
    try:
        watcher = subprocess.Popen(
            ["sh", "-c", _WATCH, "rasd-cleanup", str(directory), str(os.getpid()), str(lock or "")],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        watcher = None
    try:
        yield
    finally:
        if watcher is not None and watcher.stdin is not None:
            with contextlib.suppress(OSError):
                watcher.stdin.write(b"done\n")
                watcher.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                watcher.wait(timeout=5)
