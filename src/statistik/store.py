"""The store: one DuckDB file that many processes read while one at a time writes.

DuckDB lets one process open a file for writing, or many open it for reading, never both. The
dashboard (one or more processes) and the command line all read while someone writes, so the file
is never written in place:

* A write copies the store to a private file beside it, runs there, bumps the data version kept in
  the `meta` table, checkpoints, and renames the copy over the store. Readers see the version before
  or after a write, never part of one; a writer killed at any moment leaves the store as it was.
  Writers take turns on a lock file (`<store>.lock`), across processes and threads.
* A read uses the newest published file, opened read-only and kept open while it is the newest; a
  `stat` of the path before each read tells whether a write has replaced it since. An open reader
  keeps its version (the renamed-over file lives on until its last reader closes it).

    store = Store(path)
    con = store.read()                    # a read-only cursor on the newest version
    with store.write(purpose="import af x.csv") as con:
        add_annotation(con, ...)          # domain functions take the connection first
    store.version()                       # the data version; caches key on it
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import itertools
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from statistik import config, schema


class StoreBusy(Exception):
    """The store could not be written (or opened) in time; `holder` says who has it."""

    def __init__(self, message: str, holder: str = "en anden proces"):
        super().__init__(message)
        self.holder = holder


@dataclasses.dataclass(frozen=True)
class Holder:
    """Who holds the write lock: process, what it is doing, since when."""

    pid: int
    purpose: str
    since: float

    def describe(self) -> str:
        """'proces 1234 (import af x.csv, i gang i 12 s)' in Danish."""
        running = max(0, round(time.time() - self.since))
        what = f"{self.purpose}, " if self.purpose else ""
        return f"proces {self.pid} ({what}i gang i {running} s)"


class StoreUnusable(RuntimeError):
    """The file at the store's path is no store this program can use (not a DuckDB file, or from a newer
    statistik); the message says which, in Danish."""


class StoreUnwritable(Exception):
    """The store (or a copy of it) could not be written: a full disk, a read-only file system, no permission.
    Nothing was changed; the message says why, in Danish."""


_DISK_PROBLEMS = {errno.ENOSPC: "disken er fuld", errno.EDQUOT: "disken er fuld (kvoten er brugt op)",
                  errno.EROFS: "filsystemet er skrivebeskyttet", errno.EACCES: "programmet må ikke skrive der",
                  errno.EPERM: "programmet må ikke skrive der"}
_DUCKDB_DISK_PROBLEMS = {"no space left": errno.ENOSPC, "read-only file system": errno.EROFS,
                         "permission denied": errno.EACCES}


def _disk_errno(e: BaseException) -> int | None:
    if isinstance(e, OSError):
        return e.errno if e.errno in _DISK_PROBLEMS else None
    if isinstance(e, duckdb.IOException):
        text = str(e).lower()
        return next((code for marker, code in _DUCKDB_DISK_PROBLEMS.items() if marker in text), None)
    return None


def disk_problem(e: BaseException) -> str | None:
    """Why a file could not be written, in Danish, if `e` says it was for want of space or permission."""
    return _DISK_PROBLEMS.get(_disk_errno(e))


class NothingToWrite(Exception):
    """Raised inside `Store.write()` to leave it without publishing anything (there was nothing to change)."""


Waiting = Callable[[str, float], None]  # told who holds the lock ('proces 12 (…)') and the longest wait, in s


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """One published version of the store, open read-only."""

    connection: duckdb.DuckDBPyConnection = dataclasses.field(repr=False)
    version: int
    identity: tuple[int, int, int, int]  # device, inode, size, mtime of the file opened

    @property
    def key(self) -> tuple:
        """Cache key: the data version and the file it was read from."""
        return (self.version, *self.identity)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own (one per thread or query)."""
        return self.connection.cursor()


_thread_locks: dict[Path, threading.Lock] = {}
_thread_locks_guard = threading.Lock()
_names = itertools.count()


