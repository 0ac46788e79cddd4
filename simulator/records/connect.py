"""Opening the calls database safely: checked, upgraded, retried while busy, and a damaged file set aside.

`open_connection` never hands back a connection to a file that is not a usable calls database at the
current schema: a damaged or foreign file is renamed `<name>.corrupt-<time>` (kept, never deleted) and
a new one started, and the notice to show the user says so.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path

from simulator.records.schema import EXPECTED_COLUMNS, MIGRATIONS, SCHEMA_VERSION

# How long a writer waits for another badnews window's transaction; each lasts milliseconds.
BUSY_TIMEOUT_SECONDS = 10.0
# SQLite's primary result codes that mean the file itself is damaged or is not a database.
SQLITE_ERROR, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT, SQLITE_NOTADB = 1, 5, 6, 11, 26
# Two windows opening a new database at once race to switch it to WAL, and SQLite may answer that
# switch with "busy" without waiting; opening is retried this many times, backing off.
OPEN_ATTEMPTS = 6
OPEN_BACKOFF_SECONDS = 0.05
class StoreError(Exception):
    """The calls database cannot be used right now; the message says why and what to do."""


class _Damaged(Exception):
    """The file is not a usable calls database (corrupt, foreign, or not upgradable)."""


def open_connection(path: Path) -> tuple[sqlite3.Connection, list[str]]:
    """A connection to the calls database at `path`, and what the user must be told about opening it."""
    notices: list[str] = []
    identity = _identity(path)
    try:
        connection = _connect(path)
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
    code = _primary_code(error)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return f"{path} is busy in another program for more than {BUSY_TIMEOUT_SECONDS:.0f} s; try again"
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return f"{path} is damaged ({error}); start badnews again to set it aside and begin a new one"
    return f"{path}: {error}"


def _connect(path: Path) -> sqlite3.Connection:
    """A checked, migrated connection, retried while another process holds the lock on a new file."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return _connect_once(path)
        except _Busy:
            time.sleep(OPEN_BACKOFF_SECONDS * 2**attempt)
    return _connect_once(path, last_try=True)


class _Busy(Exception):
    """Another process held the database while this one was opening it."""


def _connect_once(path: Path, *, last_try: bool = False) -> sqlite3.Connection:
    """A checked, migrated connection; _Damaged when the file is not a usable calls database."""
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(explain(path, error)) from None
    db.row_factory = sqlite3.Row
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        check = [row[0] for row in db.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            raise _Damaged("; ".join(check[:3]))
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
        raise StoreError(explain(path, error)) from None
    except (_Damaged, StoreError):
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this database lacks, each in its own transaction; a newer database is left alone."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer Bad News Drill (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); update badnews, or use --data-dir to keep this version's calls elsewhere"
        )
    while version < SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another window may have upgraded while this one waited for the lock.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
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
