"""Opening the calls database safely: checked, upgraded, retried while busy, and a damaged file set aside.

`open_connection` never hands back a connection to a file that is not a usable calls database at the
current schema: a damaged file is renamed `<name>.corrupt-<time>` (kept, never deleted) and a new one
started, and the notice to show the user says so. Another program's SQLite database is refused and left
as it is. A row that breaks a constraint is not damage to the file: the store skips that row when reading.

Commands that only read open it with `read_only=True`: a file or folder that cannot be written is then
read through a read-only connection (nothing upgraded, nothing set aside), and a missing file reads as empty
without being created. Nor do they check the whole file first (`_damage`): on a team's shared file, written
every few seconds, that check read 767 MB before each `badnews team` (19 s from a cold disk). A damaged page
they happen to read is named as damage (`explain`), and the next command that writes sets the file aside.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from simulator.records.schema import CORE_TABLES, EXPECTED_COLUMNS, MIGRATIONS, SCHEMA_VERSION

# How long a writer waits for another badnews window's transaction; each lasts milliseconds.
BUSY_TIMEOUT_SECONDS = 10.0
# SQLite's primary result codes: busy, damaged or not a database, read-only, a full disk, a file it cannot open.
SQLITE_ERROR, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT, SQLITE_NOTADB = 1, 5, 6, 11, 26
SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN = 8, 13, 14
# What `PRAGMA quick_check` says of one row that breaks a constraint (a hand edit), not of a damaged file.
ROW_PROBLEMS = ("CHECK constraint failed in ", "NULL value in ")
# Two windows opening a new database at once race to switch it to WAL, and SQLite may answer that
# switch with "busy" without waiting; opening is retried this many times, backing off.
OPEN_ATTEMPTS = 6
OPEN_BACKOFF_SECONDS = 0.05
class StoreError(Exception):
    """The calls database cannot be used right now; the message says why and what to do."""


class _ReadOnly(StoreError):
    """The file or its folder cannot be written (a command that only reads can still read it)."""


class _Damaged(Exception):
    """The file is not a usable calls database (corrupt, or not upgradable)."""


def read_only_message(path: Path) -> str:
    """What a command that must write says when the calls database cannot be written."""
    return (f"{path} is read-only: calls cannot be saved there; make it and its folder writable, "
            "or use --data-dir to keep calls elsewhere")


def open_connection(path: Path, *, read_only: bool = False) -> tuple[sqlite3.Connection, list[str]]:
    """A connection to the calls database at `path`, and what the user must be told about opening it.

    With `read_only`, nothing is created, upgraded or set aside when the file or its folder cannot be written.
    """
    if read_only:
        try:
            there = path.exists()
        except OSError as error:  # a folder that cannot be searched
            raise StoreError(f"{path} cannot be read: {error.strerror or error}") from None
        if not there:
            return _empty_database(), []
        if not _writable(path):
            return _connect_read_only(path), []
        try:
            return _open_for_writing(path, check=False)
        except _ReadOnly:  # the OS refused a write that the permission bits allowed (a read-only mount)
            return _connect_read_only(path), []
    if not _writable(path):
        raise _ReadOnly(read_only_message(path))
    return _open_for_writing(path)


def _open_for_writing(path: Path, *, check: bool = True) -> tuple[sqlite3.Connection, list[str]]:
    """A connection that can write; `check`: the whole file is checked for damage first (`_damage`)."""
    notices: list[str] = []
    identity = _identity(path)
    try:
        connection = _connect(path, check=check)
    except _Damaged as damage:
        aside = _set_aside(path, identity)
        if aside is None:
            notices.append(f"{path} was damaged; another badnews window already set it aside and started anew.")
        else:
            notices.append(
                f"{path} could not be read ({damage}). It was kept as {aside} and a new, empty calls "
                f"database was started. To try to rescue the old calls: sqlite3 {aside} .recover"
            )
        try:
            connection = _connect(path)
        except _Damaged as again:
            raise StoreError(f"{path}: a new calls database could not be started ({again})") from None
    return connection, notices


def _writable(path: Path) -> bool:
    """Whether SQLite can write here: the file if it exists, and its folder (for the journal files beside it)."""
    folder_ok = os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _empty_database() -> sqlite3.Connection:
    """An empty calls database in memory: what reading a database that is not there finds."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.row_factory = sqlite3.Row
    _migrate(db, Path(":memory:"))
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, to a calls database that cannot be written; StoreError if it is not usable.

    SQLite reads a WAL database read-only only if it can make the shared-memory file beside it; in a
    read-only folder it is opened as immutable instead (a window writing to it meanwhile is not seen).
    """
    uri = path.absolute().as_uri()
    for attempt, mode in enumerate(("mode=ro", "immutable=1")):
        try:
            db = sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(explain(path, error)) from None
        db.row_factory = sqlite3.Row
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            damage = _damage(db, path)
            if damage:
                raise StoreError(_damaged_read_only(path, damage))
            version, tables = _contents(db)
            if version == 0 and not tables:
                db.close()
                return _empty_database()  # a new, empty file
            _check_ours(path, version, tables)
            if version > SCHEMA_VERSION:
                raise StoreError(_newer_message(path, version))
        except sqlite3.Error as error:
            db.close()
            if attempt == 0 and _primary_code(error) in (SQLITE_READONLY, SQLITE_CANTOPEN):
                continue
            if _primary_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB):
                raise StoreError(_damaged_read_only(path, str(error))) from None
            raise StoreError(explain(path, error)) from None
        except StoreError:
            db.close()
            raise
        return db
    raise AssertionError("unreachable: the last attempt returns or raises")


def _damaged_read_only(path: Path, damage: str) -> str:
    return (f"{path} is damaged ({damage}) and cannot be set aside, as it is read-only; make it writable "
            "and run badnews again to set it aside and begin a new one")


def _damage(db: sqlite3.Connection, path: Path) -> str:
    """What `PRAGMA quick_check` finds wrong with the file itself; '' when it is sound (rows are checked when read).

    `quick_check` reads every page: half a second for a team's 100,000 calls, more with their debriefs. A file
    found sound is stamped (`<name>-checked`: its size, time and inode, and its write-ahead log's) and not
    checked again until it changes. The stamp is trusted only for a file last written CHECK_SETTLE_SECONDS
    before the check: a write within the file system's clock tick would not move its time (git's "racily
    clean" rule). A stamp that cannot be written (a read-only folder) only means the next open checks again.
    """
    stamp = _stamp(path)
    marker = path.with_name(path.name + "-checked")
    if stamp is not None:
        try:
            if marker.read_text(encoding="ascii") == stamp:
                return ""
        except (OSError, UnicodeDecodeError):
            pass
    found = [row[0] for row in db.execute("PRAGMA quick_check")]
    damage = [line for line in found if line != "ok" and not line.startswith(ROW_PROBLEMS)]
    if not damage and stamp is not None:
        with contextlib.suppress(OSError):
            marker.write_text(stamp, encoding="ascii")
    return "; ".join(damage[:3])


# A file written this recently is checked each time it is opened (`_damage`).
CHECK_SETTLE_SECONDS = 2.0


def _stamp(path: Path) -> str | None:
    """What identifies this state of the database and its write-ahead log; None for one written too recently."""
    stamps = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            info = part.stat()
        except FileNotFoundError:
            stamps.append("-")
            continue
        except OSError:
            return None
        if time.time() - info.st_mtime < CHECK_SETTLE_SECONDS:
            return None
        stamps.append(f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    return " ".join(stamps)


def _contents(db: sqlite3.Connection) -> tuple[int, set[str]]:
    """The schema version and the tables, read in one snapshot (another window may be creating them)."""
    db.execute("BEGIN")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_'"
        )}
    finally:
        db.execute("COMMIT")
    return version, tables


def _check_ours(path: Path, version: int, tables: set[str]) -> None:
    """StoreError if the file is another program's SQLite database: it is refused, and left as it is.

    Our migrations set the version in the transaction that creates the tables, so a file with tables at
    version 0 was never written by badnews, nor was one at a known version without the calls and replies.
    (A version past ours is a newer badnews's, whatever it holds: that is refused with its own message.)
    """
    if (version == 0 and tables) or (0 < version <= SCHEMA_VERSION and not tables >= CORE_TABLES):
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{path} is not a Bad News Drill database (it holds the tables {shown or 'of another program'}); "
            "it was left as it is. Move it away, or use --data-dir to keep calls elsewhere"
        )


def _newer_message(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer Bad News Drill (schema {version}, this one reads up to "
        f"{SCHEMA_VERSION}); update badnews, or use --data-dir to keep this version's calls elsewhere"
    )


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` now, so a file another window already replaced is never set aside by mistake."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _primary_code(error: sqlite3.Error) -> int:
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def explain(path: Path, error: sqlite3.Error) -> str:
    """What a failed SQLite operation on the calls database means for the user, in one line."""
    code = _primary_code(error)
    if code == SQLITE_FULL or str(error) == "database or disk is full":
        return f"{path}: the disk is full"
    if code == SQLITE_READONLY:
        return read_only_message(path)
    if code == SQLITE_CANTOPEN:
        return f"{path} cannot be opened ({error}); check that it and its folder exist and can be read"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return f"{path} is busy in another program for more than {BUSY_TIMEOUT_SECONDS:.0f} s; try again"
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return f"{path} is damaged ({error}); start badnews again to set it aside and begin a new one"
    return f"{path}: {error}"


def _connect(path: Path, *, check: bool = True) -> sqlite3.Connection:
    """A checked, migrated connection, retried while another process holds the lock on a new file."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return _connect_once(path, check=check)
        except _Busy:
            time.sleep(OPEN_BACKOFF_SECONDS * 2**attempt)
    return _connect_once(path, last_try=True, check=check)


class _Busy(Exception):
    """Another process held the database while this one was opening it."""


def _connect_once(path: Path, *, last_try: bool = False, check: bool = True) -> sqlite3.Connection:
    """A checked (unless not `check`), migrated connection; _Damaged when the file is not a usable calls database."""
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(explain(path, error)) from None
    db.row_factory = sqlite3.Row
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        damage = _damage(db, path) if check else ""
        if damage:
            raise _Damaged(damage)
        _check_ours(path, *_contents(db))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db, path)
        _check_columns(db)
    except sqlite3.Error as error:
        db.close()
        if _primary_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise _Damaged(str(error)) from None
        if _primary_code(error) in (SQLITE_BUSY, SQLITE_LOCKED) and not last_try:
            raise _Busy() from None
        if _primary_code(error) == SQLITE_READONLY:
            raise _ReadOnly(explain(path, error)) from None
        raise StoreError(explain(path, error)) from None
    except (_Damaged, StoreError):
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this database lacks, each in its own transaction; a newer database is left alone."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(_newer_message(path, version))
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another window may have upgraded while this one waited for the lock.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for step in MIGRATIONS[version]:
                    if isinstance(step, str):
                        db.execute(step)
                    else:
                        step(db)
                version += 1
                db.execute(f"PRAGMA user_version = {version}")
        except sqlite3.OperationalError as error:
            db.execute("ROLLBACK")
            if _primary_code(error) == SQLITE_ERROR:  # a table or column that clashes: not our database
                raise _Damaged(f"it cannot be upgraded to schema {version + 1}: {error}") from None
            raise
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _check_columns(db: sqlite3.Connection) -> None:
    for table, wanted in EXPECTED_COLUMNS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        missing = wanted - have
        if missing:
            raise _Damaged(f"it is not a Bad News Drill calls database: table '{table}' lacks {', '.join(sorted(missing))}")


def _set_aside(path: Path, identity: tuple[int, int] | None) -> Path | None:
    """Rename the damaged file (and its WAL and shared-memory files) to `<name>.corrupt-YYYYmmdd-HHMMSS`.

    Returns None when the file at `path` is no longer the one found damaged (another window got there first).
    """
    if identity is not None and _identity(path) != identity:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
    except OSError as error:
        raise StoreError(f"{path} is damaged and could not be moved aside: {error.strerror or error}") from None
    return aside