def _thread_lock(path: Path) -> threading.Lock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(path, threading.Lock())


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _holder_of_duckdb_lock(message: str) -> str:
    """Describe the process named in DuckDB's lock error ('... (PID 1234) ...')."""
    m = re.search(r"PID (\d+)", message)
    if not m:
        return "en anden proces"
    pid = m.group(1)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\x00", b" ").decode().strip()
    except OSError:
        cmdline = ""
    return f"proces {pid}" + (f" ({cmdline[:80]})" if cmdline else "")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    """The DuckDB store at `path`: read-only snapshots for reading, one write path."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or config.db_path()).absolute()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._snapshot: Snapshot | None = None
        self._opening = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _config(self) -> dict[str, str]:
        return {"memory_limit": config.memory_limit()}

    def _private(self, kind: str) -> Path:
        """A file name beside the store that no other process or thread uses."""
        return self.path.with_name(f".{self.path.name}.{kind}-{os.getpid()}-{next(_names)}")

    @contextlib.contextmanager
    def _on_disk(self, *, space_only: bool = False) -> Iterator[None]:
        """Turn a full disk or a folder that cannot be written into StoreUnwritable (a Danish message)."""
        try:
            yield
        except (OSError, duckdb.IOException) as e:
            code = _disk_errno(e)
            if code is None or (space_only and code not in (errno.ENOSPC, errno.EDQUOT)):
                raise
            raise StoreUnwritable(f"Databasen kan ikke skrives, fordi {_DISK_PROBLEMS[code]} ({self.path.parent}). "
                                  "Intet er gemt; frigør plads eller ret rettighederne, og prøv igen.") from e

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        """Whether the store file has been created."""
        return self.path.exists()

    def snapshot(self) -> Snapshot:
        """The newest published version (the one already open, unless a write has replaced it)."""
        current = self._snapshot
        try:
            identity = _identity(os.stat(self.path))
        except FileNotFoundError:
            raise FileNotFoundError(f"Databasen {self.path} findes ikke.") from None
        if current is not None and current.identity == identity:
            return current
        with self._opening:
            current = self._snapshot
            if current is None or current.identity != _identity(os.stat(self.path)):
                # The previous snapshot is only dropped, not closed: cursors still reading it keep
                # it alive, and DuckDB closes it with the last of them.
                self._snapshot = self._open_snapshot()
            return self._snapshot

    def _open_snapshot(self) -> Snapshot:
        try:
            con, identity = open_pinned(self.path, self._config())
        except duckdb.IOException as e:
            if "not a valid duckdb database" in str(e).lower():
                raise StoreUnusable(f"{self.path} er ikke en database fra statistik (STATISTIK_DB peger på en "
                                    "anden slags fil). Intet er ændret.") from e
            if "lock" not in str(e).lower():
                raise
            holder = _holder_of_duckdb_lock(str(e))
            raise StoreBusy(f"Databasen {self.path} er åben for skrivning i {holder} uden om statistik "
                            "(fx DuckDB's eget program). Luk den og prøv igen.", holder) from e
        found = schema.current_version(con)
        if found > schema.SCHEMA_VERSION:
            con.close()
            raise StoreUnusable(f"Databasen har skemaversion {found}, men programmet kender kun "
                               f"{schema.SCHEMA_VERSION}. Opdatér statistik.")
        if found < schema.SCHEMA_VERSION:
            con.close()
            with self.write(purpose="opgradering af databasen"):
                pass  # write() migrates
            return self._open_snapshot()
        return Snapshot(con, data_version(con), identity)

    def read(self) -> duckdb.DuckDBPyConnection:
        """A read-only cursor on the newest published version."""
        return self.snapshot().cursor()

    def version(self) -> int:
        """The newest published data version; every write raises it."""
        return self.snapshot().version

    # ------------------------------------------------------------------ writing

    def _holder(self) -> Holder | None:
        try:
            info = json.loads(self.lock_path.read_text(encoding="utf-8") or "null")
            return Holder(int(info["pid"]), str(info.get("purpose", "")), float(info["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @contextlib.contextmanager
    def _exclusive(self, purpose: str, on_wait: Waiting | None) -> Iterator[None]:
        """Hold the write lock: threads of this process queue on a lock, processes on the lock file."""
        limit = config.lock_wait_seconds()
        deadline = time.monotonic() + limit
        told = False

        def who() -> str:
            holder = self._holder()
            return holder.describe() if holder else "en anden proces"

        def waiting() -> None:
            nonlocal told
            if not told and on_wait is not None:
                on_wait(who(), limit)
            told = True

        def give_up() -> StoreBusy:
            holder = who()
            return StoreBusy(f"Databasen skrives stadig af {holder}; gav op efter {limit:.0f} s. "
                             "Prøv igen senere.", holder)

        thread_lock = _thread_lock(self.path)
        if not thread_lock.acquire(blocking=False):
            waiting()
            if not thread_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise give_up()
        try:
            with self._on_disk():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        waiting()
                        if time.monotonic() > deadline:
                            raise give_up() from None
                        time.sleep(0.05)
                try:
                    # Who holds the lock is only for other writers' messages: a full disk must not stop
                    # the write here, before it can say so.
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, 0)
                        os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": purpose,
                                                  "since": time.time()}).encode(), 0)
                    yield
                finally:
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, 0)
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            thread_lock.release()

    def _clean_leftovers(self) -> None:
        """Remove copies and pins left by processes that died (called with the write lock held)."""
        pattern = re.compile(rf"^\.{re.escape(self.path.name)}\.(read|write)-(\d+)-\d+")
        for entry in self.path.parent.iterdir():
            m = pattern.match(entry.name)
            if m and (m.group(1) == "write" or not _pid_alive(int(m.group(2)))):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    def _in_place_writes(self, copy: Path) -> Path | None:
        """The WAL a write in place left beside the store (an older statistik, a one-off script, DuckDB's own
        program, killed before its checkpoint), copied beside `copy` so that connecting to the copy replays
        it there: the store itself is never opened for writing, so readers are not in the way. Returns the
        store's WAL, to remove once the copy is published; StoreBusy if that program is still writing."""
        wal = self.path.with_name(self.path.name + ".wal")
        if not wal.exists():
            return None
        with open(self.path, "rb") as f:
            try:  # DuckDB holds a write lock on the file while it has it open for writing
                fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                raise StoreBusy(f"Databasen {self.path} er åben for skrivning i en anden proces uden om statistik "
                                "(fx DuckDB's eget program). Luk den og prøv igen.") from None
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        return wal

    def _connect_copy(self, copy: Path, wal: Path | None) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(copy), config=self._config())
        except duckdb.IOException as e:
            if wal is None or "checkpoint iteration" not in str(e):
                raise
        # DuckDB knows the WAL is already in the file (a write was killed after publishing it, before
        # removing the WAL): there is nothing to take over.
        copy.with_name(copy.name + ".wal").unlink()
        return duckdb.connect(str(copy), config=self._config())

    @contextlib.contextmanager
    def write(self, *, purpose: str = "", on_wait: Waiting | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one way to write: a read-write connection on a private copy, published when the block ends.

        Waits for other writers (`on_wait(holder, seconds)` is told once if it must, and StoreBusy is
        raised after STATISTIK_LOCK_WAIT_S). If the block raises, nothing is published; raising
        NothingToWrite leaves quietly.
        """
        with self._exclusive(purpose, on_wait):
            copy = self._private("write")
            con = None
            try:
                with self._on_disk():
                    self._clean_leftovers()
                    wal = None
                    if self.path.exists():
                        shutil.copyfile(self.path, copy)
                        wal = self._in_place_writes(copy)
                    con = self._connect_copy(copy, wal)
                    schema.migrate(con)
                try:
                    with self._on_disk(space_only=True):   # the block's own files are its business
                        yield con
                except NothingToWrite:
                    return
                with self._on_disk():
                    _bump_data_version(con)
                    con.execute("CHECKPOINT")
                    con.close()
                    _fsync(copy)
                    os.replace(copy, self.path)
                    if wal is not None:
                        wal.unlink(missing_ok=True)   # taken over: it is in the file just published
                    _fsync(self.path.parent)
            finally:
                if con is not None:
                    con.close()
                copy.unlink(missing_ok=True)
                copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
                shutil.rmtree(copy.with_name(copy.name + ".tmp"), ignore_errors=True)

    # ------------------------------------------------------------------ copies

    def backup(self, target: Path | str) -> int:
        """Write a consistent copy of the newest version to `target` (atomically); returns its data version."""
        target = Path(target).absolute()
        if target == self.path:
            raise ValueError("Sikkerhedskopien skal have et andet navn end databasen.")
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            # The open file is the version named now, even if a write renames a new one over the name.
            with open(self.path, "rb") as source:
                try:
                    with open(partial, "wb") as out:
                        shutil.copyfileobj(source, out, 1 << 20)
                        out.flush()
                        os.fsync(out.fileno())
                    version = _check_copy(partial)
                    os.replace(partial, target)
                except OSError as e:
                    if (reason := disk_problem(e)) is None:
                        raise
                    raise StoreUnwritable(f"Sikkerhedskopien kan ikke skrives, fordi {reason} "
                                          f"({target.parent}). Databasen er uændret.") from e
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        return version

    def restore(self, source: Path | str, *, on_wait: Waiting | None = None) -> int:
        """Make a backup the store's newest version (readers switch on their next read); returns its version."""
        source = Path(source)
        _check_copy(source)
        with self._exclusive(f"gendannelse fra {source.name}", on_wait):
            newest = data_version_of(self.path) if self.path.exists() else 0
            copy = self._private("write")
            try:
                with self._on_disk():
                    shutil.copyfile(source, copy)
                    con = duckdb.connect(str(copy), config=self._config())
                    try:
                        schema.migrate(con)
                        # Above every version published before, so no cache keeps a result of the old data.
                        _set_data_version(con, max(newest, data_version(con)) + 1)
                        version = data_version(con)
                        con.execute("CHECKPOINT")
                    finally:
                        con.close()
                    _fsync(copy)
                    os.replace(copy, self.path)
                    # A WAL an unfinished write in place left belongs to the store replaced, not to this one.
                    self.path.with_name(self.path.name + ".wal").unlink(missing_ok=True)
                    _fsync(self.path.parent)
            finally:
                copy.unlink(missing_ok=True)
        return version


# ---------------------------------------------------------------------- the data version


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The data version recorded in the store behind `con` (0 before the first write)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def _set_data_version(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", [str(version)])


def _bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    _set_data_version(con, data_version(con) + 1)


def open_pinned(path: Path, settings: dict[str, str] | None = None) -> tuple[duckdb.DuckDBPyConnection, tuple]:
    """Open the file `path` names now, read-only; returns the connection and the file's identity.

    A hard link pins that file and gives it a name of its own: DuckDB keeps one instance per file
    name in a process, so opening the store's own name again would hand back an old version.
    """
    pin = path.with_name(f".{path.name}.read-{os.getpid()}-{next(_names)}")
    try:
        os.link(path, pin)
    except OSError as e:
        if e.errno not in (errno.EROFS, errno.EACCES):
            raise
        # A folder nothing can be created in (a backup on read-only media): no write of ours can
        # replace the file there either, so its own name always means this version.
        return duckdb.connect(str(path), read_only=True, config=settings or {}), _identity(os.stat(path))
    try:
        identity = _identity(os.stat(pin))
        return duckdb.connect(str(pin), read_only=True, config=settings or {}), identity
    finally:
        pin.unlink(missing_ok=True)  # the open file lives on without the name


def data_version_of(path: Path) -> int:
    """The data version of a store file."""
    con, _ = open_pinned(path)
    try:
        return data_version(con)
    finally:
        con.close()


def _check_copy(path: Path) -> int:
    """Open a copy read-only and check it is a store this program can use; returns its data version."""
    try:
        # By its own name, no pin: a copy is not replaced while it is checked, and a backup may sit on a
        # file system without hard links (a FAT stick, a network share).
        con = duckdb.connect(str(Path(path).absolute()), read_only=True)
        try:
            found = schema.current_version(con)
            version = data_version(con)
            con.execute("SELECT count(*) FROM upload").fetchone()
        finally:
            con.close()
    except (duckdb.Error, OSError) as e:
        # DuckDB's own text is English and names a temporary file; the cause stays in the chain.
        raise ValueError(f"{Path(path).name} er ikke en statistik-database, eller den kan ikke læses.") from e
    if not 0 < found <= schema.SCHEMA_VERSION:
        raise ValueError(f"{Path(path).name} har skemaversion {found}; programmet kender 1–{schema.SCHEMA_VERSION}.")
    return version


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction on `con`: all of it is written, or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")

